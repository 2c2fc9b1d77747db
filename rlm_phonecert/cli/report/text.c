/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * phonecert report as text for people: what gather.c gathered, formatted.
 */
#include "../output.h"
#include "report.h"

#include <stdio.h>
#include <string.h>

#include "../../core/timeutil.h"

/*
 *	Text
 */

/* A value for the terminal, escaped (text_escape: a hostile certificate's controls as \xHH); NULL "-". */
static char const *tx(char const *value)
{
	static char buffers[8][TEXT_ESCAPED_LEN];
	static int next;

	if (!value || !value[0]) return "-";
	return text_escape(value, buffers[next++ % 8], sizeof(buffers[0]));
}

static void format_time(bool known, long long when, char *buf, size_t len)
{
	if (known) pc_time_format((time_t)when, buf, len);
	else snprintf(buf, len, "-");
}

#define TEXT_COLS 7
#define TEXT_CELL 256

typedef void text_row_fn(void const *item, char cells[TEXT_COLS][TEXT_CELL]);

/* Aligned columns under a header line. */
static void text_table(FILE *out, char const *indent, char const *const *headers, size_t cols,
		       void const *items, size_t size, size_t count, text_row_fn *row)
{
	size_t width[TEXT_COLS] = { 0 };
	char cells[TEXT_COLS][TEXT_CELL];

	for (size_t c = 0; c < cols; c++) width[c] = strlen(headers[c]);
	for (size_t i = 0; i < count; i++) {
		row((char const *)items + i * size, cells);
		for (size_t c = 0; c < cols; c++) {
			if (strlen(cells[c]) > width[c]) width[c] = strlen(cells[c]);
		}
	}
	fputs(indent, out);
	for (size_t c = 0; c + 1 < cols; c++) fprintf(out, "%-*s  ", (int)width[c], headers[c]);
	fprintf(out, "%s\n", headers[cols - 1]);
	for (size_t i = 0; i < count; i++) {
		row((char const *)items + i * size, cells);
		fputs(indent, out);
		for (size_t c = 0; c + 1 < cols; c++) fprintf(out, "%-*s  ", (int)width[c], cells[c]);
		fprintf(out, "%s\n", cells[cols - 1]);
	}
}

static void anchor_phone_row(void const *item, char cells[TEXT_COLS][TEXT_CELL])
{
	report_phone const *p = item;

	snprintf(cells[0], TEXT_CELL, "%s", tx(p->device_name));
	snprintf(cells[1], TEXT_CELL, "%s", tx(p->mac));
	snprintf(cells[2], TEXT_CELL, "%s", tx(p->model));
	format_time(p->has_last_seen, p->last_seen, cells[3], TEXT_CELL);
	snprintf(cells[4], TEXT_CELL, "%s", tx(p->last_result));
}

static void mic_only_row(void const *item, char cells[TEXT_COLS][TEXT_CELL])
{
	report_phone const *p = item;

	snprintf(cells[0], TEXT_CELL, "%s", tx(p->device_name));
	snprintf(cells[1], TEXT_CELL, "%s", tx(p->mac));
	snprintf(cells[2], TEXT_CELL, "%s", tx(p->model));
	snprintf(cells[3], TEXT_CELL, "%s", tx(p->not_after));
	format_time(p->has_last_seen, p->last_seen, cells[4], TEXT_CELL);
	snprintf(cells[5], TEXT_CELL, "%s", tx(p->last_result));
}

static void mic_expiring_row(void const *item, char cells[TEXT_COLS][TEXT_CELL])
{
	report_phone const *p = item;

	snprintf(cells[0], TEXT_CELL, "%s", tx(p->device_name));
	snprintf(cells[1], TEXT_CELL, "%s", tx(p->mac));
	snprintf(cells[2], TEXT_CELL, "%s", tx(p->model));
	snprintf(cells[3], TEXT_CELL, "%s", tx(p->not_after));
	if (p->expired) snprintf(cells[4], TEXT_CELL, "expired");
	else snprintf(cells[4], TEXT_CELL, "%lld day%s", p->days_left, p->days_left == 1 ? "" : "s");
	format_time(p->has_last_seen, p->last_seen, cells[5], TEXT_CELL);
	snprintf(cells[6], TEXT_CELL, "%s", tx(p->last_result));
}

static void claim_row(void const *item, char cells[TEXT_COLS][TEXT_CELL])
{
	report_claim const *c = item;

	snprintf(cells[0], TEXT_CELL, "%s", tx(c->device_name));
	snprintf(cells[1], TEXT_CELL, "%s", tx(c->mac));
	snprintf(cells[2], TEXT_CELL, "%lld", c->rejects);
	format_time(c->has_last_seen, c->last_seen, cells[3], TEXT_CELL);
	snprintf(cells[4], TEXT_CELL, "%s", tx(c->reason));
}

static void text_anchor(FILE *out, report const *r, report_anchor const *a)
{
	static char const *const headers[] = { "DEVICE", "MAC", "MODEL", "LAST SEEN", "RESULT" };
	char day[32];

	if (a->kind && strcmp(a->kind, "manufacturing") == 0 && strcmp(a->name, "manufacturing") == 0) {
		fprintf(out, "  manufacturing");
	} else {
		fprintf(out, "  %s %s", a->kind ? a->kind : "anchor", tx(a->name));
	}
	if (a->retiring) fprintf(out, ", retiring: accept_until %s", tx(a->accept_until));
	if (!a->configured) fprintf(out, "%s", r->config_error[0] ? "" : " (not in the configuration)");
	fputc('\n', out);
	fprintf(out, "    %-14s%lld\n", "phones:", a->phones);
	if (a->used) report_day(a->last_day, day, sizeof(day));
	fprintf(out, "    %-14s%s\n", "last used:", a->used ? day : "never");
	if (a->verdict != VERDICT_NONE) fprintf(out, "    %-14s%s\n", "verdict:", tx(a->verdict_text));
	if (a->list_count) text_table(out, "      ", headers, 5, a->list, sizeof(*a->list), a->list_count, anchor_phone_row);
}

int report_write_text(FILE *out, report const *r)
{
	static char const *const mic_headers[] = { "DEVICE", "MAC", "MODEL", "NOT AFTER", "LAST SEEN", "RESULT" };
	static char const *const expiring_headers[] = { "DEVICE", "MAC", "MODEL", "NOT AFTER", "LEFT", "LAST SEEN", "RESULT" };
	char now[PC_TIME_STRLEN], horizon[PC_TIME_STRLEN];

	pc_time_format(r->now, now, sizeof(now));
	pc_time_format(r->mic_horizon, horizon, sizeof(horizon));
	fprintf(out, "Phone inventory report at %s\n", now);
	text_field(out, "database", "%s", tx(r->database));
	text_field(out, "config", "%s%s", tx(r->config_dir), r->config_error[0] ? " (unreadable: no verdicts)" : "");
	text_field(out, "phones", "%lld in the inventory", r->phone_count);

	fprintf(out, "\nAnchors (phones: those whose latest authentication used the anchor)\n");
	if (!r->anchor_count) fprintf(out, "  none configured or used\n");
	for (size_t i = 0; i < r->anchor_count; i++) text_anchor(out, r, &r->anchors[i]);

	fprintf(out, "\nMIC-only phones (latest certificate a MIC, never seen with an LSC): %zu\n", r->mic_only_count);
	if (r->mic_only_count) {
		text_table(out, "  ", mic_headers, 6, r->mic_only, sizeof(*r->mic_only), r->mic_only_count, mic_only_row);
	}
	fprintf(out, "\nMICs expiring within %d days (before %s): %zu\n", REPORT_MIC_DAYS, horizon, r->mic_expiring_count);
	if (r->mic_expiring_count) {
		text_table(out, "  ", expiring_headers, 7, r->mic_expiring, sizeof(*r->mic_expiring),
			   r->mic_expiring_count, mic_expiring_row);
	}
	fprintf(out, "\nPhones rejected in the last 24 hours: %lld\n", r->rejected);
	for (size_t i = 0; i < r->reason_count; i++) {
		fprintf(out, "  %6lld  %s%s\n", r->reasons[i].phones,
			r->reasons[i].reason ? tx(r->reasons[i].reason) : "(no reason recorded)",
			r->reasons[i].verified ? "" : UNVERIFIED_NOTE);
	}
	if (r->claim_count) {
		static char const *const claim_headers[] = { "CLAIMED DEVICE", "CLAIMED MAC", "REJECTS", "LAST SEEN", "REASON" };

		fprintf(out, "  Unverified claims (certificates no anchor signed: the identities are only claimed)\n");
		text_table(out, "    ", claim_headers, 5, r->claims, sizeof(*r->claims), r->claim_count, claim_row);
	}

	fputc('\n', out);
	if (r->config_error[0]) {
		fprintf(out, "Result: no verdicts: the configuration could not be read\n");
	} else if (!r->retiring_count) {
		fprintf(out, "Result: no retiring anchor (no accept_until in the configuration)\n");
	} else if (!r->not_safe_count) {
		fprintf(out, "Result: every retiring anchor is safe to remove\n");
	} else {
		fprintf(out, "Result: NOT safe to remove:");
		for (size_t i = 0, n = 0; i < r->anchor_count; i++) {
			if (r->anchors[i].verdict != VERDICT_NOT_SAFE) continue;
			fprintf(out, "%s %s (%lld phone%s)", n++ ? "," : "", tx(r->anchors[i].name), r->anchors[i].phones,
				r->anchors[i].phones == 1 ? "" : "s");
		}
		fputc('\n', out);
	}
	return ferror(out) ? -1 : 0;
}

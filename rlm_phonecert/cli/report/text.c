/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * phonecert report as text for people: what gather.c gathered, formatted.
 */
#include "../output.h"
#include "report.h"

#include <stdio.h>
#include <stdlib.h>
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

/* "cucm.csv[12]", escaped. */
static char const *tx_where(report const *r, report_listed const *l)
{
	char where[TEXT_CELL];

	report_listed_where(r, l, where, sizeof(where));
	return tx(where);
}

/* The row's report: the list's row and this file, for the row functions that take one item. */
typedef struct {
	report const *r;
	report_listed const *l;
} listed_item;

static void never_seen_row(void const *item, char cells[TEXT_COLS][TEXT_CELL])
{
	listed_item const *it = item;
	pc_listed_phone const *p = it->l->phone;

	snprintf(cells[0], TEXT_CELL, "%s", p->device_name);
	snprintf(cells[1], TEXT_CELL, "%s", p->mac);
	snprintf(cells[2], TEXT_CELL, "%s", tx(p->description));
	snprintf(cells[3], TEXT_CELL, "%s", tx(p->device_pool));
	snprintf(cells[4], TEXT_CELL, "%s", tx(p->model));
	snprintf(cells[5], TEXT_CELL, "%s", tx_where(it->r, it->l));
}

static void before_rotation_row(void const *item, char cells[TEXT_COLS][TEXT_CELL])
{
	listed_item const *it = item;
	report_listed const *l = it->l;

	snprintf(cells[0], TEXT_CELL, "%s", l->phone->device_name);
	snprintf(cells[1], TEXT_CELL, "%s", tx(l->phone->description));
	snprintf(cells[2], TEXT_CELL, "%s", tx(l->phone->device_pool));
	format_time(l->last.has_last_seen, l->last.last_seen, cells[3], TEXT_CELL);
	snprintf(cells[4], TEXT_CELL, "%s", tx(l->last.anchor));
	snprintf(cells[5], TEXT_CELL, "%s", tx(l->last.last_result));
	snprintf(cells[6], TEXT_CELL, "%s", tx_where(it->r, l));
}

static void waived_row(void const *item, char cells[TEXT_COLS][TEXT_CELL])
{
	listed_item const *it = item;
	report_listed const *l = it->l;

	snprintf(cells[0], TEXT_CELL, "%s", l->phone->device_name);
	snprintf(cells[1], TEXT_CELL, "%s", tx(l->phone->description));
	if (l->seen) format_time(l->last.has_last_seen, l->last.last_seen, cells[2], TEXT_CELL);
	else snprintf(cells[2], TEXT_CELL, "never");
	snprintf(cells[3], TEXT_CELL, "%s", tx(l->last.anchor));
	snprintf(cells[4], TEXT_CELL, "%s", tx_where(it->r, l));
	snprintf(cells[5], TEXT_CELL, "%s", report_waiver_words(l->waiver));
}

static void unlisted_row(void const *item, char cells[TEXT_COLS][TEXT_CELL])
{
	report_phone const *p = item;

	snprintf(cells[0], TEXT_CELL, "%s", tx(p->device_name));
	snprintf(cells[1], TEXT_CELL, "%s", tx(p->mac));
	snprintf(cells[2], TEXT_CELL, "%s", tx(p->model));
	snprintf(cells[3], TEXT_CELL, "%s", tx(p->anchor));
	format_time(p->has_last_seen, p->last_seen, cells[4], TEXT_CELL);
	snprintf(cells[5], TEXT_CELL, "%s", tx(p->last_result));
}

/* A table of listed phones: their items hold the report beside each. */
static void listed_table(FILE *out, report const *r, char const *const *headers, size_t cols,
			 report_listed const *listed, size_t count, text_row_fn *row)
{
	listed_item *items = calloc(count + 1, sizeof(*items));

	if (!items) return;
	for (size_t i = 0; i < count; i++) items[i] = (listed_item) { .r = r, .l = &listed[i] };
	text_table(out, "  ", headers, cols, items, sizeof(*items), count, row);
	free(items);
}

static void text_list(FILE *out, report_list const *list)
{
	char start[PC_TIME_STRLEN];

	fprintf(out, "  %s: %zu phone%s, of %s %s", tx(list->file), list->phones->phone_count,
		list->phones->phone_count == 1 ? "" : "s",
		list->anchor ? "the cluster moving to" : "every", list->anchor ? tx(list->anchor) : "capf and lsc_ca section");
	for (size_t i = 0; i < list->cover_count; i++) fprintf(out, "%s%s", i ? ", " : "; from ", tx(list->covers[i]));
	fputc('\n', out);
	if (list->has_start) {
		pc_time_format(list->start, start, sizeof(start));
		fprintf(out, "    %-14s%s (%s)\n", "rotation:", start, tx(list->start_source));
	}
	fprintf(out, "    %-14s%lld seen since, %lld never seen, %lld last seen before, %lld waived\n", "phones:",
		list->seen, list->never_seen, list->before_rotation, list->waived);
	if (list->phones->skipped_count) {
		fprintf(out, "    %-14s", "not phones:");
		for (size_t i = 0; i < list->phones->skipped_count; i++) {
			fprintf(out, "%s%s %lu", i ? ", " : "", list->phones->skipped[i].prefix[0] ? list->phones->skipped[i].prefix :
				"other", list->phones->skipped[i].devices);
		}
		fputc('\n', out);
	}
}

static void text_problem(FILE *out, report_problem const *p)
{
	fprintf(out, "  %s[%lu]: %s: %s", tx(p->file), p->line, p->device[0] ? tx(p->device) : "(no device name)", p->problem);
	if (p->kind == PROBLEM_TWICE) fprintf(out, " (first: %s[%lu])", tx(p->first_file), p->first_line);
	fputc('\n', out);
}

/* The phone lists' sections (doc/cucm.md). */
static void text_lists(FILE *out, report const *r)
{
	static char const *const never_headers[] = { "DEVICE", "MAC", "DESCRIPTION", "DEVICE POOL", "MODEL", "LISTED AT" };
	static char const *const before_headers[] = { "DEVICE", "DESCRIPTION", "DEVICE POOL", "LAST SEEN", "ANCHOR",
						      "RESULT", "LISTED AT" };
	static char const *const waived_headers[] = { "DEVICE", "DESCRIPTION", "LAST SEEN", "ANCHOR", "LISTED AT", "WAIVER" };
	static char const *const unlisted_headers[] = { "DEVICE", "MAC", "MODEL", "ANCHOR", "LAST SEEN", "RESULT" };

	fprintf(out, "\nPhone lists (CUCM's phones; seen: a verified authentication since the rotation began)\n");
	for (size_t i = 0; i < r->list_count; i++) text_list(out, &r->lists[i]);
	if (r->waiver_file) {
		fprintf(out, "  waivers: %s: %zu phone%s\n", tx(r->waiver_file), r->waivers->phone_count,
			r->waivers->phone_count == 1 ? "" : "s");
	}
	fprintf(out, "\nListed phones never seen on 802.1X: %zu\n", r->never_seen_count);
	if (r->never_seen_count) listed_table(out, r, never_headers, 6, r->never_seen, r->never_seen_count, never_seen_row);
	fprintf(out, "\nListed phones last seen before the rotation began: %zu\n", r->before_rotation_count);
	if (r->before_rotation_count) {
		listed_table(out, r, before_headers, 7, r->before_rotation, r->before_rotation_count, before_rotation_row);
	}
	fprintf(out, "\nWaived phones (known to be retired): %zu\n", r->waived_count);
	if (r->waived_count) listed_table(out, r, waived_headers, 6, r->waived, r->waived_count, waived_row);
	fprintf(out, "\nPhones seen on 802.1X but in no list (a stale LSC, or a phone of another cluster): %zu\n",
		r->unlisted_count);
	if (r->unlisted_count) {
		text_table(out, "  ", unlisted_headers, 6, r->unlisted, sizeof(*r->unlisted), r->unlisted_count, unlisted_row);
	}
	fprintf(out, "\nRows of the lists to look at: %zu\n", r->problem_count);
	for (size_t i = 0; i < r->problem_count; i++) text_problem(out, &r->problems[i]);
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
	if (a->listed) fprintf(out, "    %-14s%lld not seen since the rotation began\n", "listed:", a->unseen);
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
	if (r->list_count) text_lists(out, r);

	fputc('\n', out);
	if (r->config_error[0]) {
		fprintf(out, "Result: no verdicts: the configuration could not be read\n");
	} else if (!r->retiring_count) {
		fprintf(out, "Result: no retiring anchor (no accept_until in the configuration)\n");
	} else if (!r->not_safe_count) {
		fprintf(out, "Result: every retiring anchor is safe to remove (%s)\n", report_all_listed(r) ?
			"every listed phone was seen since the rotation began" : "of the phones seen on 802.1X");
	} else {
		fprintf(out, "Result: NOT safe to remove:");
		for (size_t i = 0, n = 0; i < r->anchor_count; i++) {
			report_anchor const *a = &r->anchors[i];

			if (a->verdict != VERDICT_NOT_SAFE) continue;
			fprintf(out, "%s %s (%lld phone%s", n++ ? "," : "", tx(a->name), a->phones, a->phones == 1 ? "" : "s");
			if (a->unseen) fprintf(out, ", %lld listed not seen", a->unseen);
			if (a->unreadable) fprintf(out, ", %lld unreadable row%s", a->unreadable, a->unreadable == 1 ? "" : "s");
			fputc(')', out);
		}
		fputc('\n', out);
	}
	return ferror(out) ? -1 : 0;
}

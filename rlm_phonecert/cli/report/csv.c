/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * phonecert report as CSV: what gather.c gathered, formatted.
 */
#include "../output.h"
#include "report.h"

#include <stdio.h>
#include <string.h>

#include "../../core/timeutil.h"

/*
 *	CSV (RFC 4180): one table per section, each with a header line whose
 *	first column is "section", tables separated by an empty line.
 */

/*
 * A spreadsheet runs a cell starting with one of these as a formula
 * (=cmd|'/c calc'!A0). A leading tab or CR, the other two, is \x09 or \x0d
 * once escaped.
 */
static bool csv_formula(char const *value)
{
	return value[0] && strchr("=+-@", value[0]);
}

/* A cell: escaped as text, quoted when needed; a would-be formula quoted and prefixed with ', as spreadsheet users do. */
static void csv_field(FILE *out, char const *value, bool last)
{
	char escaped[TEXT_ESCAPED_LEN];
	bool formula;

	if (value) {
		value = text_escape(value, escaped, sizeof(escaped));
		formula = csv_formula(value);
		if (formula || strpbrk(value, ",\"")) {
			fputs(formula ? "\"'" : "\"", out);
			for (char const *p = value; *p; p++) {
				if (*p == '"') fputc('"', out);
				fputc(*p, out);
			}
			fputc('"', out);
		} else {
			fputs(value, out);
		}
	}
	fputs(last ? "\r\n" : ",", out);
}

/* Our own numbers (days_left may be negative): never taken for a formula. */
static void csv_int(FILE *out, long long value, bool last)
{
	fprintf(out, "%lld%s", value, last ? "\r\n" : ",");
}

static void csv_header(FILE *out, char const *header)
{
	fputs(header, out);
	fputs("\r\n", out);
}

static void csv_time(FILE *out, bool known, long long when, bool last)
{
	char buf[PC_TIME_STRLEN];

	if (known) pc_time_format((time_t)when, buf, sizeof(buf));
	csv_field(out, known ? buf : NULL, last);
}

int report_write_csv(FILE *out, report const *r)
{
	char day[32];

	csv_header(out, "section,anchor,kind,configured,retiring,accept_until,phones,last_used,safe_to_remove,verdict");
	for (size_t i = 0; i < r->anchor_count; i++) {
		report_anchor const *a = &r->anchors[i];

		if (a->used) report_day(a->last_day, day, sizeof(day));
		csv_field(out, "anchor", false);
		csv_field(out, a->name, false);
		csv_field(out, a->kind, false);
		csv_field(out, a->configured ? "true" : "false", false);
		csv_field(out, a->retiring ? "true" : "false", false);
		csv_field(out, a->accept_until, false);
		csv_int(out, a->phones, false);
		csv_field(out, a->used ? day : NULL, false);
		csv_field(out, a->verdict == VERDICT_NONE ? NULL : a->verdict == VERDICT_SAFE ? "true" : "false", false);
		csv_field(out, a->verdict == VERDICT_NONE ? NULL : a->verdict_text, true);
	}
	if (r->with_phones) {
		csv_header(out, "");
		csv_header(out, "section,anchor,device_name,mac,model,last_seen,last_result");
		for (size_t i = 0; i < r->anchor_count; i++) {
			for (size_t k = 0; k < r->anchors[i].list_count; k++) {
				report_phone const *p = &r->anchors[i].list[k];

				csv_field(out, "anchor_phone", false);
				csv_field(out, r->anchors[i].name, false);
				csv_field(out, p->device_name, false);
				csv_field(out, p->mac, false);
				csv_field(out, p->model, false);
				csv_time(out, p->has_last_seen, p->last_seen, false);
				csv_field(out, p->last_result, true);
			}
		}
	}
	csv_header(out, "");
	csv_header(out, "section,device_name,mac,model,anchor,not_after,last_seen,last_result");
	for (size_t i = 0; i < r->mic_only_count; i++) {
		report_phone const *p = &r->mic_only[i];

		csv_field(out, "mic_only", false);
		csv_field(out, p->device_name, false);
		csv_field(out, p->mac, false);
		csv_field(out, p->model, false);
		csv_field(out, p->anchor, false);
		csv_field(out, p->not_after, false);
		csv_time(out, p->has_last_seen, p->last_seen, false);
		csv_field(out, p->last_result, true);
	}
	csv_header(out, "");
	csv_header(out, "section,device_name,mac,model,not_after,days_left,expired,last_seen,last_result");
	for (size_t i = 0; i < r->mic_expiring_count; i++) {
		report_phone const *p = &r->mic_expiring[i];

		csv_field(out, "mic_expiring", false);
		csv_field(out, p->device_name, false);
		csv_field(out, p->mac, false);
		csv_field(out, p->model, false);
		csv_field(out, p->not_after, false);
		csv_int(out, p->days_left, false);
		csv_field(out, p->expired ? "true" : "false", false);
		csv_time(out, p->has_last_seen, p->last_seen, false);
		csv_field(out, p->last_result, true);
	}
	csv_header(out, "");
	csv_header(out, "section,reason,phones,verified");
	for (size_t i = 0; i < r->reason_count; i++) {
		csv_field(out, "rejected_24h", false);
		csv_field(out, r->reasons[i].reason, false);
		csv_int(out, r->reasons[i].phones, false);
		csv_field(out, r->reasons[i].verified ? "true" : "false", true);
	}
	if (r->with_phones) {
		csv_header(out, "");
		csv_header(out, "section,device_name,mac,verified,rejects,last_seen,reason");
		for (size_t i = 0; i < r->claim_count; i++) {
			csv_field(out, "unverified_claim", false);
			csv_field(out, r->claims[i].device_name, false);
			csv_field(out, r->claims[i].mac, false);
			csv_field(out, "false", false);
			csv_int(out, r->claims[i].rejects, false);
			csv_time(out, r->claims[i].has_last_seen, r->claims[i].last_seen, false);
			csv_field(out, r->claims[i].reason, true);
		}
	}
	return ferror(out) ? -1 : 0;
}

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

static void csv_listed_table(FILE *out, report const *r, char const *section, report_listed const *listed, size_t count)
{
	csv_header(out, "");
	csv_header(out, "section,device_name,mac,list,line,description,device_pool,model,last_seen,last_anchor,last_result,waiver");
	for (size_t i = 0; i < count; i++) {
		report_listed const *l = &listed[i];

		csv_field(out, section, false);
		csv_field(out, l->phone->device_name, false);
		csv_field(out, l->phone->mac, false);
		csv_field(out, r->lists[l->list].file, false);
		csv_int(out, (long long)l->phone->line, false);
		csv_field(out, l->phone->description, false);
		csv_field(out, l->phone->device_pool, false);
		csv_field(out, l->phone->model, false);
		csv_time(out, l->seen && l->last.has_last_seen, l->last.last_seen, false);
		csv_field(out, l->last.anchor, false);
		csv_field(out, l->last.last_result, false);
		csv_field(out, l->waiver == WAIVER_NONE ? NULL : report_waiver_words(l->waiver), true);
	}
}

static void csv_lists(FILE *out, report const *r)
{
	char start[PC_TIME_STRLEN], covers[1024];

	csv_header(out, "");
	csv_header(out, "section,file,anchor,covers,rotation_began,rotation_began_from,phones,seen,never_seen,"
		   "before_rotation,waived,unreadable_rows");
	for (size_t i = 0; i < r->list_count; i++) {
		report_list const *list = &r->lists[i];

		if (list->has_start) pc_time_format(list->start, start, sizeof(start));
		csv_field(out, "phone_list", false);
		csv_field(out, list->file, false);
		csv_field(out, list->anchor, false);
		csv_field(out, report_list_covers(list, covers, sizeof(covers)), false);
		csv_field(out, list->has_start ? start : NULL, false);
		csv_field(out, list->has_start ? list->start_source : NULL, false);
		csv_int(out, (long long)list->phones->phone_count, false);
		csv_int(out, list->seen, false);
		csv_int(out, list->never_seen, false);
		csv_int(out, list->before_rotation, false);
		csv_int(out, list->waived, false);
		csv_int(out, (long long)list->phones->invalid_count, true);
	}
	csv_header(out, "");
	csv_header(out, "section,file,prefix,devices");
	for (size_t i = 0; i < r->list_count; i++) {
		for (size_t k = 0; k < r->lists[i].phones->skipped_count; k++) {
			csv_field(out, "not_phones", false);
			csv_field(out, r->lists[i].file, false);
			csv_field(out, r->lists[i].phones->skipped[k].prefix, false);
			csv_int(out, (long long)r->lists[i].phones->skipped[k].devices, true);
		}
	}
	csv_listed_table(out, r, "never_seen", r->never_seen, r->never_seen_count);
	csv_listed_table(out, r, "before_rotation", r->before_rotation, r->before_rotation_count);
	csv_listed_table(out, r, "waived", r->waived, r->waived_count);
	csv_header(out, "");
	csv_header(out, "section,device_name,mac,model,anchor,last_seen,last_result");
	for (size_t i = 0; i < r->unlisted_count; i++) {
		report_phone const *p = &r->unlisted[i];

		csv_field(out, "unlisted", false);
		csv_field(out, p->device_name, false);
		csv_field(out, p->mac, false);
		csv_field(out, p->model, false);
		csv_field(out, p->anchor, false);
		csv_time(out, p->has_last_seen, p->last_seen, false);
		csv_field(out, p->last_result, true);
	}
	csv_header(out, "");
	csv_header(out, "section,file,line,device,problem,first_file,first_line");
	for (size_t i = 0; i < r->problem_count; i++) {
		report_problem const *p = &r->problems[i];

		csv_field(out, "list_problem", false);
		csv_field(out, p->file, false);
		csv_int(out, (long long)p->line, false);
		csv_field(out, p->device, false);
		csv_field(out, p->problem, false);
		csv_field(out, p->kind == PROBLEM_TWICE ? p->first_file : NULL, false);
		if (p->kind == PROBLEM_TWICE) csv_int(out, (long long)p->first_line, true);
		else csv_field(out, NULL, true);
	}
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
	if (r->list_count) csv_lists(out, r);
	return ferror(out) ? -1 : 0;
}

/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * phonecert report as JSON: what gather.c gathered, formatted.
 */
#include "../output.h"
#include "report.h"

#include <stdio.h>
#include <string.h>

#include "../../core/timeutil.h"

/*
 *	JSON
 */

static void json_time(json_writer *w, char const *key, bool known, long long when)
{
	char buf[PC_TIME_STRLEN];

	if (!known) {
		json_string(w, key, NULL);
		return;
	}
	pc_time_format((time_t)when, buf, sizeof(buf));
	json_string(w, key, buf);
}

static void json_phone(json_writer *w, report_phone const *p, bool expiring)
{
	json_object_begin(w, NULL);
	json_strings(w, "device_name", p->device_name, "mac", p->mac, "model", p->model, "anchor", p->anchor,
		     "not_after", p->not_after, NULL);
	if (expiring) {
		json_int(w, "days_left", p->days_left);
		json_bool(w, "expired", p->expired);
	}
	json_time(w, "last_seen", p->has_last_seen, p->last_seen);
	json_string(w, "last_result", p->last_result);
	json_object_end(w);
}

/* A listed phone: the list's columns, then what the inventory last knew of it (null: never seen). */
static void json_listed(json_writer *w, report const *r, report_listed const *l)
{
	pc_listed_phone const *p = l->phone;

	json_object_begin(w, NULL);
	json_strings(w, "device_name", p->device_name, "mac", p->mac, "list", r->lists[l->list].file, NULL);
	json_int(w, "line", (long long)p->line);
	json_strings(w, "description", p->description, "device_pool", p->device_pool, "model", p->model, NULL);
	json_time(w, "last_seen", l->seen && l->last.has_last_seen, l->last.last_seen);
	json_strings(w, "last_anchor", l->last.anchor, "last_result", l->last.last_result, "last_model", l->last.model, NULL);
	if (l->waiver != WAIVER_NONE) json_string(w, "waiver", report_waiver_words(l->waiver));
	json_object_end(w);
}

static void json_listed_array(json_writer *w, report const *r, char const *key, report_listed const *listed, size_t count)
{
	json_array_begin(w, key);
	for (size_t i = 0; i < count; i++) json_listed(w, r, &listed[i]);
	json_array_end(w);
}

static void json_list(json_writer *w, report_list const *list)
{
	char start[PC_TIME_STRLEN];

	json_object_begin(w, NULL);
	json_strings(w, "file", list->file, "anchor", list->anchor, NULL);
	json_array_begin(w, "covers");
	for (size_t i = 0; i < list->cover_count; i++) json_string(w, NULL, list->covers[i]);
	json_array_end(w);
	if (list->has_start) pc_time_format(list->start, start, sizeof(start));
	json_string(w, "rotation_began", list->has_start ? start : NULL);
	json_string(w, "rotation_began_from", list->has_start ? list->start_source : NULL);
	json_int(w, "phones", (long long)list->phones->phone_count);
	json_int(w, "seen", list->seen);
	json_int(w, "never_seen", list->never_seen);
	json_int(w, "before_rotation", list->before_rotation);
	json_int(w, "waived", list->waived);
	json_int(w, "unreadable_rows", (long long)list->phones->invalid_count);
	json_array_begin(w, "not_phones");
	for (size_t i = 0; i < list->phones->skipped_count; i++) {
		json_object_begin(w, NULL);
		json_string(w, "prefix", list->phones->skipped[i].prefix);
		json_int(w, "devices", (long long)list->phones->skipped[i].devices);
		json_object_end(w);
	}
	json_array_end(w);
	json_object_end(w);
}

/* The phone lists' sections (doc/cucm.md); null without a list. */
static void json_expected(json_writer *w, report const *r)
{
	if (!r->list_count) {
		json_string(w, "expected", NULL);
		return;
	}
	json_object_begin(w, "expected");
	json_array_begin(w, "lists");
	for (size_t i = 0; i < r->list_count; i++) json_list(w, &r->lists[i]);
	json_array_end(w);
	json_string(w, "waivers", r->waiver_file);
	json_listed_array(w, r, "never_seen", r->never_seen, r->never_seen_count);
	json_listed_array(w, r, "before_rotation", r->before_rotation, r->before_rotation_count);
	json_listed_array(w, r, "waived", r->waived, r->waived_count);
	json_array_begin(w, "unlisted");
	for (size_t i = 0; i < r->unlisted_count; i++) json_phone(w, &r->unlisted[i], false);
	json_array_end(w);
	json_array_begin(w, "problems");
	for (size_t i = 0; i < r->problem_count; i++) {
		report_problem const *p = &r->problems[i];

		json_object_begin(w, NULL);
		json_string(w, "file", p->file);
		json_int(w, "line", (long long)p->line);
		json_strings(w, "device", p->device, "problem", p->problem, "first_file",
			     p->kind == PROBLEM_TWICE ? p->first_file : NULL, NULL);
		if (p->kind == PROBLEM_TWICE) json_int(w, "first_line", (long long)p->first_line);
		else json_string(w, "first_line", NULL);
		json_object_end(w);
	}
	json_array_end(w);
	json_object_end(w);
}

static void json_anchor(json_writer *w, report const *r, report_anchor const *a)
{
	char day[32];

	json_object_begin(w, NULL);
	json_string(w, "name", a->name);
	json_string(w, "kind", a->kind);
	json_bool(w, "configured", a->configured);
	json_string(w, "accept_from", a->accept_from);
	json_string(w, "accept_until", a->accept_until);
	json_bool(w, "retiring", a->retiring);
	json_int(w, "phones", a->phones);
	if (a->used) {
		report_day(a->last_day, day, sizeof(day));
		json_string(w, "last_used", day);
		json_int(w, "last_used_day", a->last_day);
	} else {
		json_string(w, "last_used", NULL);
		json_string(w, "last_used_day", NULL);
	}
	if (a->verdict == VERDICT_NONE) json_string(w, "safe_to_remove", NULL);
	else json_bool(w, "safe_to_remove", a->verdict == VERDICT_SAFE);
	json_string(w, "verdict", a->verdict == VERDICT_NONE ? NULL : a->verdict_text);
	json_bool(w, "listed", a->listed);
	json_int(w, "listed_unseen", a->unseen);
	json_int(w, "listed_unreadable_rows", a->unreadable);
	if (r->with_phones) {
		json_array_begin(w, "phone_list");
		for (size_t i = 0; i < a->list_count; i++) json_phone(w, &a->list[i], false);
		json_array_end(w);
	}
	json_object_end(w);
}

int report_write_json(FILE *out, report const *r)
{
	json_writer w;
	char now[PC_TIME_STRLEN], horizon[PC_TIME_STRLEN], since[PC_TIME_STRLEN];

	pc_time_format(r->now, now, sizeof(now));
	pc_time_format(r->mic_horizon, horizon, sizeof(horizon));
	pc_time_format(r->now - REPORT_REJECT_SECONDS, since, sizeof(since));
	json_init(&w, out);
	json_object_begin(&w, NULL);
	json_string(&w, "now", now);
	json_string(&w, "database", r->database);
	json_string(&w, "config", r->config_dir);
	json_string(&w, "config_error", r->config_error[0] ? r->config_error : NULL);
	json_int(&w, "phones", r->phone_count);

	json_array_begin(&w, "anchors");
	for (size_t i = 0; i < r->anchor_count; i++) json_anchor(&w, r, &r->anchors[i]);
	json_array_end(&w);

	json_object_begin(&w, "mic_only");
	json_int(&w, "count", (long long)r->mic_only_count);
	json_array_begin(&w, "phones");
	for (size_t i = 0; i < r->mic_only_count; i++) json_phone(&w, &r->mic_only[i], false);
	json_array_end(&w);
	json_object_end(&w);

	json_object_begin(&w, "mic_expiring");
	json_int(&w, "days", REPORT_MIC_DAYS);
	json_string(&w, "before", horizon);
	json_int(&w, "count", (long long)r->mic_expiring_count);
	json_array_begin(&w, "phones");
	for (size_t i = 0; i < r->mic_expiring_count; i++) json_phone(&w, &r->mic_expiring[i], true);
	json_array_end(&w);
	json_object_end(&w);

	json_object_begin(&w, "rejected_24h");
	json_string(&w, "since", since);
	json_int(&w, "count", r->rejected);
	json_array_begin(&w, "reasons");
	for (size_t i = 0; i < r->reason_count; i++) {
		json_object_begin(&w, NULL);
		json_string(&w, "reason", r->reasons[i].reason);
		json_int(&w, "phones", r->reasons[i].phones);
		json_bool(&w, "verified", r->reasons[i].verified);
		json_object_end(&w);
	}
	json_array_end(&w);
	if (r->with_phones) {
		json_array_begin(&w, "unverified_claims");
		for (size_t i = 0; i < r->claim_count; i++) {
			json_object_begin(&w, NULL);
			json_string(&w, "device_name", r->claims[i].device_name);
			json_string(&w, "mac", r->claims[i].mac);
			json_bool(&w, "verified", false);
			json_int(&w, "rejects", r->claims[i].rejects);
			json_time(&w, "last_seen", r->claims[i].has_last_seen, r->claims[i].last_seen);
			json_string(&w, "reason", r->claims[i].reason);
			json_object_end(&w);
		}
		json_array_end(&w);
	}
	json_object_end(&w);

	json_expected(&w, r);

	json_object_begin(&w, "summary");
	json_int(&w, "retiring_anchors", (long long)r->retiring_count);
	json_int(&w, "not_safe", (long long)r->not_safe_count);
	if (r->config_error[0]) json_string(&w, "all_safe", NULL);
	else json_bool(&w, "all_safe", r->not_safe_count == 0);
	json_string(&w, "verdicts_count", report_all_listed(r) ? "listed phones" : "phones seen on 802.1X");
	json_object_end(&w);
	json_object_end(&w);
	return ferror(out) ? -1 : 0;
}

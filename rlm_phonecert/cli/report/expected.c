/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * phonecert report, the phone lists (doc/cucm.md): the phones CUCM knows
 * (its export, one list per cluster: core/phonelist.h) against the phones
 * the inventory has seen. A list only adds conditions to a retiring
 * anchor's verdict, which gather.c decides: besides no phone's latest
 * authentication using the anchor, every phone of a list that covers it
 * must have been seen since the rotation began, unless it is waived. Seen
 * is a verified authentication with a proven key, accepted or rejected:
 * what phonecert_phone holds (doc/security.md); unproven claims
 * (phonecert_unverified) never count.
 *
 * Scale: the inventory's phones are read once and sorted by MAC, and each
 * listed phone is found by binary search; the listed MACs, sorted, give the
 * devices listed twice. Time n log n, memory linear in the phones of the
 * lists and the inventory.
 */
#include "gather.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../core/timeutil.h"
#include "../output.h"

static char const sql_phones[] = "SELECT " REPORT_PHONE_COLUMNS " FROM phonecert_phone";

/* An inventory row, found by its MAC. */
typedef struct {
	char const *mac;
	size_t row;
} by_mac;

/* A listed phone, found by its MAC (the waivers; the devices listed twice). */
typedef struct {
	pc_listed_phone const *phone;
	size_t list;			/* index into report.lists */
	bool used;			/* a waiver: it waived a listed phone */
} listed_mac;

typedef struct {
	report *r;
	db_table inventory;		/* REPORT_PHONE_COLUMNS of every phone */
	by_mac *rows;			/* sorted by MAC */
	bool *in_a_list;		/* per inventory row */
	listed_mac *waivers;		/* sorted by MAC */
	size_t waiver_count;
} matcher;

static int compare_by_mac(void const *a, void const *b)
{
	return report_compare_text(((by_mac const *)a)->mac, ((by_mac const *)b)->mac);
}

/* By MAC, then list, then line: the first of equal MACs is where the device is listed first. */
static int compare_listed_macs(void const *a, void const *b)
{
	listed_mac const *x = a, *y = b;
	int c = strcmp(x->phone->mac, y->phone->mac);

	if (c) return c;
	if (x->list != y->list) return x->list < y->list ? -1 : 1;
	return (x->phone->line > y->phone->line) - (x->phone->line < y->phone->line);
}

/* The text for stderr: a file name or a message quoting one, escaped as every output is. */
static char const *shown(char const *text)
{
	static char buf[2][TEXT_ESCAPED_LEN];
	static int next;

	return text_escape(text, buf[next++ % 2], sizeof(buf[0]));
}

static pc_phonelist *read_list(char const *file)
{
	char err[1024];
	FILE *in = fopen(file, "r");
	pc_phonelist *list;

	if (!in) {
		fprintf(stderr, "phonecert report: cannot read the phone list %s: %m\n", shown(file));
		return NULL;
	}
	list = pc_phonelist_read(in, file, err, sizeof(err));
	fclose(in);
	if (!list) fprintf(stderr, "phonecert report: phone list %s\n", shown(err));
	return list;
}

/*
 *	Each list: which verdicts it adds to, and since when
 */

/* name is one of the names, separated by blanks. */
static bool among(char const *names, char const *name)
{
	size_t n = strlen(name);

	for (char const *p = names; (p = strstr(p, name)); p += n) {
		if ((p == names || p[-1] == ' ' || p[-1] == '\t') && (p[n] == '\0' || p[n] == ' ' || p[n] == '\t')) return true;
	}
	return false;
}

/* The configuration's retiring = for a list of that anchor given on the command line: "unless the configuration says otherwise". */
static char const *configured_retiring(pc_expected_config const *config, char const *anchor)
{
	for (size_t i = 0; config && anchor && i < config->list_count; i++) {
		if (config->lists[i].anchor && strcmp(config->lists[i].anchor, anchor) == 0) return config->lists[i].retiring;
	}
	return NULL;
}

static bool lsc_section(report_anchor const *a)
{
	return a->configured && a->issues_lsc;
}

/* The list's anchor is a current capf or lsc_ca section; its covers, the retiring ones its phones come from. */
static int resolve_anchors(report *r, report_list *list, char const *retiring)
{
	report_anchor const *own = list->anchor ? report_find_anchor(r, list->anchor) : NULL;

	if (list->anchor && (!own || !lsc_section(own))) {
		fprintf(stderr, "phonecert report: phone list %s: the configuration has no capf or lsc_ca section %s (name "
			"the one its phones move to, or no section: --expected FILE)\n", shown(list->file), shown(list->anchor));
		return -1;
	}
	if (own && own->retiring) {
		fprintf(stderr, "phonecert report: phone list %s: %s is retiring (accept_until): name the section its "
			"phones move to\n", shown(list->file), shown(list->anchor));
		return -1;
	}
	list->covers = calloc(r->anchor_count + 1, sizeof(*list->covers));
	if (!list->covers) return report_out_of_memory();
	for (size_t i = 0; i < r->anchor_count; i++) {
		report_anchor const *a = &r->anchors[i];

		if (!lsc_section(a) || !a->retiring || a == own || (retiring && !among(retiring, a->name))) continue;
		list->covers[list->cover_count++] = a->name;
	}
	return 0;
}

/* The current section of a list of every section: the only capf or lsc_ca section that is not retiring. */
static report_anchor const *only_current(report *r)
{
	report_anchor const *current = NULL;

	for (size_t i = 0; i < r->anchor_count; i++) {
		if (!lsc_section(&r->anchors[i]) || r->anchors[i].retiring) continue;
		if (current) return NULL;
		current = &r->anchors[i];
	}
	return current;
}

/* When the rotation began: --since (or since of expected_phones), else the new section's accept_from. */
static int rotation_start(report *r, report_list *list, char const *since, char const *since_source)
{
	report_anchor const *current = list->anchor ? report_find_anchor(r, list->anchor) : only_current(r);

	if (since) {
		list->has_start = pc_time_parse(since, &list->start);
		snprintf(list->start_source, sizeof(list->start_source), "%s", since_source);
	} else if (current && current->accept_from) {
		list->has_start = pc_time_parse(current->accept_from, &list->start);
		snprintf(list->start_source, sizeof(list->start_source), "accept_from of %s %s", current->kind, current->name);
	}
	if (list->has_start || !list->cover_count) return 0;
	fprintf(stderr, "phonecert report: phone list %s: when did the rotation begin? %s%s%s has no accept_from: give "
		"--since TIME (the day the new CAPF was made), or since in expected_phones; the report does not guess\n",
		shown(list->file), current ? current->kind : "no single current capf section", current ? " " : "",
		current ? shown(current->name) : "");
	return -1;
}

/*
 *	Listed phones against the inventory
 */

static int load_inventory(matcher *m, inventory_db *db)
{
	if (report_query(db, sql_phones, NULL, 0, &m->inventory) < 0) return -1;
	m->rows = calloc(m->inventory.rows + 1, sizeof(*m->rows));
	m->in_a_list = calloc(m->inventory.rows + 1, sizeof(*m->in_a_list));
	if (!m->rows || !m->in_a_list) return report_out_of_memory();
	for (size_t row = 0; row < m->inventory.rows; row++) {
		m->rows[row] = (by_mac) { .mac = db_cell(&m->inventory, row, COL_MAC), .row = row };
	}
	qsort(m->rows, m->inventory.rows, sizeof(*m->rows), compare_by_mac);
	return 0;
}

/* The inventory row of mac, or -1. */
static long inventory_row(matcher const *m, char const *mac)
{
	by_mac key = { .mac = mac };
	by_mac const *found = bsearch(&key, m->rows, m->inventory.rows, sizeof(*m->rows), compare_by_mac);

	return found ? (long)found->row : -1;
}

/* The first waiver of mac, or NULL. */
static listed_mac *waiver_of(matcher *m, char const *mac)
{
	size_t low = 0, high = m->waiver_count;

	while (low < high) {
		size_t middle = low + (high - low) / 2;

		if (strcmp(m->waivers[middle].phone->mac, mac) < 0) low = middle + 1;
		else high = middle;
	}
	return low < m->waiver_count && strcmp(m->waivers[low].phone->mac, mac) == 0 ? &m->waivers[low] : NULL;
}

static int load_waivers(matcher *m, report *r, char const *file)
{
	if (!file) return 0;
	r->waiver_file = file;
	if (!(r->waivers = read_list(file))) return -1;
	m->waivers = calloc(r->waivers->phone_count + 1, sizeof(*m->waivers));
	if (!m->waivers) return report_out_of_memory();
	for (size_t i = 0; i < r->waivers->phone_count; i++) m->waivers[i] = (listed_mac) { .phone = &r->waivers->phones[i] };
	m->waiver_count = r->waivers->phone_count;
	qsort(m->waivers, m->waiver_count, sizeof(*m->waivers), compare_listed_macs);
	return 0;
}

static int add_listed(report_listed **array, size_t *count, report_listed const *entry)
{
	report_listed *grown;

	if ((*count & (*count - 1)) == 0) {	/* 0, 1, 2, 4...: full */
		if (!(grown = realloc(*array, (*count ? *count * 2 : 1) * sizeof(*grown)))) return report_out_of_memory();
		*array = grown;
	}
	(*array)[(*count)++] = *entry;
	return 0;
}

/* A waived phone seen since the rotation began: on a retiring anchor of the list's, it is in use. */
static report_waiver waiver_for(report_list const *list, report_phone const *last, bool seen_since)
{
	if (!seen_since) return WAIVER_WAIVED;
	for (size_t i = 0; last->anchor && i < list->cover_count; i++) {
		if (strcmp(last->anchor, list->covers[i]) == 0) return WAIVER_IN_USE;
	}
	return WAIVER_NOT_NEEDED;
}

/* Seen since the rotation began; without a start (a list that covers no retiring anchor), any sighting is one. */
static bool seen_since_start(matcher const *m, report_list const *list, long row)
{
	long long last_seen;

	if (row < 0) return false;
	if (!list->has_start) return true;
	return db_cell_int(&m->inventory, (size_t)row, COL_LAST_SEEN, &last_seen) && last_seen >= (long long)list->start;
}

static int match_phone(matcher *m, size_t list_index, pc_listed_phone const *phone)
{
	report *r = m->r;
	report_list *list = &r->lists[list_index];
	long row = inventory_row(m, phone->mac);
	listed_mac *waiver = waiver_of(m, phone->mac);
	bool seen_since = seen_since_start(m, list, row);
	report_listed entry = { .phone = phone, .list = list_index, .seen = row >= 0 };

	if (row >= 0) m->in_a_list[row] = true;
	if (seen_since && !waiver) {
		list->seen++;
		return 0;
	}
	/* Listed below: with what the inventory last knew of it. */
	if (row >= 0 && report_phone_from_row(&m->inventory, (size_t)row, &entry.last) < 0) return report_out_of_memory();
	if (waiver) {
		waiver->used = true;
		entry.waiver = waiver_for(list, &entry.last, seen_since);
		if (entry.waiver == WAIVER_WAIVED) list->waived++;
		else list->seen++;
		return add_listed(&r->waived, &r->waived_count, &entry);
	}
	if (!entry.seen) {
		list->never_seen++;
		return add_listed(&r->never_seen, &r->never_seen_count, &entry);
	}
	list->before_rotation++;
	return add_listed(&r->before_rotation, &r->before_rotation_count, &entry);
}

static int match_list(matcher *m, size_t list_index, inventory_db *db)
{
	report_list *list = &m->r->lists[list_index];
	pc_phonelist const *phones = list->phones;
	size_t ever_seen = 0;

	if (!phones->phone_count) {
		fprintf(stderr, "phonecert report: phone list %s lists no phone (%lu devices that are no phone, %zu rows that "
			"could not be read): an empty list proves nothing\n", shown(list->file),
			pc_phonelist_skipped_total(phones), phones->invalid_count);
		return -1;
	}
	for (size_t i = 0; i < phones->phone_count; i++) {
		if (match_phone(m, list_index, &phones->phones[i]) < 0) return -1;
		ever_seen += inventory_row(m, phones->phones[i].mac) >= 0;
	}
	if (ever_seen) return 0;
	fprintf(stderr, "phonecert report: phone list %s: none of its %zu phones was ever seen on 802.1X (no verified "
		"authentication in %s): is it this cluster's export, and this cluster's inventory?\n", shown(list->file),
		phones->phone_count, shown(db_description(db)));
	return -1;
}

/*
 *	What the lists say besides: rows worth a look, phones in no list
 */

static int add_problem(report *r, report_problem const *problem)
{
	report_problem *grown = realloc(r->problems, (r->problem_count + 1) * sizeof(*grown));

	if (!grown) return report_out_of_memory();
	r->problems = grown;
	r->problems[r->problem_count++] = *problem;
	return 0;
}

static int unreadable_rows(report *r, char const *file, pc_phonelist const *phones)
{
	for (size_t i = 0; i < phones->invalid_count; i++) {
		report_problem problem = { .kind = PROBLEM_UNREADABLE, .file = file, .line = phones->invalid[i].line,
					   .device = phones->invalid[i].device, .problem = phones->invalid[i].problem };

		if (add_problem(r, &problem) < 0) return -1;
	}
	return 0;
}

/* A device in two lists (or twice in one): both places. */
static int listed_twice(report *r)
{
	size_t total = 0, n = 0;
	listed_mac *all;
	int rc = 0;

	for (size_t i = 0; i < r->list_count; i++) total += r->lists[i].phones->phone_count;
	if (!(all = calloc(total + 1, sizeof(*all)))) return report_out_of_memory();
	for (size_t i = 0; i < r->list_count; i++) {
		for (size_t k = 0; k < r->lists[i].phones->phone_count; k++) {
			all[n++] = (listed_mac) { .phone = &r->lists[i].phones->phones[k], .list = i };
		}
	}
	qsort(all, n, sizeof(*all), compare_listed_macs);
	for (size_t i = 1, first = 0; rc == 0 && i < n; i++) {
		report_problem problem;

		if (strcmp(all[i].phone->mac, all[first].phone->mac) != 0) {
			first = i;
			continue;
		}
		problem = (report_problem) { .kind = PROBLEM_TWICE, .file = r->lists[all[i].list].file,
					     .line = all[i].phone->line, .device = all[i].phone->device_name,
					     .problem = all[i].list == all[first].list ? "listed twice in the list" :
											 "listed in two lists",
					     .first_file = r->lists[all[first].list].file, .first_line = all[first].phone->line };
		rc = add_problem(r, &problem);
	}
	free(all);
	return rc;
}

static int unused_waivers(report *r, matcher const *m)
{
	for (size_t i = 0; i < m->waiver_count; i++) {
		report_problem problem = { .kind = PROBLEM_WAIVED_UNLISTED, .file = r->waiver_file,
					   .line = m->waivers[i].phone->line, .device = m->waivers[i].phone->device_name,
					   .problem = "waived, but in no phone list" };

		if (!m->waivers[i].used && add_problem(r, &problem) < 0) return -1;
	}
	return 0;
}

static int unlisted_phones(report *r, matcher const *m)
{
	r->unlisted = calloc(m->inventory.rows + 1, sizeof(*r->unlisted));
	if (!r->unlisted) return report_out_of_memory();
	for (size_t row = 0; row < m->inventory.rows; row++) {
		if (m->in_a_list[row]) continue;
		if (report_phone_from_row(&m->inventory, row, &r->unlisted[r->unlisted_count]) < 0) return report_out_of_memory();
		r->unlisted_count++;
	}
	qsort(r->unlisted, r->unlisted_count, sizeof(*r->unlisted), report_compare_phones);
	return 0;
}

static int compare_listed(void const *a, void const *b)
{
	report_listed const *x = a, *y = b;
	int c = strcmp(x->phone->device_name, y->phone->device_name);

	if (c) return c;
	return (x->list > y->list) - (x->list < y->list);
}

static bool covers(report_list const *list, char const *anchor)
{
	for (size_t i = 0; i < list->cover_count; i++) {
		if (strcmp(list->covers[i], anchor) == 0) return true;
	}
	return false;
}

bool report_listed_counts_for(report const *r, report_listed const *listed, size_t i, report_anchor const *a)
{
	if (!covers(&r->lists[listed[i].list], a->name)) return false;
	/* Sorted by device: the same phone in two lists that cover a counts once. */
	for (size_t k = i; k-- > 0 && strcmp(listed[k].phone->device_name, listed[i].phone->device_name) == 0;) {
		if (covers(&r->lists[listed[k].list], a->name)) return false;
	}
	return true;
}

/* What the verdicts of the anchors the lists cover add up: each phone once. */
static void count_for_anchors(report *r)
{
	for (size_t i = 0; i < r->anchor_count; i++) {
		report_anchor *a = &r->anchors[i];

		for (size_t k = 0; k < r->list_count; k++) {
			if (!covers(&r->lists[k], a->name)) continue;
			a->listed = true;
			a->unreadable += (long long)r->lists[k].phones->invalid_count;
		}
		for (size_t k = 0; a->listed && k < r->never_seen_count; k++) {
			a->unseen += report_listed_counts_for(r, r->never_seen, k, a);
		}
		for (size_t k = 0; a->listed && k < r->before_rotation_count; k++) {
			a->unseen += report_listed_counts_for(r, r->before_rotation, k, a);
		}
	}
}

/* given: the command line's lists, or (from_config) the configuration's. */
static int set_up_lists(report *r, pc_list_config const *given, size_t count, bool from_config,
			pc_expected_config const *config, char const *since, char const *since_source)
{
	if (!(r->lists = calloc(count, sizeof(*r->lists)))) return report_out_of_memory();
	r->list_count = count;
	for (size_t i = 0; i < count; i++) {
		report_list *list = &r->lists[i];
		char const *retiring = from_config ? given[i].retiring : configured_retiring(config, given[i].anchor);

		list->file = given[i].file;
		list->anchor = given[i].anchor;
		/* Without the configuration there is no verdict to add to. */
		if (!r->config_error[0] &&
		    (resolve_anchors(r, list, retiring) < 0 || rotation_start(r, list, since, since_source) < 0)) return -1;
		if (!(list->phones = read_list(list->file))) return -1;
	}
	return 0;
}

int report_expected_gather(report *r, report_options const *options, raddb_phonecert const *phonecert,
			   inventory_db *db)
{
	pc_expected_config const *config = phonecert ? &phonecert->expected : NULL;
	pc_list_config const *given = options->list_count ? options->lists : config ? config->lists : NULL;
	size_t count = options->list_count ? options->list_count : config ? config->list_count : 0;
	char const *since = options->since ? options->since : config ? config->since : NULL;
	matcher m = { .r = r };
	int rc = -1;

	if (!count) return 0;
	if (set_up_lists(r, given, count, !options->list_count, config, since,
			 options->since ? "option --since" : "since in expected_phones") < 0 ||
	    load_waivers(&m, r, options->waivers ? options->waivers : config ? config->waivers : NULL) < 0 ||
	    load_inventory(&m, db) < 0) goto done;
	for (size_t i = 0; i < r->list_count; i++) {
		if (match_list(&m, i, db) < 0 || unreadable_rows(r, r->lists[i].file, r->lists[i].phones) < 0) goto done;
	}
	if (listed_twice(r) < 0 || (r->waivers && unreadable_rows(r, r->waiver_file, r->waivers) < 0) ||
	    unused_waivers(r, &m) < 0 || unlisted_phones(r, &m) < 0) goto done;
	qsort(r->never_seen, r->never_seen_count, sizeof(*r->never_seen), compare_listed);
	qsort(r->before_rotation, r->before_rotation_count, sizeof(*r->before_rotation), compare_listed);
	qsort(r->waived, r->waived_count, sizeof(*r->waived), compare_listed);
	count_for_anchors(r);
	rc = 0;
done:
	db_table_free(&m.inventory);
	free(m.rows);
	free(m.in_a_list);
	free(m.waivers);
	return rc;
}

static void free_listed(report_listed *listed, size_t count)
{
	for (size_t i = 0; i < count; i++) report_phone_free(&listed[i].last);
	free(listed);
}

void report_expected_free(report *r)
{
	for (size_t i = 0; i < r->list_count; i++) {
		free(r->lists[i].covers);
		pc_phonelist_free(r->lists[i].phones);
	}
	free(r->lists);
	pc_phonelist_free(r->waivers);
	free_listed(r->never_seen, r->never_seen_count);
	free_listed(r->before_rotation, r->before_rotation_count);
	free_listed(r->waived, r->waived_count);
	report_phones_free(r->unlisted, r->unlisted_count);
	free(r->problems);
}

char const *report_waiver_words(report_waiver waiver)
{
	switch (waiver) {
	case WAIVER_WAIVED: return "waived";
	case WAIVER_IN_USE: return "refused: its latest authentication, since the rotation began, used a retiring anchor";
	case WAIVER_NOT_NEEDED: return "not needed: seen since the rotation began";
	case WAIVER_NONE: break;
	}
	return "-";
}

void report_listed_where(report const *r, report_listed const *listed, char *buf, size_t len)
{
	snprintf(buf, len, "%s[%lu]", r->lists[listed->list].file, listed->phone->line);
}

bool report_all_listed(report const *r)
{
	for (size_t i = 0; i < r->anchor_count; i++) {
		if (r->anchors[i].verdict != VERDICT_NONE && !r->anchors[i].listed) return false;
	}
	return r->list_count > 0;
}

char const *report_list_covers(report_list const *list, char *buf, size_t len)
{
	if (len) buf[0] = '\0';
	for (size_t i = 0; i < list->cover_count && strlen(buf) + 1 < len; i++) {
		snprintf(buf + strlen(buf), len - strlen(buf), "%s%s", i ? " " : "", list->covers[i]);
	}
	return buf;
}

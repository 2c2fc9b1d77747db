/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * phonecert report, gathering: is it safe to remove the old CAPF? The phone inventory
 * that FreeRADIUS' rlm_sql writes on every phone authentication
 * (phonecert_phone: the latest state per MAC; phonecert_phone_day:
 * authentications per Unix day, MAC, anchor and result, kept for a while;
 * phonecert_phone_anchor: per MAC and anchor the last day of the days
 * pruned from it), read against the anchors of the phonecert configuration:
 *
 *   1. per anchor: the phones whose latest authentication used it, the last
 *      day any phone used it, and for a retiring anchor (accept_until) the
 *      verdict: safe to remove when no phone's latest anchor is it;
 *   2. MIC-only phones (latest certificate a MIC, never seen with an LSC) and
 *      MICs expiring within 180 days;
 *   3. phones rejected in the last 24 hours, by reason: those whose
 *      certificate an anchor verified, and (phonecert_unverified) the MACs
 *      that certificates no anchor verified claimed.
 *
 * phonecert_phone holds only what verified certificates said, so a
 * stranger's certificate with a phone's CN never moves that phone off an
 * anchor: the verdicts are computed from verified authentications only.
 *
 * The SQL is the same text for SQLite and PostgreSQL; orderings that depend
 * on a database's collation are done here, so both give the same report.
 * The renderers (text.c, json.c, csv.c, prometheus.c, html.c) only format
 * what this file gathered.
 */
#include "../inventory/db.h"
#include "../raddb.h"
#include "report.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../core/timeutil.h"

#define SECONDS_PER_DAY 86400


/*
 * The queries: the same text for both databases ($N: parameters).
 *
 * Which anchors each phone used, and when last, is what retention keeps of
 * the days it deletes (phonecert_phone_anchor, written before the days go,
 * queries-prune.conf), together with the days not pruned yet: USED_DAYS,
 * read by the verdicts. Only the daily chart reads the days alone.
 */
#define USED_DAYS \
	"(SELECT mac, anchor, last_day AS day FROM phonecert_phone_anchor " \
	"UNION ALL SELECT mac, anchor, day FROM phonecert_phone_day WHERE anchor <> '') used"
static char const sql_phone_count[] = "SELECT count(*) FROM phonecert_phone";
static char const sql_day_count[] = "SELECT count(*) FROM phonecert_phone_day";
static char const sql_unverified_count[] = "SELECT count(*) FROM phonecert_unverified";
static char const sql_anchor_names[] =
	"SELECT anchor FROM phonecert_phone WHERE anchor IS NOT NULL AND anchor <> '' "
	"UNION SELECT anchor FROM " USED_DAYS;
static char const sql_anchor_phones[] =
	"SELECT anchor, count(*) FROM phonecert_phone WHERE anchor IS NOT NULL AND anchor <> '' GROUP BY anchor";
static char const sql_anchor_last_day[] = "SELECT anchor, max(day) FROM " USED_DAYS " GROUP BY anchor";
static char const sql_anchor_phone_list[] =
	"SELECT device_name, mac, model, anchor, not_after, last_seen, last_result "
	"FROM phonecert_phone WHERE anchor = $1";
static char const sql_mic_phones[] =
	"SELECT device_name, mac, model, anchor, not_after, last_seen, last_result "
	"FROM phonecert_phone WHERE cert_type = 'MIC'";
/* The anchors each of those phones was ever seen with: an LSC one makes it not MIC-only. */
static char const sql_mic_phone_anchors[] =
	"SELECT DISTINCT used.mac, used.anchor FROM " USED_DAYS " "
	"JOIN phonecert_phone p ON p.mac = used.mac WHERE p.cert_type = 'MIC'";
static char const sql_rejected[] =
	"SELECT last_reason, count(*) FROM phonecert_phone "
	"WHERE last_result = 'reject' AND last_seen > $1 AND last_seen <= $2 GROUP BY last_reason";
static char const sql_rejected_unverified[] =
	"SELECT last_reason, count(*) FROM phonecert_unverified "
	"WHERE last_seen > $1 AND last_seen <= $2 GROUP BY last_reason";
static char const sql_unverified_claims[] =
	"SELECT device_name, mac, last_reason, rejects, last_seen FROM phonecert_unverified "
	"WHERE last_seen > $1 AND last_seen <= $2";
static char const sql_daily[] =
	"SELECT day, anchor, count(DISTINCT mac) FROM phonecert_phone_day WHERE anchor <> '' GROUP BY day, anchor";

/* The columns of sql_anchor_phone_list and sql_mic_phones. */
enum { COL_DEVICE, COL_MAC, COL_MODEL, COL_ANCHOR, COL_NOT_AFTER, COL_LAST_SEEN, COL_LAST_RESULT };

struct report_source {
	report_options const *options;
	inventory_db *db;
	raddb *raddb;
	raddb_phonecert const *phonecert;	/* NULL: the configuration could not be read */
	report r;
	char err[1024];
};
typedef struct report_source reporter;

/*
 *	Helpers
 */

/* Days beyond year 9999 (or before year 0) are no dates: the database holds nonsense there. */
#define MAX_DAY 2932896LL

void report_day(long long day, char *buf, size_t len)
{
	time_t when = (time_t)((day > MAX_DAY || day < -MAX_DAY ? 0 : day) * SECONDS_PER_DAY);
	struct tm tm;

	if (day <= MAX_DAY && day >= -719528 && gmtime_r(&when, &tm)) strftime(buf, len, "%Y-%m-%d", &tm);
	else snprintf(buf, len, "day %lld", day);
}

static char *copy(char const *text)
{
	return text ? strdup(text) : NULL;
}

/* strcmp, with NULL first. */
static int compare_text(char const *a, char const *b)
{
	if (!a || !b) return (a != NULL) - (b != NULL);
	return strcmp(a, b);
}

static void free_phone(report_phone *p)
{
	free(p->device_name);
	free(p->mac);
	free(p->model);
	free(p->anchor);
	free(p->not_after);
	free(p->last_result);
}

static void free_phones(report_phone *phones, size_t count)
{
	for (size_t i = 0; i < count; i++) free_phone(&phones[i]);
	free(phones);
}

static void report_free(report *r)
{
	for (size_t i = 0; i < r->anchor_count; i++) {
		free(r->anchors[i].name);
		free_phones(r->anchors[i].list, r->anchors[i].list_count);
	}
	free(r->anchors);
	free_phones(r->mic_only, r->mic_only_count);
	free_phones(r->mic_expiring, r->mic_expiring_count);
	for (size_t i = 0; i < r->reason_count; i++) free(r->reasons[i].reason);
	free(r->reasons);
	for (size_t i = 0; i < r->claim_count; i++) {
		free(r->claims[i].device_name);
		free(r->claims[i].mac);
		free(r->claims[i].reason);
	}
	free(r->claims);
	free(r->points);
}

static int out_of_memory(void)
{
	fprintf(stderr, "phonecert report: out of memory\n");
	return -1;
}

/* A query that must work: on failure, the database error on stderr. */
static int query(reporter *rp, char const *sql, db_param const *params, size_t count, db_table *out)
{
	if (db_query(rp->db, sql, params, count, out, rp->err, sizeof(rp->err)) == 0) return 0;
	fprintf(stderr, "phonecert report: %s: %s\n", db_description(rp->db), rp->err);
	return -1;
}

/* A phonecert_phone row (the columns of sql_anchor_phone_list) as a report_phone. */
static int phone_from_row(db_table const *t, size_t row, report_phone *p)
{
	*p = (report_phone) { 0 };
	p->has_last_seen = db_cell_int(t, row, COL_LAST_SEEN, &p->last_seen);
	if ((db_cell(t, row, COL_DEVICE) && !(p->device_name = copy(db_cell(t, row, COL_DEVICE)))) ||
	    (db_cell(t, row, COL_MAC) && !(p->mac = copy(db_cell(t, row, COL_MAC)))) ||
	    (db_cell(t, row, COL_MODEL) && !(p->model = copy(db_cell(t, row, COL_MODEL)))) ||
	    (db_cell(t, row, COL_ANCHOR) && !(p->anchor = copy(db_cell(t, row, COL_ANCHOR)))) ||
	    (db_cell(t, row, COL_NOT_AFTER) && !(p->not_after = copy(db_cell(t, row, COL_NOT_AFTER)))) ||
	    (db_cell(t, row, COL_LAST_RESULT) && !(p->last_result = copy(db_cell(t, row, COL_LAST_RESULT))))) {
		free_phone(p);
		return -1;
	}
	return 0;
}

static int compare_phones(void const *a, void const *b)
{
	report_phone const *x = a, *y = b;
	int c = compare_text(x->device_name, y->device_name);

	return c ? c : compare_text(x->mac, y->mac);
}

/*
 *	The configuration: which anchors exist, of which kind, and which retire
 */

static void read_config(reporter *rp)
{
	report *r = &rp->r;

	r->config_dir = rp->options->common.raddb_dir;
	rp->raddb = raddb_open(rp->options->common.raddb_dir, rp->err, sizeof(rp->err));
	if (rp->raddb && raddb_read_phonecert(rp->raddb, rp->options->common.instance, &rp->phonecert, rp->err, sizeof(rp->err)) == 0) return;
	rp->phonecert = NULL;
	snprintf(r->config_error, sizeof(r->config_error), "%s", rp->err);
	fprintf(stderr, "phonecert report: cannot read the phonecert configuration: %s\n", rp->err);
	fprintf(stderr, "phonecert report: without it no anchor's window is known: no verdicts (exit 2)\n");
}

static report_anchor *find_anchor(report *r, char const *name)
{
	for (size_t i = 0; i < r->anchor_count; i++) {
		if (strcmp(r->anchors[i].name, name) == 0) return &r->anchors[i];
	}
	return NULL;
}

static report_anchor *add_anchor(report *r, char const *name)
{
	report_anchor *grown = realloc(r->anchors, (r->anchor_count + 1) * sizeof(*grown));
	report_anchor *a;

	if (!grown) return NULL;
	r->anchors = grown;
	a = &r->anchors[r->anchor_count];
	*a = (report_anchor) { .name = strdup(name) };
	if (!a->name) return NULL;
	/* Until the configuration says otherwise: only the manufacturing section is named "manufacturing". */
	if (strcmp(name, "manufacturing") == 0) a->kind = "manufacturing";
	a->issues_lsc = strcmp(name, "manufacturing") != 0;
	r->anchor_count++;
	return a;
}

static int compare_anchor_names(void const *a, void const *b)
{
	return strcmp(((report_anchor const *)a)->name, ((report_anchor const *)b)->name);
}

/* Every anchor of the configuration, in its order, then those only the database names, by name. */
static int collect_anchors(reporter *rp)
{
	report *r = &rp->r;
	size_t configured;
	db_table names;

	for (size_t i = 0; rp->phonecert && i < rp->phonecert->anchor_count; i++) {
		pc_anchor_config const *config = &rp->phonecert->anchors[i];
		report_anchor *a;

		if (!config->name || find_anchor(r, config->name)) continue;
		if (!(a = add_anchor(r, config->name))) return out_of_memory();
		a->configured = true;
		a->kind = pc_anchor_kind_name(config->kind);
		a->issues_lsc = config->kind != PC_ANCHOR_MANUFACTURING;
		a->accept_from = config->accept_from;
		a->accept_until = config->accept_until;
		a->retiring = config->accept_until != NULL;
	}
	configured = r->anchor_count;
	if (query(rp, sql_anchor_names, NULL, 0, &names) < 0) return -1;
	for (size_t row = 0; row < names.rows; row++) {
		char const *name = db_cell(&names, row, 0);

		if (!name || find_anchor(r, name)) continue;
		if (!add_anchor(r, name)) {
			db_table_free(&names);
			return out_of_memory();
		}
	}
	db_table_free(&names);
	qsort(r->anchors + configured, r->anchor_count - configured, sizeof(*r->anchors), compare_anchor_names);
	return 0;
}

/*
 *	1. Per anchor: phones, last use, verdict
 */

static int anchor_usage(reporter *rp)
{
	report *r = &rp->r;
	db_table phones, days;

	if (query(rp, sql_anchor_phones, NULL, 0, &phones) < 0) return -1;
	for (size_t row = 0; row < phones.rows; row++) {
		report_anchor *a = db_cell(&phones, row, 0) ? find_anchor(r, db_cell(&phones, row, 0)) : NULL;

		if (a) db_cell_int(&phones, row, 1, &a->phones);
	}
	db_table_free(&phones);
	if (query(rp, sql_anchor_last_day, NULL, 0, &days) < 0) return -1;
	for (size_t row = 0; row < days.rows; row++) {
		report_anchor *a = db_cell(&days, row, 0) ? find_anchor(r, db_cell(&days, row, 0)) : NULL;

		if (a) a->used = db_cell_int(&days, row, 1, &a->last_day);
	}
	db_table_free(&days);
	return 0;
}

static int anchor_phone_list(reporter *rp, report_anchor *a)
{
	db_param const param[] = { DB_TEXT(a->name) };
	db_table t;

	if (query(rp, sql_anchor_phone_list, param, 1, &t) < 0) return -1;
	a->list = calloc(t.rows + 1, sizeof(*a->list));
	if (!a->list) {
		db_table_free(&t);
		return out_of_memory();
	}
	for (size_t row = 0; row < t.rows; row++) {
		if (phone_from_row(&t, row, &a->list[a->list_count]) < 0) {
			db_table_free(&t);
			return out_of_memory();
		}
		a->list_count++;
	}
	db_table_free(&t);
	qsort(a->list, a->list_count, sizeof(*a->list), compare_phones);
	return 0;
}

static void decide(report *r, report_anchor *a)
{
	if (!a->retiring || r->config_error[0]) return;
	r->retiring_count++;
	if (a->phones == 0) {
		char day[32];

		a->verdict = VERDICT_SAFE;
		if (a->used) {
			report_day(a->last_day, day, sizeof(day));
			snprintf(a->verdict_text, sizeof(a->verdict_text), "safe to remove: no phone has used %s since %s",
				 a->name, day);
		} else {
			snprintf(a->verdict_text, sizeof(a->verdict_text), "safe to remove: %s has never been used", a->name);
		}
	} else {
		a->verdict = VERDICT_NOT_SAFE;
		r->not_safe_count++;
		snprintf(a->verdict_text, sizeof(a->verdict_text), "NOT safe: %lld phone%s still use%s it%s", a->phones,
			 a->phones == 1 ? "" : "s", a->phones == 1 ? "s" : "", r->with_phones ? "" : " (list with --phones)");
	}
}

static int anchors_section(reporter *rp)
{
	report *r = &rp->r;

	if (collect_anchors(rp) < 0 || anchor_usage(rp) < 0) return -1;
	for (size_t i = 0; i < r->anchor_count; i++) {
		decide(r, &r->anchors[i]);
		if (r->with_phones && r->anchors[i].phones > 0 && anchor_phone_list(rp, &r->anchors[i]) < 0) return -1;
	}
	return 0;
}

/*
 *	2. MIC-only phones and expiring MICs
 */

/* Whether phone mac was ever seen with an anchor that issues LSCs. */
static bool seen_with_lsc(report *r, db_table const *seen, char const *mac)
{
	for (size_t row = 0; mac && row < seen->rows; row++) {
		report_anchor const *a;

		if (compare_text(db_cell(seen, row, 0), mac) != 0 || !db_cell(seen, row, 1)) continue;
		a = find_anchor(r, db_cell(seen, row, 1));
		if (a && a->issues_lsc) return true;
	}
	return false;
}

static long long floor_days(long long seconds)
{
	long long days = seconds / SECONDS_PER_DAY;

	if (seconds < 0 && seconds % SECONDS_PER_DAY) days--;
	return (int)days;
}

static int compare_expiring(void const *a, void const *b)
{
	report_phone const *x = a, *y = b;

	if (x->days_left != y->days_left) return x->days_left < y->days_left ? -1 : 1;
	return compare_phones(a, b);
}

static int mic_sections(reporter *rp)
{
	report *r = &rp->r;
	db_table mics, seen;
	int rc = -1;

	r->mic_horizon = r->now + (time_t)REPORT_MIC_DAYS * SECONDS_PER_DAY;
	if (query(rp, sql_mic_phones, NULL, 0, &mics) < 0) return -1;
	if (query(rp, sql_mic_phone_anchors, NULL, 0, &seen) < 0) {
		db_table_free(&mics);
		return -1;
	}
	r->mic_only = calloc(mics.rows + 1, sizeof(*r->mic_only));
	r->mic_expiring = calloc(mics.rows + 1, sizeof(*r->mic_expiring));
	if (!r->mic_only || !r->mic_expiring) {
		out_of_memory();
		goto done;
	}
	for (size_t row = 0; row < mics.rows; row++) {
		char const *not_after = db_cell(&mics, row, COL_NOT_AFTER);
		time_t end;

		if (!seen_with_lsc(r, &seen, db_cell(&mics, row, COL_MAC))) {
			if (phone_from_row(&mics, row, &r->mic_only[r->mic_only_count]) < 0) {
				out_of_memory();
				goto done;
			}
			r->mic_only_count++;
		}
		/* not_after as the server recorded it: RFC 3339 UTC, else it cannot be placed in time. */
		if (not_after && pc_time_parse(not_after, &end) && end < r->mic_horizon) {
			report_phone *p = &r->mic_expiring[r->mic_expiring_count];

			if (phone_from_row(&mics, row, p) < 0) {
				out_of_memory();
				goto done;
			}
			p->expired = end <= r->now;
			p->days_left = floor_days((long long)end - (long long)r->now);
			r->mic_expiring_count++;
		}
	}
	qsort(r->mic_only, r->mic_only_count, sizeof(*r->mic_only), compare_phones);
	qsort(r->mic_expiring, r->mic_expiring_count, sizeof(*r->mic_expiring), compare_expiring);
	rc = 0;
done:
	db_table_free(&mics);
	db_table_free(&seen);
	return rc;
}

/*
 *	3. Rejected in the last 24 hours, by reason
 */

static int compare_reasons(void const *a, void const *b)
{
	report_reason const *x = a, *y = b;

	if (x->phones != y->phones) return x->phones > y->phones ? -1 : 1;
	if (x->verified != y->verified) return x->verified ? -1 : 1;
	return compare_text(x->reason, y->reason);
}

/* The rows (reason, phones) of sql, added to r->reasons. */
static int add_reasons(reporter *rp, char const *sql, bool verified)
{
	report *r = &rp->r;
	db_param const params[] = { DB_INT((long long)r->now - REPORT_REJECT_SECONDS), DB_INT((long long)r->now) };
	report_reason *grown;
	db_table t;

	if (query(rp, sql, params, 2, &t) < 0) return -1;
	grown = realloc(r->reasons, (r->reason_count + t.rows + 1) * sizeof(*grown));
	if (!grown) {
		db_table_free(&t);
		return out_of_memory();
	}
	r->reasons = grown;
	for (size_t row = 0; row < t.rows; row++) {
		report_reason *reason = &r->reasons[r->reason_count];
		char const *text = db_cell(&t, row, 0);

		*reason = (report_reason) { .verified = verified };
		/* An empty reason is no reason (the server writes NULLIF(reason, '')). */
		if (text && text[0] && !(reason->reason = strdup(text))) {
			db_table_free(&t);
			return out_of_memory();
		}
		db_cell_int(&t, row, 1, &reason->phones);
		r->rejected += reason->phones;
		r->reason_count++;
	}
	db_table_free(&t);
	return 0;
}

static int compare_claims(void const *a, void const *b)
{
	return compare_text(((report_claim const *)a)->mac, ((report_claim const *)b)->mac);
}

/* --phones: the MACs that certificates no anchor verified claimed in the last 24 hours. */
static int unverified_claims(reporter *rp)
{
	report *r = &rp->r;
	db_param const params[] = { DB_INT((long long)r->now - REPORT_REJECT_SECONDS), DB_INT((long long)r->now) };
	db_table t;

	if (query(rp, sql_unverified_claims, params, 2, &t) < 0) return -1;
	r->claims = calloc(t.rows + 1, sizeof(*r->claims));
	if (!r->claims) {
		db_table_free(&t);
		return out_of_memory();
	}
	for (size_t row = 0; row < t.rows; row++) {
		report_claim *c = &r->claims[r->claim_count++];

		c->has_last_seen = db_cell_int(&t, row, 4, &c->last_seen);
		db_cell_int(&t, row, 3, &c->rejects);
		if ((db_cell(&t, row, 0) && !(c->device_name = copy(db_cell(&t, row, 0)))) ||
		    (db_cell(&t, row, 1) && !(c->mac = copy(db_cell(&t, row, 1)))) ||
		    (db_cell(&t, row, 2) && !(c->reason = copy(db_cell(&t, row, 2))))) {
			db_table_free(&t);
			return out_of_memory();
		}
	}
	db_table_free(&t);
	qsort(r->claims, r->claim_count, sizeof(*r->claims), compare_claims);
	return 0;
}

static int rejected_section(reporter *rp)
{
	report *r = &rp->r;

	if (add_reasons(rp, sql_rejected, true) < 0 || add_reasons(rp, sql_rejected_unverified, false) < 0) return -1;
	if (r->reasons) qsort(r->reasons, r->reason_count, sizeof(*r->reasons), compare_reasons);
	return r->with_phones ? unverified_claims(rp) : 0;
}

/*
 *	The chart's data: distinct phones per anchor and day
 */

static int compare_points(void const *a, void const *b)
{
	report_point const *x = a, *y = b;

	if (x->day != y->day) return x->day < y->day ? -1 : 1;
	return (x->anchor > y->anchor) - (x->anchor < y->anchor);
}

static int daily_points(reporter *rp)
{
	report *r = &rp->r;
	db_table t;

	if (query(rp, sql_daily, NULL, 0, &t) < 0) return -1;
	r->points = calloc(t.rows + 1, sizeof(*r->points));
	if (!r->points) {
		db_table_free(&t);
		return out_of_memory();
	}
	for (size_t row = 0; row < t.rows; row++) {
		report_point *p = &r->points[r->point_count];
		report_anchor const *a = db_cell(&t, row, 1) ? find_anchor(r, db_cell(&t, row, 1)) : NULL;

		if (!a || !db_cell_int(&t, row, 0, &p->day) || !db_cell_int(&t, row, 2, &p->phones)) continue;
		p->anchor = (size_t)(a - r->anchors);
		r->point_count++;
	}
	db_table_free(&t);
	qsort(r->points, r->point_count, sizeof(*r->points), compare_points);
	return 0;
}

/*
 *	Reading it all
 */

/* The inventory's schema is the one this phonecert reads: else it says what to do. */
static int check_schema(reporter *rp)
{
	char const *url = rp->options->common.db_url;
	long long version;

	if (db_schema_version(rp->db, &version, rp->err, sizeof(rp->err)) < 0) {
		fprintf(stderr, "phonecert report: %s: %s\n", db_description(rp->db), rp->err);
		return -1;
	}
	if (version < INVENTORY_SCHEMA_VERSION) {
		fprintf(stderr, "phonecert report: %s needs migrating: its schema is version %lld, this phonecert reads "
			"version %d. Run: phonecert inventory migrate --db %s (see phonecert(1), RETENTION AND MIGRATION)\n",
			db_description(rp->db), version, INVENTORY_SCHEMA_VERSION, url);
		return -1;
	}
	if (version > INVENTORY_SCHEMA_VERSION) {
		fprintf(stderr, "phonecert report: %s has schema version %lld, made by a newer phonecert than this one "
			"(version %d): use that phonecert's report\n", db_description(rp->db), version,
			INVENTORY_SCHEMA_VERSION);
		return -1;
	}
	return 0;
}

/* The tables exist and can be read: else this is not (yet) a phonecert inventory. */
static int check_inventory(reporter *rp)
{
	db_table t;

	if (db_query(rp->db, sql_phone_count, NULL, 0, &t, rp->err, sizeof(rp->err)) == 0) {
		db_cell_int(&t, 0, 0, &rp->r.phone_count);
		db_table_free(&t);
		if (db_query(rp->db, sql_day_count, NULL, 0, &t, rp->err, sizeof(rp->err)) == 0) {
			db_table_free(&t);
			if (db_query(rp->db, sql_unverified_count, NULL, 0, &t, rp->err, sizeof(rp->err)) == 0) {
				db_table_free(&t);
				return check_schema(rp);
			}
		}
	}
	fprintf(stderr, "phonecert report: %s is not a phonecert inventory: %s\n", db_description(rp->db), rp->err);
	fprintf(stderr, "phonecert report: FreeRADIUS creates the SQLite inventory on its first start with "
		"sql_phonecert enabled; a PostgreSQL one needs mods-config/sql/phonecert/postgresql/schema.sql "
		"loaded once\n");
	return -1;
}

static int gather(reporter *rp)
{
	if (anchors_section(rp) < 0 || mic_sections(rp) < 0 || rejected_section(rp) < 0) return -1;
	if (rp->options->html_file && daily_points(rp) < 0) return -1;
	return 0;
}

report const *report_gather(report_options const *options, report_source **source)
{
	reporter *rp = calloc(1, sizeof(*rp));

	*source = rp;
	if (!rp) {
		out_of_memory();
		return NULL;
	}
	rp->options = options;
	rp->r.now = options->common.now;
	rp->r.with_phones = options->phones;
	rp->db = db_open(options->common.db_url, false, rp->err, sizeof(rp->err));
	if (!rp->db) {
		fprintf(stderr, "phonecert report: %s\n", rp->err);
		return NULL;
	}
	rp->r.database = db_description(rp->db);
	if (check_inventory(rp) < 0) return NULL;
	read_config(rp);
	return gather(rp) < 0 ? NULL : &rp->r;
}

void report_source_free(report_source *source)
{
	if (!source) return;
	report_free(&source->r);
	raddb_close(source->raddb);
	db_close(source->db);
	free(source);
}

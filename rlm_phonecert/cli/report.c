/*
 * phonecert report: is it safe to remove the old CAPF? The phone inventory
 * that FreeRADIUS' rlm_sql writes on every phone authentication
 * (phonecert_phone: the latest state per MAC; phonecert_phone_day:
 * authentications per Unix day, MAC, anchor and result), read against the
 * anchors of the phonecert configuration:
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
 */
#include "commands.h"
#include "db.h"
#include "output.h"
#include "raddb.h"
#include "report.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/timeutil.h"

#define SECONDS_PER_DAY 86400

/* After a reason of certificates no anchor verified: the MACs they name are only claimed. */
#define UNVERIFIED_NOTE " [unverified: no anchor signed the certificate, its phone identity is only claimed]"

/* The queries: the same text for both databases ($N: parameters). */
static char const sql_phone_count[] = "SELECT count(*) FROM phonecert_phone";
static char const sql_day_count[] = "SELECT count(*) FROM phonecert_phone_day";
static char const sql_unverified_count[] = "SELECT count(*) FROM phonecert_unverified";
static char const sql_anchor_names[] =
	"SELECT anchor FROM phonecert_phone WHERE anchor IS NOT NULL AND anchor <> '' "
	"UNION SELECT anchor FROM phonecert_phone_day WHERE anchor <> ''";
static char const sql_anchor_phones[] =
	"SELECT anchor, count(*) FROM phonecert_phone WHERE anchor IS NOT NULL AND anchor <> '' GROUP BY anchor";
static char const sql_anchor_last_day[] =
	"SELECT anchor, max(day) FROM phonecert_phone_day WHERE anchor <> '' GROUP BY anchor";
static char const sql_anchor_phone_list[] =
	"SELECT device_name, mac, model, anchor, not_after, last_seen, last_result "
	"FROM phonecert_phone WHERE anchor = $1";
static char const sql_mic_phones[] =
	"SELECT device_name, mac, model, anchor, not_after, last_seen, last_result "
	"FROM phonecert_phone WHERE cert_type = 'MIC'";
/* The anchors each of those phones was ever seen with: an LSC one makes it not MIC-only. */
static char const sql_mic_phone_anchors[] =
	"SELECT DISTINCT d.mac, d.anchor FROM phonecert_phone_day d "
	"JOIN phonecert_phone p ON p.mac = d.mac WHERE p.cert_type = 'MIC' AND d.anchor <> ''";
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

typedef struct {
	report_options const *options;
	inventory_db *db;
	raddb *raddb;
	raddb_phonecert const *phonecert;	/* NULL: the configuration could not be read */
	report r;
	char err[1024];
} reporter;

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

	r->config_dir = rp->options->raddb_dir;
	rp->raddb = raddb_open(rp->options->raddb_dir, rp->err, sizeof(rp->err));
	if (rp->raddb && raddb_read_phonecert(rp->raddb, rp->options->instance, &rp->phonecert, rp->err, sizeof(rp->err)) == 0) return;
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
		pc_anchor_config const *config = &rp->phonecert->anchors[i].config;
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

static void write_text(FILE *out, report const *r)
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
}

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
	json_string(w, "device_name", p->device_name);
	json_string(w, "mac", p->mac);
	json_string(w, "model", p->model);
	json_string(w, "anchor", p->anchor);
	json_string(w, "not_after", p->not_after);
	if (expiring) {
		json_int(w, "days_left", p->days_left);
		json_bool(w, "expired", p->expired);
	}
	json_time(w, "last_seen", p->has_last_seen, p->last_seen);
	json_string(w, "last_result", p->last_result);
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
	if (r->with_phones) {
		json_array_begin(w, "phone_list");
		for (size_t i = 0; i < a->list_count; i++) json_phone(w, &a->list[i], false);
		json_array_end(w);
	}
	json_object_end(w);
}

static void write_json(FILE *out, report const *r)
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

	json_object_begin(&w, "summary");
	json_int(&w, "retiring_anchors", (long long)r->retiring_count);
	json_int(&w, "not_safe", (long long)r->not_safe_count);
	if (r->config_error[0]) json_string(&w, "all_safe", NULL);
	else json_bool(&w, "all_safe", r->not_safe_count == 0);
	json_object_end(&w);
	json_object_end(&w);
}

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

static void write_csv(FILE *out, report const *r)
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
}

/*
 *	The command
 */

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
				return 0;
			}
		}
	}
	fprintf(stderr, "phonecert report: %s is not a phonecert inventory: %s\n", db_description(rp->db), rp->err);
	fprintf(stderr, "phonecert report: FreeRADIUS creates the SQLite inventory on its first start with "
		"sql_phonecert enabled; a PostgreSQL one needs mods-config/sql/phonecert/postgresql/schema.sql "
		"loaded once. An inventory made by an older phonecert lacks phonecert_unverified: load its "
		"schema.sql again (CREATE TABLE IF NOT EXISTS adds only the missing tables)\n");
	return -1;
}

static int write_html_file(report const *r, char const *path)
{
	FILE *out = fopen(path, "w");
	int rc;

	if (!out) {
		fprintf(stderr, "phonecert report: cannot write %s: %m\n", path);
		return -1;
	}
	rc = html_write(r, out);
	if (ferror(out)) rc = -1;
	if (fclose(out) != 0) rc = -1;
	if (rc < 0) fprintf(stderr, "phonecert report: cannot write %s\n", path);
	return rc;
}

static int gather(reporter *rp)
{
	if (anchors_section(rp) < 0 || mic_sections(rp) < 0 || rejected_section(rp) < 0) return -1;
	if (rp->options->html_file && daily_points(rp) < 0) return -1;
	return 0;
}

int report_run(report_options const *options)
{
	reporter rp = { .options = options };
	report *r = &rp.r;
	int rc = EXIT_TROUBLE;

	r->now = options->now;
	r->with_phones = options->phones;
	rp.db = db_open(options->db_url, rp.err, sizeof(rp.err));
	if (!rp.db) {
		fprintf(stderr, "phonecert report: %s\n", rp.err);
		return EXIT_TROUBLE;
	}
	r->database = db_description(rp.db);
	if (check_inventory(&rp) < 0) goto done;
	read_config(&rp);
	if (gather(&rp) < 0) goto done;

	switch (options->format) {
	case REPORT_JSON: write_json(stdout, r); break;
	case REPORT_CSV: write_csv(stdout, r); break;
	case REPORT_TEXT: write_text(stdout, r); break;
	case REPORT_PROMETHEUS: prometheus_write(r, stdout); break;
	}
	if (fflush(stdout) != 0 || ferror(stdout)) {
		fprintf(stderr, "phonecert report: cannot write the report: %m\n");
		goto done;
	}
	if (options->html_file && write_html_file(r, options->html_file) < 0) goto done;
	if (r->config_error[0]) rc = EXIT_TROUBLE;
	else rc = r->not_safe_count ? EXIT_FINDINGS : EXIT_CLEAN;
done:
	report_free(r);
	raddb_close(rp.raddb);
	db_close(rp.db);
	return rc;
}

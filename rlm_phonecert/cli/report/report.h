/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * phonecert report: what the phone inventory says about a CAPF rotation,
 * gathered once from the inventory and the configuration (gather.c) into a
 * report, then written by one renderer per format: text.c, json.c, csv.c,
 * prometheus.c (--format) and html.c (--html). report.c runs them.
 */
#ifndef PHONECERT_CLI_REPORT_H
#define PHONECERT_CLI_REPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <time.h>

#include "../../core/phonelist.h"
#include "../commands.h"

#define REPORT_MIC_DAYS 180		/* MICs expiring within this many days are listed */
#define REPORT_REJECT_SECONDS 86400	/* phones rejected within this long before now */

/* One row of phonecert_phone, as a section lists it. */
typedef struct {
	char *device_name;
	char *mac;
	char *model;
	char *anchor;
	char *not_after;		/* RFC 3339 as the server recorded it */
	char *last_result;		/* accept or reject */
	long long last_seen;		/* Unix seconds; has_last_seen false when unreadable */
	bool has_last_seen;
	bool expired;			/* mic_expiring: not_after is before now */
	long long days_left;		/* mic_expiring: whole days from now to not_after (negative: expired) */
} report_phone;

typedef enum { VERDICT_NONE, VERDICT_SAFE, VERDICT_NOT_SAFE } report_verdict;

typedef struct {
	char *name;
	char const *kind;		/* "capf", "lsc_ca", "manufacturing"; NULL when unknown */
	bool configured;		/* a section of the configuration */
	char const *accept_from;	/* the configured window, as written; NULL if none */
	char const *accept_until;
	bool retiring;			/* configured with accept_until */
	bool issues_lsc;		/* capf or lsc_ca (a name not configured: anything but "manufacturing") */
	long long phones;		/* phones whose latest authentication used it */
	bool used;			/* a day recorded (phonecert_phone_day, or kept of it in phonecert_phone_anchor) */
	long long last_day;		/* the last Unix day any phone used it */
	bool listed;			/* a phone list covers it (its phones come from this anchor) */
	long long unseen;		/* listed: phones of those lists not seen since the rotation began, not waived */
	long long unreadable;		/* listed: rows of those lists that could not be read as a phone */
	report_verdict verdict;		/* VERDICT_NONE: not retiring, or no configuration */
	char verdict_text[512];
	report_phone *list;		/* --phones: the phones of `phones` */
	size_t list_count;
} report_anchor;

typedef struct {
	char *reason;			/* NULL: none recorded */
	long long phones;
	bool verified;			/* false: certificates no anchor verified (phonecert_unverified) */
} report_reason;

/* A MAC claimed by certificates that no anchor verified (phonecert_unverified): nothing here is verified. */
typedef struct {
	char *device_name;
	char *mac;
	char *reason;			/* the last reject's */
	long long rejects;
	long long last_seen;		/* Unix seconds; has_last_seen false when unreadable */
	bool has_last_seen;
} report_claim;

/* Distinct MACs per anchor and day (the HTML chart), of the days retention keeps. */
typedef struct {
	long long day;
	size_t anchor;			/* index into report.anchors */
	long long phones;
} report_point;

/*
 *	The phone lists: CUCM's phones against the inventory (expected.c, doc/cucm.md)
 */

typedef struct {
	char const *file;		/* as given */
	char const *anchor;		/* the capf or lsc_ca section its phones move to; NULL: every one */
	char const **covers;		/* the retiring anchors whose verdicts it adds to */
	size_t cover_count;
	bool has_start;			/* when the rotation began is known */
	time_t start;
	char start_source[160];		/* where that came from: "--since", "accept_from of capf harbour-2026"... */
	pc_phonelist *phones;		/* what the file lists */
	long long seen;			/* listed phones seen (a verified authentication) since the rotation began */
	long long never_seen;		/* the others, not waived: never seen, */
	long long before_rotation;	/* or last seen before it began */
	long long waived;
} report_list;

typedef enum {
	WAIVER_NONE,
	WAIVER_WAIVED,			/* not seen since the rotation began: not required */
	WAIVER_IN_USE,			/* seen since, and its latest authentication used a retiring anchor: refused */
	WAIVER_NOT_NEEDED		/* seen since, on another anchor */
} report_waiver;

/* A listed phone, and what the inventory last knew of it. */
typedef struct {
	pc_listed_phone const *phone;	/* in its list: device name, MAC, the list's columns, line */
	size_t list;			/* index into report.lists */
	bool seen;			/* ever: then last holds the inventory's row */
	report_phone last;
	report_waiver waiver;
} report_listed;

typedef enum { PROBLEM_UNREADABLE, PROBLEM_TWICE, PROBLEM_WAIVED_UNLISTED } report_problem_kind;

/* A row of a list (or of the waivers) worth an admin's look. */
typedef struct {
	report_problem_kind kind;
	char const *file;
	unsigned long line;
	char const *device;		/* as the file has it: a stranger's text */
	char const *problem;		/* our words */
	char const *first_file;		/* PROBLEM_TWICE: where the device is listed first */
	unsigned long first_line;
} report_problem;

typedef struct {
	time_t now;
	char const *database;		/* db_description */
	char const *config_dir;
	char config_error[1024];	/* non-empty: the configuration could not be read, no verdicts */
	bool with_phones;
	long long phone_count;		/* rows of phonecert_phone */
	report_anchor *anchors;		/* configured ones in order, then the others by name */
	size_t anchor_count;
	report_phone *mic_only;
	size_t mic_only_count;
	report_phone *mic_expiring;	/* by not_after */
	size_t mic_expiring_count;
	time_t mic_horizon;		/* now + REPORT_MIC_DAYS */
	report_reason *reasons;		/* most phones first */
	size_t reason_count;
	long long rejected;		/* phones rejected in the last 24 h */
	report_claim *claims;		/* --phones: the unverified ones of those, by MAC */
	size_t claim_count;
	report_point *points;		/* by day, then anchor */
	size_t point_count;
	size_t retiring_count;
	size_t not_safe_count;
	report_list *lists;		/* none: no phone list, the verdicts cover the phones seen only */
	size_t list_count;
	char const *waiver_file;	/* or NULL */
	pc_phonelist *waivers;
	report_listed *never_seen;	/* by device name, then list */
	size_t never_seen_count;
	report_listed *before_rotation;
	size_t before_rotation_count;
	report_listed *waived;		/* every listed phone that was waived, and how */
	size_t waived_count;
	report_phone *unlisted;		/* phones of the inventory in no list, by device name */
	size_t unlisted_count;
	report_problem *problems;	/* by list, then line */
	size_t problem_count;
} report;

/* A waiver's outcome in words: "waived", "refused: ...", "not needed: ...". */
char const *report_waiver_words(report_waiver waiver);

/* The retiring anchors a list covers, separated by spaces, into buf; returns buf. */
char const *report_list_covers(report_list const *list, char *buf, size_t len);

/* Where a listed phone is: "FILE[LINE]", unescaped (a file name is the user's). */
void report_listed_where(report const *r, report_listed const *listed, char *buf, size_t len);

/*
 * Whether listed[i] (of an array sorted by device name: never_seen,
 * before_rotation) keeps anchor a from safe: its list covers a, and it is
 * the first entry of that phone that does (a phone in two lists counts once).
 */
bool report_listed_counts_for(report const *r, report_listed const *listed, size_t i, report_anchor const *a);

/* Whether every retiring anchor's verdict counts listed phones too (then verdicts do not cover the phones seen only). */
bool report_all_listed(report const *r);

/* "2026-05-01" for a Unix day. */
void report_day(long long day, char *buf, size_t len);

/* After a reason of certificates no anchor verified: the MACs they name are only claimed. */
#define UNVERIFIED_NOTE " [unverified: no anchor signed the certificate, its phone identity is only claimed]"

/* Where a report is read from: the inventory and the configuration. */
typedef struct report_source report_source;

/*
 * Read the inventory (options->db_url) against the phonecert configuration:
 * every section, and the chart's data with options->html_file. NULL after
 * saying why on stderr. report_source_free(*source) either way.
 */
report const *report_gather(report_options const *options, report_source **source);
void report_source_free(report_source *source);

/*
 * A renderer: the report written to out in one format. Returns 0, or -1
 * when it could not be written (out's error, or out of memory).
 */
typedef int report_renderer(FILE *out, report const *r);

int report_write_text(FILE *out, report const *r);		/* --format text: for people */
int report_write_json(FILE *out, report const *r);		/* --format json: one line, JSON Lines */
int report_write_csv(FILE *out, report const *r);		/* --format csv: one table per section */
int report_write_prometheus(FILE *out, report const *r);	/* --format prometheus: Prometheus' text exposition format */
int report_write_html(FILE *out, report const *r);		/* --html: a self-contained page with a chart, no script */

#endif

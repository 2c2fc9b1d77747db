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
} report;

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

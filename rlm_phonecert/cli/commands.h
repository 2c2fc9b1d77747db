/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The phonecert tool's commands, as main.c hands them their parsed options,
 * and the exit codes they share.
 */
#ifndef PHONECERT_CLI_COMMANDS_H
#define PHONECERT_CLI_COMMANDS_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "../core/phonelist.h"
#include "../core/trust.h"

enum {
	EXIT_CLEAN = 0,		/* inspect: all accepted; lint: no error or warning */
	EXIT_FINDINGS = 1,	/* inspect: a reject or a non-phone certificate; lint: an error or warning;
				   report: a retiring anchor is still in use */
	EXIT_TROUBLE = 2	/* usage, unreadable file or database, or a configuration the module would refuse */
};

/* An anchor given on the command line (--capf FILE, --lsc-ca FILE, --manufacturing FILE). */
typedef struct {
	pc_anchor_kind kind;
	char const *file;
} anchor_file;

/*
 * The options that mean the same in every command that takes them (main.c
 * says which takes which). Each command's options start with them.
 */
typedef struct {
	char const *raddb_dir;		/* --config (lint: or its RADDB_DIR); without it /etc/freeradius/3.0,
					   but for inspect and capture, where anchor files may stand for it (NULL) */
	char const *instance;		/* --instance: a phonecert instance of raddb_dir, or NULL for the only one
					   (lint: each in turn) */
	anchor_file *anchors;		/* inspect, capture: --capf/--lsc-ca/--manufacturing, in order */
	size_t anchor_count;
	time_t now;			/* --now, else the time the command started */
	bool now_given;			/* capture: else each handshake is decided at its own time */
	bool json;			/* --json */
	char const *db_url;		/* report, inventory migrate, block: --db, sqlite:PATH or postgresql://... */
} common_options;

typedef struct {
	common_options common;
	char **certs;			/* the CERT files */
	size_t cert_count;
} inspect_options;

typedef struct {
	common_options common;
	char const *check;		/* --check: only the findings of this check (and the exit status they make), or NULL */
} lint_options;

typedef enum { REPORT_TEXT, REPORT_JSON, REPORT_CSV, REPORT_PROMETHEUS } report_format;

typedef struct {
	common_options common;
	report_format format;
	char const *html_file;		/* --html, or NULL */
	bool phones;			/* --phones: list the phones of each anchor */
	pc_list_config *lists;		/* --expected [ANCHOR=]FILE, in order; none: expected_phones' lists */
	size_t list_count;
	char const *waivers;		/* --waivers FILE, or NULL: expected_phones' */
	char const *since;		/* --since TIME (RFC 3339, checked), or NULL: expected_phones' */
} report_options;

typedef struct {
	common_options common;
	char const *extract_dir;	/* --extract, or NULL */
	char phone_mac[18];		/* --phone as AA-BB-CC-DD-EE-FF, or "" */
	unsigned radius_port;		/* --radius-port, or 0: the ports the configuration listens on */
	size_t max_flows;		/* --max-flows, or 0 for the default */
	char const *file;		/* FILE, "-" for standard input */
} capture_options;

typedef struct {
	common_options common;		/* raddb_dir: whose block_file, unless file */
	bool unblock;			/* phonecert unblock: remove the entry */
	char const *kind;		/* mac, device, serial */
	char const *value;
	char const *comment;		/* --comment, or NULL */
	char const *file;		/* --file, or NULL: block_file of raddb_dir */
	bool now;			/* --now: a CoA to the switch where the phone was last accepted */
	char const *coa;		/* --coa: disconnect (default), reauthenticate or bounce-host-port */
} block_options;

typedef struct {
	common_options common;		/* raddb_dir: where the migration files are */
	bool check;			/* --check: say what is to apply, change nothing */
} inventory_options;

typedef struct {
	common_options common;		/* raddb_dir: whose fleet_block_list */
	bool prometheus;		/* --format prometheus, else text */
} fleet_options;

int block_run(block_options const *options);
int fleet_status_run(fleet_options const *options);
int inventory_migrate_run(inventory_options const *options);
int inspect_run(inspect_options const *options);
int capture_run(capture_options const *options);
int lint_run(lint_options const *options);
bool lint_check_known(char const *name);	/* a check's name, as findings carry it: "file-writers", "expiry"... */
int report_run(report_options const *options);

#endif

/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The phonecert configuration section, read with FreeRADIUS' own parser
 * (libfreeradius-server), turned into the core's trust set and policy.
 *
 * This is the one place that does it: the module at start-up and on HUP,
 * and the phonecert tool (lint, inspect, report) on a raddb that it read
 * with cf_file_read as radiusd does, call the same functions, so both accept
 * and refuse the same configurations, in the same words, at the same
 * file[line]. Include after <freeradius/radiusd.h>.
 *
 * Errors: each function returns -1 (or NULL) after telling a pc_problem_fn
 * (core/problem.h) what is wrong and where (the file and line of the section
 * or option concerned); the module's logs "file[line]: message" as
 * cf_log_err_cs does, lint's records a finding. FreeRADIUS' own parser logs
 * its errors (a missing ca_file, a bad boolean) itself, with radlog. The trust
 * set of the anchors read here is the core's pc_trust_build, told the same way.
 */
#ifndef PHONECERT_CONFIG_H
#define PHONECERT_CONFIG_H

#include "../core/core.h"

/*
 * fleet_block_list { } of a phonecert section: the fleet's block list
 * (core/fleetlist.h, module/fleet_blocklist.c, doc/fleet.md). db is NULL
 * when the section has none.
 */
typedef struct {
	char const	*db;			/* libpq's connection string or postgresql:// URL */
	uint32_t	refresh;		/* seconds between two reads */
	char const	*copy;			/* the local copy, read at start-up */
} phonecert_fleet_options_t;

/* The options of a phonecert section, as its CONF_PARSER table fills them. */
typedef struct {
	char const	*eap_name;		/* eap = (the eap module's instance name) */
	char const	*tls_config_name;	/* tls_config = (its tls-config section) */
	char const	*mic;
	char const	*mic_expired;
	char const	*mic_legacy_signatures;
	bool		bind_mac;
	bool		bind_identity;
	char const	*block_file;		/* block_file =, or NULL */
	phonecert_fleet_options_t fleet_block_list;	/* its subsection, read by phonecert_conf_options */
	bool		log_accepts;		/* the log line for every accepted phone (rejected and waived ones always) */
	char const	*unsafe_permissions;	/* "refuse", or "warn": the escape hatch of phonecert_conf_file_writers */
	char const	*fleet_secret_file;	/* fleet_secret_file =, or NULL: the key ring sealing cached TLS sessions */
} phonecert_options_t;

extern const CONF_PARSER phonecert_options_config[];

/* The capf / lsc_ca / manufacturing sections, parsed: configs[i] is sections[i]. */
typedef struct {
	pc_anchor_config	*configs;
	CONF_SECTION		**sections;
	size_t			count;
} phonecert_anchors_t;

/* Tell sink about a problem with a whole section, at its first line (the module's messages beyond this file). */
void phonecert_conf_tell_section(pc_problem_fn *sink, void *ctx, CONF_SECTION const *cs, char const *fmt, ...)
	CC_HINT(format (printf, 4, 5));

/* The instance name: "phonecert" for phonecert { }, "voice" for phonecert voice { }. */
char const *phonecert_conf_instance_name(CONF_SECTION *cs);

/*
 * The options of cs, with their defaults, and its fleet_block_list
 * subsection. An option no table knows (a typo would leave a default in
 * force), one set twice (FreeRADIUS reads the first), an unsafe_permissions
 * other than refuse or warn, a fleet_block_list without db or copy, with a
 * db libpq cannot read, a refresh outside 1 to 60 seconds or a copy in no
 * directory is refused. 0, or -1 (told to the sink, or logged by FreeRADIUS).
 */
int phonecert_conf_options(CONF_SECTION *cs, phonecert_options_t *options, pc_problem_fn *sink, void *ctx);

/* The policy those options describe, without its block list. */
int phonecert_conf_policy(CONF_SECTION *cs, phonecert_options_t const *options, pc_policy *policy,
			  pc_problem_fn *sink, void *ctx);

/* The block list of block_file into *blocklist (NULL when there is none). A file that does not parse is refused. */
int phonecert_conf_blocklist(CONF_SECTION *cs, phonecert_options_t const *options, pc_blocklist **blocklist,
			     pc_problem_fn *sink, void *ctx);

/*
 * The key ring of fleet_secret_file into *keyring (NULL when there is none).
 * A file that does not parse is refused; nothing said about it quotes a secret.
 */
int phonecert_conf_keyring(CONF_SECTION *cs, phonecert_options_t const *options, pc_keyring **keyring,
			   pc_problem_fn *sink, void *ctx);

/*
 * The anchor sections of cs, in order, into *anchors (talloc'd under cs).
 * Unknown subsections (of cs but expected_phones, or of an anchor section,
 * which holds options only), an unnamed capf/lsc_ca, a named manufacturing
 * section and unknown or duplicated options in them are refused.
 */
int phonecert_conf_anchors(CONF_SECTION *cs, phonecert_anchors_t *anchors, pc_problem_fn *sink, void *ctx);

/*
 * The expected_phones section of cs, phonecert report's phone lists
 * (doc/cucm.md), into *expected (all zero without one; talloc'd under cs):
 *
 *   expected_phones {
 *       list harbour-2026 {                 the capf or lsc_ca section its phones move to;
 *           file = /path/cucm-harbour.csv   no name: a list of every such section's phones
 *           retiring = "harbour-2021"       optional: the retiring sections it covers
 *       }
 *       waivers = /path/retired.csv         optional: phones known to be retired
 *       since = "2026-06-01T00:00:00Z"      optional: when the rotation began
 *   }
 *
 * The module reads nothing more of it than to refuse, at start-up and on
 * reload as lint does, what the report would not read: an unknown option or
 * section, one set twice, a second expected_phones, a list or retiring name
 * that is not a capf or lsc_ca section of cs, a since that is not RFC 3339.
 * The files are the report's to read: a missing one stops no server.
 */
#define PHONECERT_EXPECTED_SECTION "expected_phones"
int phonecert_conf_expected(CONF_SECTION *cs, pc_expected_config *expected, pc_problem_fn *sink, void *ctx);

/*
 * Who can change the files the trust rests on: block_file, fleet_block_list's
 * copy (or, before the server first writes it, its directory), and each anchor's
 * ca_file and crl_file (core/writers.h), where only root and radiusd's user
 * may (security { user = } of radiusd.conf; without one, the user this
 * process runs as, as radiusd then does). Every problem is told, at the
 * option's file[line]: to refuse, and then -1; or, with unsafe_permissions
 * = warn, to warn, each time after a warning that the check is waived, and
 * 0. fleet_secret_file, which no one else may read either
 * (pc_secret_check), is always refused: unsafe_permissions does not waive
 * it. The module calls it at start-up and on every reload, lint on the same
 * configuration: the same words.
 */
int phonecert_conf_file_writers(CONF_SECTION *cs, phonecert_options_t const *options,
				phonecert_anchors_t const *anchors, pc_problem_fn *refuse, pc_problem_fn *warn, void *ctx);

/*
 * The tls-config section of the eap module that phonecert hooks, found as
 * the module finds it: an eap module of that instance name in the same
 * modules section, then its tls-config of that name.
 */
CONF_SECTION *phonecert_conf_tls_section(CONF_SECTION *cs, phonecert_options_t const *options,
					 pc_problem_fn *sink, void *ctx);

/* Whether the module is called by this instance name in any virtual server's post-auth, directly or in a policy. */
bool phonecert_conf_in_post_auth(CONF_SECTION *cs, char const *instance_name);

#endif

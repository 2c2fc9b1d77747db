/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The phonecert section → the core's trust set and policy (phonecert_conf.h).
 */
RCSID("$Id$")

#include <freeradius/radiusd.h>

#include <libgen.h>
#include <pwd.h>
#include <stdarg.h>
#include <sys/stat.h>

#include <libpq-fe.h>

#include "../core/suggest.h"
#include "phonecert_conf.h"

const CONF_PARSER phonecert_options_config[] = {
	{ "eap", FR_CONF_OFFSET(PW_TYPE_STRING, phonecert_options_t, eap_name), "eap" },
	{ "tls_config", FR_CONF_OFFSET(PW_TYPE_STRING, phonecert_options_t, tls_config_name), "tls-common" },
	{ "mic", FR_CONF_OFFSET(PW_TYPE_STRING, phonecert_options_t, mic), "allow" },
	{ "mic_expired", FR_CONF_OFFSET(PW_TYPE_STRING, phonecert_options_t, mic_expired), "reject" },
	{ "mic_legacy_signatures", FR_CONF_OFFSET(PW_TYPE_STRING, phonecert_options_t, mic_legacy_signatures), "reject" },
	{ "bind_mac", FR_CONF_OFFSET(PW_TYPE_BOOLEAN, phonecert_options_t, bind_mac), "yes" },
	{ "bind_identity", FR_CONF_OFFSET(PW_TYPE_BOOLEAN, phonecert_options_t, bind_identity), "yes" },
	{ "block_file", FR_CONF_OFFSET(PW_TYPE_FILE_INPUT, phonecert_options_t, block_file), NULL },
	{ "log_accepts", FR_CONF_OFFSET(PW_TYPE_BOOLEAN, phonecert_options_t, log_accepts), "yes" },
	{ "unsafe_permissions", FR_CONF_OFFSET(PW_TYPE_STRING, phonecert_options_t, unsafe_permissions), "refuse" },
	{ "fleet_secret_file", FR_CONF_OFFSET(PW_TYPE_FILE_INPUT, phonecert_options_t, fleet_secret_file), NULL },
	CONF_PARSER_TERMINATOR
};

#define FLEET_SECTION "fleet_block_list"
#define FLEET_REFRESH_MAX 60	/* seconds: a block is in force within refresh seconds, and the doc promises 10 */

static const CONF_PARSER fleet_config[] = {
	/* Secret: it may hold the role's password. */
	{ "db", FR_CONF_OFFSET(PW_TYPE_STRING | PW_TYPE_SECRET, phonecert_fleet_options_t, db), NULL },
	{ "refresh", FR_CONF_OFFSET(PW_TYPE_INTEGER, phonecert_fleet_options_t, refresh), "5" },
	{ "copy", FR_CONF_OFFSET(PW_TYPE_STRING, phonecert_fleet_options_t, copy), NULL },
	CONF_PARSER_TERMINATOR
};

/* One capf / lsc_ca / manufacturing section. */
typedef struct {
	char const	*ca_file;
	char const	*accept_from;
	char const	*accept_until;
	char const	*crl_file;
	bool		advertise;
} anchor_section_t;

static const CONF_PARSER anchor_config[] = {
	{ "ca_file", FR_CONF_OFFSET(PW_TYPE_FILE_INPUT | PW_TYPE_REQUIRED, anchor_section_t, ca_file), NULL },
	{ "accept_from", FR_CONF_OFFSET(PW_TYPE_STRING, anchor_section_t, accept_from), NULL },
	{ "accept_until", FR_CONF_OFFSET(PW_TYPE_STRING, anchor_section_t, accept_until), NULL },
	{ "crl_file", FR_CONF_OFFSET(PW_TYPE_FILE_INPUT, anchor_section_t, crl_file), NULL },
	{ "advertise", FR_CONF_OFFSET(PW_TYPE_BOOLEAN, anchor_section_t, advertise), "yes" },
	CONF_PARSER_TERMINATOR
};

static void tell(pc_problem_fn *report, void *ctx, char const *file, int line, pc_anchor_config const *anchor,
		 char const *message)
{
	report(ctx, &(pc_problem) { .file = file, .line = line, .anchor = anchor, .message = message });
}

static void vtell(pc_problem_fn *report, void *ctx, char const *file, int line, pc_anchor_config const *anchor,
		  char const *fmt, va_list ap) CC_HINT(format (printf, 6, 0));
static void vtell(pc_problem_fn *report, void *ctx, char const *file, int line, pc_anchor_config const *anchor,
		  char const *fmt, va_list ap)
{
	char message[1024];

	vsnprintf(message, sizeof(message), fmt, ap);
	tell(report, ctx, file, line, anchor, message);
}

void phonecert_conf_tell_section(pc_problem_fn *sink, void *ctx, CONF_SECTION const *cs, char const *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vtell(sink, ctx, cf_section_filename(cs), cf_section_lineno(cs), NULL, fmt, ap);
	va_end(ap);
}

/* Tell sink about an option of cs, at its line; at the section's when it comes from a $template (no pair of cs). */
static void tell_option(pc_problem_fn *sink, void *ctx, CONF_SECTION const *cs, char const *option,
			pc_anchor_config const *anchor, char const *fmt, ...) CC_HINT(format (printf, 6, 7));
static void tell_option(pc_problem_fn *sink, void *ctx, CONF_SECTION const *cs, char const *option,
			pc_anchor_config const *anchor, char const *fmt, ...)
{
	CONF_PAIR *cp = cf_pair_find(cs, option);
	va_list ap;

	va_start(ap, fmt);
	if (cp) vtell(sink, ctx, cf_pair_filename(cp), cf_pair_lineno(cp), anchor, fmt, ap);
	else vtell(sink, ctx, cf_section_filename(cs), cf_section_lineno(cs), anchor, fmt, ap);
	va_end(ap);
}

/* FreeRADIUS ignores pairs no CONF_PARSER asks for and reads the first of two: a typo would leave a default in force. */
#define MAX_OPTIONS 32		/* more than either table has; beyond it an option would be refused, never ignored */

static int check_options(CONF_SECTION *cs, CONF_PARSER const *table, pc_problem_fn *sink, void *ctx)
{
	char const *names[MAX_OPTIONS];
	size_t count = 0;
	CONF_ITEM *ci;

	for (size_t i = 0; table[i].name && count < MAX_OPTIONS; i++) names[count++] = table[i].name;
	for (ci = cf_item_find_next(cs, NULL); ci; ci = cf_item_find_next(cs, ci)) {
		CONF_PAIR *cp, *first;
		char const *attr;
		char message[512];
		size_t i;

		if (!cf_item_is_pair(ci)) continue;
		cp = cf_item_to_pair(ci);
		attr = cf_pair_attr(cp);
		for (i = 0; i < count && strcmp(names[i], attr) != 0; i++);
		if (i == count) {
			pc_unknown_option_message(attr, cf_section_name1(cs), names, count, message, sizeof(message));
			tell(sink, ctx, cf_pair_filename(cp), cf_pair_lineno(cp), NULL, message);
			return -1;
		}
		first = cf_pair_find(cs, attr);
		if (first != cp) {
			pc_duplicate_option_message(attr, cf_section_name1(cs), cf_pair_filename(first), cf_pair_lineno(first),
						    message, sizeof(message));
			tell(sink, ctx, cf_pair_filename(cp), cf_pair_lineno(cp), NULL, message);
			return -1;
		}
	}
	return 0;
}

char const *phonecert_conf_instance_name(CONF_SECTION *cs)
{
	return cf_section_name2(cs) ? cf_section_name2(cs) : cf_section_name1(cs);
}

/* The fleet's database: one libpq reads, never an inventory URL of another kind. */
static int check_fleet_db(CONF_SECTION *sub, char const *db, pc_problem_fn *sink, void *ctx)
{
	char *why = NULL;
	PQconninfoOption *parsed;

	if (!db || !*db) {
		tell_option(sink, ctx, sub, "db", NULL, FLEET_SECTION " needs db = \"postgresql://ROLE@HOST/DBNAME\": the "
			    "inventory's PostgreSQL database, which holds the fleet block list");
		return -1;
	}
	parsed = PQconninfoParse(db, &why);
	if (parsed) {
		PQconninfoFree(parsed);
		return 0;
	}
	/* libpq's message does not quote the string (it may hold a password). */
	tell_option(sink, ctx, sub, "db", NULL, FLEET_SECTION ": db is no PostgreSQL connection string or URL: %s",
		    why ? why : "out of memory");
	PQfreemem(why);
	return -1;
}

/* The local copy: a file in a directory that exists (radiusd writes it there). */
static int check_fleet_copy(CONF_SECTION *sub, char const *copy, pc_problem_fn *sink, void *ctx)
{
	char dir[PATH_MAX];
	struct stat st;

	if (!copy || copy[0] != '/') {
		tell_option(sink, ctx, sub, "copy", NULL, FLEET_SECTION " needs copy = an absolute file name, e.g. "
			    "/var/lib/freeradius/phonecert-fleet-blocklist: the list radiusd keeps when the database is down");
		return -1;
	}
	snprintf(dir, sizeof(dir), "%s", copy);
	dirname(dir);
	if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode)) {
		tell_option(sink, ctx, sub, "copy", NULL, FLEET_SECTION ": copy = %s: its directory %s %s", copy, dir,
			    errno == ENOENT ? "does not exist" : "is not a directory");
		return -1;
	}
	return 0;
}

/*
 * What of fleet_block_list's copy must be radiusd's alone: whoever can
 * change it can empty the list a restart reads when the database is down.
 * The copy, or before radiusd first writes it, its directory (into buf);
 * NULL without a fleet_block_list.
 */
static char const *fleet_copy_guarded(phonecert_fleet_options_t const *fleet, char buf[PATH_MAX])
{
	if (!fleet->db) return NULL;
	if (access(fleet->copy, F_OK) == 0) return fleet->copy;
	snprintf(buf, PATH_MAX, "%s", fleet->copy);
	return dirname(buf);
}

/* fleet_block_list { db = ... refresh = ... copy = ... }, at most one, options only. */
static int fleet_options(CONF_SECTION *cs, phonecert_fleet_options_t *fleet, pc_problem_fn *sink, void *ctx)
{
	CONF_SECTION *sub = cf_section_sub_find(cs, FLEET_SECTION), *other;

	*fleet = (phonecert_fleet_options_t) { 0 };
	if (!sub) return 0;
	other = cf_subsection_find_next(cs, sub, FLEET_SECTION);
	if (other || cf_section_name2(sub) || cf_subsection_find_next(sub, NULL, NULL)) {
		phonecert_conf_tell_section(sink, ctx, other ? other : sub, "%s", other ? "There is one " FLEET_SECTION
					    " section" : FLEET_SECTION " takes no name and holds options only: db, refresh, copy");
		return -1;
	}
	if (check_options(sub, fleet_config, sink, ctx) < 0 || cf_section_parse(sub, fleet, fleet_config) < 0 ||
	    check_fleet_db(sub, fleet->db, sink, ctx) < 0 || check_fleet_copy(sub, fleet->copy, sink, ctx) < 0) return -1;
	if (fleet->refresh < 1 || fleet->refresh > FLEET_REFRESH_MAX) {
		tell_option(sink, ctx, sub, "refresh", NULL, FLEET_SECTION ": refresh = %u: expected 1 to %d seconds "
			    "(a block is in force on every server within refresh seconds)", fleet->refresh, FLEET_REFRESH_MAX);
		return -1;
	}
	return 0;
}

int phonecert_conf_options(CONF_SECTION *cs, phonecert_options_t *options, pc_problem_fn *sink, void *ctx)
{
	if (check_options(cs, phonecert_options_config, sink, ctx) < 0 ||
	    cf_section_parse(cs, options, phonecert_options_config) < 0) return -1;
	if (strcmp(options->unsafe_permissions, "refuse") != 0 && strcmp(options->unsafe_permissions, "warn") != 0) {
		tell_option(sink, ctx, cs, "unsafe_permissions", NULL, "unsafe_permissions = %s: expected refuse or warn",
			    options->unsafe_permissions);
		return -1;
	}
	return fleet_options(cs, &options->fleet_block_list, sink, ctx);
}

int phonecert_conf_policy(CONF_SECTION *cs, phonecert_options_t const *options, pc_policy *policy,
			  pc_problem_fn *sink, void *ctx)
{
	struct { char const *option, *value; } const choices[] = {
		{ "mic", options->mic },
		{ "mic_expired", options->mic_expired },
		{ "mic_legacy_signatures", options->mic_legacy_signatures },
	};
	char err[256];

	pc_policy_defaults(policy);
	for (size_t i = 0; i < sizeof(choices) / sizeof(choices[0]); i++) {
		if (pc_policy_set(policy, choices[i].option, choices[i].value, err, sizeof(err)) < 0) {
			phonecert_conf_tell_section(sink, ctx, cs, "%s", err);
			return -1;
		}
	}
	policy->bind_mac = options->bind_mac;
	policy->bind_identity = options->bind_identity;
	return 0;
}

int phonecert_conf_blocklist(CONF_SECTION *cs, phonecert_options_t const *options, pc_blocklist **blocklist,
			     pc_problem_fn *sink, void *ctx)
{
	char err[1024];

	*blocklist = NULL;
	if (!options->block_file) return 0;
	*blocklist = pc_blocklist_load(options->block_file, err, sizeof(err));
	if (*blocklist) return 0;
	tell_option(sink, ctx, cs, "block_file", NULL, "block_file %s", err);
	return -1;
}

int phonecert_conf_keyring(CONF_SECTION *cs, phonecert_options_t const *options, pc_keyring **keyring,
			   pc_problem_fn *sink, void *ctx)
{
	char err[1024];

	*keyring = NULL;
	if (!options->fleet_secret_file) return 0;
	*keyring = pc_keyring_load(options->fleet_secret_file, err, sizeof(err));
	if (*keyring) return 0;
	tell_option(sink, ctx, cs, "fleet_secret_file", NULL, "fleet_secret_file %s", err);
	return -1;
}

/*
 * FreeRADIUS ignores sections no one asks for: a window written as
 * rotation { accept_until = ... } would never close. where names cs in
 * the message; names are the sections it may hold.
 */
static int refuse_unknown_section(CONF_SECTION *sub, char const *where, char const *const *names, size_t count,
				  pc_problem_fn *sink, void *ctx)
{
	char message[512];

	pc_unknown_section_message(cf_section_name1(sub), where, names, count, message, sizeof(message));
	phonecert_conf_tell_section(sink, ctx, sub, "%s", message);
	return -1;
}

/* An anchor section holds options only. */
static int check_no_sections(CONF_SECTION *cs, pc_anchor_config const *config, pc_problem_fn *sink, void *ctx)
{
	CONF_SECTION *sub = cf_subsection_find_next(cs, NULL, NULL);
	char label[160];

	if (!sub) return 0;
	return refuse_unknown_section(sub, pc_anchor_config_label(config, label, sizeof(label)), NULL, 0, sink, ctx);
}

static int parse_anchor(CONF_SECTION *cs, pc_anchor_kind kind, pc_anchor_config *config,
			pc_problem_fn *sink, void *ctx)
{
	anchor_section_t section = { 0 };

	if (kind != PC_ANCHOR_MANUFACTURING && !cf_section_name2(cs)) {
		phonecert_conf_tell_section(sink, ctx, cs, "A %s section needs a name, e.g. %s cluster-2024 { ca_file = ... }",
					    cf_section_name1(cs), cf_section_name1(cs));
		return -1;
	}
	if (kind == PC_ANCHOR_MANUFACTURING && cf_section_name2(cs)) {
		phonecert_conf_tell_section(sink, ctx, cs, "There is one manufacturing section and it takes no name");
		return -1;
	}
	*config = (pc_anchor_config) {
		.kind = kind,
		.name = kind == PC_ANCHOR_MANUFACTURING ? "manufacturing" : cf_section_name2(cs),
		.file = cf_section_filename(cs),
		.line = cf_section_lineno(cs),
	};
	if (check_no_sections(cs, config, sink, ctx) < 0 || check_options(cs, anchor_config, sink, ctx) < 0 ||
	    cf_section_parse(cs, &section, anchor_config) < 0) return -1;
	config->ca_file = section.ca_file;
	config->accept_from = section.accept_from;
	config->accept_until = section.accept_until;
	config->crl_file = section.crl_file;
	config->unadvertised = !section.advertise;
	return 0;
}

/* "phonecert", or "phonecert voice" for phonecert voice { }: a section as it is written. */
static char const *section_label(CONF_SECTION const *cs, char *buf, size_t len)
{
	if (cf_section_name2(cs)) snprintf(buf, len, "%s %s", cf_section_name1(cs), cf_section_name2(cs));
	else snprintf(buf, len, "%s", cf_section_name1(cs));
	return buf;
}

int phonecert_conf_anchors(CONF_SECTION *cs, phonecert_anchors_t *anchors, pc_problem_fn *sink, void *ctx)
{
	CONF_ITEM *ci;
	size_t n = 0;

	for (ci = cf_item_find_next(cs, NULL); ci; ci = cf_item_find_next(cs, ci)) n += cf_item_is_section(ci);
	*anchors = (phonecert_anchors_t) {
		.configs = talloc_zero_array(cs, pc_anchor_config, n ? n : 1),
		.sections = talloc_zero_array(cs, CONF_SECTION *, n ? n : 1),
	};
	if (!anchors->configs || !anchors->sections) {
		phonecert_conf_tell_section(sink, ctx, cs, "Out of memory");
		return -1;
	}
	for (ci = cf_item_find_next(cs, NULL); ci; ci = cf_item_find_next(cs, ci)) {
		static char const *const anchor_kinds[] = { "capf", "lsc_ca", "manufacturing", PHONECERT_EXPECTED_SECTION, FLEET_SECTION };
		CONF_SECTION *sub;
		pc_anchor_kind kind;
		char label[160];

		if (!cf_item_is_section(ci)) continue;
		sub = cf_item_to_section(ci);
		if (strcmp(cf_section_name1(sub), PHONECERT_EXPECTED_SECTION) == 0) continue;	/* phonecert_conf_expected's */
		if (strcmp(cf_section_name1(sub), FLEET_SECTION) == 0) continue;	/* phonecert_conf_options reads it */
		if (!pc_anchor_kind_parse(cf_section_name1(sub), &kind)) {
			return refuse_unknown_section(sub, section_label(cs, label, sizeof(label)), anchor_kinds,
						      sizeof(anchor_kinds) / sizeof(anchor_kinds[0]), sink, ctx);
		}
		if (parse_anchor(sub, kind, &anchors->configs[anchors->count], sink, ctx) < 0) return -1;
		anchors->sections[anchors->count++] = sub;
	}
	return 0;
}

/*
 *	expected_phones: phonecert report's phone lists (doc/cucm.md)
 */

static const CONF_PARSER expected_config[] = {
	{ "waivers", FR_CONF_OFFSET(PW_TYPE_STRING, pc_expected_config, waivers), NULL },
	{ "since", FR_CONF_OFFSET(PW_TYPE_STRING, pc_expected_config, since), NULL },
	CONF_PARSER_TERMINATOR
};

static const CONF_PARSER list_config[] = {
	{ "file", FR_CONF_OFFSET(PW_TYPE_STRING | PW_TYPE_REQUIRED, pc_list_config, file), NULL },
	{ "retiring", FR_CONF_OFFSET(PW_TYPE_STRING, pc_list_config, retiring), NULL },
	CONF_PARSER_TERMINATOR
};

/* name is a capf or lsc_ca section of the phonecert section cs. */
static bool lsc_anchor_named(CONF_SECTION *cs, char const *name)
{
	return cf_section_sub_find_name2(cs, "capf", name) || cf_section_sub_find_name2(cs, "lsc_ca", name);
}

/* Every name of retiring = is another capf or lsc_ca section than the list's own. */
static int check_retiring(CONF_SECTION *cs, CONF_SECTION *list_cs, pc_list_config const *list, pc_problem_fn *sink,
			  void *ctx)
{
	char names[1024], *save = NULL;

	snprintf(names, sizeof(names), "%s", list->retiring);
	for (char *name = strtok_r(names, " \t", &save); name; name = strtok_r(NULL, " \t", &save)) {
		if (!lsc_anchor_named(cs, name) || (list->anchor && strcmp(name, list->anchor) == 0)) {
			tell_option(sink, ctx, list_cs, "retiring", NULL, "retiring = %s: %s is not another capf or lsc_ca "
				    "section of %s", list->retiring, name, cf_section_name1(cs));
			return -1;
		}
	}
	return 0;
}

static int parse_list(CONF_SECTION *cs, CONF_SECTION *list_cs, pc_list_config *list, pc_problem_fn *sink, void *ctx)
{
	CONF_SECTION *sub = cf_subsection_find_next(list_cs, NULL, NULL);

	*list = (pc_list_config) { .anchor = cf_section_name2(list_cs) };
	if (sub) return refuse_unknown_section(sub, "list", NULL, 0, sink, ctx);
	if (list->anchor && !lsc_anchor_named(cs, list->anchor)) {
		phonecert_conf_tell_section(sink, ctx, list_cs, "list %s: no capf or lsc_ca section of %s is named %s (the "
					    "name is the section the list's phones move to; no name: every one)",
					    list->anchor, cf_section_name1(cs), list->anchor);
		return -1;
	}
	if (check_options(list_cs, list_config, sink, ctx) < 0 || cf_section_parse(list_cs, list, list_config) < 0) return -1;
	return list->retiring ? check_retiring(cs, list_cs, list, sink, ctx) : 0;
}

int phonecert_conf_expected(CONF_SECTION *cs, pc_expected_config *expected, pc_problem_fn *sink, void *ctx)
{
	static char const *const list_names[] = { "list" };
	CONF_SECTION *section = cf_section_sub_find(cs, PHONECERT_EXPECTED_SECTION), *sub;
	time_t since;
	size_t n = 0;

	*expected = (pc_expected_config) { 0 };
	if (!section) return 0;
	if (cf_subsection_find_next(cs, section, PHONECERT_EXPECTED_SECTION)) {
		phonecert_conf_tell_section(sink, ctx, cf_subsection_find_next(cs, section, PHONECERT_EXPECTED_SECTION),
					    "A second " PHONECERT_EXPECTED_SECTION " section: give every list in the first");
		return -1;
	}
	if (check_options(section, expected_config, sink, ctx) < 0 || cf_section_parse(section, expected, expected_config) < 0) {
		return -1;
	}
	if (expected->since && !pc_time_parse(expected->since, &since)) {
		tell_option(sink, ctx, section, "since", NULL, "since = %s: not an RFC 3339 UTC time such as "
			    "2026-06-01T00:00:00Z", expected->since);
		return -1;
	}
	for (sub = cf_subsection_find_next(section, NULL, NULL); sub; sub = cf_subsection_find_next(section, sub, NULL)) {
		if (strcmp(cf_section_name1(sub), "list") != 0) {
			return refuse_unknown_section(sub, PHONECERT_EXPECTED_SECTION, list_names, 1, sink, ctx);
		}
		n++;
	}
	expected->lists = talloc_zero_array(section, pc_list_config, n ? n : 1);
	if (!expected->lists) {
		phonecert_conf_tell_section(sink, ctx, section, "Out of memory");
		return -1;
	}
	for (sub = cf_subsection_find_next(section, NULL, "list"); sub; sub = cf_subsection_find_next(section, sub, "list")) {
		if (parse_list(cs, sub, &expected->lists[expected->list_count], sink, ctx) < 0) return -1;
		expected->list_count++;
	}
	return 0;
}

/* radiusd's user: security { user = } (or the old top-level user =); without one, the user radiusd runs as. */
static int radiusd_user(CONF_SECTION *cs, uid_t *uid, pc_problem_fn *sink, void *ctx)
{
	CONF_SECTION *top = cf_top_section(cs), *security = cf_section_sub_find(top, "security");
	CONF_PAIR *cp = security ? cf_pair_find(security, "user") : NULL;
	struct passwd pw, *found = NULL;
	char buf[16384], message[512];

	if (!cp) cp = cf_pair_find(top, "user");
	if (!cp || !cf_pair_value(cp)) {
		*uid = geteuid();
		return 0;
	}
	if (getpwnam_r(cf_pair_value(cp), &pw, buf, sizeof(buf), &found) != 0 || !found) {
		snprintf(message, sizeof(message), "user = %s: no such user: who else may change the files phonecert "
			 "trusts cannot be told", cf_pair_value(cp));
		tell(sink, ctx, cf_pair_filename(cp), cf_pair_lineno(cp), NULL, message);
		return -1;
	}
	*uid = found->pw_uid;
	return 0;
}

/* One file: 1 (told) when someone else than root and user can change it. */
static int file_writers(CONF_SECTION *cs, char const *option, char const *path, pc_anchor_config const *anchor,
			uid_t user, pc_problem_fn *sink, void *ctx)
{
	char err[1024], label[160];

	if (!path || pc_writers_check(path, user, err, sizeof(err)) == 0) return 0;
	if (anchor) pc_anchor_config_label(anchor, label, sizeof(label));
	tell_option(sink, ctx, cs, option, anchor, "%s%s%s %s: %s", anchor ? label : "", anchor ? ": " : "", option, path, err);
	return 1;
}

/* fleet_secret_file: 1 (told) when someone else than root and user can read or change it. */
static int secret_readers(CONF_SECTION *cs, char const *path, uid_t user, pc_problem_fn *sink, void *ctx)
{
	char err[1024];

	if (!path || pc_secret_check(path, user, err, sizeof(err)) == 0) return 0;
	tell_option(sink, ctx, cs, "fleet_secret_file", NULL, "fleet_secret_file %s: %s (whoever reads it can seal a "
		    "TLS session that every server of the fleet resumes)", path, err);
	return 1;
}

int phonecert_conf_file_writers(CONF_SECTION *cs, phonecert_options_t const *options,
				phonecert_anchors_t const *anchors, pc_problem_fn *refuse, pc_problem_fn *warn, void *ctx)
{
	bool waived = strcmp(options->unsafe_permissions, "warn") == 0;
	pc_problem_fn *sink = waived ? warn : refuse;
	char copy_dir[PATH_MAX];
	int problems;
	uid_t user;

	if (radiusd_user(cs, &user, refuse, ctx) < 0) return -1;
	if (waived) {
		tell_option(warn, ctx, cs, "unsafe_permissions", NULL, "unsafe_permissions = warn: phonecert does not refuse a "
			    "ca_file, crl_file or block_file that others than root and radiusd's user can change, and whoever can "
			    "change one decides which phones are let in. Fix what phonecert lint lists, then remove this option");
	}
	problems = file_writers(cs, "block_file", options->block_file, NULL, user, sink, ctx);
	problems += file_writers(cf_section_sub_find(cs, FLEET_SECTION), "copy",
				 fleet_copy_guarded(&options->fleet_block_list, copy_dir), NULL, user, sink, ctx);
	for (size_t i = 0; i < anchors->count; i++) {
		pc_anchor_config const *config = &anchors->configs[i];

		problems += file_writers(anchors->sections[i], "ca_file", config->ca_file, config, user, sink, ctx);
		problems += file_writers(anchors->sections[i], "crl_file", config->crl_file, config, user, sink, ctx);
	}
	if (secret_readers(cs, options->fleet_secret_file, user, refuse, ctx)) return -1;
	return problems && !waived ? -1 : 0;
}

/* modules { eap { ... } } is instance "eap", modules { eap inner { ... } } instance "inner". */
static CONF_SECTION *find_eap_section(CONF_SECTION *modules, char const *instance)
{
	CONF_SECTION *cs;

	for (cs = cf_subsection_find_next(modules, NULL, "eap"); cs; cs = cf_subsection_find_next(modules, cs, "eap")) {
		if (strcmp(phonecert_conf_instance_name(cs), instance) == 0) return cs;
	}
	return NULL;
}

CONF_SECTION *phonecert_conf_tls_section(CONF_SECTION *cs, phonecert_options_t const *options,
					 pc_problem_fn *sink, void *ctx)
{
	CONF_SECTION *modules = cf_item_parent(cf_section_to_item(cs));
	CONF_SECTION *eap, *tls_cs;

	eap = modules ? find_eap_section(modules, options->eap_name) : NULL;
	if (!eap) {
		phonecert_conf_tell_section(sink, ctx, cs, "eap = %s: no eap module of that name in the modules section",
					    options->eap_name);
		return NULL;
	}
	tls_cs = cf_section_sub_find_name2(eap, "tls-config", options->tls_config_name);
	if (!tls_cs) {
		phonecert_conf_tell_section(sink, ctx, cs, "tls_config = %s: the eap module '%s' (%s) has no tls-config %s section",
					    options->tls_config_name, options->eap_name, cf_section_filename(eap), options->tls_config_name);
		return NULL;
	}
	return tls_cs;
}

/* policy { NAME { ... } }: a policy called by name from a site, as policy.d/phonecert's phonecert_post_auth. */
static CONF_SECTION *find_policy(CONF_SECTION const *cs, char const *name)
{
	CONF_SECTION *policies = cf_section_sub_find(cf_top_section((CONF_SECTION *)cs), "policy");

	return policies ? cf_section_sub_find(policies, name) : NULL;
}

/*
 *	Is the module called by this name anywhere inside cs (if-blocks,
 *	Post-Auth-Type subsections, policies it calls)? depth counts policies
 *	calling policies (radiusd refuses loops, but this runs before it checks).
 */
static bool section_calls(CONF_SECTION const *cs, char const *name, int depth)
{
	CONF_ITEM *ci;

	if (depth > 8) return false;
	for (ci = cf_item_find_next(cs, NULL); ci; ci = cf_item_find_next(cs, ci)) {
		if (cf_item_is_pair(ci)) {
			char const *called = cf_pair_attr(cf_item_to_pair(ci));
			CONF_SECTION *policy;

			if (strcmp(called, name) == 0) return true;
			policy = find_policy(cs, called);
			if (policy && section_calls(policy, name, depth + 1)) return true;
		}
		if (cf_item_is_section(ci) && section_calls(cf_item_to_section(ci), name, depth)) return true;
	}
	return false;
}

bool phonecert_conf_in_post_auth(CONF_SECTION *cs, char const *instance_name)
{
	CONF_SECTION *top = cf_top_section(cs), *server;

	for (server = cf_subsection_find_next(top, NULL, "server"); server;
	     server = cf_subsection_find_next(top, server, "server")) {
		CONF_SECTION *post_auth = cf_section_sub_find(server, "post-auth");

		if (post_auth && section_calls(post_auth, instance_name, 0)) return true;
	}
	return false;
}

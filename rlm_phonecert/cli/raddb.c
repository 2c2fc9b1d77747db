#include "raddb.h"
#include "conffile.h"

#include "../core/blocklist.h"
#include "../core/suggest.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct raddb {
	char *dir;
	conf_tree *main;		/* radiusd.conf: the variables */
	char const *phonecert_path;	/* mods-enabled/phonecert, or mods-available's */
	conf_tree *phonecert_file;
	conf_tree *eap_file;
	raddb_phonecert phonecert;
	pc_blocklist *blocklist;	/* phonecert.policy.blocklist */
	char **strings;			/* expanded values handed out */
	size_t string_count;
};

static int fail(char *err, size_t len, char const *fmt, ...) __attribute__((format(printf, 3, 4)));
static int fail(char *err, size_t len, char const *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, len, fmt, ap);
	va_end(ap);
	return -1;
}

static int fail_at(char *err, size_t len, conf_item const *item, char const *fmt, ...)
	__attribute__((format(printf, 4, 5)));
static int fail_at(char *err, size_t len, conf_item const *item, char const *fmt, ...)
{
	va_list ap;
	int used = snprintf(err, len, "%s[%d]: ", item->file, item->line);

	va_start(ap, fmt);
	if (used >= 0 && (size_t)used < len) vsnprintf(err + used, len - (size_t)used, fmt, ap);
	va_end(ap);
	return -1;
}

/* Keeps a string until raddb_close; NULL stays NULL. */
static char *keep(raddb *db, char *text)
{
	char **grown;

	if (!text) return NULL;
	grown = realloc(db->strings, (db->string_count + 1) * sizeof(*grown));
	if (!grown) {
		free(text);
		return NULL;
	}
	db->strings = grown;
	db->strings[db->string_count++] = text;
	return text;
}

static char *path_in(raddb const *db, char const *relative)
{
	size_t size = strlen(db->dir) + strlen(relative) + 2;
	char *path = malloc(size);

	if (path) snprintf(path, size, "%s/%s", db->dir, relative);
	return path;
}

raddb *raddb_open(char const *dir, char *err, size_t len)
{
	raddb *db = calloc(1, sizeof(*db));
	char *radiusd_conf;

	if (!db || !(db->dir = strdup(dir)) || !(radiusd_conf = path_in(db, "radiusd.conf"))) {
		fail(err, len, "out of memory");
		raddb_close(db);
		return NULL;
	}
	db->main = conf_read(radiusd_conf, dir, NULL, err, len);
	free(radiusd_conf);
	if (!db->main) {
		raddb_close(db);
		return NULL;
	}
	return db;
}

void raddb_close(raddb *db)
{
	if (!db) return;
	for (size_t i = 0; i < db->string_count; i++) free(db->strings[i]);
	free(db->strings);
	free(db->phonecert.anchors);
	pc_blocklist_free(db->blocklist);
	conf_free(db->phonecert_file);
	conf_free(db->eap_file);
	conf_free(db->main);
	free(db->dir);
	free(db);
}

/* The expanded value of a pair of section, or fallback when the pair is absent. */
static int setting(raddb *db, conf_tree const *tree, conf_item const *section, char const *name,
		   char const *fallback, char const **out, char *err, size_t len)
{
	conf_item const *pair = conf_find_pair(section, name);
	bool failed;
	char *value;

	*out = fallback;
	if (!pair) return 0;
	value = conf_expand(tree, pair, &failed, err, len);
	if (failed) return -1;
	if (!value) return 0;	/* a bare word: the option without a value */
	if (!keep(db, value)) return fail(err, len, "out of memory");
	*out = value;
	return 0;
}

/* The options the module's CONF_PARSER tables know (module/rlm_phonecert.c). */
static char const *const module_options[] = {
	"eap", "tls_config", "mic", "mic_expired", "mic_legacy_signatures", "bind_mac", "bind_identity", "block_file",
};
static char const *const anchor_options[] = { "ca_file", "accept_from", "accept_until", "crl_file" };

/* As the module refuses them: an option no one reads, or one set twice. */
static int check_options(conf_item const *section, char const *const *names, size_t count, char *err, size_t len)
{
	for (conf_item const *item = section->children; item; item = item->next) {
		conf_item const *first;
		char message[512];
		size_t i;

		if (item->is_section) continue;
		for (i = 0; i < count && strcmp(names[i], item->name1) != 0; i++);
		if (i == count) {
			pc_unknown_option_message(item->name1, section->name1, names, count, message, sizeof(message));
			return fail_at(err, len, item, "%s", message);
		}
		first = conf_find_pair(section, item->name1);
		if (first != item) {
			pc_duplicate_option_message(item->name1, section->name1, first->file, first->line, message,
						    sizeof(message));
			return fail_at(err, len, item, "%s", message);
		}
	}
	return 0;
}

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* Like the module's CONF_PARSER: an option that is absent keeps the core's default. */
static int read_policy(raddb *db, conf_item const *section, pc_policy *policy, char *err, size_t len)
{
	pc_policy_defaults(policy);
	for (size_t i = 0; pc_policy_options[i]; i++) {
		conf_item const *pair = conf_find_pair(section, pc_policy_options[i]);
		char const *value;
		char why[256];

		if (!pair) continue;
		if (setting(db, db->phonecert_file, section, pc_policy_options[i], NULL, &value, err, len) < 0) return -1;
		if (pc_policy_set(policy, pc_policy_options[i], value, why, sizeof(why)) < 0) {
			return fail_at(err, len, pair, "%s", why);
		}
	}
	return 0;
}

/* Read as the module reads it at start-up: a block list it refuses is a configuration it refuses. */
static int read_blocklist(raddb *db, conf_item const *section, char *err, size_t len)
{
	char why[1024];

	if (!db->phonecert.block_file) return 0;
	db->blocklist = pc_blocklist_load(db->phonecert.block_file, why, sizeof(why));
	if (!db->blocklist) return fail_at(err, len, conf_find_pair(section, "block_file"), "block_file %s", why);
	db->phonecert.policy.blocklist = db->blocklist;
	return 0;
}

/* The module's own checks on a section's name, before the core sees it. */
static int check_anchor_name(conf_item const *section, pc_anchor_kind kind, char *err, size_t len)
{
	if (kind != PC_ANCHOR_MANUFACTURING && !section->name2) {
		return fail_at(err, len, section, "A %s section needs a name, e.g. %s cluster-2024 { ca_file = ... }",
			       section->name1, section->name1);
	}
	if (kind == PC_ANCHOR_MANUFACTURING && section->name2) {
		return fail_at(err, len, section, "There is one manufacturing section and it takes no name");
	}
	return 0;
}

static int read_anchor(raddb *db, conf_item const *section, raddb_anchor *anchor, char *err, size_t len)
{
	pc_anchor_kind kind;
	pc_anchor_config *config = &anchor->config;

	if (!pc_anchor_kind_parse(section->name1, &kind)) {
		return fail_at(err, len, section, "Unknown section '%s': expected capf, lsc_ca or manufacturing",
			       section->name1);
	}
	if (check_anchor_name(section, kind, err, len) < 0 ||
	    check_options(section, anchor_options, COUNT(anchor_options), err, len) < 0) return -1;
	*anchor = (raddb_anchor) { .file = section->file, .line = section->line };
	config->kind = kind;
	config->name = kind == PC_ANCHOR_MANUFACTURING ? "manufacturing" : section->name2;
	if (setting(db, db->phonecert_file, section, "ca_file", NULL, &config->ca_file, err, len) < 0 ||
	    setting(db, db->phonecert_file, section, "accept_from", NULL, &config->accept_from, err, len) < 0 ||
	    setting(db, db->phonecert_file, section, "accept_until", NULL, &config->accept_until, err, len) < 0 ||
	    setting(db, db->phonecert_file, section, "crl_file", NULL, &config->crl_file, err, len) < 0) {
		return -1;
	}
	return 0;
}

static int read_anchors(raddb *db, conf_item const *section, char *err, size_t len)
{
	size_t count = 0;

	for (conf_item const *item = section->children; item; item = item->next) count += item->is_section;
	db->phonecert.anchors = calloc(count ? count : 1, sizeof(raddb_anchor));
	if (!db->phonecert.anchors) return fail(err, len, "out of memory");
	for (conf_item const *item = section->children; item; item = item->next) {
		if (!item->is_section) continue;
		if (read_anchor(db, item, &db->phonecert.anchors[db->phonecert.anchor_count], err, len) < 0) return -1;
		db->phonecert.anchor_count++;
	}
	return 0;
}

/* mods-enabled/phonecert, or mods-available/phonecert when the module is not enabled. */
static char *phonecert_file_path(raddb const *db, char *err, size_t len)
{
	char *enabled = path_in(db, "mods-enabled/phonecert"), *available;

	if (!enabled) {
		fail(err, len, "out of memory");
		return NULL;
	}
	if (access(enabled, F_OK) == 0 || errno != ENOENT) return enabled;
	available = path_in(db, "mods-available/phonecert");
	if (!available) fail(err, len, "out of memory");
	else fprintf(stderr, "phonecert: %s does not exist (the module is not enabled): reading %s\n", enabled, available);
	free(enabled);
	return available;
}

/* The phonecert section of its file (read once), or NULL with err. */
static conf_item const *phonecert_section(raddb *db, char *err, size_t len)
{
	conf_item const *section;

	if (!db->phonecert_path) {
		db->phonecert_path = keep(db, phonecert_file_path(db, err, len));
		if (!db->phonecert_path) return NULL;
	}
	if (!db->phonecert_file) db->phonecert_file = conf_read(db->phonecert_path, db->dir, db->main, err, len);
	if (!db->phonecert_file) return NULL;
	section = conf_find_section(conf_root(db->phonecert_file), "phonecert", NULL);
	if (!section) fail(err, len, "%s: no phonecert { ... } section", db->phonecert_path);
	return section;
}

int raddb_read_block_file(raddb *db, char const **path, char *err, size_t len)
{
	conf_item const *section = phonecert_section(db, err, len);

	if (!section) return -1;
	return setting(db, db->phonecert_file, section, "block_file", NULL, path, err, len);
}

int raddb_read_phonecert(raddb *db, raddb_phonecert const **out, char *err, size_t len)
{
	conf_item const *section = phonecert_section(db, err, len);
	raddb_phonecert *pc = &db->phonecert;

	if (!section) return -1;
	pc->file = section->file;
	pc->line = section->line;
	/* The module reads its options before its anchors: the same error comes first. */
	if (check_options(section, module_options, COUNT(module_options), err, len) < 0 ||
	    setting(db, db->phonecert_file, section, "eap", "eap", &pc->eap_name, err, len) < 0 ||
	    setting(db, db->phonecert_file, section, "tls_config", "tls-common", &pc->tls_config_name, err, len) < 0 ||
	    setting(db, db->phonecert_file, section, "block_file", NULL, &pc->block_file, err, len) < 0 ||
	    read_policy(db, section, &pc->policy, err, len) < 0 || read_blocklist(db, section, err, len) < 0 ||
	    read_anchors(db, section, err, len) < 0) {
		return -1;
	}
	*out = pc;
	return 0;
}

/* eap { } is instance "eap", eap inner { } is instance "inner": as the module finds it. */
static conf_item const *find_eap_module(conf_item const *root, char const *instance)
{
	for (conf_item const *item = root->children; item; item = item->next) {
		if (!item->is_section || strcmp(item->name1, "eap") != 0) continue;
		if (strcmp(item->name2 ? item->name2 : item->name1, instance) == 0) return item;
	}
	return NULL;
}

int raddb_read_eap_tls_option(raddb *db, raddb_phonecert const *phonecert, char const *option,
			      char const **value, char *err, size_t len)
{
	char *path = path_in(db, "mods-enabled/eap");
	conf_item const *eap, *tls;
	int rc = -1;

	if (!path) return fail(err, len, "out of memory");
	if (!db->eap_file) db->eap_file = conf_read(path, db->dir, db->main, err, len);
	if (!db->eap_file) goto done;
	eap = find_eap_module(conf_root(db->eap_file), phonecert->eap_name);
	if (!eap) {
		fail(err, len, "%s[%d]: eap = %s: no eap module of that name in %s", phonecert->file, phonecert->line,
		     phonecert->eap_name, path);
		goto done;
	}
	tls = conf_find_section(eap, "tls-config", phonecert->tls_config_name);
	if (!tls) {
		fail(err, len, "%s[%d]: tls_config = %s: the eap module '%s' (%s) has no tls-config %s section",
		     phonecert->file, phonecert->line, phonecert->tls_config_name, phonecert->eap_name, eap->file,
		     phonecert->tls_config_name);
		goto done;
	}
	rc = setting(db, db->eap_file, tls, option, NULL, value, err, len);
done:
	free(path);
	return rc;
}

char const *raddb_anchor_where(raddb_anchor const *anchor, char *buf, size_t len)
{
	if (anchor && anchor->file) snprintf(buf, len, "%s[%d]: ", anchor->file, anchor->line);
	else if (len) buf[0] = '\0';
	return buf;
}

pc_trust *raddb_build_trust(raddb_anchor const *anchors, size_t count, raddb_refusal_fn *report, void *ctx,
			    bool *refused)
{
	pc_trust *trust = pc_trust_new();

	*refused = false;
	if (!trust) return NULL;
	for (size_t i = 0; i < count; i++) {
		if (pc_trust_add(trust, &anchors[i].config) == 0) continue;
		report(ctx, &anchors[i], pc_trust_error(trust));
		*refused = true;
	}
	/* With every anchor refused, "no anchors are configured" would only repeat the refusals. */
	if (pc_trust_seal(trust) < 0 && (pc_trust_anchor_count(trust) > 0 || !*refused)) {
		report(ctx, NULL, pc_trust_error(trust));
		*refused = true;
	}
	return trust;
}

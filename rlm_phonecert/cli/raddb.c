/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A raddb read by FreeRADIUS' own parser, as radmin reads it (raddb.h).
 */
RCSID("$Id$")

#include <freeradius/radiusd.h>

#include <fnmatch.h>
#include <netdb.h>
#include <sys/resource.h>
#include <sys/wait.h>

#include "../config/dictionary.h"
#include "../config/phonecert_conf.h"
#include "../core/text.h"
#include "raddb.h"

/* Debian's FreeRADIUS keeps its dictionaries here (radiusd.conf's dictdir). */
#define FREERADIUS_DICTDIR "/usr/share/freeradius"

/* libfreeradius-server calls these, which radiusd's thread pool defines; the tool has no pool. */
pid_t rad_fork(void)
{
	return fork();
}

pid_t rad_waitpid(pid_t pid, int *status)
{
	return waitpid(pid, status, 0);
}

typedef struct {
	CONF_SECTION		*cs;
	phonecert_options_t	options;
	phonecert_anchors_t	anchors;	/* as the module reads them; public.anchors are their configs */
	pc_blocklist		*blocklist;
	pc_expected_config	expected;	/* phonecert_conf_expected's */
	raddb_phonecert		public;		/* filled by raddb_read_phonecert */
	bool			read;
} instance_t;

struct raddb {
	char const	*dir;
	CONF_SECTION	*main;
	instance_t	*instances;
	size_t		count;
};

/* As radmin does: FreeRADIUS' messages on stderr, plain, without timestamps. */
static int start_freeradius(char const *dir, char *err, size_t len)
{
	static bool started;

	if (started) return 0;
	if (fr_check_lib_magic(RADIUSD_MAGIC_NUMBER) < 0) {
		return pc_fail(err, len, "libfreeradius is not the FreeRADIUS phonecert was built against "
			    "(rebuild phonecert after upgrading FreeRADIUS): %s", fr_strerror());
	}
	default_log.dst = L_DST_STDERR;
	default_log.fd = STDERR_FILENO;
	rad_debug_lvl = 1;	/* FreeRADIUS prints no timestamps at debug levels 1 and 2 */
	/* Unlang in the virtual servers is compiled while it is read: the dictionaries come first. */
	if (dict_init(FREERADIUS_DICTDIR, RADIUS_DICTIONARY) < 0) {
		return pc_fail(err, len, "cannot read the dictionaries in " FREERADIUS_DICTDIR ": %s", fr_strerror());
	}
	if (dict_read(dir, RADIUS_DICTIONARY) == -1) {
		return pc_fail(err, len, "cannot read %s/" RADIUS_DICTIONARY ": %s", dir, fr_strerror());
	}
	started = true;
	return 0;
}

static int find_instances(raddb *db)
{
	CONF_SECTION *modules = cf_section_sub_find(db->main, "modules"), *cs;
	size_t n = 0;

	if (!modules) return 0;
	for (cs = cf_subsection_find_next(modules, NULL, "phonecert"); cs; cs = cf_subsection_find_next(modules, cs, "phonecert")) n++;
	db->instances = talloc_zero_array(db->main, instance_t, n ? n : 1);
	if (!db->instances) return -1;
	for (cs = cf_subsection_find_next(modules, NULL, "phonecert"); cs; cs = cf_subsection_find_next(modules, cs, "phonecert")) {
		db->instances[db->count++].cs = cs;
	}
	return 0;
}

/*
 *	FreeRADIUS' parser follows an $INCLUDE loop until the stack overflows
 *	(cf_file_include recurses without a depth limit: freeradius -CX crashes
 *	the same way). So the configuration is read first in a child process,
 *	and here only once the child has read it without crashing. A child
 *	rather than a loop detector of our own, because it is the more robust:
 *	it needs no copy of FreeRADIUS' rules for $INCLUDE (relative to the
 *	including file, ${} expansions, directories, $-INCLUDE), which would
 *	have to follow FreeRADIUS exactly to find every loop; and it survives
 *	any crash of the parser, not only this one. The child logs the files it
 *	opens (FreeRADIUS' own "including configuration file" lines), which
 *	name those of the loop.
 */
#define INCLUDING "including configuration file "

/* The files of the log the child wrote, in the order it included them. *count 0: none (or no memory). */
static char **included_files(FILE *log, size_t *count)
{
	char **files = NULL, line[PATH_MAX + sizeof(INCLUDING) + 2];

	*count = 0;
	rewind(log);
	while (fgets(line, sizeof(line), log)) {
		char **grown;

		if (strncmp(line, INCLUDING, strlen(INCLUDING)) != 0) continue;
		line[strcspn(line, "\n")] = '\0';
		grown = talloc_realloc(NULL, files, char *, *count + 1);
		if (!grown) break;
		files = grown;
		files[*count] = talloc_strdup(files, line + strlen(INCLUDING));
		if (!files[*count]) break;
		(*count)++;
	}
	return files;
}

/*
 * The smallest period of the last half of files: a loop includes the same
 * files in the same order at every level, until the stack runs out. 0 when
 * the tail repeats nothing.
 */
static size_t loop_period(char **files, size_t count)
{
	size_t tail = count / 2;

	for (size_t period = 1; period * 2 <= tail; period++) {
		size_t i;

		for (i = 0; i + period < tail && strcmp(files[count - 1 - i], files[count - 1 - i - period]) == 0; i++);
		if (i + period >= tail) return period;
	}
	return 0;
}

/* The file of the loop (files[count - period .. count)) that FreeRADIUS included first: where the loop is entered. */
static size_t loop_entry(char **files, size_t count, size_t period)
{
	size_t entry = count - period, earliest = count;

	for (size_t i = 0; i < count; i++) {
		for (size_t member = count - period; member < count && earliest == count; member++) {
			if (strcmp(files[i], files[member]) != 0) continue;
			earliest = i;
			entry = member;
		}
	}
	return entry;
}

/* Why the child crashed: the files of the loop, each once, in the order FreeRADIUS includes them. */
static void explain_crash(FILE *log, char const *path, int signal, char *err, size_t len)
{
	size_t count, period, used, first, entry;
	char **files = included_files(log, &count);

	period = loop_period(files, count);
	if (!period) {
		snprintf(err, len, "FreeRADIUS' configuration parser crashed (%s) reading %s%s%s", strsignal(signal), path,
			 count ? ", after including " : "", count ? files[count - 1] : "");
		talloc_free(files);
		return;
	}
	used = (size_t)snprintf(err, len, "FreeRADIUS' configuration parser crashed (%s) reading %s: an $INCLUDE loop, "
				"it includes these files again and again until its stack runs out: ", strsignal(signal), path);
	first = count - period;
	entry = loop_entry(files, count, period) - first;
	for (size_t i = 0; i < period && used < len; i++) {
		used += (size_t)snprintf(err + used, len - used, "%s%s", files[first + (entry + i) % period],
					 i + 1 < period ? ", " : "");
	}
	talloc_free(files);
}

static void read_and_exit(char const *path, FILE *log)
{
	struct rlimit no_core = { 0, 0 };

	setrlimit(RLIMIT_CORE, &no_core);	/* the crash is expected, and explained by the parent */
	if (dup2(fileno(log), STDERR_FILENO) < 0) _exit(2);
	rad_debug_lvl = 2;			/* FreeRADIUS' "including configuration file" lines */
	_exit(cf_file_read(cf_section_alloc(NULL, "main", NULL), path) < 0 ? 1 : 0);
}

/* 0 when a child read path without crashing (whether FreeRADIUS accepted it or not); -1 with err. */
static int read_in_child(char const *path, char *err, size_t len)
{
	FILE *log = tmpfile();
	int status;
	pid_t pid;

	if (!log) return pc_fail(err, len, "cannot make a temporary file: %s", strerror(errno));
	fflush(NULL);
	pid = fork();
	if (pid == 0) read_and_exit(path, log);
	if (pid < 0 || waitpid(pid, &status, 0) != pid) {
		fclose(log);
		return pc_fail(err, len, "cannot read %s in a child process: %s", path, strerror(errno));
	}
	if (WIFSIGNALED(status)) explain_crash(log, path, WTERMSIG(status), err, len);
	fclose(log);
	return WIFSIGNALED(status) ? -1 : 0;
}

raddb *raddb_open(char const *dir, char *err, size_t len)
{
	char path[PATH_MAX];
	raddb *db;

	if (start_freeradius(dir, err, len) < 0) return NULL;
	if ((size_t)snprintf(path, sizeof(path), "%s/radiusd.conf", dir) >= sizeof(path)) {
		pc_fail(err, len, "%s: path too long", dir);
		return NULL;
	}
	if (access(path, R_OK) != 0) {
		pc_fail(err, len, "cannot read %s: %s", path, strerror(errno));
		return NULL;
	}
	if (read_in_child(path, err, len) < 0) return NULL;
	db = talloc_zero(NULL, raddb);
	if (db) db->main = talloc_steal(db, cf_section_alloc(NULL, "main", NULL));
	if (db) db->dir = talloc_strdup(db, dir);
	if (!db || !db->main || !db->dir) {
		talloc_free(db);
		pc_fail(err, len, "out of memory");
		return NULL;
	}
	if (cf_file_read(db->main, path) < 0) {
		pc_fail(err, len, "FreeRADIUS cannot read the configuration %s (its errors are above)", path);
		talloc_free(db);
		return NULL;
	}
	if (find_instances(db) < 0) {
		pc_fail(err, len, "out of memory");
		talloc_free(db);
		return NULL;
	}
	return db;
}

void raddb_close(raddb *db)
{
	for (size_t i = 0; db && i < db->count; i++) pc_blocklist_free(db->instances[i].blocklist);
	talloc_free(db);
}

size_t raddb_instance_count(raddb const *db)
{
	return db->count;
}

char const *raddb_instance_name(raddb const *db, size_t index)
{
	return phonecert_conf_instance_name(db->instances[index].cs);
}

/* The names of all instances, "a, b, c", for messages. */
static void instance_names(raddb const *db, char *buf, size_t len)
{
	size_t used = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < db->count && used < len; i++) {
		used += (size_t)snprintf(buf + used, len - used, "%s%s", i ? ", " : "", raddb_instance_name(db, i));
	}
}

static instance_t *find_instance(raddb *db, char const *name, char *err, size_t len)
{
	char names[512];

	if (db->count == 0) {
		pc_fail(err, len, "no phonecert module in %s: its modules section has no phonecert section "
		     "(enable it: ln -s ../mods-available/phonecert mods-enabled/)", db->dir);
		return NULL;
	}
	instance_names(db, names, sizeof(names));
	if (!name) {
		if (db->count == 1) return &db->instances[0];
		pc_fail(err, len, "%zu phonecert instances (%s): choose one with --instance NAME", db->count, names);
		return NULL;
	}
	for (size_t i = 0; i < db->count; i++) {
		if (strcmp(raddb_instance_name(db, i), name) == 0) return &db->instances[i];
	}
	pc_fail(err, len, "no phonecert instance '%s' (the configuration has: %s)", name, names);
	return NULL;
}

/* The first problem, "file[line]: message" as cf_log_err_cs prints it. */
typedef struct {
	char	*err;
	size_t	len;
	bool	told;
} first_problem_t;

static void keep_first(void *ctx, pc_problem const *problem)
{
	first_problem_t *first = ctx;

	if (first->told) return;
	snprintf(first->err, first->len, "%s[%d]: %s", problem->file, problem->line, problem->message);
	first->told = true;
}

/* The anchors, their problems told to first (read_instance's). */
static int read_anchors(instance_t *in, first_problem_t *first)
{
	if (phonecert_conf_anchors(in->cs, &in->anchors, keep_first, first) < 0) return -1;
	in->public.anchors = in->anchors.configs;
	in->public.anchor_count = in->anchors.count;
	return 0;
}

/* The module reads its options, policy and block list before its anchors: the same error comes first. */
static int read_instance(instance_t *in, char *err, size_t len)
{
	first_problem_t first = { .err = err, .len = len };
	char problem[256];

	if (phonecert_conf_options(in->cs, &in->options, keep_first, &first) < 0) {
		if (!first.told) pc_fail(err, len, "%s[%d]: phonecert %s is refused (FreeRADIUS says why above)",
				      cf_section_filename(in->cs), cf_section_lineno(in->cs),
				      phonecert_conf_instance_name(in->cs));
		return -1;
	}
	if (phonecert_dictionary_problem(problem, sizeof(problem))) {
		return pc_fail(err, len, "%s[%d]: %s", cf_section_filename(in->cs), cf_section_lineno(in->cs), problem);
	}
	if (phonecert_conf_policy(in->cs, &in->options, &in->public.policy, keep_first, &first) < 0 ||
	    phonecert_conf_blocklist(in->cs, &in->options, &in->blocklist, keep_first, &first) < 0 ||
	    read_anchors(in, &first) < 0 || phonecert_conf_expected(in->cs, &in->expected, keep_first, &first) < 0) {
		if (!first.told) pc_fail(err, len, "%s[%d]: phonecert %s is refused (FreeRADIUS says why above)",
				      cf_section_filename(in->cs), cf_section_lineno(in->cs),
				      phonecert_conf_instance_name(in->cs));
		return -1;
	}
	in->public = (raddb_phonecert) {
		.instance = phonecert_conf_instance_name(in->cs),
		.file = cf_section_filename(in->cs),
		.line = cf_section_lineno(in->cs),
		.eap_name = in->options.eap_name,
		.tls_config_name = in->options.tls_config_name,
		.block_file = in->options.block_file,
		.fleet_copy = in->options.fleet_block_list.db ? in->options.fleet_block_list.copy : NULL,
		.fleet_refresh = in->options.fleet_block_list.refresh,
		.policy = in->public.policy,
		.anchors = in->public.anchors,
		.anchor_count = in->public.anchor_count,
		.expected = in->expected,
	};
	in->public.policy.blocklist = in->blocklist;
	return 0;
}

int raddb_read_phonecert(raddb *db, char const *name, raddb_phonecert const **out, char *err, size_t len)
{
	instance_t *in = find_instance(db, name, err, len);

	if (!in) return -1;
	if (!in->read) {
		if (read_instance(in, err, len) < 0) return -1;
		in->read = true;
	}
	*out = &in->public;
	return 0;
}

int raddb_read_block_file(raddb *db, char const **path, char *err, size_t len)
{
	instance_t *in = find_instance(db, NULL, err, len);

	if (!in) return -1;
	/* A plain string: the file may not exist yet (the module's option is a file that must). */
	*path = NULL;
	if (cf_item_parse(in->cs, "block_file", PW_TYPE_STRING, path, NULL) < 0) {
		return pc_fail(err, len, "%s[%d]: block_file cannot be read (FreeRADIUS says why above)",
			    cf_section_filename(in->cs), cf_section_lineno(in->cs));
	}
	return 0;
}

int raddb_read_eap_tls_option(raddb *db, raddb_phonecert const *phonecert, char const *option,
			      char const **value, char *err, size_t len)
{
	instance_t *in = find_instance(db, phonecert->instance, err, len);
	first_problem_t first = { .err = err, .len = len };
	CONF_SECTION *tls_cs;

	if (!in) return -1;
	tls_cs = phonecert_conf_tls_section(in->cs, &in->options, keep_first, &first);
	if (!tls_cs) return -1;
	/* As eap's own parser reads it: $template and references resolved. */
	*value = NULL;
	if (cf_item_parse(tls_cs, option, PW_TYPE_STRING, value, NULL) < 0) {
		return pc_fail(err, len, "%s[%d]: %s of tls-config %s cannot be read (FreeRADIUS says why above)",
			    cf_section_filename(tls_cs), cf_section_lineno(tls_cs), option, phonecert->tls_config_name);
	}
	return 0;
}

int raddb_check_file_writers(raddb *db, raddb_phonecert const *phonecert, pc_problem_fn *refuse, pc_problem_fn *warn,
			     void *ctx)
{
	char err[256];
	instance_t *in = find_instance(db, phonecert->instance, err, sizeof(err));

	if (!in) return -1;	/* cannot happen: phonecert was read from db */
	return phonecert_conf_file_writers(in->cs, &in->options, &in->anchors, refuse, warn, ctx);
}

/* A listen section of RADIUS authentications over UDP: type auth, auth+acct, auth+coa, auth+acct+coa. */
static bool listens_for_auth_udp(CONF_SECTION *listen)
{
	CONF_PAIR *type_pair = cf_pair_find(listen, "type"), *proto = cf_pair_find(listen, "proto");
	char const *type = type_pair ? cf_pair_value(type_pair) : NULL;

	if (!type || (strcmp(type, "auth") != 0 && strncmp(type, "auth+", 5) != 0)) return false;
	return !proto || !cf_pair_value(proto) || strcmp(cf_pair_value(proto), "udp") == 0;
}

/* Its port as radiusd binds it: 0 is the radius service of /etc/services, or 1812. */
static int listen_port(CONF_SECTION *listen, uint16_t *port, char *err, size_t len)
{
	struct servent *service;

	if (cf_item_parse(listen, "port", FR_ITEM_POINTER(PW_TYPE_SHORT, port), "0") < 0) {
		return pc_fail(err, len, "%s[%d]: the port of this listen section cannot be read (FreeRADIUS says why above)",
			       cf_section_filename(listen), cf_section_lineno(listen));
	}
	if (*port) return 0;
	service = getservbyname("radius", "udp");
	*port = service ? ntohs(service->s_port) : PW_AUTH_UDP_PORT;
	return 0;
}

/* port into ports[] (max of them) unless it is there already; *count goes past max when it does not fit. */
static void add_port(uint16_t port, uint16_t *ports, size_t max, size_t *count)
{
	size_t stored = *count < max ? *count : max;

	for (size_t i = 0; i < stored; i++) {
		if (ports[i] == port) return;
	}
	if (*count < max) ports[*count] = port;
	(*count)++;
}

/* The ports of cs's listen sections (cs: the main section, or a virtual server). */
static int add_auth_ports(CONF_SECTION *cs, uint16_t *ports, size_t max, size_t *count, char *err, size_t len)
{
	for (CONF_SECTION *listen = cf_subsection_find_next(cs, NULL, "listen"); listen;
	     listen = cf_subsection_find_next(cs, listen, "listen")) {
		uint16_t port;

		if (!listens_for_auth_udp(listen)) continue;
		if (listen_port(listen, &port, err, len) < 0) return -1;
		add_port(port, ports, max, count);
	}
	return 0;
}

int raddb_auth_ports(raddb *db, uint16_t *ports, size_t max, size_t *count, char *err, size_t len)
{
	*count = 0;
	if (add_auth_ports(db->main, ports, max, count, err, len) < 0) return -1;
	for (CONF_SECTION *server = cf_subsection_find_next(db->main, NULL, "server"); server;
	     server = cf_subsection_find_next(db->main, server, "server")) {
		if (add_auth_ports(server, ports, max, count, err, len) < 0) return -1;
	}
	return 0;
}

/* The name sql_phonecert gives the spool, which the phonecert_inventory policy calls. */
#define INVENTORY_SPOOL_MODULE "phonecert_inventory_spool"

/* A detail listener reading filename: its filename may be a glob pattern, as the detail reader allows. */
static bool listener_reads(CONF_SECTION *listen, char const *filename)
{
	CONF_PAIR *type = cf_pair_find(listen, "type"), *pattern = cf_pair_find(listen, "filename");

	return type && pattern && cf_pair_value(type) && cf_pair_value(pattern) &&
	       strcmp(cf_pair_value(type), "detail") == 0 && fnmatch(cf_pair_value(pattern), filename, FNM_PATHNAME) == 0;
}

/* A listen section of cs (the main section, or a virtual server) that reads filename. */
static bool any_listener_reads(CONF_SECTION *cs, char const *filename)
{
	for (CONF_SECTION *listen = cf_subsection_find_next(cs, NULL, "listen"); listen;
	     listen = cf_subsection_find_next(cs, listen, "listen")) {
		if (listener_reads(listen, filename)) return true;
	}
	return false;
}

void raddb_read_inventory_spool(raddb *db, raddb_inventory_spool *out)
{
	CONF_SECTION *modules = cf_section_sub_find(db->main, "modules");
	CONF_SECTION *spool = modules ? cf_section_sub_find_name2(modules, "detail", INVENTORY_SPOOL_MODULE) : NULL;
	CONF_PAIR *filename;

	*out = (raddb_inventory_spool) { 0 };
	if (!spool) return;
	filename = cf_pair_find(spool, "filename");
	if (!filename || !cf_pair_value(filename)) return;	/* rlm_detail's default file, not sql_phonecert's */
	out->filename = cf_pair_value(filename);
	out->file = cf_section_filename(spool);
	out->line = cf_section_lineno(spool);
	out->read = any_listener_reads(db->main, out->filename);
	for (CONF_SECTION *server = cf_subsection_find_next(db->main, NULL, "server"); server && !out->read;
	     server = cf_subsection_find_next(db->main, server, "server")) {
		out->read = any_listener_reads(server, out->filename);
	}
}

/*
 *	Where a CoA goes (raddb_find_coa_target)
 */

/* A string option as FreeRADIUS' own parser reads it ($template, references), or NULL. */
static char const *option_of(CONF_SECTION *cs, char const *name, int type)
{
	char const *value = NULL;

	if (cf_item_parse(cs, name, type, &value, NULL) < 0) return NULL;
	return value;
}

/* The address (and prefix) a client or home_server section names: ipaddr, ipv4addr or ipv6addr, as radiusd resolves it. */
static bool section_address(CONF_SECTION *cs, fr_ipaddr_t *out)
{
	static struct { char const *option; int af; } const forms[] = {
		{ "ipaddr", AF_UNSPEC }, { "ipv4addr", AF_INET }, { "ipv6addr", AF_INET6 },
	};

	for (size_t i = 0; i < sizeof(forms) / sizeof(forms[0]); i++) {
		char const *value = option_of(cs, forms[i].option, PW_TYPE_STRING);

		if (value && fr_pton(out, value, -1, forms[i].af, true) == 0) return true;
	}
	return false;
}

/* The client of cs (the main section, or a virtual server) with the longest prefix covering address; *ties counts equal ones. */
static void best_client(CONF_SECTION *cs, fr_ipaddr_t const *address, CONF_SECTION **best, int *best_prefix, int *ties)
{
	for (CONF_SECTION *client = cf_subsection_find_next(cs, NULL, "client"); client;
	     client = cf_subsection_find_next(cs, client, "client")) {
		fr_ipaddr_t net, masked = *address;

		if (!section_address(client, &net) || net.af != address->af) continue;
		fr_ipaddr_mask(&masked, net.prefix);
		if (fr_ipaddr_cmp(&masked, &net) != 0 || net.prefix < *best_prefix) continue;
		*ties = net.prefix == *best_prefix ? *ties + 1 : 0;
		*best_prefix = net.prefix;
		*best = client;
	}
}

/* The clients radiusd has: clients.conf's, and each virtual server's own. */
static CONF_SECTION *find_client(raddb *db, fr_ipaddr_t const *address, int *ties)
{
	CONF_SECTION *best = NULL;
	int prefix = -1;

	*ties = 0;
	best_client(db->main, address, &best, &prefix, ties);
	for (CONF_SECTION *server = cf_subsection_find_next(db->main, NULL, "server"); server;
	     server = cf_subsection_find_next(db->main, server, "server")) {
		best_client(server, address, &best, &prefix, ties);
	}
	return best;
}

/* A home_server that takes CoA: its type is coa, auth+coa or auth+acct+coa. */
static CONF_SECTION *coa_home_server(raddb *db, char const *name)
{
	CONF_SECTION *home = cf_section_sub_find_name2(db->main, "home_server", name);
	char const *type = home ? option_of(home, "type", PW_TYPE_STRING) : NULL;

	return type && strstr(type, "coa") ? home : NULL;
}

/* coa_server = NAME: a home_server, or a home_server_pool's first home_server of type coa. */
static CONF_SECTION *named_coa_server(raddb *db, char const *name)
{
	CONF_SECTION *home = coa_home_server(db, name), *pool;

	if (home) return home;
	pool = cf_section_sub_find_name2(db->main, "home_server_pool", name);
	for (CONF_PAIR *cp = pool ? cf_pair_find(pool, "home_server") : NULL; cp; cp = cf_pair_find_next(pool, cp, "home_server")) {
		if (cf_pair_value(cp) && (home = coa_home_server(db, cf_pair_value(cp)))) return home;
	}
	return NULL;
}

/* The home server's address, port and secret; a coa_server { } falls back to its client's address and secret. */
static int read_home_server(CONF_SECTION *home, CONF_SECTION *client, raddb_coa_target *out, char *err, size_t len)
{
	fr_ipaddr_t address;

	if (!section_address(home, &address) && !(client && section_address(client, &address))) {
		return pc_fail(err, len, "%s[%d]: the CoA server has no address (ipaddr)", cf_section_filename(home),
			       cf_section_lineno(home));
	}
	if (address.prefix != (address.af == AF_INET ? 32 : 128)) {
		return pc_fail(err, len, "%s[%d]: the CoA server's address is a network, not a host", cf_section_filename(home),
			       cf_section_lineno(home));
	}
	inet_ntop(address.af, &address.ipaddr, out->address, sizeof(out->address));
	out->secret = option_of(home, "secret", PW_TYPE_STRING | PW_TYPE_SECRET);
	if (!out->secret && client) out->secret = option_of(client, "secret", PW_TYPE_STRING | PW_TYPE_SECRET);
	if (!out->secret || !*out->secret) {
		return pc_fail(err, len, "%s[%d]: the CoA server has no secret", cf_section_filename(home), cf_section_lineno(home));
	}
	if (cf_item_parse(home, "port", FR_ITEM_POINTER(PW_TYPE_SHORT, &out->port), "0") < 0) {
		return pc_fail(err, len, "%s[%d]: the CoA server's port cannot be read", cf_section_filename(home),
			       cf_section_lineno(home));
	}
	if (!out->port) out->port = PW_COA_UDP_PORT;
	return 0;
}

int raddb_find_coa_target(raddb *db, char const *address, raddb_coa_target *out, char *err, size_t len)
{
	fr_ipaddr_t switch_address;
	CONF_SECTION *client, *home, *inline_server;
	char const *name;
	int ties;

	*out = (raddb_coa_target) { 0 };
	if (fr_pton(&switch_address, address, -1, AF_UNSPEC, false) < 0 ||
	    switch_address.prefix != (switch_address.af == AF_INET ? 32 : 128)) {
		return pc_fail(err, len, "the switch address recorded is no IP address");
	}
	client = find_client(db, &switch_address, &ties);
	if (!client) return pc_fail(err, len, "no client of %s covers it: no CoA is sent to a switch radiusd does not know", db->dir);
	out->client = cf_section_name2(client);
	if (ties) {
		return pc_fail(err, len, "%d clients cover it as closely as client %s (%s[%d]): no CoA is sent to an ambiguous "
			       "switch", ties + 1, out->client, cf_section_filename(client), cf_section_lineno(client));
	}
	inline_server = cf_section_sub_find(client, "coa_server");
	if (inline_server) {
		out->home_server = "coa_server { }";
		return read_home_server(inline_server, client, out, err, len);
	}
	name = option_of(client, "coa_server", PW_TYPE_STRING);
	if (!name) {
		return pc_fail(err, len, "client %s (%s[%d]) has no coa_server: add coa_server = NAME, naming a home_server "
			       "of type coa with the switch's CoA port and secret", out->client, cf_section_filename(client),
			       cf_section_lineno(client));
	}
	home = named_coa_server(db, name);
	if (!home) {
		return pc_fail(err, len, "client %s (%s[%d]): coa_server = %s names no home_server of type coa, nor a "
			       "home_server_pool with one", out->client, cf_section_filename(client), cf_section_lineno(client), name);
	}
	out->home_server = name;
	return read_home_server(home, NULL, out, err, len);
}

/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * phonecert: the command-line side of rlm_phonecert. It answers, without a
 * running server, what the module would decide about a phone's certificate
 * (inspect), what a packet capture shows of phones' handshakes (capture) and
 * what is risky in a configuration (lint), with the same core
 * and the same configuration files as the module; and, from the phone
 * inventory the server writes, whether a rotation is done (report).
 *
 * This file parses the command line and hands each command its options;
 * inspect.c, lint.c and block.c, and capture/, report/ and inventory/ (the
 * database and inventory migrate) do the work.
 */
#include "commands.h"
#include "fleet.h"
#include "inventory/db.h"

#include <ctype.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <openssl/crypto.h>

#include "../core/phone.h"
#include "../core/timeutil.h"

#ifndef PHONECERT_VERSION
#error "PHONECERT_VERSION: the Makefile defines it from debian/changelog, the one definition of the version"
#endif

#define DEFAULT_RADDB_DIR "/etc/freeradius/3.0"

static char const main_usage[] =
	"Usage: phonecert COMMAND [OPTION]... [ARG]...\n"
	"What rlm_phonecert (FreeRADIUS) decides about Cisco IP phone certificates, without a server.\n"
	"\n"
	"Commands:\n"
	"  inspect   describe phone certificates and the decision the server would give\n"
	"  capture   the phones' EAP-TLS/TLS handshakes in a packet capture: LSC or MIC, decision, why\n"
	"  lint      check a FreeRADIUS configuration's phonecert anchors for risks\n"
	"  report    what the phone inventory says: is it safe to remove the old CAPF?\n"
	"  block     add a phone (MAC, device name, certificate serial) to the block list\n"
	"  unblock   remove it\n"
	"  inventory migrate   bring an inventory made by an older phonecert up to date\n"
	"  fleet status        the fleet block list this server holds, and its age\n"
	"\n"
	"Options:\n"
	"  -h, --help     show this help (phonecert COMMAND --help: the command's)\n"
	"  -V, --version  show the version\n"
	"\n"
	"Exit status: 0 all accepted / no findings / safe to remove, 1 a reject / findings /\n"
	"a retiring anchor still in use, 2 usage, I/O or database error.\n"
	"See phonecert(1).\n";

static char const inspect_usage[] =
	"Usage: phonecert inspect [--config RADDB_DIR [--instance NAME] | --capf FILE... --lsc-ca FILE...\n"
	"                         --manufacturing FILE] [--now TIME] [--json] CERT...\n"
	"Describe each phone certificate (PEM or DER; a file may hold a chain, leaf first) and\n"
	"the decision the server would give: ACCEPT, or REJECT with the reason and what to do.\n"
	"\n"
	"  --config RADDB_DIR    anchors and policy of a FreeRADIUS configuration, read by\n"
	"                        FreeRADIUS' own parser as radiusd reads it\n"
	"  --instance NAME       the phonecert instance (phonecert NAME { }) when there are several\n"
	"  --capf FILE           a CAPF anchor, named after FILE without .pem (repeatable)\n"
	"  --lsc-ca FILE         an external LSC CA anchor, named likewise (repeatable)\n"
	"  --manufacturing FILE  the manufacturing CA bundle (MICs)\n"
	"  --now TIME            decide at TIME, RFC 3339 UTC (2026-12-31T23:59:59Z); default: now\n"
	"  --json                JSON output (JSON Lines: one object, on one line)\n"
	"  -h, --help            show this help\n"
	"\n"
	"The MAC and identity bindings are checked as a correctly configured switch would send them:\n"
	"Calling-Station-Id = the certificate's MAC, User-Name = its CN.\n"
	"Exit status: 0 all accepted, 1 any rejected or not a phone certificate, 2 usage or I/O error.\n";

static char const capture_usage[] =
	"Usage: phonecert capture [--config RADDB_DIR [--instance NAME] | --capf FILE... --lsc-ca FILE...\n"
	"                         --manufacturing FILE]\n"
	"                         [--now TIME] [--json] [--extract DIR] [--phone MAC|SEPxxxxxxxxxxxx]\n"
	"                         [--radius-port PORT] [--max-flows N] FILE|-\n"
	"Find every TLS handshake of a phone in a pcap or pcapng capture (- reads standard input):\n"
	"EAP-TLS in RADIUS (UDP 1812, 1645 and the auth ports of --config's listen sections) or EAPOL\n"
	"(802.1X, VLAN tagged too), and TLS over TCP on any port. For each: the RADIUS facts, the TLS\n"
	"version, the phone's certificate, LSC or MIC, the decision this configuration would take,\n"
	"what happened on the wire, and a diagnosis.\n"
	"\n"
	"  --config RADDB_DIR    anchors and policy of a FreeRADIUS configuration (as inspect)\n"
	"  --instance NAME       the phonecert instance when there are several\n"
	"  --capf FILE           a CAPF anchor, named after FILE without .pem (repeatable)\n"
	"  --lsc-ca FILE         an external LSC CA anchor, named likewise (repeatable)\n"
	"  --manufacturing FILE  the manufacturing CA bundle (MICs)\n"
	"  --now TIME            decide at TIME, RFC 3339 UTC; default: each handshake's own time\n"
	"  --json                JSON output (JSON Lines: one object per handshake, a line each)\n"
	"  --extract DIR         write each certificate the phones sent to DIR as PEM\n"
	"  --phone MAC|SEP...    only the handshakes of this phone\n"
	"  --radius-port PORT    RADIUS also on this UDP port, instead of the configuration's\n"
	"  --max-flows N         flows in progress at once (default 1024; the oldest is reported early)\n"
	"  -h, --help            show this help\n"
	"\n"
	"Exit status: 0 every handshake accepted, 1 a reject, a failure, an undecidable handshake\n"
	"(TLS 1.3, damaged) or none found, 2 usage, I/O or configuration error.\n";

static char const lint_usage[] =
	"Usage: phonecert lint [--config RADDB_DIR] [--instance NAME] [--check CHECK] [--now TIME] [--json]\n"
	"       phonecert lint [OPTION]... RADDB_DIR\n"
	"Check the phonecert anchors of a FreeRADIUS configuration (default " DEFAULT_RADDB_DIR ")\n"
	"for what the module would refuse and for risks: files others than root and radiusd's user\n"
	"can change, CAPF certificates sharing a DN, expired or expiring CA certificates, closed\n"
	"windows and rotation gaps, CAPF certificates CUCM would refuse, SHA-1 and short RSA keys,\n"
	"phone CAs in eap's ca_file, eap's check_crl locking phones out, block_file entries that\n"
	"block nothing.\n"
	"\n"
	"  --config RADDB_DIR  the configuration; RADDB_DIR after the options says the same\n"
	"  --instance NAME     check only this phonecert instance (default: each in turn)\n"
	"  --check CHECK       report only the findings of this check (file-writers, expiry, ...: the\n"
	"                      names of phonecert(1)); the exit status counts only them\n"
	"  --now TIME          check at TIME, RFC 3339 UTC (2026-12-31T23:59:59Z); default: now\n"
	"  --json              JSON output (JSON Lines: one object, on one line)\n"
	"  -h, --help          show this help\n"
	"\n"
	"The configuration is read by FreeRADIUS' own parser, as radiusd reads it.\n"
	"Exit status: 0 no error or warning, 1 errors or warnings, 2 usage or I/O error, or a\n"
	"configuration the module would refuse.\n";

static char const report_usage[] =
	"Usage: phonecert report --db sqlite:PATH | --db postgresql://USER@HOST:PORT/DBNAME\n"
	"                        [--config RADDB_DIR [--instance NAME]] [--now TIME]\n"
	"                        [--format text|json|csv|prometheus]\n"
	"                        [--html FILE] [--phones]\n"
	"                        [--expected [ANCHOR=]FILE]... [--waivers FILE] [--since TIME]\n"
	"What the phone inventory (written by FreeRADIUS' sql_phonecert) says about a CAPF rotation:\n"
	"per anchor the phones whose latest authentication used it, the last day it was used and, for\n"
	"a retiring anchor (accept_until), whether it is safe to remove; MIC-only phones and MICs\n"
	"expiring within 180 days; phones rejected in the last 24 hours, by reason (verified or not).\n"
	"With CUCM's phone lists, a retiring anchor is safe only when every listed phone was also seen\n"
	"since the rotation began; the report lists those never seen, those seen before, and the\n"
	"phones seen but in no list.\n"
	"\n"
	"  --db URL              the inventory: sqlite:PATH (opened read-only) or a PostgreSQL URL\n"
	"  --config RADDB_DIR    the anchors and windows (default " DEFAULT_RADDB_DIR ")\n"
	"  --instance NAME       the phonecert instance when there are several\n"
	"  --now TIME            report at TIME, RFC 3339 UTC (2026-12-31T23:59:59Z); default: now\n"
	"  --format FORMAT       text (default), json, csv or prometheus (node-exporter's textfile collector)\n"
	"  --html FILE           also write a self-contained HTML page with a chart to FILE\n"
	"  --phones              list the phones that still use each anchor, and the identities\n"
	"                        that rejected certificates no anchor verified claimed\n"
	"  --expected [ANCHOR=]FILE  a CUCM cluster's phones (Bulk Administration's Export Phones, CSV\n"
	"                        with a Device Name column); ANCHOR: the capf section they move to\n"
	"                        (default: one list for every capf section); repeatable. Default:\n"
	"                        the lists of expected_phones in the configuration\n"
	"  --waivers FILE        phones known to be retired (a list of the same form)\n"
	"  --since TIME          when the rotation began, RFC 3339 UTC (default: ANCHOR's accept_from)\n"
	"  -h, --help            show this help\n"
	"\n"
	"Exit status: 0 every retiring anchor is safe to remove, 1 a retiring anchor is still in use\n"
	"(or a listed phone was not seen since the rotation began), 2 usage, I/O or database error, a\n"
	"phone list that cannot be read, is empty or of which no phone was ever seen, or a\n"
	"configuration that cannot be read (no verdicts).\n";

static char const block_usage[] =
	"Usage: phonecert block KIND VALUE [--comment TEXT] [--file FILE | --config RADDB_DIR]\n"
	"       phonecert block KIND VALUE [--comment TEXT] --db postgresql://... [--config RADDB_DIR]\n"
	"                       [--instance NAME] [--now [--coa disconnect|reauthenticate|bounce-host-port]]\n"
	"       phonecert unblock KIND VALUE [--file FILE | --config RADDB_DIR | --db postgresql://...]\n"
	"Add a phone to the module's block list (block_file), or to the fleet's (--db), or remove it.\n"
	"KIND VALUE is\n"
	"  mac MAC               any form: 2C-31-24-C9-F8-E1, 2c:31:24:c9:f8:e1, 2c31.24c9.f8e1\n"
	"  device SEP<MAC>       the same phone by its device name\n"
	"  serial ANCHOR:HEX     one certificate: its anchor's section name and its serial in hex\n"
	"\n"
	"  --comment TEXT        why (block only): the reason the phone gets, \"blocked: TEXT\"\n"
	"  --file FILE           the block list to edit\n"
	"  --config RADDB_DIR    edit the block_file of RADDB_DIR's phonecert section (default " DEFAULT_RADDB_DIR ");\n"
	"                        with --db: its anchors (serial) and clients.conf (--now)\n"
	"  --instance NAME       the phonecert instance when there are several\n"
	"  --db URL              a PostgreSQL inventory: block in the fleet block list, which every server\n"
	"                        with fleet_block_list reads within seconds; an unblock is recorded, never\n"
	"                        deleted. sqlite:PATH: the inventory --now reads, block_file is edited\n"
	"  --now                 then send a CoA to the switch where the phone was last accepted (the\n"
	"                        inventory's record, a client of clients.conf with a coa_server)\n"
	"  --coa KIND            disconnect (RFC 5176 Disconnect-Request, the default), or Cisco's\n"
	"                        CoA-Request reauthenticate or bounce-host-port\n"
	"  -h, --help            show this help\n"
	"\n"
	"The file is replaced atomically, keeping its mode and owner; the server reads it on reload.\n"
	"Exit status: 0 done (or already blocked; --now: every switch acknowledged), 1 unblock: not in\n"
	"the list; --now: a switch refused (NAK), did not answer, or none is known, 2 usage, I/O or\n"
	"database error, or a block list that does not parse.\n";

static char const fleet_usage[] =
	"Usage: phonecert fleet status [--config RADDB_DIR] [--instance NAME] [--format text|prometheus]\n"
	"                              [--now TIME]\n"
	"The fleet block list this server holds (fleet_block_list), as its local copy says: its entries\n"
	"and when the server last read them from the database. The copy is rewritten at every read,\n"
	"so its age grows while the database cannot be read; no database is needed to tell.\n"
	"\n"
	"  --config RADDB_DIR    the configuration (default " DEFAULT_RADDB_DIR ")\n"
	"  --instance NAME       the phonecert instance when there are several\n"
	"  --format FORMAT       text (default) or prometheus (node-exporter's textfile collector)\n"
	"  --now TIME            the age at TIME, RFC 3339 UTC; default: now\n"
	"  -h, --help            show this help\n"
	"\n"
	"Exit status: 0 the copy was read, 1 it cannot be read (prometheus: copy_ok 0), 2 usage error,\n"
	"or a configuration without fleet_block_list.\n";

static char const inventory_usage[] =
	"Usage: phonecert inventory migrate --db sqlite:PATH | --db postgresql://USER@HOST:PORT/DBNAME\n"
	"                                   [--config RADDB_DIR] [--check]\n"
	"Bring the phone inventory's schema up to the one this phonecert reads (phonecert report says\n"
	"when it is older), with the numbered SQL files of RADDB_DIR/mods-config/sql/phonecert/DIALECT/,\n"
	"each in a transaction of its own. Servers may keep writing meanwhile.\n"
	"\n"
	"  --db URL              the inventory, as for phonecert report (SQLite: opened read-write)\n"
	"  --config RADDB_DIR    where the migration files are (default " DEFAULT_RADDB_DIR ")\n"
	"  --check               only say what is to apply\n"
	"  -h, --help            show this help\n"
	"\n"
	"Exit status: 0 up to date (now), 1 --check: a migration is due, 2 usage, I/O or database error\n"
	"(a migration that failed was rolled back).\n";

/*
 *	The options: one table, one parser. Each command names the options it
 *	takes; those of common_options mean the same in every command.
 */

/* What getopt_long returns for each option: --help is also -h, the others are long only (outside the character range). */
enum { OPT_END = 0, OPT_HELP = 'h', OPT_CONFIG = 256, OPT_INSTANCE, OPT_CAPF, OPT_LSC_CA, OPT_MANUFACTURING, OPT_NOW,
       OPT_JSON, OPT_DB, OPT_FORMAT, OPT_HTML, OPT_PHONES, OPT_EXTRACT, OPT_PHONE, OPT_RADIUS_PORT, OPT_MAX_FLOWS,
       OPT_COMMENT, OPT_FILE, OPT_CHECK, OPT_CHECK_ONLY, OPT_EXPECTED, OPT_WAIVERS, OPT_SINCE, OPT_KICK, OPT_COA };

static struct option const every_option[] = {
	{ "help", no_argument, NULL, OPT_HELP },
	{ "config", required_argument, NULL, OPT_CONFIG },
	{ "instance", required_argument, NULL, OPT_INSTANCE },
	{ "capf", required_argument, NULL, OPT_CAPF },
	{ "lsc-ca", required_argument, NULL, OPT_LSC_CA },
	{ "manufacturing", required_argument, NULL, OPT_MANUFACTURING },
	{ "now", required_argument, NULL, OPT_NOW },
	{ "json", no_argument, NULL, OPT_JSON },
	{ "db", required_argument, NULL, OPT_DB },
	{ "format", required_argument, NULL, OPT_FORMAT },
	{ "html", required_argument, NULL, OPT_HTML },
	{ "phones", no_argument, NULL, OPT_PHONES },
	{ "extract", required_argument, NULL, OPT_EXTRACT },
	{ "phone", required_argument, NULL, OPT_PHONE },
	{ "radius-port", required_argument, NULL, OPT_RADIUS_PORT },
	{ "max-flows", required_argument, NULL, OPT_MAX_FLOWS },
	{ "comment", required_argument, NULL, OPT_COMMENT },
	{ "file", required_argument, NULL, OPT_FILE },
	{ "check", required_argument, NULL, OPT_CHECK },	/* lint: --check CHECK */
	{ "check", no_argument, NULL, OPT_CHECK_ONLY },		/* inventory migrate: --check */
	{ "expected", required_argument, NULL, OPT_EXPECTED },
	{ "waivers", required_argument, NULL, OPT_WAIVERS },
	{ "since", required_argument, NULL, OPT_SINCE },
	{ "now", no_argument, NULL, OPT_KICK },			/* block: --now, a CoA (elsewhere --now TIME) */
	{ "coa", required_argument, NULL, OPT_COA },
};
#define OPTION_COUNT (sizeof(every_option) / sizeof(every_option[0]))

/* An option handler's "parse the next one", and the common options' "not one of mine"; anything else is the exit code (--help: EXIT_CLEAN). */
#define GO_ON (-1)
#define NOT_COMMON (-2)

/*
 * A command: the options it takes, what it does with its own, then with the
 * words after them. options points to the command's options struct, which
 * starts with common_options.
 */
typedef struct {
	char const *name;		/* the word after phonecert */
	char const *verb;		/* the word after that, or NULL: inventory migrate */
	char const *usage;
	int takes[OPTION_COUNT];	/* the options it takes besides --help, ending in OPT_END */
	size_t options_size;
	int (*option)(void *options, int option);	/* one of its own (optarg: the value): GO_ON, or the exit code;
							   NULL when it takes only common ones */
	int (*run)(void *options, int argc, char **argv);	/* the words at argv[optind..], what must go together, then the command */
} cli_command;

static int usage_error(char const *command, char const *fmt, ...) __attribute__((format(printf, 2, 3)));
static int usage_error(char const *command, char const *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "phonecert%s%s: ", command ? " " : "", command ? command : "");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\nTry 'phonecert%s%s --help'.\n", command ? " " : "", command ? command : "");
	return EXIT_TROUBLE;
}

/* What getopt_long stopped at: the word as typed, for the message. */
static int option_error(char const *command, int result, char **argv)
{
	char const *word = argv[optind - 1];

	if (result == ':') return usage_error(command, "option '%s' needs a value", word);
	if (optopt && optopt < 256 && strncmp(word, "--", 2) != 0) return usage_error(command, "unknown option '-%c'", optopt);
	return usage_error(command, "unknown option '%s'", word);
}

static bool add_anchor_file(common_options *common, pc_anchor_kind kind, char const *file)
{
	anchor_file *grown = realloc(common->anchors, (common->anchor_count + 1) * sizeof(*grown));

	if (!grown) return false;
	common->anchors = grown;
	grown[common->anchor_count++] = (anchor_file) { .kind = kind, .file = file };
	return true;
}

/* --capf, --lsc-ca, --manufacturing: GO_ON, or the exit code. */
static int anchor_option(common_options *common, int option)
{
	pc_anchor_kind kind = option == OPT_CAPF ? PC_ANCHOR_CAPF :
			      option == OPT_LSC_CA ? PC_ANCHOR_LSC_CA : PC_ANCHOR_MANUFACTURING;

	if (!add_anchor_file(common, kind, optarg)) {
		fprintf(stderr, "phonecert: out of memory\n");
		return EXIT_TROUBLE;
	}
	return GO_ON;
}

/* One of common_options' options: GO_ON, the exit code, or NOT_COMMON. */
static int common_option(char const *command, common_options *common, int option)
{
	char err[512];

	switch (option) {
	case OPT_CONFIG: common->raddb_dir = optarg; return GO_ON;
	case OPT_INSTANCE: common->instance = optarg; return GO_ON;
	case OPT_JSON: common->json = true; return GO_ON;
	case OPT_NOW:
		common->now_given = true;
		if (pc_time_parse(optarg, &common->now)) return GO_ON;
		return usage_error(command, "--now %s is not an RFC 3339 UTC time such as 2026-12-31T23:59:59Z", optarg);
	case OPT_DB:
		if (!db_url_check(optarg, err, sizeof(err))) return usage_error(command, "--db %s", err);
		common->db_url = optarg;
		return GO_ON;
	case OPT_CAPF:
	case OPT_LSC_CA:
	case OPT_MANUFACTURING:
		return anchor_option(common, option);
	}
	return NOT_COMMON;
}

/* The struct option of each option the command takes, for getopt_long. */
static void long_options_of(cli_command const *c, struct option out[OPTION_COUNT + 1])
{
	size_t n = 0;

	out[n++] = every_option[0];	/* --help */
	for (int const *id = c->takes; *id != OPT_END; id++) {
		for (size_t i = 0; i < OPTION_COUNT; i++) {
			if (every_option[i].val == *id) out[n++] = every_option[i];
		}
	}
	out[n] = (struct option) { 0 };
}

/* The options of a command line: GO_ON, or the exit code (--help: EXIT_CLEAN). */
static int parse_options(cli_command const *c, void *options, int argc, char **argv)
{
	struct option long_options[OPTION_COUNT + 1];
	int option, rc = GO_ON;

	long_options_of(c, long_options);
	while (rc == GO_ON && (option = getopt_long(argc, argv, ":h", long_options, NULL)) != -1) {
		if (option == OPT_HELP) {
			fputs(c->usage, stdout);
			return EXIT_CLEAN;
		}
		if (option == ':' || option == '?') return option_error(c->name, option, argv);
		rc = common_option(c->name, options, option);
		if (rc == NOT_COMMON) rc = c->option(options, option);
	}
	return rc;
}

/* The configuration of a command that has a default one. */
static void default_config(common_options *common)
{
	if (!common->raddb_dir) common->raddb_dir = DEFAULT_RADDB_DIR;
}

/* report and inventory migrate: an inventory (--db), and no words after the options. */
static int check_inventory_command(char const *command, common_options *common, int argc, char **argv)
{
	if (optind < argc) return usage_error(command, "unexpected argument '%s'", argv[optind]);
	if (!common->db_url) return usage_error(command, "no inventory: give --db sqlite:PATH or --db postgresql://...");
	default_config(common);
	return GO_ON;
}

/*
 *	inspect and capture: the anchors come from a raddb or from files, one of
 *	them, not both.
 */
static int check_anchor_source(char const *command, common_options const *common)
{
	if (common->raddb_dir && common->anchor_count) {
		return usage_error(command, "--config and --capf/--lsc-ca/--manufacturing exclude each other");
	}
	if (common->instance && !common->raddb_dir) return usage_error(command, "--instance goes with --config");
	if (!common->raddb_dir && !common->anchor_count) {
		return usage_error(command, "no anchors: give --config RADDB_DIR, or --capf/--lsc-ca/--manufacturing FILE");
	}
	return GO_ON;
}

static int inspect_command(void *options, int argc, char **argv)
{
	inspect_options *o = options;
	int rc = check_anchor_source("inspect", &o->common);

	if (rc != GO_ON) return rc;
	o->certs = argv + optind;
	o->cert_count = (size_t)(argc - optind);
	if (o->cert_count == 0) return usage_error("inspect", "no certificate file to inspect");
	return inspect_run(o);
}

/* --phone: a MAC in any switch form, or a CUCM device name SEP<12 hex digits>. */
static bool parse_phone(char const *text, char mac[PC_MAC_LEN])
{
	if (strncasecmp(text, "SEP", 3) == 0 && strlen(text) == 15) text += 3;
	return pc_mac_normalise(text, mac);
}

static bool parse_count(char const *text, unsigned long max, unsigned long *out)
{
	char *end;
	unsigned long value;

	if (!isdigit((unsigned char)text[0])) return false;
	value = strtoul(text, &end, 10);
	if (*end || value == 0 || value > max) return false;
	*out = value;
	return true;
}

static int capture_option(void *options, int option)
{
	capture_options *o = options;
	unsigned long value;

	switch (option) {
	case OPT_EXTRACT: o->extract_dir = optarg; return GO_ON;
	case OPT_PHONE:
		if (parse_phone(optarg, o->phone_mac)) return GO_ON;
		return usage_error("capture", "--phone %s is neither a MAC address nor a device name SEP<12 hex digits>", optarg);
	case OPT_RADIUS_PORT:
		if (!parse_count(optarg, 65535, &value)) return usage_error("capture", "--radius-port %s is not a port (1-65535)", optarg);
		o->radius_port = (unsigned)value;
		return GO_ON;
	}
	/* OPT_MAX_FLOWS */
	if (!parse_count(optarg, 1000000, &value)) return usage_error("capture", "--max-flows %s: 1 to 1000000", optarg);
	o->max_flows = value;
	return GO_ON;
}

static int capture_command(void *options, int argc, char **argv)
{
	capture_options *o = options;
	int rc = check_anchor_source("capture", &o->common);

	if (rc != GO_ON) return rc;
	if (argc - optind != 1) return usage_error("capture", "one capture FILE (or - for standard input)");
	o->file = argv[optind];
	return capture_run(o);
}

/* --check CHECK */
static int lint_option(void *options, int option)
{
	lint_options *o = options;

	(void)option;
	if (!lint_check_known(optarg)) return usage_error("lint", "unknown check '%s' (see phonecert(1), lint)", optarg);
	o->check = optarg;
	return GO_ON;
}

/* lint's RADDB_DIR after the options: another way to say --config, as scripts written before it say it. */
static int lint_command(void *options, int argc, char **argv)
{
	lint_options *o = options;

	if (argc - optind > 1) return usage_error("lint", "one RADDB_DIR at most, got '%s' and '%s'", argv[optind], argv[optind + 1]);
	if (argc - optind == 1) {
		if (o->common.raddb_dir) {
			return usage_error("lint", "--config %s and RADDB_DIR %s: give one of them", o->common.raddb_dir, argv[optind]);
		}
		o->common.raddb_dir = argv[optind];
	}
	default_config(&o->common);
	return lint_run(o);
}

/*
 * --expected [ANCHOR=]FILE: ANCHOR when what comes before the first = is a
 * section name, not a path (./a=b.csv is a file). The = of argv becomes the
 * end of ANCHOR: the lists point into argv.
 */
static int add_expected_list(report_options *o, char *value)
{
	char *equals = strchr(value, '=');
	pc_list_config list = { .file = value };
	pc_list_config *grown;

	if (equals && equals > value && !memchr(value, '/', (size_t)(equals - value))) {
		*equals = '\0';
		list = (pc_list_config) { .anchor = value, .file = equals + 1 };
	}
	if (!list.file[0]) return usage_error("report", "--expected %s=: give the list's FILE", value);
	if (!(grown = realloc(o->lists, (o->list_count + 1) * sizeof(*grown)))) {
		fprintf(stderr, "phonecert: out of memory\n");
		return EXIT_TROUBLE;
	}
	o->lists = grown;
	o->lists[o->list_count++] = list;
	return GO_ON;
}

static int report_option(void *options, int option)
{
	report_options *o = options;
	time_t since;

	switch (option) {
	case OPT_EXPECTED: return add_expected_list(o, optarg);
	case OPT_WAIVERS:
		if (o->waivers) return usage_error("report", "--waivers once: one list of the phones known to be retired");
		o->waivers = optarg;
		return GO_ON;
	case OPT_SINCE:
		if (!pc_time_parse(optarg, &since)) {
			return usage_error("report", "--since %s is not an RFC 3339 UTC time such as 2026-06-01T00:00:00Z", optarg);
		}
		o->since = optarg;
		return GO_ON;
	case OPT_FORMAT:
		if (strcmp(optarg, "text") == 0) o->format = REPORT_TEXT;
		else if (strcmp(optarg, "json") == 0) o->format = REPORT_JSON;
		else if (strcmp(optarg, "csv") == 0) o->format = REPORT_CSV;
		else if (strcmp(optarg, "prometheus") == 0) o->format = REPORT_PROMETHEUS;
		else return usage_error("report", "--format %s: text, json, csv or prometheus", optarg);
		return GO_ON;
	case OPT_HTML:
		if (!optarg[0]) return usage_error("report", "--html needs a file name");
		o->html_file = optarg;
		return GO_ON;
	}
	/* OPT_PHONES */
	o->phones = true;
	return GO_ON;
}

static int report_command(void *options, int argc, char **argv)
{
	report_options *o = options;
	int rc = check_inventory_command("report", options, argc, argv);

	if (rc == GO_ON) rc = report_run(o);
	free(o->lists);
	return rc;
}

/* --comment, --now and --coa (block only: unblock does not take them) and --file. */
static int block_option(void *options, int option)
{
	block_options *o = options;

	switch (option) {
	case OPT_COMMENT: o->comment = optarg; return GO_ON;
	case OPT_KICK: o->now = true; return GO_ON;
	case OPT_COA:
		if (!coa_kind_known(optarg)) return usage_error("block", "--coa %s: disconnect, reauthenticate or bounce-host-port", optarg);
		o->coa = optarg;
		return GO_ON;
	}
	/* OPT_FILE */
	o->file = optarg;
	return GO_ON;
}

/* What --db, --file, --now and --coa need, and exclude. */
static int check_block_sources(block_options *o, char const *command)
{
	bool fleet = o->common.db_url && strncmp(o->common.db_url, "sqlite:", 7) != 0;

	if (o->file && o->common.raddb_dir) return usage_error(command, "--file and --config exclude each other");
	if (o->file && fleet) return usage_error(command, "--file and --db postgresql://... exclude each other");
	if (o->common.db_url && !fleet && !o->now) {
		return usage_error(command, "--db %s: a SQLite inventory holds no fleet block list (it serves --now only)",
				   o->common.db_url);
	}
	if (o->now && !o->common.db_url) return usage_error(command, "--now reads the phone's switch from the inventory: give --db");
	if (o->coa && !o->now) return usage_error(command, "--coa goes with --now");
	if (!o->coa) o->coa = "disconnect";
	return GO_ON;
}

static int block_or_unblock(block_options *o, char const *command, int argc, char **argv)
{
	int rc;

	o->unblock = strcmp(command, "unblock") == 0;
	if ((rc = check_block_sources(o, command)) != GO_ON) return rc;
	if (argc - optind != 2) return usage_error(command, "give KIND VALUE: mac MAC, device SEP<MAC> or serial ANCHOR:HEX");
	o->kind = argv[optind];
	o->value = argv[optind + 1];
	default_config(&o->common);
	return block_run(o);
}

static int block_command(void *options, int argc, char **argv)
{
	return block_or_unblock(options, "block", argc, argv);
}

static int unblock_command(void *options, int argc, char **argv)
{
	return block_or_unblock(options, "unblock", argc, argv);
}

/* --format text|prometheus */
static int fleet_option(void *options, int option)
{
	fleet_options *o = options;

	(void)option;
	if (strcmp(optarg, "prometheus") == 0) o->prometheus = true;
	else if (strcmp(optarg, "text") != 0) return usage_error("fleet", "--format %s: text or prometheus", optarg);
	return GO_ON;
}

static int fleet_command(void *options, int argc, char **argv)
{
	fleet_options *o = options;

	if (optind < argc) return usage_error("fleet", "unexpected argument '%s'", argv[optind]);
	default_config(&o->common);
	return fleet_status_run(o);
}

/* --check (a flag here) */
static int inventory_option(void *options, int option)
{
	inventory_options *o = options;

	(void)option;
	o->check = true;
	return GO_ON;
}

static int inventory_command(void *options, int argc, char **argv)
{
	int rc = check_inventory_command("inventory", options, argc, argv);

	return rc == GO_ON ? inventory_migrate_run(options) : rc;
}

static cli_command const commands[] = {
	{ "inspect", NULL, inspect_usage,
	  { OPT_CONFIG, OPT_INSTANCE, OPT_CAPF, OPT_LSC_CA, OPT_MANUFACTURING, OPT_NOW, OPT_JSON },
	  sizeof(inspect_options), NULL, inspect_command },
	{ "capture", NULL, capture_usage,
	  { OPT_CONFIG, OPT_INSTANCE, OPT_CAPF, OPT_LSC_CA, OPT_MANUFACTURING, OPT_NOW, OPT_JSON, OPT_EXTRACT, OPT_PHONE,
	    OPT_RADIUS_PORT, OPT_MAX_FLOWS },
	  sizeof(capture_options), capture_option, capture_command },
	{ "lint", NULL, lint_usage, { OPT_CONFIG, OPT_INSTANCE, OPT_CHECK, OPT_NOW, OPT_JSON },
	  sizeof(lint_options), lint_option, lint_command },
	{ "report", NULL, report_usage, { OPT_DB, OPT_CONFIG, OPT_INSTANCE, OPT_NOW, OPT_FORMAT, OPT_HTML, OPT_PHONES,
					  OPT_EXPECTED, OPT_WAIVERS, OPT_SINCE },
	  sizeof(report_options), report_option, report_command },
	{ "block", NULL, block_usage, { OPT_COMMENT, OPT_FILE, OPT_CONFIG, OPT_INSTANCE, OPT_DB, OPT_KICK, OPT_COA },
	  sizeof(block_options), block_option, block_command },
	{ "unblock", NULL, block_usage, { OPT_FILE, OPT_CONFIG, OPT_DB },
	  sizeof(block_options), block_option, unblock_command },
	{ "inventory", "migrate", inventory_usage, { OPT_DB, OPT_CONFIG, OPT_CHECK_ONLY },
	  sizeof(inventory_options), inventory_option, inventory_command },
	{ "fleet", "status", fleet_usage, { OPT_CONFIG, OPT_INSTANCE, OPT_FORMAT, OPT_NOW },
	  sizeof(fleet_options), fleet_option, fleet_command },
};

static cli_command const *find_command(char const *name)
{
	for (size_t i = 0; name && i < sizeof(commands) / sizeof(commands[0]); i++) {
		if (strcmp(commands[i].name, name) == 0) return &commands[i];
	}
	return NULL;
}

static bool is_help(char const *word)
{
	return strcmp(word, "--help") == 0 || strcmp(word, "-h") == 0;
}

/* A command's own arguments, with the command (or its verb) in argv[0]'s place for getopt. */
static int run_command(cli_command const *c, int argc, char **argv)
{
	common_options *options;
	int rc;

	if (c->verb) {
		if (argc >= 2 && is_help(argv[1])) {
			fputs(c->usage, stdout);
			return EXIT_CLEAN;
		}
		if (argc < 2 || strcmp(argv[1], c->verb) != 0) return usage_error(c->name, "the subcommand is %s", c->verb);
		argc--;
		argv++;
	}
	options = calloc(1, c->options_size);
	if (!options) {
		fprintf(stderr, "phonecert: out of memory\n");
		return EXIT_TROUBLE;
	}
	options->now = time(NULL);
	rc = parse_options(c, options, argc, argv);
	if (rc == GO_ON) rc = c->run(options, argc, argv);
	free(options->anchors);
	free(options);
	return rc;
}

static int show_version(void)
{
	printf("phonecert %s (rlm_phonecert), built with %s, running %s\n", PHONECERT_VERSION,
	       OPENSSL_VERSION_TEXT, OpenSSL_version(OPENSSL_VERSION));
	return EXIT_CLEAN;
}

int main(int argc, char **argv)
{
	char const *name = argc > 1 ? argv[1] : NULL;
	cli_command const *c = find_command(name);

	opterr = 0;	/* our own messages, which name the command */
	if (!name) return usage_error(NULL, "no command: inspect, capture, lint, report, block, unblock, inventory or fleet");
	if (is_help(name) || strcmp(name, "help") == 0) {
		c = argc > 2 ? find_command(argv[2]) : NULL;
		fputs(c ? c->usage : main_usage, stdout);
		return EXIT_CLEAN;
	}
	if (strcmp(name, "--version") == 0 || strcmp(name, "-V") == 0) return show_version();
	if (c) return run_command(c, argc - 1, argv + 1);
	if (name[0] == '-') return usage_error(NULL, "unknown option '%s'", name);
	return usage_error(NULL, "unknown command '%s': inspect, capture, lint, report, block, unblock, inventory or fleet", name);
}

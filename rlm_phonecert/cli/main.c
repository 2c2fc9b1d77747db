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
 * inspect.c, capture.c, lint.c, report.c, block.c and inventory.c do the work.
 */
#include "commands.h"
#include "db.h"

#include <ctype.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <openssl/crypto.h>

#include "../core/policy.h"
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
	"  --json                JSON output\n"
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
	"EAP-TLS in RADIUS (UDP 1812, 1645) or EAPOL (802.1X, VLAN tagged too), and TLS over TCP on\n"
	"any port. For each: the RADIUS facts, the TLS version, the phone's certificate, LSC or MIC,\n"
	"the decision this configuration would take, what happened on the wire, and a diagnosis.\n"
	"\n"
	"  --config RADDB_DIR    anchors and policy of a FreeRADIUS configuration (as inspect)\n"
	"  --instance NAME       the phonecert instance when there are several\n"
	"  --capf FILE           a CAPF anchor, named after FILE without .pem (repeatable)\n"
	"  --lsc-ca FILE         an external LSC CA anchor, named likewise (repeatable)\n"
	"  --manufacturing FILE  the manufacturing CA bundle (MICs)\n"
	"  --now TIME            decide at TIME, RFC 3339 UTC; default: each handshake's own time\n"
	"  --json                one JSON object per handshake\n"
	"  --extract DIR         write each certificate the phones sent to DIR as PEM\n"
	"  --phone MAC|SEP...    only the handshakes of this phone\n"
	"  --radius-port PORT    RADIUS also on this UDP port\n"
	"  --max-flows N         flows in progress at once (default 1024; the oldest is reported early)\n"
	"  -h, --help            show this help\n"
	"\n"
	"Exit status: 0 every handshake accepted, 1 a reject, a failure, an undecidable handshake\n"
	"(TLS 1.3, damaged) or none found, 2 usage, I/O or configuration error.\n";

static char const lint_usage[] =
	"Usage: phonecert lint [--instance NAME] [--check CHECK] [--now TIME] [--json] [RADDB_DIR]\n"
	"Check the phonecert anchors of a FreeRADIUS configuration (default " DEFAULT_RADDB_DIR ")\n"
	"for what the module would refuse and for risks: files others than root and radiusd's user\n"
	"can change, CAPF certificates sharing a DN, expired or expiring CA certificates, closed\n"
	"windows and rotation gaps, CAPF certificates CUCM would refuse, SHA-1 and short RSA keys,\n"
	"phone CAs in eap's ca_file, eap's check_crl locking phones out, block_file entries that\n"
	"block nothing.\n"
	"\n"
	"  --instance NAME  check only this phonecert instance (default: each in turn)\n"
	"  --check CHECK    report only the findings of this check (file-writers, expiry, ...: the\n"
	"                   names of phonecert(1)); the exit status counts only them\n"
	"  --now TIME       check at TIME, RFC 3339 UTC (2026-12-31T23:59:59Z); default: now\n"
	"  --json           JSON output\n"
	"  -h, --help       show this help\n"
	"\n"
	"The configuration is read by FreeRADIUS' own parser, as radiusd reads it.\n"
	"Exit status: 0 no error or warning, 1 errors or warnings, 2 usage or I/O error, or a\n"
	"configuration the module would refuse.\n";

static char const report_usage[] =
	"Usage: phonecert report --db sqlite:PATH | --db postgresql://USER@HOST:PORT/DBNAME\n"
	"                        [--config RADDB_DIR [--instance NAME]] [--now TIME]\n"
	"                        [--format text|json|csv|prometheus]\n"
	"                        [--html FILE] [--phones]\n"
	"What the phone inventory (written by FreeRADIUS' sql_phonecert) says about a CAPF rotation:\n"
	"per anchor the phones whose latest authentication used it, the last day it was used and, for\n"
	"a retiring anchor (accept_until), whether it is safe to remove; MIC-only phones and MICs\n"
	"expiring within 180 days; phones rejected in the last 24 hours, by reason (verified or not).\n"
	"\n"
	"  --db URL              the inventory: sqlite:PATH (opened read-only) or a PostgreSQL URL\n"
	"  --config RADDB_DIR    the anchors and windows (default " DEFAULT_RADDB_DIR ")\n"
	"  --instance NAME       the phonecert instance when there are several\n"
	"  --now TIME            report at TIME, RFC 3339 UTC (2026-12-31T23:59:59Z); default: now\n"
	"  --format FORMAT       text (default), json, csv or prometheus (node-exporter's textfile collector)\n"
	"  --html FILE           also write a self-contained HTML page with a chart to FILE\n"
	"  --phones              list the phones that still use each anchor, and the identities\n"
	"                        that rejected certificates no anchor verified claimed\n"
	"  -h, --help            show this help\n"
	"\n"
	"Exit status: 0 every retiring anchor is safe to remove, 1 a retiring anchor is still in use,\n"
	"2 usage, I/O or database error, or a configuration that cannot be read (no verdicts).\n";

static char const block_usage[] =
	"Usage: phonecert block KIND VALUE [--comment TEXT] [--file FILE | --config RADDB_DIR]\n"
	"       phonecert unblock KIND VALUE [--file FILE | --config RADDB_DIR]\n"
	"Add a phone to the module's block list (block_file), or remove it. KIND VALUE is\n"
	"  mac MAC               any form: 2C-31-24-C9-F8-E1, 2c:31:24:c9:f8:e1, 2c31.24c9.f8e1\n"
	"  device SEP<MAC>       the same phone by its device name\n"
	"  serial ANCHOR:HEX     one certificate: its anchor's section name and its serial in hex\n"
	"\n"
	"  --comment TEXT        why (block only): the reason the phone gets, \"blocked: TEXT\"\n"
	"  --file FILE           the block list to edit\n"
	"  --config RADDB_DIR    edit the block_file of RADDB_DIR's phonecert section (default " DEFAULT_RADDB_DIR ")\n"
	"  -h, --help            show this help\n"
	"\n"
	"The file is replaced atomically, keeping its mode and owner; the server reads it on reload.\n"
	"Exit status: 0 done (or already blocked), 1 unblock: not in the list, 2 usage or I/O error,\n"
	"or a block list that does not parse.\n";

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

/* Long-only options: values outside the character range. */
enum { OPT_CONFIG = 256, OPT_INSTANCE, OPT_CAPF, OPT_LSC_CA, OPT_MANUFACTURING, OPT_NOW, OPT_JSON, OPT_DB, OPT_FORMAT, OPT_HTML,
       OPT_PHONES, OPT_EXTRACT, OPT_PHONE, OPT_RADIUS_PORT, OPT_MAX_FLOWS, OPT_COMMENT, OPT_FILE, OPT_CHECK };

/* An option handler's "parse the next one"; anything else is the exit code (--help: EXIT_CLEAN). */
#define GO_ON (-1)

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

/* --now TIME of command: GO_ON, or the exit code. */
static int now_option(char const *command, time_t *now)
{
	if (pc_time_parse(optarg, now)) return GO_ON;
	return usage_error(command, "--now %s is not an RFC 3339 UTC time such as 2026-12-31T23:59:59Z", optarg);
}

static bool add_anchor_file(anchor_file **anchors, size_t *count, pc_anchor_kind kind, char const *file)
{
	anchor_file *grown = realloc(*anchors, (*count + 1) * sizeof(*grown));

	if (!grown) return false;
	*anchors = grown;
	grown[(*count)++] = (anchor_file) { .kind = kind, .file = file };
	return true;
}

/* --capf, --lsc-ca, --manufacturing: GO_ON, or the exit code. */
static int anchor_option(int option, anchor_file **anchors, size_t *count)
{
	pc_anchor_kind kind = option == OPT_CAPF ? PC_ANCHOR_CAPF :
			      option == OPT_LSC_CA ? PC_ANCHOR_LSC_CA : PC_ANCHOR_MANUFACTURING;

	if (!add_anchor_file(anchors, count, kind, optarg)) {
		fprintf(stderr, "phonecert: out of memory\n");
		return EXIT_TROUBLE;
	}
	return GO_ON;
}

/* One inspect option; returns GO_ON, or the exit code. */
static int inspect_option(int option, inspect_options *options, char **argv)
{
	switch (option) {
	case 'h':
		fputs(inspect_usage, stdout);
		return EXIT_CLEAN;
	case OPT_CONFIG: options->raddb_dir = optarg; return GO_ON;
	case OPT_INSTANCE: options->instance = optarg; return GO_ON;
	case OPT_NOW: return now_option("inspect", &options->now);
	case OPT_JSON: options->json = true; return GO_ON;
	case OPT_CAPF:
	case OPT_LSC_CA:
	case OPT_MANUFACTURING:
		return anchor_option(option, &options->anchors, &options->anchor_count);
	}
	return option_error("inspect", option, argv);
}

/* The anchors come from a raddb or from files: one of them, not both. */
static int check_anchor_source(char const *command, char const *raddb_dir, char const *instance, size_t anchor_count)
{
	if (raddb_dir && anchor_count) {
		return usage_error(command, "--config and --capf/--lsc-ca/--manufacturing exclude each other");
	}
	if (instance && !raddb_dir) return usage_error(command, "--instance goes with --config");
	if (!raddb_dir && !anchor_count) {
		return usage_error(command, "no anchors: give --config RADDB_DIR, or --capf/--lsc-ca/--manufacturing FILE");
	}
	return GO_ON;
}

/* After the options: the combination must make sense before anything is read. */
static int inspect_arguments(inspect_options *options, int argc, char **argv)
{
	int rc = check_anchor_source("inspect", options->raddb_dir, options->instance, options->anchor_count);

	options->certs = argv + optind;
	options->cert_count = (size_t)(argc - optind);
	if (rc != GO_ON) return rc;
	if (options->cert_count == 0) return usage_error("inspect", "no certificate file to inspect");
	return GO_ON;
}

static int run_inspect(int argc, char **argv)
{
	static struct option const long_options[] = {
		{ "config", required_argument, NULL, OPT_CONFIG },
		{ "instance", required_argument, NULL, OPT_INSTANCE },
		{ "capf", required_argument, NULL, OPT_CAPF },
		{ "lsc-ca", required_argument, NULL, OPT_LSC_CA },
		{ "manufacturing", required_argument, NULL, OPT_MANUFACTURING },
		{ "now", required_argument, NULL, OPT_NOW },
		{ "json", no_argument, NULL, OPT_JSON },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	inspect_options options = { .now = time(NULL) };
	int option, rc = GO_ON;

	while (rc == GO_ON && (option = getopt_long(argc, argv, ":h", long_options, NULL)) != -1) {
		rc = inspect_option(option, &options, argv);
	}
	if (rc == GO_ON) rc = inspect_arguments(&options, argc, argv);
	if (rc == GO_ON) rc = inspect_run(&options);
	free(options.anchors);
	return rc;
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

/* One capture option; returns GO_ON, or the exit code. */
static int capture_option(int option, capture_options *options, char **argv)
{
	unsigned long value;

	switch (option) {
	case 'h':
		fputs(capture_usage, stdout);
		return EXIT_CLEAN;
	case OPT_CONFIG: options->raddb_dir = optarg; return GO_ON;
	case OPT_INSTANCE: options->instance = optarg; return GO_ON;
	case OPT_NOW: return now_option("capture", &options->now);
	case OPT_JSON: options->json = true; return GO_ON;
	case OPT_EXTRACT: options->extract_dir = optarg; return GO_ON;
	case OPT_PHONE:
		if (!parse_phone(optarg, options->phone_mac)) {
			return usage_error("capture", "--phone %s is neither a MAC address nor a device name SEP<12 hex digits>", optarg);
		}
		return GO_ON;
	case OPT_RADIUS_PORT:
		if (!parse_count(optarg, 65535, &value)) return usage_error("capture", "--radius-port %s is not a port (1-65535)", optarg);
		options->radius_port = (unsigned)value;
		return GO_ON;
	case OPT_MAX_FLOWS:
		if (!parse_count(optarg, 1000000, &value)) return usage_error("capture", "--max-flows %s: 1 to 1000000", optarg);
		options->max_flows = value;
		return GO_ON;
	case OPT_CAPF:
	case OPT_LSC_CA:
	case OPT_MANUFACTURING:
		return anchor_option(option, &options->anchors, &options->anchor_count);
	}
	return option_error("capture", option, argv);
}

static int capture_arguments(capture_options *options, int argc, char **argv)
{
	int rc = check_anchor_source("capture", options->raddb_dir, options->instance, options->anchor_count);

	if (rc != GO_ON) return rc;
	if (argc - optind != 1) return usage_error("capture", "one capture FILE (or - for standard input)");
	options->file = argv[optind];
	return GO_ON;
}

static int run_capture(int argc, char **argv)
{
	static struct option const long_options[] = {
		{ "config", required_argument, NULL, OPT_CONFIG },
		{ "instance", required_argument, NULL, OPT_INSTANCE },
		{ "capf", required_argument, NULL, OPT_CAPF },
		{ "lsc-ca", required_argument, NULL, OPT_LSC_CA },
		{ "manufacturing", required_argument, NULL, OPT_MANUFACTURING },
		{ "now", required_argument, NULL, OPT_NOW },
		{ "json", no_argument, NULL, OPT_JSON },
		{ "extract", required_argument, NULL, OPT_EXTRACT },
		{ "phone", required_argument, NULL, OPT_PHONE },
		{ "radius-port", required_argument, NULL, OPT_RADIUS_PORT },
		{ "max-flows", required_argument, NULL, OPT_MAX_FLOWS },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	capture_options options = { 0 };
	int option, rc = GO_ON;

	while (rc == GO_ON && (option = getopt_long(argc, argv, ":h", long_options, NULL)) != -1) {
		rc = capture_option(option, &options, argv);
	}
	if (rc == GO_ON) rc = capture_arguments(&options, argc, argv);
	if (rc == GO_ON) rc = capture_run(&options);
	free(options.anchors);
	return rc;
}

static int run_lint(int argc, char **argv)
{
	static struct option const long_options[] = {
		{ "instance", required_argument, NULL, OPT_INSTANCE },
		{ "now", required_argument, NULL, OPT_NOW },
		{ "json", no_argument, NULL, OPT_JSON },
		{ "check", required_argument, NULL, OPT_CHECK },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	lint_options options = { .raddb_dir = DEFAULT_RADDB_DIR, .now = time(NULL) };
	int option;

	while ((option = getopt_long(argc, argv, ":h", long_options, NULL)) != -1) {
		if (option == 'h') {
			fputs(lint_usage, stdout);
			return EXIT_CLEAN;
		} else if (option == OPT_JSON) {
			options.json = true;
		} else if (option == OPT_INSTANCE) {
			options.instance = optarg;
		} else if (option == OPT_CHECK) {
			if (!lint_check_known(optarg)) return usage_error("lint", "unknown check '%s' (see phonecert(1), lint)", optarg);
			options.check = optarg;
		} else if (option == OPT_NOW) {
			int rc = now_option("lint", &options.now);

			if (rc != GO_ON) return rc;
		} else {
			return option_error("lint", option, argv);
		}
	}
	if (argc - optind > 1) return usage_error("lint", "one RADDB_DIR at most, got '%s' and '%s'", argv[optind], argv[optind + 1]);
	if (argc - optind == 1) options.raddb_dir = argv[optind];
	return lint_run(&options);
}

/* One report option; returns GO_ON, or the exit code. */
static int report_option(int option, report_options *options, char **argv)
{
	char err[512];

	switch (option) {
	case 'h':
		fputs(report_usage, stdout);
		return EXIT_CLEAN;
	case OPT_DB:
		if (!db_url_check(optarg, err, sizeof(err))) return usage_error("report", "--db %s", err);
		options->db_url = optarg;
		return GO_ON;
	case OPT_CONFIG: options->raddb_dir = optarg; return GO_ON;
	case OPT_INSTANCE: options->instance = optarg; return GO_ON;
	case OPT_NOW: return now_option("report", &options->now);
	case OPT_FORMAT:
		if (strcmp(optarg, "text") == 0) options->format = REPORT_TEXT;
		else if (strcmp(optarg, "json") == 0) options->format = REPORT_JSON;
		else if (strcmp(optarg, "csv") == 0) options->format = REPORT_CSV;
		else if (strcmp(optarg, "prometheus") == 0) options->format = REPORT_PROMETHEUS;
		else return usage_error("report", "--format %s: text, json, csv or prometheus", optarg);
		return GO_ON;
	case OPT_HTML:
		if (!optarg[0]) return usage_error("report", "--html needs a file name");
		options->html_file = optarg;
		return GO_ON;
	case OPT_PHONES: options->phones = true; return GO_ON;
	}
	return option_error("report", option, argv);
}

static int run_report(int argc, char **argv)
{
	static struct option const long_options[] = {
		{ "db", required_argument, NULL, OPT_DB },
		{ "config", required_argument, NULL, OPT_CONFIG },
		{ "instance", required_argument, NULL, OPT_INSTANCE },
		{ "now", required_argument, NULL, OPT_NOW },
		{ "format", required_argument, NULL, OPT_FORMAT },
		{ "html", required_argument, NULL, OPT_HTML },
		{ "phones", no_argument, NULL, OPT_PHONES },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	report_options options = { .raddb_dir = DEFAULT_RADDB_DIR, .now = time(NULL), .format = REPORT_TEXT };
	int option, rc = GO_ON;

	while (rc == GO_ON && (option = getopt_long(argc, argv, ":h", long_options, NULL)) != -1) {
		rc = report_option(option, &options, argv);
	}
	if (rc != GO_ON) return rc;
	if (optind < argc) return usage_error("report", "unexpected argument '%s'", argv[optind]);
	if (!options.db_url) return usage_error("report", "no inventory: give --db sqlite:PATH or --db postgresql://...");
	return report_run(&options);
}

/* phonecert block / unblock (argv[0] says which). */
static int run_block(int argc, char **argv)
{
	static struct option const long_options[] = {
		{ "comment", required_argument, NULL, OPT_COMMENT },
		{ "file", required_argument, NULL, OPT_FILE },
		{ "config", required_argument, NULL, OPT_CONFIG },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	block_options options = { .unblock = strcmp(argv[0], "unblock") == 0, .raddb_dir = DEFAULT_RADDB_DIR };
	bool config_given = false;
	int option;

	while ((option = getopt_long(argc, argv, ":h", long_options, NULL)) != -1) {
		if (option == 'h') {
			fputs(block_usage, stdout);
			return EXIT_CLEAN;
		} else if (option == OPT_COMMENT && !options.unblock) {
			options.comment = optarg;
		} else if (option == OPT_FILE) {
			options.file = optarg;
		} else if (option == OPT_CONFIG) {
			options.raddb_dir = optarg;
			config_given = true;
		} else {
			return option_error(argv[0], option, argv);
		}
	}
	if (options.file && config_given) return usage_error(argv[0], "--file and --config exclude each other");
	if (argc - optind != 2) return usage_error(argv[0], "give KIND VALUE: mac MAC, device SEP<MAC> or serial ANCHOR:HEX");
	options.kind = argv[optind];
	options.value = argv[optind + 1];
	return block_run(&options);
}

/* phonecert inventory migrate: the one subcommand so far. */
static int run_inventory(int argc, char **argv)
{
	static struct option const long_options[] = {
		{ "db", required_argument, NULL, OPT_DB },
		{ "config", required_argument, NULL, OPT_CONFIG },
		{ "check", no_argument, NULL, OPT_CHECK },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	inventory_options options = { .raddb_dir = DEFAULT_RADDB_DIR };
	char err[512];
	int option;

	if (argc >= 2 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
		fputs(inventory_usage, stdout);
		return EXIT_CLEAN;
	}
	if (argc < 2 || strcmp(argv[1], "migrate") != 0) return usage_error("inventory", "the subcommand is migrate");
	while ((option = getopt_long(argc - 1, argv + 1, ":h", long_options, NULL)) != -1) {
		if (option == 'h') {
			fputs(inventory_usage, stdout);
			return EXIT_CLEAN;
		} else if (option == OPT_DB) {
			if (!db_url_check(optarg, err, sizeof(err))) return usage_error("inventory", "--db %s", err);
			options.db_url = optarg;
		} else if (option == OPT_CONFIG) {
			options.raddb_dir = optarg;
		} else if (option == OPT_CHECK) {
			options.check = true;
		} else {
			return option_error("inventory", option, argv + 1);
		}
	}
	if (optind < argc - 1) return usage_error("inventory", "unexpected argument '%s'", argv[optind + 1]);
	if (!options.db_url) return usage_error("inventory", "no inventory: give --db sqlite:PATH or --db postgresql://...");
	return inventory_migrate_run(&options);
}

static int show_version(void)
{
	printf("phonecert %s (rlm_phonecert), built with %s, running %s\n", PHONECERT_VERSION,
	       OPENSSL_VERSION_TEXT, OpenSSL_version(OPENSSL_VERSION));
	return EXIT_CLEAN;
}

int main(int argc, char **argv)
{
	char const *command = argc > 1 ? argv[1] : NULL;

	opterr = 0;	/* our own messages, which name the command */
	if (!command) return usage_error(NULL, "no command: inspect, capture, lint, report, block, unblock or inventory");
	if (strcmp(command, "--help") == 0 || strcmp(command, "-h") == 0 || strcmp(command, "help") == 0) {
		if (argc > 2 && strcmp(argv[2], "inspect") == 0) fputs(inspect_usage, stdout);
		else if (argc > 2 && strcmp(argv[2], "capture") == 0) fputs(capture_usage, stdout);
		else if (argc > 2 && strcmp(argv[2], "lint") == 0) fputs(lint_usage, stdout);
		else if (argc > 2 && strcmp(argv[2], "report") == 0) fputs(report_usage, stdout);
		else if (argc > 2 && (strcmp(argv[2], "block") == 0 || strcmp(argv[2], "unblock") == 0)) fputs(block_usage, stdout);
		else if (argc > 2 && strcmp(argv[2], "inventory") == 0) fputs(inventory_usage, stdout);
		else fputs(main_usage, stdout);
		return EXIT_CLEAN;
	}
	if (strcmp(command, "--version") == 0 || strcmp(command, "-V") == 0) return show_version();
	/* The command's own arguments, with the command in argv[0]'s place for getopt. */
	if (strcmp(command, "inspect") == 0) return run_inspect(argc - 1, argv + 1);
	if (strcmp(command, "capture") == 0) return run_capture(argc - 1, argv + 1);
	if (strcmp(command, "lint") == 0) return run_lint(argc - 1, argv + 1);
	if (strcmp(command, "report") == 0) return run_report(argc - 1, argv + 1);
	if (strcmp(command, "block") == 0 || strcmp(command, "unblock") == 0) return run_block(argc - 1, argv + 1);
	if (strcmp(command, "inventory") == 0) return run_inventory(argc - 1, argv + 1);
	if (command[0] == '-') return usage_error(NULL, "unknown option '%s'", command);
	return usage_error(NULL, "unknown command '%s': inspect, capture, lint, report, block, unblock or inventory", command);
}

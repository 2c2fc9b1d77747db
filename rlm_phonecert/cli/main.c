/*
 * phonecert: the command-line side of rlm_phonecert. It answers, without a
 * running server, what the module would decide about a phone's certificate
 * (inspect) and what is risky in a configuration (lint), with the same core
 * and the same configuration files as the module; and, from the phone
 * inventory the server writes, whether a rotation is done (report).
 *
 * This file parses the command line and hands each command its options;
 * inspect.c, lint.c and report.c do the work.
 */
#include "commands.h"
#include "db.h"

#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

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
	"  lint      check a FreeRADIUS configuration's phonecert anchors for risks\n"
	"  report    what the phone inventory says: is it safe to remove the old CAPF?\n"
	"\n"
	"Options:\n"
	"  -h, --help     show this help (phonecert COMMAND --help: the command's)\n"
	"  -V, --version  show the version\n"
	"\n"
	"Exit status: 0 all accepted / no findings / safe to remove, 1 a reject / findings /\n"
	"a retiring anchor still in use, 2 usage, I/O or database error.\n"
	"See phonecert(1).\n";

static char const inspect_usage[] =
	"Usage: phonecert inspect [--config RADDB_DIR | --capf FILE... --lsc-ca FILE... --manufacturing FILE]\n"
	"                         [--now TIME] [--json] CERT...\n"
	"Describe each phone certificate (PEM or DER; a file may hold a chain, leaf first) and\n"
	"the decision the server would give: ACCEPT, or REJECT with the reason and what to do.\n"
	"\n"
	"  --config RADDB_DIR    anchors and policy of a FreeRADIUS configuration\n"
	"                        (RADDB_DIR/mods-enabled/phonecert, else mods-available/phonecert)\n"
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

static char const lint_usage[] =
	"Usage: phonecert lint [--now TIME] [--json] [RADDB_DIR]\n"
	"Check the phonecert anchors of a FreeRADIUS configuration (default " DEFAULT_RADDB_DIR ")\n"
	"for what the module would refuse and for risks: CAPF certificates sharing a DN, expired or\n"
	"expiring CA certificates, closed windows and rotation gaps, CAPF certificates CUCM would\n"
	"refuse, SHA-1 and short RSA keys, phone CAs in eap's ca_file.\n"
	"\n"
	"  --now TIME    check at TIME, RFC 3339 UTC (2026-12-31T23:59:59Z); default: now\n"
	"  --json        JSON output\n"
	"  -h, --help    show this help\n"
	"\n"
	"Exit status: 0 no error or warning, 1 errors or warnings, 2 usage or I/O error, or a\n"
	"configuration the module would refuse.\n";

static char const report_usage[] =
	"Usage: phonecert report --db sqlite:PATH | --db postgresql://USER@HOST:PORT/DBNAME\n"
	"                        [--config RADDB_DIR] [--now TIME] [--format text|json|csv|prometheus]\n"
	"                        [--html FILE] [--phones]\n"
	"What the phone inventory (written by FreeRADIUS' sql_phonecert) says about a CAPF rotation:\n"
	"per anchor the phones whose latest authentication used it, the last day it was used and, for\n"
	"a retiring anchor (accept_until), whether it is safe to remove; MIC-only phones and MICs\n"
	"expiring within 180 days; phones rejected in the last 24 hours, by reason.\n"
	"\n"
	"  --db URL              the inventory: sqlite:PATH (opened read-only) or a PostgreSQL URL\n"
	"  --config RADDB_DIR    the anchors and windows (default " DEFAULT_RADDB_DIR ")\n"
	"  --now TIME            report at TIME, RFC 3339 UTC (2026-12-31T23:59:59Z); default: now\n"
	"  --format FORMAT       text (default), json, csv or prometheus (node-exporter's textfile collector)\n"
	"  --html FILE           also write a self-contained HTML page with a chart to FILE\n"
	"  --phones              list the phones that still use each anchor\n"
	"  -h, --help            show this help\n"
	"\n"
	"Exit status: 0 every retiring anchor is safe to remove, 1 a retiring anchor is still in use,\n"
	"2 usage, I/O or database error, or a configuration that cannot be read (no verdicts).\n";

/* Long-only options: values outside the character range. */
enum { OPT_CONFIG = 256, OPT_CAPF, OPT_LSC_CA, OPT_MANUFACTURING, OPT_NOW, OPT_JSON, OPT_DB, OPT_FORMAT, OPT_HTML,
       OPT_PHONES };

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

static bool parse_now(char const *text, time_t *now)
{
	return pc_time_parse(text, now);
}

static bool add_anchor_file(inspect_options *options, pc_anchor_kind kind, char const *file)
{
	anchor_file *grown = realloc(options->anchors, (options->anchor_count + 1) * sizeof(*grown));

	if (!grown) return false;
	options->anchors = grown;
	options->anchors[options->anchor_count++] = (anchor_file) { .kind = kind, .file = file };
	return true;
}

/* One inspect option; returns GO_ON, or the exit code. */
static int inspect_option(int option, inspect_options *options, char **argv)
{
	switch (option) {
	case 'h':
		fputs(inspect_usage, stdout);
		return EXIT_CLEAN;
	case OPT_CONFIG: options->raddb_dir = optarg; return GO_ON;
	case OPT_NOW:
		if (!parse_now(optarg, &options->now)) {
			return usage_error("inspect", "--now %s is not an RFC 3339 UTC time such as 2026-12-31T23:59:59Z", optarg);
		}
		return GO_ON;
	case OPT_JSON: options->json = true; return GO_ON;
	case OPT_CAPF:
	case OPT_LSC_CA:
	case OPT_MANUFACTURING: {
		pc_anchor_kind kind = option == OPT_CAPF ? PC_ANCHOR_CAPF :
				      option == OPT_LSC_CA ? PC_ANCHOR_LSC_CA : PC_ANCHOR_MANUFACTURING;

		if (!add_anchor_file(options, kind, optarg)) {
			fprintf(stderr, "phonecert: out of memory\n");
			return EXIT_TROUBLE;
		}
		return GO_ON;
	}
	}
	return option_error("inspect", option, argv);
}

/* After the options: the combination must make sense before anything is read. */
static int inspect_arguments(inspect_options *options, int argc, char **argv)
{
	options->certs = argv + optind;
	options->cert_count = (size_t)(argc - optind);
	if (options->raddb_dir && options->anchor_count) {
		return usage_error("inspect", "--config and --capf/--lsc-ca/--manufacturing exclude each other");
	}
	if (!options->raddb_dir && !options->anchor_count) {
		return usage_error("inspect", "no anchors: give --config RADDB_DIR, or --capf/--lsc-ca/--manufacturing FILE");
	}
	if (options->cert_count == 0) return usage_error("inspect", "no certificate file to inspect");
	return GO_ON;
}

static int run_inspect(int argc, char **argv)
{
	static struct option const long_options[] = {
		{ "config", required_argument, NULL, OPT_CONFIG },
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

static int run_lint(int argc, char **argv)
{
	static struct option const long_options[] = {
		{ "now", required_argument, NULL, OPT_NOW },
		{ "json", no_argument, NULL, OPT_JSON },
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
		} else if (option == OPT_NOW) {
			if (!parse_now(optarg, &options.now)) {
				return usage_error("lint", "--now %s is not an RFC 3339 UTC time such as 2026-12-31T23:59:59Z", optarg);
			}
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
	case OPT_NOW:
		if (!parse_now(optarg, &options->now)) {
			return usage_error("report", "--now %s is not an RFC 3339 UTC time such as 2026-12-31T23:59:59Z", optarg);
		}
		return GO_ON;
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
	if (!command) return usage_error(NULL, "no command: inspect, lint or report");
	if (strcmp(command, "--help") == 0 || strcmp(command, "-h") == 0 || strcmp(command, "help") == 0) {
		if (argc > 2 && strcmp(argv[2], "inspect") == 0) fputs(inspect_usage, stdout);
		else if (argc > 2 && strcmp(argv[2], "lint") == 0) fputs(lint_usage, stdout);
		else if (argc > 2 && strcmp(argv[2], "report") == 0) fputs(report_usage, stdout);
		else fputs(main_usage, stdout);
		return EXIT_CLEAN;
	}
	if (strcmp(command, "--version") == 0 || strcmp(command, "-V") == 0) return show_version();
	/* The command's own arguments, with the command in argv[0]'s place for getopt. */
	if (strcmp(command, "inspect") == 0) return run_inspect(argc - 1, argv + 1);
	if (strcmp(command, "lint") == 0) return run_lint(argc - 1, argv + 1);
	if (strcmp(command, "report") == 0) return run_report(argc - 1, argv + 1);
	if (command[0] == '-') return usage_error(NULL, "unknown option '%s'", command);
	return usage_error(NULL, "unknown command '%s': inspect, lint or report", command);
}

/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * phonecert capture: every EAP-TLS or TLS handshake of a packet capture
 * judged like the server would (issue 13). The files beside this one do
 * the reading: pcap_source (libpcap) -> engine (flows: RADIUS, EAPOL, TCP; dissect, eap,
 * radius, tcp, tls) -> entry (the decision, the wire, the diagnosis) ->
 * print / extract. Entries are printed as their handshakes end, so a
 * capture streams through.
 */
#include "../commands.h"
#include "../decider.h"

#include <stdio.h>
#include <string.h>

#include "engine.h"
#include "entry.h"
#include "extract.h"
#include "pcap_source.h"
#include "print.h"

#include "../../core/phone.h"

typedef struct {
	capture_options const *options;
	decider const *decider;
	unsigned reported;
	int rc;
} capture_run_state;

static int worse(int a, int b)
{
	return a > b ? a : b;
}

static bool is_the_phone(capture_entry const *entry, char const *mac)
{
	char reported[PC_MAC_LEN];
	cap_handshake const *hs = entry->hs;

	if (entry->mac[0] && strcmp(entry->mac, mac) == 0) return true;
	return hs->calling_station_id[0] && pc_mac_normalise(hs->calling_station_id, reported) && strcmp(reported, mac) == 0;
}

static void report_handshake(void *ctx, cap_handshake const *hs)
{
	capture_run_state *run = ctx;
	capture_options const *options = run->options;
	capture_entry entry;
	char *files[EXTRACT_MAX_FILES];
	int file_count = 0;

	entry_build(&entry, hs, run->decider, options->common.now_given ? options->common.now : 0, run->reported + 1);
	if (options->phone_mac[0] && !is_the_phone(&entry, options->phone_mac)) {
		entry_free(&entry);
		return;
	}
	run->reported++;
	if (options->extract_dir && entry.cert) {
		file_count = extract_certificates(options->extract_dir, &entry, files);
		if (file_count < 0) {
			run->rc = EXIT_TROUBLE;
			file_count = 0;
		}
	}
	if (options->common.json) {
		print_entry_json(stdout, &entry, (char const *const *)files, file_count);
	} else {
		if (run->reported > 1) putchar('\n');
		print_entry_text(stdout, &entry, (char const *const *)files, file_count);
	}
	fflush(stdout);	/* tcpdump -w - | phonecert capture -: each entry as it happens */
	if (!entry.fine) run->rc = worse(run->rc, EXIT_FINDINGS);
	extract_free(files, file_count);
	entry_free(&entry);
}

static void print_summary(cap_stats const *stats, capture_run_state const *run)
{
	if (stats->unreadable) {
		fprintf(stderr, "phonecert: %llu of %llu frames could not be read (first: %s)\n", stats->unreadable,
			stats->packets, stats->first_unreadable);
	}
	if (stats->evicted) {
		fprintf(stderr, "phonecert: more flows than --max-flows were in progress at once: %llu were cut short "
			"(reported before their end, or dropped before TLS began) and the rest of their packets ignored\n",
			stats->evicted);
	}
	if (!run->reported) {
		fprintf(stderr, "phonecert: no TLS handshake%s in %llu frames\n", run->options->phone_mac[0] ?
			" of that phone" : "", stats->packets);
	}
}

/*
 * Where RADIUS is, besides 1812 and 1645: --radius-port, else the ports the
 * configuration's auth listeners use (none without a configuration).
 */
static int radius_ports(capture_options const *options, decider const *d, cap_limits *limits)
{
	char err[1024];

	if (options->radius_port) {
		limits->radius_ports[limits->radius_port_count++] = (uint16_t)options->radius_port;
		return 0;
	}
	if (!d->db) return 0;
	if (raddb_auth_ports(d->db, limits->radius_ports, CAP_MAX_RADIUS_PORTS, &limits->radius_port_count, err,
			     sizeof(err)) < 0) {
		fprintf(stderr, "phonecert: %s\n", err);
		return -1;
	}
	if (limits->radius_port_count > CAP_MAX_RADIUS_PORTS) {
		fprintf(stderr, "phonecert: the configuration listens for RADIUS on %zu ports: only the first %d are read "
			"(--radius-port names another)\n", limits->radius_port_count, CAP_MAX_RADIUS_PORTS);
	}
	return 0;
}

int capture_run(capture_options const *options)
{
	decider d = { 0 };
	capture_run_state run = { .options = options, .decider = &d, .rc = EXIT_CLEAN };
	cap_limits limits = { .max_flows = options->max_flows };
	cap_engine *engine = NULL;
	char err[1024];

	if (decider_load(&d, &options->common) < 0 || radius_ports(options, &d, &limits) < 0) {
		decider_free(&d);
		return EXIT_TROUBLE;
	}
	if (!(engine = cap_engine_new(&limits, report_handshake, &run))) {
		fprintf(stderr, "phonecert: out of memory\n");
		decider_free(&d);
		return EXIT_TROUBLE;
	}
	if (pcap_source_run(options->file, engine, err, sizeof(err)) < 0) {
		fprintf(stderr, "phonecert: %s\n", err);
		/* A capture cut off mid-frame still has its handshakes; one that could not be opened has none. */
		run.rc = worse(run.rc, cap_engine_stats(engine)->packets ? EXIT_FINDINGS : EXIT_TROUBLE);
	}
	cap_engine_finish(engine);
	if (cap_engine_stats(engine)->packets || run.rc != EXIT_TROUBLE) {
		print_summary(cap_engine_stats(engine), &run);
		if (!run.reported) run.rc = worse(run.rc, EXIT_FINDINGS);
	}
	cap_engine_free(engine);
	decider_free(&d);
	return run.rc;
}

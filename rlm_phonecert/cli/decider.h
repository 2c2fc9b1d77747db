/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The anchors and policy the phonecert tool decides with, and the decision
 * itself: what the module's handshake does (pc_verify on the certificate and
 * the chain the phone sent, then pc_policy_check with the switch's facts).
 * Shared by inspect (certificate files) and capture (certificates on the wire).
 */
#ifndef PHONECERT_CLI_DECIDER_H
#define PHONECERT_CLI_DECIDER_H

#include <stddef.h>
#include <time.h>

#include <openssl/x509.h>

#include "commands.h"
#include "raddb.h"

#include "../core/policy.h"
#include "../core/verify.h"

/* The anchors and policy to decide with: from a raddb, or from files on the command line. */
typedef struct {
	raddb *db;
	raddb_phonecert const *phonecert;	/* with a raddb */
	raddb_anchor *file_anchors;		/* without: one per --capf/--lsc-ca/--manufacturing */
	raddb_anchor const *anchors;
	size_t anchor_count;
	pc_policy policy;
	pc_trust *trust;
} decider;

/*
 * Load the anchors and policy of raddb_dir's phonecert instance (NULL: the
 * only one) when raddb_dir is not NULL, else the anchor files with the
 * default policy. Returns 0, or -1 after saying why on stderr
 * (every anchor the module would refuse is named, and from a raddb every
 * file it refuses because others can change it). decider_free() either way.
 */
int decider_load(decider *d, char const *raddb_dir, char const *instance, anchor_file const *anchors,
		 size_t anchor_count);
void decider_free(decider *d);

/* What the switch reported; NULL strings: as a correctly configured switch would (the certificate's MAC and CN). */
typedef struct {
	char const *calling_station_id;
	char const *user_name;
} decider_switch_facts;

/* The server's decision on cert (and the chain sent with it, may be NULL) at now. */
void decider_decide(decider const *d, X509 *cert, STACK_OF(X509) *chain, time_t now,
		    decider_switch_facts const *reported, pc_result *result);

#endif

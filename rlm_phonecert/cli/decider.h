/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The anchors and policy the phonecert tool decides with, as the module would:
 * inspect (certificate files) and capture (certificates on the wire) hand them
 * to the core's pc_decide_chain.
 */
#ifndef PHONECERT_CLI_DECIDER_H
#define PHONECERT_CLI_DECIDER_H

#include <stddef.h>
#include <time.h>

#include <openssl/x509.h>

#include "commands.h"
#include "raddb.h"

#include "../core/decide.h"

/* The anchors and policy to decide with: from a raddb, or from files on the command line. */
typedef struct {
	raddb *db;
	raddb_phonecert const *phonecert;	/* with a raddb */
	pc_anchor_config *file_anchors;		/* without: one per --capf/--lsc-ca/--manufacturing */
	pc_anchor_config const *anchors;
	size_t anchor_count;
	pc_policy policy;
	pc_trust *trust;
} decider;

/*
 * Load the anchors and policy that options name (inspect's and capture's
 * --config and --instance, or --capf/--lsc-ca/--manufacturing): those of
 * the raddb's phonecert instance (NULL: the only one), else the anchor
 * files with the default policy. Returns 0, or -1 after saying why on
 * stderr (every anchor the module would refuse is named, and from a raddb
 * every file it refuses because others can change it). decider_free()
 * either way.
 */
int decider_load(decider *d, common_options const *options);
void decider_free(decider *d);

#endif

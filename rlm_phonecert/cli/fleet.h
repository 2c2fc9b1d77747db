/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What phonecert block and unblock do beyond block_file (block.c): the
 * fleet block list in PostgreSQL (fleet.c), and --now, the CoA that removes
 * a blocked phone from its switch (coa.c).
 */
#ifndef PHONECERT_CLI_FLEET_H
#define PHONECERT_CLI_FLEET_H

#include "commands.h"

#include "../core/blocklist.h"

/* The refresh of a fleet_block_list that sets none: every server reads the list this often. */
#define FLEET_REFRESH_DEFAULT 5

/*
 * block/unblock entry in options->common.db_url's phonecert_block: an exit
 * code, having said what it did; *added when a row was added.
 */
int fleet_block_run(block_options const *options, pc_block_entry const *entry, bool *added);

/*
 * --now: a CoA (options->coa) to the switch where each phone entry names was
 * last accepted, as the inventory (options->common.db_url) recorded it,
 * through clients.conf of options->common.raddb_dir. EXIT_CLEAN when every
 * switch acknowledged; EXIT_FINDINGS when one did not, none is known, or
 * the recorded address is no client with a coa_server; EXIT_TROUBLE on
 * errors. Says each on stdout.
 */
int coa_remove_now(block_options const *options, pc_block_entry const *entry);

/* Whether --coa names what coa_remove_now can ask: disconnect, reauthenticate, bounce-host-port. */
bool coa_kind_known(char const *name);

#endif

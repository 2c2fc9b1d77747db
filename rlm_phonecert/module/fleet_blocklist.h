/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * fleet_block_list: the fleet's block list (core/fleetlist.h), read from the
 * inventory's PostgreSQL database every refresh seconds by a thread of the
 * module, held in memory, and copied to a local file that a start-up reads.
 * Authentications only ever read the list in force (the policy's
 * fleet_blocklist): they never wait on the database.
 *
 * Like the hook, what an instance holds belongs to no module instance: a HUP
 * re-instantiates the module while the list stays in force, and the same
 * list is found again by instance name. Include after <freeradius/radiusd.h>.
 */
#ifndef PHONECERT_FLEET_BLOCKLIST_H
#define PHONECERT_FLEET_BLOCKLIST_H

#include "../config/phonecert_conf.h"

/*
 * The list in force for this instance, for its policy (NULL without a
 * fleet_block_list). When none is held yet, the local copy is read into it
 * first (a copy that does not parse is refused, loudly; until a list is
 * loaded only block_file blocks). -1 when out of memory.
 */
int fleet_blocklist_prepare(char const *instance, phonecert_fleet_options_t const *options,
			    pc_fleet_blocklist **fleet);

/*
 * Once the instance is in place: (re)start its reader with these options,
 * or stop it when they have no fleet_block_list. The list in force stays
 * until the new reader replaces it.
 */
void fleet_blocklist_run(char const *instance, phonecert_fleet_options_t const *options);

#endif

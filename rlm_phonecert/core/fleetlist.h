/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The fleet block list: one block list for every server of a fleet, kept in
 * the inventory's PostgreSQL database (table phonecert_block, written by
 * "phonecert block --db"), read by each server every few seconds
 * (module/fleet_blocklist.c), held in memory and copied to a local file.
 * It only ever narrows what a server accepts: the policy refuses a phone
 * that block_file or this list names (policy.c).
 *
 * Fail static: what a server holds changes only by what the database says
 * explicitly. A row in force blocks. A row whose unblock was recorded
 * (lifted) stops blocking. An entry the server holds that the database no
 * longer has at all (a row deleted, a table emptied, the wrong database)
 * stays in force, told as kept. A read that fails changes nothing.
 *
 * Rows are untrusted: whoever holds the admin role wrote them. A row that
 * is no valid entry blocks nothing and is told; a comment that block_file's
 * rule refuses (pc_block_comment_check) is dropped and told, and the entry
 * still blocks. Every message is escaped (text.h). Serial rows must name
 * their anchor's CA certificate by fingerprint (ca=): by section name alone,
 * a server whose section is named otherwise would ignore them.
 *
 * The local copy is block_file's format (blocklist.h), between a header
 * line with the time of the read and a trailer that counts the entries: a
 * copy cut short or edited by hand does not parse.
 */
#ifndef PHONECERT_FLEETLIST_H
#define PHONECERT_FLEETLIST_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "blocklist.h"

/* One row of phonecert_block as read, in the table's order (its id). Strings as stored; NULL for SQL NULL. */
typedef struct {
	long long id;
	char const *kind;
	char const *value;
	char const *ca;			/* ca_fingerprint: serial rows */
	char const *comment;
	bool lifted;			/* its unblock was recorded */
} pc_fleet_row;

typedef enum {
	PC_FLEET_ADDED,			/* a row now in force */
	PC_FLEET_LIFTED,		/* an entry held whose unblock is recorded: no longer in force */
	PC_FLEET_KEPT,			/* an entry held that no row names: still in force */
	PC_FLEET_REFUSED		/* a row, or its comment, that is not valid */
} pc_fleet_change;

/* One change, in words for a log line; escaped: a row's text holds no control character here. */
typedef void pc_fleet_tell_fn(void *ctx, pc_fleet_change change, char const *message);

/* A read made into what a server holds: the list (its entries marked fleet) and its local copy. */
typedef struct {
	pc_blocklist	*list;
	char		*copy;		/* malloc'd text of the local copy */
	size_t		copy_len;
} pc_fleet_list;

/*
 * The list the rows make, read from the database at read_at, starting from
 * previous (what the server held; NULL: nothing yet, and then the entries
 * added are not told one by one). Every change is told. 0, or -1 with err
 * (out of memory); free out's parts with pc_fleet_list_free.
 */
int pc_fleet_build(pc_blocklist const *previous, pc_fleet_row const *rows, size_t count, time_t read_at,
		   pc_fleet_tell_fn *tell, void *ctx, pc_fleet_list *out, char *err, size_t err_len);

void pc_fleet_list_free(pc_fleet_list *list);

/*
 * A local copy read back: its list (entries marked fleet) and when it was
 * read from the database. NULL with "line N: problem" or the problem in err.
 */
pc_blocklist *pc_fleet_copy_parse(char const *text, size_t len, time_t *read_at, char *err, size_t err_len);

/*
 * The local copy at path, read and parsed (pc_fleet_copy_parse): NULL with
 * "PATH: problem" or "PATH[N]: problem" in err. *missing tells a copy not
 * written yet from one that cannot be read.
 */
pc_blocklist *pc_fleet_copy_load(char const *path, time_t *read_at, bool *missing, char *err, size_t err_len);

/*
 * The fleet block list as a server holds it: replaced by one thread (the
 * refresh) while authentications read it, under a read-write lock that no
 * one holds for longer than a look-up or a pointer swap.
 */
typedef struct pc_fleet_blocklist pc_fleet_blocklist;

pc_fleet_blocklist *pc_fleet_blocklist_new(void);
void pc_fleet_blocklist_free(pc_fleet_blocklist *fleet);

/* Put list in force (owned by fleet from now on); the one it replaces is freed. */
void pc_fleet_blocklist_replace(pc_fleet_blocklist *fleet, pc_blocklist *list);

/* The list in force, or NULL when none was loaded yet: for the one thread that replaces it. */
pc_blocklist const *pc_fleet_blocklist_held(pc_fleet_blocklist *fleet);

/*
 * pc_blocklist_find on the list in force (its arguments): 1 with the
 * reason (pc_block_reason) when an entry blocks, 0 when none does. With no
 * list loaded yet (a first start while the database is down, no copy) none
 * does: fail static, the server's own configuration (block_file) decides,
 * and the module says so loudly until the database answers.
 */
int pc_fleet_blocklist_check(pc_fleet_blocklist *fleet, char const *mac, char const *calling_station_id,
			     char const *anchor, char const *anchor_fingerprint, char const *serial,
			     char *reason, size_t len);

#endif

/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * phonecert block / unblock --db postgresql://...: the fleet block list,
 * the table phonecert_block of the inventory's PostgreSQL database, which
 * every server with fleet_block_list reads every few seconds
 * (core/fleetlist.h, doc/fleet.md); and phonecert fleet status, what a
 * server holds as its local copy says, for people and for Prometheus.
 *
 * A block adds a row; an unblock lifts the rows in force, and the table's
 * trigger records who and when: nothing is ever deleted, so that a server
 * never mistakes a lost row for an unblock. Serial entries name the CA
 * certificate that issued the certificate by its fingerprint, read from the
 * anchor of that name in --config: one row for each CA certificate the
 * anchor holds (a rotation's old and new CAPF may share the section).
 */
#include "commands.h"
#include "decider.h"
#include "fleet.h"
#include "inventory/db.h"
#include "output.h"
#include "raddb.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "../core/timeutil.h"

#define FLEET_SCHEMA_VERSION 3	/* the inventory's schema that has phonecert_block */

static char const sql_in_force[] = "SELECT id, kind, value, ca_fingerprint, made_by, made_at FROM phonecert_block "
				   "WHERE lifted_at IS NULL ORDER BY id";
static char const sql_add[] = "INSERT INTO phonecert_block (kind, value, ca_fingerprint, comment) "
			      "VALUES ($1, $2, NULLIF($3, ''), NULLIF($4, '')) RETURNING id";
static char const sql_lift[] = "UPDATE phonecert_block SET lifted_at = now() WHERE id = $1 AND lifted_at IS NULL "
			       "RETURNING lifted_by";

/* The entry's value as the table holds it: "2C-31-24-C9-F8-E1", "SEP2C3124C9F8E1", "harbour-2026:5c9f". */
static char const *entry_value(pc_block_entry const *entry, char *buf, size_t len)
{
	pc_block_entry named = *entry;
	char text[PC_BLOCK_LINE_MAX];

	named.ca[0] = '\0';
	pc_block_entry_text(&named, text, sizeof(text));
	snprintf(buf, len, "%s", strchr(text, ' ') + 1);
	return buf;
}

static char const *kind_of(pc_block_entry const *entry)
{
	return entry->kind == PC_BLOCK_MAC ? "mac" : entry->kind == PC_BLOCK_DEVICE ? "device" : "serial";
}

/* Whether row blocks what entry names: a MAC by mac or device; a serial by its anchor and number, any ca= unless given. */
static bool row_names(db_table const *rows, size_t i, pc_block_entry const *entry)
{
	pc_block_entry row;
	char err[256];

	if (pc_block_entry_parse(db_cell(rows, i, 1), db_cell(rows, i, 2), &row, err, sizeof(err)) < 0) return false;
	if (entry->kind != PC_BLOCK_SERIAL || row.kind != PC_BLOCK_SERIAL) return pc_block_entry_same(&row, entry);
	if (strcmp(row.anchor, entry->anchor) != 0 || strcmp(row.serial, entry->serial) != 0) return false;
	return !entry->ca[0] || (db_cell(rows, i, 3) && strcasecmp(db_cell(rows, i, 3), entry->ca) == 0);
}

/* The inventory, opened for writing, with the schema that has phonecert_block. */
static inventory_db *open_fleet(char const *url, char const *command)
{
	char err[1024];
	inventory_db *db = db_open(url, true, err, sizeof(err));
	long long version = 0;

	if (!db) {
		trouble(command, "%s", err);
		return NULL;
	}
	if (db_schema_version(db, &version, err, sizeof(err)) < 0) {
		trouble(command, "%s: %s", db_description(db), err);
	} else if (version < FLEET_SCHEMA_VERSION) {
		trouble(command, "%s has no fleet block list yet: its schema is version %lld. Run: phonecert inventory "
			"migrate --db %s, then fleet-roles.sql (doc/fleet.md)", db_description(db), version, url);
	} else {
		return db;
	}
	db_close(db);
	return NULL;
}

/* The CA certificates that may have issued a serial entry's certificate: its anchor's in --config. */
static int serial_fingerprints(block_options const *o, pc_block_entry const *entry, char (**fps)[PC_FINGERPRINT_LEN],
			       size_t *count)
{
	decider d = { 0 };
	pc_anchor const *anchor;
	int rc = EXIT_TROUBLE;

	*fps = NULL;
	*count = 0;
	if (decider_load(&d, &o->common) < 0) goto done;
	anchor = pc_trust_find_anchor(d.trust, entry->anchor);
	if (!anchor) {
		trouble("block", "no anchor '%s' in %s: a serial entry of the fleet names the anchor's CA certificate by "
			"its fingerprint, read from the configuration", entry->anchor, o->common.raddb_dir);
		goto done;
	}
	*fps = calloc(pc_anchor_cert_count(anchor) + 1, sizeof(**fps));
	for (size_t i = 0; *fps && i < pc_anchor_cert_count(anchor); i++) {
		if (pc_cert_fingerprint(pc_anchor_cert(anchor, i), (*fps)[*count])) (*count)++;
	}
	rc = *fps && *count ? EXIT_CLEAN : trouble("block", "cannot read the fingerprints of anchor '%s'", entry->anchor);
done:
	decider_free(&d);
	return rc;
}

/* One row for entry unless one in force names it already; says which. *added when it adds one. */
static int add_row(inventory_db *db, db_table const *in_force, pc_block_entry const *entry, char const *comment,
		   char const *where, bool *added)
{
	char value[PC_BLOCK_LINE_MAX], text[PC_BLOCK_LINE_MAX], err[1024], by[256], at[256];
	db_param params[4];
	db_table row;

	pc_block_entry_text(entry, text, sizeof(text));
	for (size_t i = 0; i < in_force->rows; i++) {
		if (!row_names(in_force, i, entry)) continue;
		printf("%s is blocked already in %s: row %s, by %s at %s\n", text, where, db_cell(in_force, i, 0),
		       text_escape(db_cell(in_force, i, 4), by, sizeof(by)), text_escape(db_cell(in_force, i, 5), at, sizeof(at)));
		return EXIT_CLEAN;
	}
	params[0] = DB_TEXT(kind_of(entry));
	params[1] = DB_TEXT(entry_value(entry, value, sizeof(value)));
	params[2] = DB_TEXT(entry->ca);
	params[3] = DB_TEXT(comment ? comment : "");
	if (db_query_verbatim(db, sql_add, params, 4, &row, err, sizeof(err)) < 0) return trouble("block", "%s", err);
	printf("blocked %s in %s (row %s)\n", text, where, db_cell(&row, 0, 0));
	db_table_free(&row);
	*added = true;
	return EXIT_CLEAN;
}

static int block(block_options const *o, inventory_db *db, db_table const *in_force, pc_block_entry const *entry,
		 bool *added)
{
	char (*fps)[PC_FINGERPRINT_LEN] = NULL;
	size_t count = 1;
	int rc = EXIT_CLEAN;

	if (entry->kind == PC_BLOCK_SERIAL) rc = serial_fingerprints(o, entry, &fps, &count);
	for (size_t i = 0; rc == EXIT_CLEAN && i < count; i++) {
		pc_block_entry one = *entry;
		char err[256];

		if (fps && pc_block_entry_set_ca(&one, fps[i], err, sizeof(err)) < 0) rc = trouble("block", "%s", err);
		else rc = add_row(db, in_force, &one, o->comment, db_description(db), added);
	}
	free(fps);
	if (rc == EXIT_CLEAN && *added) {
		printf("Every server with fleet_block_list refuses it within its refresh (%d s by default)\n",
		       FLEET_REFRESH_DEFAULT);
	}
	return rc;
}

/* Lift every row in force that names the entry; the trigger records who and when. */
static int unblock(inventory_db *db, db_table const *in_force, pc_block_entry const *entry)
{
	char text[PC_BLOCK_LINE_MAX], err[1024], by[256];
	size_t lifted = 0;

	pc_block_entry_text(entry, text, sizeof(text));
	for (size_t i = 0; i < in_force->rows; i++) {
		db_param id;
		db_table done;
		long long row;

		if (!row_names(in_force, i, entry) || !db_cell_int(in_force, i, 0, &row)) continue;
		id = DB_INT(row);
		if (db_query_verbatim(db, sql_lift, &id, 1, &done, err, sizeof(err)) < 0) return trouble("unblock", "%s", err);
		if (done.rows == 1) {
			printf("unblocked %s in %s (row %lld, lifted by %s)\n", text, db_description(db), row,
			       text_escape(db_cell(&done, 0, 0), by, sizeof(by)));
			lifted++;
		}
		db_table_free(&done);
	}
	if (lifted) return EXIT_CLEAN;
	printf("%s is not in force in %s\n", text, db_description(db));
	return EXIT_FINDINGS;
}

int fleet_block_run(block_options const *options, pc_block_entry const *entry, bool *added)
{
	char const *command = options->unblock ? "unblock" : "block";
	inventory_db *db = open_fleet(options->common.db_url, command);
	db_table in_force;
	char err[1024];
	int rc;

	if (!db) return EXIT_TROUBLE;
	if (db_query_verbatim(db, sql_in_force, NULL, 0, &in_force, err, sizeof(err)) < 0) {
		db_close(db);
		return trouble(command, "%s", err);
	}
	rc = options->unblock ? unblock(db, &in_force, entry) : block(options, db, &in_force, entry, added);
	db_table_free(&in_force);
	db_close(db);
	return rc;
}

/* The copy's state as Prometheus' text format, for node-exporter's textfile collector. */
static void status_prometheus(pc_blocklist const *list, time_t read_at, time_t now)
{
	printf("# HELP phonecert_fleet_blocklist_copy_ok 1 if the fleet block list's local copy was read, else 0.\n"
	       "# TYPE phonecert_fleet_blocklist_copy_ok gauge\nphonecert_fleet_blocklist_copy_ok %d\n", list != NULL);
	if (!list) return;
	printf("# HELP phonecert_fleet_blocklist_read_timestamp_seconds When the server last read the list from its "
	       "database, Unix seconds.\n# TYPE phonecert_fleet_blocklist_read_timestamp_seconds gauge\n"
	       "phonecert_fleet_blocklist_read_timestamp_seconds %lld\n", (long long)read_at);
	printf("# HELP phonecert_fleet_blocklist_age_seconds Seconds since that read: it grows while the database cannot "
	       "be read.\n# TYPE phonecert_fleet_blocklist_age_seconds gauge\nphonecert_fleet_blocklist_age_seconds %.15g\n",
	       difftime(now, read_at));
	printf("# HELP phonecert_fleet_blocklist_entries Entries of the fleet block list in force.\n"
	       "# TYPE phonecert_fleet_blocklist_entries gauge\nphonecert_fleet_blocklist_entries %zu\n",
	       pc_blocklist_count(list));
}

static void status_text(char const *copy, pc_blocklist const *list, time_t read_at, time_t now, char const *err)
{
	char when[PC_TIME_STRLEN], shown[TEXT_ESCAPED_LEN];

	if (!list) {
		printf("fleet block list: the local copy cannot be read: %s\n", text_escape(err, shown, sizeof(shown)));
		return;
	}
	pc_time_format(read_at, when, sizeof(when));
	printf("fleet block list: %zu entries in force, read from the database at %s (%.0f s ago), copy %s\n",
	       pc_blocklist_count(list), when, difftime(now, read_at), copy);
}

int fleet_status_run(fleet_options const *options)
{
	char err[PATH_MAX + 1024];
	raddb *db = raddb_open(options->common.raddb_dir, err, sizeof(err));
	raddb_phonecert const *phonecert;
	pc_blocklist *list;
	time_t read_at = 0;
	bool missing;

	if (!db || raddb_read_phonecert(db, options->common.instance, &phonecert, err, sizeof(err)) < 0) {
		raddb_close(db);
		return trouble("fleet", "%s", err);
	}
	if (!phonecert->fleet_copy) {
		raddb_close(db);
		return trouble("fleet", "phonecert %s of %s has no fleet_block_list", phonecert->instance,
			       options->common.raddb_dir);
	}
	list = pc_fleet_copy_load(phonecert->fleet_copy, &read_at, &missing, err, sizeof(err));
	if (options->prometheus) status_prometheus(list, read_at, options->common.now);
	else status_text(phonecert->fleet_copy, list, read_at, options->common.now, err);
	pc_blocklist_free(list);
	raddb_close(db);
	return list ? EXIT_CLEAN : EXIT_FINDINGS;
}

/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * phonecert report, gathering: what gather.c shares with expected.c (the
 * phone lists), which gathers its sections from the same inventory. The
 * renderers need none of it: report.h is theirs.
 */
#ifndef PHONECERT_CLI_REPORT_GATHER_H
#define PHONECERT_CLI_REPORT_GATHER_H

#include "../inventory/db.h"
#include "../raddb.h"
#include "report.h"

/* The columns of a phonecert_phone row that report_phone_from_row reads, in its order. */
#define REPORT_PHONE_COLUMNS "device_name, mac, model, anchor, not_after, last_seen, last_result"
enum { COL_DEVICE, COL_MAC, COL_MODEL, COL_ANCHOR, COL_NOT_AFTER, COL_LAST_SEEN, COL_LAST_RESULT };

/* A query that must work: -1 after the database's error on stderr. */
int report_query(inventory_db *db, char const *sql, db_param const *params, size_t count, db_table *out);

/* "phonecert report: out of memory" on stderr; -1. */
int report_out_of_memory(void);

/* A row of REPORT_PHONE_COLUMNS as a report_phone (copied); -1 when out of memory. */
int report_phone_from_row(db_table const *t, size_t row, report_phone *p);
void report_phone_free(report_phone *p);
void report_phones_free(report_phone *phones, size_t count);

/* strcmp, with NULL first; report_phones by device name, then MAC. */
int report_compare_text(char const *a, char const *b);
int report_compare_phones(void const *a, void const *b);

report_anchor *report_find_anchor(report *r, char const *name);

/*
 * expected.c: the phone lists (options', else the configuration's
 * expected_phones; phonecert NULL when it could not be read) against the
 * inventory, after the anchors' usage and before their verdicts: the lists'
 * sections into r, and per retiring anchor the listed phones not seen since
 * the rotation began. -1 after saying why on stderr (a list that cannot be
 * read, is empty, or of which no phone was ever seen; a rotation whose start
 * is unknown). report_expected_free either way.
 */
int report_expected_gather(report *r, report_options const *options, raddb_phonecert const *phonecert,
			   inventory_db *db);
void report_expected_free(report *r);

#endif

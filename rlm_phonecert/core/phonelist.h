/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A list of the phones a CUCM cluster knows, read from CSV: CUCM's own
 * export (Bulk Administration -> Phones -> Export Phones, "All Details" or
 * "Specific Details"), whose header row names the fields as Cisco's Bulk
 * Administration Guide lists them ("Device Name", "Description", "Device
 * Pool", "Device Type"...), or any CSV whose header names a "name" or
 * "device" column. phonecert report checks it against the inventory
 * (doc/cucm.md).
 *
 * The file comes from outside, so:
 *   - it is read as a stream, one record at a time, each at most
 *     PC_LIST_MAX_RECORD bytes: memory grows with the phones listed, never
 *     with a line's length or the columns nobody reads;
 *   - RFC 4180 CSV as CUCM and spreadsheets write it: a UTF-8 byte order
 *     mark, CRLF or LF line ends, quoted fields holding commas, quotes ("")
 *     and line breaks;
 *   - refused whole, with "FILE[LINE]: problem" in err: a missing header,
 *     bytes that are not UTF-8 (or a NUL), a record longer than the limit,
 *     a quoted field that never ends;
 *   - a row whose device name cannot be a phone's is never dropped
 *     silently: SEP + 12 hex digits is a phone; a name starting with SEP
 *     otherwise, an empty one or a row without the device column is
 *     invalid and kept with its line; any other name (softphones CSF, BOT,
 *     TCT, TAB; ATA ports; CTI ports...) is a device that is no phone,
 *     counted by its first three letters;
 *   - the columns carried to the report (description, device pool, model)
 *     are cut to PC_LIST_MAX_CELL bytes, between whole characters, and are
 *     a stranger's text: escape them to show them (text.h).
 *
 * No global state; the only I/O is reading the FILE it is given.
 */
#ifndef PHONECERT_PHONELIST_H
#define PHONECERT_PHONELIST_H

#include <stddef.h>
#include <stdio.h>

#include "phone.h"

#define PC_LIST_MAX_RECORD (1024 * 1024)	/* bytes of one record (a line, or more with quoted line breaks) */
#define PC_LIST_MAX_CELL 512			/* bytes kept of a carried column */
#define PC_LIST_DEVICE_LEN 16			/* "SEP2C3124C9F8E1" + NUL */

/* A phone of the list. */
typedef struct {
	char device_name[PC_LIST_DEVICE_LEN];	/* SEP + 12 hex digits, upper case */
	char mac[PC_MAC_LEN];			/* "2C-31-24-C9-F8-E1" */
	char *description;			/* NULL when the list has no such column, or the cell is empty */
	char *device_pool;
	char *model;				/* CUCM's "Device Type" ("Cisco 8845"), or a "model" column */
	unsigned long line;			/* where its record starts */
} pc_listed_phone;

/* Devices that are no phone, by the first three letters of their name ("" for a name that starts otherwise). */
typedef struct {
	char prefix[4];
	unsigned long devices;
} pc_list_skipped;

/* A row whose device name cannot be a phone's. */
typedef struct {
	unsigned long line;
	char *device;				/* the cell as written, cut to PC_LIST_MAX_CELL; "" when none */
	char const *problem;			/* our words: "not SEP and 12 hex digits"... */
} pc_list_invalid;

typedef struct {
	pc_listed_phone *phones;		/* in the order of the file */
	size_t phone_count;
	pc_list_skipped *skipped;		/* by prefix */
	size_t skipped_count;
	pc_list_invalid *invalid;		/* in the order of the file */
	size_t invalid_count;
	unsigned long lines;			/* lines read */
} pc_phonelist;

/*
 * Read the list from in; name (the file, as the user gave it) goes into
 * messages. NULL with "NAME[LINE]: problem" in err when the file is
 * refused, or out of memory. An empty list (a header and no phone) is a
 * list: whether it may be is the caller's to say.
 */
pc_phonelist *pc_phonelist_read(FILE *in, char const *name, char *err, size_t len);
void pc_phonelist_free(pc_phonelist *list);

/* Devices that are no phone, all prefixes together. */
unsigned long pc_phonelist_skipped_total(pc_phonelist const *list);

/*
 * Which lists phonecert report reads: the expected_phones section of a
 * phonecert configuration (config/phonecert_conf.c), or the command line.
 */
typedef struct {
	char const *anchor;		/* the capf or lsc_ca section its phones move to; NULL: a list of every one */
	char const *file;
	char const *retiring;		/* the retiring sections it covers, names separated by blanks; NULL: every other one */
} pc_list_config;

typedef struct {
	pc_list_config *lists;
	size_t list_count;
	char const *waivers;		/* a list of phones known to be retired, or NULL */
	char const *since;		/* when the rotation began, RFC 3339, or NULL */
} pc_expected_config;

#endif

/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The block list (block_file): phones an admin refuses, one entry a line.
 *
 *   # comment lines and blank lines are ignored
 *   mac 2C-31-24-C9-F8-E1              # stolen from reception, ticket 4711
 *   device SEP2C3124C9F8E1             # the same phone by its device name
 *   serial harbour-2026:5c9fe6ad74a1   # one certificate of one anchor
 *
 * An entry is KIND VALUE, then optionally "#" and a comment to the end of
 * the line (the reason a rejected phone gets: "blocked: <comment>"). A
 * comment stays one line of plain text wherever it is shown: see
 * pc_block_comment_check.
 *   mac     a MAC in any form switches send (aa-bb-cc-dd-ee-ff, AA:BB:..., aabb.ccdd.eeff, aabbccddeeff);
 *           it blocks the certificate's MAC and that Calling-Station-Id
 *   device  SEP and 12 hex digits: the phone of that MAC, as mac does
 *   serial  ANCHOR:HEX, the section name of the anchor that verified the
 *           certificate, and the certificate's serial number in hex
 *           (leading zeros and case do not matter); optionally followed by
 *           ca=SHA256, the fingerprint of the anchor's CA certificate that
 *           issued it: then that CA certificate is what counts, whatever
 *           section holds it (the fleet block list's serial entries all
 *           carry one, fleetlist.h)
 *
 * Pure parsing and look-up: no global state, no I/O except pc_blocklist_load.
 */
#ifndef PHONECERT_BLOCKLIST_H
#define PHONECERT_BLOCKLIST_H

#include <stdbool.h>
#include <stddef.h>

#include "phone.h"
#include "verify.h"

#define PC_BLOCK_LINE_MAX 1024		/* longest line read */
#define PC_BLOCK_FILE_MAX (16 * 1024 * 1024)	/* larger is not a list of phones an admin wrote */
#define PC_BLOCK_COMMENT_MAX 160	/* longest comment, in characters */
#define PC_BLOCK_REASON_PREFIX "blocked: "
/* Longest comment in bytes (UTF-8): "blocked: <comment>" fits a reason (PC_REASON_LEN with its NUL). */
#define PC_BLOCK_COMMENT_BYTES (PC_REASON_LEN - sizeof(PC_BLOCK_REASON_PREFIX))
#define PC_BLOCK_SERIAL_MAX 64		/* hex digits: RFC 5280 serials have at most 20 bytes */
#define PC_BLOCK_ANCHOR_MAX 128		/* longest anchor (section) name */

typedef enum { PC_BLOCK_MAC, PC_BLOCK_DEVICE, PC_BLOCK_SERIAL } pc_block_kind;

/* One entry, normalised. */
typedef struct {
	pc_block_kind kind;
	char mac[PC_MAC_LEN];			/* mac and device: "2C-31-24-C9-F8-E1" */
	char anchor[PC_BLOCK_ANCHOR_MAX + 1];	/* serial: the anchor's name */
	char serial[PC_BLOCK_SERIAL_MAX + 1];	/* serial: lower-case hex without leading zeros */
	char ca[PC_FINGERPRINT_LEN];		/* serial: the issuing CA certificate's SHA-256 (ca=), lower-case; or "" */
	char comment[PC_BLOCK_COMMENT_BYTES + 1];	/* may be empty */
	int line;				/* in the file; 0 for an entry not read from one */
	bool fleet;				/* from the fleet block list (fleetlist.h), not block_file */
} pc_block_entry;

typedef struct pc_blocklist pc_blocklist;

/*
 * Parse text (len bytes; need not be NUL-terminated). NULL on a bad line or
 * out of memory, with "line N: problem" in err.
 */
pc_blocklist *pc_blocklist_parse(char const *text, size_t len, char *err, size_t err_len);

/* The same, with errors as "NAME[N]: problem", as FreeRADIUS names places in files. */
pc_blocklist *pc_blocklist_parse_named(char const *name, char const *text, size_t len, char *err, size_t err_len);

/* Read and parse a file. NULL with "PATH[N]: problem" (or "PATH: problem") in err. */
pc_blocklist *pc_blocklist_load(char const *path, char *err, size_t err_len);

void pc_blocklist_free(pc_blocklist *list);

size_t pc_blocklist_count(pc_blocklist const *list);
pc_block_entry const *pc_blocklist_entry(pc_blocklist const *list, size_t index);

/*
 * Parse "KIND VALUE" (no comment) into *entry, as a line of the file. 0, or
 * -1 with the problem in err.
 */
int pc_block_entry_parse(char const *kind, char const *value, pc_block_entry *entry, char *err, size_t err_len);

/*
 * Name the CA certificate that issued a serial entry's certificate by its
 * SHA-256 fingerprint (64 hex digits, any case), as "ca=" does in the file.
 * 0, or -1 with the problem in err (not a serial entry, not a fingerprint).
 */
int pc_block_entry_set_ca(pc_block_entry *entry, char const *fingerprint, char *err, size_t err_len);

/*
 * Whether text (len bytes, trimmed) may be a comment: valid UTF-8 of at most
 * PC_BLOCK_COMMENT_MAX characters and PC_BLOCK_COMMENT_BYTES bytes, none of
 * them a character no output shows as it is (pc_char_unsafe: C0 and C1
 * controls, DEL, U+2028/2029, bidirectional and invisible format
 * characters), a quote or a backslash. The file's reader and phonecert
 * block --comment apply this one rule. 0, or -1 with the problem in err.
 */
int pc_block_comment_check(char const *text, size_t len, char *err, size_t err_len);

/* Whether two entries block the same thing (a device and a mac entry of one MAC do; serial entries: the same ca= too). */
bool pc_block_entry_same(pc_block_entry const *a, pc_block_entry const *b);

/* "mac 2C-31-24-C9-F8-E1", "device SEP2C3124C9F8E1", "serial harbour-2026:5c9f ca=9c2e...": the entry as written back. */
char const *pc_block_entry_text(pc_block_entry const *entry, char *buf, size_t len);

/*
 * The first entry that blocks a phone authentication, or NULL. Any argument
 * may be NULL (unknown): mac is the certificate's, calling_station_id as the
 * switch sent it, anchor, anchor_fingerprint (its CA certificate that
 * verified the certificate, which a serial entry with ca= compares instead
 * of the anchor's name) and serial those of the certificate.
 */
pc_block_entry const *pc_blocklist_find(pc_blocklist const *list, char const *mac, char const *calling_station_id,
					char const *anchor, char const *anchor_fingerprint, char const *serial);

/*
 * "blocked: <comment>", or without one "blocked: <entry> (block_file line N)",
 * "blocked: <entry> (fleet block list)".
 */
void pc_block_reason(pc_block_entry const *entry, char *reason, size_t len);

/* Mark every entry of list as the fleet block list's (fleetlist.c reads its copy so). */
void pc_blocklist_mark_fleet(pc_blocklist *list);

#endif

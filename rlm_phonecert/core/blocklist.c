/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "blocklist.h"
#include "text.h"
#include "textfile.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* A block list is small and read-only once parsed: a plain array, searched in file order. */
struct pc_blocklist {
	pc_block_entry *entries;
	size_t count;
};

/* A serial entry's "ca=SHA256": the CA certificate that issued the certificate. */
#define CA_PREFIX "ca="

static char const *kind_name(pc_block_kind kind)
{
	switch (kind) {
	case PC_BLOCK_MAC: return "mac";
	case PC_BLOCK_DEVICE: return "device";
	case PC_BLOCK_SERIAL: return "serial";
	}
	return "?";
}

/* Lower-case hex without leading zeros ("0" for zero); false unless text is 1..PC_BLOCK_SERIAL_MAX hex digits. */
static bool normalise_serial(char const *text, size_t len, char out[PC_BLOCK_SERIAL_MAX + 1])
{
	size_t o = 0;

	if (len == 0 || len > PC_BLOCK_SERIAL_MAX) return false;
	for (size_t i = 0; i < len; i++) {
		if (!isxdigit((unsigned char)text[i])) return false;
		if (o == 0 && text[i] == '0') continue;
		out[o++] = (char)tolower((unsigned char)text[i]);
	}
	if (o == 0) out[o++] = '0';
	out[o] = '\0';
	return true;
}

static int parse_device(char const *value, pc_block_entry *entry, char *err, size_t len)
{
	char hex[13];

	if (strlen(value) != 15 || strncasecmp(value, "SEP", 3) != 0) {
		return pc_fail(err, len, "device '%.40s' is not SEP followed by 12 hex digits", value);
	}
	memcpy(hex, value + 3, 12);
	hex[12] = '\0';
	if (!pc_mac_normalise(hex, entry->mac)) {
		return pc_fail(err, len, "device '%.40s' is not SEP followed by 12 hex digits", value);
	}
	return 0;
}

/*
 * What a comment or an anchor name may hold: they end up in reasons, in
 * quoted log fields and in the file's one line. NULL when the len bytes of
 * text are plain (*chars: how many characters), else the problem, with its
 * place in detail.
 */
static char const *text_problem(char const *text, size_t len, size_t *chars, char *detail, size_t detail_len)
{
	unsigned char const *p = (unsigned char const *)text, *end = p + len;

	for (*chars = 0; p < end; (*chars)++) {
		unsigned long cp;
		int n = pc_utf8_decode(p, &cp);

		if (n <= 0 || n > end - p) {
			snprintf(detail, detail_len, "byte 0x%02x at byte %zu", *p, (size_t)(p - (unsigned char const *)text) + 1);
			return "is not valid UTF-8";
		}
		if (pc_char_unsafe(cp) || cp == '"' || cp == '\\') {
			snprintf(detail, detail_len, "U+%04lX at character %zu", cp, *chars + 1);
			return "has a control character, a quote or a backslash";
		}
		p += n;
	}
	return NULL;
}

static int parse_serial(char const *value, pc_block_entry *entry, char *err, size_t len)
{
	char const *colon = strchr(value, ':');
	size_t anchor_len = colon ? (size_t)(colon - value) : 0, chars;
	char const *problem;
	char detail[64];

	if (!colon || anchor_len == 0) {
		return pc_fail(err, len, "serial '%.80s' is not ANCHOR:HEX (the anchor's section name, a colon, "
			    "the certificate's serial number in hex)", value);
	}
	if (anchor_len > PC_BLOCK_ANCHOR_MAX) return pc_fail(err, len, "serial: the anchor name is too long");
	if ((problem = text_problem(value, anchor_len, &chars, detail, sizeof(detail)))) {
		return pc_fail(err, len, "serial: the anchor name %s (%s)", problem, detail);
	}
	if (!normalise_serial(colon + 1, strlen(colon + 1), entry->serial)) {
		return pc_fail(err, len, "serial '%.80s': '%.70s' is not a serial number in hex (at most %d digits)",
			    value, colon + 1, PC_BLOCK_SERIAL_MAX);
	}
	memcpy(entry->anchor, value, anchor_len);
	entry->anchor[anchor_len] = '\0';
	return 0;
}

int pc_block_entry_parse(char const *kind, char const *value, pc_block_entry *entry, char *err, size_t err_len)
{
	*entry = (pc_block_entry) { 0 };
	if (!kind || !value || !*value) return pc_fail(err, err_len, "an entry is KIND VALUE: mac, device or serial, and its value");
	if (strcmp(kind, "mac") == 0) {
		entry->kind = PC_BLOCK_MAC;
		if (!pc_mac_normalise(value, entry->mac)) return pc_fail(err, err_len, "mac '%.40s' is not a MAC address", value);
		return 0;
	}
	if (strcmp(kind, "device") == 0) {
		entry->kind = PC_BLOCK_DEVICE;
		return parse_device(value, entry, err, err_len);
	}
	if (strcmp(kind, "serial") == 0) {
		entry->kind = PC_BLOCK_SERIAL;
		return parse_serial(value, entry, err, err_len);
	}
	return pc_fail(err, err_len, "unknown entry '%.40s': expected mac, device or serial", kind);
}

int pc_block_entry_set_ca(pc_block_entry *entry, char const *fingerprint, char *err, size_t err_len)
{
	size_t len = fingerprint ? strlen(fingerprint) : 0;

	if (entry->kind != PC_BLOCK_SERIAL) return pc_fail(err, err_len, "ca= names the CA of a serial entry only");
	if (len != PC_FINGERPRINT_LEN - 1 || strspn(fingerprint, "0123456789abcdefABCDEF") != len) {
		return pc_fail(err, err_len, "ca=%.70s is not a SHA-256 fingerprint (%d hex digits)", fingerprint ? fingerprint : "",
			       PC_FINGERPRINT_LEN - 1);
	}
	for (size_t i = 0; i < len; i++) entry->ca[i] = (char)tolower((unsigned char)fingerprint[i]);
	entry->ca[len] = '\0';
	return 0;
}

static bool is_blank(char c)
{
	return c == ' ' || c == '\t';
}

int pc_block_comment_check(char const *text, size_t len, char *err, size_t err_len)
{
	char detail[64];
	size_t chars;
	char const *problem = text_problem(text, len, &chars, detail, sizeof(detail));

	if (problem) return pc_fail(err, err_len, "the comment %s (%s)", problem, detail);
	if (chars > PC_BLOCK_COMMENT_MAX) {
		return pc_fail(err, err_len, "the comment has %zu characters, more than %d", chars, PC_BLOCK_COMMENT_MAX);
	}
	if (len > PC_BLOCK_COMMENT_BYTES) {
		return pc_fail(err, err_len, "the comment takes %zu bytes in UTF-8, more than the %zu a reason holds after "
			    "\"" PC_BLOCK_REASON_PREFIX "\"", len, (size_t)PC_BLOCK_COMMENT_BYTES);
	}
	return 0;
}

/* The comment after '#': trimmed, then checked (it ends up in reasons and log lines). */
static int parse_comment(char const *text, pc_block_entry *entry, char *err, size_t len)
{
	size_t n;

	while (is_blank(*text)) text++;
	n = strlen(text);
	while (n > 0 && is_blank(text[n - 1])) n--;
	if (pc_block_comment_check(text, n, err, len) < 0) return -1;
	memcpy(entry->comment, text, n);
	entry->comment[n] = '\0';
	return 0;
}

/* One line (NUL-terminated, without its newline; modified): 0 and *has_entry, or -1 with err. */
static int parse_line(char *line, pc_block_entry *entry, bool *has_entry, char *err, size_t len)
{
	char *hash = strchr(line, '#'), *save = NULL, *kind, *value, *extra;

	*has_entry = false;
	if (hash) *hash = '\0';	/* no value contains '#': the comment starts at the first one */
	kind = strtok_r(line, " \t", &save);
	if (!kind) return 0;	/* blank or comment line */
	value = strtok_r(NULL, " \t", &save);
	if (!value) return pc_fail(err, len, "'%.40s' without a value: an entry is KIND VALUE [# comment]", kind);
	extra = strtok_r(NULL, " \t", &save);
	if (pc_block_entry_parse(kind, value, entry, err, len) < 0) return -1;
	if (extra && entry->kind == PC_BLOCK_SERIAL && strncmp(extra, CA_PREFIX, strlen(CA_PREFIX)) == 0) {
		if (pc_block_entry_set_ca(entry, extra + strlen(CA_PREFIX), err, len) < 0) return -1;
		extra = strtok_r(NULL, " \t", &save);
	}
	if (extra) return pc_fail(err, len, "unexpected text after the entry: '%.40s' (a comment starts with #)", extra);
	if (hash && parse_comment(hash + 1, entry, err, len) < 0) return -1;
	*has_entry = true;
	return 0;
}

static int add_entry(pc_blocklist *list, pc_block_entry const *entry, size_t *capacity)
{
	if (list->count == *capacity) {
		size_t grown_capacity = *capacity ? *capacity * 2 : 16;
		pc_block_entry *grown = realloc(list->entries, grown_capacity * sizeof(*grown));

		if (!grown) return -1;
		list->entries = grown;
		*capacity = grown_capacity;
	}
	list->entries[list->count++] = *entry;
	return 0;
}

pc_blocklist *pc_blocklist_parse(char const *text, size_t len, char *err, size_t err_len)
{
	pc_blocklist *list = calloc(1, sizeof(*list));
	size_t capacity = 0;
	char line[PC_BLOCK_LINE_MAX + 1], why[256];
	pc_lines lines;
	int more;

	if (!list) {
		pc_fail(err, err_len, "out of memory");
		return NULL;
	}
	pc_lines_init(&lines, text, len);
	while ((more = pc_lines_next(&lines, line, sizeof(line), err, err_len)) > 0) {
		pc_block_entry entry;
		bool has_entry;

		if (parse_line(line, &entry, &has_entry, why, sizeof(why)) < 0) {
			pc_fail(err, err_len, "line %d: %s", lines.number, why);
			goto fail;
		}
		if (!has_entry) continue;
		entry.line = lines.number;
		if (add_entry(list, &entry, &capacity) < 0) {
			pc_fail(err, err_len, "out of memory");
			goto fail;
		}
	}
	if (more == 0) return list;

fail:
	pc_blocklist_free(list);
	return NULL;
}

pc_blocklist *pc_blocklist_parse_named(char const *name, char const *text, size_t len, char *err, size_t err_len)
{
	char why[512];
	pc_blocklist *list = pc_blocklist_parse(text, len, why, sizeof(why));

	if (!list) pc_lines_name_error(name, why, err, err_len);
	return list;
}

pc_blocklist *pc_blocklist_load(char const *path, char *err, size_t err_len)
{
	char *text;
	size_t len;
	pc_blocklist *list;

	if (pc_file_read(path, PC_BLOCK_FILE_MAX, &text, &len, err, err_len) < 0) return NULL;
	list = pc_blocklist_parse_named(path, text, len, err, err_len);
	free(text);
	return list;
}

void pc_blocklist_free(pc_blocklist *list)
{
	if (!list) return;
	free(list->entries);
	free(list);
}

size_t pc_blocklist_count(pc_blocklist const *list) { return list->count; }
pc_block_entry const *pc_blocklist_entry(pc_blocklist const *list, size_t index) { return &list->entries[index]; }

bool pc_block_entry_same(pc_block_entry const *a, pc_block_entry const *b)
{
	if ((a->kind == PC_BLOCK_SERIAL) != (b->kind == PC_BLOCK_SERIAL)) return false;
	if (a->kind == PC_BLOCK_SERIAL) {
		return strcmp(a->anchor, b->anchor) == 0 && strcmp(a->serial, b->serial) == 0 && strcmp(a->ca, b->ca) == 0;
	}
	return strcmp(a->mac, b->mac) == 0;
}

char const *pc_block_entry_text(pc_block_entry const *entry, char *buf, size_t len)
{
	char device[PC_DEVICE_NAME_LEN];

	switch (entry->kind) {
	case PC_BLOCK_MAC:
		snprintf(buf, len, "%s %s", kind_name(entry->kind), entry->mac);
		break;
	case PC_BLOCK_DEVICE:
		snprintf(device, sizeof(device), "SEP%.2s%.2s%.2s%.2s%.2s%.2s", entry->mac, entry->mac + 3, entry->mac + 6,
			 entry->mac + 9, entry->mac + 12, entry->mac + 15);
		snprintf(buf, len, "%s %s", kind_name(entry->kind), device);
		break;
	case PC_BLOCK_SERIAL:
		snprintf(buf, len, "%s %s:%s%s%s", kind_name(entry->kind), entry->anchor, entry->serial,
			 entry->ca[0] ? " " CA_PREFIX : "", entry->ca);
		break;
	}
	return buf;
}

/* A serial entry's certificate: by its CA certificate's fingerprint when the entry names one, else by anchor name. */
static bool serial_matches(pc_block_entry const *entry, char const *anchor, char const *anchor_fingerprint,
			   char const *serial)
{
	if (strcmp(entry->serial, serial) != 0) return false;
	if (entry->ca[0]) return anchor_fingerprint && strcasecmp(entry->ca, anchor_fingerprint) == 0;
	return anchor && strcmp(entry->anchor, anchor) == 0;
}

pc_block_entry const *pc_blocklist_find(pc_blocklist const *list, char const *mac, char const *calling_station_id,
					char const *anchor, char const *anchor_fingerprint, char const *serial)
{
	char station[PC_MAC_LEN], wanted_serial[PC_BLOCK_SERIAL_MAX + 1];
	bool has_station = calling_station_id && pc_mac_normalise(calling_station_id, station);
	bool has_serial = serial && normalise_serial(serial, strlen(serial), wanted_serial);

	if (!list) return NULL;
	for (size_t i = 0; i < list->count; i++) {
		pc_block_entry const *entry = &list->entries[i];

		if (entry->kind == PC_BLOCK_SERIAL) {
			if (has_serial && serial_matches(entry, anchor, anchor_fingerprint, wanted_serial)) return entry;
			continue;
		}
		if ((mac && strcmp(entry->mac, mac) == 0) || (has_station && strcmp(entry->mac, station) == 0)) return entry;
	}
	return NULL;
}

void pc_block_reason(pc_block_entry const *entry, char *reason, size_t len)
{
	pc_block_entry named = *entry;
	char text[PC_BLOCK_ANCHOR_MAX + PC_BLOCK_SERIAL_MAX + 16];

	named.ca[0] = '\0';	/* the entry, as short as a reason needs it: its ca= is in the list */
	pc_block_entry_text(&named, text, sizeof(text));
	if (entry->comment[0]) snprintf(reason, len, PC_BLOCK_REASON_PREFIX "%s", entry->comment);
	else if (entry->fleet) snprintf(reason, len, PC_BLOCK_REASON_PREFIX "%s (fleet block list)", text);
	else snprintf(reason, len, PC_BLOCK_REASON_PREFIX "%s (block_file line %d)", text, entry->line);
}

void pc_blocklist_mark_fleet(pc_blocklist *list)
{
	for (size_t i = 0; i < list->count; i++) list->entries[i].fleet = true;
}

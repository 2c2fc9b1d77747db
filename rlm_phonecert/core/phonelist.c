/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A CUCM phone list from CSV (phonelist.h).
 */
#include "phonelist.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "text.h"

#define LETTERS 26
#define PREFIXES (LETTERS * LETTERS * LETTERS + 1)	/* every three letters, and slot 0 for other names */

typedef enum { COL_DEVICE, COL_DESCRIPTION, COL_POOL, COL_MODEL, COLUMNS } column;

/*
 * What a header cell may call each column, compared without case and
 * surrounding blanks: CUCM's field names first, then a plain list's.
 */
static char const *const column_names[COLUMNS][4] = {
	[COL_DEVICE] = { "Device Name", "name", "device", NULL },
	[COL_DESCRIPTION] = { "Description", NULL },
	[COL_POOL] = { "Device Pool", NULL },
	[COL_MODEL] = { "Device Type", "model", NULL },
};

typedef struct {
	FILE *in;
	char const *name;
	char *err;
	size_t len;
	unsigned char pending[3];	/* bytes read ahead at the file's start (no byte order mark after all) */
	size_t pending_count;
	unsigned long line;		/* the line being read */
	unsigned long record_line;	/* where the record being read began */
	char *buf;			/* the record's cells, each ending in a NUL */
	size_t used, size;
	size_t *cells;			/* where each cell begins in buf */
	size_t cell_count, cell_size;
	long column[COLUMNS];		/* the header's index of each column, -1 when it has none */
	unsigned long *prefixes;	/* devices that are no phone, per PREFIXES slot */
	pc_phonelist *list;
} reader;

static int fail(reader *rd, unsigned long line, char const *fmt, ...) __attribute__((format(printf, 3, 4)));
static int fail(reader *rd, unsigned long line, char const *fmt, ...)
{
	char message[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(message, sizeof(message), fmt, ap);
	va_end(ap);
	return pc_fail(rd->err, rd->len, "%s[%lu]: %s", rd->name, line, message);
}

static int out_of_memory(reader *rd)
{
	return pc_fail(rd->err, rd->len, "%s: out of memory", rd->name);
}

/*
 *	Bytes and records
 */

static int next_byte(reader *rd)
{
	if (rd->pending_count) {
		int c = rd->pending[0];

		memmove(rd->pending, rd->pending + 1, --rd->pending_count);
		return c;
	}
	return getc_unlocked(rd->in);
}

/* c read again next (there is room: a byte was just taken). */
static void unread_byte(reader *rd, int c)
{
	memmove(rd->pending + 1, rd->pending, rd->pending_count++);
	rd->pending[0] = (unsigned char)c;
}

/* A UTF-8 byte order mark at the start is skipped; UTF-16's is refused (the rest would read as NULs). */
static int skip_byte_order_mark(reader *rd)
{
	static unsigned char const bom[] = { 0xEF, 0xBB, 0xBF };
	int c;

	while (rd->pending_count < sizeof(bom) && (c = getc_unlocked(rd->in)) != EOF) {
		rd->pending[rd->pending_count++] = (unsigned char)c;
	}
	if (rd->pending_count == sizeof(bom) && memcmp(rd->pending, bom, sizeof(bom)) == 0) {
		rd->pending_count = 0;
	} else if (rd->pending_count >= 2 && ((rd->pending[0] == 0xFF && rd->pending[1] == 0xFE) ||
					      (rd->pending[0] == 0xFE && rd->pending[1] == 0xFF))) {
		return fail(rd, 1, "UTF-16 (byte order mark %02X %02X): save the list as UTF-8", rd->pending[0], rd->pending[1]);
	}
	return 0;
}

static int add_byte(reader *rd, char c)
{
	if (rd->used + 1 >= rd->size) {
		size_t size = rd->size ? rd->size * 2 : 4096;
		char *grown;

		if (rd->used + 1 >= PC_LIST_MAX_RECORD) {
			return fail(rd, rd->record_line, "a record of more than %d bytes: not a phone list, or a quote that "
				    "never closes", PC_LIST_MAX_RECORD);
		}
		if (size > PC_LIST_MAX_RECORD) size = PC_LIST_MAX_RECORD;
		if (!(grown = realloc(rd->buf, size))) return out_of_memory(rd);
		rd->buf = grown;
		rd->size = size;
	}
	rd->buf[rd->used++] = c;
	return 0;
}

static int begin_cell(reader *rd)
{
	if (rd->cell_count == rd->cell_size) {
		size_t size = rd->cell_size ? rd->cell_size * 2 : 64;
		size_t *grown = realloc(rd->cells, size * sizeof(*grown));

		if (!grown) return out_of_memory(rd);
		rd->cells = grown;
		rd->cell_size = size;
	}
	rd->cells[rd->cell_count++] = rd->used;
	return 0;
}

static int end_cell(reader *rd)
{
	return add_byte(rd, '\0');
}

/* The record's bytes are UTF-8, or the line of the first that is not is told. */
static int check_utf8(reader *rd)
{
	unsigned long line = rd->record_line;
	size_t i = 0;

	while (i < rd->used) {
		unsigned long cp;
		int n = pc_utf8_decode((unsigned char const *)rd->buf + i, &cp);

		if (n == 0) {
			return fail(rd, line, "not UTF-8 (a byte 0x%02X): save the list as UTF-8",
				    (unsigned char)rd->buf[i]);
		}
		if (rd->buf[i] == '\n') line++;
		i += n;
	}
	return 0;
}

/*
 * The next record into rd->cells: 1, 0 at the end of the file, -1 with err.
 * RFC 4180, leniently: a quote inside an unquoted cell, or after a quoted
 * one's closing quote, is an ordinary character.
 */
static int read_record(reader *rd)
{
	enum { CELL_START, UNQUOTED, QUOTED, QUOTE_IN_QUOTED } state = CELL_START;
	bool any = false;
	int c;

	rd->used = rd->cell_count = 0;
	rd->record_line = rd->line;
	if (begin_cell(rd) < 0) return -1;
	while ((c = next_byte(rd)) != EOF) {
		any = true;
		if (c == '\0') return fail(rd, rd->line, "a NUL byte: not a text file");
		if (c == '\n') rd->line++;
		if (state == QUOTED) {
			if (c == '"') state = QUOTE_IN_QUOTED;
			else if (add_byte(rd, (char)c) < 0) return -1;
			continue;
		}
		if (state == QUOTE_IN_QUOTED && c == '"') {
			state = QUOTED;
			if (add_byte(rd, '"') < 0) return -1;
			continue;
		}
		if (c == '\r') {
			int next = next_byte(rd);

			if (next == '\n') {
				rd->line++;
				c = '\n';
			} else if (next != EOF) {
				unread_byte(rd, next);
			}
		}
		if (c == '\n') break;
		if (c == ',') {
			if (end_cell(rd) < 0 || begin_cell(rd) < 0) return -1;
			state = CELL_START;
		} else if (c == '"' && state == CELL_START) {
			state = QUOTED;
		} else {
			if (add_byte(rd, (char)c) < 0) return -1;
			state = UNQUOTED;
		}
	}
	if (state == QUOTED) return fail(rd, rd->record_line, "a quoted field that never ends");
	if (!any) return 0;
	if (end_cell(rd) < 0 || check_utf8(rd) < 0) return -1;
	return 1;
}

static char *cell(reader const *rd, long index)
{
	return index >= 0 && (size_t)index < rd->cell_count ? rd->buf + rd->cells[index] : NULL;
}

/* A carried column's cell, "" when the list or the row has none. */
static char const *carried(reader const *rd, column col)
{
	char const *text = cell(rd, rd->column[col]);

	return text ? text : "";
}

/* A blank line: one empty cell. */
static bool blank_record(reader const *rd)
{
	return rd->cell_count == 1 && rd->buf[rd->cells[0]] == '\0';
}

/* text without the blanks around it, in place. */
static char *trim(char *text)
{
	size_t n;

	while (*text == ' ' || *text == '\t') text++;
	n = strlen(text);
	while (n && (text[n - 1] == ' ' || text[n - 1] == '\t')) text[--n] = '\0';
	return text;
}

/* A copy of at most PC_LIST_MAX_CELL bytes, cut between whole UTF-8 characters; *out NULL for "". */
static int copy_cut(reader *rd, char const *text, char **out)
{
	size_t n = strlen(text);

	*out = NULL;
	if (!n) return 0;
	if (n > PC_LIST_MAX_CELL) {
		n = PC_LIST_MAX_CELL;
		while (n && ((unsigned char)text[n] & 0xC0) == 0x80) n--;
	}
	if (!(*out = strndup(text, n))) return out_of_memory(rd);
	return 0;
}

/*
 *	The header
 */

static int read_header(reader *rd)
{
	int rc;
	char shown[256];

	while ((rc = read_record(rd)) == 1 && blank_record(rd));
	if (rc < 0) return -1;
	if (rc == 0) {
		return fail(rd, rd->line, "no header row: the first line names the columns, one of them the device "
			    "(\"Device Name\" in CUCM's export, or \"name\" or \"device\")");
	}
	for (int col = 0; col < COLUMNS; col++) rd->column[col] = -1;
	for (size_t i = 0; i < rd->cell_count; i++) {
		char *name = trim(rd->buf + rd->cells[i]);

		for (int col = 0; col < COLUMNS; col++) {
			for (size_t k = 0; column_names[col][k]; k++) {
				if (rd->column[col] < 0 && strcasecmp(name, column_names[col][k]) == 0) rd->column[col] = (long)i;
			}
		}
	}
	if (rd->column[COL_DEVICE] >= 0) return 0;
	pc_escape(shown, 80, rd->buf + rd->cells[0], PC_ESCAPE_TEXT);
	return fail(rd, rd->record_line, "no device column in the header row (\"Device Name\" in CUCM's export, or \"name\" "
		    "or \"device\"); its first cell is \"%s\"", shown);
}

/*
 *	The rows
 */

static int add_invalid(reader *rd, char const *device, char const *problem)
{
	pc_phonelist *list = rd->list;
	pc_list_invalid *grown = realloc(list->invalid, (list->invalid_count + 1) * sizeof(*grown));
	pc_list_invalid *entry;

	if (!grown) return out_of_memory(rd);
	list->invalid = grown;
	entry = &list->invalid[list->invalid_count];
	*entry = (pc_list_invalid) { .line = rd->record_line, .problem = problem };
	if (copy_cut(rd, device, &entry->device) < 0) return -1;
	if (!entry->device && !(entry->device = strdup(""))) return out_of_memory(rd);
	list->invalid_count++;
	return 0;
}

static int add_phone(reader *rd, char const *device)
{
	pc_phonelist *list = rd->list;
	pc_listed_phone *phone;

	if ((list->phone_count & (list->phone_count - 1)) == 0) {	/* 0, 1, 2, 4...: full */
		pc_listed_phone *grown = realloc(list->phones, (list->phone_count ? list->phone_count * 2 : 1) * sizeof(*grown));

		if (!grown) return out_of_memory(rd);
		list->phones = grown;
	}
	phone = &list->phones[list->phone_count];
	*phone = (pc_listed_phone) { .line = rd->record_line };
	for (int i = 0; i < 3; i++) phone->device_name[i] = "SEP"[i];
	for (int i = 3; i < 15; i++) phone->device_name[i] = (char)toupper((unsigned char)device[i]);
	phone->device_name[15] = '\0';
	if (!pc_mac_normalise(phone->device_name + 3, phone->mac)) return fail(rd, rd->record_line, "internal error: a MAC");
	list->phone_count++;
	if (copy_cut(rd, carried(rd, COL_DESCRIPTION), &phone->description) < 0 ||
	    copy_cut(rd, carried(rd, COL_POOL), &phone->device_pool) < 0 ||
	    copy_cut(rd, carried(rd, COL_MODEL), &phone->model) < 0) {
		return -1;
	}
	return 0;
}

static bool is_hex(char const *text, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (!isxdigit((unsigned char)text[i])) return false;
	}
	return text[n] == '\0';
}

/* The PREFIXES slot of a device that is no phone: its first three letters, or 0. */
static size_t prefix_slot(char const *device)
{
	size_t slot = 0;

	for (int i = 0; i < 3; i++) {
		unsigned char c = (unsigned char)device[i];

		if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'))) return 0;
		slot = slot * LETTERS + (size_t)(toupper(c) - 'A');
	}
	return slot + 1;
}

static int read_row(reader *rd)
{
	char *device = cell(rd, rd->column[COL_DEVICE]);

	if (!device) return add_invalid(rd, "", "the row has no device cell");
	device = trim(device);
	if (!device[0]) return add_invalid(rd, "", "no device name");
	if (strncasecmp(device, "SEP", 3) == 0) {
		if (is_hex(device + 3, 12)) return add_phone(rd, device);
		return add_invalid(rd, device, "a phone's device name is SEP and 12 hex digits");
	}
	rd->prefixes[prefix_slot(device)]++;
	return 0;
}

/* The counts per prefix, in the order of the prefixes ("" first). */
static int collect_skipped(reader *rd)
{
	pc_phonelist *list = rd->list;
	size_t n = 0;

	for (size_t slot = 0; slot < PREFIXES; slot++) n += rd->prefixes[slot] != 0;
	if (!n) return 0;
	if (!(list->skipped = calloc(n, sizeof(*list->skipped)))) return out_of_memory(rd);
	for (size_t slot = 0; slot < PREFIXES; slot++) {
		pc_list_skipped *s;

		if (!rd->prefixes[slot]) continue;
		s = &list->skipped[list->skipped_count++];
		s->devices = rd->prefixes[slot];
		if (slot) {
			s->prefix[0] = (char)('A' + (slot - 1) / (LETTERS * LETTERS));
			s->prefix[1] = (char)('A' + (slot - 1) / LETTERS % LETTERS);
			s->prefix[2] = (char)('A' + (slot - 1) % LETTERS);
		}
	}
	return 0;
}

pc_phonelist *pc_phonelist_read(FILE *in, char const *name, char *err, size_t len)
{
	reader rd = { .in = in, .name = name, .err = err, .len = len, .line = 1 };
	int rc = -1;

	rd.list = calloc(1, sizeof(*rd.list));
	rd.prefixes = calloc(PREFIXES, sizeof(*rd.prefixes));
	if (!rd.list || !rd.prefixes) {
		out_of_memory(&rd);
		goto done;
	}
	if (skip_byte_order_mark(&rd) < 0 || read_header(&rd) < 0) goto done;
	while ((rc = read_record(&rd)) == 1) {
		if (!blank_record(&rd) && read_row(&rd) < 0) {
			rc = -1;
			break;
		}
	}
	if (rc == 0 && ferror(in)) rc = fail(&rd, rd.line, "cannot read the file");
	if (rc == 0) rc = collect_skipped(&rd);
	rd.list->lines = rd.line - 1;
done:
	free(rd.buf);
	free(rd.cells);
	free(rd.prefixes);
	if (rc < 0) {
		pc_phonelist_free(rd.list);
		return NULL;
	}
	return rd.list;
}

void pc_phonelist_free(pc_phonelist *list)
{
	if (!list) return;
	for (size_t i = 0; i < list->phone_count; i++) {
		free(list->phones[i].description);
		free(list->phones[i].device_pool);
		free(list->phones[i].model);
	}
	for (size_t i = 0; i < list->invalid_count; i++) free(list->invalid[i].device);
	free(list->phones);
	free(list->invalid);
	free(list->skipped);
	free(list);
}

unsigned long pc_phonelist_skipped_total(pc_phonelist const *list)
{
	unsigned long total = 0;

	for (size_t i = 0; i < list->skipped_count; i++) total += list->skipped[i].devices;
	return total;
}

/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "fleetlist.h"
#include "text.h"
#include "textfile.h"
#include "timeutil.h"

#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define COPY_HEADER "# phonecert fleet block list: the copy of the database's phonecert_block this server " \
		    "holds, rewritten by radiusd at every read; do not edit"
#define COPY_READ "# read "
#define COPY_END "# end: %zu entries"

/* The copy's text, grown line by line; NULL text after running out of memory. */
typedef struct {
	char *text;
	size_t len;
	size_t size;
} text_buf;

static void buf_add(text_buf *b, char const *fmt, ...) __attribute__((format(printf, 2, 3)));
static void buf_add(text_buf *b, char const *fmt, ...)
{
	va_list ap;
	int n;

	if (!b->text) return;
	va_start(ap, fmt);
	n = vsnprintf(b->text + b->len, b->size - b->len, fmt, ap);
	va_end(ap);
	if (n < 0) goto out_of_memory;
	if ((size_t)n >= b->size - b->len) {
		size_t size = (b->len + (size_t)n + 1) * 2;
		char *grown = realloc(b->text, size);

		if (!grown) goto out_of_memory;
		b->text = grown;
		b->size = size;
		va_start(ap, fmt);
		vsnprintf(b->text + b->len, b->size - b->len, fmt, ap);
		va_end(ap);
	}
	b->len += (size_t)n;
	return;

out_of_memory:
	free(b->text);
	b->text = NULL;
}

static void buf_add_entry(text_buf *b, pc_block_entry const *entry)
{
	char text[PC_BLOCK_LINE_MAX];

	pc_block_entry_text(entry, text, sizeof(text));
	if (entry->comment[0]) buf_add(b, "%s  # %s\n", text, entry->comment);
	else buf_add(b, "%s\n", text);
}

/* A message with a row's text in it, escaped whole: our own words have nothing to escape. */
static void tell_escaped(pc_fleet_tell_fn *tell, void *ctx, pc_fleet_change change, char const *fmt, ...)
	__attribute__((format(printf, 4, 5)));
static void tell_escaped(pc_fleet_tell_fn *tell, void *ctx, pc_fleet_change change, char const *fmt, ...)
{
	char raw[1024], safe[4096];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(raw, sizeof(raw), fmt, ap);
	va_end(ap);
	pc_escape(safe, sizeof(safe), raw, PC_ESCAPE_TEXT);
	tell(ctx, change, safe);
}

/* A row as an entry: false (told) when it is none; a comment refused is dropped (told). */
static bool row_entry(pc_fleet_row const *row, pc_block_entry *entry, pc_fleet_tell_fn *tell, void *ctx)
{
	char err[512], text[PC_BLOCK_LINE_MAX];

	/* The copy is block_file's format: a blank or a # would end the value there. */
	if (row->value && strpbrk(row->value, " \t#")) {
		tell_escaped(tell, ctx, PC_FLEET_REFUSED, "row %lld blocks nothing: its value '%.80s' holds a blank or a #",
			     row->id, row->value);
		return false;
	}
	if (pc_block_entry_parse(row->kind, row->value, entry, err, sizeof(err)) < 0 ||
	    (entry->kind == PC_BLOCK_SERIAL && pc_block_entry_set_ca(entry, row->ca, err, sizeof(err)) < 0)) {
		tell_escaped(tell, ctx, PC_FLEET_REFUSED, "row %lld blocks nothing: %s", row->id, err);
		return false;
	}
	if (row->comment && pc_block_comment_check(row->comment, strlen(row->comment), err, sizeof(err)) < 0) {
		tell_escaped(tell, ctx, PC_FLEET_REFUSED, "row %lld (%s): its comment is left out: %s", row->id,
			     pc_block_entry_text(entry, text, sizeof(text)), err);
	} else if (row->comment) {
		snprintf(entry->comment, sizeof(entry->comment), "%s", row->comment);
	}
	entry->fleet = true;
	return true;
}

/* The first of entries[0..count) (NULL where a row was no entry) that blocks what entry blocks, active ones only if told so. */
static pc_block_entry const *find_same(pc_block_entry const *const *entries, pc_fleet_row const *rows, size_t count,
				       pc_block_entry const *entry, bool active_only)
{
	for (size_t i = 0; i < count; i++) {
		if (entries[i] && (!active_only || !rows[i].lifted) && pc_block_entry_same(entries[i], entry)) return entries[i];
	}
	return NULL;
}

static bool held(pc_blocklist const *list, pc_block_entry const *entry)
{
	for (size_t i = 0; list && i < pc_blocklist_count(list); i++) {
		if (pc_block_entry_same(pc_blocklist_entry(list, i), entry)) return true;
	}
	return false;
}

/* The rows in force, each once, into the copy; the new ones told unless nothing was held before. */
static void add_rows(text_buf *b, pc_blocklist const *previous, pc_block_entry const *const *entries,
		     pc_fleet_row const *rows, size_t count, pc_fleet_tell_fn *tell, void *ctx, size_t *n)
{
	char text[PC_BLOCK_LINE_MAX];

	for (size_t i = 0; i < count; i++) {
		if (!entries[i] || rows[i].lifted || find_same(entries, rows, i, entries[i], true)) continue;
		buf_add_entry(b, entries[i]);
		(*n)++;
		if (previous && !held(previous, entries[i])) {
			tell_escaped(tell, ctx, PC_FLEET_ADDED, "row %lld: %s", rows[i].id,
				     pc_block_entry_text(entries[i], text, sizeof(text)));
		}
	}
}

/* What was held and is in force no more: lifted when its unblock is recorded, else kept (into the copy). */
static void keep_or_lift(text_buf *b, pc_blocklist const *previous, pc_block_entry const *const *entries,
			 pc_fleet_row const *rows, size_t count, pc_fleet_tell_fn *tell, void *ctx, size_t *n)
{
	char text[PC_BLOCK_LINE_MAX];

	for (size_t i = 0; previous && i < pc_blocklist_count(previous); i++) {
		pc_block_entry const *entry = pc_blocklist_entry(previous, i);

		if (find_same(entries, rows, count, entry, true)) continue;
		pc_block_entry_text(entry, text, sizeof(text));
		if (find_same(entries, rows, count, entry, false)) {
			tell_escaped(tell, ctx, PC_FLEET_LIFTED, "%s: unblocked (recorded in the database)", text);
			continue;
		}
		buf_add_entry(b, entry);
		(*n)++;
		tell_escaped(tell, ctx, PC_FLEET_KEPT, "%s: kept in force, although no row of the database names it any "
			     "more: only a recorded unblock (phonecert unblock --db) lifts an entry", text);
	}
}

static int build_copy(pc_blocklist const *previous, pc_block_entry const *const *entries, pc_fleet_row const *rows,
		      size_t count, time_t read_at, pc_fleet_tell_fn *tell, void *ctx, pc_fleet_list *out,
		      char *err, size_t err_len)
{
	text_buf b = { .text = malloc(4096), .size = 4096 };
	char when[PC_TIME_STRLEN];
	size_t n = 0;

	pc_time_format(read_at, when, sizeof(when));
	buf_add(&b, COPY_HEADER "\n" COPY_READ "%s\n", when);
	add_rows(&b, previous, entries, rows, count, tell, ctx, &n);
	keep_or_lift(&b, previous, entries, rows, count, tell, ctx, &n);
	buf_add(&b, COPY_END "\n", n);
	if (!b.text) return pc_fail(err, err_len, "out of memory");
	out->copy = b.text;
	out->copy_len = b.len;
	/* The list is the copy read back: what a restart from the copy holds is what was held. */
	out->list = pc_fleet_copy_parse(b.text, b.len, &read_at, err, err_len);
	if (out->list) return 0;
	pc_fleet_list_free(out);
	return -1;
}

int pc_fleet_build(pc_blocklist const *previous, pc_fleet_row const *rows, size_t count, time_t read_at,
		   pc_fleet_tell_fn *tell, void *ctx, pc_fleet_list *out, char *err, size_t err_len)
{
	pc_block_entry *parsed = calloc(count + 1, sizeof(*parsed));
	pc_block_entry const **entries = calloc(count + 1, sizeof(*entries));
	int rc = -1;

	*out = (pc_fleet_list) { 0 };
	if (!parsed || !entries) pc_fail(err, err_len, "out of memory");
	else {
		for (size_t i = 0; i < count; i++) {
			if (row_entry(&rows[i], &parsed[i], tell, ctx)) entries[i] = &parsed[i];
		}
		rc = build_copy(previous, entries, rows, count, read_at, tell, ctx, out, err, err_len);
	}
	free(entries);
	free(parsed);
	return rc;
}

void pc_fleet_list_free(pc_fleet_list *list)
{
	pc_blocklist_free(list->list);
	free(list->copy);
	*list = (pc_fleet_list) { 0 };
}

/* The line after *pos (without its newline) into line, *pos past it; false at the end of the text. */
static bool next_line(char const *text, size_t len, size_t *pos, char *line, size_t size)
{
	char const *nl;
	size_t n;

	if (*pos >= len) return false;
	nl = memchr(text + *pos, '\n', len - *pos);
	n = nl ? (size_t)(nl - (text + *pos)) : len - *pos;
	snprintf(line, size, "%.*s", (int)(n < size ? n : size - 1), text + *pos);
	*pos += n + (nl ? 1 : 0);
	return true;
}

/* The header's two lines: 0 with *read_at, or -1 with err. */
static int parse_header(char const *text, size_t len, size_t *pos, time_t *read_at, char *err, size_t err_len)
{
	char line[256];

	if (!next_line(text, len, pos, line, sizeof(line)) || strcmp(line, COPY_HEADER) != 0) {
		return pc_fail(err, err_len, "line 1: not the header of a fleet block list copy");
	}
	if (!next_line(text, len, pos, line, sizeof(line)) || strncmp(line, COPY_READ, strlen(COPY_READ)) != 0 ||
	    !pc_time_parse(line + strlen(COPY_READ), read_at)) {
		return pc_fail(err, err_len, "line 2: not \"" COPY_READ "TIME\" (RFC 3339)");
	}
	return 0;
}

/* The trailer: the text's last line counts its entries, so that a copy cut short is refused. */
static int check_trailer(char const *text, size_t len, size_t entries, char *err, size_t err_len)
{
	char expected[64];
	size_t start = len;

	snprintf(expected, sizeof(expected), COPY_END "\n", entries);
	if (len > 0 && text[len - 1] == '\n') {
		for (start = len - 1; start > 0 && text[start - 1] != '\n'; start--);
	}
	if (len - start != strlen(expected) || memcmp(text + start, expected, len - start) != 0) {
		return pc_fail(err, err_len, "the last line is not \"" COPY_END "\": the copy is cut short or was edited",
			       entries);
	}
	return 0;
}

pc_blocklist *pc_fleet_copy_parse(char const *text, size_t len, time_t *read_at, char *err, size_t err_len)
{
	size_t pos = 0;
	pc_blocklist *list;

	if (parse_header(text, len, &pos, read_at, err, err_len) < 0) return NULL;
	list = pc_blocklist_parse(text, len, err, err_len);
	if (!list) return NULL;
	if (check_trailer(text, len, pc_blocklist_count(list), err, err_len) < 0) {
		pc_blocklist_free(list);
		return NULL;
	}
	for (size_t i = 0; i < pc_blocklist_count(list); i++) {
		pc_block_entry const *entry = pc_blocklist_entry(list, i);

		if (entry->kind == PC_BLOCK_SERIAL && !entry->ca[0]) {
			pc_fail(err, err_len, "line %d: a serial entry without ca=", entry->line);
			pc_blocklist_free(list);
			return NULL;
		}
	}
	pc_blocklist_mark_fleet(list);
	return list;
}

/* A copy larger than this was not written by radiusd. */
#define COPY_MAX (16 * 1024 * 1024)

pc_blocklist *pc_fleet_copy_load(char const *path, time_t *read_at, bool *missing, char *err, size_t err_len)
{
	char *text, why[512];
	size_t len;
	pc_blocklist *list;

	*missing = access(path, F_OK) != 0 && errno == ENOENT;
	if (pc_file_read(path, COPY_MAX, &text, &len, err, err_len) < 0) return NULL;
	list = pc_fleet_copy_parse(text, len, read_at, why, sizeof(why));
	if (!list) pc_fail(err, err_len, "%s: %s", path, why);
	free(text);
	return list;
}

struct pc_fleet_blocklist {
	pthread_rwlock_t lock;
	pc_blocklist *list;		/* NULL: none loaded yet */
};

pc_fleet_blocklist *pc_fleet_blocklist_new(void)
{
	pc_fleet_blocklist *fleet = calloc(1, sizeof(*fleet));

	if (fleet && pthread_rwlock_init(&fleet->lock, NULL) != 0) {
		free(fleet);
		return NULL;
	}
	return fleet;
}

void pc_fleet_blocklist_free(pc_fleet_blocklist *fleet)
{
	if (!fleet) return;
	pc_blocklist_free(fleet->list);
	pthread_rwlock_destroy(&fleet->lock);
	free(fleet);
}

void pc_fleet_blocklist_replace(pc_fleet_blocklist *fleet, pc_blocklist *list)
{
	pc_blocklist *old;

	pthread_rwlock_wrlock(&fleet->lock);
	old = fleet->list;
	fleet->list = list;
	pthread_rwlock_unlock(&fleet->lock);
	pc_blocklist_free(old);
}

pc_blocklist const *pc_fleet_blocklist_held(pc_fleet_blocklist *fleet)
{
	return fleet->list;
}

int pc_fleet_blocklist_check(pc_fleet_blocklist *fleet, char const *mac, char const *calling_station_id,
			     char const *anchor, char const *anchor_fingerprint, char const *serial,
			     char *reason, size_t len)
{
	pc_block_entry const *entry;
	int rc = 0;

	pthread_rwlock_rdlock(&fleet->lock);
	if (fleet->list && (entry = pc_blocklist_find(fleet->list, mac, calling_station_id, anchor, anchor_fingerprint, serial))) {
		pc_block_reason(entry, reason, len);
		rc = 1;
	}
	pthread_rwlock_unlock(&fleet->lock);
	return rc;
}

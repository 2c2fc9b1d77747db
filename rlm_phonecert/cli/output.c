/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "output.h"
#include "commands.h"

#include <errno.h>
#include <stdarg.h>
#include <string.h>
#include <unistd.h>

#include "../core/text.h"

/* Width of the label column in text output: fits the longest label ("not before:") plus a space. */
#define TEXT_LABEL_WIDTH 14

void json_init(json_writer *w, FILE *out)
{
	memset(w, 0, sizeof(*w));
	w->out = out;
}

static void write_escaped_ascii(FILE *out, unsigned char c)
{
	switch (c) {
	case '"': fputs("\\\"", out); return;
	case '\\': fputs("\\\\", out); return;
	case '\b': fputs("\\b", out); return;
	case '\f': fputs("\\f", out); return;
	case '\n': fputs("\\n", out); return;
	case '\r': fputs("\\r", out); return;
	case '\t': fputs("\\t", out); return;
	}
	if (c < 0x20 || c == 0x7F) fprintf(out, "\\u%04x", c);
	else fputc(c, out);
}

void json_write_string(FILE *out, char const *value)
{
	unsigned char const *p = (unsigned char const *)value;

	fputc('"', out);
	while (*p) {
		unsigned long cp;
		int length = pc_utf8_decode(p, &cp);

		if (length == 0) {
			/* Not UTF-8 (a Latin-1 file name, a damaged string): JSON must stay valid. */
			fputs("\\ufffd", out);
			p++;
		} else if (length == 1) {
			write_escaped_ascii(out, *p++);
		} else {
			/* C1 and bidi controls (all in the BMP) as escapes: the reader sees them, a terminal does not act on them. */
			if (pc_char_unsafe(cp)) fprintf(out, "\\u%04lx", cp);
			else fwrite(p, 1, (size_t)length, out);
			p += length;
		}
	}
	fputc('"', out);
}

/* The comma and "key": before a value. Nesting deeper than JSON_MAX_DEPTH is a caller's bug. */
static void begin_value(json_writer *w, char const *key)
{
	if (w->depth > 0 && w->depth <= JSON_MAX_DEPTH) {
		if (w->has_members[w->depth - 1]) fputc(',', w->out);
		w->has_members[w->depth - 1] = true;
	}
	if (key) {
		json_write_string(w->out, key);
		fputc(':', w->out);
	}
}

static void open_container(json_writer *w, char const *key, char bracket)
{
	begin_value(w, key);
	fputc(bracket, w->out);
	if (w->depth < JSON_MAX_DEPTH) w->has_members[w->depth] = false;
	w->depth++;
}

/* A value at the top ends its line: JSON Lines. */
static void close_container(json_writer *w, char bracket)
{
	w->depth--;
	fputc(bracket, w->out);
	if (w->depth == 0) fputc('\n', w->out);
}

void json_object_begin(json_writer *w, char const *key) { open_container(w, key, '{'); }
void json_object_end(json_writer *w) { close_container(w, '}'); }
void json_array_begin(json_writer *w, char const *key) { open_container(w, key, '['); }
void json_array_end(json_writer *w) { close_container(w, ']'); }

void json_string(json_writer *w, char const *key, char const *value)
{
	begin_value(w, key);
	if (value) json_write_string(w->out, value);
	else fputs("null", w->out);
}

void json_bool(json_writer *w, char const *key, bool value)
{
	begin_value(w, key);
	fputs(value ? "true" : "false", w->out);
}

void json_int(json_writer *w, char const *key, long long value)
{
	begin_value(w, key);
	fprintf(w->out, "%lld", value);
}

void json_optional(json_writer *w, char const *key, char const *value)
{
	json_string(w, key, value && *value ? value : NULL);
}

static void string_members(json_writer *w, bool optional, va_list ap)
{
	char const *key, *value;

	while ((key = va_arg(ap, char const *))) {
		value = va_arg(ap, char const *);
		if (optional) json_optional(w, key, value);
		else json_string(w, key, value);
	}
}

void json_strings(json_writer *w, ...)
{
	va_list ap;

	va_start(ap, w);
	string_members(w, false, ap);
	va_end(ap);
}

void json_optionals(json_writer *w, ...)
{
	va_list ap;

	va_start(ap, w);
	string_members(w, true, ap);
	va_end(ap);
}

void json_identity(json_writer *w, char const *key, pc_identity const *id)
{
	json_object_begin(w, key);
	json_optionals(w, "common_name", id->cn, "device_name", id->device_name, "model", id->model, "mac", id->mac,
		       "pid", id->pid, "sn", id->sn, NULL);
	json_object_end(w);
}

void json_certificate(json_writer *w, pc_result const *r)
{
	json_strings(w, "subject", r->subject, "issuer", r->issuer, "serial", r->serial, "not_before", r->not_before,
		     "not_after", r->not_after, NULL);
}

void text_field(FILE *out, char const *label, char const *fmt, ...)
{
	char value[1024], escaped[TEXT_ESCAPED_LEN];
	char column[TEXT_LABEL_WIDTH + 2];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(value, sizeof(value), fmt, ap);
	va_end(ap);
	if (!value[0]) return;
	snprintf(column, sizeof(column), "%s:", label);
	fprintf(out, "  %-*s%s\n", TEXT_LABEL_WIDTH, column, text_escape(value, escaped, sizeof(escaped)));
}

char const *text_escape(char const *value, char *buf, size_t len)
{
	pc_escape(buf, len, value, PC_ESCAPE_TEXT);
	return buf;
}

int trouble(char const *command, char const *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "phonecert%s%s: ", command ? " " : "", command ? command : "");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return EXIT_TROUBLE;
}

bool fd_write_all(int fd, char const *text, size_t len)
{
	while (len > 0) {
		ssize_t n = write(fd, text, len);

		if (n < 0 && errno == EINTR) continue;
		if (n <= 0) return false;
		text += n;
		len -= (size_t)n;
	}
	return true;
}

/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "text.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

int pc_utf8_decode(unsigned char const *p, unsigned long *cp)
{
	unsigned char c = p[0];
	unsigned char low = 0x80, high = 0xBF;	/* the range of the second byte */
	int length;

	if (c < 0x80) {
		*cp = c;
		return 1;
	}
	if (c >= 0xC2 && c <= 0xDF) length = 2;
	else if (c >= 0xE0 && c <= 0xEF) length = 3;
	else if (c >= 0xF0 && c <= 0xF4) length = 4;
	else return 0;

	if (c == 0xE0) low = 0xA0;		/* overlong */
	else if (c == 0xED) high = 0x9F;	/* surrogates */
	else if (c == 0xF0) low = 0x90;		/* overlong */
	else if (c == 0xF4) high = 0x8F;	/* beyond U+10FFFF */

	if (p[1] < low || p[1] > high) return 0;
	*cp = c & (0xFF >> (length + 1));
	*cp = (*cp << 6) | (p[1] & 0x3F);
	for (int i = 2; i < length; i++) {
		if (p[i] < 0x80 || p[i] > 0xBF) return 0;
		*cp = (*cp << 6) | (p[i] & 0x3F);
	}
	return length;
}

bool pc_char_unsafe(unsigned long cp)
{
	if (cp < 0x20 || (cp >= 0x7F && cp <= 0x9F)) return true;
	if (cp == 0x061C || cp == 0xFEFF) return true;
	if (cp >= 0x200B && cp <= 0x200F) return true;
	if (cp >= 0x2028 && cp <= 0x202E) return true;
	if (cp >= 0x2060 && cp <= 0x2064) return true;
	if (cp >= 0x2066 && cp <= 0x2069) return true;
	return cp >= 0xFFF9 && cp <= 0xFFFB;
}

/* What one character (length bytes at p, valid or not) becomes: into piece, returns its length. */
static size_t escape_char(unsigned char const *p, int length, bool valid, unsigned long cp, pc_escape_mode mode,
			  char piece[17])
{
	size_t n = 0;

	if (mode == PC_ESCAPE_LOG && valid && (cp == '"' || cp == '\\')) {
		piece[0] = '\\';
		piece[1] = (char)cp;
		return 2;
	}
	if (valid && !pc_char_unsafe(cp) && !(mode == PC_ESCAPE_LOG && cp == '=')) {
		memcpy(piece, p, (size_t)length);
		return (size_t)length;
	}
	for (int i = 0; i < length; i++) {
		piece[n++] = '\\';
		piece[n++] = 'x';
		pc_hex(piece + n, 3, p + i, 1);
		n += 2;
	}
	return n;
}

void pc_one_line(char *text)
{
	char *out = text;

	for (char const *p = text; *p; p++) {
		char c = *p == '\n' || *p == '\t' || *p == '\r' ? ' ' : *p;

		if (c == ' ' && (out == text || out[-1] == ' ')) continue;
		*out++ = c;
	}
	while (out > text && out[-1] == ' ') out--;
	*out = '\0';
}

void pc_hex(char *out, size_t size, unsigned char const *data, size_t n)
{
	static char const digits[] = "0123456789abcdef";
	size_t pos = 0;

	if (size == 0) return;
	for (size_t i = 0; i < n && pos + 2 < size; i++) {
		out[pos++] = digits[data[i] >> 4];
		out[pos++] = digits[data[i] & 0x0f];
	}
	out[pos] = '\0';
}

void pc_pieces_init(pc_pieces *pieces, char *out, size_t size)
{
	*pieces = (pc_pieces) { .out = out, .size = size };
	if (size > 0) out[0] = '\0';
}

void pc_pieces_add(pc_pieces *pieces, char const *piece, size_t n)
{
	/* Once a piece does not fit, nothing after it is written: the text is cut between whole pieces. */
	if (!pieces->cut && pieces->written + n < pieces->size) {
		memcpy(pieces->out + pieces->written, piece, n);
		pieces->written += n;
		pieces->out[pieces->written] = '\0';
	} else {
		pieces->cut = true;
	}
	pieces->needed += n;
}

size_t pc_escape(char *out, size_t size, char const *in, pc_escape_mode mode)
{
	unsigned char const *p = (unsigned char const *)(in ? in : "");
	pc_pieces pieces;

	pc_pieces_init(&pieces, out, size);
	while (*p) {
		unsigned long cp = 0;
		int length = pc_utf8_decode(p, &cp);
		bool valid = length > 0;
		char piece[17];

		pc_pieces_add(&pieces, piece, escape_char(p, valid ? length : 1, valid, cp, mode, piece));
		p += valid ? length : 1;
	}
	return pieces.needed;
}

void pc_log_init(pc_log_line *line, char *buf, size_t size)
{
	*line = (pc_log_line) { .buf = buf, .size = size };
	buf[0] = '\0';
}

/* Room for text, keeping space for " truncated": else the line is marked truncated and text left out. */
static bool room(pc_log_line *line, size_t n)
{
	if (!line->truncated && line->len + n + sizeof(PC_LOG_TRUNCATED) <= line->size) return true;
	line->truncated = true;
	return false;
}

static void append(pc_log_line *line, char const *text)
{
	size_t n = strlen(text);

	memcpy(line->buf + line->len, text, n + 1);
	line->len += n;
}

void pc_log_word(pc_log_line *line, char const *word)
{
	if (!room(line, strlen(word) + 1)) return;
	if (line->len) append(line, " ");
	append(line, word);
}

static bool bare_char(unsigned char c)
{
	/* ASCII ranges, not isalnum(), which follows the locale. */
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || (c && strchr("-._:/", c));
}

static bool bare(char const *value)
{
	for (unsigned char const *p = (unsigned char const *)value; *p; p++) {
		if (!bare_char(*p)) return false;
	}
	return true;
}

static void pair(pc_log_line *line, char const *key, char const *value, bool quoted)
{
	size_t escaped = quoted ? pc_escape(NULL, 0, value, PC_ESCAPE_LOG) : strlen(value);
	/* " key=" value, and two quotes */
	size_t n = 1 + strlen(key) + 1 + escaped + (quoted ? 2 : 0);

	if (!room(line, n)) return;
	if (line->len) append(line, " ");
	append(line, key);
	append(line, quoted ? "=\"" : "=");
	if (quoted) {
		line->len += pc_escape(line->buf + line->len, line->size - line->len, value, PC_ESCAPE_LOG);
		append(line, "\"");
	} else {
		append(line, value);
	}
}

void pc_log_pair(pc_log_line *line, char const *key, char const *value)
{
	if (!value || !value[0]) value = "-";
	pair(line, key, value, !bare(value));
}

void pc_log_quoted(pc_log_line *line, char const *key, char const *value)
{
	pair(line, key, value && value[0] ? value : "-", true);
}

char const *pc_log_end(pc_log_line *line)
{
	if (line->truncated) append(line, PC_LOG_TRUNCATED);
	return line->buf;
}

int pc_fail(char *err, size_t len, char const *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, len, fmt, ap);
	va_end(ap);
	return -1;
}

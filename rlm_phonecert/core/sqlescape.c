/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "sqlescape.h"
#include "text.h"

#include <stdio.h>
#include <string.h>

/* The longest piece rlm_sql writes for one step: "\n" then "=XX". */
#define PIECE_MAX 5

static bool is_escaped_control(unsigned char c)
{
	return c == '\n' || c == '\r' || c == '\t';
}

static char control_letter(unsigned char c)
{
	return c == '\n' ? 'n' : c == '\r' ? 'r' : 't';
}

/*
 * What rlm_sql writes for the value at *p (not at its end) in one step of
 * its loop, into piece; *p moves past what it consumed, or stays on the
 * value's NUL where rlm_sql would read past it.
 */
static size_t escape_step(unsigned char const **p, char piece[PIECE_MAX + 1])
{
	unsigned char const *in = *p;
	unsigned long cp;
	int n = pc_utf8_decode(in, &cp);
	size_t len = 0;

	if (n > 1) {
		memcpy(piece, in, (size_t)n);
		*p = in + n;
		return (size_t)n;
	}
	if (is_escaped_control(*in)) {
		piece[len++] = '\\';
		piece[len++] = control_letter(*in++);
		if (*in == '\0') {
			memcpy(piece + len, "=00", 3);
			*p = in;
			return len + 3;
		}
	}
	if (*in >= 0x20 && *in < 0x80 && strchr(PC_SQL_SAFE_CHARACTERS, *in)) piece[len++] = (char)*in;
	else len += (size_t)snprintf(piece + len, PIECE_MAX + 1 - len, "=%02X", *in);
	*p = in + 1;
	return len;
}

size_t pc_sql_escape(char *out, size_t size, char const *in)
{
	unsigned char const *p = (unsigned char const *)(in ? in : "");
	pc_pieces pieces;

	pc_pieces_init(&pieces, out, size);
	while (*p) {
		char piece[PIECE_MAX + 1];

		pc_pieces_add(&pieces, piece, escape_step(&p, piece));
	}
	return pieces.needed;
}

static int hex_digit(char c)
{
	if (c >= '0' && c <= '9') return c - '0';
	if (c >= 'A' && c <= 'F') return c - 'A' + 10;
	return -1;	/* rlm_sql writes upper-case hex only */
}

/* The bytes stored stands for, read escape by escape; false where it holds something rlm_sql never writes. */
static bool decode(char const *stored, char *out)
{
	while (*stored) {
		if (*stored == '=') {
			int high = hex_digit(stored[1]), low = high < 0 ? -1 : hex_digit(stored[2]);

			if (low < 0 || (high == 0 && low == 0)) return false;
			*out++ = (char)(high * 16 + low);
			stored += 3;
		} else if (*stored == '\\') {
			if (stored[1] != 'n' && stored[1] != 'r' && stored[1] != 't') return false;
			*out++ = stored[1] == 'n' ? '\n' : stored[1] == 'r' ? '\r' : '\t';
			stored += 2;
		} else {
			*out++ = *stored++;
		}
	}
	*out = '\0';
	return true;
}

/* Whether rlm_sql, given value, writes stored: step by step, never more than stored holds. */
static bool escapes_to(char const *value, char const *stored)
{
	unsigned char const *p = (unsigned char const *)value;
	size_t at = 0, stored_len = strlen(stored);

	while (*p) {
		char piece[PIECE_MAX + 1];
		size_t n = escape_step(&p, piece);

		if (n > stored_len - at || memcmp(stored + at, piece, n) != 0) return false;
		at += n;
	}
	return at == stored_len;
}

bool pc_sql_unescape(char const *stored, char *out)
{
	if (decode(stored, out) && escapes_to(out, stored)) return true;
	memcpy(out, stored, strlen(stored) + 1);
	return false;
}

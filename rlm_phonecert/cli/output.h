/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Output for the phonecert tool: aligned "label: value" text for people, and
 * a small streaming JSON writer for scripts. The JSON is JSON Lines: each
 * object at the top is written compact, on one line of its own (what
 * --json and report --format json write, in every command), so that any
 * JSON parser reads each line, and a stream can be read line by line.
 *
 * The JSON writer always produces valid JSON, whatever the strings hold:
 * certificate subjects, file names and config values come from outside, so
 * quotes, backslashes, control characters (C0, C1) and bidi controls
 * (pc_char_unsafe) are escaped (\uXXXX) and invalid UTF-8 is replaced
 * (U+FFFD) rather than copied. Text output escapes the same characters as
 * \xHH (pc_escape, PC_ESCAPE_TEXT).
 */
#ifndef PHONECERT_CLI_OUTPUT_H
#define PHONECERT_CLI_OUTPUT_H

#include <stdbool.h>
#include <stdio.h>

#include "../core/phone.h"
#include "../core/verify.h"

#define JSON_MAX_DEPTH 16

typedef struct {
	FILE *out;
	int depth;
	bool has_members[JSON_MAX_DEPTH];	/* per open object/array: a comma is due before the next member */
} json_writer;

void json_init(json_writer *w, FILE *out);

/* key is the member name inside an object, NULL inside an array or at the top. */
void json_object_begin(json_writer *w, char const *key);
void json_object_end(json_writer *w);
void json_array_begin(json_writer *w, char const *key);
void json_array_end(json_writer *w);

void json_string(json_writer *w, char const *key, char const *value);	/* NULL writes null */
void json_bool(json_writer *w, char const *key, bool value);
void json_int(json_writer *w, char const *key, long long value);

/* value, or null when it is NULL or empty. */
void json_optional(json_writer *w, char const *key, char const *value);

/* String members in a row: key, value, key, value..., NULL; json_string's, or json_optional's. */
void json_strings(json_writer *w, ...) __attribute__((sentinel));
void json_optionals(json_writer *w, ...) __attribute__((sentinel));

/* A phone's identity parsed from its certificate: common_name, device_name, model, mac, pid, sn. */
void json_identity(json_writer *w, char const *key, pc_identity const *id);

/* The certificate a decision was made on (inspect, capture): subject, issuer, serial, not_before, not_after. */
void json_certificate(json_writer *w, pc_result const *r);

/* value as a JSON string literal, quotes included. */
void json_write_string(FILE *out, char const *value);

/* Room for any value of up to 1023 bytes escaped for text output (4 bytes per byte at most). */
#define TEXT_ESCAPED_LEN 4096

/* value (NULL: "") escaped for a person (pc_escape, PC_ESCAPE_TEXT) into buf, cut to fit; returns buf. */
char const *text_escape(char const *value, char *buf, size_t len);

/* "phonecert: message" (command NULL) or "phonecert COMMAND: message" on stderr; returns EXIT_TROUBLE. */
int trouble(char const *command, char const *fmt, ...) __attribute__((format(printf, 2, 3)));

/* "  label:      value" with the values of one block aligned, value escaped; nothing for a NULL or empty value. */
void text_field(FILE *out, char const *label, char const *fmt, ...) __attribute__((format(printf, 3, 4)));

/* All len bytes of text written to fd (a file, a pipe), retrying when interrupted: false on an error. */
bool fd_write_all(int fd, char const *text, size_t len);

#endif

/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Untrusted text made safe to show: certificate fields, User-Name,
 * Calling-Station-Id and the reasons that quote them come from strangers.
 *
 * One definition of the characters no output shows as they are
 * (pc_char_unsafe), and one escaping (pc_escape) that writes each of their
 * bytes, and each byte that is not valid UTF-8, as \xHH (lower-case hex).
 * In PC_ESCAPE_LOG mode it also writes " as \", \ as \\ and = as \x3d, so an
 * escaped value put between double quotes can never end early, and "key="
 * can never appear inside it: the one log line per phone is built with it
 * (pc_log_*), a grep or a parser can rely on that.
 *
 * And the one way to fill an (err, len) buffer (core.h, Errors): pc_fail.
 */
#ifndef PHONECERT_TEXT_H
#define PHONECERT_TEXT_H

#include <stdbool.h>
#include <stddef.h>

/*
 * Length of the valid UTF-8 sequence at p (RFC 3629: no overlongs, no
 * surrogates) and its code point in *cp; 0 when not valid. Never reads past
 * a NUL.
 */
int pc_utf8_decode(unsigned char const *p, unsigned long *cp);

/*
 * Characters that could change how a line reads: C0 and C1 controls, DEL,
 * bidirectional controls (U+061C, U+200E/F, U+202A-202E, U+2066-2069),
 * zero-width and invisible format characters (U+200B-200D, U+2060-2064,
 * U+FEFF), line and paragraph separators (U+2028/2029) and the interlinear
 * annotation characters (U+FFF9-FFFB).
 */
bool pc_char_unsafe(unsigned long cp);

typedef enum {
	PC_ESCAPE_TEXT,		/* for people: unsafe characters and invalid bytes as \xHH, the rest unchanged */
	PC_ESCAPE_LOG		/* for a quoted log value: also \" \\ and \x3d */
} pc_escape_mode;

/*
 * in (NULL: "") escaped into out, always NUL-terminated when size > 0, and
 * cut only between whole characters or escapes. Returns the length the whole
 * escaped text needs (without its NUL), as snprintf does: >= size means cut.
 */
size_t pc_escape(char *out, size_t size, char const *in, pc_escape_mode mode);

/*
 * An escaped text written piece by piece (a character or an escape) into a
 * buffer, as snprintf does: out always NUL-terminated when size > 0, cut
 * only between whole pieces; needed counts the whole text's length. For
 * pc_escape and pc_sql_escape: init, add each piece, then needed.
 */
typedef struct {
	char *out;
	size_t size;
	size_t written;
	size_t needed;
	bool cut;
} pc_pieces;

void pc_pieces_init(pc_pieces *pieces, char *out, size_t size);
void pc_pieces_add(pc_pieces *pieces, char const *piece, size_t n);

/*
 * fmt's message in err, cut to fit (nothing written when len is 0); returns
 * -1, so that a function failing with an (err, len) buffer can return it.
 */
int pc_fail(char *err, size_t len, char const *fmt, ...) __attribute__((format(printf, 3, 4)));

/*
 * text on one line, in place: each run of line feeds, carriage returns,
 * tabs and spaces becomes one space, none at either end (a database's
 * messages span lines). Other characters stay as they are: escape before
 * showing.
 */
void pc_one_line(char *text);

/* data as lower-case hex into out, NUL-terminated when size > 0: as many whole bytes as fit. */
void pc_hex(char *out, size_t size, unsigned char const *data, size_t n);

/*
 * The one log line per phone: words and key=value pairs separated by one
 * space. A value is bare when it is made only of letters, digits and
 * - . _ : / (a NULL or empty value is "-"); otherwise, and always for
 * pc_log_quoted, it is "value" escaped with PC_ESCAPE_LOG. A pair that does
 * not fit is left out whole and the line ends in " truncated".
 */
typedef struct {
	char *buf;
	size_t size;
	size_t len;
	bool truncated;
} pc_log_line;

#define PC_LOG_TRUNCATED " truncated"

void pc_log_init(pc_log_line *line, char *buf, size_t size);	/* size > sizeof(PC_LOG_TRUNCATED) */
void pc_log_word(pc_log_line *line, char const *word);		/* a word of ours, written as it is */
void pc_log_pair(pc_log_line *line, char const *key, char const *value);
void pc_log_quoted(pc_log_line *line, char const *key, char const *value);
char const *pc_log_end(pc_log_line *line);			/* the line, " truncated" added if so */

#endif

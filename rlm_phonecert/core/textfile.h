/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Small text files an admin writes (block_file, fleet_secret_file): read
 * whole, then taken one line at a time, with the line numbers errors name.
 */
#ifndef PHONECERT_TEXTFILE_H
#define PHONECERT_TEXTFILE_H

#include <stddef.h>

/*
 * The whole of path, at most max bytes, into *text (malloc'd, NUL-terminated
 * after its *len bytes; the caller frees it). 0, or -1 with "PATH: problem"
 * in err.
 */
int pc_file_read(char const *path, size_t max, char **text, size_t *len, char *err, size_t err_len);

/* The lines of a text (len bytes; need not be NUL-terminated), in order. */
typedef struct {
	char const	*text;
	size_t		len;
	size_t		pos;
	int		number;		/* of the line pc_lines_next gave last, from 1 */
} pc_lines;

void pc_lines_init(pc_lines *lines, char const *text, size_t len);

/*
 * The next line into line (size bytes with its NUL), without its newline and
 * a carriage return before it. 1, 0 after the last line, or -1 with
 * "line N: problem" in err: longer than size - 1 bytes, or a NUL byte.
 */
int pc_lines_next(pc_lines *lines, char *line, size_t size, char *err, size_t err_len);

/* why ("line N: problem", or another problem) about the file name, as FreeRADIUS names places: "NAME[N]: problem". */
void pc_lines_name_error(char const *name, char const *why, char *err, size_t err_len);

#endif

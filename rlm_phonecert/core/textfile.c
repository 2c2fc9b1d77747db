/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "textfile.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int pc_file_read(char const *path, size_t max, char **text, size_t *len, char *err, size_t err_len)
{
	FILE *file = fopen(path, "rb");
	long size;

	*text = NULL;
	*len = 0;
	if (!file) {
		snprintf(err, err_len, "%s: %s", path, strerror(errno));
		return -1;
	}
	if (fseek(file, 0, SEEK_END) != 0 || (size = ftell(file)) < 0 || fseek(file, 0, SEEK_SET) != 0) {
		snprintf(err, err_len, "%s: cannot read: %s", path, strerror(errno));
	} else if ((size_t)size > max) {
		snprintf(err, err_len, "%s: larger than %zu bytes", path, max);
	} else if (!(*text = malloc((size_t)size + 1))) {
		snprintf(err, err_len, "%s: out of memory", path);
	} else {
		*len = fread(*text, 1, (size_t)size, file);
		(*text)[*len] = '\0';
		if (ferror(file)) {
			snprintf(err, err_len, "%s: cannot read: %s", path, strerror(errno));
			free(*text);
			*text = NULL;
		}
	}
	fclose(file);
	return *text ? 0 : -1;
}

void pc_lines_init(pc_lines *lines, char const *text, size_t len)
{
	*lines = (pc_lines) { .text = text, .len = len };
}

int pc_lines_next(pc_lines *lines, char *line, size_t size, char *err, size_t err_len)
{
	char const *start = lines->text + lines->pos;
	char const *nl;
	size_t rest = lines->len - lines->pos, line_len;

	if (rest == 0) return 0;
	nl = memchr(start, '\n', rest);
	line_len = nl ? (size_t)(nl - start) : rest;
	lines->pos += nl ? line_len + 1 : line_len;
	lines->number++;
	if (line_len > 0 && start[line_len - 1] == '\r') line_len--;
	if (line_len >= size) {
		snprintf(err, err_len, "line %d: longer than %zu characters", lines->number, size - 1);
		return -1;
	}
	if (memchr(start, '\0', line_len)) {
		snprintf(err, err_len, "line %d: a NUL byte", lines->number);
		return -1;
	}
	memcpy(line, start, line_len);
	line[line_len] = '\0';
	return 1;
}

void pc_lines_name_error(char const *name, char const *why, char *err, size_t err_len)
{
	int line;

	if (sscanf(why, "line %d:", &line) == 1) snprintf(err, err_len, "%s[%d]:%s", name, line, strchr(why, ':') + 1);
	else snprintf(err, err_len, "%s: %s", name, why);
}

/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "textfile.h"
#include "text.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int pc_file_read(char const *path, size_t max, char **text, size_t *len, char *err, size_t err_len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	struct stat st;
	ssize_t got = -1;

	*text = NULL;
	*len = 0;
	if (fd < 0) return pc_fail(err, err_len, "%s: %s", path, strerror(errno));
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		pc_fail(err, err_len, "%s: not a regular file", path);
	} else if ((size_t)st.st_size > max) {
		pc_fail(err, err_len, "%s: larger than %zu bytes", path, max);
	} else if (!(*text = malloc((size_t)st.st_size + 1))) {
		pc_fail(err, err_len, "%s: out of memory", path);
	} else if ((got = read(fd, *text, (size_t)st.st_size)) != st.st_size) {
		/* A file that shrank while read is cut: refused rather than half read. */
		pc_fail(err, err_len, "%s: cannot read it%s%s", path, got < 0 ? ": " : " whole", got < 0 ? strerror(errno) : "");
		free(*text);
		*text = NULL;
	} else {
		*len = (size_t)got;
		(*text)[*len] = '\0';
	}
	close(fd);
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
		pc_fail(err, err_len, "line %d: longer than %zu characters", lines->number, size - 1);
		return -1;
	}
	if (memchr(start, '\0', line_len)) {
		pc_fail(err, err_len, "line %d: a NUL byte", lines->number);
		return -1;
	}
	memcpy(line, start, line_len);
	line[line_len] = '\0';
	return 1;
}

void pc_lines_name_error(char const *name, char const *why, char *err, size_t err_len)
{
	int line;

	if (sscanf(why, "line %d:", &line) == 1) pc_fail(err, err_len, "%s[%d]:%s", name, line, strchr(why, ':') + 1);
	else pc_fail(err, err_len, "%s: %s", name, why);
}

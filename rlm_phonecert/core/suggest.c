/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "suggest.h"

#include <ctype.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Option names are short; longer words are not typos of them. */
#define MAX_WORD 64
#define MAX_EDITS 2

static size_t min3(size_t a, size_t b, size_t c)
{
	size_t m = a < b ? a : b;

	return m < c ? m : c;
}

static bool same_letter(char a, char b)
{
	return tolower((unsigned char)a) == tolower((unsigned char)b);
}

/* Optimal string alignment distance (Damerau-Levenshtein without repeated edits of one substring). */
static size_t distance(char const *a, size_t la, char const *b, size_t lb)
{
	size_t d[MAX_WORD + 1][MAX_WORD + 1];

	for (size_t i = 0; i <= la; i++) d[i][0] = i;
	for (size_t j = 0; j <= lb; j++) d[0][j] = j;
	for (size_t i = 1; i <= la; i++) {
		for (size_t j = 1; j <= lb; j++) {
			size_t cost = same_letter(a[i - 1], b[j - 1]) ? 0 : 1;

			d[i][j] = min3(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
			if (i > 1 && j > 1 && same_letter(a[i - 1], b[j - 2]) && same_letter(a[i - 2], b[j - 1]) &&
			    d[i - 2][j - 2] + 1 < d[i][j]) {
				d[i][j] = d[i - 2][j - 2] + 1;
			}
		}
	}
	return d[la][lb];
}

char const *pc_suggest(char const *word, char const *const *names, size_t count)
{
	size_t word_len = word ? strlen(word) : 0, best_distance = MAX_EDITS + 1;
	char const *best = NULL;

	if (word_len == 0 || word_len > MAX_WORD) return NULL;
	for (size_t i = 0; i < count; i++) {
		size_t name_len = names[i] ? strlen(names[i]) : 0, edits;

		if (name_len == 0 || name_len > MAX_WORD) continue;
		edits = distance(word, word_len, names[i], name_len);
		if (edits < best_distance && edits * 2 < word_len) {
			best_distance = edits;
			best = names[i];
		}
	}
	return best;
}

void pc_unknown_option_message(char const *option, char const *section, char const *const *names, size_t count,
			       char *buf, size_t len)
{
	char const *closest = pc_suggest(option, names, count);

	snprintf(buf, len, "Unknown option '%s' in %s%s%s%s", option, section, closest ? ": did you mean " : "",
		 closest ? closest : "", closest ? "?" : "");
}

/* "a, b or c" */
static void list_names(char const *const *names, size_t count, char *buf, size_t len)
{
	size_t used = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < count && used < len; i++) {
		used += (size_t)snprintf(buf + used, len - used, "%s%s", i == 0 ? "" : i + 1 == count ? " or " : ", ", names[i]);
	}
}

void pc_unknown_section_message(char const *section, char const *where, char const *const *names, size_t count,
				char *buf, size_t len)
{
	char const *closest = pc_suggest(section, names, count);
	char expected[256];

	if (count == 0) {
		snprintf(buf, len, "Unknown section '%s' in %s: it takes options only", section, where);
	} else if (closest) {
		snprintf(buf, len, "Unknown section '%s' in %s: did you mean %s?", section, where, closest);
	} else {
		list_names(names, count, expected, sizeof(expected));
		snprintf(buf, len, "Unknown section '%s' in %s: expected %s", section, where, expected);
	}
}

void pc_duplicate_option_message(char const *option, char const *section, char const *first_file, int first_line,
				 char *buf, size_t len)
{
	snprintf(buf, len, "Option '%s' is set twice in %s (first at %s[%d]): remove one", option, section, first_file,
		 first_line);
}

/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * "Did you mean ...?" for misspelt configuration options: the known name
 * closest to an unknown one, and the messages that refuse unknown and
 * duplicated options. Pure functions, no global state.
 */
#ifndef PHONECERT_SUGGEST_H
#define PHONECERT_SUGGEST_H

#include <stddef.h>

/*
 * The name among names[0..count) with the smallest edit distance to word
 * (insertions, deletions, substitutions and swaps of neighbours, case
 * ignored), if it is close enough to be a likely typo: at most 2 edits, and
 * fewer than half of word's length. NULL when none is.
 */
char const *pc_suggest(char const *word, char const *const *names, size_t count);

/*
 * The start-up error for an option no one reads, shared by the module and
 * the tool: "Unknown option 'mic_expird' in phonecert: did you mean
 * mic_expired?" (without the question when nothing is close).
 */
void pc_unknown_option_message(char const *option, char const *section, char const *const *names, size_t count,
			       char *buf, size_t len);

/* The same for an option set twice: FreeRADIUS would read the first one only. */
void pc_duplicate_option_message(char const *option, char const *section, char const *first_file, int first_line,
				 char *buf, size_t len);

#endif

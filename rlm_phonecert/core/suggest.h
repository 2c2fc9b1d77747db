/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * "Did you mean ...?" for misspelt configuration options and sections: the
 * known name closest to an unknown one, and the messages that refuse unknown
 * and duplicated options and unknown sections. Pure functions, no global state.
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

/*
 * The same for a section no one reads, inside section `where` ("phonecert",
 * "capf 'harbour-2021'"): "Unknown section 'cafp' in phonecert: did you mean
 * capf?", "... expected capf, lsc_ca or manufacturing" when nothing is
 * close, and where no section belongs (count 0), "Unknown section 'rotation'
 * in capf 'harbour-2021': it takes options only".
 */
void pc_unknown_section_message(char const *section, char const *where, char const *const *names, size_t count,
				char *buf, size_t len);

/* The same for an option set twice: FreeRADIUS would read the first one only. */
void pc_duplicate_option_message(char const *option, char const *section, char const *first_file, int first_line,
				 char *buf, size_t len);

#endif

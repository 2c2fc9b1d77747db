/*
 * "Did you mean ...?" for misspelt configuration options: the known name
 * closest to an unknown one. Pure function, no global state.
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

#endif

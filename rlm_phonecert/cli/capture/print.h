/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A judged handshake as text for people (aligned "label: value" lines, like
 * inspect) or as one JSON object (documented in phonecert(1)). Every string
 * that came off the wire is escaped.
 */
#ifndef PHONECERT_CAPTURE_PRINT_H
#define PHONECERT_CAPTURE_PRINT_H

#include <stdio.h>

#include "entry.h"

/* files: the PEM files written for this entry (--extract), count of them. */
void print_entry_text(FILE *out, capture_entry const *entry, char const *const *files, int file_count);
void print_entry_json(FILE *out, capture_entry const *entry, char const *const *files, int file_count);

#endif

/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * RFC 3339 UTC timestamps, the only time format phonecert reads or writes
 * ("2026-12-31T23:59:59Z"). Pure functions, no global state.
 */
#ifndef PHONECERT_TIMEUTIL_H
#define PHONECERT_TIMEUTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

/* Large enough for "YYYY-MM-DDTHH:MM:SSZ" and its terminator. */
#define PC_TIME_STRLEN 21

/*
 * Parse "YYYY-MM-DDTHH:MM:SSZ" (a lower-case 't'/'z' and a space instead of
 * 'T' are accepted). Only UTC is accepted: a RADIUS server's windows must not
 * move with the machine's time zone. Returns false for anything else,
 * including impossible dates such as 2026-02-30.
 */
bool pc_time_parse(char const *text, time_t *out);

/* Format as "YYYY-MM-DDTHH:MM:SSZ" into buf (at least PC_TIME_STRLEN bytes). */
void pc_time_format(time_t when, char *buf, size_t len);

/* The same for a broken-down UTC time (OpenSSL's ASN1_TIME_to_tm gives one). */
void pc_time_format_tm(struct tm const *tm, char *buf, size_t len);

#endif

/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Text in the phone inventory as FreeRADIUS' rlm_sql escapes it, and back.
 *
 * rlm_sql (3.2.1 and 3.2.7 alike: sql_escape_func in
 * src/modules/rlm_sql/rlm_sql.c) escapes every value it puts into a query,
 * with safe_characters at its default and auto_escape = no, as
 * mods-config/sql/phonecert/connection.conf leaves them. It goes through the
 * value and writes
 *   - a valid multi-byte UTF-8 character as it is;
 *   - LF, CR and TAB as \n, \r and \t; it then takes the byte after them by
 *     the two rules below alone, never as the start of a character, and at
 *     the value's end it writes =00 and reads on past it (a FreeRADIUS bug:
 *     such a value is never decoded here);
 *   - a byte of PC_SQL_SAFE_CHARACTERS as it is;
 *   - any other byte as =XX, its value in upper-case hex.
 * So the inventory holds "=28capf =27harbour-2021=27=2C" where the server
 * had "(capf 'harbour-2021',", and "=3D28" where it had "=28".
 *
 * pc_sql_unescape gives back what the server had, exactly: it decodes only
 * text that pc_sql_escape would write again letter for letter, which holds
 * for everything rlm_sql writes and makes the decoding one-to-one. Anything
 * else (written by hand, with other safe_characters, or cut short) is
 * returned as it is stored. Either way the result is a stranger's text:
 * every output still escapes it (text.h).
 */
#ifndef PHONECERT_SQLESCAPE_H
#define PHONECERT_SQLESCAPE_H

#include <stdbool.h>
#include <stddef.h>

/* rlm_sql's default safe_characters. */
#define PC_SQL_SAFE_CHARACTERS "@abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-_: /"

/*
 * in as rlm_sql writes it, into out: always NUL-terminated when size > 0,
 * cut only between whole escapes. Returns the length the whole text needs
 * (without its NUL), as snprintf does.
 */
size_t pc_sql_escape(char *out, size_t size, char const *in);

/*
 * stored decoded into out, which has room for strlen(stored) + 1 bytes (a
 * value never grows by decoding). true when stored is what rlm_sql writes
 * for out; false, with out a copy of stored, when it is not.
 */
bool pc_sql_unescape(char const *stored, char *out);

#endif

/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Unit tests for core/text: which characters are unsafe, the one escaping,
 * and the log line built with it. Expected strings are written out by hand
 * (bytes of U+202E are e2 80 ae, of U+009B c2 9b), not computed by the code
 * under test. Needs no certificates.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "core/text.h"

#define RLO "\xe2\x80\xae"	/* U+202E RIGHT-TO-LEFT OVERRIDE */
#define CSI "\xc2\x9b"		/* U+009B CONTROL SEQUENCE INTRODUCER (C1) */

static char const *escaped(char const *in, pc_escape_mode mode)
{
	static char buf[512];
	size_t needed = pc_escape(buf, sizeof(buf), in, mode);

	assert_int_equal(needed, strlen(buf));
	return buf;
}

static void test_unsafe_characters(void **state)
{
	static unsigned long const unsafe[] = {
		0x00, 0x09, 0x0A, 0x0D, 0x1B, 0x7F, 0x80, 0x85, 0x9B, 0x9F, 0x061C, 0x200B, 0x200E, 0x200F,
		0x2028, 0x2029, 0x202A, 0x202D, 0x202E, 0x2060, 0x2066, 0x2067, 0x2068, 0x2069, 0xFEFF, 0xFFF9,
	};
	static unsigned long const safe[] = { ' ', '"', '=', '\\', 'A', '~', 0xA0, 0xE9, 0x202F, 0x2065, 0x4E2D, 0x1F600 };

	(void)state;
	for (size_t i = 0; i < sizeof(unsafe) / sizeof(unsafe[0]); i++) {
		if (!pc_char_unsafe(unsafe[i])) fail_msg("U+%04lX is not unsafe", unsafe[i]);
	}
	for (size_t i = 0; i < sizeof(safe) / sizeof(safe[0]); i++) {
		if (pc_char_unsafe(safe[i])) fail_msg("U+%04lX is unsafe", safe[i]);
	}
}

static void test_utf8_decode(void **state)
{
	unsigned long cp;

	(void)state;
	assert_int_equal(pc_utf8_decode((unsigned char const *)RLO, &cp), 3);
	assert_int_equal(cp, 0x202E);
	assert_int_equal(pc_utf8_decode((unsigned char const *)"\xf0\x9f\x98\x80", &cp), 4);
	assert_int_equal(cp, 0x1F600);
	assert_int_equal(pc_utf8_decode((unsigned char const *)"\xc0\xaf", &cp), 0);	/* overlong '/' */
	assert_int_equal(pc_utf8_decode((unsigned char const *)"\xed\xa0\x80", &cp), 0);	/* a surrogate */
	assert_int_equal(pc_utf8_decode((unsigned char const *)"\xe2\x80", &cp), 0);	/* cut by the NUL */
}

static void test_text_mode_escapes_controls_and_bidi_only(void **state)
{
	(void)state;
	assert_string_equal(escaped("CP-8861" RLO "exe.gpj", PC_ESCAPE_TEXT), "CP-8861\\xe2\\x80\\xaeexe.gpj");
	assert_string_equal(escaped("a" CSI "31m", PC_ESCAPE_TEXT), "a\\xc2\\x9b31m");
	assert_string_equal(escaped("line\nbreak\ttab\x1b[2J", PC_ESCAPE_TEXT), "line\\x0abreak\\x09tab\\x1b[2J");
	assert_string_equal(escaped("Latin-1 \xe9t\xe9", PC_ESCAPE_TEXT), "Latin-1 \\xe9t\\xe9");
	/* What people may read as it is stays: quotes, =, backslash, accents, CJK. */
	assert_string_equal(escaped("O=Soci\xc3\xa9t\xc3\xa9 \"x\" \\ \xe4\xb8\xad", PC_ESCAPE_TEXT),
			    "O=Soci\xc3\xa9t\xc3\xa9 \"x\" \\ \xe4\xb8\xad");
	assert_string_equal(escaped(NULL, PC_ESCAPE_TEXT), "");
}

static void test_log_mode_escapes_quotes_backslash_and_equals(void **state)
{
	(void)state;
	assert_string_equal(escaped("Evil\" reason=\"-\" device=SEP2C3124C9F8E1", PC_ESCAPE_LOG),
			    "Evil\\\" reason\\x3d\\\"-\\\" device\\x3dSEP2C3124C9F8E1");
	assert_string_equal(escaped("back\\slash", PC_ESCAPE_LOG), "back\\\\slash");
	assert_string_equal(escaped("\\x3d", PC_ESCAPE_LOG), "\\\\x3d");	/* an escape in the input is not one in the output */
	assert_string_equal(escaped(RLO CSI "\n", PC_ESCAPE_LOG), "\\xe2\\x80\\xae\\xc2\\x9b\\x0a");
	assert_string_equal(escaped("Soci\xc3\xa9t\xc3\xa9", PC_ESCAPE_LOG), "Soci\xc3\xa9t\xc3\xa9");
}

static void test_escape_cuts_between_whole_pieces(void **state)
{
	char buf[8];

	(void)state;
	/* "ab" then "\xe2\x80\xae" (12 bytes): only "ab" fits in 8. */
	assert_int_equal(pc_escape(buf, sizeof(buf), "ab" RLO "c", PC_ESCAPE_TEXT), 15);
	assert_string_equal(buf, "ab");
	assert_int_equal(pc_escape(buf, 3, "a\"b", PC_ESCAPE_LOG), 4);
	assert_string_equal(buf, "a");
	assert_int_equal(pc_escape(NULL, 0, "a=b", PC_ESCAPE_LOG), 6);
}

static void test_log_line(void **state)
{
	char buf[512];
	pc_log_line line;

	(void)state;
	pc_log_init(&line, buf, sizeof(buf));
	pc_log_word(&line, "reject");
	pc_log_pair(&line, "device", "SEP2C3124C9F8E1");
	pc_log_pair(&line, "mac", NULL);
	pc_log_pair(&line, "nas-port-id", "GigabitEthernet1/0/7");
	pc_log_pair(&line, "calling-station-id", "02\" reason=\"-\" device=SEP001122334455");
	pc_log_pair(&line, "nas-ip", "");
	pc_log_quoted(&line, "reason", "unknown issuer " RLO "x\"");
	assert_string_equal(pc_log_end(&line),
			    "reject device=SEP2C3124C9F8E1 mac=- nas-port-id=GigabitEthernet1/0/7 "
			    "calling-station-id=\"02\\\" reason\\x3d\\\"-\\\" device\\x3dSEP001122334455\" nas-ip=- "
			    "reason=\"unknown issuer \\xe2\\x80\\xaex\\\"\"");

	pc_log_init(&line, buf, sizeof(buf));
	pc_log_word(&line, "accept");
	pc_log_quoted(&line, "reason", NULL);
	pc_log_pair(&line, "x", "a b");
	assert_string_equal(pc_log_end(&line), "accept reason=\"-\" x=\"a b\"");
}

static void test_log_line_leaves_out_a_pair_that_does_not_fit(void **state)
{
	char buf[48];
	pc_log_line line;

	(void)state;
	pc_log_init(&line, buf, sizeof(buf));
	pc_log_word(&line, "reject");
	pc_log_pair(&line, "device", "SEP2C3124C9F8E1");
	pc_log_quoted(&line, "reason", "a reason much too long for this line");
	pc_log_pair(&line, "x", "y");
	assert_string_equal(pc_log_end(&line), "reject device=SEP2C3124C9F8E1 truncated");
	assert_true(strlen(buf) < sizeof(buf));
}

static void test_hex_writes_whole_bytes_that_fit(void **state)
{
	unsigned char const data[] = { 0x00, 0x9f, 0xa0, 0xff };
	char buf[16];

	(void)state;
	pc_hex(buf, sizeof(buf), data, sizeof(data));
	assert_string_equal(buf, "009fa0ff");
	pc_hex(buf, 6, data, sizeof(data));	/* room for two bytes and the NUL */
	assert_string_equal(buf, "009f");
	pc_hex(buf, 2, data, sizeof(data));
	assert_string_equal(buf, "");
	pc_hex(buf, sizeof(buf), data, 0);
	assert_string_equal(buf, "");
}

/* A database's message on one line: runs of line breaks, tabs and spaces are one space, none at the ends. */
static void test_one_line(void **state)
{
	char text[] = "server closed the connection unexpectedly\n\tThis probably means\r\n  the server died.\n";
	char blank[] = " \n\t ";

	(void)state;
	pc_one_line(text);
	assert_string_equal(text, "server closed the connection unexpectedly This probably means the server died.");
	pc_one_line(blank);
	assert_string_equal(blank, "");
}

int main(void)
{
	struct CMUnitTest const tests[] = {
		cmocka_unit_test(test_unsafe_characters),
		cmocka_unit_test(test_utf8_decode),
		cmocka_unit_test(test_text_mode_escapes_controls_and_bidi_only),
		cmocka_unit_test(test_log_mode_escapes_quotes_backslash_and_equals),
		cmocka_unit_test(test_escape_cuts_between_whole_pieces),
		cmocka_unit_test(test_log_line),
		cmocka_unit_test(test_log_line_leaves_out_a_pair_that_does_not_fit),
		cmocka_unit_test(test_hex_writes_whole_bytes_that_fit),
		cmocka_unit_test(test_one_line),
	};

	return cmocka_run_group_tests_name("text", tests, NULL, NULL);
}

/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Unit tests for core/sqlescape: rlm_sql's escaping of inventory values, and
 * the exact decoding the report reads them with. The escaped forms are
 * written out by hand from rlm_sql's sql_escape_func (3.2.1/3.2.7), not
 * computed by the code under test; test-report.sh checks them against the
 * real rlm_sql. Needs no certificates.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "core/sqlescape.h"

/* What the server had, and what rlm_sql stores for it. */
static struct {
	char const *value;
	char const *stored;
} const written[] = {
	{ "named CAPF-5e1f2a9b (capf 'harbour-2021',", "named CAPF-5e1f2a9b =28capf =27harbour-2021=27=2C" },
	{ "=28", "=3D28" },					/* a literal escape is escaped itself */
	{ "a\\b\"c;d", "a=5Cb=22c=3Bd" },
	{ "caf\xc3\xa9 \xe6\xbc\xa2", "caf\xc3\xa9 \xe6\xbc\xa2" },	/* multi-byte UTF-8 stays */
	{ "\xc2\x85\xe2\x80\xae", "\xc2\x85\xe2\x80\xae" },		/* C1 and bidi controls too: valid UTF-8 */
	{ "a\xff" "b\x80\x7f", "a=FFb=80=7F" },			/* bytes that are no UTF-8, DEL */
	{ "x\x01y\x1b", "x=01y=1B" },
	{ "a\nb\rc\td", "a\\nb\\rc\\td" },
	{ "a\n(", "a\\n=28" },					/* the byte after a control: by the byte rules alone */
	{ "\n\n", "\\n=0A" },
	{ "\t\xc3\xa9", "\\t=C3=A9" },				/* ... even the start of a character */
	{ "@.-_: /", "@.-_: /" },
	{ "+=%#~!", "=2B=3D=25=23=7E=21" },
	{ "", "" },
};

static void test_escape_as_rlm_sql(void **state)
{
	char out[256];

	(void)state;
	for (size_t i = 0; i < sizeof(written) / sizeof(written[0]); i++) {
		size_t needed = pc_sql_escape(out, sizeof(out), written[i].value);

		if (strcmp(out, written[i].stored) != 0 || needed != strlen(out)) {
			fail_msg("case %zu: escaped to \"%s\", rlm_sql writes \"%s\"", i, out, written[i].stored);
		}
	}
}

static void test_unescape_is_exact(void **state)
{
	char out[256];

	(void)state;
	for (size_t i = 0; i < sizeof(written) / sizeof(written[0]); i++) {
		if (!pc_sql_unescape(written[i].stored, out) || strcmp(out, written[i].value) != 0) {
			fail_msg("case %zu: \"%s\" decoded to \"%s\"", i, written[i].stored, out);
		}
	}
}

/* Text rlm_sql would never write is shown as it is stored: nothing it did not write comes out of decoding. */
static void test_what_rlm_sql_never_writes(void **state)
{
	static char const *const stored[] = {
		"=41",			/* A is safe: rlm_sql writes it as it is */
		"=2", "=", "a=zz", "=2c", "=g0",	/* short, not hex, lower-case hex */
		"=00",			/* a NUL */
		"(capf 'x',)",		/* what the escaping removes */
		"a\\x", "a\\", "\\\\",	/* a backslash other than \n \r \t */
		"\\n", "a\\r",		/* a control at the end: rlm_sql writes "=00" after it */
		"\\n\xc3\xa9",		/* after a control rlm_sql escapes the next byte */
		"=C3=A9",		/* valid UTF-8 is never escaped */
		"a\nb",			/* a raw newline */
		"=HYPERLINK(\"x\")",
	};
	char out[64];

	(void)state;
	for (size_t i = 0; i < sizeof(stored) / sizeof(stored[0]); i++) {
		if (pc_sql_unescape(stored[i], out)) fail_msg("\"%s\" decoded to \"%s\"", stored[i], out);
		assert_string_equal(out, stored[i]);
	}
}

/* A value ending in a control: rlm_sql writes =00, then reads past the value (its bug); never decoded. */
static void test_control_at_the_end(void **state)
{
	char out[64];

	(void)state;
	pc_sql_escape(out, sizeof(out), "abc\n");
	assert_string_equal(out, "abc\\n=00");
	assert_false(pc_sql_unescape("abc\\n=00", out));
	assert_string_equal(out, "abc\\n=00");
}

static void test_escape_cut_between_escapes(void **state)
{
	char out[5];

	(void)state;
	assert_int_equal(pc_sql_escape(out, sizeof(out), "ab(cd"), 7);
	assert_string_equal(out, "ab");
	assert_int_equal(pc_sql_escape(out, 0, "x"), 1);
}

/* Any value (but one ending in a control) comes back as it was, through the escaping and the decoding. */
static void test_round_trip(void **state)
{
	char value[33], stored[33 * 5 + 1], decoded[sizeof(stored)];
	unsigned seed = 1;

	(void)state;
	for (int round = 0; round < 100000; round++) {
		size_t len = (size_t)(round % 32) + 1;

		for (size_t i = 0; i < len; i++) {
			seed = seed * 1103515245u + 12345u;
			value[i] = (char)((seed >> 16) % 255 + 1);
		}
		value[len] = '\0';
		if (value[len - 1] == '\n' || value[len - 1] == '\r' || value[len - 1] == '\t') continue;
		assert_true(pc_sql_escape(stored, sizeof(stored), value) < sizeof(stored));
		if (!pc_sql_unescape(stored, decoded) || strcmp(decoded, value) != 0) {
			fail_msg("round %d: \"%s\" stored as \"%s\" decoded to \"%s\"", round, value, stored, decoded);
		}
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_escape_as_rlm_sql),
		cmocka_unit_test(test_unescape_is_exact),
		cmocka_unit_test(test_what_rlm_sql_never_writes),
		cmocka_unit_test(test_control_at_the_end),
		cmocka_unit_test(test_escape_cut_between_escapes),
		cmocka_unit_test(test_round_trip),
	};

	return cmocka_run_group_tests_name("sqlescape", tests, NULL, NULL);
}

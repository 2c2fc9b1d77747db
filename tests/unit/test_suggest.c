/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Unit tests for core/suggest: the "did you mean ...?" of unknown options
 * and sections.
 * Needs no certificates.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "core/suggest.h"

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

static char const *const options[] = {
	"eap", "tls_config", "mic", "mic_expired", "mic_legacy_signatures", "bind_mac", "bind_identity",
};

static void assert_suggests(char const *word, char const *expected)
{
	char const *got = pc_suggest(word, options, COUNT(options));

	if (!expected && got) fail_msg("\"%s\": expected no suggestion, got \"%s\"", word ? word : "(NULL)", got);
	if (expected && (!got || strcmp(got, expected) != 0)) {
		fail_msg("\"%s\": expected \"%s\", got \"%s\"", word, expected, got ? got : "(none)");
	}
}

static void test_missing_letter(void **state)
{
	(void)state;
	assert_suggests("mic_expird", "mic_expired");
}

static void test_extra_letter(void **state)
{
	(void)state;
	assert_suggests("bind_macc", "bind_mac");
}

static void test_swapped_letters(void **state)
{
	(void)state;
	assert_suggests("tls_cofnig", "tls_config");
}

static void test_case_is_ignored(void **state)
{
	(void)state;
	assert_suggests("Bind_Identity", "bind_identity");
}

static void test_closest_of_several(void **state)
{
	(void)state;
	/* "mic_expire" is 1 from mic_expired and 7 from mic. */
	assert_suggests("mic_expire", "mic_expired");
}

static void test_nothing_close(void **state)
{
	(void)state;
	assert_suggests("colour", NULL);
	assert_suggests("certificate_revocation", NULL);
}

static void test_three_edits_too_far(void **state)
{
	(void)state;
	assert_suggests("mic_exxxxred", NULL);
}

/* A short word is not "close" to anything two edits away: "ea" would match "eap", "mic" and all. */
static void test_short_words_need_closer_matches(void **state)
{
	(void)state;
	assert_suggests("ab", NULL);
	assert_suggests("eapp", "eap");
}

static void test_empty_null_and_overlong(void **state)
{
	char longword[200];

	(void)state;
	memset(longword, 'a', sizeof(longword) - 1);
	longword[sizeof(longword) - 1] = '\0';
	assert_suggests("", NULL);
	assert_suggests(NULL, NULL);
	assert_suggests(longword, NULL);
	assert_null(pc_suggest("mic", NULL, 0));
}

static void test_unknown_option_message(void **state)
{
	char buf[256];

	(void)state;
	pc_unknown_option_message("mic_expird", "phonecert", options, COUNT(options), buf, sizeof(buf));
	assert_string_equal(buf, "Unknown option 'mic_expird' in phonecert: did you mean mic_expired?");
	pc_unknown_option_message("colour", "capf", options, COUNT(options), buf, sizeof(buf));
	assert_string_equal(buf, "Unknown option 'colour' in capf");
	pc_duplicate_option_message("mic", "phonecert", "/raddb/mods-enabled/phonecert", 7, buf, sizeof(buf));
	assert_string_equal(buf, "Option 'mic' is set twice in phonecert (first at /raddb/mods-enabled/phonecert[7]): remove one");
}

static void test_unknown_section_message(void **state)
{
	static char const *const kinds[] = { "capf", "lsc_ca", "manufacturing" };
	char buf[256];

	(void)state;
	pc_unknown_section_message("cafp", "phonecert", kinds, COUNT(kinds), buf, sizeof(buf));
	assert_string_equal(buf, "Unknown section 'cafp' in phonecert: did you mean capf?");
	pc_unknown_section_message("rotation", "phonecert voice", kinds, COUNT(kinds), buf, sizeof(buf));
	assert_string_equal(buf, "Unknown section 'rotation' in phonecert voice: expected capf, lsc_ca or manufacturing");
	pc_unknown_section_message("rotation", "capf 'harbour-2021'", NULL, 0, buf, sizeof(buf));
	assert_string_equal(buf, "Unknown section 'rotation' in capf 'harbour-2021': it takes options only");
	pc_unknown_section_message("rotation", "phonecert", kinds, COUNT(kinds), buf, 20);
	assert_string_equal(buf, "Unknown section 'ro");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_missing_letter),
		cmocka_unit_test(test_extra_letter),
		cmocka_unit_test(test_swapped_letters),
		cmocka_unit_test(test_case_is_ignored),
		cmocka_unit_test(test_closest_of_several),
		cmocka_unit_test(test_nothing_close),
		cmocka_unit_test(test_three_edits_too_far),
		cmocka_unit_test(test_short_words_need_closer_matches),
		cmocka_unit_test(test_empty_null_and_overlong),
		cmocka_unit_test(test_unknown_option_message),
		cmocka_unit_test(test_unknown_section_message),
	};

	return cmocka_run_group_tests_name("suggest", tests, NULL, NULL);
}

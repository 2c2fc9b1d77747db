/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Unit tests for core/timeutil: RFC 3339 UTC parsing and formatting.
 *
 * Expected epoch values were computed independently of the code under test
 * (GNU date -u -d ... +%s and Python's calendar.timegm), so a wrong day count
 * in the parser cannot hide behind an equally wrong expectation.
 *
 * Unlike the other unit tests this one needs no certificates, so it does not
 * read PHONECERT_TEST_PKI.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "core/timeutil.h"

/* Parse text, failing the test (with the text in the message) if it is rejected. */
static time_t parse_ok(char const *text)
{
	time_t when = -1;

	if (!pc_time_parse(text, &when)) fail_msg("pc_time_parse rejected valid \"%s\"", text);
	return when;
}

/* The parser must reject text and must not report success through *out. */
static void assert_rejected(char const *text)
{
	time_t when = 12345;

	if (pc_time_parse(text, &when)) {
		fail_msg("pc_time_parse accepted invalid \"%s\" as %lld", text ? text : "(NULL)", (long long)when);
	}
}

static void test_parse_epoch_start(void **state)
{
	(void)state;
	assert_int_equal(parse_ok("1970-01-01T00:00:00Z"), 0);
}

static void test_parse_last_second_of_2026(void **state)
{
	(void)state;
	assert_int_equal(parse_ok("2026-12-31T23:59:59Z"), 1798761599);
}

static void test_parse_first_second_of_2027(void **state)
{
	(void)state;
	/* One second after the previous test's value: no off-by-one at a year boundary. */
	assert_int_equal(parse_ok("2027-01-01T00:00:00Z"), 1798761600);
}

static void test_parse_leap_day_2028(void **state)
{
	(void)state;
	assert_int_equal(parse_ok("2028-02-29T12:34:56Z"), 1835440496);
}

static void test_parse_leap_day_2000_divisible_by_400(void **state)
{
	(void)state;
	/* 2000 is a leap year although it is divisible by 100. */
	assert_int_equal(parse_ok("2000-02-29T00:00:00Z"), 951782400);
}

static void test_parse_after_2100_which_is_not_leap(void **state)
{
	(void)state;
	/* 2100 is not a leap year: counting a Feb 29 would shift this by a day. */
	assert_int_equal(parse_ok("2100-03-01T00:00:00Z"), 4107542400LL);
}

static void test_parse_beyond_32_bit_time(void **state)
{
	(void)state;
	/* The first second a signed 32-bit time_t cannot hold; this host's time_t is 64-bit. */
	assert_true(sizeof(time_t) >= 8);
	assert_int_equal(parse_ok("2038-01-19T03:14:08Z"), 2147483648LL);
}

static void test_parse_lowercase_z(void **state)
{
	(void)state;
	assert_int_equal(parse_ok("2026-12-31T23:59:59z"), 1798761599);
}

static void test_parse_lowercase_t(void **state)
{
	(void)state;
	assert_int_equal(parse_ok("2026-12-31t23:59:59Z"), 1798761599);
}

static void test_parse_space_separator(void **state)
{
	(void)state;
	assert_int_equal(parse_ok("2026-12-31 23:59:59Z"), 1798761599);
}

static void test_reject_missing_z(void **state)
{
	(void)state;
	/* Local time would make windows move with the server's time zone. */
	assert_rejected("2026-12-31T23:59:59");
}

static void test_reject_numeric_offsets(void **state)
{
	(void)state;
	assert_rejected("2026-12-31T23:59:59+01:00");
	assert_rejected("2026-12-31T23:59:59-05:00");
	/* "+00:00" means UTC too, but only the Z form is accepted. */
	assert_rejected("2026-12-31T23:59:59+00:00");
}

static void test_reject_february_30(void **state)
{
	(void)state;
	assert_rejected("2026-02-30T00:00:00Z");
}

static void test_reject_february_29_in_common_year(void **state)
{
	(void)state;
	assert_rejected("2027-02-29T00:00:00Z");
	assert_rejected("2100-02-29T00:00:00Z");
}

static void test_reject_day_31_in_30_day_month(void **state)
{
	(void)state;
	assert_rejected("2026-04-31T00:00:00Z");
}

static void test_reject_out_of_range_fields(void **state)
{
	(void)state;
	assert_rejected("2026-12-31T24:00:00Z");
	assert_rejected("2026-12-31T23:60:00Z");
	assert_rejected("2026-12-31T23:59:60Z");
	assert_rejected("2026-13-01T00:00:00Z");
	assert_rejected("2026-00-01T00:00:00Z");
	assert_rejected("2026-01-00T00:00:00Z");
}

static void test_reject_trailing_garbage(void **state)
{
	(void)state;
	assert_rejected("2026-12-31T23:59:59Zx");
	assert_rejected("2026-12-31T23:59:59Z ");
	assert_rejected("2026-12-31T23:59:59Z\n");
}

static void test_reject_leading_space(void **state)
{
	(void)state;
	assert_rejected(" 2026-12-31T23:59:59Z");
}

static void test_reject_fractional_seconds(void **state)
{
	(void)state;
	assert_rejected("2026-12-31T23:59:59.5Z");
	assert_rejected("2026-12-31T23:59:59.000Z");
}

static void test_reject_empty_and_null(void **state)
{
	(void)state;
	assert_rejected("");
	assert_rejected(NULL);
}

static void test_reject_wrong_separators(void **state)
{
	(void)state;
	assert_rejected("2026/12/31T23:59:59Z");
	assert_rejected("2026-12-31T23.59.59Z");
	assert_rejected("2026-12-31X23:59:59Z");
	/* A sign where a digit belongs must not be read as part of a number. */
	assert_rejected("2026-12-31T+3:59:59Z");
}

static void test_reject_date_only(void **state)
{
	(void)state;
	assert_rejected("2026-12-31");
}

static void test_format_epoch_start(void **state)
{
	char buf[PC_TIME_STRLEN];

	(void)state;
	pc_time_format(0, buf, sizeof(buf));
	assert_string_equal(buf, "1970-01-01T00:00:00Z");
}

static void test_format_known_value(void **state)
{
	char buf[PC_TIME_STRLEN];

	(void)state;
	pc_time_format(1835440496, buf, sizeof(buf));
	assert_string_equal(buf, "2028-02-29T12:34:56Z");
}

static void test_format_fills_exactly_pc_time_strlen(void **state)
{
	char buf[PC_TIME_STRLEN + 1];

	(void)state;
	/* PC_TIME_STRLEN must be exactly the text plus its terminator: no truncation, no slack assumed. */
	memset(buf, 'x', sizeof(buf));
	pc_time_format(1798761599, buf, PC_TIME_STRLEN);
	assert_int_equal(strlen(buf), PC_TIME_STRLEN - 1);
	assert_int_equal(buf[PC_TIME_STRLEN], 'x');
}

static void test_round_trip_text_to_time_to_text(void **state)
{
	static char const *const samples[] = {
		"1970-01-01T00:00:00Z", "2000-02-29T00:00:00Z", "2026-06-01T00:00:00Z",
		"2026-12-31T23:59:59Z", "2028-02-29T12:34:56Z", "2038-01-19T03:14:08Z",
		"2100-03-01T00:00:00Z", "9999-12-31T23:59:59Z",
	};
	char buf[PC_TIME_STRLEN];

	(void)state;
	for (size_t i = 0; i < sizeof(samples) / sizeof(samples[0]); i++) {
		pc_time_format(parse_ok(samples[i]), buf, sizeof(buf));
		assert_string_equal(buf, samples[i]);
	}
}

static void test_round_trip_time_to_text_to_time(void **state)
{
	static time_t const samples[] = { 0, 1, 59, 86399, 86400, 951782399, 1780272000, 1798761599, 4107542399LL };
	char buf[PC_TIME_STRLEN];

	(void)state;
	for (size_t i = 0; i < sizeof(samples) / sizeof(samples[0]); i++) {
		pc_time_format(samples[i], buf, sizeof(buf));
		assert_int_equal(parse_ok(buf), samples[i]);
	}
}

static void test_format_tm_writes_every_field_zero_padded(void **state)
{
	struct tm tm = { .tm_year = 2031 - 1900, .tm_mon = 0, .tm_mday = 2, .tm_hour = 3, .tm_min = 4, .tm_sec = 5 };
	char buf[PC_TIME_STRLEN];

	(void)state;
	pc_time_format_tm(&tm, buf, sizeof(buf));
	assert_string_equal(buf, "2031-01-02T03:04:05Z");
}

static void test_format_refuses_a_short_buffer_and_years_beyond_9999(void **state)
{
	struct tm tm = { .tm_year = 10000 - 1900, .tm_mon = 0, .tm_mday = 1 };
	char buf[PC_TIME_STRLEN];
	char small[PC_TIME_STRLEN - 1];

	(void)state;
	pc_time_format_tm(&tm, buf, sizeof(buf));
	assert_string_equal(buf, "(invalid time)");
	tm.tm_year = 2026 - 1900;
	pc_time_format_tm(&tm, small, sizeof(small));
	assert_string_equal(small, "(invalid time)");
	pc_time_format(253402300800LL, buf, sizeof(buf));	/* 10000-01-01T00:00:00Z */
	assert_string_equal(buf, "(invalid time)");
}

static void test_format_normalises_lowercase_input(void **state)
{
	char buf[PC_TIME_STRLEN];

	(void)state;
	/* What an admin wrote loosely is always written back in the canonical form. */
	pc_time_format(parse_ok("2026-12-31 23:59:59z"), buf, sizeof(buf));
	assert_string_equal(buf, "2026-12-31T23:59:59Z");
}

int main(void)
{
	struct CMUnitTest const tests[] = {
		cmocka_unit_test(test_parse_epoch_start),
		cmocka_unit_test(test_parse_last_second_of_2026),
		cmocka_unit_test(test_parse_first_second_of_2027),
		cmocka_unit_test(test_parse_leap_day_2028),
		cmocka_unit_test(test_parse_leap_day_2000_divisible_by_400),
		cmocka_unit_test(test_parse_after_2100_which_is_not_leap),
		cmocka_unit_test(test_parse_beyond_32_bit_time),
		cmocka_unit_test(test_parse_lowercase_z),
		cmocka_unit_test(test_parse_lowercase_t),
		cmocka_unit_test(test_parse_space_separator),
		cmocka_unit_test(test_reject_missing_z),
		cmocka_unit_test(test_reject_numeric_offsets),
		cmocka_unit_test(test_reject_february_30),
		cmocka_unit_test(test_reject_february_29_in_common_year),
		cmocka_unit_test(test_reject_day_31_in_30_day_month),
		cmocka_unit_test(test_reject_out_of_range_fields),
		cmocka_unit_test(test_reject_trailing_garbage),
		cmocka_unit_test(test_reject_leading_space),
		cmocka_unit_test(test_reject_fractional_seconds),
		cmocka_unit_test(test_reject_empty_and_null),
		cmocka_unit_test(test_reject_wrong_separators),
		cmocka_unit_test(test_reject_date_only),
		cmocka_unit_test(test_format_epoch_start),
		cmocka_unit_test(test_format_known_value),
		cmocka_unit_test(test_format_fills_exactly_pc_time_strlen),
		cmocka_unit_test(test_round_trip_text_to_time_to_text),
		cmocka_unit_test(test_round_trip_time_to_text_to_time),
		cmocka_unit_test(test_format_normalises_lowercase_input),
		cmocka_unit_test(test_format_tm_writes_every_field_zero_padded),
		cmocka_unit_test(test_format_refuses_a_short_buffer_and_years_beyond_9999),
	};

	return cmocka_run_group_tests_name("timeutil", tests, NULL, NULL);
}

/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Unit tests for core/blocklist: the block_file format, its errors (with
 * line numbers), normalisation, and the look-up of a phone authentication.
 * Needs no certificates except for the file tests' scratch directory.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "core/blocklist.h"
#include "pki_support.h"

#define PHONE_MAC "2C-31-24-C9-F8-E1"
#define OTHER_MAC "00-11-22-33-44-55"

static pc_blocklist *parse_ok(char const *text)
{
	char err[256];
	pc_blocklist *list = pc_blocklist_parse(text, strlen(text), err, sizeof(err));

	if (!list) fail_msg("pc_blocklist_parse refused \"%s\": %s", text, err);
	return list;
}

/* The text must be refused with a message containing words. */
static void assert_refused(char const *text, char const *words)
{
	char err[256] = "";
	pc_blocklist *list = pc_blocklist_parse(text, strlen(text), err, sizeof(err));

	if (list) {
		pc_blocklist_free(list);
		fail_msg("pc_blocklist_parse accepted \"%s\"", text);
	}
	if (!strstr(err, words)) fail_msg("\"%s\": expected \"%s\" in \"%s\"", text, words, err);
}

static void test_empty_and_comments(void **state)
{
	pc_blocklist *list = parse_ok("\n# only comments\n   \t\n  # indented comment\n");

	(void)state;
	assert_int_equal(pc_blocklist_count(list), 0);
	assert_null(pc_blocklist_find(list, PHONE_MAC, PHONE_MAC, "a", NULL, "01"));
	pc_blocklist_free(list);
}

static void test_mac_in_every_form(void **state)
{
	char const *forms[] = { "2c-31-24-c9-f8-e1", "2C:31:24:C9:F8:E1", "2c31.24c9.f8e1", "2C3124C9F8E1" };

	(void)state;
	for (size_t i = 0; i < sizeof(forms) / sizeof(forms[0]); i++) {
		char text[64];
		pc_blocklist *list;

		snprintf(text, sizeof(text), "mac %s\n", forms[i]);
		list = parse_ok(text);
		assert_int_equal(pc_blocklist_count(list), 1);
		assert_string_equal(pc_blocklist_entry(list, 0)->mac, PHONE_MAC);
		assert_int_equal(pc_blocklist_entry(list, 0)->kind, PC_BLOCK_MAC);
		assert_int_equal(pc_blocklist_entry(list, 0)->line, 1);
		pc_blocklist_free(list);
	}
}

static void test_device_is_its_mac(void **state)
{
	pc_blocklist *list = parse_ok("device sep2c3124c9f8e1");
	char text[64];

	(void)state;
	assert_int_equal(pc_blocklist_entry(list, 0)->kind, PC_BLOCK_DEVICE);
	assert_string_equal(pc_blocklist_entry(list, 0)->mac, PHONE_MAC);
	assert_string_equal(pc_block_entry_text(pc_blocklist_entry(list, 0), text, sizeof(text)), "device SEP2C3124C9F8E1");
	assert_non_null(pc_blocklist_find(list, PHONE_MAC, NULL, NULL, NULL, NULL));
	pc_blocklist_free(list);
}

static void test_serial_normalised(void **state)
{
	pc_blocklist *list = parse_ok("serial harbour-2026:000A1b2C\n");
	pc_block_entry const *entry = pc_blocklist_entry(list, 0);

	(void)state;
	assert_string_equal(entry->anchor, "harbour-2026");
	assert_string_equal(entry->serial, "a1b2c");
	assert_non_null(pc_blocklist_find(list, NULL, NULL, "harbour-2026", NULL, "0a1b2c"));
	assert_non_null(pc_blocklist_find(list, NULL, NULL, "harbour-2026", NULL, "A1B2C"));
	/* The same serial from another anchor is another certificate. */
	assert_null(pc_blocklist_find(list, NULL, NULL, "harbour-2021", NULL, "0a1b2c"));
	assert_null(pc_blocklist_find(list, NULL, NULL, "harbour-2026", NULL, "0a1b2d"));
	assert_null(pc_blocklist_find(list, NULL, NULL, "harbour-2026", NULL, NULL));
	pc_blocklist_free(list);
}

#define CA_FP "9c2e" "0000111122223333444455556666777788889999aaaabbbbccccddddeeee"
#define OTHER_FP "0000" "0000111122223333444455556666777788889999aaaabbbbccccddddeeee"

/* ca=: the CA certificate that issued the serial counts, whatever its section is called. */
static void test_serial_by_ca_fingerprint(void **state)
{
	pc_blocklist *list = parse_ok("serial harbour-2026:0A1B ca=9C2E0000111122223333444455556666777788889999AAAABBBBCCCCDDDDEEEE\n");
	pc_block_entry const *entry = pc_blocklist_entry(list, 0);
	char text[PC_BLOCK_LINE_MAX], reason[224];

	(void)state;
	assert_string_equal(entry->ca, CA_FP);
	assert_string_equal(pc_block_entry_text(entry, text, sizeof(text)), "serial harbour-2026:a1b ca=" CA_FP);
	assert_non_null(pc_blocklist_find(list, NULL, NULL, "another-name", CA_FP, "a1b"));
	assert_null(pc_blocklist_find(list, NULL, NULL, "harbour-2026", OTHER_FP, "a1b"));
	assert_null(pc_blocklist_find(list, NULL, NULL, "harbour-2026", NULL, "a1b"));
	pc_block_reason(entry, reason, sizeof(reason));
	assert_string_equal(reason, "blocked: serial harbour-2026:a1b (block_file line 1)");
	pc_blocklist_free(list);
	assert_refused("serial a:1 ca=9c2e\n", "ca=9c2e is not a SHA-256 fingerprint (64 hex digits)");
	assert_refused("mac " PHONE_MAC " ca=" CA_FP "\n", "unexpected text after the entry: 'ca=");
	assert_refused("serial a:1 ca=" CA_FP " extra\n", "unexpected text after the entry: 'extra'");
}

static void test_ca_makes_another_entry(void **state)
{
	pc_blocklist *list = parse_ok("serial a:1 ca=" CA_FP "\nserial a:1\nserial a:1 ca=" OTHER_FP "\n");
	pc_block_entry entry;
	char err[128];

	(void)state;
	assert_false(pc_block_entry_same(pc_blocklist_entry(list, 0), pc_blocklist_entry(list, 1)));
	assert_false(pc_block_entry_same(pc_blocklist_entry(list, 0), pc_blocklist_entry(list, 2)));
	assert_int_equal(pc_block_entry_parse("mac", PHONE_MAC, &entry, err, sizeof(err)), 0);
	assert_int_equal(pc_block_entry_set_ca(&entry, CA_FP, err, sizeof(err)), -1);
	assert_string_equal(err, "ca= names the CA of a serial entry only");
	pc_blocklist_free(list);
}

static void test_comment_and_reason(void **state)
{
	pc_blocklist *list = parse_ok("mac " PHONE_MAC "   #  stolen, ticket 4711  \r\nmac " OTHER_MAC "\n");
	char reason[224];

	(void)state;
	assert_string_equal(pc_blocklist_entry(list, 0)->comment, "stolen, ticket 4711");
	pc_block_reason(pc_blocklist_entry(list, 0), reason, sizeof(reason));
	assert_string_equal(reason, "blocked: stolen, ticket 4711");
	pc_block_reason(pc_blocklist_entry(list, 1), reason, sizeof(reason));
	assert_string_equal(reason, "blocked: mac " OTHER_MAC " (block_file line 2)");
	pc_blocklist_free(list);
}

static void test_comment_without_space(void **state)
{
	pc_blocklist *list = parse_ok("device SEP001122334455#lost");

	(void)state;
	assert_string_equal(pc_blocklist_entry(list, 0)->comment, "lost");
	pc_blocklist_free(list);
}

static void test_find_by_calling_station_id(void **state)
{
	pc_blocklist *list = parse_ok("mac " OTHER_MAC);

	(void)state;
	assert_non_null(pc_blocklist_find(list, PHONE_MAC, "00:11:22:33:44:55", NULL, NULL, NULL));
	assert_non_null(pc_blocklist_find(list, NULL, "0011.2233.4455", NULL, NULL, NULL));
	assert_null(pc_blocklist_find(list, PHONE_MAC, "not a mac", NULL, NULL, NULL));
	assert_null(pc_blocklist_find(list, NULL, NULL, NULL, NULL, NULL));
	pc_blocklist_free(list);
}

static void test_first_match_wins(void **state)
{
	pc_blocklist *list = parse_ok("serial a:1 # by serial\nmac " PHONE_MAC " # by mac\n");
	pc_block_entry const *entry = pc_blocklist_find(list, PHONE_MAC, NULL, "a", NULL, "01");

	(void)state;
	assert_non_null(entry);
	assert_string_equal(entry->comment, "by serial");
	pc_blocklist_free(list);
}

static void test_null_list_blocks_nothing(void **state)
{
	(void)state;
	assert_null(pc_blocklist_find(NULL, PHONE_MAC, PHONE_MAC, "a", NULL, "1"));
}

static void test_errors_name_the_line(void **state)
{
	(void)state;
	assert_refused("mac " PHONE_MAC "\nmca " OTHER_MAC "\n", "line 2: unknown entry 'mca': expected mac, device or serial");
	assert_refused("\n\nmac\n", "line 3: 'mac' without a value");
	assert_refused("mac # comment only\n", "line 1: 'mac' without a value");
	assert_refused("mac 2C-31-24-C9-F8-E1 stolen\n", "line 1: unexpected text after the entry: 'stolen'");
	assert_refused("mac 2C-31-24-C9-F8\n", "line 1: mac '2C-31-24-C9-F8' is not a MAC address");
	assert_refused("device 2C3124C9F8E1\n", "device '2C3124C9F8E1' is not SEP followed by 12 hex digits");
	assert_refused("device SEP2C3124C9F8EZ\n", "is not SEP followed by 12 hex digits");
	assert_refused("serial 0a1b2c\n", "is not ANCHOR:HEX");
	assert_refused("serial :0a1b2c\n", "is not ANCHOR:HEX");
	assert_refused("serial a:\n", "is not a serial number in hex");
	assert_refused("serial a:0x12\n", "is not a serial number in hex");
}

static void test_comment_must_be_plain(void **state)
{
	(void)state;
	assert_refused("mac " PHONE_MAC " # say \"accept\"\n", "a quote or a backslash (U+0022 at character 5)");
	assert_refused("mac " PHONE_MAC " # a\\b\n", "a quote or a backslash");
	assert_refused("mac " PHONE_MAC " # bell \a\n", "the comment has a control character");
	assert_refused("mac " PHONE_MAC " # tab\tinside\n", "control character, a quote or a backslash (U+0009 at character 4)");
	assert_refused("mac " PHONE_MAC " # del\x7f\n", "(U+007F at character 4)");
	assert_refused("serial a\x06" "b:01\n", "the anchor name has a control character");
	assert_refused("serial a\"b:01\n", "the anchor name has a control character, a quote");
	assert_refused("serial a\xc2\x85" "b:01\n", "the anchor name has a control character, a quote or a backslash (U+0085");
	assert_refused("serial a\xff:01\n", "the anchor name is not valid UTF-8");
}

/* C1 controls (NEL, U+0085, is a line break to some readers), the Unicode line and paragraph separators, bidi controls. */
static void test_comment_without_line_breaks(void **state)
{
	char err[256];

	(void)state;
	assert_refused("mac " PHONE_MAC " # line1\xc2\x85mac " OTHER_MAC "\n", "a control character, a quote or a backslash (U+0085 at character 6)");
	assert_refused("mac " PHONE_MAC " # a\xe2\x80\xa8" "b\n", "(U+2028 at character 2)");
	assert_refused("mac " PHONE_MAC " # a\xe2\x80\xa9" "b\n", "(U+2029 at character 2)");
	assert_refused("mac " PHONE_MAC " # \xc2\x9b" "2J\n", "(U+009B at character 1)");
	assert_refused("mac " PHONE_MAC " # gpj\xe2\x80\xae" "exe\n", "(U+202E at character 4)");
	/* What phonecert block --comment is given: a newline would start a line, and an entry, of its own. */
	assert_int_equal(pc_block_comment_check("line1\nmac " OTHER_MAC, strlen("line1\nmac " OTHER_MAC), err, sizeof(err)), -1);
	assert_string_equal(err, "the comment has a control character, a quote or a backslash (U+000A at character 6)");
	assert_int_equal(pc_block_comment_check("a\rb", 3, err, sizeof(err)), -1);
	assert_int_equal(pc_block_comment_check("a\0b", 3, err, sizeof(err)), -1);
	assert_int_equal(pc_block_comment_check("gestohlen am Empfang", 20, err, sizeof(err)), 0);
}

static void test_comment_must_be_utf8(void **state)
{
	(void)state;
	assert_refused("mac " PHONE_MAC " # caf\xe9\n", "the comment is not valid UTF-8 (byte 0xe9 at byte 4)");
	assert_refused("mac " PHONE_MAC " # \xc0\xaf\n", "not valid UTF-8 (byte 0xc0 at byte 1)");		/* overlong '/' */
	assert_refused("mac " PHONE_MAC " # \xed\xa0\x80\n", "not valid UTF-8");				/* a surrogate */
	assert_refused("mac " PHONE_MAC " # \xf4\x90\x80\x80\n", "not valid UTF-8");			/* beyond U+10FFFF */
	assert_refused("mac " PHONE_MAC " # ab\xc3\n", "not valid UTF-8 (byte 0xc3 at byte 3)");		/* cut short */
	assert_refused("mac " PHONE_MAC " # \x80\n", "not valid UTF-8");
}

/* a comment of count copies of utf8 then ascii_count 'a' */
static void comment_line(char *line, size_t size, char const *utf8, int count, int ascii_count)
{
	size_t n = (size_t)snprintf(line, size, "mac %s # ", PHONE_MAC);

	for (int i = 0; i < count; i++) n += (size_t)snprintf(line + n, size - n, "%s", utf8);
	for (int i = 0; i < ascii_count; i++) n += (size_t)snprintf(line + n, size - n, "a");
}

/* The limit counts characters; the bytes must also fit the reason "blocked: <comment>". */
static void test_comment_limit_in_characters(void **state)
{
	char line[PC_BLOCK_LINE_MAX], reason[PC_REASON_LEN];
	pc_blocklist *list;

	(void)state;
	/* 100 characters, 200 bytes: refused before, when the limit counted bytes. */
	comment_line(line, sizeof(line), "\xc3\xa9", 100, 0);
	list = parse_ok(line);
	assert_int_equal(strlen(pc_blocklist_entry(list, 0)->comment), 200);
	pc_blocklist_free(list);
	/* 160 characters in 214 bytes: as long as a comment can be, and its reason is whole. */
	comment_line(line, sizeof(line), "\xc3\xa9", 54, 106);
	list = parse_ok(line);
	pc_block_reason(pc_blocklist_entry(list, 0), reason, sizeof(reason));
	assert_int_equal(strlen(reason), strlen(PC_BLOCK_REASON_PREFIX) + 214);
	assert_string_equal(reason + strlen(PC_BLOCK_REASON_PREFIX), pc_blocklist_entry(list, 0)->comment);
	pc_blocklist_free(list);
	comment_line(line, sizeof(line), "", 0, PC_BLOCK_COMMENT_MAX + 1);
	assert_refused(line, "the comment has 161 characters, more than 160");
	comment_line(line, sizeof(line), "\xc3\xa9", 55, 105);
	assert_refused(line, "the comment takes 215 bytes in UTF-8, more than the 214 a reason holds after \"blocked: \"");
	comment_line(line, sizeof(line), "\xe6\xbc\xa2", 72, 0);	/* U+6F22, 3 bytes each: 216 */
	assert_refused(line, "216 bytes");
}

static void test_line_too_long_and_nul(void **state)
{
	char text[PC_BLOCK_LINE_MAX + 32];
	char err[256];
	char const with_nul[] = "mac 2C-31-24-C9-F8-E1\nmac \0\n";

	(void)state;
	memset(text, ' ', sizeof(text) - 1);
	text[sizeof(text) - 1] = '\0';
	assert_refused(text, "line 1: longer than");
	assert_null(pc_blocklist_parse(with_nul, sizeof(with_nul) - 1, err, sizeof(err)));
	assert_string_equal(err, "line 2: a NUL byte");
}

static void test_entry_parse_and_same(void **state)
{
	pc_block_entry mac, device, serial, other;
	char err[256];

	(void)state;
	assert_int_equal(pc_block_entry_parse("mac", "2c:31:24:c9:f8:e1", &mac, err, sizeof(err)), 0);
	assert_int_equal(pc_block_entry_parse("device", "SEP2C3124C9F8E1", &device, err, sizeof(err)), 0);
	assert_int_equal(pc_block_entry_parse("serial", "a:2c3124c9f8e1", &serial, err, sizeof(err)), 0);
	assert_int_equal(pc_block_entry_parse("mac", OTHER_MAC, &other, err, sizeof(err)), 0);
	assert_true(pc_block_entry_same(&mac, &device));
	assert_false(pc_block_entry_same(&mac, &serial));
	assert_false(pc_block_entry_same(&mac, &other));
	assert_int_equal(pc_block_entry_parse("ip", "10.0.0.1", &other, err, sizeof(err)), -1);
	assert_int_equal(pc_block_entry_parse("mac", "", &other, err, sizeof(err)), -1);
}

static void test_load_names_file_and_line(void **state)
{
	char const *path = scratch_file("blocked");
	FILE *file = fopen(path, "w");
	char err[1024], expected[1200];
	pc_blocklist *list;

	(void)state;
	assert_non_null(file);
	fputs("mac " PHONE_MAC " # ok\n\nserial nope\n", file);
	fclose(file);
	assert_null(pc_blocklist_load(path, err, sizeof(err)));
	snprintf(expected, sizeof(expected), "%s[3]: serial 'nope' is not ANCHOR:HEX", path);
	if (strncmp(err, expected, strlen(expected)) != 0) fail_msg("expected \"%s...\", got \"%s\"", expected, err);

	file = fopen(path, "w");
	assert_non_null(file);
	fputs("mac " PHONE_MAC " # ok", file);	/* no final newline */
	fclose(file);
	list = pc_blocklist_load(path, err, sizeof(err));
	assert_non_null(list);
	assert_int_equal(pc_blocklist_count(list), 1);
	pc_blocklist_free(list);

	/* A comment edited by hand with a line break of its own (U+0085) is refused with its file and line. */
	file = fopen(path, "w");
	assert_non_null(file);
	fputs("mac " PHONE_MAC " # ok\nmac " OTHER_MAC " # lost\xc2\x85mac 00-00-00-00-00-01\n", file);
	fclose(file);
	assert_null(pc_blocklist_load(path, err, sizeof(err)));
	snprintf(expected, sizeof(expected), "%s[2]: the comment has a control character, a quote or a backslash (U+0085", path);
	if (strncmp(err, expected, strlen(expected)) != 0) fail_msg("expected \"%s...\", got \"%s\"", expected, err);

	assert_null(pc_blocklist_load(scratch_file("missing"), err, sizeof(err)));
	assert_non_null(strstr(err, "No such file or directory"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_empty_and_comments),
		cmocka_unit_test(test_mac_in_every_form),
		cmocka_unit_test(test_device_is_its_mac),
		cmocka_unit_test(test_serial_normalised),
		cmocka_unit_test(test_serial_by_ca_fingerprint),
		cmocka_unit_test(test_ca_makes_another_entry),
		cmocka_unit_test(test_comment_and_reason),
		cmocka_unit_test(test_comment_without_space),
		cmocka_unit_test(test_find_by_calling_station_id),
		cmocka_unit_test(test_first_match_wins),
		cmocka_unit_test(test_null_list_blocks_nothing),
		cmocka_unit_test(test_errors_name_the_line),
		cmocka_unit_test(test_comment_must_be_plain),
		cmocka_unit_test(test_comment_without_line_breaks),
		cmocka_unit_test(test_comment_must_be_utf8),
		cmocka_unit_test(test_comment_limit_in_characters),
		cmocka_unit_test(test_line_too_long_and_nul),
		cmocka_unit_test(test_entry_parse_and_same),
		cmocka_unit_test(test_load_names_file_and_line),
	};

	return cmocka_run_group_tests_name("blocklist", tests, pki_group_setup, pki_group_teardown);
}

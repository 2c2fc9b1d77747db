/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Unit tests for core/fleetlist: the fleet block list made from the
 * database's rows (fail static: only a recorded unblock lifts an entry),
 * hostile rows, the local copy and the list in force.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/fleetlist.h"

#define PHONE_MAC "2C-31-24-C9-F8-E1"
#define OTHER_MAC "00-11-22-33-44-55"
#define CA_FP "9c2e0000111122223333444455556666777788889999aaaabbbbccccddddeeee"
#define READ_AT 1767225600	/* 2026-01-01T00:00:00Z */

/* What a build told, one line per change: "added ...", "kept ...". */
typedef struct {
	char text[8192];
	size_t counts[4];
} told;

static void remember(void *ctx, pc_fleet_change change, char const *message)
{
	static char const *const names[] = { "added", "lifted", "kept", "refused" };
	told *t = ctx;
	size_t used = strlen(t->text);

	t->counts[change]++;
	snprintf(t->text + used, sizeof(t->text) - used, "%s %s\n", names[change], message);
}

static pc_fleet_list build(pc_blocklist const *previous, pc_fleet_row const *rows, size_t count, told *t)
{
	pc_fleet_list out;
	char err[256];

	memset(t, 0, sizeof(*t));
	if (pc_fleet_build(previous, rows, count, READ_AT, remember, t, &out, err, sizeof(err)) < 0) {
		fail_msg("pc_fleet_build failed: %s", err);
	}
	return out;
}

static bool blocks_mac(pc_blocklist const *list, char const *mac)
{
	return pc_blocklist_find(list, mac, NULL, NULL, NULL, NULL) != NULL;
}

/* No message carries a control character, whatever the rows held. */
static void assert_plain(char const *text)
{
	for (unsigned char const *p = (unsigned char const *)text; *p; p++) {
		if (*p < 0x20 && *p != '\n') fail_msg("control character 0x%02x in: %s", *p, text);
		if (*p == 0x7f) fail_msg("DEL in: %s", text);
	}
}

static pc_fleet_row const in_force[] = {
	{ .id = 1, .kind = "mac", .value = "2c:31:24:c9:f8:e1", .comment = "stolen, ticket 4711" },
	{ .id = 2, .kind = "device", .value = "SEP001122334455" },
	{ .id = 3, .kind = "serial", .value = "harbour-2026:0A1B", .ca = CA_FP, .comment = "leaked" },
};

static void test_rows_in_force_block(void **state)
{
	told t;
	pc_fleet_list fleet = build(NULL, in_force, 3, &t);
	char reason[224];

	(void)state;
	assert_int_equal(pc_blocklist_count(fleet.list), 3);
	assert_true(blocks_mac(fleet.list, PHONE_MAC));
	assert_true(blocks_mac(fleet.list, OTHER_MAC));
	/* By the CA certificate's fingerprint: a server whose section is named otherwise still refuses it. */
	assert_non_null(pc_blocklist_find(fleet.list, NULL, NULL, "harbour", CA_FP, "a1b"));
	pc_block_reason(pc_blocklist_entry(fleet.list, 1), reason, sizeof(reason));
	assert_string_equal(reason, "blocked: device SEP001122334455 (fleet block list)");
	/* Nothing held before: the first read is not told entry by entry. */
	assert_int_equal(t.counts[PC_FLEET_ADDED], 0);
	assert_string_equal(t.text, "");
	pc_fleet_list_free(&fleet);
}

static void test_lifted_rows_do_not_block(void **state)
{
	pc_fleet_row rows[] = {
		{ .id = 1, .kind = "mac", .value = PHONE_MAC, .lifted = true },
		{ .id = 2, .kind = "mac", .value = OTHER_MAC, .lifted = true },
		{ .id = 3, .kind = "mac", .value = OTHER_MAC, .comment = "blocked again" },
	};
	told t;
	pc_fleet_list fleet = build(NULL, rows, 3, &t);

	(void)state;
	assert_false(blocks_mac(fleet.list, PHONE_MAC));
	assert_true(blocks_mac(fleet.list, OTHER_MAC));
	assert_int_equal(pc_blocklist_count(fleet.list), 1);
	pc_fleet_list_free(&fleet);
}

/* Fail static: an empty read, or rows gone without an unblock, leave what was held in force. */
static void test_vanished_rows_are_kept(void **state)
{
	told t;
	pc_fleet_list first = build(NULL, in_force, 3, &t), second;

	(void)state;
	second = build(first.list, NULL, 0, &t);
	assert_int_equal(pc_blocklist_count(second.list), 3);
	assert_true(blocks_mac(second.list, PHONE_MAC));
	assert_int_equal(t.counts[PC_FLEET_KEPT], 3);
	assert_non_null(strstr(t.text, "kept mac " PHONE_MAC ": kept in force, although no row of the database names it"));
	/* The comment goes with it. */
	assert_string_equal(pc_blocklist_entry(second.list, 0)->comment, "stolen, ticket 4711");
	pc_fleet_list_free(&first);
	pc_fleet_list_free(&second);
}

/* Only a recorded unblock lifts an entry. */
static void test_recorded_unblock_lifts(void **state)
{
	pc_fleet_row rows[] = {
		{ .id = 1, .kind = "mac", .value = PHONE_MAC, .lifted = true },
		{ .id = 4, .kind = "mac", .value = "02-00-00-00-00-09" },
	};
	told t;
	pc_fleet_list first = build(NULL, in_force, 3, &t), second;

	(void)state;
	second = build(first.list, rows, 2, &t);
	assert_false(blocks_mac(second.list, PHONE_MAC));
	assert_true(blocks_mac(second.list, OTHER_MAC));		/* no row names it: kept */
	assert_true(blocks_mac(second.list, "02-00-00-00-00-09"));
	assert_int_equal(t.counts[PC_FLEET_LIFTED], 1);
	assert_int_equal(t.counts[PC_FLEET_ADDED], 1);
	assert_int_equal(t.counts[PC_FLEET_KEPT], 2);
	assert_non_null(strstr(t.text, "lifted mac " PHONE_MAC ": unblocked (recorded in the database)\n"));
	assert_non_null(strstr(t.text, "added row 4: mac 02-00-00-00-00-09\n"));
	pc_fleet_list_free(&first);
	pc_fleet_list_free(&second);
}

/* What a writer with the admin role may put in: told escaped, never let through as an entry it is not. */
static void test_hostile_rows(void **state)
{
	pc_fleet_row rows[] = {
		{ .id = 7, .kind = "mac", .value = "2c:31:24:c9:f8:e1\n" "phonecert: accept device=SEP001122334455" },
		{ .id = 8, .kind = "mac\x1b[2J", .value = PHONE_MAC },
		{ .id = 9, .kind = "mac", .value = OTHER_MAC, .comment = "fine\nphonecert: accept device=SEP" },
		{ .id = 10, .kind = "serial", .value = "harbour-2026:0a1b" },
		{ .id = 11, .kind = "serial", .value = "my anchor:0a1b", .ca = CA_FP },
		{ .id = 12, .kind = NULL, .value = NULL },
		{ .id = 13, .kind = "serial", .value = "harbour-2026:0a1b", .ca = "not\ta fingerprint" },
	};
	told t;
	pc_fleet_list fleet = build(NULL, rows, sizeof(rows) / sizeof(rows[0]), &t);

	(void)state;
	assert_int_equal(pc_blocklist_count(fleet.list), 1);
	/* The comment that would make a second log line is dropped; the entry still blocks. */
	assert_true(blocks_mac(fleet.list, OTHER_MAC));
	assert_string_equal(pc_blocklist_entry(fleet.list, 0)->comment, "");
	assert_int_equal(t.counts[PC_FLEET_REFUSED], 7);
	assert_plain(t.text);
	assert_non_null(strstr(t.text, "refused row 7 blocks nothing: its value '2c:31:24:c9:f8:e1\\x0aphonecert: accept"));
	assert_non_null(strstr(t.text, "refused row 8 blocks nothing: unknown entry 'mac\\x1b[2J'"));
	assert_non_null(strstr(t.text, "refused row 9 (mac " OTHER_MAC "): its comment is left out: the comment has a control character"));
	assert_non_null(strstr(t.text, "refused row 10 blocks nothing: ca= is not a SHA-256 fingerprint"));
	assert_non_null(strstr(t.text, "refused row 11 blocks nothing: its value 'my anchor:0a1b' holds a blank or a #"));
	assert_non_null(strstr(t.text, "refused row 13 blocks nothing: ca=not\\x09a fingerprint"));
	pc_fleet_list_free(&fleet);
}

static void test_copy_reads_back(void **state)
{
	told t;
	pc_fleet_list fleet = build(NULL, in_force, 3, &t);
	pc_blocklist *copy;
	time_t read_at = 0;
	char err[256];

	(void)state;
	assert_non_null(strstr(fleet.copy, "\n# read 2026-01-01T00:00:00Z\nmac " PHONE_MAC "  # stolen, ticket 4711\n"));
	assert_non_null(strstr(fleet.copy, "\nserial harbour-2026:a1b ca=" CA_FP "  # leaked\n# end: 3 entries\n"));
	copy = pc_fleet_copy_parse(fleet.copy, fleet.copy_len, &read_at, err, sizeof(err));
	assert_non_null(copy);
	assert_int_equal(read_at, READ_AT);
	assert_int_equal(pc_blocklist_count(copy), 3);
	assert_true(pc_blocklist_entry(copy, 2)->fleet);
	pc_blocklist_free(copy);
	pc_fleet_list_free(&fleet);
}

static void assert_copy_refused(char const *text, char const *words)
{
	time_t read_at;
	char err[256] = "";
	pc_blocklist *list = pc_fleet_copy_parse(text, strlen(text), &read_at, err, sizeof(err));

	if (list) {
		pc_blocklist_free(list);
		fail_msg("accepted the copy \"%s\"", text);
	}
	if (!strstr(err, words)) fail_msg("expected \"%s\" in \"%s\"", words, err);
}

/* A copy cut short, edited or not a copy at all is refused, never read as a shorter list. */
static void test_damaged_copy_refused(void **state)
{
	told t;
	pc_fleet_list fleet = build(NULL, in_force, 3, &t);
	char *text = strdup(fleet.copy);
	char *last;

	(void)state;
	*strstr(text, "# end:") = '\0';
	assert_copy_refused(text, "the copy is cut short or was edited");
	last = strrchr(fleet.copy, '\n');
	*last = '\0';		/* the trailer without its newline: written by no radiusd */
	assert_copy_refused(fleet.copy, "the last line is not");
	*last = '\n';
	free(text);
	assert_copy_refused("mac " PHONE_MAC "\n", "line 1: not the header of a fleet block list copy");
	assert_copy_refused("", "line 1: not the header");
	text = strdup(fleet.copy);
	memcpy(strstr(text, "2026-01-01"), "2026-13-01", 10);
	assert_copy_refused(text, "line 2: not \"# read TIME\"");
	free(text);
	pc_fleet_list_free(&fleet);
}

static void test_copy_needs_ca_on_serials(void **state)
{
	told t;
	pc_fleet_list fleet = build(NULL, in_force, 3, &t);
	char *text = strdup(fleet.copy), *ca = strstr(text, " ca=");

	(void)state;
	memmove(ca, ca + 4 + 64, strlen(ca + 4 + 64) + 1);
	assert_copy_refused(text, "line 5: a serial entry without ca=");
	free(text);
	pc_fleet_list_free(&fleet);
}

/* Before any list is loaded every phone is refused; then the list in force decides. */
static void test_list_in_force(void **state)
{
	pc_fleet_blocklist *held = pc_fleet_blocklist_new();
	told t;
	pc_fleet_list fleet = build(NULL, in_force, 3, &t);
	char reason[224];

	(void)state;
	assert_null(pc_fleet_blocklist_held(held));
	/* Not loaded yet: fail static, it blocks nothing (block_file still does). */
	assert_int_equal(pc_fleet_blocklist_check(held, PHONE_MAC, NULL, NULL, NULL, NULL, reason, sizeof(reason)), 0);
	pc_fleet_blocklist_replace(held, fleet.list);
	fleet.list = NULL;
	assert_int_equal(pc_fleet_blocklist_check(held, NULL, "2c31.24c9.f8e1", NULL, NULL, NULL, reason, sizeof(reason)), 1);
	assert_string_equal(reason, "blocked: stolen, ticket 4711");
	assert_int_equal(pc_fleet_blocklist_check(held, "02-00-00-00-00-01", NULL, "a", CA_FP, "1", reason, sizeof(reason)), 0);
	pc_fleet_list_free(&fleet);
	pc_fleet_blocklist_free(held);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rows_in_force_block),
		cmocka_unit_test(test_lifted_rows_do_not_block),
		cmocka_unit_test(test_vanished_rows_are_kept),
		cmocka_unit_test(test_recorded_unblock_lifts),
		cmocka_unit_test(test_hostile_rows),
		cmocka_unit_test(test_copy_reads_back),
		cmocka_unit_test(test_damaged_copy_refused),
		cmocka_unit_test(test_copy_needs_ca_on_serials),
		cmocka_unit_test(test_list_in_force),
	};

	return cmocka_run_group_tests_name("fleetlist", tests, NULL, NULL);
}

/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Unit tests for core/phonelist: CUCM's phone export as CSV (the field names
 * of Cisco's Bulk Administration Guide, "Export File Fields for All Phone
 * Details Option"), a plain list, devices that are no phone, invalid rows
 * with their lines, and the files refused with theirs.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/phonelist.h"

/* The start of CUCM's All Details header, as the guide lists its fields. */
#define CUCM_HEADER "Device Name,Description,Device Pool,Phone Template,CSS,AAR CSS,Location,Extension Mobility," \
	"Network Locale,Media Resource Group List,User Hold Audio Source,Network Hold Audio Source,Device User Locale," \
	"Signal Packet Capture Mode,Packet Capture Duration,Built in Bridge,Privacy,Retry Video Call as Audio," \
	"Ignore Presentation Indicators,Softkey Template,Module 1,Module 2,Phone Load Name,Module 1 Load Name," \
	"Module 2 Load Name,Information,Directory,Messages,Services,Authentication Server,Proxy Server,Idle,Idle Timer," \
	"MLPP Indication,MLPP Preemption,MLPP Domain,Device Type,User ID,Common Profile,Owner User ID"

/* A row of that header: name, description (a CSV cell, quoted if need be), pool, model; the rest empty. */
#define CUCM_ROW(name, description, pool, model) \
	name "," description "," pool ",Standard 8845 SIP,,,Hub_None,,,,,,,,,,,,,,,,,,,,,,,,,,,,,," model ",,,jsmith"

static pc_phonelist *read_text(char const *text, size_t n, char *err, size_t len)
{
	FILE *in = fmemopen((void *)text, n, "r");
	pc_phonelist *list;

	assert_non_null(in);
	list = pc_phonelist_read(in, "cucm.csv", err, len);
	fclose(in);
	return list;
}

static pc_phonelist *read_ok(char const *text)
{
	char err[512] = "";
	pc_phonelist *list = read_text(text, strlen(text), err, sizeof(err));

	if (!list) fail_msg("refused: %s", err);
	return list;
}

/* text (n bytes) must be refused with exactly expected. */
static void assert_refused(char const *text, size_t n, char const *expected)
{
	char err[512] = "";
	pc_phonelist *list = read_text(text, n, err, sizeof(err));

	if (list) {
		pc_phonelist_free(list);
		fail_msg("accepted, expected \"%s\"", expected);
	}
	if (strcmp(err, expected) != 0) fail_msg("expected \"%s\", got \"%s\"", expected, err);
}

static void test_cucm_export(void **state)
{
	static char const text[] =
		"\xef\xbb\xbf" CUCM_HEADER "\r\n"
		CUCM_ROW("SEP2C3124C9F8E1", "\"Reception, front desk \"\"A\"\"\"", "DP_Harbour", "Cisco 8845") "\r\n"
		CUCM_ROW("CSFJSMITH", "Jabber jsmith", "DP_Harbour", "Cisco Unified Client Services Framework") "\r\n"
		CUCM_ROW("sep00aabbccddee", "", "DP_Branch", "Cisco 7841") "\r\n"
		CUCM_ROW("BOTJSMITH", "", "DP_Harbour", "Cisco Dual Mode for Android") "\r\n"
		CUCM_ROW("ATA00112233445501", "Fax", "DP_Harbour", "Cisco ATA 191") "\r\n"
		CUCM_ROW("SEP12345", "typo", "DP_Harbour", "Cisco 8845") "\r\n"
		CUCM_ROW("", "no name", "DP_Harbour", "Cisco 8845") "\r\n"
		"\r\n"
		CUCM_ROW("csfmjones", "", "DP_Harbour", "Cisco Unified Client Services Framework") "\r\n";
	pc_phonelist *list = read_ok(text);

	(void)state;
	assert_int_equal(list->phone_count, 2);
	assert_string_equal(list->phones[0].device_name, "SEP2C3124C9F8E1");
	assert_string_equal(list->phones[0].mac, "2C-31-24-C9-F8-E1");
	assert_string_equal(list->phones[0].description, "Reception, front desk \"A\"");
	assert_string_equal(list->phones[0].device_pool, "DP_Harbour");
	assert_string_equal(list->phones[0].model, "Cisco 8845");
	assert_int_equal(list->phones[0].line, 2);
	assert_string_equal(list->phones[1].device_name, "SEP00AABBCCDDEE");
	assert_null(list->phones[1].description);
	assert_int_equal(list->phones[1].line, 4);

	assert_int_equal(list->skipped_count, 3);
	assert_string_equal(list->skipped[0].prefix, "ATA");
	assert_int_equal(list->skipped[0].devices, 1);
	assert_string_equal(list->skipped[1].prefix, "BOT");
	assert_string_equal(list->skipped[2].prefix, "CSF");
	assert_int_equal(list->skipped[2].devices, 2);
	assert_int_equal(pc_phonelist_skipped_total(list), 4);

	assert_int_equal(list->invalid_count, 2);
	assert_int_equal(list->invalid[0].line, 7);
	assert_string_equal(list->invalid[0].device, "SEP12345");
	assert_string_equal(list->invalid[0].problem, "a phone's device name is SEP and 12 hex digits");
	assert_int_equal(list->invalid[1].line, 8);
	assert_string_equal(list->invalid[1].device, "");
	assert_int_equal(list->lines, 10);
	pc_phonelist_free(list);
}

static void test_plain_list_and_quoted_line_breaks(void **state)
{
	pc_phonelist *list = read_ok("model,name,notes\n"
				     "CP-8865,SEP001122334455,\"two\nlines\"\n"
				     "CP-7841,  SEP0000ABCDEF01 \n"
				     "CP-7841,TAPS Port 1\n"
				     "CP-7841,1234\n");

	(void)state;
	assert_int_equal(list->phone_count, 2);
	assert_string_equal(list->phones[0].model, "CP-8865");
	assert_int_equal(list->phones[0].line, 2);
	assert_string_equal(list->phones[1].device_name, "SEP0000ABCDEF01");
	assert_int_equal(list->phones[1].line, 4);
	assert_int_equal(list->skipped_count, 2);
	assert_string_equal(list->skipped[0].prefix, "");	/* 1234 */
	assert_string_equal(list->skipped[1].prefix, "TAP");
	pc_phonelist_free(list);

	list = read_ok("DEVICE\nSEP001122334455");	/* no line end at the end; upper-case header */
	assert_int_equal(list->phone_count, 1);
	pc_phonelist_free(list);
}

static void test_header_only_is_an_empty_list(void **state)
{
	pc_phonelist *list = read_ok("\xef\xbb\xbf\"Device Name\",\"Description\"\r\n");

	(void)state;
	assert_int_equal(list->phone_count, 0);
	assert_int_equal(list->invalid_count, 0);
	pc_phonelist_free(list);
}

static void test_carried_cells_are_cut_between_characters(void **state)
{
	size_t n = 2 * PC_LIST_MAX_CELL;
	char *text = malloc(n + 64);
	pc_phonelist *list;
	size_t kept;

	(void)state;
	assert_non_null(text);
	strcpy(text, "name,description\nSEP001122334455,x");
	for (size_t i = 0; i < n / 2; i++) strcat(text, "\xc3\xa9");	/* é: two bytes, the cut falls inside one */
	list = read_ok(text);
	kept = strlen(list->phones[0].description);
	assert_true(kept <= PC_LIST_MAX_CELL && kept >= PC_LIST_MAX_CELL - 1);
	assert_int_equal(kept % 2, 1);	/* "x" and whole characters */
	pc_phonelist_free(list);
	free(text);
}

static void test_refused_files_name_file_and_line(void **state)
{
	static char const not_utf8[] = "name,description\nSEP001122334455,ok\nSEP001122334466,\"caf\xe9,\nbar\"\n";
	static char const nul[] = "name\nSEP001122334455\n\0\n";
	static char const utf16[] = "\xff\xfe" "n\0a\0m\0e\0";

	(void)state;
	assert_refused("", 0, "cucm.csv[1]: no header row: the first line names the columns, one of them the device "
		       "(\"Device Name\" in CUCM's export, or \"name\" or \"device\")");
	assert_refused("\n\r\n", 3, "cucm.csv[3]: no header row: the first line names the columns, one of them the device "
		       "(\"Device Name\" in CUCM's export, or \"name\" or \"device\")");
	assert_refused("SEP001122334455,Reception\n", 26, "cucm.csv[1]: no device column in the header row (\"Device Name\" in "
		       "CUCM's export, or \"name\" or \"device\"); its first cell is \"SEP001122334455\"");
	assert_refused("\x1b[2J,x\n", 7, "cucm.csv[1]: no device column in the header row (\"Device Name\" in "
		       "CUCM's export, or \"name\" or \"device\"); its first cell is \"\\x1b[2J\"");
	assert_refused(not_utf8, sizeof(not_utf8) - 1, "cucm.csv[3]: not UTF-8 (a byte 0xE9): save the list as UTF-8");
	assert_refused(nul, sizeof(nul) - 1, "cucm.csv[3]: a NUL byte: not a text file");
	assert_refused(utf16, sizeof(utf16) - 1, "cucm.csv[1]: UTF-16 (byte order mark FF FE): save the list as UTF-8");
	assert_refused("name\nSEP001122334455,\"never\nends\n", 32, "cucm.csv[2]: a quoted field that never ends");
}

static void test_overlong_record(void **state)
{
	size_t n = PC_LIST_MAX_RECORD + 100;
	char *text = malloc(n);
	char expected[256];

	(void)state;
	assert_non_null(text);
	memcpy(text, "name\nSEP001122334455\nSEP", 24);
	memset(text + 24, 'A', n - 24);
	snprintf(expected, sizeof(expected), "cucm.csv[3]: a record of more than %d bytes: not a phone list, or a quote "
		 "that never closes", PC_LIST_MAX_RECORD);
	assert_refused(text, n, expected);
	free(text);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cucm_export),
		cmocka_unit_test(test_plain_list_and_quoted_line_breaks),
		cmocka_unit_test(test_header_only_is_an_empty_list),
		cmocka_unit_test(test_carried_cells_are_cut_between_characters),
		cmocka_unit_test(test_refused_files_name_file_and_line),
		cmocka_unit_test(test_overlong_record),
	};

	return cmocka_run_group_tests_name("phonelist", tests, NULL, NULL);
}

/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Unit tests for core/seal: the fleet's key ring (fleet_secret_file) and the
 * seal on a cached TLS session: made with the first key, checked with any,
 * broken by any change of what it covers, never by the order of the cached
 * values. The encoding is pinned by a known answer (computed apart, with
 * Python's hmac over the encoding seal.h describes): servers of two
 * phonecert versions in one fleet must seal alike.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/seal.h"

#define KEY_A	"000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"
#define KEY_B	"f0e0d0c0b0a090807060504030201000f1e1d1c1b1a191817161514131211101"
/* A secret no message may ever quote. */
#define KEY_TELLTALE "7e11da1e7e11da1e7e11da1e7e11da1e7e11da1e7e11da1e7e11da1e7e11da1e"

static unsigned char session_id[32], master_key[48], peer[32];

static pc_sealed_value values[] = {
	{ "Phonecert-MAC", (unsigned char const *)"2C-31-24-C9-F8-E1", 17 },
	{ "Phonecert-Anchor", (unsigned char const *)"cluster-a", 9 },
	{ "Phonecert-Decided", (unsigned char const *)"1", 1 },
};

static pc_seal_input session(void)
{
	memset(session_id, 1, sizeof(session_id));
	memset(master_key, 2, sizeof(master_key));
	memset(peer, 3, sizeof(peer));
	return (pc_seal_input) {
		.session_id = session_id, .session_id_len = sizeof(session_id),
		.master_key = master_key, .master_key_len = sizeof(master_key),
		.protocol_version = 0x0303, .cipher_id = 0x0300C030, .peer_sha256 = peer,
		.start_time = 1700000000, .timeout = 86400,
		.values = values, .value_count = sizeof(values) / sizeof(values[0]),
	};
}

static pc_keyring *ring_of(char const *text)
{
	char err[256];
	pc_keyring *ring = pc_keyring_parse(text, strlen(text), err, sizeof(err));

	if (!ring) fail_msg("refused \"%s\": %s", text, err);
	return ring;
}

static void assert_ring_refused(char const *text, char const *words)
{
	char err[256] = "";
	pc_keyring *ring = pc_keyring_parse(text, strlen(text), err, sizeof(err));

	if (ring) {
		pc_keyring_free(ring);
		fail_msg("accepted \"%s\"", text);
	}
	if (!strstr(err, words)) fail_msg("\"%s\": expected \"%s\" in \"%s\"", text, words, err);
	if (strstr(err, "7e11")) fail_msg("the message quotes a secret: %s", err);
}

static void seal_with(pc_keyring const *ring, pc_seal_input const *in, char seal[PC_SEAL_STRLEN])
{
	assert_true(pc_seal_make(ring, in, seal, PC_SEAL_STRLEN));
}

static void assert_seal_ok(pc_keyring const *ring, pc_seal_input const *in, char const *seal)
{
	char why[512];
	char const *problem = pc_seal_problem(ring, in, seal, why, sizeof(why));

	if (problem) fail_msg("seal %s refused: %s", seal, problem);
}

static void assert_seal_refused(pc_keyring const *ring, pc_seal_input const *in, char const *seal, char const *words)
{
	char why[512];
	char const *problem = pc_seal_problem(ring, in, seal, why, sizeof(why));

	if (!problem) fail_msg("seal %s accepted", seal ? seal : "(none)");
	if (!strstr(problem, words)) fail_msg("expected \"%s\" in \"%s\"", words, problem);
}

static void test_ring_of_two(void **state)
{
	pc_keyring *ring = ring_of("# the fleet's keys\n\nfleet-2027 " KEY_B "\r\n  fleet-2026\t" KEY_A "  # old\n");

	(void)state;
	assert_int_equal(pc_keyring_count(ring), 2);
	assert_string_equal(pc_keyring_sealing_id(ring), "fleet-2027");
	pc_keyring_free(ring);
}

static void test_ring_errors(void **state)
{
	char many[32 * 100] = "";

	(void)state;
	assert_ring_refused("", "no key");
	assert_ring_refused("# nothing\n\n", "no key");
	assert_ring_refused(KEY_TELLTALE "\n", "line 1: a key is two words, KEY-ID SECRET");
	assert_ring_refused("a " KEY_A "\nb " KEY_TELLTALE " extra\n", "line 2: a key is two words");
	assert_ring_refused("bad/id " KEY_TELLTALE "\n", "line 1: the KEY-ID is not 1 to 32 letters");
	assert_ring_refused("abcdefghijklmnopqrstuvwxyz0123456 " KEY_A "\n", "the KEY-ID is not 1 to 32");
	assert_ring_refused("short 7e11da1e7e11da1e7e11da1e7e11da1e7e11da1e7e11da1e7e11da1e7e11da\n",
			    "the secret is not 32 to 64 bytes in hex");
	assert_ring_refused("nothex 7e11da1e7e11da1e7e11da1e7e11da1e7e11da1e7e11da1e7e11da1e7e11da1x\n", "not 32 to 64 bytes");
	assert_ring_refused("odd " KEY_A "0\n", "not 32 to 64 bytes");
	assert_ring_refused("long " KEY_A KEY_A "00\n", "not 32 to 64 bytes");
	assert_ring_refused("twice " KEY_A "\ntwice " KEY_B "\n", "line 2: KEY-ID twice is on an earlier line too");
	for (int i = 0; i <= PC_SEAL_KEYS_MAX; i++) {
		char line[100];

		snprintf(line, sizeof(line), "k%d %s\n", i, KEY_A);
		strcat(many, line);
	}
	assert_ring_refused(many, "line 17: more than 16 keys");
}

static void test_ring_bounds_accepted(void **state)
{
	pc_keyring *ring = ring_of("a.b_c-D9 " KEY_A KEY_B "\nabcdefghijklmnopqrstuvwxyz012345 " KEY_A "\n");

	(void)state;
	assert_int_equal(pc_keyring_count(ring), 2);
	pc_keyring_free(ring);
}

static void test_load_names_file_and_line(void **state)
{
	char path[] = "/tmp/phonecert-seal.XXXXXX", err[512];
	int fd = mkstemp(path);
	FILE *file = fdopen(fd, "w");

	(void)state;
	assert_non_null(file);
	fputs("good " KEY_A "\nbad\n", file);
	fclose(file);
	assert_null(pc_keyring_load(path, err, sizeof(err)));
	assert_non_null(strstr(err, path));
	assert_non_null(strstr(err, "[2]: a key is two words"));
	unlink(path);
	assert_null(pc_keyring_load(path, err, sizeof(err)));
	assert_non_null(strstr(err, "No such file"));
}

/* The encoding, pinned: see the file's comment. */
static void test_known_answer(void **state)
{
	pc_keyring *ring = ring_of("k " KEY_A "\n");
	pc_seal_input in = session();
	char seal[PC_SEAL_STRLEN];

	(void)state;
	seal_with(ring, &in, seal);
	assert_string_equal(seal, "k:d4e3cbe37e54b19e18ff2461ea1e1b85f724026a68d0a5af1a26fbac2615dfba");
	assert_seal_ok(ring, &in, seal);
	pc_keyring_free(ring);
}

static void assert_broken_by(pc_keyring const *ring, pc_seal_input const *changed, char const *seal, char const *what)
{
	char why[512];
	char const *problem = pc_seal_problem(ring, changed, seal, why, sizeof(why));

	if (!problem || !strstr(problem, "does not match it")) fail_msg("%s: %s", what, problem ? problem : "the seal still checks");
}

/* Each thing the seal covers, changed alone, breaks it. */
static void test_every_field_counts(void **state)
{
	pc_keyring *ring = ring_of("k " KEY_A "\n");
	pc_seal_input in = session(), changed;
	pc_sealed_value other[3];
	unsigned char other_peer[32];
	char seal[PC_SEAL_STRLEN];

	(void)state;
	seal_with(ring, &in, seal);
	memset(other_peer, 4, sizeof(other_peer));
#define BROKEN(what, change) do { changed = session(); change; assert_broken_by(ring, &changed, seal, what); } while (0)
	BROKEN("session id", session_id[31] ^= 1);
	BROKEN("session id length", changed.session_id_len = 31);
	BROKEN("master key", master_key[0] ^= 0x80);
	BROKEN("version", changed.protocol_version = 0x0304);
	BROKEN("cipher", changed.cipher_id = 0x0300C02F);
	BROKEN("peer", changed.peer_sha256 = other_peer);
	BROKEN("no peer", changed.peer_sha256 = NULL);
	BROKEN("start", changed.start_time = 1700000001);
	BROKEN("timeout", changed.timeout = 86400 * 365);
	BROKEN("a value removed", changed.value_count = 2);
	memcpy(other, values, sizeof(other));
	other[0].value = (unsigned char const *)"2C-31-24-C9-F8-E2";
	BROKEN("a value changed", changed.values = other);
	memcpy(other, values, sizeof(other));
	other[1].name = "Phonecert-Device-Name";
	BROKEN("a value renamed", changed.values = other);
#undef BROKEN
	assert_seal_ok(ring, &in, seal);
	pc_keyring_free(ring);
}

static void test_value_order_does_not_count(void **state)
{
	pc_keyring *ring = ring_of("k " KEY_A "\n");
	pc_seal_input in = session(), reordered = session();
	pc_sealed_value reversed[3] = { values[2], values[1], values[0] };
	char seal[PC_SEAL_STRLEN];

	(void)state;
	seal_with(ring, &in, seal);
	reordered.values = reversed;
	assert_seal_ok(ring, &reordered, seal);
	pc_keyring_free(ring);
}

/* Name and value are apart: "a" = "bc" is not "ab" = "c"; a value added twice counts twice. */
static void test_encoding_is_unambiguous(void **state)
{
	pc_keyring *ring = ring_of("k " KEY_A "\n");
	pc_sealed_value one = { "a", (unsigned char const *)"bc", 2 }, two = { "ab", (unsigned char const *)"c", 1 };
	pc_sealed_value twice[2] = { one, one };
	pc_seal_input in = session();
	char seal[PC_SEAL_STRLEN];

	(void)state;
	in.values = &one;
	in.value_count = 1;
	seal_with(ring, &in, seal);
	in.values = &two;
	assert_seal_refused(ring, &in, seal, "does not match it");
	in.values = twice;
	in.value_count = 2;
	assert_seal_refused(ring, &in, seal, "does not match it");
	pc_keyring_free(ring);
}

/* The new key first: it seals; sessions sealed with the old one still resume until it is removed. */
static void test_rotation(void **state)
{
	pc_keyring *old = ring_of("old " KEY_A "\n");
	pc_keyring *both = ring_of("new " KEY_B "\nold " KEY_A "\n");
	pc_keyring *new_only = ring_of("new " KEY_B "\n");
	pc_seal_input in = session();
	char by_old[PC_SEAL_STRLEN], by_both[PC_SEAL_STRLEN];

	(void)state;
	seal_with(old, &in, by_old);
	seal_with(both, &in, by_both);
	assert_int_equal(strncmp(by_both, "new:", 4), 0);
	assert_seal_ok(both, &in, by_old);
	assert_seal_ok(new_only, &in, by_both);
	assert_seal_ok(both, &in, by_both);
	assert_seal_refused(old, &in, by_both, "names key new, which fleet_secret_file does not hold");
	assert_seal_refused(new_only, &in, by_old, "names key old");
	pc_keyring_free(old);
	pc_keyring_free(both);
	pc_keyring_free(new_only);
}

/* Another server with the same KEY-ID and another secret: its seals do not check. */
static void test_same_id_other_secret(void **state)
{
	pc_keyring *mine = ring_of("k " KEY_A "\n"), *theirs = ring_of("k " KEY_B "\n");
	pc_seal_input in = session();
	char seal[PC_SEAL_STRLEN];

	(void)state;
	seal_with(theirs, &in, seal);
	assert_seal_refused(mine, &in, seal, "the servers' secrets for k differ");
	pc_keyring_free(mine);
	pc_keyring_free(theirs);
}

/* What the store says is a stranger's: refused without being quoted, unless it is a KEY-ID. */
static void test_malformed_seals(void **state)
{
	pc_keyring *ring = ring_of("k " KEY_A "\n");
	pc_seal_input in = session();
	char seal[PC_SEAL_STRLEN], forged[PC_SEAL_STRLEN + 8];

	(void)state;
	seal_with(ring, &in, seal);
	assert_seal_refused(ring, &in, NULL, "it carries no seal");
	assert_seal_refused(ring, &in, "", "its seal is not KEY-ID:HMAC");
	assert_seal_refused(ring, &in, seal + 2, "its seal is not KEY-ID:HMAC");
	assert_seal_refused(ring, &in, "k:", "its seal is not KEY-ID:HMAC");
	snprintf(forged, sizeof(forged), "%s0", seal);
	assert_seal_refused(ring, &in, forged, "its seal is not KEY-ID:HMAC");
	snprintf(forged, sizeof(forged), "%.*sz", (int)strlen(seal) - 1, seal);
	assert_seal_refused(ring, &in, forged, "its seal is not KEY-ID:HMAC");
	snprintf(forged, sizeof(forged), "k\n%s", seal + 1);
	assert_seal_refused(ring, &in, forged, "its seal is not KEY-ID:HMAC");
	/* Upper-case hex is the same HMAC. */
	snprintf(forged, sizeof(forged), "%s", seal);
	for (char *p = forged + 2; *p; p++) *p = (char)(*p >= 'a' && *p <= 'f' ? *p - 32 : *p);
	assert_seal_ok(ring, &in, forged);
	pc_keyring_free(ring);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ring_of_two),
		cmocka_unit_test(test_ring_errors),
		cmocka_unit_test(test_ring_bounds_accepted),
		cmocka_unit_test(test_load_names_file_and_line),
		cmocka_unit_test(test_known_answer),
		cmocka_unit_test(test_every_field_counts),
		cmocka_unit_test(test_value_order_does_not_count),
		cmocka_unit_test(test_encoding_is_unambiguous),
		cmocka_unit_test(test_rotation),
		cmocka_unit_test(test_same_id_other_secret),
		cmocka_unit_test(test_malformed_seals),
	};

	return cmocka_run_group_tests_name("seal", tests, NULL, NULL);
}

/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Unit tests for core/policy: the admin's policy options, reading the MAC
 * addresses switches send, and the re-check of every authentication
 * (pc_policy_check) against the trust set and the RADIUS request.
 *
 * pc_policy_check works on facts, so most tests hand-build a pc_facts for
 * one phone (CP-8861-SEP2C3124C9F8E1, the phone of lsc-new-rsa and mic) and
 * change one thing. The trust set comes from the test PKI:
 *
 *   capf "new"     capf-new.pem, no window
 *   capf "old"     capf-old.pem, accept_until OLD_UNTIL_TEXT
 *   manufacturing  mfg-bundle.pem, no window
 *
 * Every call goes through check_at(), which also checks that the reason
 * stays inside PC_REASON_LEN, is NUL-terminated, and that *hint is written.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <ctype.h>

#include "core/policy.h"
#include "pki_support.h"

/* Epoch values computed with GNU date -u -d ... +%s. */
#define NOW 1780272000			/* 2026-06-01T00:00:00Z: inside the window of "old" */
#define OLD_UNTIL_TEXT "2026-07-01T00:00:00Z"
#define OLD_UNTIL 1782864000		/* the end of the window of "old" (exclusive) */
#define IN_2030 1893456000		/* 2030-01-01T00:00:00Z: long after the window of "old" closed */

/* The phone of lsc-new-rsa.pem and mic.pem. */
#define PHONE_CN "CP-8861-SEP2C3124C9F8E1"
#define PHONE_MAC "2C-31-24-C9-F8-E1"
/* Another phone: lsc-old-rsa.pem. */
#define OTHER_CN "CP-7841-SEP001122334455"
#define OTHER_MAC "00-11-22-33-44-55"

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* Bytes past PC_REASON_LEN that pc_policy_check must never touch. */
#define GUARD_LEN 32
#define GUARD_BYTE 'x'

/* --- assertions on text ------------------------------------------------------ */

#define assert_not_contains(haystack, needle) do { \
		char const *h_ = (haystack), *n_ = (needle); \
		if (h_ && strstr(h_, n_)) fail_msg("did not expect \"%s\" in \"%s\"", n_, h_); \
	} while (0)

static bool is_word_char(char c)
{
	return isalnum((unsigned char)c) || c == '_';
}

/* word occurs in text as a whole word: "mic" is not found inside "mic_expired". */
static void assert_contains_word(char const *text, char const *word)
{
	size_t n = strlen(word);

	for (char const *p = text ? strstr(text, word) : NULL; p; p = strstr(p + 1, word)) {
		if ((p == text || !is_word_char(p[-1])) && !is_word_char(p[n])) return;
	}
	fail_msg("expected the word \"%s\" in \"%s\"", word, text ? text : "(NULL)");
}

/* A string of n copies of c, in static storage: valid until the next call. */
static char const *repeated(char c, size_t n)
{
	static char buf[1024 + 1];

	assert_true(n < sizeof(buf));
	memset(buf, c, n);
	buf[n] = '\0';
	return buf;
}

/* --- policies ---------------------------------------------------------------- */

/* Every field the opposite of the defaults, so that a field left unset by pc_policy_defaults shows. */
static pc_policy inverted_defaults(void)
{
	return (pc_policy) {
		.allow_mic = false,
		.bind_mac = false,
		.bind_identity = false,
		.verify = { .allow_expired_mic = true, .allow_legacy_mic = true },
	};
}

static void assert_policy_equal(pc_policy const *actual, pc_policy const *expected)
{
	assert_int_equal(actual->allow_mic, expected->allow_mic);
	assert_int_equal(actual->bind_mac, expected->bind_mac);
	assert_int_equal(actual->bind_identity, expected->bind_identity);
	assert_int_equal(actual->verify.allow_expired_mic, expected->verify.allow_expired_mic);
	assert_int_equal(actual->verify.allow_legacy_mic, expected->verify.allow_legacy_mic);
}

static pc_policy defaults(void)
{
	pc_policy policy;

	pc_policy_defaults(&policy);
	return policy;
}

static void set_ok(pc_policy *policy, char const *option, char const *value)
{
	char err[256] = "";

	if (pc_policy_set(policy, option, value, err, sizeof(err)) != 0) {
		fail_msg("pc_policy_set(%s, %s) failed: %s", option, value, err);
	}
}

/* --- trust sets -------------------------------------------------------------- */

/* The SHA-256 of the anchor certificates that signed the test phones: what a session caches. */
static char fingerprint_new[PC_FINGERPRINT_LEN], fingerprint_old[PC_FINGERPRINT_LEN],
	    fingerprint_mfg[PC_FINGERPRINT_LEN];

static int pki_fingerprint(char const *file, char out[PC_FINGERPRINT_LEN])
{
	X509 *cert = load_pki_cert(file);
	bool ok = cert && pc_cert_fingerprint(cert, out);

	X509_free(cert);
	return ok ? 0 : -1;
}

typedef struct {
	pc_trust *trust;	/* the standard set described at the top */
	pc_trust *extra;	/* a set of the test's own, if it needs one */
} fixture;

/* Build and seal a trust set into *slot (set first, so that the teardown frees it on failure). */
static int build_trust(pc_trust **slot, pc_anchor_config const *configs, size_t count)
{
	pc_trust *trust = pc_trust_new();

	*slot = trust;
	if (!trust) return -1;
	for (size_t i = 0; i < count; i++) {
		if (pc_trust_add(trust, &configs[i]) != 0) {
			fprintf(stderr, "pc_trust_add: %s\n", pc_trust_error(trust));
			return -1;
		}
	}
	if (pc_trust_seal(trust) != 0) {
		fprintf(stderr, "pc_trust_seal: %s\n", pc_trust_error(trust));
		return -1;
	}
	return 0;
}

static int fixture_setup(void **state)
{
	fixture *f = calloc(1, sizeof(*f));
	pc_anchor_config const configs[] = {
		{ .kind = PC_ANCHOR_CAPF, .name = "new", .ca_file = pki_file("capf-new.pem") },
		{ .kind = PC_ANCHOR_CAPF, .name = "old", .ca_file = pki_file("capf-old.pem"),
		  .accept_until = OLD_UNTIL_TEXT },
		{ .kind = PC_ANCHOR_MANUFACTURING, .name = "manufacturing", .ca_file = pki_file("mfg-bundle.pem") },
	};

	*state = f;
	if (!f) return -1;
	if (pki_fingerprint("capf-new.pem", fingerprint_new) < 0 || pki_fingerprint("capf-old.pem", fingerprint_old) < 0 ||
	    pki_fingerprint("mfg-ca.pem", fingerprint_mfg) < 0) return -1;
	return build_trust(&f->trust, configs, COUNT(configs));
}

static int fixture_teardown(void **state)
{
	fixture *f = *state;

	if (!f) return 0;
	pc_trust_free(f->trust);
	pc_trust_free(f->extra);
	free(f);
	return 0;
}

static pc_trust const *standard_trust(void **state)
{
	return ((fixture *)*state)->trust;
}

/* A trust set of the test's own, freed by the teardown. */
static pc_trust const *extra_trust(void **state, pc_anchor_config const *configs, size_t count)
{
	fixture *f = *state;

	assert_null(f->extra);
	if (build_trust(&f->extra, configs, count) != 0) fail_msg("could not build the test's trust set");
	return f->extra;
}

/* --- facts and checks ---------------------------------------------------------- */

/* The facts of a phone whose certificate the anchor "old" signed. */
static void signed_by_old(pc_facts *facts)
{
	facts->anchor_name = "old";
	facts->anchor_fingerprint = fingerprint_old;
}

/* An LSC from capf "new" on the phone that the switch reports: everything matches. */
static pc_facts lsc_facts(void)
{
	return (pc_facts) {
		.cert_type = PC_CERT_LSC,
		.anchor_name = "new",
		.anchor_fingerprint = fingerprint_new,
		.common_name = PHONE_CN,
		.mac = PHONE_MAC,
		.calling_station_id = "2c-31-24-c9-f8-e1",
		.user_name = PHONE_CN,
	};
}

/* The same phone presenting its MIC. */
static pc_facts mic_facts(void)
{
	pc_facts facts = lsc_facts();

	facts.cert_type = PC_CERT_MIC;
	facts.anchor_name = "manufacturing";
	facts.anchor_fingerprint = fingerprint_mfg;
	return facts;
}

typedef struct {
	bool accepted;
	char const *hint;
	char reason[PC_REASON_LEN + GUARD_LEN];
} outcome;

/* Something pc_policy_check cannot return as a hint: shows that *hint was written. */
static char const NOT_WRITTEN[] = "hint not written by pc_policy_check";

/* pc_policy_check with a PC_REASON_LEN reason, checking what every call must respect. */
static outcome check_at(pc_policy const *policy, pc_trust const *trust, pc_facts const *facts, time_t now)
{
	outcome out;

	memset(out.reason, GUARD_BYTE, sizeof(out.reason));
	out.hint = NOT_WRITTEN;
	out.accepted = pc_policy_check(policy, trust, facts, now, out.reason, PC_REASON_LEN, &out.hint);
	if (out.hint == NOT_WRITTEN) fail_msg("*hint was left unset");
	for (size_t i = PC_REASON_LEN; i < sizeof(out.reason); i++) {
		if (out.reason[i] != GUARD_BYTE) fail_msg("reason written past PC_REASON_LEN (byte %zu)", i);
	}
	if (!out.accepted && !memchr(out.reason, '\0', PC_REASON_LEN)) {
		fail_msg("reason is not NUL-terminated within PC_REASON_LEN");
	}
	return out;
}

static void expect_accept_at(pc_policy const *policy, pc_trust const *trust, pc_facts const *facts, time_t now)
{
	outcome out = check_at(policy, trust, facts, now);

	if (!out.accepted) fail_msg("rejected, expected accept (reason: \"%s\")", out.reason);
	assert_null(out.hint);
}

static void expect_accept(pc_policy const *policy, pc_trust const *trust, pc_facts const *facts)
{
	expect_accept_at(policy, trust, facts, NOW);
}

/* Rejected with a reason and a hint; the outcome is returned for checks on the words. */
static outcome expect_reject_at(pc_policy const *policy, pc_trust const *trust, pc_facts const *facts, time_t now)
{
	outcome out = check_at(policy, trust, facts, now);

	if (out.accepted) fail_msg("accepted, expected a rejection");
	if (out.reason[0] == '\0') fail_msg("rejected without a reason");
	if (!out.hint) fail_msg("rejected without a hint (reason: \"%s\")", out.reason);
	return out;
}

static outcome expect_reject(pc_policy const *policy, pc_trust const *trust, pc_facts const *facts)
{
	return expect_reject_at(policy, trust, facts, NOW);
}

/* --- pc_policy_defaults, pc_policy_set ----------------------------------------- */

static void test_defaults(void **state)
{
	pc_policy policy = inverted_defaults();

	(void)state;
	pc_policy_defaults(&policy);
	assert_true(policy.allow_mic);
	assert_true(policy.bind_mac);
	assert_true(policy.bind_identity);
	assert_false(policy.verify.allow_expired_mic);
	assert_false(policy.verify.allow_legacy_mic);
}

static void test_set_mic(void **state)
{
	pc_policy policy = defaults();
	pc_policy expected = defaults();

	(void)state;
	set_ok(&policy, "mic", "deny");
	expected.allow_mic = false;
	assert_policy_equal(&policy, &expected);
	set_ok(&policy, "mic", "allow");
	expected.allow_mic = true;
	assert_policy_equal(&policy, &expected);
}

static void test_set_mic_expired(void **state)
{
	pc_policy policy = defaults();
	pc_policy expected = defaults();

	(void)state;
	set_ok(&policy, "mic_expired", "allow");
	expected.verify.allow_expired_mic = true;
	assert_policy_equal(&policy, &expected);
	set_ok(&policy, "mic_expired", "reject");
	expected.verify.allow_expired_mic = false;
	assert_policy_equal(&policy, &expected);
}

static void test_set_mic_legacy_signatures(void **state)
{
	pc_policy policy = defaults();
	pc_policy expected = defaults();

	(void)state;
	set_ok(&policy, "mic_legacy_signatures", "allow");
	expected.verify.allow_legacy_mic = true;
	assert_policy_equal(&policy, &expected);
	set_ok(&policy, "mic_legacy_signatures", "reject");
	expected.verify.allow_legacy_mic = false;
	assert_policy_equal(&policy, &expected);
}

/* Every option with its two words, as pc_policy_set documents them. */
static struct {
	char const *option, *yes_word, *no_word;
} const OPTIONS[] = {
	{ "mic", "allow", "deny" },
	{ "mic_expired", "allow", "reject" },
	{ "mic_legacy_signatures", "allow", "reject" },
};

static void test_set_rejects_invalid_values(void **state)
{
	/* Values are exact and case-sensitive; the words of one option are not valid for another. */
	char const *const bad_values[] = {
		"", NULL, "Allow", "allow ", "YES", "true", "1", "on",
		"allow", "deny", "reject", "yes", "no",
	};
	pc_policy const starts[] = { defaults(), inverted_defaults() };

	(void)state;
	for (size_t o = 0; o < COUNT(OPTIONS); o++) {
		for (size_t v = 0; v < COUNT(bad_values); v++) {
			char const *value = bad_values[v];

			if (value && (strcmp(value, OPTIONS[o].yes_word) == 0 || strcmp(value, OPTIONS[o].no_word) == 0)) {
				continue;
			}
			for (size_t s = 0; s < COUNT(starts); s++) {
				pc_policy policy = starts[s];
				char err[256] = "";

				if (pc_policy_set(&policy, OPTIONS[o].option, value, err, sizeof(err)) != -1) {
					fail_msg("%s = \"%s\" was accepted", OPTIONS[o].option, value ? value : "(NULL)");
				}
				/* A refused value changes nothing. */
				assert_policy_equal(&policy, &starts[s]);
				assert_contains_word(err, OPTIONS[o].option);
				assert_contains_word(err, OPTIONS[o].yes_word);
				assert_contains_word(err, OPTIONS[o].no_word);
				assert_not_contains(err, "(null)");
				if (value && *value) assert_contains(err, value);
			}
		}
	}
}

static void test_option_table_matches_defaults(void **state)
{
	pc_policy policy = inverted_defaults();
	pc_policy const expected = defaults();
	size_t n = 0;

	(void)state;
	/* The table names every option once, and its default text sets exactly pc_policy_defaults. */
	for (; pc_policy_options[n]; n++) {
		assert_non_null(pc_policy_option_defaults[n]);
		assert_string_equal(pc_policy_options[n], OPTIONS[n].option);
		set_ok(&policy, pc_policy_options[n], pc_policy_option_defaults[n]);
	}
	assert_int_equal(n, COUNT(OPTIONS));
	assert_null(pc_policy_option_defaults[n]);
	/* bind_mac and bind_identity are FreeRADIUS booleans, not in the table. */
	assert_false(policy.bind_mac || policy.bind_identity);
	policy.bind_mac = expected.bind_mac;
	policy.bind_identity = expected.bind_identity;
	assert_policy_equal(&policy, &expected);
}

static void test_set_unknown_option(void **state)
{
	char const *const names[] = { "mic_expire", "MIC", "bind_macs", "mic ", "" };

	(void)state;
	for (size_t i = 0; i < COUNT(names); i++) {
		pc_policy policy = defaults();
		pc_policy const before = policy;
		char err[256] = "";

		assert_int_equal(pc_policy_set(&policy, names[i], "allow", err, sizeof(err)), -1);
		assert_policy_equal(&policy, &before);
		assert_contains(err, "unknown");
		assert_contains(err, names[i]);
	}
}

static void test_set_error_fits_small_buffer(void **state)
{
	pc_policy policy = defaults();
	char err[16 + 1];

	(void)state;
	/* The message is cut, never written past len. */
	memset(err, 'x', sizeof(err));
	assert_int_equal(pc_policy_set(&policy, "mic_legacy_signatures", "yes", err, sizeof(err) - 1), -1);
	assert_int_equal(strlen(err), sizeof(err) - 2);
	assert_int_equal(err[sizeof(err) - 1], 'x');
}

/* --- pc_policy_check: accepting -------------------------------------------------- */

static void test_accept_lsc(void **state)
{
	pc_policy policy = defaults();
	pc_facts facts = lsc_facts();

	expect_accept(&policy, standard_trust(state), &facts);
}

static void test_accept_calling_station_id_in_every_layout(void **state)
{
	pc_policy policy = defaults();
	char const *const layouts[] = {
		"2c-31-24-c9-f8-e1", "2C-31-24-C9-F8-E1", "2C:31:24:C9:F8:E1", "2c:31:24:c9:f8:e1",
		"2c31.24c9.f8e1", "2c3124c9f8e1", "2C3124c9F8e1",
	};

	for (size_t i = 0; i < COUNT(layouts); i++) {
		pc_facts facts = lsc_facts();

		facts.calling_station_id = layouts[i];
		expect_accept(&policy, standard_trust(state), &facts);
	}
}

static void test_accept_identity_in_any_case(void **state)
{
	pc_policy policy = defaults();
	char const *const names[] = { PHONE_CN, "cp-8861-sep2c3124c9f8e1", "Cp-8861-Sep2c3124C9F8e1" };

	for (size_t i = 0; i < COUNT(names); i++) {
		pc_facts facts = lsc_facts();

		facts.user_name = names[i];
		expect_accept(&policy, standard_trust(state), &facts);
	}
}

static void test_accept_resets_hint(void **state)
{
	pc_policy policy = defaults();
	pc_facts facts = lsc_facts();
	char reason[PC_REASON_LEN];
	char const *hint = NOT_WRITTEN;

	assert_true(pc_policy_check(&policy, standard_trust(state), &facts, NOW, reason, sizeof(reason), &hint));
	assert_null(hint);
}

static void test_hint_pointer_may_be_null(void **state)
{
	pc_policy policy = defaults();
	pc_facts good = lsc_facts();
	pc_facts bad = lsc_facts();
	char reason[PC_REASON_LEN] = "";

	bad.user_name = OTHER_CN;
	assert_true(pc_policy_check(&policy, standard_trust(state), &good, NOW, reason, sizeof(reason), NULL));
	assert_false(pc_policy_check(&policy, standard_trust(state), &bad, NOW, reason, sizeof(reason), NULL));
	assert_contains(reason, "identity mismatch");
}

/* --- pc_policy_check: mic = allow | deny ------------------------------------------ */

static void test_mic_allowed(void **state)
{
	pc_policy policy = defaults();
	pc_facts facts = mic_facts();

	expect_accept(&policy, standard_trust(state), &facts);
}

static void test_mic_denied(void **state)
{
	pc_policy policy = defaults();
	pc_facts facts = mic_facts();
	outcome out;

	policy.allow_mic = false;
	out = expect_reject(&policy, standard_trust(state), &facts);
	assert_contains_word(out.reason, "MIC");
	assert_contains_word(out.reason, "LSC");
	/* The hint tells the admin how a phone gets an LSC. */
	assert_contains(out.hint, "LSC");
}

static void test_mic_deny_lets_lsc_through(void **state)
{
	pc_policy policy = defaults();
	pc_facts facts = lsc_facts();

	policy.allow_mic = false;
	expect_accept(&policy, standard_trust(state), &facts);
}

/* --- pc_policy_check: bind_mac ------------------------------------------------------ */

static void test_mac_mismatch(void **state)
{
	pc_policy policy = defaults();
	pc_facts facts = lsc_facts();
	outcome out;

	facts.calling_station_id = "00:11:22:33:44:55";
	out = expect_reject(&policy, standard_trust(state), &facts);
	assert_contains(out.reason, "MAC mismatch");
	/* Both MACs, the switch's one in the certificate's notation. */
	assert_contains(out.reason, PHONE_MAC);
	assert_contains(out.reason, OTHER_MAC);
}

static void test_mac_mismatch_for_mic(void **state)
{
	pc_policy policy = defaults();
	pc_facts facts = mic_facts();
	outcome out;

	/* A copied MIC is no better than a copied LSC. */
	facts.calling_station_id = "0011.2233.4455";
	out = expect_reject(&policy, standard_trust(state), &facts);
	assert_contains(out.reason, PHONE_MAC);
	assert_contains(out.reason, OTHER_MAC);
}

static void test_mac_without_calling_station_id(void **state)
{
	pc_policy policy = defaults();
	pc_facts facts = lsc_facts();
	outcome out;

	facts.calling_station_id = NULL;
	out = expect_reject(&policy, standard_trust(state), &facts);
	assert_contains(out.reason, "no Calling-Station-Id");
	assert_contains(out.reason, PHONE_MAC);
	assert_contains(out.hint, "Calling-Station-Id");
}

static void test_mac_calling_station_id_not_a_mac(void **state)
{
	char const *const values[] = { "10.1.2.3", "SEP2C3124C9F8E1", "", "2c-31-24-c9-f8-e1-00" };
	pc_policy policy = defaults();

	for (size_t i = 0; i < COUNT(values); i++) {
		pc_facts facts = lsc_facts();
		outcome out;

		facts.calling_station_id = values[i];
		out = expect_reject(&policy, standard_trust(state), &facts);
		assert_contains(out.reason, "Calling-Station-Id");
		assert_contains(out.reason, "is not a MAC address");
		/* The value as the switch sent it. */
		assert_contains(out.reason, values[i]);
	}
}

static void test_mac_certificate_without_mac(void **state)
{
	pc_policy policy = defaults();
	pc_facts facts = lsc_facts();
	outcome out;

	facts.mac = NULL;
	out = expect_reject(&policy, standard_trust(state), &facts);
	assert_contains_word(out.reason, "MAC");
}

static void test_bind_mac_off_ignores_mac(void **state)
{
	pc_policy policy = defaults();
	pc_facts const base = lsc_facts();
	pc_facts cases[] = { base, base, base, base, base };

	cases[0].calling_station_id = "00:11:22:33:44:55";
	cases[1].calling_station_id = NULL;
	cases[2].calling_station_id = "10.1.2.3";
	cases[3].mac = NULL;
	cases[4].mac = NULL;
	cases[4].calling_station_id = NULL;
	/* Each of these is refused with bind_mac on, and accepted with it off. */
	for (size_t i = 0; i < COUNT(cases); i++) {
		policy.bind_mac = true;
		expect_reject(&policy, standard_trust(state), &cases[i]);
		policy.bind_mac = false;
		expect_accept(&policy, standard_trust(state), &cases[i]);
	}
}

/* --- pc_policy_check: bind_identity ---------------------------------------------- */

static void test_identity_mismatch(void **state)
{
	pc_policy policy = defaults();
	pc_facts facts = lsc_facts();
	outcome out;

	facts.user_name = OTHER_CN;
	out = expect_reject(&policy, standard_trust(state), &facts);
	assert_contains(out.reason, "identity mismatch");
	assert_contains(out.reason, OTHER_CN);
	assert_contains(out.reason, PHONE_CN);
}

static void test_identity_is_not_a_prefix_match(void **state)
{
	char const *const names[] = { "CP-8861-SEP2C3124C9F8E", PHONE_CN "0", "SEP2C3124C9F8E1", "" };
	pc_policy policy = defaults();

	for (size_t i = 0; i < COUNT(names); i++) {
		pc_facts facts = lsc_facts();

		facts.user_name = names[i];
		assert_contains(expect_reject(&policy, standard_trust(state), &facts).reason, "identity mismatch");
	}
}

static void test_identity_without_user_name(void **state)
{
	pc_policy policy = defaults();
	pc_facts facts = lsc_facts();
	outcome out;

	facts.user_name = NULL;
	out = expect_reject(&policy, standard_trust(state), &facts);
	assert_contains(out.reason, "User-Name");
	assert_contains(out.reason, PHONE_CN);
}

static void test_identity_without_common_name(void **state)
{
	pc_policy policy = defaults();
	pc_facts facts = lsc_facts();

	facts.common_name = NULL;
	assert_contains(expect_reject(&policy, standard_trust(state), &facts).reason, "identity mismatch");
}

static void test_bind_identity_off_ignores_identity(void **state)
{
	pc_policy policy = defaults();
	pc_facts const base = lsc_facts();
	pc_facts cases[] = { base, base, base, base };

	cases[0].user_name = OTHER_CN;
	cases[1].user_name = NULL;
	cases[2].common_name = NULL;
	cases[3].user_name = "anonymous";
	for (size_t i = 0; i < COUNT(cases); i++) {
		policy.bind_identity = true;
		expect_reject(&policy, standard_trust(state), &cases[i]);
		policy.bind_identity = false;
		expect_accept(&policy, standard_trust(state), &cases[i]);
	}
}

/* --- pc_policy_check: the anchor ------------------------------------------------- */

static void test_window_open_before_until(void **state)
{
	pc_policy policy = defaults();
	pc_facts facts = lsc_facts();

	signed_by_old(&facts);
	expect_accept_at(&policy, standard_trust(state), &facts, NOW);
	expect_accept_at(&policy, standard_trust(state), &facts, OLD_UNTIL - 1);
}

static void test_window_closed_at_and_after_until(void **state)
{
	time_t const times[] = { OLD_UNTIL, OLD_UNTIL + 1, IN_2030 };
	pc_policy policy = defaults();
	pc_facts facts = lsc_facts();

	signed_by_old(&facts);
	for (size_t i = 0; i < COUNT(times); i++) {
		outcome out = expect_reject_at(&policy, standard_trust(state), &facts, times[i]);

		assert_contains(out.reason, "'old'");
		assert_contains(out.reason, OLD_UNTIL_TEXT);
	}
}

static void test_window_of_one_anchor_only(void **state)
{
	pc_policy policy = defaults();
	pc_facts lsc = lsc_facts();
	pc_facts mic = mic_facts();

	/* "old" closing does not affect the anchors without a window. */
	expect_accept_at(&policy, standard_trust(state), &lsc, IN_2030);
	expect_accept_at(&policy, standard_trust(state), &mic, IN_2030);
}

static void test_anchor_no_longer_configured(void **state)
{
	char const *const names[] = { "retired", "NEW", "Old", "" };
	pc_policy policy = defaults();

	for (size_t i = 0; i < COUNT(names); i++) {
		pc_facts facts = lsc_facts();
		outcome out;

		/* Names are compared exactly, as the trust set compares section names. */
		facts.anchor_name = names[i];
		out = expect_reject(&policy, standard_trust(state), &facts);
		assert_contains(out.reason, "no longer configured");
		assert_contains(out.reason, names[i]);
	}
}

static void test_anchor_certificate_replaced(void **state)
{
	/* The file of capf "old" now holds another CAPF (replaced in place and reloaded): same name, other key. */
	pc_anchor_config const configs[] = {
		{ .kind = PC_ANCHOR_CAPF, .name = "old", .ca_file = pki_file("capf-other.pem") },
	};
	pc_policy policy = defaults();
	pc_facts facts = lsc_facts();
	char prefix[17];
	outcome out;

	signed_by_old(&facts);
	expect_accept(&policy, standard_trust(state), &facts);
	out = expect_reject(&policy, extra_trust(state, configs, COUNT(configs)), &facts);
	assert_contains(out.reason, "signer no longer trusted");
	assert_contains(out.reason, "capf 'old'");
	memcpy(prefix, fingerprint_old, sizeof(prefix) - 1);
	prefix[sizeof(prefix) - 1] = '\0';
	assert_contains(out.reason, prefix);
}

static void test_anchor_certificate_of_another_anchor(void **state)
{
	pc_policy policy = defaults();
	pc_facts facts = lsc_facts();

	/* The certificate that signed it is configured, but in another anchor than the one named. */
	facts.anchor_fingerprint = fingerprint_old;
	assert_contains(expect_reject(&policy, standard_trust(state), &facts).reason, "signer no longer trusted");
}

static void test_anchor_fingerprint_missing(void **state)
{
	char const *const fingerprints[] = { NULL, "", "00" };
	pc_policy policy = defaults();

	/* A session cached without it (or with nonsense) names no certificate: fail closed. */
	for (size_t i = 0; i < COUNT(fingerprints); i++) {
		pc_facts facts = lsc_facts();

		facts.anchor_fingerprint = fingerprints[i];
		assert_contains(expect_reject(&policy, standard_trust(state), &facts).reason, "signer no longer trusted");
	}
}

static void test_anchor_name_missing(void **state)
{
	pc_policy policy = defaults();
	pc_facts facts = lsc_facts();

	facts.anchor_name = NULL;
	assert_contains(expect_reject(&policy, standard_trust(state), &facts).reason, "no longer configured");
}

static void test_unknown_certificate_type(void **state)
{
	pc_cert_type const types[] = { PC_CERT_UNKNOWN, (pc_cert_type)42 };
	pc_policy policy = defaults();

	for (size_t i = 0; i < COUNT(types); i++) {
		pc_facts facts = lsc_facts();
		outcome out;

		/* Everything else matches: only the type is wrong. */
		facts.cert_type = types[i];
		out = check_at(&policy, standard_trust(state), &facts, NOW);
		assert_false(out.accepted);
		assert_contains(out.reason, "unknown certificate type");
	}
}

/* --- pc_policy_check: order ----------------------------------------------------- */

static void test_window_reported_before_bindings(void **state)
{
	pc_policy policy = defaults();
	pc_facts facts = lsc_facts();
	outcome out;

	/* Wrong MAC and wrong identity as well: the closed window is the reason given. */
	signed_by_old(&facts);
	facts.user_name = OTHER_CN;
	facts.calling_station_id = "00:11:22:33:44:55";
	out = expect_reject_at(&policy, standard_trust(state), &facts, OLD_UNTIL);
	assert_contains(out.reason, "'old'");
	assert_contains(out.reason, OLD_UNTIL_TEXT);
	assert_not_contains(out.reason, "mismatch");
}

static void test_window_reported_before_mic_deny(void **state)
{
	pc_anchor_config const configs[] = {
		{ .kind = PC_ANCHOR_MANUFACTURING, .name = "manufacturing", .ca_file = pki_file("mfg-bundle.pem"),
		  .accept_until = OLD_UNTIL_TEXT },
	};
	pc_trust const *trust = extra_trust(state, configs, COUNT(configs));
	pc_policy policy = defaults();
	pc_facts facts = mic_facts();
	outcome out;

	/* A MIC from a closed manufacturing window, with mic = deny and a wrong MAC: the window is reported. */
	policy.allow_mic = false;
	facts.calling_station_id = "00:11:22:33:44:55";
	out = expect_reject_at(&policy, trust, &facts, OLD_UNTIL);
	assert_contains(out.reason, "manufacturing");
	assert_contains(out.reason, OLD_UNTIL_TEXT);
	assert_not_contains(out.reason, "LSC is required");
	assert_not_contains(out.reason, "mismatch");
	/* Inside the window the same facts are refused for mic = deny instead. */
	out = expect_reject_at(&policy, trust, &facts, NOW);
	assert_contains(out.reason, "LSC is required");
}

static void test_removed_anchor_reported_before_mic_deny(void **state)
{
	pc_policy policy = defaults();
	pc_facts facts = mic_facts();

	policy.allow_mic = false;
	facts.anchor_name = "retired";
	assert_contains(expect_reject(&policy, standard_trust(state), &facts).reason, "no longer configured");
}

static void test_mic_deny_reported_before_bindings(void **state)
{
	pc_policy policy = defaults();
	pc_facts facts = mic_facts();
	outcome out;

	policy.allow_mic = false;
	facts.user_name = OTHER_CN;
	facts.calling_station_id = "00:11:22:33:44:55";
	out = expect_reject(&policy, standard_trust(state), &facts);
	assert_contains(out.reason, "LSC is required");
	assert_not_contains(out.reason, "mismatch");
}

/* --- pc_policy_check: reasons stay inside PC_REASON_LEN ------------------------------ */

static void test_reason_fits_with_long_input(void **state)
{
	pc_policy policy = defaults();
	pc_facts const base = lsc_facts();
	/* Each long string in its own buffer: repeated() has only one. */
	char long_text[1000 + 1], long_hex[1000 + 1];
	pc_facts cases[6];
	/* What the reason still says once the long value is cut. */
	char const *const words[COUNT(cases)] = {
		"identity mismatch", "identity mismatch", "is not a MAC address", "is not a MAC address",
		"anchor 'uuuu", "no Calling-Station-Id",
	};

	memcpy(long_text, repeated('u', 1000), sizeof(long_text));
	memcpy(long_hex, repeated('a', 1000), sizeof(long_hex));
	for (size_t i = 0; i < COUNT(cases); i++) cases[i] = base;
	cases[0].user_name = long_text;				/* identity mismatch */
	cases[1].common_name = long_text;			/* identity mismatch, the other side */
	cases[1].user_name = long_hex;
	cases[2].calling_station_id = long_text;		/* not a MAC */
	cases[3].calling_station_id = long_hex;
	cases[4].anchor_name = long_text;			/* not configured */
	cases[5].mac = long_text;				/* no Calling-Station-Id, long certificate MAC */
	cases[5].calling_station_id = NULL;
	for (size_t i = 0; i < COUNT(cases); i++) {
		outcome out = expect_reject(&policy, standard_trust(state), &cases[i]);

		/* check_at has checked the guard bytes and the terminator; the reason is also usable text. */
		assert_true(strlen(out.reason) < PC_REASON_LEN);
		assert_contains(out.reason, words[i]);
	}
}

static void test_reason_fits_with_long_anchor_name(void **state)
{
	char name[1000 + 1];
	pc_anchor_config configs[1];
	pc_trust const *trust;
	pc_policy policy = defaults();
	pc_facts facts = lsc_facts();
	outcome out;

	memcpy(name, repeated('n', 1000), sizeof(name));
	configs[0] = (pc_anchor_config) { .kind = PC_ANCHOR_CAPF, .name = name, .ca_file = pki_file("capf-new.pem"),
					  .accept_until = OLD_UNTIL_TEXT };
	trust = extra_trust(state, configs, COUNT(configs));
	facts.anchor_name = name;
	expect_accept_at(&policy, trust, &facts, NOW);
	/* A closed window of an anchor with a very long section name. */
	out = expect_reject_at(&policy, trust, &facts, OLD_UNTIL);
	assert_true(strlen(out.reason) < PC_REASON_LEN);
	/* The name is cut, the date is not. */
	assert_contains(out.reason, OLD_UNTIL_TEXT);
}

/* --- facts from a verified certificate ------------------------------------------ */

/* The facts the module would take from pc_verify's result and the request. */
static pc_facts facts_from_result(pc_result const *result, char const *calling_station_id, char const *user_name)
{
	return (pc_facts) {
		.cert_type = result->cert_type,
		.anchor_name = result->anchor ? pc_anchor_name(result->anchor) : NULL,
		.anchor_fingerprint = result->anchor_fingerprint,
		.common_name = result->identity.cn,
		.mac = result->identity.has_device ? result->identity.mac : NULL,
		.calling_station_id = calling_station_id,
		.user_name = user_name,
		.serial = result->serial,
	};
}

static void verify_pki_file(pc_trust const *trust, char const *file, pc_result *result)
{
	X509 *cert = load_pki_cert(file);

	pc_verify_chain(trust, NULL, cert, NULL, NOW, result);
	X509_free(cert);
	if (result->verdict != PC_VERDICT_ACCEPT) fail_msg("%s not accepted: %s", file, result->reason);
}

static void test_facts_from_verified_lsc(void **state)
{
	pc_policy policy = defaults();
	pc_result result;
	pc_facts facts;

	/* What pc_verify reports must be in the form pc_policy_check compares with. */
	verify_pki_file(standard_trust(state), "lsc-new-rsa.pem", &result);
	facts = facts_from_result(&result, "2c31.24c9.f8e1", "cp-8861-sep2c3124c9f8e1");
	expect_accept(&policy, standard_trust(state), &facts);
	facts.calling_station_id = "00:11:22:33:44:55";
	expect_reject(&policy, standard_trust(state), &facts);
}

static void test_facts_from_verified_mic(void **state)
{
	pc_policy policy = defaults();
	pc_result result;
	pc_facts facts;

	verify_pki_file(standard_trust(state), "mic.pem", &result);
	facts = facts_from_result(&result, "2C:31:24:C9:F8:E1", PHONE_CN);
	expect_accept(&policy, standard_trust(state), &facts);
	policy.allow_mic = false;
	assert_contains(expect_reject(&policy, standard_trust(state), &facts).reason, "LSC is required");
}

static void test_facts_from_verified_lsc_of_old_capf(void **state)
{
	pc_policy policy = defaults();
	pc_result result;
	pc_facts facts;

	/* Accepted in the handshake, then refused on resumption once the window of "old" has closed. */
	verify_pki_file(standard_trust(state), "lsc-old-rsa.pem", &result);
	facts = facts_from_result(&result, "00-11-22-33-44-55", OTHER_CN);
	assert_string_equal(facts.anchor_name, "old");
	expect_accept_at(&policy, standard_trust(state), &facts, NOW);
	assert_contains(expect_reject_at(&policy, standard_trust(state), &facts, OLD_UNTIL).reason, "'old'");
}

/* --- pc_policy_check: the block list ------------------------------------------------ */

static pc_blocklist *blocklist_of(char const *text)
{
	char err[256];
	pc_blocklist *list = pc_blocklist_parse(text, strlen(text), err, sizeof(err));

	if (!list) fail_msg("block list refused: %s", err);
	return list;
}

static void test_blocked_phone_rejected_with_the_comment(void **state)
{
	pc_policy policy = defaults();
	pc_facts facts = lsc_facts();
	pc_blocklist *list = blocklist_of("mac " PHONE_MAC " # stolen\n");
	outcome out;

	policy.blocklist = list;
	out = expect_reject(&policy, standard_trust(state), &facts);
	assert_string_equal(out.reason, "blocked: stolen");
	assert_contains(out.hint, "unblock");
	pc_blocklist_free(list);
}

/* The block list comes first: a blocked phone says so, even when something else is wrong too. */
static void test_blocked_before_other_checks(void **state)
{
	pc_policy policy = defaults();
	pc_facts facts = mic_facts();
	pc_blocklist *list = blocklist_of("serial manufacturing:00ff # leaked\n");

	facts.serial = "ff";
	policy.allow_mic = false;
	policy.blocklist = list;
	assert_string_equal(expect_reject(&policy, standard_trust(state), &facts).reason, "blocked: leaked");
	pc_blocklist_free(list);
}

static void test_not_blocked_accepted(void **state)
{
	pc_policy policy = defaults();
	pc_facts facts = lsc_facts();
	pc_blocklist *list = blocklist_of("mac " OTHER_MAC "\nserial old:1\nserial new:2\n");

	facts.serial = "01";
	policy.blocklist = list;
	expect_accept(&policy, standard_trust(state), &facts);
	pc_blocklist_free(list);
}

/* The fleet's list refuses too; before it is loaded it blocks nothing, and block_file still does. */
static void test_fleet_blocklist_refuses(void **state)
{
	pc_policy policy = defaults();
	pc_facts facts = lsc_facts();
	pc_fleet_blocklist *fleet = pc_fleet_blocklist_new();
	pc_blocklist *list = blocklist_of("mac " PHONE_MAC " # stolen from the fleet\n");
	pc_blocklist *local = blocklist_of("mac " PHONE_MAC " # stolen, in block_file\n");
	outcome out;

	policy.fleet_blocklist = fleet;
	expect_accept(&policy, standard_trust(state), &facts);
	policy.blocklist = local;
	out = expect_reject(&policy, standard_trust(state), &facts);
	assert_string_equal(out.reason, "blocked: stolen, in block_file");
	policy.blocklist = NULL;
	pc_blocklist_free(local);
	pc_blocklist_mark_fleet(list);
	pc_fleet_blocklist_replace(fleet, list);
	out = expect_reject(&policy, standard_trust(state), &facts);
	assert_string_equal(out.reason, "blocked: stolen from the fleet");
	assert_contains(out.hint, "--db");
	pc_fleet_blocklist_replace(fleet, blocklist_of("mac " OTHER_MAC "\n"));
	expect_accept(&policy, standard_trust(state), &facts);
	pc_fleet_blocklist_free(fleet);
}

/* --- pc_policy_check: revocation on resumption ------------------------------------ */

/*
 * A session resumed after its certificate was revoked: the handshake that
 * began it saw no CRL (trust without crl_file), the re-check sees the
 * anchor's current one.
 */
static void resumed_against_crl(void **state, char const *file, char const *mac, char const *cn, outcome *out,
				bool *accepted)
{
	pc_anchor_config const without_crl[] = {
		{ .kind = PC_ANCHOR_LSC_CA, .name = "corp", .ca_file = pki_file("ext-ca.pem") },
	};
	pc_anchor_config const with_crl[] = {
		{ .kind = PC_ANCHOR_LSC_CA, .name = "corp", .ca_file = pki_file("ext-ca.pem"),
		  .crl_file = pki_file("ext-ca.crl.pem") },
	};
	pc_trust *before = NULL;
	pc_policy policy = defaults();
	pc_result result;
	pc_facts facts;

	assert_int_equal(build_trust(&before, without_crl, COUNT(without_crl)), 0);
	verify_pki_file(before, file, &result);
	facts = facts_from_result(&result, mac, cn);
	*out = check_at(&policy, extra_trust(state, with_crl, COUNT(with_crl)), &facts, NOW);
	*accepted = out->accepted;
	pc_trust_free(before);
}

static void test_resumed_session_of_revoked_certificate_rejected(void **state)
{
	outcome out;
	bool accepted;

	resumed_against_crl(state, "lsc-ext-revoked.pem", "11-22-33-44-55-77", "CP-8865-SEP112233445577", &out, &accepted);
	assert_false(accepted);
	assert_contains(out.reason, "certificate revoked: serial ");
	assert_contains(out.reason, "in the CRL of lsc_ca 'corp'");
	assert_non_null(out.hint);
}

static void test_resumed_session_not_revoked_accepted(void **state)
{
	outcome out;
	bool accepted;

	resumed_against_crl(state, "lsc-ext.pem", "11-22-33-44-55-66", "CP-8865-SEP112233445566", &out, &accepted);
	if (!accepted) fail_msg("rejected: %s", out.reason);
}

/* Without the serial the CRL cannot be consulted: fail closed. */
static void test_resumed_session_without_serial_rejected_when_anchor_has_crl(void **state)
{
	pc_anchor_config const with_crl[] = {
		{ .kind = PC_ANCHOR_LSC_CA, .name = "corp", .ca_file = pki_file("ext-ca.pem"),
		  .crl_file = pki_file("ext-ca.crl.pem") },
	};
	pc_policy policy = defaults();
	pc_facts facts = lsc_facts();
	char fingerprint[PC_FINGERPRINT_LEN];

	if (pki_fingerprint("ext-ca.pem", fingerprint) < 0) fail_msg("no fingerprint of ext-ca.pem");
	facts.anchor_name = "corp";
	facts.anchor_fingerprint = fingerprint;	/* the session's signer is still there: only the serial is missing */
	assert_contains(expect_reject(&policy, extra_trust(state, with_crl, COUNT(with_crl)), &facts).reason,
			"no certificate serial to check against the CRL of lsc_ca 'corp'");
}

#define POLICY_TEST(f) cmocka_unit_test_setup_teardown(f, fixture_setup, fixture_teardown)

int main(void)
{
	struct CMUnitTest const tests[] = {
		POLICY_TEST(test_blocked_phone_rejected_with_the_comment),
		POLICY_TEST(test_resumed_session_of_revoked_certificate_rejected),
		POLICY_TEST(test_resumed_session_not_revoked_accepted),
		POLICY_TEST(test_resumed_session_without_serial_rejected_when_anchor_has_crl),
		POLICY_TEST(test_blocked_before_other_checks),
		POLICY_TEST(test_not_blocked_accepted),
		POLICY_TEST(test_fleet_blocklist_refuses),
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_set_mic),
		cmocka_unit_test(test_set_mic_expired),
		cmocka_unit_test(test_set_mic_legacy_signatures),
		cmocka_unit_test(test_set_rejects_invalid_values),
		cmocka_unit_test(test_option_table_matches_defaults),
		cmocka_unit_test(test_set_unknown_option),
		cmocka_unit_test(test_set_error_fits_small_buffer),
		POLICY_TEST(test_accept_lsc),
		POLICY_TEST(test_accept_calling_station_id_in_every_layout),
		POLICY_TEST(test_accept_identity_in_any_case),
		POLICY_TEST(test_accept_resets_hint),
		POLICY_TEST(test_hint_pointer_may_be_null),
		POLICY_TEST(test_mic_allowed),
		POLICY_TEST(test_mic_denied),
		POLICY_TEST(test_mic_deny_lets_lsc_through),
		POLICY_TEST(test_mac_mismatch),
		POLICY_TEST(test_mac_mismatch_for_mic),
		POLICY_TEST(test_mac_without_calling_station_id),
		POLICY_TEST(test_mac_calling_station_id_not_a_mac),
		POLICY_TEST(test_mac_certificate_without_mac),
		POLICY_TEST(test_bind_mac_off_ignores_mac),
		POLICY_TEST(test_identity_mismatch),
		POLICY_TEST(test_identity_is_not_a_prefix_match),
		POLICY_TEST(test_identity_without_user_name),
		POLICY_TEST(test_identity_without_common_name),
		POLICY_TEST(test_bind_identity_off_ignores_identity),
		POLICY_TEST(test_window_open_before_until),
		POLICY_TEST(test_window_closed_at_and_after_until),
		POLICY_TEST(test_window_of_one_anchor_only),
		POLICY_TEST(test_anchor_no_longer_configured),
		POLICY_TEST(test_anchor_certificate_replaced),
		POLICY_TEST(test_anchor_certificate_of_another_anchor),
		POLICY_TEST(test_anchor_fingerprint_missing),
		POLICY_TEST(test_anchor_name_missing),
		POLICY_TEST(test_unknown_certificate_type),
		POLICY_TEST(test_window_reported_before_bindings),
		POLICY_TEST(test_window_reported_before_mic_deny),
		POLICY_TEST(test_removed_anchor_reported_before_mic_deny),
		POLICY_TEST(test_mic_deny_reported_before_bindings),
		POLICY_TEST(test_reason_fits_with_long_input),
		POLICY_TEST(test_reason_fits_with_long_anchor_name),
		POLICY_TEST(test_facts_from_verified_lsc),
		POLICY_TEST(test_facts_from_verified_mic),
		POLICY_TEST(test_facts_from_verified_lsc_of_old_capf),
	};

	return cmocka_run_group_tests_name("policy", tests, pki_group_setup, pki_group_teardown);
}

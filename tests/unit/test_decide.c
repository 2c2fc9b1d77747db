/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * core/decide.c: the decision in its two moments. In the handshake, trust
 * first and then the policy with what the switch reported; after it, the
 * policy again on what the session cached. (The rules themselves are
 * test_policy.c's, trust test_verify.c's.)
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include <openssl/x509_vfy.h>

#include "core/decide.h"

#include "pki_support.h"

#define NOW 1767225600		/* 2026-01-01T00:00:00Z */
#define UNTIL "2026-06-01T00:00:00Z"
#define AFTER_UNTIL 1782864000	/* 2026-07-01T00:00:00Z */

/* capf-new, and capf-old retiring at UNTIL: the demo's rotation. */
static int rotation_setup(void **state)
{
	pc_anchor_config const configs[] = {
		{ .kind = PC_ANCHOR_CAPF, .name = "new", .ca_file = pki_file("capf-new.pem") },
		{ .kind = PC_ANCHOR_CAPF, .name = "old", .ca_file = pki_file("capf-old.pem"), .accept_until = UNTIL },
		{ .kind = PC_ANCHOR_MANUFACTURING, .name = "manufacturing", .ca_file = pki_file("mfg-bundle.pem") },
	};
	pc_trust *trust = pc_trust_new();

	assert_non_null(trust);
	for (size_t i = 0; i < sizeof(configs) / sizeof(configs[0]); i++) {
		if (pc_trust_add(trust, &configs[i]) != 0) fail_msg("pc_trust_add: %s", pc_trust_error(trust));
	}
	if (pc_trust_seal(trust) != 0) fail_msg("pc_trust_seal: %s", pc_trust_error(trust));
	*state = trust;
	return 0;
}

static int rotation_teardown(void **state)
{
	pc_trust_free(*state);
	return 0;
}

static pc_verdict decide_file(pc_trust const *trust, pc_policy const *policy, char const *name,
			      pc_switch_report const *reported, time_t now, pc_result *result)
{
	X509 *cert = load_pki_cert(name);
	pc_verdict verdict = pc_decide_chain(trust, policy, cert, NULL, reported, now, result);

	X509_free(cert);
	return verdict;
}

/* What the module caches with the session of an accepted certificate. */
static pc_session_facts cached_of(pc_result const *result)
{
	return (pc_session_facts) {
		.cert_type = pc_cert_type_name(result->cert_type),
		.anchor_name = pc_anchor_name(result->anchor),
		.anchor_fingerprint = result->anchor_fingerprint,
		.common_name = result->identity.cn,
		.mac = result->identity.mac,
		.serial = result->serial,
	};
}

static void test_switch_reporting_the_phone_accepts(void **state)
{
	pc_policy policy;
	pc_result result;

	pc_policy_defaults(&policy);
	assert_int_equal(decide_file(*state, &policy, "lsc-new-rsa.pem", NULL, NOW, &result), PC_VERDICT_ACCEPT);
	assert_string_equal(pc_anchor_name(result.anchor), "new");
	assert_int_equal(result.cert_type, PC_CERT_LSC);
}

static void test_policy_runs_after_trust_with_the_report(void **state)
{
	pc_switch_report const elsewhere = {
		.calling_station_id = "02-00-00-00-00-66", .user_name = "CP-8861-SEP2C3124C9F8E1",
	};
	pc_policy policy;
	pc_result result;

	pc_policy_defaults(&policy);
	assert_int_equal(decide_file(*state, &policy, "lsc-new-rsa.pem", &elsewhere, NOW, &result), PC_VERDICT_REJECT);
	assert_contains(result.reason, "MAC mismatch");
	/* Trust had accepted: the reject still says which anchor signed it. */
	assert_string_equal(pc_anchor_name(result.anchor), "new");
	assert_int_equal(result.cert_type, PC_CERT_LSC);
}

static void test_trust_rejects_before_the_policy(void **state)
{
	pc_switch_report const elsewhere = { .calling_station_id = "02-00-00-00-00-66" };
	pc_policy policy;
	pc_result result;

	pc_policy_defaults(&policy);
	assert_int_equal(decide_file(*state, &policy, "lsc-other.pem", &elsewhere, NOW, &result), PC_VERDICT_REJECT);
	assert_contains(result.reason, "another cluster");
	assert_null(strstr(result.reason, "MAC mismatch"));
}

static void test_not_a_phone_is_left_alone(void **state)
{
	pc_policy policy;
	pc_result result;

	pc_policy_defaults(&policy);
	assert_int_equal(decide_file(*state, &policy, "laptop.pem", NULL, NOW, &result), PC_VERDICT_NOT_PHONE);
}

static void test_policy_reject_in_the_handshake_sets_the_ctx_error(void **state)
{
	pc_switch_report const elsewhere = { .calling_station_id = "02-00-00-00-00-66" };
	X509 *cert = load_pki_cert("lsc-new-rsa.pem");
	X509_STORE *store = X509_STORE_new();
	X509_STORE_CTX *ctx = X509_STORE_CTX_new();
	pc_policy policy;
	pc_result result;

	pc_policy_defaults(&policy);
	policy.bind_identity = false;
	assert_true(store && ctx && X509_STORE_CTX_init(ctx, store, cert, NULL));
	assert_int_equal(pc_decide_certificate(*state, &policy, ctx, &elsewhere, NOW, &result), PC_VERDICT_REJECT);
	assert_int_equal(X509_STORE_CTX_get_error(ctx), X509_V_ERR_APPLICATION_VERIFICATION);
	X509_STORE_CTX_free(ctx);
	X509_STORE_free(store);
	X509_free(cert);
}

static void test_session_accepts_what_the_handshake_accepted(void **state)
{
	pc_switch_report const phone = {
		.calling_station_id = "2c:31:24:c9:f8:e1", .user_name = "CP-8861-SEP2C3124C9F8E1",
	};
	pc_session_facts cached;
	pc_policy policy;
	pc_result result;
	char reason[PC_REASON_LEN];
	char const *hint;

	pc_policy_defaults(&policy);
	assert_int_equal(decide_file(*state, &policy, "lsc-new-rsa.pem", &phone, NOW, &result), PC_VERDICT_ACCEPT);
	cached = cached_of(&result);
	assert_true(pc_decide_session(*state, &policy, &cached, &phone, NOW, reason, sizeof(reason), &hint));
}

static void test_session_rechecks_the_window_now(void **state)
{
	pc_policy policy;
	pc_result result;
	pc_session_facts cached;
	char reason[PC_REASON_LEN];
	char const *hint = NULL;

	pc_policy_defaults(&policy);
	assert_int_equal(decide_file(*state, &policy, "lsc-old-rsa.pem", NULL, NOW, &result), PC_VERDICT_ACCEPT);
	cached = cached_of(&result);
	pc_switch_report const phone = { .calling_station_id = cached.mac, .user_name = cached.common_name };
	assert_false(pc_decide_session(*state, &policy, &cached, &phone, AFTER_UNTIL, reason, sizeof(reason), &hint));
	assert_contains(reason, "outside the window of capf 'old'");
	assert_non_null(hint);
}

static void test_session_reads_the_switch_now(void **state)
{
	pc_switch_report const moved = { .calling_station_id = "02-00-00-00-00-77", .user_name = "CP-8861-SEP2C3124C9F8E1" };
	pc_policy policy;
	pc_result result;
	pc_session_facts cached;
	char reason[PC_REASON_LEN];

	pc_policy_defaults(&policy);
	assert_int_equal(decide_file(*state, &policy, "lsc-new-rsa.pem", NULL, NOW, &result), PC_VERDICT_ACCEPT);
	cached = cached_of(&result);
	assert_false(pc_decide_session(*state, &policy, &cached, &moved, NOW, reason, sizeof(reason), NULL));
	assert_contains(reason, "MAC mismatch");
}

static void test_session_without_a_known_type_is_refused(void **state)
{
	pc_session_facts const cached = { .cert_type = "PHONE", .anchor_name = "new" };
	pc_switch_report const none = { 0 };
	pc_policy policy;
	char reason[PC_REASON_LEN];

	pc_policy_defaults(&policy);
	assert_false(pc_decide_session(*state, &policy, &cached, &none, NOW, reason, sizeof(reason), NULL));
	assert_contains(reason, "internal error: unknown certificate type");
}

static void test_cert_type_parse_inverts_the_name(void **state)
{
	(void)state;
	assert_int_equal(pc_cert_type_parse(pc_cert_type_name(PC_CERT_LSC)), PC_CERT_LSC);
	assert_int_equal(pc_cert_type_parse(pc_cert_type_name(PC_CERT_MIC)), PC_CERT_MIC);
	assert_int_equal(pc_cert_type_parse("lsc"), PC_CERT_UNKNOWN);
	assert_int_equal(pc_cert_type_parse(NULL), PC_CERT_UNKNOWN);
}

#define DECIDE_TEST(f) cmocka_unit_test_setup_teardown(f, rotation_setup, rotation_teardown)

int main(void)
{
	struct CMUnitTest const tests[] = {
		DECIDE_TEST(test_switch_reporting_the_phone_accepts),
		DECIDE_TEST(test_policy_runs_after_trust_with_the_report),
		DECIDE_TEST(test_trust_rejects_before_the_policy),
		DECIDE_TEST(test_not_a_phone_is_left_alone),
		DECIDE_TEST(test_policy_reject_in_the_handshake_sets_the_ctx_error),
		DECIDE_TEST(test_session_accepts_what_the_handshake_accepted),
		DECIDE_TEST(test_session_rechecks_the_window_now),
		DECIDE_TEST(test_session_reads_the_switch_now),
		DECIDE_TEST(test_session_without_a_known_type_is_refused),
		cmocka_unit_test(test_cert_type_parse_inverts_the_name),
	};

	return cmocka_run_group_tests_name("decide", tests, pki_group_setup, pki_group_teardown);
}

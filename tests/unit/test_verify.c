/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Unit tests for core/verify: the accept/reject decision on a client
 * certificate, with real certificates from the test PKI.
 *
 * Every decision is taken at an explicit `now` (NOW unless a test is about
 * time), so the results do not change with the wall clock. Each test keeps
 * its trust set in *state so that the teardown frees it even when an
 * assertion fails half-way.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <ctype.h>

#include "core/trust_internal.h"
#include "core/verify.h"
#include "pki_support.h"

/* Epoch values computed with GNU date -u -d ... +%s. */
#define NOW 1780272000		/* 2026-06-01T00:00:00Z: every non-expired test certificate is valid */
#define IN_2014 1401580800	/* 2014-06-01T00:00:00Z: mic-expired not yet valid, its CAs valid */
#define IN_2020 1593561600	/* 2020-07-01T00:00:00Z: mic-expired was still valid */
#define IN_2024 1717200000	/* 2024-06-01T00:00:00Z: LSCs (from 2025) not yet valid, CAPFs valid */
#define IN_2034 2032732800	/* 2034-06-01T00:00:00Z: CAPFs (until 2034-01-01) expired, LSCs valid */

#define CISCO_MANUFACTURING_BUNDLE "raddb/certs/phonecert/manufacturing.pem"

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* --- building trust sets ---------------------------------------------------- */

static pc_anchor_config capf(char const *name, char const *file)
{
	return (pc_anchor_config) { .kind = PC_ANCHOR_CAPF, .name = name, .ca_file = pki_file(file) };
}

static pc_anchor_config lsc_ca(char const *name, char const *file)
{
	return (pc_anchor_config) { .kind = PC_ANCHOR_LSC_CA, .name = name, .ca_file = pki_file(file) };
}

static pc_anchor_config manufacturing(char const *path)
{
	return (pc_anchor_config) { .kind = PC_ANCHOR_MANUFACTURING, .name = "manufacturing", .ca_file = path };
}

static pc_anchor_config with_window(pc_anchor_config config, char const *from, char const *until)
{
	config.accept_from = from;
	config.accept_until = until;
	return config;
}

/* Build and seal a trust set from configs, owned by *state (freed by the teardown). */
static pc_trust *trust_from(void **state, pc_anchor_config const *configs, size_t count)
{
	pc_trust *trust = pc_trust_new();

	assert_non_null(trust);
	*state = trust;
	for (size_t i = 0; i < count; i++) {
		if (pc_trust_add(trust, &configs[i]) != 0) fail_msg("pc_trust_add: %s", pc_trust_error(trust));
	}
	if (pc_trust_seal(trust) != 0) fail_msg("pc_trust_seal: %s", pc_trust_error(trust));
	return trust;
}

#define TRUST(state, ...) trust_from(state, (pc_anchor_config const[]) { __VA_ARGS__ }, \
				     COUNT(((pc_anchor_config const[]) { __VA_ARGS__ })))

static int trust_fixture_clear(void **state)
{
	*state = NULL;
	return 0;
}

static int trust_fixture_free(void **state)
{
	pc_trust_free(*state);
	return 0;
}

/* --- running the verifier ---------------------------------------------------- */

/* Verify a PKI certificate sent without a chain, under options (NULL: strict). */
static pc_verdict verify_file_with(pc_trust const *trust, pc_verify_options const *options, char const *path,
				   time_t now, pc_result *result)
{
	X509 *cert = load_cert(path);
	pc_verdict verdict = pc_verify_chain(trust, options, cert, NULL, now, result);

	X509_free(cert);
	assert_int_equal(result->verdict, verdict);
	return verdict;
}

/* Verify a PKI certificate sent without a chain, with the strict defaults. */
static pc_verdict verify_file(pc_trust const *trust, char const *file, time_t now, pc_result *result)
{
	return verify_file_with(trust, NULL, pki_file(file), now, result);
}

/* Verify a PKI certificate sent together with one more certificate, as a phone may send its intermediate. */
static pc_verdict verify_with_chain(pc_trust const *trust, char const *file, char const *chain_file,
				    time_t now, pc_result *result)
{
	X509 *cert = load_pki_cert(file);
	STACK_OF(X509) *chain = sk_X509_new_null();
	pc_verdict verdict;

	assert_non_null(chain);
	assert_true(sk_X509_push(chain, load_pki_cert(chain_file)) > 0);
	verdict = pc_verify_chain(trust, NULL, cert, chain, now, result);
	sk_X509_pop_free(chain, X509_free);
	X509_free(cert);
	return verdict;
}

static char const *verdict_name(pc_verdict verdict)
{
	switch (verdict) {
	case PC_VERDICT_NOT_PHONE: return "NOT_PHONE";
	case PC_VERDICT_ACCEPT: return "ACCEPT";
	case PC_VERDICT_REJECT: return "REJECT";
	}
	return "?";
}

/* The verdict, with the reason in the failure message: a bare "1 != 2" would say nothing. */
static void assert_verdict(pc_verdict actual, pc_verdict expected, pc_result const *result)
{
	if (actual != expected) {
		fail_msg("verdict %s, expected %s (reason: \"%s\")", verdict_name(actual), verdict_name(expected),
			 result->reason);
	}
}

/* Accepted as cert_type by the anchor called anchor_name. */
static void assert_accepted_by(pc_result const *result, pc_cert_type type, char const *anchor_name)
{
	assert_verdict(result->verdict, PC_VERDICT_ACCEPT, result);
	assert_int_equal(result->cert_type, type);
	assert_non_null(result->anchor);
	assert_string_equal(pc_anchor_name(result->anchor), anchor_name);
	assert_int_equal(result->x509_error, 0);
	assert_string_equal(result->reason, "");
}

static void assert_rejected_because(pc_result const *result, char const *words)
{
	assert_verdict(result->verdict, PC_VERDICT_REJECT, result);
	assert_contains(result->reason, words);
}

static void expect_accept(pc_trust const *trust, char const *file, pc_cert_type type, char const *anchor_name)
{
	pc_result result;

	verify_file(trust, file, NOW, &result);
	assert_accepted_by(&result, type, anchor_name);
}

/* --- LSCs from CAPF --------------------------------------------------------- */

static void test_lsc_accepted_by_its_capf(void **state)
{
	pc_trust *trust = TRUST(state, capf("new", "capf-new.pem"));
	pc_result result;

	verify_file(trust, "lsc-new-rsa.pem", NOW, &result);
	assert_accepted_by(&result, PC_CERT_LSC, "new");
	assert_true(result.identity.has_device);
	assert_string_equal(result.identity.mac, "2C-31-24-C9-F8-E1");
	assert_string_equal(result.identity.model, "CP-8861");
	assert_string_equal(result.not_after, "2035-01-01T00:00:00Z");
	assert_contains(result.subject, "CN=CP-8861-SEP2C3124C9F8E1");
	assert_contains(result.issuer, "CN=CAPF-0992727f");
	assert_null(result.hint);
}

/* Hex digits without leading zeros, lower case; two results can be in use at once. */
static char const *skip_zeros(char const *hex)
{
	static char buf[2][80];
	static int next;
	char *out = buf[next++ % 2];
	size_t i = 0;

	while (*hex == '0') hex++;
	for (; hex[i] && i < sizeof(buf[0]) - 1; i++) out[i] = (char)tolower((unsigned char)hex[i]);
	out[i] = '\0';
	return out;
}

static void test_result_serial_is_certificate_serial(void **state)
{
	pc_trust *trust = TRUST(state, capf("new", "capf-new.pem"));
	X509 *cert = load_pki_cert("lsc-new-rsa.pem");
	BIGNUM *bn = ASN1_INTEGER_to_BN(X509_get0_serialNumber(cert), NULL);
	char *hex = BN_bn2hex(bn);
	pc_result result;

	assert_int_equal(pc_verify_chain(trust, NULL, cert, NULL, NOW, &result), PC_VERDICT_ACCEPT);
	/* Same number, spelled independently: compare without case and leading zeros. */
	assert_string_equal(skip_zeros(result.serial), skip_zeros(hex));
	OPENSSL_free(hex);
	BN_free(bn);
	X509_free(cert);
}

static void test_lsc_with_ec_key_accepted(void **state)
{
	pc_trust *trust = TRUST(state, capf("new", "capf-new.pem"));

	expect_accept(trust, "lsc-new-ec.pem", PC_CERT_LSC, "new");
}

/* capf-old and capf-new share one DN: only the signature can tell which one issued an LSC. */
static void assert_same_dn_capfs_pick_by_signature(pc_trust const *trust)
{
	expect_accept(trust, "lsc-old-rsa.pem", PC_CERT_LSC, "old");
	expect_accept(trust, "lsc-new-rsa.pem", PC_CERT_LSC, "new");
}

static void test_same_dn_capfs_old_configured_first(void **state)
{
	pc_trust *trust = TRUST(state, capf("old", "capf-old.pem"), capf("new", "capf-new.pem"));

	assert_same_dn_capfs_pick_by_signature(trust);
}

static void test_same_dn_capfs_new_configured_first(void **state)
{
	pc_trust *trust = TRUST(state, capf("new", "capf-new.pem"), capf("old", "capf-old.pem"));

	assert_same_dn_capfs_pick_by_signature(trust);
}

static void test_same_dn_capfs_in_one_bundle_old_first(void **state)
{
	char const *bundle = bundle_scratch("old-new.pem", "capf-old.pem", "capf-new.pem", NULL);
	pc_trust *trust = TRUST(state, { .kind = PC_ANCHOR_CAPF, .name = "both", .ca_file = bundle });

	expect_accept(trust, "lsc-old-rsa.pem", PC_CERT_LSC, "both");
	expect_accept(trust, "lsc-new-rsa.pem", PC_CERT_LSC, "both");
}

static void test_same_dn_capfs_in_one_bundle_new_first(void **state)
{
	char const *bundle = bundle_scratch("new-old.pem", "capf-new.pem", "capf-old.pem", NULL);
	pc_trust *trust = TRUST(state, { .kind = PC_ANCHOR_CAPF, .name = "both", .ca_file = bundle });

	expect_accept(trust, "lsc-old-rsa.pem", PC_CERT_LSC, "both");
	expect_accept(trust, "lsc-new-rsa.pem", PC_CERT_LSC, "both");
}

/* The fingerprint of the PKI certificate file, as pc_cert_fingerprint gives it. */
static void assert_fingerprint_of(char const *fingerprint, char const *file)
{
	char expected[PC_FINGERPRINT_LEN];
	X509 *cert = load_pki_cert(file);

	assert_true(pc_cert_fingerprint(cert, expected));
	X509_free(cert);
	assert_int_equal(strlen(expected), 64);
	assert_string_equal(fingerprint, expected);
}

static void test_result_names_the_signing_certificate(void **state)
{
	char const *bundle = bundle_scratch("old-new-fp.pem", "capf-old.pem", "capf-new.pem", NULL);
	pc_trust *trust = TRUST(state, { .kind = PC_ANCHOR_CAPF, .name = "both", .ca_file = bundle });
	pc_result result;

	/* One anchor, two same-DN certificates: the result names the one whose key signed, not the anchor. */
	verify_file(trust, "lsc-old-rsa.pem", NOW, &result);
	assert_accepted_by(&result, PC_CERT_LSC, "both");
	assert_fingerprint_of(result.anchor_fingerprint, "capf-old.pem");
	verify_file(trust, "lsc-new-rsa.pem", NOW, &result);
	assert_fingerprint_of(result.anchor_fingerprint, "capf-new.pem");
	assert_true(pc_anchor_has_signer(trust, result.anchor, result.anchor_fingerprint));
}

static void test_forged_lsc_names_no_signing_certificate(void **state)
{
	pc_trust *trust = TRUST(state, capf("new", "capf-new.pem"));
	pc_result result;

	verify_file(trust, "forged-lsc.pem", NOW, &result);
	assert_verdict(result.verdict, PC_VERDICT_REJECT, &result);
	assert_null(result.anchor);
	assert_string_equal(result.anchor_fingerprint, "");
}

/* The issuer index sorts anchors by name: same-DN anchors far apart in the configuration are all candidates. */
static void test_same_dn_capfs_with_other_anchors_between(void **state)
{
	pc_trust *trust = TRUST(state, capf("new", "capf-new.pem"), lsc_ca("example", "ext-ca.pem"),
				manufacturing(pki_file("mfg-bundle.pem")), capf("other", "capf-other.pem"),
				capf("old", "capf-old.pem"));

	assert_same_dn_capfs_pick_by_signature(trust);
	expect_accept(trust, "mic.pem", PC_CERT_MIC, "manufacturing");
	expect_accept(trust, "lsc-ext.pem", PC_CERT_LSC, "example");
	expect_accept(trust, "lsc-other.pem", PC_CERT_LSC, "other");
}

/* --- the signer memory (pc_trust_remember_signer) ------------------------------ */

/* The signer of trust that belongs to the anchor called name and has the subject of PKI certificate file. */
static pc_signer const *signer_of(pc_trust const *trust, char const *file, char const *name)
{
	X509 *cert = load_pki_cert(file);
	size_t count;
	pc_signer const *const *found = pc_trust_signers_named(trust, X509_get_subject_name(cert), &count);
	pc_signer const *signer = NULL;

	for (size_t i = 0; i < count; i++) {
		if (strcmp(pc_anchor_name(found[i]->anchor), name) == 0) signer = found[i];
	}
	X509_free(cert);
	assert_non_null(signer);
	return signer;
}

static pc_signer const *recalled(pc_trust const *trust, char const *file)
{
	X509 *cert = load_pki_cert(file);
	pc_signer const *signer = pc_trust_recall_signer(trust, cert);

	X509_free(cert);
	return signer;
}

static void remember(pc_trust const *trust, char const *file, pc_signer const *signer)
{
	X509 *cert = load_pki_cert(file);

	pc_trust_remember_signer(trust, cert, signer);
	X509_free(cert);
}

/* A phone that comes back is accepted by the same anchor, from memory, in either configuration order. */
static void test_memory_remembers_the_signer_of_same_dn_capfs(void **state)
{
	pc_trust *trust = TRUST(state, capf("new", "capf-new.pem"), capf("old", "capf-old.pem"));

	assert_null(recalled(trust, "lsc-old-rsa.pem"));
	for (int round = 0; round < 2; round++) assert_same_dn_capfs_pick_by_signature(trust);
	assert_ptr_equal(recalled(trust, "lsc-old-rsa.pem"), signer_of(trust, "capf-old.pem", "old"));
	assert_ptr_equal(recalled(trust, "lsc-new-rsa.pem"), signer_of(trust, "capf-new.pem", "new"));
	assert_null(recalled(trust, "lsc-new-ec.pem"));	/* never verified */
}

/* Only a choice between several candidates is remembered. */
static void test_memory_skips_a_single_candidate(void **state)
{
	pc_trust *trust = TRUST(state, capf("new", "capf-new.pem"));

	expect_accept(trust, "lsc-new-rsa.pem", PC_CERT_LSC, "new");
	assert_null(recalled(trust, "lsc-new-rsa.pem"));
}

/* What is recalled is a hint: a signer whose key did not sign the certificate still fails it. */
static void test_memory_wrong_hint_never_accepts(void **state)
{
	pc_trust *trust = TRUST(state, capf("new", "capf-new.pem"), capf("old", "capf-old.pem"));
	pc_result result;

	remember(trust, "forged-lsc.pem", signer_of(trust, "capf-new.pem", "new"));
	assert_verdict(verify_file(trust, "forged-lsc.pem", NOW, &result), PC_VERDICT_REJECT, &result);
	assert_rejected_because(&result, "signature not verified");
	assert_null(result.anchor);
	remember(trust, "lsc-old-rsa.pem", signer_of(trust, "capf-new.pem", "new"));
	assert_verdict(verify_file(trust, "lsc-old-rsa.pem", NOW, &result), PC_VERDICT_REJECT, &result);
	assert_null(result.anchor);
}

/* A remembered signer whose window has closed is not taken from memory: the search decides again. */
static void test_memory_with_closed_window_searches_again(void **state)
{
	pc_trust *trust = TRUST(state, capf("new", "capf-new.pem"),
				with_window(capf("old", "capf-old.pem"), NULL, "2026-01-01T00:00:00Z"));
	pc_result result;

	remember(trust, "lsc-new-rsa.pem", signer_of(trust, "capf-old.pem", "old"));
	expect_accept(trust, "lsc-new-rsa.pem", PC_CERT_LSC, "new");
	assert_ptr_equal(recalled(trust, "lsc-new-rsa.pem"), signer_of(trust, "capf-new.pem", "new"));
	verify_file(trust, "lsc-old-rsa.pem", NOW, &result);
	assert_rejected_because(&result, "outside the window of capf 'old'");
}

static void test_lsc_of_unconfigured_same_dn_capf_is_forged_looking(void **state)
{
	pc_trust *trust = TRUST(state, capf("new", "capf-new.pem"));
	pc_result result;

	/* Only capf-new is configured: lsc-old-rsa has the right issuer name but the wrong key. */
	verify_file(trust, "lsc-old-rsa.pem", NOW, &result);
	assert_rejected_because(&result, "signature not verified");
	assert_contains(result.reason, "capf 'new'");
}

/* --- acceptance windows ------------------------------------------------------- */

static void test_old_capf_window_closed(void **state)
{
	pc_trust *trust = TRUST(state,
				with_window(capf("old", "capf-old.pem"), NULL, "2026-01-01T00:00:00Z"),
				capf("new", "capf-new.pem"));
	pc_result result;

	verify_file(trust, "lsc-old-rsa.pem", NOW, &result);
	assert_rejected_because(&result, "outside the window");
	assert_contains(result.reason, "capf 'old'");
	assert_contains(result.reason, "until 2026-01-01T00:00:00Z");
	/* The signer is known even on a window reject: the log can say which anchor. */
	assert_non_null(result.anchor);
	assert_string_equal(pc_anchor_name(result.anchor), "old");
	assert_non_null(result.hint);
	/* Closing the old CAPF must not affect the phones that already moved to the new one. */
	expect_accept(trust, "lsc-new-rsa.pem", PC_CERT_LSC, "new");
}

static void test_window_not_open_yet(void **state)
{
	pc_trust *trust = TRUST(state, with_window(capf("new", "capf-new.pem"), "2027-01-01T00:00:00Z", NULL));
	pc_result result;

	verify_file(trust, "lsc-new-rsa.pem", NOW, &result);
	assert_rejected_because(&result, "outside the window");
	assert_contains(result.reason, "capf 'new'");
	assert_contains(result.reason, "from 2027-01-01T00:00:00Z");
}

static void test_window_until_is_exclusive_end_to_end(void **state)
{
	pc_trust *trust = TRUST(state, with_window(capf("new", "capf-new.pem"), NULL, "2026-06-01T00:00:00Z"));
	pc_result result;

	/* accept_until == NOW: the last accepted second was NOW - 1. */
	verify_file(trust, "lsc-new-rsa.pem", NOW - 1, &result);
	assert_verdict(result.verdict, PC_VERDICT_ACCEPT, &result);
	verify_file(trust, "lsc-new-rsa.pem", NOW, &result);
	assert_rejected_because(&result, "outside the window");
}

static void test_window_from_is_inclusive_end_to_end(void **state)
{
	pc_trust *trust = TRUST(state, with_window(capf("new", "capf-new.pem"), "2026-06-01T00:00:00Z", NULL));
	pc_result result;

	verify_file(trust, "lsc-new-rsa.pem", NOW - 1, &result);
	assert_rejected_because(&result, "outside the window");
	verify_file(trust, "lsc-new-rsa.pem", NOW, &result);
	assert_verdict(result.verdict, PC_VERDICT_ACCEPT, &result);
}

/*
 * A copy of a PKI certificate with another serial number, signed again with
 * key_file using md, written to the scratch file out_name; returns its path.
 * Same subject, issuer, key and extensions: only what the test changes differs.
 */
static char const *resigned_copy(char const *file, char const *key_file, EVP_MD const *md, long serial,
				 char const *out_name)
{
	X509 *copy = load_pki_cert(file);
	FILE *in = fopen(pki_file(key_file), "r");
	EVP_PKEY *key = in ? PEM_read_PrivateKey(in, NULL, NULL, NULL) : NULL;
	char const *path = scratch_file(out_name);
	FILE *out;

	if (in) fclose(in);
	if (!key) fail_msg("cannot read the key %s", pki_file(key_file));
	assert_int_equal(ASN1_INTEGER_set(X509_get_serialNumber(copy), serial), 1);
	assert_true(X509_sign(copy, key, md) > 0);
	out = fopen(path, "w");
	assert_non_null(out);
	assert_int_equal(PEM_write_X509(out, copy), 1);
	assert_int_equal(fclose(out), 0);
	X509_free(copy);
	EVP_PKEY_free(key);
	return path;
}

/* capf-new re-issued: same DN and key, another certificate (as when a CA certificate is renewed). */
static char const *reissued_capf_new(void)
{
	return resigned_copy("capf-new.pem", "capf-new.key", EVP_sha256(), 0x5eed, "capf-new-reissued.pem");
}

static void test_reissued_capf_open_window_preferred_closed_first(void **state)
{
	char const *reissued = reissued_capf_new();
	pc_trust *trust = TRUST(state,
				with_window(capf("retired-cert", "capf-new.pem"), NULL, "2026-01-01T00:00:00Z"),
				{ .kind = PC_ANCHOR_CAPF, .name = "reissued", .ca_file = reissued });

	/* Both certificates verify the LSC's signature: the one whose window is open must win. */
	expect_accept(trust, "lsc-new-rsa.pem", PC_CERT_LSC, "reissued");
}

static void test_reissued_capf_open_window_preferred_open_first(void **state)
{
	char const *reissued = reissued_capf_new();
	pc_trust *trust = TRUST(state,
				{ .kind = PC_ANCHOR_CAPF, .name = "reissued", .ca_file = reissued },
				with_window(capf("retired-cert", "capf-new.pem"), NULL, "2026-01-01T00:00:00Z"));

	expect_accept(trust, "lsc-new-rsa.pem", PC_CERT_LSC, "reissued");
}

/* --- unknown issuers and other clusters ------------------------------------------- */

static void test_lsc_from_other_cluster(void **state)
{
	pc_trust *trust = TRUST(state, capf("new", "capf-new.pem"));
	pc_result result;

	verify_file(trust, "lsc-other.pem", NOW, &result);
	assert_rejected_because(&result, "another cluster");
	assert_contains(result.reason, "CAPF-a7fb32bf");
	assert_null(result.anchor);
	assert_int_equal(result.cert_type, PC_CERT_UNKNOWN);
	/* The identity is still reported so that the log names the phone to fix. */
	assert_string_equal(result.identity.device_name, "SEPB000B4BA0AEE");
	assert_non_null(result.hint);
}

static void test_lsc_from_other_cluster_accepted_when_configured(void **state)
{
	pc_trust *trust = TRUST(state, capf("new", "capf-new.pem"), capf("sydney", "capf-other.pem"));

	expect_accept(trust, "lsc-other.pem", PC_CERT_LSC, "sydney");
}

static void test_external_ca_lsc_without_lsc_ca(void **state)
{
	pc_trust *trust = TRUST(state, capf("new", "capf-new.pem"));
	pc_result result;

	verify_file(trust, "lsc-ext.pem", NOW, &result);
	assert_rejected_because(&result, "unknown issuer");
	assert_contains(result.reason, "Example Phone Issuing CA");
}

static void test_external_ca_lsc_with_lsc_ca(void **state)
{
	pc_trust *trust = TRUST(state, capf("new", "capf-new.pem"), lsc_ca("example", "ext-ca.pem"));

	expect_accept(trust, "lsc-ext.pem", PC_CERT_LSC, "example");
}

/* --- revocation: an anchor's crl_file --------------------------------------------- */

static pc_anchor_config with_crl(pc_anchor_config config, char const *crl_file)
{
	config.crl_file = pki_file(crl_file);
	return config;
}

static void test_crl_rejects_revoked_lsc(void **state)
{
	pc_trust *trust = TRUST(state, with_crl(lsc_ca("example", "ext-ca.pem"), "ext-ca.crl.pem"));
	pc_result result;

	verify_file(trust, "lsc-ext-revoked.pem", NOW, &result);
	assert_rejected_because(&result, "certificate revoked: serial ");
	assert_contains(result.reason, result.serial);
	assert_contains(result.reason, "lsc_ca 'example'");
	assert_int_equal(result.x509_error, X509_V_ERR_CERT_REVOKED);
	assert_non_null(result.hint);
}

static void test_crl_accepts_lsc_not_revoked(void **state)
{
	pc_trust *trust = TRUST(state, with_crl(lsc_ca("example", "ext-ca.pem"), "ext-ca.crl.pem"));

	expect_accept(trust, "lsc-ext.pem", PC_CERT_LSC, "example");
}

static void test_revoked_lsc_accepted_without_crl_file(void **state)
{
	pc_trust *trust = TRUST(state, lsc_ca("example", "ext-ca.pem"));

	expect_accept(trust, "lsc-ext-revoked.pem", PC_CERT_LSC, "example");
}

/* One anchor's crl_file asks nothing of the others: CAPF and manufacturing publish no CRL. */
static void test_crl_applies_to_its_anchor_only(void **state)
{
	pc_trust *trust = TRUST(state, capf("new", "capf-new.pem"),
				with_crl(lsc_ca("example", "ext-ca.pem"), "ext-ca.crl.pem"),
				manufacturing(pki_file("mfg-bundle.pem")));
	pc_result result;

	expect_accept(trust, "lsc-new-rsa.pem", PC_CERT_LSC, "new");
	expect_accept(trust, "mic.pem", PC_CERT_MIC, "manufacturing");
	expect_accept(trust, "lsc-ext.pem", PC_CERT_LSC, "example");
	verify_file(trust, "lsc-ext-revoked.pem", NOW, &result);
	assert_rejected_because(&result, "certificate revoked");
}

static void test_crl_out_of_date_rejects(void **state)
{
	pc_trust *trust = TRUST(state, with_crl(lsc_ca("example", "ext-ca.pem"), "ext-ca-expired.crl.pem"));
	pc_result result;

	verify_file(trust, "lsc-ext.pem", NOW, &result);
	assert_rejected_because(&result, "the CRL for lsc_ca 'example' is out of date: its next update was due 2024-02-01T00:00:00Z");
	assert_contains(result.hint, "crl_file");
}

/* What eap's check_crl = yes does: every certificate needs a CRL, and a CAPF publishes none. */
static void test_global_crl_check_without_crl_file_names_eap_check_crl(void **state)
{
	pc_trust *trust = TRUST(state, capf("new", "capf-new.pem"));
	X509_STORE *store = X509_STORE_new();
	X509_STORE_CTX *ctx = X509_STORE_CTX_new();
	X509 *cert = load_pki_cert("lsc-new-rsa.pem");
	pc_result result;

	assert_non_null(store);
	assert_non_null(ctx);
	X509_STORE_set_flags(store, X509_V_FLAG_CRL_CHECK);
	assert_true(X509_STORE_CTX_init(ctx, store, cert, NULL));
	assert_verdict(pc_verify(trust, NULL, ctx, NOW, &result), PC_VERDICT_REJECT, &result);
	assert_rejected_because(&result, "CRL check failed for capf 'new', which has no crl_file");
	assert_contains(result.hint, "check_crl = no");
	X509_STORE_CTX_free(ctx);
	X509_STORE_free(store);
	X509_free(cert);
}

/* --- MICs ----------------------------------------------------------------------- */

static void test_mic_accepted_by_manufacturing(void **state)
{
	pc_trust *trust = TRUST(state, manufacturing(pki_file("mfg-bundle.pem")));
	pc_result result;

	verify_file(trust, "mic.pem", NOW, &result);
	assert_accepted_by(&result, PC_CERT_MIC, "manufacturing");
	assert_string_equal(result.identity.device_name, "SEP2C3124C9F8E1");
	assert_string_equal(result.identity.mac, "2C-31-24-C9-F8-E1");
	assert_string_equal(result.identity.model, "CP-8861");
	assert_string_equal(result.identity.pid, "CP-8861");
	assert_string_equal(result.identity.sn, "FCH2133E8B9");
}

static void test_mic_sent_with_its_intermediate(void **state)
{
	pc_trust *trust = TRUST(state, manufacturing(pki_file("mfg-bundle.pem")));
	pc_result result;

	assert_verdict(verify_with_chain(trust, "mic.pem", "mfg-ca.pem", NOW, &result), PC_VERDICT_ACCEPT, &result);
	assert_accepted_by(&result, PC_CERT_MIC, "manufacturing");
}

static void test_mic_with_intermediate_only_anchor(void **state)
{
	pc_trust *trust = TRUST(state, manufacturing(pki_file("mfg-ca.pem")));

	/* The configured intermediate is trusted as it is: no root needed (partial chain). */
	expect_accept(trust, "mic.pem", PC_CERT_MIC, "manufacturing");
}

static void test_mic_expired(void **state)
{
	pc_trust *trust = TRUST(state, manufacturing(pki_file("mfg-bundle.pem")));
	pc_result result;

	verify_file(trust, "mic-expired.pem", NOW, &result);
	assert_rejected_because(&result, "expired");
	assert_contains(result.reason, "2025-01-01T00:00:00Z");
	assert_int_equal(result.x509_error, X509_V_ERR_CERT_HAS_EXPIRED);
	assert_int_equal(result.cert_type, PC_CERT_MIC);
	/* The hint differs for MICs: they cannot be renewed. */
	assert_non_null(result.hint);
	assert_contains(result.hint, "MIC");
}

static void test_mic_expired_was_valid_in_2020(void **state)
{
	pc_trust *trust = TRUST(state, manufacturing(pki_file("mfg-bundle.pem")));
	pc_result result;

	/* Proves that `now` drives the X.509 validity check, not the wall clock. */
	verify_file(trust, "mic-expired.pem", IN_2020, &result);
	assert_accepted_by(&result, PC_CERT_MIC, "manufacturing");
}

static void test_test_mic_not_accepted_by_real_cisco_bundle(void **state)
{
	pc_trust *trust;
	pc_result result;

	if (access(CISCO_MANUFACTURING_BUNDLE, R_OK) != 0) {
		fail_msg("%s not found: run the unit tests from the repository root (make unit does)",
			 CISCO_MANUFACTURING_BUNDLE);
	}
	trust = TRUST(state, manufacturing(CISCO_MANUFACTURING_BUNDLE));
	assert_int_equal(sk_X509_num(pc_anchor_certs(pc_trust_anchor(trust, 0))), 4);
	/* The MIC names a phone, so it is ours to decide, but no Cisco CA issued it. */
	verify_file(trust, "mic.pem", NOW, &result);
	assert_rejected_because(&result, "unknown issuer");
}

/* --- MIC options: expired and legacy MICs ------------------------------------------ */

static pc_verify_options const ALLOW_EXPIRED_MIC = { .allow_expired_mic = true };
static pc_verify_options const ALLOW_LEGACY_MIC = { .allow_legacy_mic = true };
static pc_verify_options const ALLOW_NOTHING = { .allow_expired_mic = false, .allow_legacy_mic = false };

static void test_expired_mic_accepted_and_flagged_when_allowed(void **state)
{
	pc_trust *trust = TRUST(state, manufacturing(pki_file("mfg-bundle.pem")));
	pc_result result;

	verify_file_with(trust, &ALLOW_EXPIRED_MIC, pki_file("mic-expired.pem"), NOW, &result);
	assert_accepted_by(&result, PC_CERT_MIC, "manufacturing");
	/* Let through, but marked so that the policy and the logs can tell. */
	assert_true(result.expired);
	assert_false(result.legacy);
}

static void test_valid_mic_not_flagged_expired(void **state)
{
	pc_trust *trust = TRUST(state, manufacturing(pki_file("mfg-bundle.pem")));
	pc_result result;

	verify_file_with(trust, &ALLOW_EXPIRED_MIC, pki_file("mic.pem"), NOW, &result);
	assert_accepted_by(&result, PC_CERT_MIC, "manufacturing");
	assert_false(result.expired);
}

static void test_expired_mic_option_keeps_not_before(void **state)
{
	pc_trust *trust = TRUST(state, manufacturing(pki_file("mfg-bundle.pem")));
	pc_result result;

	/* Only the end of a MIC's validity is waived: a MIC from the future is still refused. */
	verify_file_with(trust, &ALLOW_EXPIRED_MIC, pki_file("mic-expired.pem"), IN_2014, &result);
	assert_rejected_because(&result, "not valid before 2015-01-01T00:00:00Z");
	assert_false(result.expired);
}

static void test_expired_mic_option_does_not_cover_lsc(void **state)
{
	pc_trust *trust = TRUST(state, capf("new", "capf-new.pem"));
	pc_result result;

	/* An LSC can be renewed through CAPF, so it never gets the MIC exemption. */
	verify_file_with(trust, &ALLOW_EXPIRED_MIC, pki_file("lsc-expired.pem"), NOW, &result);
	assert_rejected_because(&result, "expired");
	assert_int_equal(result.x509_error, X509_V_ERR_CERT_HAS_EXPIRED);
	assert_false(result.expired);
}

static void test_options_all_false_same_as_strict(void **state)
{
	pc_trust *trust = TRUST(state, manufacturing(pki_file("mfg-bundle.pem")));
	pc_result result;

	verify_file_with(trust, &ALLOW_NOTHING, pki_file("mic-expired.pem"), NOW, &result);
	assert_rejected_because(&result, "expired");
	assert_int_equal(result.x509_error, X509_V_ERR_CERT_HAS_EXPIRED);
}

/* mic.pem signed again by mfg-ca with SHA-1, like a MIC from the old Cisco Manufacturing CA. */
static char const *sha1_mic(void)
{
	return resigned_copy("mic.pem", "mfg-ca.key", EVP_sha1(), 0x51, "mic-sha1.pem");
}

static void test_sha1_mic_rejected_by_default(void **state)
{
	pc_trust *trust = TRUST(state, manufacturing(pki_file("mfg-bundle.pem")));
	pc_result result;

	verify_file_with(trust, NULL, sha1_mic(), NOW, &result);
	assert_rejected_because(&result, "legacy algorithm");
	assert_int_equal(result.x509_error, X509_V_ERR_CA_MD_TOO_WEAK);
	assert_non_null(result.hint);
	/* The hint names the option that would let it through. */
	assert_contains(result.hint, "mic_legacy_signatures");
	assert_false(result.legacy);
}

static void test_sha1_mic_accepted_and_flagged_when_allowed(void **state)
{
	pc_trust *trust = TRUST(state, manufacturing(pki_file("mfg-bundle.pem")));
	pc_result result;

	verify_file_with(trust, &ALLOW_LEGACY_MIC, sha1_mic(), NOW, &result);
	assert_accepted_by(&result, PC_CERT_MIC, "manufacturing");
	assert_true(result.legacy);
}

static void test_modern_mic_not_flagged_legacy(void **state)
{
	pc_trust *trust = TRUST(state, manufacturing(pki_file("mfg-bundle.pem")));
	pc_result result;

	verify_file_with(trust, &ALLOW_LEGACY_MIC, pki_file("mic.pem"), NOW, &result);
	assert_accepted_by(&result, PC_CERT_MIC, "manufacturing");
	assert_false(result.legacy);
}

/* The PKI's own legacy chain: SHA-1 throughout and an RSA-1024 phone key, like the old Cisco CA. */
static void test_legacy_pki_mic_rejected_by_default(void **state)
{
	pc_trust *trust = TRUST(state, manufacturing(pki_file("mfg-legacy-bundle.pem")));
	static LargestIntegralType const legacy_errors[] = {
		X509_V_ERR_EE_KEY_TOO_SMALL, X509_V_ERR_CA_KEY_TOO_SMALL, X509_V_ERR_CA_MD_TOO_WEAK,
	};
	pc_result result;

	verify_file(trust, "mic-legacy.pem", NOW, &result);
	assert_rejected_because(&result, "legacy algorithm");
	/* Which weakness OpenSSL reports first is its business; it must be one of them. */
	assert_in_set(result.x509_error, legacy_errors, COUNT(legacy_errors));
}

static void test_legacy_pki_mic_accepted_and_flagged_when_allowed(void **state)
{
	pc_trust *trust = TRUST(state, manufacturing(pki_file("mfg-legacy-bundle.pem")));
	pc_result result;

	verify_file_with(trust, &ALLOW_LEGACY_MIC, pki_file("mic-legacy.pem"), NOW, &result);
	assert_accepted_by(&result, PC_CERT_MIC, "manufacturing");
	assert_true(result.legacy);
	assert_string_equal(result.identity.mac, "00-0D-0E-0F-10-11");
}

static void test_legacy_option_does_not_cover_lsc(void **state)
{
	pc_trust *trust = TRUST(state, capf("new", "capf-new.pem"));
	char const *sha1_lsc = resigned_copy("lsc-new-rsa.pem", "capf-new.key", EVP_sha1(), 0x51, "lsc-sha1.pem");
	pc_result result;

	verify_file_with(trust, &ALLOW_LEGACY_MIC, sha1_lsc, NOW, &result);
	assert_rejected_because(&result, "legacy algorithm");
	assert_int_equal(result.x509_error, X509_V_ERR_CA_MD_TOO_WEAK);
	assert_false(result.legacy);
}

/* --- X.509 failures ------------------------------------------------------------ */

static void test_lsc_expired(void **state)
{
	pc_trust *trust = TRUST(state, capf("new", "capf-new.pem"));
	pc_result result;

	verify_file(trust, "lsc-expired.pem", NOW, &result);
	assert_rejected_because(&result, "expired");
	assert_contains(result.reason, "2021-01-01T00:00:00Z");
	assert_int_equal(result.x509_error, X509_V_ERR_CERT_HAS_EXPIRED);
	assert_int_equal(result.cert_type, PC_CERT_LSC);
}

static void test_lsc_not_yet_valid(void **state)
{
	pc_trust *trust = TRUST(state, capf("new", "capf-new.pem"));
	pc_result result;

	verify_file(trust, "lsc-new-rsa.pem", IN_2024, &result);
	assert_rejected_because(&result, "not valid before 2025-01-01T00:00:00Z");
	assert_int_equal(result.x509_error, X509_V_ERR_CERT_NOT_YET_VALID);
}

static void test_anchor_certificate_expired(void **state)
{
	pc_trust *trust = TRUST(state, capf("new", "capf-new.pem"));
	pc_result result;

	/* The LSC is valid until 2035, but the CAPF that vouches for it only until 2034. */
	verify_file(trust, "lsc-new-rsa.pem", IN_2034, &result);
	assert_rejected_because(&result, "anchor certificate CAPF-0992727f expired");
	assert_int_equal(result.x509_error, X509_V_ERR_CERT_HAS_EXPIRED);
}

static void test_forged_capf_self_signed(void **state)
{
	pc_trust *trust = TRUST(state, capf("new", "capf-new.pem"));
	pc_result result;

	verify_file(trust, "forged-capf.pem", NOW, &result);
	assert_rejected_because(&result, "signature not verified");
	assert_null(result.anchor);
}

static void test_forged_lsc(void **state)
{
	pc_trust *trust = TRUST(state, capf("new", "capf-new.pem"));
	pc_result result;

	verify_file(trust, "forged-lsc.pem", NOW, &result);
	assert_rejected_because(&result, "signature not verified");
	assert_contains(result.reason, "CAPF-0992727f");
	assert_null(result.anchor);
	assert_int_equal(result.cert_type, PC_CERT_UNKNOWN);
}

static void test_forged_lsc_names_every_anchor_with_that_dn(void **state)
{
	pc_trust *trust = TRUST(state, capf("old", "capf-old.pem"), capf("new", "capf-new.pem"));
	pc_result result;

	verify_file(trust, "forged-lsc.pem", NOW, &result);
	assert_rejected_because(&result, "signature not verified");
	assert_contains(result.reason, "capf 'old'");
	assert_contains(result.reason, "capf 'new'");
}

static void test_forged_lsc_sent_with_forged_capf(void **state)
{
	pc_trust *trust = TRUST(state, capf("new", "capf-new.pem"));
	pc_result result;

	/* Sending the forger's "CA" along must not let OpenSSL build a chain through it. */
	assert_verdict(verify_with_chain(trust, "forged-lsc.pem", "forged-capf.pem", NOW, &result),
		       PC_VERDICT_REJECT, &result);
	assert_contains(result.reason, "signature not verified");
}

static void test_lsc_sent_with_unrelated_same_dn_capf(void **state)
{
	pc_trust *trust = TRUST(state, capf("new", "capf-new.pem"));
	pc_result result;

	/* A stale CAPF certificate in the client's chain is not an error: the anchor decides. */
	assert_verdict(verify_with_chain(trust, "lsc-new-rsa.pem", "capf-old.pem", NOW, &result),
		       PC_VERDICT_ACCEPT, &result);
	assert_accepted_by(&result, PC_CERT_LSC, "new");
}

static void test_lsc_without_client_auth(void **state)
{
	pc_trust *trust = TRUST(state, capf("new", "capf-new.pem"));
	pc_result result;

	verify_file(trust, "lsc-noclient.pem", NOW, &result);
	assert_rejected_because(&result, "not a client certificate");
	assert_int_equal(result.x509_error, X509_V_ERR_INVALID_PURPOSE);
}

static void test_capf_presented_as_client_certificate(void **state)
{
	pc_trust *trust = TRUST(state, capf("new", "capf-new.pem"));
	pc_result result;

	/* capf-new verifies its own signature, so only the CA check stops it. */
	verify_file(trust, "capf-new.pem", NOW, &result);
	assert_rejected_because(&result, "not a client certificate");
	assert_contains(result.reason, "CA certificate");
}

/* --- not a phone --------------------------------------------------------------- */

static void test_laptop_is_not_a_phone(void **state)
{
	pc_trust *trust = TRUST(state, capf("new", "capf-new.pem"), manufacturing(pki_file("mfg-bundle.pem")));
	pc_result result;

	verify_file(trust, "laptop.pem", NOW, &result);
	assert_verdict(result.verdict, PC_VERDICT_NOT_PHONE, &result);
	assert_null(result.anchor);
	assert_int_equal(result.cert_type, PC_CERT_UNKNOWN);
	assert_string_equal(result.reason, "");
	assert_false(result.identity.has_device);
}

static void test_non_phone_from_a_phone_anchor_is_rejected(void **state)
{
	pc_trust *trust = TRUST(state, lsc_ca("corp", "corp-ca.pem"));
	pc_result result;

	/* Issued by a configured anchor, so it is ours to decide; but no SEP<MAC>, so no phone. */
	verify_file(trust, "laptop.pem", NOW, &result);
	assert_rejected_because(&result, "not a phone certificate");
	assert_string_equal(pc_anchor_name(result.anchor), "corp");
}

static void test_unknown_capf_issuer_makes_it_a_phone_certificate(void **state)
{
	pc_trust *trust = TRUST(state, capf("new", "capf-new.pem"));
	pc_result result;

	/*
	 * capf-other's subject names no phone and no configured anchor issued it;
	 * its CAPF-named issuer alone must keep it from falling through to eap's checks.
	 */
	verify_file(trust, "capf-other.pem", NOW, &result);
	assert_rejected_because(&result, "another cluster");
	assert_false(result.identity.has_device);
}

/* --- pc_verify on a caller's X509_STORE_CTX ---------------------------------------- */

/* pc_verify on a fresh ctx for a PKI file; the ctx's error afterwards in *error (when not NULL). */
static pc_verdict verify_on_ctx(pc_trust const *trust, char const *file, pc_result *result, int *error)
{
	X509 *cert = load_pki_cert(file);
	X509_STORE *store = X509_STORE_new();
	X509_STORE_CTX *ctx = X509_STORE_CTX_new();
	pc_verdict verdict;

	assert_non_null(store);
	assert_non_null(ctx);
	assert_int_equal(X509_STORE_CTX_init(ctx, store, cert, NULL), 1);
	verdict = pc_verify(trust, NULL, ctx, NOW, result);
	if (error) *error = X509_STORE_CTX_get_error(ctx);
	X509_STORE_CTX_free(ctx);
	X509_STORE_free(store);
	X509_free(cert);
	return verdict;
}

/* Run pc_verify on a fresh ctx for a PKI file and return the ctx's error afterwards. */
static int ctx_error_after_verify(pc_trust const *trust, char const *file, pc_verdict expected)
{
	pc_result result;
	int error;

	assert_verdict(verify_on_ctx(trust, file, &result, &error), expected, &result);
	return error;
}

/* The handshake names only what it rejects: an accepted phone's names are written when asked for. */
static void test_pc_verify_names_only_what_it_rejects(void **state)
{
	pc_trust *trust = TRUST(state, capf("new", "capf-new.pem"));
	X509 *cert = load_pki_cert("lsc-new-rsa.pem");
	pc_result result;

	assert_verdict(verify_on_ctx(trust, "lsc-new-rsa.pem", &result, NULL), PC_VERDICT_ACCEPT, &result);
	assert_string_equal(result.subject, "");
	assert_string_equal(result.issuer, "");
	pc_result_name_certificate(NULL, &result);	/* no certificate: nothing to name */
	assert_string_equal(result.subject, "");
	pc_result_name_certificate(cert, &result);
	assert_contains(result.subject, "CN=CP-8861-SEP2C3124C9F8E1");
	assert_contains(result.issuer, "CN=CAPF-0992727f");

	assert_verdict(verify_on_ctx(trust, "lsc-old-rsa.pem", &result, NULL), PC_VERDICT_REJECT, &result);
	assert_contains(result.subject, "SEP");
	assert_contains(result.issuer, "CN=CAPF-0992727f");
	X509_free(cert);
}

static void test_ctx_error_set_on_reject(void **state)
{
	pc_trust *trust = TRUST(state, capf("new", "capf-new.pem"),
				with_window(capf("old", "capf-old.pem"), NULL, "2026-01-01T00:00:00Z"));

	/* The TLS stack only sees the ctx error: every reject must leave one. */
	assert_int_equal(ctx_error_after_verify(trust, "forged-lsc.pem", PC_VERDICT_REJECT),
			 X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY);
	assert_int_equal(ctx_error_after_verify(trust, "lsc-expired.pem", PC_VERDICT_REJECT),
			 X509_V_ERR_CERT_HAS_EXPIRED);
	assert_int_equal(ctx_error_after_verify(trust, "lsc-old-rsa.pem", PC_VERDICT_REJECT),
			 X509_V_ERR_APPLICATION_VERIFICATION);
	assert_int_equal(ctx_error_after_verify(trust, "capf-new.pem", PC_VERDICT_REJECT),
			 X509_V_ERR_INVALID_PURPOSE);
}

static void test_ctx_untouched_when_not_a_phone(void **state)
{
	pc_trust *trust = TRUST(state, capf("new", "capf-new.pem"));

	assert_int_equal(ctx_error_after_verify(trust, "laptop.pem", PC_VERDICT_NOT_PHONE), X509_V_OK);
	assert_int_equal(ctx_error_after_verify(trust, "lsc-new-rsa.pem", PC_VERDICT_ACCEPT), X509_V_OK);
}

/* lsc-new-rsa sent with `extra` more certificates, as an over-long chain. */
static pc_verdict verify_with_extra_certificates(pc_trust const *trust, int extra, pc_result *result)
{
	X509 *cert = load_pki_cert("lsc-new-rsa.pem");
	STACK_OF(X509) *chain = sk_X509_new_null();
	pc_verdict verdict;

	assert_non_null(chain);
	/* As in TLS, the chain the client sent starts with its own certificate. */
	assert_true(sk_X509_push(chain, load_pki_cert("lsc-new-rsa.pem")) > 0);
	for (int i = 0; i < extra; i++) assert_true(sk_X509_push(chain, load_pki_cert("capf-other.pem")) > 0);
	verdict = pc_verify_chain(trust, NULL, cert, chain, NOW, result);
	sk_X509_pop_free(chain, X509_free);
	X509_free(cert);
	return verdict;
}

static void test_client_chain_of_six_accepted(void **state)
{
	pc_trust *trust = TRUST(state, capf("new", "capf-new.pem"));
	pc_result result;

	assert_verdict(verify_with_extra_certificates(trust, 5, &result), PC_VERDICT_ACCEPT, &result);
}

static void test_client_chain_of_seven_rejected(void **state)
{
	pc_trust *trust = TRUST(state, capf("new", "capf-new.pem"));
	pc_result result;

	assert_verdict(verify_with_extra_certificates(trust, 6, &result), PC_VERDICT_REJECT, &result);
	assert_rejected_because(&result, "the client sent 7 certificates (at most 6)");
}

/* An LSC like lsc-new-rsa's but with a key of another type, signed by capf-new; returns its path. */
static char const *lsc_with_key(EVP_PKEY *key, char const *out_name)
{
	X509 *cert = load_pki_cert("lsc-new-rsa.pem");
	FILE *in = fopen(pki_file("capf-new.key"), "r");
	EVP_PKEY *capf_key = in ? PEM_read_PrivateKey(in, NULL, NULL, NULL) : NULL;
	char const *path = scratch_file(out_name);
	FILE *out;

	if (in) fclose(in);
	if (!capf_key) fail_msg("cannot read the key %s", pki_file("capf-new.key"));
	assert_int_equal(X509_set_pubkey(cert, key), 1);
	assert_true(X509_sign(cert, capf_key, EVP_sha256()) > 0);
	out = fopen(path, "w");
	assert_non_null(out);
	assert_int_equal(PEM_write_X509(out, cert), 1);
	assert_int_equal(fclose(out), 0);
	X509_free(cert);
	EVP_PKEY_free(capf_key);
	return path;
}

static void expect_key_type_rejected(void **state, char const *algorithm, char const *curve, char const *words)
{
	pc_trust *trust = TRUST(state, capf("new", "capf-new.pem"));
	EVP_PKEY *key = curve ? EVP_PKEY_Q_keygen(NULL, NULL, algorithm, curve) : EVP_PKEY_Q_keygen(NULL, NULL, algorithm);
	pc_result result;

	assert_non_null(key);
	assert_verdict(verify_file_with(trust, NULL, lsc_with_key(key, "odd-key.pem"), NOW, &result),
		       PC_VERDICT_REJECT, &result);
	assert_rejected_because(&result, words);
	EVP_PKEY_free(key);
}

static void test_ed25519_phone_key_rejected(void **state)
{
	expect_key_type_rejected(state, "ED25519", NULL, "unsupported key type ED25519");
}

static void test_secp256k1_phone_key_rejected(void **state)
{
	expect_key_type_rejected(state, "EC", "secp256k1", "unsupported key type EC secp256k1");
}

static void test_p384_phone_key_accepted(void **state)
{
	pc_trust *trust = TRUST(state, capf("new", "capf-new.pem"));
	EVP_PKEY *key = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-384");
	pc_result result;

	assert_non_null(key);
	assert_verdict(verify_file_with(trust, NULL, lsc_with_key(key, "p384.pem"), NOW, &result),
		       PC_VERDICT_ACCEPT, &result);
	EVP_PKEY_free(key);
}

/* With one anchor of that name, a reject that comes before the signature check must still not blame that anchor. */
static void test_unsigned_ca_certificate_not_attributed_to_the_only_anchor(void **state)
{
	pc_trust *trust = TRUST(state, capf("new", "capf-new.pem"));
	pc_result result;

	/* capf-old: a CA certificate named like capf-new but signed by another key. */
	assert_verdict(verify_file(trust, "capf-old.pem", NOW, &result), PC_VERDICT_REJECT, &result);
	assert_rejected_because(&result, "signature not verified");
	assert_null(result.anchor);
	assert_int_equal(result.cert_type, PC_CERT_UNKNOWN);
}

static void test_unsigned_odd_key_not_attributed_to_the_only_anchor(void **state)
{
	pc_trust *trust = TRUST(state, capf("old", "capf-old.pem"));
	EVP_PKEY *key = EVP_PKEY_Q_keygen(NULL, NULL, "ED25519");
	pc_result result;

	/* Signed by capf-new, presented to a server that only trusts capf-old (same DN). */
	assert_non_null(key);
	assert_verdict(verify_file_with(trust, NULL, lsc_with_key(key, "odd-key-other.pem"), NOW, &result),
		       PC_VERDICT_REJECT, &result);
	assert_rejected_because(&result, "signature not verified");
	assert_null(result.anchor);
	EVP_PKEY_free(key);
}

static void test_cert_type_names(void **state)
{
	(void)state;
	assert_string_equal(pc_cert_type_name(PC_CERT_LSC), "LSC");
	assert_string_equal(pc_cert_type_name(PC_CERT_MIC), "MIC");
	assert_string_equal(pc_cert_type_name(PC_CERT_UNKNOWN), "unknown");
}

#define VERIFY_TEST(f) cmocka_unit_test_setup_teardown(f, trust_fixture_clear, trust_fixture_free)

int main(void)
{
	struct CMUnitTest const tests[] = {
		VERIFY_TEST(test_lsc_accepted_by_its_capf),
		VERIFY_TEST(test_result_serial_is_certificate_serial),
		VERIFY_TEST(test_lsc_with_ec_key_accepted),
		VERIFY_TEST(test_result_names_the_signing_certificate),
		VERIFY_TEST(test_forged_lsc_names_no_signing_certificate),
		VERIFY_TEST(test_same_dn_capfs_old_configured_first),
		VERIFY_TEST(test_same_dn_capfs_new_configured_first),
		VERIFY_TEST(test_same_dn_capfs_in_one_bundle_old_first),
		VERIFY_TEST(test_same_dn_capfs_in_one_bundle_new_first),
		VERIFY_TEST(test_same_dn_capfs_with_other_anchors_between),
		VERIFY_TEST(test_memory_remembers_the_signer_of_same_dn_capfs),
		VERIFY_TEST(test_memory_skips_a_single_candidate),
		VERIFY_TEST(test_memory_wrong_hint_never_accepts),
		VERIFY_TEST(test_memory_with_closed_window_searches_again),
		VERIFY_TEST(test_lsc_of_unconfigured_same_dn_capf_is_forged_looking),
		VERIFY_TEST(test_old_capf_window_closed),
		VERIFY_TEST(test_window_not_open_yet),
		VERIFY_TEST(test_window_until_is_exclusive_end_to_end),
		VERIFY_TEST(test_window_from_is_inclusive_end_to_end),
		VERIFY_TEST(test_reissued_capf_open_window_preferred_closed_first),
		VERIFY_TEST(test_reissued_capf_open_window_preferred_open_first),
		VERIFY_TEST(test_lsc_from_other_cluster),
		VERIFY_TEST(test_lsc_from_other_cluster_accepted_when_configured),
		VERIFY_TEST(test_external_ca_lsc_without_lsc_ca),
		VERIFY_TEST(test_external_ca_lsc_with_lsc_ca),
		VERIFY_TEST(test_crl_rejects_revoked_lsc),
		VERIFY_TEST(test_crl_accepts_lsc_not_revoked),
		VERIFY_TEST(test_revoked_lsc_accepted_without_crl_file),
		VERIFY_TEST(test_crl_applies_to_its_anchor_only),
		VERIFY_TEST(test_crl_out_of_date_rejects),
		VERIFY_TEST(test_global_crl_check_without_crl_file_names_eap_check_crl),
		VERIFY_TEST(test_mic_accepted_by_manufacturing),
		VERIFY_TEST(test_mic_sent_with_its_intermediate),
		VERIFY_TEST(test_mic_with_intermediate_only_anchor),
		VERIFY_TEST(test_mic_expired),
		VERIFY_TEST(test_mic_expired_was_valid_in_2020),
		VERIFY_TEST(test_test_mic_not_accepted_by_real_cisco_bundle),
		VERIFY_TEST(test_expired_mic_accepted_and_flagged_when_allowed),
		VERIFY_TEST(test_valid_mic_not_flagged_expired),
		VERIFY_TEST(test_expired_mic_option_keeps_not_before),
		VERIFY_TEST(test_expired_mic_option_does_not_cover_lsc),
		VERIFY_TEST(test_options_all_false_same_as_strict),
		VERIFY_TEST(test_sha1_mic_rejected_by_default),
		VERIFY_TEST(test_sha1_mic_accepted_and_flagged_when_allowed),
		VERIFY_TEST(test_modern_mic_not_flagged_legacy),
		VERIFY_TEST(test_legacy_pki_mic_rejected_by_default),
		VERIFY_TEST(test_legacy_pki_mic_accepted_and_flagged_when_allowed),
		VERIFY_TEST(test_legacy_option_does_not_cover_lsc),
		VERIFY_TEST(test_lsc_expired),
		VERIFY_TEST(test_lsc_not_yet_valid),
		VERIFY_TEST(test_anchor_certificate_expired),
		VERIFY_TEST(test_forged_capf_self_signed),
		VERIFY_TEST(test_forged_lsc),
		VERIFY_TEST(test_forged_lsc_names_every_anchor_with_that_dn),
		VERIFY_TEST(test_forged_lsc_sent_with_forged_capf),
		VERIFY_TEST(test_lsc_sent_with_unrelated_same_dn_capf),
		VERIFY_TEST(test_lsc_without_client_auth),
		VERIFY_TEST(test_capf_presented_as_client_certificate),
		VERIFY_TEST(test_laptop_is_not_a_phone),
		VERIFY_TEST(test_non_phone_from_a_phone_anchor_is_rejected),
		VERIFY_TEST(test_unknown_capf_issuer_makes_it_a_phone_certificate),
		VERIFY_TEST(test_ctx_error_set_on_reject),
		VERIFY_TEST(test_pc_verify_names_only_what_it_rejects),
		VERIFY_TEST(test_ctx_untouched_when_not_a_phone),
		VERIFY_TEST(test_client_chain_of_six_accepted),
		VERIFY_TEST(test_client_chain_of_seven_rejected),
		VERIFY_TEST(test_ed25519_phone_key_rejected),
		VERIFY_TEST(test_secp256k1_phone_key_rejected),
		VERIFY_TEST(test_p384_phone_key_accepted),
		VERIFY_TEST(test_unsigned_ca_certificate_not_attributed_to_the_only_anchor),
		VERIFY_TEST(test_unsigned_odd_key_not_attributed_to_the_only_anchor),
		VERIFY_TEST(test_cert_type_names),
	};

	return cmocka_run_group_tests_name("verify", tests, pki_group_setup, pki_group_teardown);
}

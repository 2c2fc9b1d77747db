/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * libFuzzer target: one client certificate, as a phone would present it.
 *
 * Input: DER bytes of a certificate, optionally followed by more DER
 * certificates (the chain a client sends with it). When the first one parses,
 * the core reads the phone identity, classifies the issuer, and decides on it
 * with pc_decide_chain() (the default policy, the switch reporting the
 * certificate's own MAC and CN) against a fixed trust set loaded once from the test
 * PKI (PHONECERT_TEST_PKI, made by tests/pki/make-pki.sh):
 *
 *   capf capf-new     capf-new.pem   window open at NOW
 *   capf capf-old     capf-old.pem   same DN as capf-new; window closed at NOW
 *   lsc_ca ext        ext-ca.pem     window not open yet at NOW
 *   manufacturing     mfg-bundle.pem
 *
 * Besides sanitizer reports, it aborts when a result breaks the contract of
 * verify.h / phone.h (an anchor in the result that did not sign the
 * certificate, strings not terminated, an accept without an anchor or a phone
 * identity, a reject without a reason...).
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/err.h>
#include <openssl/x509.h>

#include "core/phone.h"
#include "core/trust.h"
#include "core/decide.h"

#define FUZZ_TARGET "fuzz_phone"
#include "fuzz_result.h"


#define NOW ((time_t)1780272000)	/* 2026-06-01T00:00:00Z: every non-expired test certificate is valid */
#define MAX_CHAIN 3

static pc_trust *trust;

static void free_trust(void)
{
	pc_trust_free(trust);
	trust = NULL;
}

static void add_anchor(pc_anchor_kind kind, char const *name, char const *pki, char const *file,
		       char const *from, char const *until)
{
	char path[4096];
	pc_anchor_config config = { .kind = kind, .name = name, .ca_file = path,
				    .accept_from = from, .accept_until = until };

	if (snprintf(path, sizeof(path), "%s/%s", pki, file) >= (int)sizeof(path)) {
		fprintf(stderr, "fuzz_phone: PHONECERT_TEST_PKI path too long\n");
		exit(1);
	}
	if (pc_trust_add(trust, &config) != 0) {
		fprintf(stderr, "fuzz_phone: cannot load the test PKI: %s\n", pc_trust_error(trust));
		exit(1);
	}
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	char const *pki = getenv("PHONECERT_TEST_PKI");

	(void)argc;
	(void)argv;
	read_verbose();
	if (!pki || !*pki) {
		fprintf(stderr, "fuzz_phone: PHONECERT_TEST_PKI is not set: point it at a directory made by "
			"tests/pki/make-pki.sh (make fuzz does this: PHONECERT_TEST_PKI=build/test-pki)\n");
		exit(1);
	}
	trust = pc_trust_new();
	if (!trust) {
		fprintf(stderr, "fuzz_phone: out of memory\n");
		exit(1);
	}
	add_anchor(PC_ANCHOR_CAPF, "capf-new", pki, "capf-new.pem", NULL, NULL);
	add_anchor(PC_ANCHOR_CAPF, "capf-old", pki, "capf-old.pem", NULL, "2026-03-01T00:00:00Z");
	add_anchor(PC_ANCHOR_LSC_CA, "ext", pki, "ext-ca.pem", "2027-01-01T00:00:00Z", NULL);
	add_anchor(PC_ANCHOR_MANUFACTURING, "manufacturing", pki, "mfg-bundle.pem", NULL, NULL);
	if (pc_trust_seal(trust) != 0) {
		fprintf(stderr, "fuzz_phone: cannot seal the trust set: %s\n", pc_trust_error(trust));
		exit(1);
	}
	atexit(free_trust);
	return 0;
}


static bool is_upper_hex(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'F');
}

static void check_identity(pc_identity const *id)
{
	CHECK(TERMINATED(id->cn));
	CHECK(TERMINATED(id->device_name));
	CHECK(TERMINATED(id->mac));
	CHECK(TERMINATED(id->model));
	CHECK(TERMINATED(id->pid));
	CHECK(TERMINATED(id->sn));
	if (!id->has_device) return;
	CHECK(strlen(id->device_name) == 15 && strncmp(id->device_name, "SEP", 3) == 0);
	CHECK(strlen(id->mac) == 17);
	for (int i = 0; i < 12; i++) {
		CHECK(is_upper_hex(id->device_name[3 + i]));
		CHECK(id->mac[i / 2 * 3 + i % 2] == id->device_name[3 + i]);
	}
}



static void check_result(X509 *cert, pc_result const *r, pc_verdict verdict)
{
	check_contract(cert, r, verdict);
	check_identity(&r->identity);
}

int LLVMFuzzerTestOneInput(uint8_t const *data, size_t size)
{
	unsigned char const *p = data;
	unsigned char const *end = data + size;
	X509 *cert = d2i_X509(NULL, &p, (long)size);
	STACK_OF(X509) *chain = NULL;
	pc_identity id;
	pc_policy policy;
	pc_result result;
	pc_verdict verdict;

	if (!cert) {
		ERR_clear_error();
		return 0;
	}

	/* The rest of the input: the chain the client sends with it, as far as it parses. */
	for (int i = 0; i < MAX_CHAIN && p < end; i++) {
		X509 *extra = d2i_X509(NULL, &p, (long)(end - p));

		if (!extra) break;
		if (!chain) chain = sk_X509_new_null();
		if (!chain || !sk_X509_push(chain, extra)) {
			X509_free(extra);
			break;
		}
	}
	ERR_clear_error();

	pc_identity_from_cert(cert, &id);
	check_identity(&id);
	(void)pc_name_is_capf(X509_get_issuer_name(cert));
	(void)pc_name_is_capf(X509_get_subject_name(cert));

	pc_policy_defaults(&policy);
	verdict = pc_decide_chain(trust, &policy, cert, chain, NULL, NOW, &result);
	check_result(cert, &result, verdict);
	CHECK(!result.expired && !result.legacy);	/* strict: nothing waived */

	/* MIC options change only MIC decisions: decide again with everything a policy can waive. */
	if (result.cert_type == PC_CERT_MIC) {
		policy.verify = (pc_verify_options) { .allow_expired_mic = true, .allow_legacy_mic = true };
		verdict = pc_decide_chain(trust, &policy, cert, chain, NULL, NOW, &result);
		check_result(cert, &result, verdict);
	}

	sk_X509_pop_free(chain, X509_free);
	X509_free(cert);
	ERR_clear_error();
	return 0;
}

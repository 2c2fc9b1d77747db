/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Shared by fuzz_phone and fuzz_chain: the contract of core/verify.h that
 * every pc_verify() result must keep, checked with abort() so that libFuzzer
 * reports a broken one like a crash. Include after the core headers; define
 * FUZZ_TARGET (the target's name, for messages) first.
 */
#ifndef PHONECERT_FUZZ_RESULT_H
#define PHONECERT_FUZZ_RESULT_H

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/err.h>
#include <openssl/x509.h>

#include "core/trust_internal.h"

#define CHECK(cond) do { \
		if (!(cond)) { \
			fprintf(stderr, FUZZ_TARGET ": contract broken: %s (%s:%d)\n", #cond, __FILE__, __LINE__); \
			abort(); \
		} \
	} while (0)

#define TERMINATED(field) (memchr((field), '\0', sizeof(field)) != NULL)

static bool verbose;	/* FUZZ_VERBOSE=1: print each decision (to look at one input) */

static void read_verbose(void)
{
	verbose = getenv("FUZZ_VERBOSE") && strcmp(getenv("FUZZ_VERBOSE"), "1") == 0;
}

static void show(pc_result const *r, pc_verdict verdict)
{
	static char const *const names[] = { "not-phone", "accept", "reject" };

	if (!verbose) return;
	fprintf(stderr, "%s: %s type=%s anchor=%s subject=%s reason=\"%s\"%s%s\n", FUZZ_TARGET,
		(unsigned)verdict < 3 ? names[verdict] : "?", pc_cert_type_name(r->cert_type),
		r->anchor ? pc_anchor_name(r->anchor) : "-", r->subject, r->reason,
		r->expired ? " expired" : "", r->legacy ? " legacy" : "");
}

/*
 * verify.h: result->anchor is "the anchor that signed it": one of its
 * certificates has the issuer's name and its key verifies the signature.
 */
static bool signed_by_anchor(pc_anchor const *anchor, X509 *cert)
{
	STACK_OF(X509) const *certs = pc_anchor_certs(anchor);
	bool found = false;

	for (int i = 0; !found && i < sk_X509_num(certs); i++) {
		X509 *ca = sk_X509_value(certs, i);

		found = X509_NAME_cmp(X509_get_subject_name(ca), X509_get_issuer_name(cert)) == 0 &&
			X509_verify(cert, X509_get0_pubkey(ca)) == 1;
	}
	ERR_clear_error();
	return found;
}

/*
 * verify.h: result->anchor_fingerprint is the SHA-256 of the anchor's
 * certificate whose key signed it (what a resumed session is bound to).
 */
static bool fingerprint_of_signer(pc_anchor const *anchor, char const *fingerprint, X509 *cert)
{
	STACK_OF(X509) const *certs = pc_anchor_certs(anchor);
	char own[PC_FINGERPRINT_LEN];

	for (int i = 0; i < sk_X509_num(certs); i++) {
		X509 *ca = sk_X509_value(certs, i);
		bool signed_it;

		if (!pc_cert_fingerprint(ca, own) || strcmp(own, fingerprint) != 0) continue;
		signed_it = X509_verify(cert, X509_get0_pubkey(ca)) == 1;
		ERR_clear_error();
		return signed_it;
	}
	return false;
}

/* What holds for every result, whatever the target. */
static void check_contract(X509 *cert, pc_result const *r, pc_verdict verdict)
{
	show(r, verdict);
	CHECK(r->verdict == verdict);
	CHECK(TERMINATED(r->subject) && TERMINATED(r->issuer) && TERMINATED(r->serial));
	CHECK(TERMINATED(r->not_before) && TERMINATED(r->not_after) && TERMINATED(r->reason));
	CHECK(TERMINATED(r->identity.cn) && TERMINATED(r->identity.mac) && TERMINATED(r->identity.device_name));
	CHECK(r->anchor == NULL || signed_by_anchor(r->anchor, cert));
	CHECK(TERMINATED(r->anchor_fingerprint) && (r->anchor == NULL) == (r->anchor_fingerprint[0] == '\0'));
	CHECK(r->anchor == NULL || fingerprint_of_signer(r->anchor, r->anchor_fingerprint, cert));
	switch (verdict) {
	case PC_VERDICT_NOT_PHONE:
		CHECK(r->anchor == NULL && !r->identity.has_device);
		break;
	case PC_VERDICT_ACCEPT:
		CHECK(r->anchor != NULL && r->identity.has_device && r->x509_error == 0);
		CHECK(r->cert_type == PC_CERT_LSC || r->cert_type == PC_CERT_MIC);
		break;
	case PC_VERDICT_REJECT:
		CHECK(r->reason[0] != '\0');
		CHECK((r->anchor == NULL) == (r->cert_type == PC_CERT_UNKNOWN));
		break;
	default:
		CHECK(!"unknown verdict");
	}
}

#endif

/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The trust set's internals, for the core's own files (verify.c, certreq.c)
 * and for the tests and fuzzers that check them: what verification needs of
 * an anchor in OpenSSL's types. The module and the CLI use trust.h only.
 */
#ifndef PHONECERT_TRUST_INTERNAL_H
#define PHONECERT_TRUST_INTERNAL_H

#include <openssl/x509.h>

#include "trust.h"

/* The anchor's CA certificates, and the CRLs of its crl_file (NULL when none). */
STACK_OF(X509) const *pc_anchor_certs(pc_anchor const *anchor);
STACK_OF(X509_CRL) *pc_anchor_crls(pc_anchor const *anchor);

/* A CA certificate of an anchor that can sign phone certificates, with its path to the root. */
typedef struct {
	pc_anchor const *anchor;
	X509 *cert;
	STACK_OF(X509) *path;	/* cert, then its issuers inside the same bundle */
	char fingerprint[PC_FINGERPRINT_LEN];	/* of cert: what a TLS session cached with it names */
} pc_signer;

size_t pc_trust_signer_count(pc_trust const *trust);
pc_signer const *pc_trust_signer(pc_trust const *trust, size_t index);

/*
 * The signers whose certificate's subject is name (X509_NAME_cmp), in
 * configuration order: *count of them, or NULL and 0. A binary search in an
 * index built by pc_trust_seal, so the cost grows with log(signers), not with
 * the signers; NULL before sealing.
 */
pc_signer const *const *pc_trust_signers_named(pc_trust const *trust, X509_NAME const *name, size_t *count);

/*
 * A memory of which signer verified a certificate (the same bytes), so that
 * the signature of a returning phone is checked once, by X509_verify_cert,
 * instead of once more to choose between same-DN anchors. Remember only a
 * signer whose key verified cert; what is recalled is a hint, to be verified
 * again. Bounded, thread-safe; NULL when nothing is remembered.
 */
void pc_trust_remember_signer(pc_trust const *trust, X509 *cert, pc_signer const *signer);
pc_signer const *pc_trust_recall_signer(pc_trust const *trust, X509 *cert);

#endif

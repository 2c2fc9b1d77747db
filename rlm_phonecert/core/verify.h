/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The one place that decides whether a client certificate is a phone's and
 * whether it is trusted.
 *
 * options may be NULL (strict: no expired or legacy MIC).
 *
 * pc_verify() works on an X509_STORE_CTX that the caller initialised with the
 * client's certificate and the chain it sent: OpenSSL's TLS stack inside
 * FreeRADIUS, or pc_verify_chain() for the CLI and tests. It
 *   1. decides whether the certificate is a phone's at all (issuer named like a
 *      configured anchor, an issuer named CAPF-xxxxxxxx, or a subject naming a
 *      phone); if not, it returns PC_VERDICT_NOT_PHONE without touching ctx;
 *   2. picks the anchor certificate that really signed it, by signature;
 *   3. runs OpenSSL's full X.509 validation against that anchor's path only;
 *   4. enforces the anchor's acceptance window at `now`;
 *   5. requires a phone identity (SEP<MAC>) in the subject.
 */
#ifndef PHONECERT_VERIFY_H
#define PHONECERT_VERIFY_H

#include "phone.h"
#include "timeutil.h"
#include "trust.h"

typedef enum {
	PC_VERDICT_NOT_PHONE,	/* not ours: the caller applies its ordinary checks */
	PC_VERDICT_ACCEPT,
	PC_VERDICT_REJECT
} pc_verdict;

/* What the admin allowed for MICs, which cannot be renewed (policy options mic_expired, mic_legacy_signatures). */
typedef struct {
	bool allow_expired_mic;		/* waive the validity dates of a MIC chain */
	bool allow_legacy_mic;		/* verify a MIC chain with SHA-1 / RSA-1024 at security level 0 */
} pc_verify_options;

typedef enum {
	PC_CERT_UNKNOWN,
	PC_CERT_LSC,
	PC_CERT_MIC
} pc_cert_type;

/* A reason fits in one RADIUS string (Module-Failure-Message) with its "phonecert: " prefix. */
#define PC_REASON_LEN 224

typedef struct {
	pc_verdict verdict;
	pc_cert_type cert_type;		/* from the anchor that signed it; UNKNOWN if none did */
	pc_anchor const *anchor;	/* the anchor that signed it, or NULL */
	char anchor_fingerprint[PC_FINGERPRINT_LEN];	/* SHA-256 of its certificate that signed it; "" if none */
	pc_identity identity;
	/* Of the client certificate, in one-line form; "" after pc_verify accepted it (pc_result_name_certificate). */
	char subject[256];
	char issuer[256];
	char serial[66];		/* certificate serial number, hex */
	char not_before[PC_TIME_STRLEN];
	char not_after[PC_TIME_STRLEN];
	int x509_error;			/* OpenSSL's error when X.509 validation failed, else 0 */
	bool expired;			/* an expired MIC let through by allow_expired_mic */
	bool legacy;			/* a MIC chain with legacy algorithms let through by allow_legacy_mic */
	char reason[PC_REASON_LEN];	/* why it was rejected, in an admin's words */
	char const *hint;		/* what to do about it, or NULL */
} pc_result;

/*
 * Decide on the client certificate in ctx at time now. Returns result->verdict.
 * On ACCEPT and REJECT ctx has been used for verification (its error is set on
 * reject); any internal failure is a REJECT with the reason.
 */
pc_verdict pc_verify(pc_trust const *trust, pc_verify_options const *options, X509_STORE_CTX *ctx,
		     time_t now, pc_result *result);

/* Fill result's subject and issuer from cert, if any (pc_verify does unless it accepts). */
void pc_result_name_certificate(X509 *cert, pc_result *result);

/* Same as pc_verify for a certificate and the chain a client would send with it (may be NULL); names it always. */
pc_verdict pc_verify_chain(pc_trust const *trust, pc_verify_options const *options, X509 *cert,
			   STACK_OF(X509) *chain, time_t now, pc_result *result);

char const *pc_cert_type_name(pc_cert_type type);	/* "LSC", "MIC", "unknown" */
pc_cert_type pc_cert_type_parse(char const *name);	/* the reverse; PC_CERT_UNKNOWN for anything else or NULL */

/* Below what OpenSSL accepts at Debian's security level 2: a SHA-1 (or weaker) signature, an RSA-1024 (or weaker) key. */
bool pc_cert_weak_signature(X509 *cert);
bool pc_cert_weak_key(X509 *cert);

#endif

/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * THE decision on a phone certificate: the module, the phonecert tool, the
 * unit tests and the fuzzers all ask here, and nothing else composes trust
 * and policy. It is made in two moments, because a TLS session outlives its
 * handshake:
 *
 *   1. In the TLS handshake, on the client's certificate and the chain it
 *      sent (pc_decide_certificate; pc_decide_chain for a certificate from a
 *      file or a capture): trust (pc_verify: which anchor signed it, by
 *      signature; X.509 against that anchor; the window), then the policy
 *      (policy.h) with what the switch reports in the request.
 *
 *   2. After the handshake, on every authentication that finished, fresh or
 *      resumed (pc_decide_session): the policy again, on the facts the TLS
 *      session cached from moment 1 and what the switch reports now, against
 *      the trust set and block list in force now. No certificate comes with
 *      a resumed session: this is all there is to judge it.
 *
 * Neither records anything. Moment 1 runs before the client has proved that
 * it holds the certificate's key (CertificateVerify comes later in the same
 * TLS flight): what it decides is a phone's only once the handshake finished
 * (the glue marks that; doc/security.md).
 *
 * "now" is an argument, as everywhere in the core.
 */
#ifndef PHONECERT_DECIDE_H
#define PHONECERT_DECIDE_H

#include <time.h>

#include <openssl/x509.h>

#include "policy.h"
#include "trust.h"
#include "verify.h"

/* What the switch reported in the request: NULL for what it did not send. */
typedef struct {
	char const *calling_station_id;
	char const *user_name;
} pc_switch_report;

/*
 * Moment 1, in the handshake: the client's certificate in ctx (as pc_verify
 * takes it) at now, with what the switch reported. Returns result->verdict;
 * on a policy reject ctx's error is set too. PC_VERDICT_NOT_PHONE: not ours,
 * ctx untouched.
 */
pc_verdict pc_decide_certificate(pc_trust const *trust, pc_policy const *policy, X509_STORE_CTX *ctx,
				 pc_switch_report const *reported, time_t now, pc_result *result);

/*
 * Moment 1 for a certificate and the chain a client would send with it (may
 * be NULL), as pc_verify_chain takes them. reported NULL: the switch reports
 * what a correctly configured one would, the certificate's own MAC and CN.
 */
pc_verdict pc_decide_chain(pc_trust const *trust, pc_policy const *policy, X509 *cert, STACK_OF(X509) *chain,
			   pc_switch_report const *reported, time_t now, pc_result *result);

/* What a TLS session cached of a phone certificate accepted in moment 1 (strings as cached, NULL if absent). */
typedef struct {
	char const *cert_type;		/* "LSC" or "MIC" (pc_cert_type_name) */
	char const *anchor_name;
	char const *anchor_fingerprint;
	char const *common_name;
	char const *mac;
	char const *serial;
} pc_session_facts;

/*
 * Moment 2: the policy on what the session cached and what the switch
 * reports now. Returns true to accept; otherwise reason says why
 * (PC_REASON_LEN fits) and *hint, if not NULL, what to do.
 */
bool pc_decide_session(pc_trust const *trust, pc_policy const *policy, pc_session_facts const *cached,
		       pc_switch_report const *reported, time_t now, char *reason, size_t len, char const **hint);

#endif

/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The certificate-verify callback on eap's SSL_CTX. OpenSSL calls it instead
 * of X509_verify_cert() for every client certificate. It asks the core
 * (pc_decide_certificate: trust, then policy with what the switch sent) and
 * records the answer;
 * certificates that are not phones' go to X509_verify_cert() untouched.
 *
 * This runs before the client has proved that it holds the certificate's
 * private key (its CertificateVerify comes later in the same flight): a
 * certificate is public, and anyone near the wire can send a phone's. So
 * what is decided here is only recorded as the phone's once the handshake
 * finished (post_auth.c sets Phonecert-Key-Proven); a reject decided here is
 * logged and kept apart in the inventory, as an unproven claim.
 */
#include <freeradius/radiusd.h>

#include "attributes.h"
#include "phonecert.h"

#include "../core/text.h"

/*
 * The session's certificate list: eap copies it into every later round's
 * request (check-eap-tls, post-auth) and caches it with the session. Both
 * what phonecert accepts and what it leaves to eap get Phonecert-Decided there:
 * a cached session without it is never resumed (hook.c).
 */
static bool record_in_session(REQUEST *request, SSL *ssl, pc_result *result)
{
	VALUE_PAIR **session_certs = SSL_get_ex_data(ssl, fr_tls_ex_index_certs);
	TALLOC_CTX *session_ctx = SSL_get_ex_data(ssl, FR_TLS_EX_INDEX_TALLOC);

	if (!session_certs || !session_ctx) {
		snprintf(result->reason, sizeof(result->reason), "internal error: the TLS session has no certificate list");
		result->hint = NULL;
		result->verdict = PC_VERDICT_REJECT;
		return false;
	}
	if (result->verdict == PC_VERDICT_ACCEPT) {
		RDEBUG2("phonecert: %s %s verified by %s", pc_cert_type_name(result->cert_type),
			result->identity.device_name, pc_anchor_name(result->anchor));
	}
	attributes_add_session(session_ctx, session_certs, result);
	return true;
}

/* The handshake fails in this round: this round's request is the one rejected, and logged in post-auth. */
static void record_reject(REQUEST *request, X509_STORE_CTX *ctx, pc_result *result)
{
	char reason[PC_REASON_LEN * 4];

	/* pc_verify names what it rejects; what the policy or record_in_session rejects it had accepted. */
	pc_result_name_certificate(X509_STORE_CTX_get0_cert(ctx), result);
	/* subject and issuer are in X509_NAME_oneline's form, which escapes controls; the reason may quote a field as it is. */
	pc_escape(reason, sizeof(reason), result->reason, PC_ESCAPE_TEXT);
	REDEBUG("phonecert: reject %s (issuer %s): %s%s%s", result->subject, result->issuer, reason,
	       result->hint ? "; " : "", result->hint ? result->hint : "");
	attributes_add_result(request->packet, &request->packet->vps, result);
	prepend_failure_message(request, result->reason);
	if (X509_STORE_CTX_get_error(ctx) == X509_V_OK) X509_STORE_CTX_set_error(ctx, X509_V_ERR_UNSPECIFIED);
}

int handshake_verify_cert(X509_STORE_CTX *ctx, void *arg)
{
	phonecert_hook_t *hook = arg;
	SSL *ssl = X509_STORE_CTX_get_ex_data(ctx, SSL_get_ex_data_X509_STORE_CTX_idx());
	REQUEST *request = ssl ? SSL_get_ex_data(ssl, FR_TLS_EX_INDEX_REQUEST) : NULL;
	phonecert_generation_t *generation;
	pc_switch_report reported;
	pc_result result;
	int ok = 0;

	if (!request) {
		ERROR("phonecert: TLS handshake without a request, rejecting the certificate");
		X509_STORE_CTX_set_error(ctx, X509_V_ERR_UNSPECIFIED);
		return 0;
	}

	/* Held until the verdict is recorded: result points into this generation's trust set. */
	generation = hook_acquire(hook);
	reported = (pc_switch_report) {
		.calling_station_id = request_string(request, PW_CALLING_STATION_ID),
		.user_name = request_string(request, PW_USER_NAME),
	};
	switch (pc_decide_certificate(generation->trust, &generation->policy, ctx, &reported, time(NULL), &result)) {
	case PC_VERDICT_NOT_PHONE:
		RDEBUG2("phonecert: %s is not a phone certificate, leaving it to eap's own checks", result.subject);
		ok = X509_verify_cert(ctx);
		/* Without the mark its session would not resume: a full handshake, eap's checks again. */
		if (ok && !record_in_session(request, ssl, &result)) {
			RWDEBUG("phonecert: %s", result.reason);
		}
		break;

	case PC_VERDICT_ACCEPT:
		ok = record_in_session(request, ssl, &result);
		if (!ok) record_reject(request, ctx, &result);
		break;

	case PC_VERDICT_REJECT:
		record_reject(request, ctx, &result);
		break;
	}
	hook_release(hook, generation);
	return ok;
}

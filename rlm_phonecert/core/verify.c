/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "verify.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <openssl/err.h>
#include <openssl/x509v3.h>

#include "text.h"
#include "trust_internal.h"

char const *pc_cert_type_name(pc_cert_type type)
{
	switch (type) {
	case PC_CERT_LSC: return "LSC";
	case PC_CERT_MIC: return "MIC";
	case PC_CERT_UNKNOWN: break;
	}
	return "unknown";
}

pc_cert_type pc_cert_type_parse(char const *name)
{
	if (name && strcmp(name, pc_cert_type_name(PC_CERT_LSC)) == 0) return PC_CERT_LSC;
	if (name && strcmp(name, pc_cert_type_name(PC_CERT_MIC)) == 0) return PC_CERT_MIC;
	return PC_CERT_UNKNOWN;
}

static pc_verdict reject(pc_result *result, char const *hint, char const *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static pc_verdict reject(pc_result *result, char const *hint, char const *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(result->reason, sizeof(result->reason), fmt, ap);
	va_end(ap);
	result->hint = hint;
	result->verdict = PC_VERDICT_REJECT;
	return PC_VERDICT_REJECT;
}

static void asn1_time_text(ASN1_TIME const *when, char *buf, size_t len)
{
	struct tm tm;

	if (when && ASN1_TIME_to_tm(when, &tm)) pc_time_format_tm(&tm, buf, len);
	else snprintf(buf, len, "(unreadable)");
}

void pc_result_name_certificate(X509 *cert, pc_result *result)
{
	if (!cert) return;
	X509_NAME_oneline(X509_get_subject_name(cert), result->subject, sizeof(result->subject));
	X509_NAME_oneline(X509_get_issuer_name(cert), result->issuer, sizeof(result->issuer));
}

/* All but the names: an accepted phone's are never shown, and every handshake would write them. */
static void describe_certificate(X509 *cert, pc_result *result)
{
	ASN1_INTEGER const *serial = X509_get0_serialNumber(cert);

	if (serial) pc_hex(result->serial, sizeof(result->serial), serial->data, (size_t)serial->length);
	asn1_time_text(X509_get0_notBefore(cert), result->not_before, sizeof(result->not_before));
	asn1_time_text(X509_get0_notAfter(cert), result->not_after, sizeof(result->not_after));
	pc_identity_from_cert(cert, &result->identity);
}

/*
 * A certificate is a phone's when anything about it points at phones. Such a
 * certificate is decided here alone: it must never fall through to the weaker,
 * name-based checks of eap's own ca_file.
 */
static bool is_phone_certificate(size_t named_like_anchors, X509 *cert, pc_result const *result)
{
	return named_like_anchors > 0 || pc_name_is_capf(X509_get_issuer_name(cert)) || result->identity.has_device;
}

/*
 * A candidate: an anchor certificate with the issuer's name, whether its key
 * is known to verify the signature, and whether the signer memory named it.
 */
typedef struct {
	pc_signer const	*signer;
	bool		verified;
	bool		recalled;
} candidate;

/* The anchor certificates with cert's issuer name, the candidates for its signer (the trust set's issuer index). */
static pc_signer const *const *named_like_issuer(pc_trust const *trust, X509 *cert, size_t *count)
{
	return pc_trust_signers_named(trust, X509_get_issuer_name(cert), count);
}

/*
 * The anchor certificate that signed cert. Several anchors may share the
 * issuer's name (a regenerated CAPF keeps its DN): then the signature decides,
 * never the order of configuration, and if more than one verifies it (a CA
 * re-issued with the same key), one whose window is open is preferred.
 * X509_verify_cert() checks the chosen one's signature anyway, so a candidate
 * is only checked here when there is a choice left: a single one, or the last
 * one after all others failed, is left to it. candidates are the total anchor
 * certificates with the issuer's name (named_like_issuer), in configuration
 * order; found->signer is NULL when none is left.
 */
static void find_signer(pc_signer const *const *candidates, size_t total, X509 *cert, time_t now, candidate *found)
{
	*found = (candidate) { 0 };
	for (size_t i = 0; i < total; i++) {
		pc_signer const *signer = candidates[i];

		if (i + 1 == total && !found->signer) {
			*found = (candidate) { .signer = signer, .verified = false };
			break;
		}
		if (X509_verify(cert, X509_get0_pubkey(signer->cert)) != 1) continue;
		if (pc_anchor_window_open(signer->anchor, now)) {
			*found = (candidate) { .signer = signer, .verified = true };
			break;
		}
		if (!found->signer) *found = (candidate) { .signer = signer, .verified = true };
	}
	ERR_clear_error();
}

/*
 * find_signer, unless the signer that verified these very bytes before has an
 * open window: then its signature is left to X509_verify_cert alone, which
 * checks it anyway. Only a choice between several candidates is remembered.
 */
static void find_signer_remembered(pc_trust const *trust, pc_signer const *const *candidates, size_t total,
				   X509 *cert, time_t now, candidate *found)
{
	pc_signer const *remembered = total > 1 ? pc_trust_recall_signer(trust, cert) : NULL;

	for (size_t i = 0; remembered && i < total; i++) {
		if (candidates[i] != remembered || !pc_anchor_window_open(remembered->anchor, now)) continue;
		*found = (candidate) { .signer = remembered, .verified = false, .recalled = true };
		return;
	}
	find_signer(candidates, total, cert, now, found);
}

/* The issuer's CN for short messages (the full DN is in result->issuer). */
static void issuer_cn(X509 *cert, char *buf, size_t len)
{
	if (!pc_name_entry(X509_get_issuer_name(cert), NID_commonName, buf, len)) snprintf(buf, len, "(no CN)");
}

static pc_verdict reject_unknown_issuer(X509 *cert, pc_result *result)
{
	char cn[128];

	issuer_cn(cert, cn, sizeof(cn));
	if (pc_name_is_capf(X509_get_issuer_name(cert))) {
		return reject(result, "the phone probably holds an LSC from another CUCM cluster: delete its LSC "
			      "(CAPF operation Delete) so it uses its MIC, or add a capf section for that CAPF",
			      "LSC from another cluster: issuer %s is not a configured CAPF", cn);
	}
	return reject(result, "put the issuing CA in an lsc_ca section (LSC) or in the manufacturing bundle (MIC)",
		      "unknown issuer %s: no capf, lsc_ca or manufacturing anchor has that name", cn);
}

static pc_verdict reject_bad_signature(pc_trust const *trust, X509 *cert, pc_result *result)
{
	char names[160] = "", label[96], cn[128];
	size_t pos = 0, count;
	pc_signer const *const *candidates = named_like_issuer(trust, cert, &count);

	for (size_t i = 0; i < count && pos < sizeof(names); i++) {
		pos += (size_t)snprintf(names + pos, sizeof(names) - pos, "%s%s", pos ? ", " : "",
					pc_anchor_label(candidates[i]->anchor, label, sizeof(label)));
	}
	issuer_cn(cert, cn, sizeof(cn));
	return reject(result, "a forged certificate, or the CA was re-keyed and its new certificate is not configured",
		      "signature not verified: no key of the anchors named %s (%s) signed this certificate", cn, names);
}

/*
 * Revocation: the anchor's crl_file, or eap's check_crl = yes, which asks
 * every certificate for a CRL that CAPF and the manufacturing CAs never publish.
 */
/* The anchor's CRL from cert's issuer (OpenSSL forgets which one it used once it fails), or NULL. */
static X509_CRL *crl_of_issuer(pc_anchor const *anchor, X509 *cert)
{
	STACK_OF(X509_CRL) *crls = pc_anchor_crls(anchor);

	for (int i = 0; cert && i < sk_X509_CRL_num(crls); i++) {
		X509_CRL *crl = sk_X509_CRL_value(crls, i);

		if (X509_NAME_cmp(X509_CRL_get_issuer(crl), X509_get_issuer_name(cert)) == 0) return crl;
	}
	return NULL;
}

static pc_verdict reject_revocation(X509_STORE_CTX *ctx, pc_result *result)
{
	X509_CRL *crl = crl_of_issuer(result->anchor, X509_STORE_CTX_get_current_cert(ctx));
	char label[96], when[PC_TIME_STRLEN];
	bool own_crls = pc_anchor_crls(result->anchor) != NULL;

	pc_anchor_label(result->anchor, label, sizeof(label));
	switch (result->x509_error) {
	case X509_V_ERR_CERT_REVOKED:
		result->hint = pc_anchor_revocation_reason(result->anchor, result->serial, result->reason,
							   sizeof(result->reason));
		if (result->hint) {
			result->verdict = PC_VERDICT_REJECT;
			return PC_VERDICT_REJECT;
		}
		return reject(result, "its CA revoked this certificate: the phone needs a new one",
			      "certificate revoked: serial %s is in a CRL of eap's (check_crl = yes)", result->serial);
	case X509_V_ERR_CRL_HAS_EXPIRED:
		asn1_time_text(crl ? X509_CRL_get0_nextUpdate(crl) : NULL, when, sizeof(when));
		return reject(result, "put the CA's current CRL into crl_file and reload (radmin -e \"hup phonecert\")",
			      "the CRL for %s is out of date: its next update was due %s", label, when);
	case X509_V_ERR_CRL_NOT_YET_VALID:
		return reject(result, "check the clocks of this server and of the CA",
			      "the CRL for %s is not valid yet", label);
	default:
		break;
	}
	if (own_crls) {
		return reject(result, "crl_file must hold a current CRL of the CA that issued the phone's certificate",
			      "no usable CRL for %s in its crl_file: %s", label,
			      X509_verify_cert_error_string(result->x509_error));
	}
	return reject(result, "eap's check_crl = yes needs a CRL for every phone certificate, and CAPF and the "
		      "manufacturing CAs publish none: set check_crl = no in eap's tls-config and a crl_file in the "
		      "anchors whose CA publishes one",
		      "CRL check failed for %s, which has no crl_file: %s", label,
		      X509_verify_cert_error_string(result->x509_error));
}

static bool is_revocation_error(int error)
{
	switch (error) {
	case X509_V_ERR_CERT_REVOKED:
	case X509_V_ERR_UNABLE_TO_GET_CRL:
	case X509_V_ERR_UNABLE_TO_GET_CRL_ISSUER:
	case X509_V_ERR_CRL_HAS_EXPIRED:
	case X509_V_ERR_CRL_NOT_YET_VALID:
	case X509_V_ERR_CRL_SIGNATURE_FAILURE:
	case X509_V_ERR_UNABLE_TO_DECRYPT_CRL_SIGNATURE:
	case X509_V_ERR_KEYUSAGE_NO_CRL_SIGN:
	case X509_V_ERR_DIFFERENT_CRL_SCOPE:
	case X509_V_ERR_ERROR_IN_CRL_LAST_UPDATE_FIELD:
	case X509_V_ERR_ERROR_IN_CRL_NEXT_UPDATE_FIELD:
		return true;
	default:
		return false;
	}
}

static pc_verdict reject_x509_error(X509_STORE_CTX *ctx, pc_result *result)
{
	int depth = X509_STORE_CTX_get_error_depth(ctx);
	X509 *at = X509_STORE_CTX_get_current_cert(ctx);
	char when[PC_TIME_STRLEN], who[128] = "(unknown)";
	bool leaf = depth == 0;

	result->x509_error = X509_STORE_CTX_get_error(ctx);
	if (is_revocation_error(result->x509_error)) return reject_revocation(ctx, result);
	if (!leaf && at) pc_name_entry(X509_get_subject_name(at), NID_commonName, who, sizeof(who));

	switch (result->x509_error) {
	case X509_V_ERR_CERT_HAS_EXPIRED:
		asn1_time_text(at ? X509_get0_notAfter(at) : NULL, when, sizeof(when));
		if (!leaf) return reject(result, "renew the CA certificate and update the anchor's ca_file",
					 "anchor certificate %s expired on %s", who, when);
		return reject(result, result->cert_type == PC_CERT_MIC ?
			      "a MIC cannot be renewed: give the phone an LSC through CAPF" :
			      "give the phone a new LSC through CAPF (Install/Upgrade)",
			      "certificate expired on %s", when);
	case X509_V_ERR_CERT_NOT_YET_VALID:
		asn1_time_text(at ? X509_get0_notBefore(at) : NULL, when, sizeof(when));
		return reject(result, "check the clocks of this server and of the CA",
			      "%s not valid before %s", leaf ? "certificate" : who, when);
	case X509_V_ERR_CA_MD_TOO_WEAK:
	case X509_V_ERR_CA_KEY_TOO_SMALL:
	case X509_V_ERR_EE_KEY_TOO_SMALL:
		return reject(result, result->cert_type == PC_CERT_MIC ?
			      "old MICs (SHA-1 Cisco Manufacturing CA) pass only with mic_legacy_signatures = allow" :
			      "reissue the certificate with SHA-256 and a 2048-bit key",
			      "legacy algorithm at depth %d%s%s: %s", depth, leaf ? "" : " ", leaf ? "" : who,
			      X509_verify_cert_error_string(result->x509_error));
	case X509_V_ERR_INVALID_PURPOSE:
		return reject(result, "the certificate's extended key usage must include clientAuth",
			      "not a client certificate: %s does not allow TLS client authentication",
			      leaf ? "its key usage" : who);
	default:
		return reject(result, NULL, "X.509 validation failed at depth %d%s%s: %s", depth,
			      leaf ? "" : " ", leaf ? "" : who, X509_verify_cert_error_string(result->x509_error));
	}
}

/*
 * Debian's OpenSSL default security level. Inside TLS, OpenSSL has already set
 * the SSL's own level; outside (the CLI, tests) the same rules must apply.
 */
#define PC_DEFAULT_AUTH_LEVEL 2
#define PC_MIN_SECURITY_BITS 112	/* what security level 2 requires */

bool pc_cert_weak_signature(X509 *cert)
{
	int bits = 0;

	return X509_get_signature_info(cert, NULL, NULL, &bits, NULL) && bits < PC_MIN_SECURITY_BITS;
}

bool pc_cert_weak_key(X509 *cert)
{
	EVP_PKEY *key = X509_get0_pubkey(cert);

	return key && EVP_PKEY_get_security_bits(key) < PC_MIN_SECURITY_BITS;
}

/* A signature or key in the chain below what security level 2 accepts (SHA-1, RSA-1024...). */
static bool has_legacy_algorithms(X509 *cert, STACK_OF(X509) *path)
{
	for (int i = -1; i < sk_X509_num(path); i++) {
		X509 *c = i < 0 ? cert : sk_X509_value(path, i);

		/* A root's own signature is never checked. */
		if (pc_cert_weak_signature(c) && X509_check_issued(c, c) != X509_V_OK) return true;
		if (pc_cert_weak_key(c)) return true;
	}
	return false;
}

/* Point ctx at exactly the signer's path: no other certificate can be picked by name. */
static void restrict_to_signer(X509_STORE_CTX *ctx, pc_signer const *signer, X509 *cert,
			       pc_verify_options const *options, time_t now, pc_result *result)
{
	X509_VERIFY_PARAM *param = X509_STORE_CTX_get0_param(ctx);
	bool mic = result->cert_type == PC_CERT_MIC;

	X509_STORE_CTX_set0_trusted_stack(ctx, signer->path);
	/* This anchor's CRLs, for this anchor's certificates only (the phone's own certificate). */
	if (pc_anchor_crls(signer->anchor)) {
		X509_STORE_CTX_set0_crls(ctx, pc_anchor_crls(signer->anchor));
		X509_VERIFY_PARAM_set_flags(param, X509_V_FLAG_CRL_CHECK);
	}
	/* The signer is trusted by configuration, whether it is a root or an intermediate. */
	X509_VERIFY_PARAM_set_flags(param, X509_V_FLAG_PARTIAL_CHAIN);
	X509_VERIFY_PARAM_set_time(param, now);
	X509_STORE_CTX_set_purpose(ctx, X509_PURPOSE_SSL_CLIENT);
	if (X509_VERIFY_PARAM_get_auth_level(param) < 0) X509_VERIFY_PARAM_set_auth_level(param, PC_DEFAULT_AUTH_LEVEL);

	if (mic && options && options->allow_expired_mic) {
		/* Dates are checked by hand after validation (check_mic_dates); USE_CHECK_TIME would win over NO_CHECK_TIME. */
		X509_VERIFY_PARAM_clear_flags(param, X509_V_FLAG_USE_CHECK_TIME);
		X509_VERIFY_PARAM_set_flags(param, X509_V_FLAG_NO_CHECK_TIME);
	}
	if (mic && options && options->allow_legacy_mic && has_legacy_algorithms(cert, signer->path)) {
		X509_VERIFY_PARAM_set_auth_level(param, 0);
		result->legacy = true;
	}
}

/* With allow_expired_mic only the end of the MIC's validity is waived, and flagged. */
static bool check_mic_dates(X509 *cert, time_t now, pc_result *result)
{
	char when[PC_TIME_STRLEN];

	if (X509_cmp_time(X509_get0_notBefore(cert), &now) > 0) {
		result->x509_error = X509_V_ERR_CERT_NOT_YET_VALID;
		asn1_time_text(X509_get0_notBefore(cert), when, sizeof(when));
		reject(result, "check the clocks of this server and of the CA", "certificate not valid before %s", when);
		return false;
	}
	result->expired = X509_cmp_time(X509_get0_notAfter(cert), &now) < 0;
	return true;
}

/*
 * A phone sends its LSC or MIC and at most its issuing CA; an external LSC CA
 * may add a few more. Anything longer is not a phone, and costs work to parse.
 */
#define PC_MAX_CLIENT_CHAIN 6

static bool chain_too_long(X509_STORE_CTX *ctx, int *count)
{
	STACK_OF(X509) *sent = X509_STORE_CTX_get0_untrusted(ctx);

	*count = sent ? sk_X509_num(sent) : 1;
	return *count > PC_MAX_CLIENT_CHAIN;
}

/* Phones carry RSA or NIST EC keys (CAPF issues RSA and P-256/P-384/P-521 LSCs); anything else is not a phone's. */
static bool phone_key_type(X509 *cert, char *name, size_t len)
{
	EVP_PKEY *key = X509_get0_pubkey(cert);
	char group[64] = "";
	size_t group_len = 0;

	if (!key) {
		snprintf(name, len, "unreadable");
		return false;
	}
	snprintf(name, len, "%s", OBJ_nid2sn(EVP_PKEY_get_base_id(key)));
	if (EVP_PKEY_get_base_id(key) == EVP_PKEY_RSA) return true;
	if (EVP_PKEY_get_base_id(key) != EVP_PKEY_EC) return false;
	if (!EVP_PKEY_get_group_name(key, group, sizeof(group), &group_len)) return false;
	snprintf(name, len, "EC %s", group);
	return strcmp(group, "prime256v1") == 0 || strcmp(group, "secp384r1") == 0 || strcmp(group, "secp521r1") == 0;
}

/*
 * OpenSSL's ways of saying that the certificate does not chain to the anchor
 * it names as issuer: a bad signature, or (self-signed with the anchor's
 * name, or an AKI naming another key) no issuer found at all.
 */
static bool not_signed_by_candidate(X509_STORE_CTX *ctx)
{
	if (X509_STORE_CTX_get_error_depth(ctx) != 0) return false;
	switch (X509_STORE_CTX_get_error(ctx)) {
	case X509_V_ERR_CERT_SIGNATURE_FAILURE:
	case X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT:
	case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY:
	case X509_V_ERR_UNABLE_TO_VERIFY_LEAF_SIGNATURE:
		return true;
	default:
		return false;
	}
}

/*
 * A reject that names an anchor must be sure the anchor signed the
 * certificate. find_signer() may have left that to X509_verify_cert(), but
 * some rejects come first (a CA certificate, a key type, a key usage): check
 * it then, on those reject paths only.
 */
static bool signed_by(candidate const *found, X509 *cert)
{
	bool ok = found->verified || X509_verify(cert, X509_get0_pubkey(found->signer->cert)) == 1;

	ERR_clear_error();
	return ok;
}

/*
 * No anchor named like the issuer signed it: whatever else is wrong with it,
 * it is no anchor's certificate. Reported as find_signer() reports it when it
 * finds no signer itself.
 */
static pc_verdict reject_forged(pc_trust const *trust, X509_STORE_CTX *ctx, X509 *cert, pc_result *result)
{
	X509_STORE_CTX_set_error(ctx, X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY);
	result->x509_error = 0;
	result->anchor = NULL;
	result->anchor_fingerprint[0] = '\0';
	result->cert_type = PC_CERT_UNKNOWN;
	result->expired = result->legacy = false;
	return reject_bad_signature(trust, cert, result);
}

static bool chain_goes_through(X509_STORE_CTX *ctx, X509 *signer_cert)
{
	STACK_OF(X509) *chain = X509_STORE_CTX_get0_chain(ctx);

	return chain && sk_X509_num(chain) >= 2 && X509_cmp(sk_X509_value(chain, 1), signer_cert) == 0;
}

static pc_verdict verify_certificate(pc_trust const *trust, pc_verify_options const *options, X509_STORE_CTX *ctx,
				     time_t now, pc_result *result)
{
	X509 *cert = X509_STORE_CTX_get0_cert(ctx);
	pc_signer const *signer;
	pc_signer const *const *candidates;
	candidate found;
	size_t name_matches;

	memset(result, 0, sizeof(*result));
	if (!cert) return reject(result, NULL, "internal error: no client certificate to verify");
	describe_certificate(cert, result);

	candidates = named_like_issuer(trust, cert, &name_matches);
	if (!is_phone_certificate(name_matches, cert, result)) {
		result->verdict = PC_VERDICT_NOT_PHONE;
		return PC_VERDICT_NOT_PHONE;
	}

	int sent;
	if (chain_too_long(ctx, &sent)) {
		X509_STORE_CTX_set_error(ctx, X509_V_ERR_CERT_CHAIN_TOO_LONG);
		return reject(result, "a phone sends its certificate and at most a few issuers",
			      "the client sent %d certificates (at most %d)", sent, PC_MAX_CLIENT_CHAIN);
	}

	find_signer_remembered(trust, candidates, name_matches, cert, now, &found);
	signer = found.signer;
	if (!signer) {
		X509_STORE_CTX_set_error(ctx, X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY);
		if (name_matches == 0) return reject_unknown_issuer(cert, result);
		return reject_bad_signature(trust, cert, result);
	}
	result->anchor = signer->anchor;
	memcpy(result->anchor_fingerprint, signer->fingerprint, sizeof(result->anchor_fingerprint));
	result->cert_type = pc_anchor_get_kind(signer->anchor) == PC_ANCHOR_MANUFACTURING ? PC_CERT_MIC : PC_CERT_LSC;

	if (X509_check_ca(cert) != 0) {
		if (!signed_by(&found, cert)) return reject_forged(trust, ctx, cert, result);
		X509_STORE_CTX_set_error(ctx, X509_V_ERR_INVALID_PURPOSE);
		return reject(result, "a phone presents its own LSC or MIC, never a CA certificate",
			      "not a client certificate: it is a CA certificate");
	}
	char key_type[80];
	if (!phone_key_type(cert, key_type, sizeof(key_type))) {
		if (!signed_by(&found, cert)) return reject_forged(trust, ctx, cert, result);
		X509_STORE_CTX_set_error(ctx, X509_V_ERR_APPLICATION_VERIFICATION);
		return reject(result, "phones carry RSA or EC P-256/P-384/P-521 keys",
			      "unsupported key type %s", key_type);
	}

	restrict_to_signer(ctx, signer, cert, options, now, result);
	if (X509_verify_cert(ctx) != 1) {
		if (X509_STORE_CTX_get_error(ctx) == X509_V_OK) X509_STORE_CTX_set_error(ctx, X509_V_ERR_UNSPECIFIED);
		ERR_clear_error();
		/* OpenSSL checks key usage and the like before the leaf's signature: which came first must not matter. */
		if (not_signed_by_candidate(ctx) || !signed_by(&found, cert)) {
			return reject_forged(trust, ctx, cert, result);
		}
		return reject_x509_error(ctx, result);
	}
	if (!chain_goes_through(ctx, signer->cert)) {
		X509_STORE_CTX_set_error(ctx, X509_V_ERR_UNSPECIFIED);
		return reject(result, NULL, "internal error: the validated chain does not go through the anchor that signed it");
	}
	/* X509_verify_cert verified the signature with this signer's key: remembered, unless recalled from there. */
	if (name_matches > 1 && !found.recalled) pc_trust_remember_signer(trust, cert, signer);

	if (result->cert_type == PC_CERT_MIC && options && options->allow_expired_mic &&
	    !check_mic_dates(cert, now, result)) {
		X509_STORE_CTX_set_error(ctx, X509_V_ERR_CERT_NOT_YET_VALID);
		return PC_VERDICT_REJECT;
	}
	result->hint = pc_anchor_window_reason(signer->anchor, now, result->reason, sizeof(result->reason));
	if (result->hint) {
		X509_STORE_CTX_set_error(ctx, X509_V_ERR_APPLICATION_VERIFICATION);
		result->verdict = PC_VERDICT_REJECT;
		return PC_VERDICT_REJECT;
	}
	if (!result->identity.has_device) {
		X509_STORE_CTX_set_error(ctx, X509_V_ERR_APPLICATION_VERIFICATION);
		return reject(result, "a phone's CN is <model>-SEP<MAC> or SEP<MAC>",
			      "not a phone certificate: its CN does not end in SEP and 12 hex digits");
	}
	result->verdict = PC_VERDICT_ACCEPT;
	return PC_VERDICT_ACCEPT;
}

pc_verdict pc_verify(pc_trust const *trust, pc_verify_options const *options, X509_STORE_CTX *ctx,
		     time_t now, pc_result *result)
{
	pc_verdict verdict = verify_certificate(trust, options, ctx, now, result);

	if (verdict != PC_VERDICT_ACCEPT) pc_result_name_certificate(X509_STORE_CTX_get0_cert(ctx), result);
	return verdict;
}

pc_verdict pc_verify_chain(pc_trust const *trust, pc_verify_options const *options, X509 *cert,
			   STACK_OF(X509) *chain, time_t now, pc_result *result)
{
	X509_STORE *store = X509_STORE_new();
	X509_STORE_CTX *ctx = X509_STORE_CTX_new();
	pc_verdict verdict;

	if (!store || !ctx || !X509_STORE_CTX_init(ctx, store, cert, chain)) {
		memset(result, 0, sizeof(*result));
		verdict = reject(result, NULL, "internal error: cannot set up X.509 verification");
	} else {
		verdict = verify_certificate(trust, options, ctx, now, result);
		pc_result_name_certificate(cert, result);	/* the CLI shows every one, accepted or not */
	}
	X509_STORE_CTX_free(ctx);
	X509_STORE_free(store);
	ERR_clear_error();
	return verdict;
}

/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Post-auth: re-apply the policy to every phone authentication and write one
 * log line per phone (with log_accepts = no, per rejected phone and per phone
 * let in by a waiver of mic_expired or mic_legacy_signatures only).
 *
 * On a resumed TLS session no certificate is verified: the attributes cached
 * with the session are all there is, and the block list, the anchor
 * certificate that signed the phone's (by fingerprint), the anchor's window
 * and CRLs, mic, bind_mac and bind_identity are judged again from them, on the
 * current trust set and block list.
 *
 * Possession before record: a certificate travels in the clear, so the
 * verify callback decides on it before the client has proved that it holds
 * its key. Only here, in the post-auth of a finished handshake, is that
 * proved; post-auth sets Phonecert-Key-Proven then, and only what carries it
 * is recorded as the phone's (policy phonecert_inventory_write). A reject
 * decided in the handshake is logged with key=unproven.
 */
#include <freeradius/radiusd.h>

#include "attributes.h"
#include "phonecert.h"

#include "../core/text.h"

/* Marks a request whose phone line is logged already (post-auth runs again in Post-Auth-Type REJECT). */
static int logged_marker;

/* A resumed session brings its cached attributes in the reply list: move ours to the request, where policy reads them. */
static void move_cached_pairs(REQUEST *request)
{
	VALUE_PAIR *cached = attributes_take_ours(&request->reply->vps);

	attributes_steal(request->packet, cached);
	fr_pair_add(&request->packet->vps, cached);
}

static bool session_resumed(REQUEST *request)
{
	VALUE_PAIR *vp = fr_pair_find_by_num(request->packet->vps, PW_EAP_SESSION_RESUMED, 0, TAG_ANY);

	return vp && vp->vp_integer;
}

/* What the session cached of the phone's certificate (post-auth of a full handshake: what it just decided). */
static void session_facts(phone_attributes const *found, pc_session_facts *cached)
{
	*cached = (pc_session_facts) {
		.cert_type = phone_attribute_value(found, ATTR_CERTIFICATE_TYPE),
		.anchor_name = phone_attribute_value(found, ATTR_ANCHOR),
		.anchor_fingerprint = phone_attribute_value(found, ATTR_ANCHOR_FINGERPRINT),
		.common_name = phone_attribute_value(found, ATTR_COMMON_NAME),
		.mac = phone_attribute_value(found, ATTR_MAC),
		.serial = phone_attribute_value(found, ATTR_CERTIFICATE_SERIAL),
	};
}

static void nas_address(REQUEST *request, char *buf, size_t len)
{
	VALUE_PAIR *nas = fr_pair_find_by_num(request->packet->vps, PW_NAS_IP_ADDRESS, 0, TAG_ANY);

	if (!nas) nas = fr_pair_find_by_num(request->packet->vps, PW_NAS_IPV6_ADDRESS, 0, TAG_ANY);
	if (nas) vp_prints_value(buf, len, nas, 0);
	else snprintf(buf, len, "-");
}

/*
 * One greppable line per phone authentication: which certificate, from where,
 * and why. Every value is written by pc_log_* (core/text.h): values from the
 * request or the certificate can hold no unescaped quote, control or "key=".
 */
static void log_phone(REQUEST *request, phone_attributes const *found, bool resumed, bool proven,
		      char const *verdict, char const *reason, char const *hint)
{
	char nas_ip[INET6_ADDRSTRLEN];
	char why[PC_REASON_LEN * 2];
	char buf[4096];
	pc_log_line line;

	/* request_data_reference finds the data, not the key: a NULL one would never be found. */
	if (request_data_reference(request, &logged_marker, 0)) return;
	request_data_add(request, &logged_marker, 0, &logged_marker, false);
	nas_address(request, nas_ip, sizeof(nas_ip));
	snprintf(why, sizeof(why), "%s%s%s", reason ? reason : "", hint ? "; " : "", hint ? hint : "");

	pc_log_init(&line, buf, sizeof(buf));
	pc_log_word(&line, verdict);
	pc_log_pair(&line, "device", phone_attribute_value(found, ATTR_DEVICE_NAME));
	pc_log_pair(&line, "mac", phone_attribute_value(found, ATTR_MAC));
	pc_log_pair(&line, "calling-station-id", request_string(request, PW_CALLING_STATION_ID));
	pc_log_pair(&line, "nas-ip", nas_ip);
	pc_log_pair(&line, "nas-port-id", request_string(request, PW_NAS_PORT_ID));
	pc_log_pair(&line, "type", phone_attribute_value(found, ATTR_CERTIFICATE_TYPE));
	pc_log_pair(&line, "anchor", phone_attribute_value(found, ATTR_ANCHOR));
	pc_log_pair(&line, "serial", phone_attribute_value(found, ATTR_CERTIFICATE_SERIAL));
	pc_log_pair(&line, "not-after", phone_attribute_value(found, ATTR_CERTIFICATE_NOT_AFTER));
	pc_log_pair(&line, "session", resumed ? "resumed" : "full");
	pc_log_pair(&line, "key", proven ? "proven" : "unproven");
	if (phone_attribute_is_yes(found, ATTR_EXPIRED)) pc_log_pair(&line, "expired-mic", "allowed");
	if (phone_attribute_is_yes(found, ATTR_LEGACY_SIGNATURE)) pc_log_pair(&line, "legacy-signature", "allowed");
	pc_log_quoted(&line, "reason", why);
	RAUTH("%s", pc_log_end(&line));
}

/* Rejected already: in the handshake (Phonecert-Reason), or by other policy (Post-Auth-Type REJECT). */
static void log_earlier_reject(REQUEST *request, phone_attributes const *found, bool resumed)
{
	char const *reason = phone_attribute_value(found, ATTR_REASON);
	VALUE_PAIR *msg = fr_pair_find_by_num(request->packet->vps, PW_MODULE_FAILURE_MESSAGE, 0, TAG_ANY);

	log_phone(request, found, resumed, phone_attribute_is_yes(found, ATTR_KEY_PROVEN), "reject",
		  reason ? reason : msg ? msg->vp_strvalue : "rejected by policy", phone_attribute_value(found, ATTR_ADVICE));
}

/* EAP codes and the EAP-TLS type (RFC 3748 4, RFC 5216): eap's header that names them is not installed. */
enum { EAP_CODE_RESPONSE = 2, EAP_CODE_SUCCESS = 3, EAP_CODE_FAILURE = 4, EAP_TYPE_TLS = 13 };

/* What an Access-Reject may carry (RFC 2865 5.44, RFC 3579 3.2, RFC 5176 3.5); internal attributes are never sent. */
static bool reject_may_carry(VALUE_PAIR const *vp)
{
	if (vp->da->vendor == 0 && vp->da->attr > 255) return true;
	if (vp->da->vendor != 0) return false;
	switch (vp->da->attr) {
	case PW_REPLY_MESSAGE:
	case PW_PROXY_STATE:
	case PW_EAP_MESSAGE:
	case PW_MESSAGE_AUTHENTICATOR:
	case PW_ERROR_CAUSE:
		return true;
	default:
		return false;
	}
}

/*
 * A reject after the TLS handshake finished (a resumed session, or policy
 * after a full one) finds eap's EAP-Success and its keys (MS-MPPE-*) in the
 * reply, and eap's own post-auth no longer turns them into a failure (its
 * handler is gone). The client must get an EAP-Failure and no key.
 */
static void reply_as_reject(REQUEST *request)
{
	vp_cursor_t cursor;
	VALUE_PAIR *vp = fr_cursor_init(&cursor, &request->reply->vps);

	while (vp) {
		if (reject_may_carry(vp)) {
			vp = fr_cursor_next(&cursor);
			continue;
		}
		vp = fr_cursor_remove(&cursor);
		talloc_free(vp);
		vp = fr_cursor_current(&cursor);
	}
	vp = fr_pair_find_by_num(request->reply->vps, PW_EAP_MESSAGE, 0, TAG_ANY);
	if (vp && vp->vp_length == 4 && vp->vp_octets[0] == EAP_CODE_SUCCESS) {
		uint8_t failure[4];

		memcpy(failure, vp->vp_octets, sizeof(failure));
		failure[0] = EAP_CODE_FAILURE;	/* same identifier, same length */
		fr_pair_value_memcpy(vp, failure, sizeof(failure));
		RDEBUG2("phonecert: the reply's EAP-Success is now an EAP-Failure");
	}
}

/* Accepted only because mic_expired or mic_legacy_signatures allows it: logged even with log_accepts = no. */
static bool accepted_by_waiver(phone_attributes const *found)
{
	return phone_attribute_is_yes(found, ATTR_EXPIRED) || phone_attribute_is_yes(found, ATTR_LEGACY_SIGNATURE);
}

/* Whether the request carries an EAP-TLS response (code, identifier, length, type). */
static bool eap_tls_response(REQUEST *request)
{
	VALUE_PAIR *vp = fr_pair_find_by_num(request->packet->vps, PW_EAP_MESSAGE, 0, TAG_ANY);

	return vp && vp->vp_length >= 5 && vp->vp_octets[0] == EAP_CODE_RESPONSE && vp->vp_octets[4] == EAP_TYPE_TLS;
}

/*
 * A resumed EAP-TLS session came without Phonecert-Decided: hook.c resumes no
 * such session, so FreeRADIUS lost what was cached after the lookup (as 3.2
 * does for TLS 1.3). Nothing is known about its certificate: refuse it.
 */
static rlm_rcode_t refuse_unchecked(REQUEST *request)
{
	char const *reason = "internal error: a resumed EAP-TLS session lost the attributes cached with it, "
			     "phonecert cannot re-check its certificate";

	RERROR("phonecert: %s", reason);
	prepend_failure_message(request, reason);
	reply_as_reject(request);
	return RLM_MODULE_REJECT;
}

static rlm_rcode_t recheck(phonecert_generation_t const *generation, REQUEST *request, phone_attributes const *found,
			   bool resumed, bool log_accepts)
{
	char reason[PC_REASON_LEN];
	char const *hint;
	pc_session_facts cached;
	pc_switch_report reported = {
		.calling_station_id = request_string(request, PW_CALLING_STATION_ID),
		.user_name = request_string(request, PW_USER_NAME),
	};

	session_facts(found, &cached);
	if (!pc_decide_session(generation->trust, &generation->policy, &cached, &reported, time(NULL), reason,
			       sizeof(reason), &hint)) {
		attribute_add(request->packet, &request->packet->vps, ATTR_REASON, reason);
		attribute_add(request->packet, &request->packet->vps, ATTR_ADVICE, hint);
		prepend_failure_message(request, reason);
		reply_as_reject(request);
		log_phone(request, found, resumed, true, "reject", reason, hint);
		return RLM_MODULE_REJECT;
	}
	if (phone_attribute_is_yes(found, ATTR_EXPIRED)) {
		char cn[PC_FIELD_LEN * 4];

		pc_escape(cn, sizeof(cn), phone_attribute_value(found, ATTR_COMMON_NAME), PC_ESCAPE_TEXT);
		RWARN("Accepting an expired MIC (mic_expired = allow): %s", cn);
	}
	if (log_accepts || accepted_by_waiver(found)) log_phone(request, found, resumed, true, "accept", NULL, NULL);
	return RLM_MODULE_OK;
}

rlm_rcode_t post_auth_phone(phonecert_hook_t *hook, REQUEST *request, bool log_accepts)
{
	phonecert_generation_t *generation;
	phone_attributes found;
	rlm_rcode_t rcode;
	bool resumed = session_resumed(request);

	if (resumed) move_cached_pairs(request);
	phone_attributes_find(request->packet->vps, &found);
	if (resumed && !found.vp[ATTR_DECIDED] && eap_tls_response(request) &&
	    request->reply->code != PW_CODE_ACCESS_REJECT) return refuse_unchecked(request);
	if (!phone_attribute_value(&found, ATTR_CERTIFICATE_TYPE) &&
	    !phone_attribute_value(&found, ATTR_REASON)) return RLM_MODULE_NOOP;	/* no phone here */

	if (phone_attribute_value(&found, ATTR_REASON) || request->reply->code == PW_CODE_ACCESS_REJECT) {
		reply_as_reject(request);
		log_earlier_reject(request, &found, resumed);
		attributes_make_safe(request);
		return RLM_MODULE_NOOP;
	}

	/* The handshake finished: the client proved it holds the key of this certificate (or of the session it resumed). */
	attribute_add(request->packet, &request->packet->vps, ATTR_KEY_PROVEN, "yes");
	generation = hook_acquire(hook);
	rcode = recheck(generation, request, &found, resumed, log_accepts);
	hook_release(hook, generation);
	attributes_make_safe(request);	/* after the log line, which escapes them itself */
	return rcode;
}

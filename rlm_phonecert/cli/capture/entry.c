/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "entry.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <openssl/evp.h>

#include "eap.h"

#include "../../core/phone.h"
#include "../../core/trust.h"

enum { ALERT_UNKNOWN_CA = 48, ALERT_LEVEL_FATAL = 2 };

char const *entry_status_name(cert_status status)
{
	switch (status) {
	case CERT_SENT: return "sent";
	case CERT_ENCRYPTED: return "encrypted";
	case CERT_RESUMED: return "resumed";
	case CERT_NOT_SENT: return "not_sent";
	case CERT_NOT_SEEN: return "not_seen";
	case CERT_UNREADABLE: return "unreadable";
	}
	return "not_seen";
}

char const *entry_via_name(cap_via via)
{
	switch (via) {
	case CAP_VIA_RADIUS: return "radius";
	case CAP_VIA_EAPOL: return "eapol";
	case CAP_VIA_TCP: return "tcp";
	}
	return "tcp";
}

char const *entry_decision_name(capture_entry const *entry)
{
	if (entry->status != CERT_SENT) return NULL;
	switch (entry->result.verdict) {
	case PC_VERDICT_ACCEPT: return "ACCEPT";
	case PC_VERDICT_REJECT: return "REJECT";
	case PC_VERDICT_NOT_PHONE: return "NOT_PHONE";
	}
	return NULL;
}

void entry_alert_text(cap_tls_alert const *alert, char *buf, size_t len)
{
	char const *from = alert->from == CAP_DIR_PHONE ? "phone -> server" : "server -> phone";
	char const *name = cap_tls_alert_name(alert->description);

	if (alert->encrypted) {
		snprintf(buf, len, "%s encrypted alert", from);
	} else if (name) {
		snprintf(buf, len, "%s %s %s", from, alert->level == ALERT_LEVEL_FATAL ? "fatal" : "warning", name);
	} else {
		snprintf(buf, len, "%s %s alert %u", from, alert->level == ALERT_LEVEL_FATAL ? "fatal" : "warning",
			 alert->description);
	}
}

static void append(char *buf, size_t len, char const *fmt, ...) __attribute__((format(printf, 3, 4)));
static void append(char *buf, size_t len, char const *fmt, ...)
{
	size_t used = strlen(buf);
	va_list ap;

	if (used >= len - 1) return;
	va_start(ap, fmt);
	vsnprintf(buf + used, len - used, fmt, ap);
	va_end(ap);
}

/*
 *	The certificate
 */
static X509 *der_certificate(uint8_t const *der, size_t len)
{
	unsigned char const *p = der;
	X509 *cert = d2i_X509(NULL, &p, (long)len);

	if (cert && p != der + len) {	/* trailing bytes: not one certificate */
		X509_free(cert);
		return NULL;
	}
	return cert;
}

static void key_text(X509 *cert, char *buf, size_t len)
{
	EVP_PKEY *key = X509_get0_pubkey(cert);
	char group[32];

	if (!key) snprintf(buf, len, "unreadable");
	else if (EVP_PKEY_get_base_id(key) == EVP_PKEY_RSA) snprintf(buf, len, "RSA %d", EVP_PKEY_get_bits(key));
	else if (EVP_PKEY_get_base_id(key) == EVP_PKEY_EC && EVP_PKEY_get_group_name(key, group, sizeof(group), NULL)) {
		snprintf(buf, len, "EC %s", group);
	} else snprintf(buf, len, "%s %d", OBJ_nid2sn(EVP_PKEY_get_base_id(key)), EVP_PKEY_get_bits(key));
}

static cert_status read_certificates(capture_entry *entry, cap_tls const *tls)
{
	int kept = tls->cert_count < CAP_TLS_MAX_CERTS ? tls->cert_count : CAP_TLS_MAX_CERTS;

	if (tls->phone_certificate_message && tls->cert_count == 0) return CERT_NOT_SENT;
	if (!tls->phone_certificate_message) {
		if (tls->version == 0x0304) return CERT_ENCRYPTED;
		if (tls->resumed || (tls->server_hello && tls->stream[CAP_DIR_SERVER].change_cipher_spec &&
				     !tls->server_certificate)) return CERT_RESUMED;
		return CERT_NOT_SEEN;
	}
	if (!(entry->cert = der_certificate(tls->certs[0], tls->cert_len[0]))) return CERT_UNREADABLE;
	for (int i = 1; i < kept; i++) {
		X509 *sent = der_certificate(tls->certs[i], tls->cert_len[i]);

		if (!sent) continue;	/* the server would refuse the chain; the leaf is still worth judging */
		if (!entry->chain) entry->chain = sk_X509_new_null();
		if (!entry->chain || !sk_X509_push(entry->chain, sent)) X509_free(sent);
	}
	return CERT_SENT;
}

/* LSC or MIC: from the anchor that verified it, else (a stranger's certificate) from its issuer's name. */
static void classify(capture_entry *entry)
{
	pc_result const *r = &entry->result;

	if (r->cert_type != PC_CERT_UNKNOWN) {
		entry->type = pc_cert_type_name(r->cert_type);
		entry->type_from_anchor = true;
	} else if (pc_name_is_capf(X509_get_issuer_name(entry->cert))) {
		entry->type = "LSC";
	} else if (strstr(entry->issuer_cn, "Manufacturing CA")) {
		entry->type = "MIC";
	}
}

/* What the switch reported, for the policy's bindings, as the module reads them. */
static pc_switch_report switch_report(cap_handshake const *hs, capture_entry const *entry)
{
	switch (hs->via) {
	case CAP_VIA_RADIUS:
		return (pc_switch_report) {
			.calling_station_id = hs->calling_station_id[0] ? hs->calling_station_id : NULL,
			.user_name = hs->user_name[0] ? hs->user_name : NULL,
		};
	case CAP_VIA_EAPOL:	/* the switch would send the port's MAC and the EAP identity */
		return (pc_switch_report) {
			.calling_station_id = entry->mac[0] ? entry->mac : NULL,
			.user_name = hs->eap_identity[0] ? hs->eap_identity : NULL,
		};
	case CAP_VIA_TCP:
		break;
	}
	return (pc_switch_report) { 0 };
}

static void decide(capture_entry *entry, decider const *d)
{
	cap_handshake const *hs = entry->hs;
	pc_switch_report reported = switch_report(hs, entry);

	pc_name_entry(X509_get_issuer_name(entry->cert), NID_commonName, entry->issuer_cn, sizeof(entry->issuer_cn));
	key_text(entry->cert, entry->key, sizeof(entry->key));
	pc_decide_chain(d->trust, &d->policy, entry->cert, entry->chain, hs->via == CAP_VIA_TCP ? NULL : &reported,
			entry->decided_at, &entry->result);
	if (entry->result.identity.has_device) memcpy(entry->mac, entry->result.identity.mac, PC_MAC_LEN);
	classify(entry);
}

/*
 *	The wire
 */
static cap_tls_alert const *first_fatal_alert(cap_tls const *tls, cap_dir from)
{
	int kept = tls->alert_count < CAP_TLS_MAX_ALERTS ? tls->alert_count : CAP_TLS_MAX_ALERTS;

	for (int i = 0; i < kept; i++) {
		if (tls->alerts[i].from == from && !tls->alerts[i].encrypted && tls->alerts[i].level == ALERT_LEVEL_FATAL) {
			return &tls->alerts[i];
		}
	}
	return NULL;
}

static void describe_wire(capture_entry *entry)
{
	cap_handshake const *hs = entry->hs;
	cap_tls const *tls = &hs->tls;
	int kept = tls->alert_count < CAP_TLS_MAX_ALERTS ? tls->alert_count : CAP_TLS_MAX_ALERTS;
	char *w = entry->wire;
	size_t len = sizeof(entry->wire);

	w[0] = '\0';
	if (hs->radius_outcome) {
		append(w, len, "%s", hs->radius_outcome == CAP_RADIUS_ACCESS_ACCEPT ? "Access-Accept" : "Access-Reject");
	}
	if (hs->eap_outcome) {
		append(w, len, "%s%s", w[0] ? ", " : "", hs->eap_outcome == CAP_EAP_SUCCESS ? "EAP-Success" : "EAP-Failure");
	}
	for (int i = 0; i < kept; i++) {
		char alert[80];

		entry_alert_text(&tls->alerts[i], alert, sizeof(alert));
		append(w, len, "%s%s", w[0] ? ", " : "", alert);
	}
	if (tls->alert_count > kept) append(w, len, " (and %d more alerts)", tls->alert_count - kept);
	if (cap_tls_finished(tls) && !first_fatal_alert(tls, CAP_DIR_PHONE) && !first_fatal_alert(tls, CAP_DIR_SERVER)) {
		append(w, len, "%sTLS handshake finished", w[0] ? ", " : "");
	}
	if (hs->tcp_reset) append(w, len, "%sTCP reset", w[0] ? ", " : "");
	else if (hs->tcp_closed) append(w, len, "%sTCP connection closed", w[0] ? ", " : "");
	if (!w[0]) snprintf(w, len, hs->not_tls ? "no TLS" : "no outcome in the capture");
}

static bool wire_rejected(cap_handshake const *hs)
{
	return hs->radius_outcome == CAP_RADIUS_ACCESS_REJECT || hs->eap_outcome == CAP_EAP_FAILURE ||
	       first_fatal_alert(&hs->tls, CAP_DIR_SERVER) || first_fatal_alert(&hs->tls, CAP_DIR_PHONE);
}

static bool wire_accepted(cap_handshake const *hs)
{
	if (hs->via == CAP_VIA_TCP) return cap_tls_finished(&hs->tls) && !wire_rejected(hs);
	return hs->radius_outcome == CAP_RADIUS_ACCESS_ACCEPT || hs->eap_outcome == CAP_EAP_SUCCESS;
}

/*
 *	The diagnosis, in the FAQ's words
 */
static void diagnose_certificate(capture_entry *entry, char *d, size_t len)
{
	pc_result const *r = &entry->result;
	cap_tls_alert const *refusal = first_fatal_alert(&entry->hs->tls, CAP_DIR_SERVER);
	char label[128];
	char const *type = entry->type ? entry->type : "certificate";
	bool lsc = entry->type && strcmp(entry->type, "LSC") == 0;

	if (refusal && refusal->description == ALERT_UNKNOWN_CA) {
		/* The FAQ's case: the phone console's "SSL3 alert ... fatal ... unknown CA". */
		snprintf(d, len, "%s issued by %s, which the server does not trust (it answered unknown_ca): %s; this "
			 "configuration %s", type, entry->issuer_cn[0] ? entry->issuer_cn : r->issuer,
			 lsc ? "the phone holds an LSC from another cluster, or the server lacks this CAPF certificate" :
			       "add the issuing CA to the server's trust",
			 r->verdict == PC_VERDICT_ACCEPT ? "would accept it" : "would reject it too");
		return;
	}
	if (r->verdict == PC_VERDICT_NOT_PHONE) {
		snprintf(d, len, "not a phone certificate (issuer %s): the server leaves it to eap's own checks",
			 entry->issuer_cn[0] ? entry->issuer_cn : r->issuer);
	} else if (r->verdict == PC_VERDICT_REJECT && lsc && !entry->type_from_anchor &&
		   pc_name_is_capf(X509_get_issuer_name(entry->cert))) {
		snprintf(d, len, "LSC issued by %s, which this server does not trust: the phone holds an LSC from another cluster",
			 entry->issuer_cn);
	} else if (r->verdict == PC_VERDICT_REJECT) {
		snprintf(d, len, "%s issued by %s, rejected: %s", type, entry->issuer_cn[0] ? entry->issuer_cn : r->issuer,
			 r->reason);
	} else {
		snprintf(d, len, "%s issued by %s, trusted (%s): accepted", type, entry->issuer_cn,
			 pc_anchor_label(r->anchor, label, sizeof(label)));
	}
	if (r->verdict == PC_VERDICT_ACCEPT && wire_rejected(entry->hs)) {
		append(d, len, "; but the server in the capture refused it: it runs another configuration, or refused for a "
			       "reason outside the certificate (see its log)");
	} else if (r->verdict == PC_VERDICT_REJECT && wire_accepted(entry->hs)) {
		append(d, len, "; the server in the capture accepted it: it runs another configuration");
	}
}

static void diagnose(capture_entry *entry)
{
	cap_handshake const *hs = entry->hs;
	char *d = entry->diagnosis;
	size_t len = sizeof(entry->diagnosis);

	if (hs->not_tls) {
		snprintf(d, len, "not TLS: this connection to port %u carries no TLS handshake (a non-secure device "
			 "security profile, or another protocol)", hs->server_port);
		return;
	}
	switch (entry->status) {
	case CERT_SENT:
		diagnose_certificate(entry, d, len);
		return;
	case CERT_ENCRYPTED:
		snprintf(d, len, "TLS 1.3: the phone's certificate is encrypted, the capture cannot tell LSC from MIC; see the "
			 "server's log line (phonecert: ... type=...)");
		return;
	case CERT_RESUMED:
		snprintf(d, len, "resumed TLS session: the phone sent no certificate, the server decided from its session cache (%s)",
			 wire_accepted(hs) ? "accepted" : wire_rejected(hs) ? "rejected" : "no outcome in the capture");
		return;
	case CERT_NOT_SENT:
		snprintf(d, len, "the phone sent no certificate%s: it has neither a usable LSC nor MIC for this server",
			 hs->tls.certificate_request ? " although the server asked for one" : "");
		return;
	case CERT_UNREADABLE:
		snprintf(d, len, "the phone's certificate could not be read: damaged in the capture");
		return;
	case CERT_NOT_SEEN:
		break;
	}
	if (!hs->tls.client_hello) snprintf(d, len, "the TLS handshake is not in the capture");
	else if (hs->tls.server_hello && !hs->tls.certificate_request && hs->tls.stream[CAP_DIR_SERVER].change_cipher_spec) {
		snprintf(d, len, "the server did not ask for a client certificate");
	} else snprintf(d, len, "the phone's certificate is not in the capture");
	if (hs->note_count) append(d, len, ": %s", hs->notes[0]);
}

/*
 *	The entry
 */
static void time_text(cap_time when, char *buf, size_t len)
{
	time_t sec = (time_t)when.sec;
	struct tm tm;
	char date[32];

	if (!gmtime_r(&sec, &tm) || !strftime(date, sizeof(date), "%Y-%m-%dT%H:%M:%S", &tm)) {
		snprintf(buf, len, "(unreadable time)");
		return;
	}
	snprintf(buf, len, "%s.%06dZ", date, (int)(when.usec >= 0 && when.usec < 1000000 ? when.usec : 0));
}

/* Without a certificate: the MAC from what the switch said, or the EAPOL frames. */
static void mac_from_wire(capture_entry *entry)
{
	cap_handshake const *hs = entry->hs;

	if (entry->mac[0]) return;
	if (hs->calling_station_id[0] && pc_mac_normalise(hs->calling_station_id, entry->mac)) return;
	if (hs->via == CAP_VIA_EAPOL && pc_mac_normalise(hs->phone, entry->mac)) return;
	entry->mac[0] = '\0';
}

void entry_build(capture_entry *entry, cap_handshake const *hs, decider const *d, time_t now, unsigned number)
{
	memset(entry, 0, sizeof(*entry));
	entry->hs = hs;
	entry->number = number;
	entry->decided_at = now ? now : (time_t)hs->first.sec;
	time_text(hs->first, entry->time, sizeof(entry->time));
	if (hs->via == CAP_VIA_EAPOL) mac_from_wire(entry);	/* the switch would report it */
	entry->status = hs->not_tls ? CERT_NOT_SEEN : read_certificates(entry, &hs->tls);
	if (entry->status == CERT_SENT) decide(entry, d);
	mac_from_wire(entry);
	describe_wire(entry);
	diagnose(entry);
	entry->fine = entry->status == CERT_SENT ? entry->result.verdict == PC_VERDICT_ACCEPT :
		      entry->status == CERT_RESUMED && wire_accepted(hs);
}

void entry_free(capture_entry *entry)
{
	X509_free(entry->cert);
	sk_X509_pop_free(entry->chain, X509_free);
	entry->cert = NULL;
	entry->chain = NULL;
}

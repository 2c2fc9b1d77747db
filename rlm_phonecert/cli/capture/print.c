/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "print.h"

#include <string.h>

#include "eap.h"

#include "../output.h"

#include "../../core/trust.h"

/* A field that may be absent (text_field escapes the value). */
static void safe_field(FILE *out, char const *label, char const *value)
{
	if (value && value[0]) text_field(out, label, "%s", value);
}

static void print_certificate_text(FILE *out, capture_entry const *entry)
{
	pc_result const *r = &entry->result;
	pc_identity const *id = &r->identity;
	char label[128];

	safe_field(out, "subject", r->subject);
	safe_field(out, "issuer", r->issuer);
	text_field(out, "serial", "%s", r->serial);
	text_field(out, "validity", "%s to %s", r->not_before, r->not_after);
	text_field(out, "key", "%s", entry->key);
	if (entry->chain) text_field(out, "chain", "%d more certificate(s) sent with it", sk_X509_num(entry->chain));
	text_field(out, "type", "%s%s", entry->type ? entry->type : "unknown",
		   entry->type && !entry->type_from_anchor ? " (by its issuer's name: no configured anchor signed it)" : "");
	if (r->anchor) text_field(out, "anchor", "%s", pc_anchor_label(r->anchor, label, sizeof(label)));
	safe_field(out, "device", id->device_name);
	safe_field(out, "model", id->model);
	safe_field(out, "PID", id->pid);
	safe_field(out, "SN", id->sn);
	if (r->verdict == PC_VERDICT_ACCEPT) text_field(out, "decision", "ACCEPT");
	else if (r->verdict == PC_VERDICT_NOT_PHONE) text_field(out, "decision", "not a phone certificate");
	else {
		text_field(out, "decision", "REJECT: %s", r->reason);
		if (r->hint) text_field(out, "what to do", "%s", r->hint);
	}
}

static char const *certificate_status_text(cert_status status)
{
	switch (status) {
	case CERT_SENT: return NULL;
	case CERT_ENCRYPTED: return "encrypted (TLS 1.3)";
	case CERT_RESUMED: return "none sent (resumed session)";
	case CERT_NOT_SENT: return "none sent (empty Certificate message)";
	case CERT_NOT_SEEN: return "not in the capture";
	case CERT_UNREADABLE: return "unreadable";
	}
	return NULL;
}

void print_entry_text(FILE *out, capture_entry const *entry, char const *const *files, int file_count)
{
	cap_handshake const *hs = entry->hs;
	char const *version = cap_tls_version_name(hs->tls.version);

	fprintf(out, "handshake %u: %s %s %s <-> %s\n", entry->number, entry->time,
		hs->via == CAP_VIA_RADIUS ? "RADIUS" : hs->via == CAP_VIA_EAPOL ? "EAPOL" : "TLS/TCP",
		hs->phone, hs->server);
	safe_field(out, "User-Name", hs->user_name);
	safe_field(out, "Station-Id", hs->calling_station_id);
	safe_field(out, "NAS-IP", hs->nas_ip);
	safe_field(out, "NAS-Port-Id", hs->nas_port_id);
	if (hs->via == CAP_VIA_EAPOL) safe_field(out, "EAP identity", hs->eap_identity);
	text_field(out, "TLS", "%s", version ? version : hs->tls.server_hello ? "unknown version" : "");
	text_field(out, "MAC", "%s", entry->mac);
	if (entry->status == CERT_SENT) print_certificate_text(out, entry);
	else if (!hs->not_tls) text_field(out, "certificate", "%s", certificate_status_text(entry->status));
	text_field(out, "on the wire", "%s", entry->wire);
	text_field(out, "diagnosis", "%s", entry->diagnosis);
	for (int i = 0; i < hs->note_count; i++) text_field(out, "note", "%s", hs->notes[i]);
	for (int i = 0; i < file_count; i++) safe_field(out, "extracted", files[i]);
}

static void print_certificate_json(json_writer *w, capture_entry const *entry)
{
	pc_result const *r = &entry->result;

	json_object_begin(w, "certificate");
	json_certificate(w, r);
	json_string(w, "key", entry->key);
	json_int(w, "chain_length", entry->chain ? sk_X509_num(entry->chain) : 0);
	json_object_end(w);
	json_identity(w, "identity", &r->identity);
}

static void print_wire_json(json_writer *w, cap_handshake const *hs)
{
	int kept = hs->tls.alert_count < CAP_TLS_MAX_ALERTS ? hs->tls.alert_count : CAP_TLS_MAX_ALERTS;

	json_object_begin(w, "wire");
	json_string(w, "radius", hs->radius_outcome == CAP_RADIUS_ACCESS_ACCEPT ? "Access-Accept" :
			       hs->radius_outcome == CAP_RADIUS_ACCESS_REJECT ? "Access-Reject" : NULL);
	json_string(w, "eap", hs->eap_outcome == CAP_EAP_SUCCESS ? "EAP-Success" :
			    hs->eap_outcome == CAP_EAP_FAILURE ? "EAP-Failure" : NULL);
	json_array_begin(w, "alerts");
	for (int i = 0; i < kept; i++) {
		cap_tls_alert const *a = &hs->tls.alerts[i];

		json_object_begin(w, NULL);
		json_string(w, "from", a->from == CAP_DIR_PHONE ? "phone" : "server");
		json_string(w, "to", a->from == CAP_DIR_PHONE ? "server" : "phone");
		json_string(w, "level", a->encrypted ? NULL : a->level == 2 ? "fatal" : "warning");
		json_string(w, "description", a->encrypted ? NULL : cap_tls_alert_name(a->description));
		json_bool(w, "encrypted", a->encrypted);
		json_object_end(w);
	}
	json_array_end(w);
	json_bool(w, "tls_finished", cap_tls_finished(&hs->tls));
	json_string(w, "tcp", hs->tcp_reset ? "reset" : hs->tcp_closed ? "closed" : NULL);
	json_bool(w, "complete", hs->complete);
	json_object_end(w);
}

void print_entry_json(FILE *out, capture_entry const *entry, char const *const *files, int file_count)
{
	cap_handshake const *hs = entry->hs;
	pc_result const *r = &entry->result;
	json_writer w;

	json_init(&w, out);
	json_object_begin(&w, NULL);
	json_int(&w, "handshake", entry->number);
	json_string(&w, "time", entry->time);
	json_string(&w, "via", entry_via_name(hs->via));
	json_string(&w, "phone_endpoint", hs->phone);
	json_string(&w, "server_endpoint", hs->server);
	if (hs->via == CAP_VIA_RADIUS) {
		json_object_begin(&w, "radius");
		json_optional(&w, "user_name", hs->user_name);
		json_optional(&w, "calling_station_id", hs->calling_station_id);
		json_optional(&w, "nas_ip_address", hs->nas_ip);
		json_optional(&w, "nas_port_id", hs->nas_port_id);
		json_object_end(&w);
	} else json_string(&w, "radius", NULL);
	json_optional(&w, "eap_identity", hs->via == CAP_VIA_TCP ? NULL : hs->eap_identity);
	json_string(&w, "tls_version", cap_tls_version_name(hs->tls.version));
	json_bool(&w, "tls", !hs->not_tls);
	json_string(&w, "certificate_status", entry_status_name(entry->status));
	if (entry->status == CERT_SENT) print_certificate_json(&w, entry);
	else {
		json_string(&w, "certificate", NULL);
		json_string(&w, "identity", NULL);
	}
	json_optional(&w, "mac", entry->mac);
	json_string(&w, "type", entry->type);
	json_string(&w, "type_from", entry->type ? entry->type_from_anchor ? "anchor" : "issuer_name" : NULL);
	json_string(&w, "decision", entry_decision_name(entry));
	json_string(&w, "anchor", entry->status == CERT_SENT && r->anchor ? pc_anchor_name(r->anchor) : NULL);
	json_string(&w, "reason", entry->status == CERT_SENT && r->verdict == PC_VERDICT_REJECT ? r->reason : NULL);
	json_string(&w, "hint", entry->status == CERT_SENT && r->verdict == PC_VERDICT_REJECT ? r->hint : NULL);
	print_wire_json(&w, hs);
	json_string(&w, "diagnosis", entry->diagnosis);
	json_array_begin(&w, "notes");
	for (int i = 0; i < hs->note_count; i++) json_string(&w, NULL, hs->notes[i]);
	json_array_end(&w);
	json_array_begin(&w, "extracted");
	for (int i = 0; i < file_count; i++) json_string(&w, NULL, files[i]);
	json_array_end(&w);
	json_object_end(&w);
}

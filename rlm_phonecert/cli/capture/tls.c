/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "tls.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { RECORD_CHANGE_CIPHER_SPEC = 20, RECORD_ALERT = 21, RECORD_HANDSHAKE = 22, RECORD_APPLICATION_DATA = 23,
       RECORD_HEARTBEAT = 24 };
enum { HS_CLIENT_HELLO = 1, HS_SERVER_HELLO = 2, HS_CERTIFICATE = 11, HS_CERTIFICATE_REQUEST = 13 };
enum { EXT_PRE_SHARED_KEY = 41, EXT_SUPPORTED_VERSIONS = 43 };
#define TLS13 0x0304
#define TOO_LARGE "handshake message larger than 64 KiB (the per-flow cap): not read"

static void damaged(cap_tls *tls, cap_dir from, char const *what)
{
	if (!tls->damage[0]) {
		snprintf(tls->damage, sizeof(tls->damage), "%s -> %s: %s", from == CAP_DIR_PHONE ? "phone" : "server",
			 from == CAP_DIR_PHONE ? "server" : "phone", what);
	}
	tls->stream[from].stopped = true;
}

bool cap_tls_looks_like_record(uint8_t const *p, size_t n)
{
	return n >= 3 && p[0] >= RECORD_CHANGE_CIPHER_SPEC && p[0] <= RECORD_HEARTBEAT && p[1] == 3 && p[2] <= 4;
}

int cap_tls_first_message_type(uint8_t const *p, size_t n)
{
	bool handshake = n >= 6 && p[0] == RECORD_HANDSHAKE && cap_tls_looks_like_record(p, n) && cap_be16(p + 3) > 0 &&
			 cap_be16(p + 3) <= CAP_TLS_MAX_RECORD - 5;

	return handshake ? p[5] : -1;
}

static void read_client_hello(cap_tls *tls, uint8_t const *p, size_t n)
{
	tls->client_hello = true;
	if (n < 35 || p[34] > 32 || n < 35u + p[34]) return;
	tls->session_id_len = p[34];
	memcpy(tls->session_id, p + 35, p[34]);
}

/* ServerHello extensions: the TLS 1.3 version and PSK resumption live there. */
static void read_server_extensions(cap_tls *tls, uint8_t const *p, size_t n)
{
	while (n >= 4) {
		uint16_t type = cap_be16(p), len = cap_be16(p + 2);

		if (len > n - 4) return;
		if (type == EXT_SUPPORTED_VERSIONS && len == 2) tls->version = cap_be16(p + 4);
		if (type == EXT_PRE_SHARED_KEY) tls->resumed = true;
		p += 4 + len;
		n -= 4 + (size_t)len;
	}
}

static void read_server_hello(cap_tls *tls, uint8_t const *p, size_t n)
{
	size_t at;

	tls->server_hello = true;
	if (n < 35) return;
	tls->version = cap_be16(p);
	at = 35 + (size_t)p[34];
	if (p[34] && p[34] == tls->session_id_len && at <= n && memcmp(p + 35, tls->session_id, p[34]) == 0) {
		tls->resumed = true;
	}
	at += 3;	/* cipher suite, compression */
	if (at + 2 <= n && at + 2 + cap_be16(p + at) <= n) read_server_extensions(tls, p + at + 2, cap_be16(p + at));
}

/* The phone's Certificate message (TLS 1.2 and older: the only ones where it is plaintext). */
static void read_phone_certificates(cap_tls *tls, uint8_t const *p, size_t n)
{
	size_t at = 3, end;

	tls->phone_certificate_message = true;
	if (n < 3 || cap_be24(p) > n - 3) {
		damaged(tls, CAP_DIR_PHONE, "Certificate message with a bad length");
		return;
	}
	end = 3 + cap_be24(p);
	while (at + 3 <= end) {
		size_t len = cap_be24(p + at);

		if (len > end - at - 3) {
			damaged(tls, CAP_DIR_PHONE, "certificate longer than its Certificate message");
			return;
		}
		if (tls->cert_count < CAP_TLS_MAX_CERTS && (tls->certs[tls->cert_count] = malloc(len ? len : 1))) {
			memcpy(tls->certs[tls->cert_count], p + at + 3, len);
			tls->cert_len[tls->cert_count] = len;
		}
		tls->cert_count++;
		at += 3 + len;
	}
}

static void read_message(cap_tls *tls, cap_dir from, uint8_t type, uint8_t const *body, size_t len)
{
	if (from == CAP_DIR_PHONE && type == HS_CLIENT_HELLO) read_client_hello(tls, body, len);
	else if (from == CAP_DIR_SERVER && type == HS_SERVER_HELLO) read_server_hello(tls, body, len);
	else if (from == CAP_DIR_SERVER && type == HS_CERTIFICATE) tls->server_certificate = true;
	else if (from == CAP_DIR_SERVER && type == HS_CERTIFICATE_REQUEST) tls->certificate_request = true;
	else if (from == CAP_DIR_PHONE && type == HS_CERTIFICATE && !tls->phone_certificate_message) {
		read_phone_certificates(tls, body, len);
	}
}

/* Handshake messages may span records: collect, then read every complete one. */
static void read_handshake(cap_tls *tls, cap_dir from, uint8_t const *p, size_t n)
{
	cap_tls_stream *s = &tls->stream[from];

	if (!cap_buf_append(&s->message, p, n, CAP_TLS_MAX_MESSAGE + 4)) {
		damaged(tls, from, TOO_LARGE);
		return;
	}
	while (s->message.len >= 4) {
		size_t len = cap_be24(s->message.data + 1);

		if (len > CAP_TLS_MAX_MESSAGE) {
			damaged(tls, from, TOO_LARGE);
			return;
		}
		if (s->message.len < 4 + len) return;
		read_message(tls, from, s->message.data[0], s->message.data + 4, len);
		cap_buf_consume(&s->message, 4 + len);
	}
}

static void read_alert(cap_tls *tls, cap_dir from, uint8_t const *p, size_t n, bool encrypted)
{
	cap_tls_alert alert = { .from = from, .encrypted = encrypted };

	if (!encrypted && n < 2) {
		damaged(tls, from, "alert record too short");
		return;
	}
	if (!encrypted) {
		alert.level = p[0];
		alert.description = p[1];
	}
	if (tls->alert_count < CAP_TLS_MAX_ALERTS) tls->alerts[tls->alert_count] = alert;
	tls->alert_count++;
}

static void read_record(cap_tls *tls, cap_dir from, uint8_t type, uint8_t const *p, size_t n)
{
	cap_tls_stream *s = &tls->stream[from];
	bool tls13 = tls->version == TLS13;

	switch (type) {
	case RECORD_CHANGE_CIPHER_SPEC:
		s->change_cipher_spec = true;
		if (!tls13) s->encrypted = true;	/* TLS 1.3 sends it only for middleboxes */
		return;
	case RECORD_ALERT:
		read_alert(tls, from, p, n, s->encrypted);
		return;
	case RECORD_HANDSHAKE:
		if (!s->encrypted) read_handshake(tls, from, p, n);
		return;
	case RECORD_APPLICATION_DATA:
	case RECORD_HEARTBEAT:
		return;
	}
	damaged(tls, from, "not a TLS record");
}

void cap_tls_feed(cap_tls *tls, cap_dir from, uint8_t const *p, size_t n)
{
	cap_tls_stream *s = &tls->stream[from];

	s->bytes += n;
	if (s->stopped) return;
	if (!cap_buf_append(&s->record, p, n, CAP_TLS_MAX_RECORD + n)) {
		damaged(tls, from, "out of memory");
		return;
	}
	while (!s->stopped && s->record.len >= 5) {
		uint8_t const *r = s->record.data;
		size_t len = cap_be16(r + 3);

		if (r[1] != 3 || len > CAP_TLS_MAX_RECORD - 5) {
			damaged(tls, from, "not a TLS record");
			break;
		}
		if (s->record.len < 5 + len) break;
		read_record(tls, from, r[0], r + 5, len);
		cap_buf_consume(&s->record, 5 + len);
	}
	if (s->stopped) {
		cap_buf_free(&s->record);
		cap_buf_free(&s->message);
	}
}

bool cap_tls_finished(cap_tls const *tls)
{
	int kept = tls->alert_count < CAP_TLS_MAX_ALERTS ? tls->alert_count : CAP_TLS_MAX_ALERTS;

	for (int i = 0; i < kept; i++) {
		if (!tls->alerts[i].encrypted && tls->alerts[i].level == 2) return true;
	}
	return tls->version != TLS13 && tls->stream[CAP_DIR_PHONE].change_cipher_spec &&
	       tls->stream[CAP_DIR_SERVER].change_cipher_spec;
}

void cap_tls_free(cap_tls *tls)
{
	for (int i = 0; i < CAP_TLS_MAX_CERTS; i++) free(tls->certs[i]);
	for (int i = 0; i < 2; i++) {
		cap_buf_free(&tls->stream[i].record);
		cap_buf_free(&tls->stream[i].message);
	}
	memset(tls, 0, sizeof(*tls));
}

char const *cap_tls_version_name(uint16_t version)
{
	switch (version) {
	case 0x0300: return "SSL 3.0";
	case 0x0301: return "TLS 1.0";
	case 0x0302: return "TLS 1.1";
	case 0x0303: return "TLS 1.2";
	case 0x0304: return "TLS 1.3";
	}
	return NULL;
}

char const *cap_tls_alert_name(uint8_t description)
{
	switch (description) {
	case 0: return "close_notify";
	case 10: return "unexpected_message";
	case 20: return "bad_record_mac";
	case 22: return "record_overflow";
	case 40: return "handshake_failure";
	case 42: return "bad_certificate";
	case 43: return "unsupported_certificate";
	case 44: return "certificate_revoked";
	case 45: return "certificate_expired";
	case 46: return "certificate_unknown";
	case 47: return "illegal_parameter";
	case 48: return "unknown_ca";
	case 49: return "access_denied";
	case 50: return "decode_error";
	case 51: return "decrypt_error";
	case 70: return "protocol_version";
	case 71: return "insufficient_security";
	case 80: return "internal_error";
	case 86: return "inappropriate_fallback";
	case 90: return "user_canceled";
	case 109: return "missing_extension";
	case 110: return "unsupported_extension";
	case 112: return "unrecognized_name";
	case 116: return "certificate_required";
	case 120: return "no_application_protocol";
	}
	return NULL;
}

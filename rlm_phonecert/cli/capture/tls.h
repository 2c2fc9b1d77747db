/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What a capture shows of one TLS handshake, read from the two byte streams
 * (phone -> server, server -> phone) however they arrived: EAP-TLS fragments
 * or TCP segments. Only the plaintext part is read: hello messages, the
 * phone's Certificate message (TLS 1.2 and older), CertificateRequest,
 * ChangeCipherSpec and alerts. After ChangeCipherSpec (TLS 1.2) or
 * ServerHello (TLS 1.3) the stream is encrypted and only record types are
 * seen; nothing is guessed from them.
 */
#ifndef PHONECERT_CAPTURE_TLS_H
#define PHONECERT_CAPTURE_TLS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "buf.h"

typedef enum { CAP_DIR_PHONE, CAP_DIR_SERVER } cap_dir;	/* who sent it: the phone (TLS client), or the server */

#define CAP_TLS_MAX_CERTS 8		/* a phone sends its certificate and a few issuers; more are counted, not kept */
#define CAP_TLS_MAX_ALERTS 4
#define CAP_TLS_MAX_MESSAGE 65536	/* largest handshake message kept (a server's CA name list fits) */
#define CAP_TLS_MAX_RECORD (16384 + 2048 + 5)

typedef struct {
	cap_dir from;
	bool encrypted;			/* sent after the keys changed: level and description unknown */
	uint8_t level, description;
} cap_tls_alert;

typedef struct {
	cap_buf record;			/* a record not complete yet */
	cap_buf message;		/* a handshake message spanning records */
	bool encrypted;			/* keys changed: records are ciphertext from here on */
	bool change_cipher_spec;
	bool stopped;			/* unreadable: nothing more is parsed in this direction */
	size_t bytes;			/* received in this direction */
} cap_tls_stream;

typedef struct {
	cap_tls_stream stream[2];	/* indexed by cap_dir */
	bool client_hello, server_hello;
	uint16_t version;		/* negotiated: ServerHello's, or its supported_versions; 0 unknown */
	bool certificate_request;	/* the server asked for a client certificate */
	bool server_certificate;	/* the server sent its certificate (not a resumed session) */
	bool phone_certificate_message;	/* the phone's Certificate message was read */
	int cert_count;			/* certificates in it (may exceed CAP_TLS_MAX_CERTS) */
	uint8_t *certs[CAP_TLS_MAX_CERTS];	/* DER, leaf first */
	size_t cert_len[CAP_TLS_MAX_CERTS];
	uint8_t session_id[32];		/* the ClientHello's, to recognise a resumption */
	uint8_t session_id_len;
	bool resumed;			/* ServerHello echoed the ClientHello's session id */
	int alert_count;		/* may exceed CAP_TLS_MAX_ALERTS */
	cap_tls_alert alerts[CAP_TLS_MAX_ALERTS];
	char damage[160];		/* the first thing that could not be parsed, or "" */
} cap_tls;

/* Bytes of one direction, in order. Never reads beyond p[n-1]; damage is noted, not fatal. */
void cap_tls_feed(cap_tls *tls, cap_dir from, uint8_t const *p, size_t n);

/* The handshake is over: both sides changed keys, or a fatal alert went by. */
bool cap_tls_finished(cap_tls const *tls);

/* True when bytes start like a TLS record of any type (a connection captured after its handshake, too). */
bool cap_tls_looks_like_record(uint8_t const *p, size_t n);

/* The type of the handshake message starting the stream (1 ClientHello, 2 ServerHello: what recognises TLS on any port), or -1. */
int cap_tls_first_message_type(uint8_t const *p, size_t n);

void cap_tls_free(cap_tls *tls);

char const *cap_tls_version_name(uint16_t version);		/* "TLS 1.2", or "0x7f1c" style */
char const *cap_tls_alert_name(uint8_t description);		/* "unknown_ca" */

#endif

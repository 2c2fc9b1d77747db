/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * One handshake of a capture, judged: the phone's certificate read from the
 * wire, LSC or MIC, the decision this configuration would take (the same
 * decider as inspect and the module), what happened on the wire, and a
 * one-line diagnosis in the words of Cisco's phone-certificate FAQ.
 */
#ifndef PHONECERT_CAPTURE_ENTRY_H
#define PHONECERT_CAPTURE_ENTRY_H

#include <stdbool.h>
#include <time.h>

#include <openssl/x509.h>

#include "../decider.h"
#include "engine.h"

/* What the capture shows of the phone's certificate. */
typedef enum {
	CERT_SENT,		/* in plaintext: read and decided */
	CERT_ENCRYPTED,		/* TLS 1.3: the Certificate message is encrypted */
	CERT_RESUMED,		/* a resumed session: no certificate is sent */
	CERT_NOT_SENT,		/* the phone's Certificate message was empty */
	CERT_NOT_SEEN,		/* not in the capture (cut off, damaged, or never requested) */
	CERT_UNREADABLE		/* bytes that are no X.509 certificate */
} cert_status;

typedef struct {
	cap_handshake const *hs;
	unsigned number;		/* 1, 2... in the order entries are reported */
	char time[48];			/* the handshake's first packet, RFC 3339 UTC with microseconds */
	time_t decided_at;
	cert_status status;
	X509 *cert;			/* the phone's certificate, when sent */
	STACK_OF(X509) *chain;		/* what it sent along (may be NULL) */
	char key[48];			/* "RSA 2048", "EC prime256v1" */
	char issuer_cn[80];
	pc_result result;		/* with cert: the decision, policy applied */
	char const *type;		/* "LSC", "MIC", or NULL */
	bool type_from_anchor;		/* else from the issuer's name only */
	char mac[PC_MAC_LEN];		/* the phone's MAC: certificate, else Calling-Station-Id, else EAPOL source */
	char wire[320];			/* what happened, as text */
	char diagnosis[768];
	bool fine;			/* accepted by this configuration, or a resumed session the server accepted */
} capture_entry;

/* Judge hs at its own time (now == 0) or at now. entry_free() afterwards. */
void entry_build(capture_entry *entry, cap_handshake const *hs, decider const *d, time_t now, unsigned number);
void entry_free(capture_entry *entry);

/* "LSC issued by ...": the certificate status as a word for JSON. */
char const *entry_status_name(cert_status status);
char const *entry_via_name(cap_via via);
char const *entry_decision_name(capture_entry const *entry);	/* "ACCEPT", "REJECT", "NOT_PHONE", or NULL */

/* The alert as "server -> phone fatal unknown_ca". */
void entry_alert_text(cap_tls_alert const *alert, char *buf, size_t len);

#endif

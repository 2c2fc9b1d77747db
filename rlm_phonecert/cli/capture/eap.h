/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * EAP as it crosses a RADIUS exchange or an EAPOL port: the identity, the
 * EAP-TLS fragments (L and M flags) turned back into the two TLS byte
 * streams, and EAP-Success / EAP-Failure. Retransmitted EAP packets (same
 * identifier again) are read once.
 */
#ifndef PHONECERT_CAPTURE_EAP_H
#define PHONECERT_CAPTURE_EAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "tls.h"

enum { CAP_EAP_REQUEST = 1, CAP_EAP_RESPONSE = 2, CAP_EAP_SUCCESS = 3, CAP_EAP_FAILURE = 4 };
enum { CAP_EAP_TYPE_IDENTITY = 1, CAP_EAP_TYPE_TLS = 13 };

typedef struct {
	bool seen;
	uint8_t last_id;
	bool in_message;	/* a fragment with M went by: more of this TLS message follow */
	uint32_t announced;	/* the L flag's total length of the message, 0 if none */
	uint32_t received;	/* bytes of the message so far */
} cap_eap_direction;

typedef struct {
	cap_tls *tls;			/* where the TLS bytes go */
	char identity[254];		/* EAP-Response/Identity */
	bool eap_tls;			/* EAP-TLS packets went by */
	uint8_t outcome;		/* CAP_EAP_SUCCESS, CAP_EAP_FAILURE, or 0 */
	cap_eap_direction dir[2];	/* indexed by cap_dir */
	char damage[160];		/* the first problem, or "" */
} cap_eap;

/* One EAP packet (as sent: from its code byte). */
void cap_eap_packet(cap_eap *eap, uint8_t const *p, size_t n);

/* True when p is an EAP-Response/Identity: a new authentication starts. */
bool cap_eap_is_identity_response(uint8_t const *p, size_t n);

/* At the end of the conversation: a message whose fragments did not all arrive is noted. */
void cap_eap_end(cap_eap *eap);

#endif

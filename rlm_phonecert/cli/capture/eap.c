/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "eap.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "buf.h"

enum { FLAG_LENGTH = 0x80, FLAG_MORE = 0x40, FLAG_START = 0x20 };

static void damaged(cap_eap *eap, char const *fmt, ...) __attribute__((format(printf, 2, 3)));
static void damaged(cap_eap *eap, char const *fmt, ...)
{
	va_list ap;

	if (eap->damage[0]) return;
	va_start(ap, fmt);
	vsnprintf(eap->damage, sizeof(eap->damage), fmt, ap);
	va_end(ap);
}

bool cap_eap_is_identity_response(uint8_t const *p, size_t n)
{
	return n >= 5 && p[0] == CAP_EAP_RESPONSE && p[4] == CAP_EAP_TYPE_IDENTITY;
}

/* A message ended (fragment without M): its fragments must add up to what L announced. */
static void message_done(cap_eap *eap, cap_dir from, cap_eap_direction *d)
{
	if (d->announced && d->received != d->announced) {
		damaged(eap, "EAP-TLS fragments add up to %u of the %u bytes announced: a fragment is missing",
			d->received, d->announced);
		eap->tls->stream[from].stopped = true;	/* the rest of that stream is out of step */
	}
	d->in_message = false;
	d->announced = d->received = 0;
}

static void tls_fragment(cap_eap *eap, cap_dir from, uint8_t const *p, size_t n)
{
	cap_eap_direction *d = &eap->dir[from];
	uint8_t flags;
	size_t at = 1;

	eap->eap_tls = true;
	if (n < 1) return;
	flags = p[0];
	if (flags & FLAG_LENGTH) {
		if (n < 5) {
			damaged(eap, "EAP-TLS packet cut short (%u bytes)", (unsigned)n);
			return;
		}
		if (!d->in_message) d->announced = cap_be32(p + 1);
		at = 5;
	}
	if (n > at) {
		d->received += (uint32_t)(n - at);
		cap_tls_feed(eap->tls, from, p + at, n - at);
	}
	if (flags & FLAG_MORE) d->in_message = true;
	else if (n > at || d->in_message) message_done(eap, from, d);
}

void cap_eap_packet(cap_eap *eap, uint8_t const *p, size_t n)
{
	size_t len;
	cap_dir from;
	cap_eap_direction *d;

	if (n < 4) {
		damaged(eap, "EAP packet cut short (%u bytes)", (unsigned)n);
		return;
	}
	len = cap_be16(p + 2);
	if (len < 4 || len > n) {
		damaged(eap, "EAP length %u but %u bytes present", (unsigned)len, (unsigned)n);
		return;
	}
	if (p[0] == CAP_EAP_SUCCESS || p[0] == CAP_EAP_FAILURE) {
		eap->outcome = p[0];
		return;
	}
	if (p[0] != CAP_EAP_REQUEST && p[0] != CAP_EAP_RESPONSE) return;
	from = p[0] == CAP_EAP_RESPONSE ? CAP_DIR_PHONE : CAP_DIR_SERVER;
	d = &eap->dir[from];
	if (d->seen && d->last_id == p[1]) return;	/* retransmitted */
	if (d->seen && p[1] != (uint8_t)(d->last_id + 1) && eap->eap_tls) {
		/* Each round has the next identifier: a jump is a round missing from the capture. */
		damaged(eap, "EAP %s identifier jumps from %u to %u: an EAP-TLS fragment is missing from the capture",
			from == CAP_DIR_PHONE ? "response" : "request", d->last_id, p[1]);
		eap->tls->stream[from].stopped = true;
	}
	d->seen = true;
	d->last_id = p[1];
	if (len < 5) return;
	if (p[4] == CAP_EAP_TYPE_IDENTITY && from == CAP_DIR_PHONE) {
		size_t id_len = len - 5 < sizeof(eap->identity) - 1 ? len - 5 : sizeof(eap->identity) - 1;

		memcpy(eap->identity, p + 5, id_len);
		eap->identity[id_len] = '\0';
	} else if (p[4] == CAP_EAP_TYPE_TLS) {
		tls_fragment(eap, from, p + 5, len - 5);
	}
}

void cap_eap_end(cap_eap *eap)
{
	for (int i = 0; i < 2; i++) {
		if (eap->dir[i].in_message) {
			damaged(eap, "the capture ends inside a fragmented EAP-TLS message (%u of %u bytes)",
				eap->dir[i].received, eap->dir[i].announced);
		}
	}
}

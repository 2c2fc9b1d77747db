/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * libFuzzer target: phonecert capture's packet parser (rlm_phonecert/cli/capture:
 * dissect, engine, radius, eap, tcp, tls), without libpcap.
 *
 * Input: a byte choosing the link type (Ethernet, Linux cooked v1/v2, BSD
 * loopback, raw IP...), a byte setting the flow cap (1..8, so eviction is
 * reached), then frames as a 2-byte big-endian length and the bytes; a set
 * top bit of the length marks the frame as cut short by the snap length.
 * tests/integration/pcap-edit.py fuzz-seed turns a capture into this format.
 *
 * Every handshake handed out must keep engine.h's contract: strings
 * terminated, counts within their arrays, certificates present when counted.
 * A broken property is an abort().
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/capture/engine.h"
#include "cli/capture/tls.h"

#define CHECK(cond) do { \
		if (!(cond)) { \
			fprintf(stderr, "fuzz_capture: contract broken: %s (%s:%d)\n", #cond, __FILE__, __LINE__); \
			abort(); \
		} \
	} while (0)

#define TERMINATED(field) (memchr((field), '\0', sizeof(field)) != NULL)

static int const link_types[] = {
	CAP_LINK_ETHERNET, CAP_LINK_LINUX_SLL, CAP_LINK_LINUX_SLL2, CAP_LINK_NULL, CAP_LINK_LOOP,
	CAP_LINK_RAW, CAP_LINK_RAW_DLT, CAP_LINK_IPV4, CAP_LINK_IPV6
};

static void check_handshake(void *ctx, cap_handshake const *hs)
{
	cap_tls const *tls = &hs->tls;
	int kept = tls->cert_count < CAP_TLS_MAX_CERTS ? tls->cert_count : CAP_TLS_MAX_CERTS;

	(*(unsigned *)ctx)++;
	CHECK(hs->via == CAP_VIA_RADIUS || hs->via == CAP_VIA_EAPOL || hs->via == CAP_VIA_TCP);
	CHECK(TERMINATED(hs->phone) && TERMINATED(hs->server) && TERMINATED(hs->user_name));
	CHECK(TERMINATED(hs->calling_station_id) && TERMINATED(hs->nas_ip) && TERMINATED(hs->nas_port_id));
	CHECK(TERMINATED(hs->eap_identity) && TERMINATED(tls->damage));
	CHECK(hs->note_count >= 0 && hs->note_count <= CAP_MAX_NOTES);
	for (int i = 0; i < hs->note_count; i++) CHECK(TERMINATED(hs->notes[i]) && hs->notes[i][0]);
	CHECK(tls->cert_count >= 0 && tls->alert_count >= 0);
	CHECK(tls->cert_count == 0 || tls->phone_certificate_message);
	for (int i = 0; i < kept; i++) CHECK(tls->certs[i] != NULL || tls->cert_len[i] == 0);
	CHECK(tls->session_id_len <= sizeof(tls->session_id));
	CHECK(hs->radius_outcome == 0 || hs->radius_outcome == 2 || hs->radius_outcome == 3);
	CHECK(hs->eap_outcome == 0 || hs->eap_outcome == 3 || hs->eap_outcome == 4);
	CHECK(hs->via != CAP_VIA_TCP || hs->radius_outcome == 0);
	/* What capture's output reads of a handshake must be readable. */
	if (cap_tls_version_name(tls->version)) CHECK(strlen(cap_tls_version_name(tls->version)) > 0);
	(void)cap_tls_finished(tls);
}

int LLVMFuzzerTestOneInput(uint8_t const *data, size_t size)
{
	cap_limits limits = { 0 };
	cap_engine *engine;
	unsigned handshakes = 0;
	size_t at = 2;
	int link_type;

	if (size < 2) return 0;
	link_type = link_types[data[0] % (sizeof(link_types) / sizeof(link_types[0]))];
	limits.max_flows = 1 + data[1] % 8;
	if (data[1] & 0x80) limits.radius_ports[limits.radius_port_count++] = 18120;
	CHECK((engine = cap_engine_new(&limits, check_handshake, &handshakes)) != NULL);
	for (unsigned frame = 0; at + 2 <= size; frame++) {
		size_t len = ((size_t)(data[at] & 0x7F) << 8) | data[at + 1];
		bool cut = data[at] & 0x80;
		uint8_t *copy;

		at += 2;
		if (len > size - at) len = size - at;
		/* A frame of its own: a read past its end is one ASan sees. */
		CHECK((copy = malloc(len ? len : 1)) != NULL);
		memcpy(copy, data + at, len);
		cap_engine_frame(engine, link_type, (cap_time) { .sec = 1767225600 + frame, .usec = 0 }, copy, len,
				 cut ? len + 100 : len);
		free(copy);
		at += len;
	}
	cap_engine_finish(engine);
	CHECK(cap_engine_stats(engine)->packets <= size);
	cap_engine_free(engine);
	return 0;
}

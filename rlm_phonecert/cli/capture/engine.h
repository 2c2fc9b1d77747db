/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The capture reader's state: the flows in progress (RADIUS exchanges,
 * EAPOL ports, TCP connections), each turned into one handshake entry
 * handed to a callback as soon as its outcome is on the wire, or when the
 * capture ends. Memory is bounded by the flows in progress: at most
 * max_flows of them (the least recently active is reported and dropped
 * when a new one needs room), each with capped buffers.
 *
 * No libpcap and no decision here: frames in, facts out.
 */
#ifndef PHONECERT_CAPTURE_ENGINE_H
#define PHONECERT_CAPTURE_ENGINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "dissect.h"
#include "radius.h"
#include "tls.h"

typedef enum { CAP_VIA_RADIUS, CAP_VIA_EAPOL, CAP_VIA_TCP } cap_via;

#define CAP_MAX_NOTES 4
#define CAP_DEFAULT_MAX_FLOWS 1024
#define CAP_MAX_RADIUS_PORTS 16

typedef struct {
	int64_t sec;
	int32_t usec;
} cap_time;

/* Everything the capture shows of one handshake. Strings are as sent: escape them for output. */
typedef struct {
	cap_via via;
	cap_time first, last;
	char phone[64];			/* RADIUS: the switch (NAS) endpoint; EAPOL: the phone's MAC; TCP: the phone's IP:port */
	char server[64];		/* RADIUS server, authenticator MAC, or TLS server IP:port */
	uint16_t server_port;
	/* RADIUS facts, from the Access-Requests ("" when absent) */
	char user_name[CAP_RADIUS_STRING];
	char calling_station_id[CAP_RADIUS_STRING];
	char nas_ip[48];
	char nas_port_id[CAP_RADIUS_STRING];
	char eap_identity[CAP_RADIUS_STRING];
	uint8_t radius_outcome;		/* CAP_RADIUS_ACCESS_ACCEPT / _REJECT, or 0 */
	uint8_t eap_outcome;		/* CAP_EAP_SUCCESS / _FAILURE, or 0 */
	bool eap_tls;			/* RADIUS/EAPOL: EAP-TLS was spoken */
	bool tcp_closed;		/* TCP: FIN or RST seen */
	bool tcp_reset;
	bool not_tls;			/* TCP on a TLS port (5061, 2443, 3804) whose bytes are not TLS */
	bool complete;			/* the outcome was seen (not cut off by the end of the capture or a cap) */
	cap_tls tls;
	int note_count;
	char notes[CAP_MAX_NOTES][192];	/* damage, truncation, caps: per flow, in words */
} cap_handshake;

typedef void cap_handshake_fn(void *ctx, cap_handshake const *hs);

/* What to read, and how much at once. */
typedef struct {
	size_t max_flows;		/* flows in progress at once */
	uint16_t radius_ports[CAP_MAX_RADIUS_PORTS];	/* RADIUS on these UDP ports too, besides 1812 and 1645 */
	size_t radius_port_count;
} cap_limits;

typedef struct {
	unsigned long long packets;
	unsigned long long unreadable;	/* frames whose headers could not be read */
	char const *first_unreadable;	/* why the first one could not */
	unsigned long long evicted;	/* flows reported early (or dropped, before TLS began) because max_flows was reached */
} cap_stats;

typedef struct cap_engine cap_engine;

cap_engine *cap_engine_new(cap_limits const *limits, cap_handshake_fn *report, void *ctx);

/* One frame: caplen bytes captured of wirelen sent. */
void cap_engine_frame(cap_engine *e, int link_type, cap_time when, uint8_t const *frame, size_t caplen,
		      size_t wirelen);

/* The capture ended: every flow still in progress is reported. */
void cap_engine_finish(cap_engine *e);

cap_stats const *cap_engine_stats(cap_engine const *e);

void cap_engine_free(cap_engine *e);

#endif

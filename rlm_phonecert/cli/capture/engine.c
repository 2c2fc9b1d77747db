/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "engine.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "eap.h"
#include "tcp.h"

#define BUCKETS 4096
#define EVICTED_KEYS 4096	/* flows reported early whose later packets are ignored, not taken for new flows */
enum { RADIUS_PORT = 1812, RADIUS_PORT_OLD = 1645 };
enum { EAPOL_EAP_PACKET = 0 };

typedef struct flow flow;
struct flow {
	flow *older, *newer;		/* activity order: the engine evicts the oldest */
	flow *hash_next;
	unsigned bucket;
	cap_via via;
	/* RADIUS: a = NAS, b = server. EAPOL: a = phone MAC, b = authenticator. TCP: a, b as first seen. */
	cap_addr a, b;
	uint16_t aport, bport;
	char station[CAP_RADIUS_STRING];	/* RADIUS: which phone behind one NAS socket (Calling-Station-Id) */
	uint8_t waiting[32];			/* RADIUS identifiers of requests not answered yet */
	bool have_request;
	uint8_t last_id, last_authenticator[16];	/* to recognise a retransmitted request */
	cap_eap eap;
	cap_tcp_stream tcp[2];			/* TCP: bytes sent by a, by b */
	bool roles_known, phone_is_a;
	bool dormant;				/* TCP: reported or not TLS: the rest is ignored until it closes */
	bool fin[2];
	cap_handshake hs;
};

struct cap_engine {
	cap_limits limits;
	cap_handshake_fn *report;
	void *ctx;
	flow *buckets[BUCKETS];
	flow *oldest, *newest;
	size_t flow_count;
	uint64_t evicted[EVICTED_KEYS];		/* fingerprints of evicted flows, a ring */
	size_t evicted_next;
	cap_radius_packet radius;		/* the RADIUS packet being read (4 KiB: not on the stack) */
	cap_stats stats;
};

static void add_note(cap_handshake *hs, char const *fmt, ...) __attribute__((format(printf, 2, 3)));
static void add_note(cap_handshake *hs, char const *fmt, ...)
{
	char note[sizeof(hs->notes[0])];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(note, sizeof(note), fmt, ap);
	va_end(ap);
	for (int i = 0; i < hs->note_count; i++) {
		if (strcmp(hs->notes[i], note) == 0) return;
	}
	if (hs->note_count < CAP_MAX_NOTES) memcpy(hs->notes[hs->note_count++], note, sizeof(note));
}

/*
 *	The flow table
 */
static unsigned hash_endpoint(cap_addr const *addr, uint16_t port)
{
	unsigned h = 2166136261u;

	for (size_t i = 0; i < sizeof(addr->bytes); i++) h = (h ^ addr->bytes[i]) * 16777619u;
	return (h ^ port) * 16777619u;
}

/* The same bucket for both directions. */
static unsigned bucket_of(cap_addr const *a, uint16_t aport, cap_addr const *b, uint16_t bport)
{
	return (hash_endpoint(a, aport) ^ hash_endpoint(b, bport)) % BUCKETS;
}

/* What identifies a flow: its endpoints (either way round), and for RADIUS the phone behind the NAS. */
static uint64_t fingerprint(cap_via via, cap_addr const *a, uint16_t aport, cap_addr const *b, uint16_t bport,
			    char const *station)
{
	uint64_t h = (uint64_t)(hash_endpoint(a, aport) ^ hash_endpoint(b, bport)) << 32 | (unsigned)via;

	for (char const *c = station; c && *c; c++) h = (h ^ (unsigned char)*c) * 1099511628211u;
	return h | 1;	/* never 0: an empty slot */
}

static bool was_evicted(cap_engine const *e, uint64_t key)
{
	for (size_t i = 0; i < EVICTED_KEYS; i++) {
		if (e->evicted[i] == key) return true;
	}
	return false;
}

/* A new conversation on those endpoints (an EAP identity, a SYN): its packets are read again. */
static void forget_evicted(cap_engine *e, uint64_t key)
{
	for (size_t i = 0; i < EVICTED_KEYS; i++) {
		if (e->evicted[i] == key) e->evicted[i] = 0;
	}
}

static cap_addr const no_port_addr;	/* an EAPOL flow is keyed by the phone's MAC alone */

static uint64_t flow_fingerprint(flow const *f)
{
	return fingerprint(f->via, &f->a, f->aport, f->via == CAP_VIA_EAPOL ? &no_port_addr : &f->b, f->bport,
			   f->via == CAP_VIA_RADIUS ? f->station : NULL);
}

static void unlink_activity(cap_engine *e, flow *f)
{
	if (!f->older && !f->newer && e->oldest != f) return;	/* not in the list (a new flow) */
	if (f->older) f->older->newer = f->newer;
	else e->oldest = f->newer;
	if (f->newer) f->newer->older = f->older;
	else e->newest = f->older;
	f->older = f->newer = NULL;
}

static void touch(cap_engine *e, flow *f, cap_time when)
{
	unlink_activity(e, f);
	f->older = e->newest;
	if (e->newest) e->newest->newer = f;
	else e->oldest = f;
	e->newest = f;
	f->hs.last = when;
}

static void flow_free(cap_engine *e, flow *f)
{
	flow **at = &e->buckets[f->bucket];

	while (*at != f) at = &(*at)->hash_next;
	*at = f->hash_next;
	unlink_activity(e, f);
	cap_tls_free(&f->hs.tls);
	cap_tcp_free(&f->tcp[0]);
	cap_tcp_free(&f->tcp[1]);
	e->flow_count--;
	free(f);
}

/* Worth an entry: TLS (or EAP-TLS, or a TLS port not speaking TLS) went by. */
static bool worth_reporting(flow const *f)
{
	return f->hs.tls.client_hello || f->hs.tls.server_hello || f->hs.not_tls || f->eap.eap_tls;
}

/*
 * Hand the entry over. A TCP flow stays, dormant, so the rest of its
 * connection is not read as a new one; its buffers go when the caller is
 * out of the reassembly (tcp_segment). Other flows are freed.
 */
static void flow_report(cap_engine *e, flow *f)
{
	cap_handshake *hs = &f->hs;

	if (f->via != CAP_VIA_TCP) {
		cap_eap_end(&f->eap);
		if (f->eap.damage[0]) add_note(hs, "%s", f->eap.damage);
		hs->eap_tls = f->eap.eap_tls;
		hs->eap_outcome = f->eap.outcome;
		memcpy(hs->eap_identity, f->eap.identity, sizeof(hs->eap_identity));
	}
	for (int i = 0; i < 2; i++) {
		if (cap_tcp_has_hole(&f->tcp[i])) {
			add_note(hs, "TCP data from %s is missing a segment: the stream is not read past the hole",
				 (i == 0) == f->phone_is_a ? "the phone" : "the server");
		}
	}
	if (hs->tls.damage[0]) add_note(hs, "TLS %s", hs->tls.damage);
	if (worth_reporting(f)) e->report(e->ctx, hs);
	if (f->via == CAP_VIA_TCP) f->dormant = true;
	else flow_free(e, f);
}

/* Room for one more flow: the least recently active one is reported as it stands. */
static void make_room(cap_engine *e)
{
	flow *f = e->oldest;
	bool tcp;

	if (e->flow_count < e->limits.max_flows || !f) return;
	tcp = f->via == CAP_VIA_TCP;
	e->evicted[e->evicted_next++ % EVICTED_KEYS] = flow_fingerprint(f);
	if (!(tcp && f->dormant)) {
		e->stats.evicted++;
		add_note(&f->hs, "reported before its end: more than %zu flows were in progress at once (the flow cap)",
			 e->limits.max_flows);
		flow_report(e, f);
	}
	if (tcp) flow_free(e, f);
}

static flow *flow_new(cap_engine *e, cap_via via, cap_addr const *a, uint16_t aport, cap_addr const *b,
		      uint16_t bport, cap_time when)
{
	flow *f;

	make_room(e);
	if (!(f = calloc(1, sizeof(*f)))) return NULL;
	f->via = via;
	f->a = *a;
	f->b = *b;
	f->aport = aport;
	f->bport = bport;
	f->bucket = bucket_of(a, aport, b, bport);
	f->hash_next = e->buckets[f->bucket];
	e->buckets[f->bucket] = f;
	f->eap.tls = &f->hs.tls;
	f->hs.via = via;
	f->hs.first = when;
	e->flow_count++;
	touch(e, f, when);
	return f;
}

static bool same_way(flow const *f, cap_addr const *a, uint16_t aport, cap_addr const *b, uint16_t bport)
{
	return f->aport == aport && f->bport == bport && cap_addr_equal(&f->a, a) && cap_addr_equal(&f->b, b);
}

/*
 *	RADIUS
 */
static bool is_radius_port(cap_engine const *e, uint16_t port)
{
	if (port == RADIUS_PORT || port == RADIUS_PORT_OLD) return true;
	for (size_t i = 0; i < e->limits.radius_port_count; i++) {
		if (port == e->limits.radius_ports[i]) return true;
	}
	return false;
}

static flow *radius_request_flow(cap_engine *e, cap_packet const *pkt, char const *station)
{
	for (flow *f = e->buckets[bucket_of(&pkt->src, pkt->sport, &pkt->dst, pkt->dport)]; f; f = f->hash_next) {
		if (f->via == CAP_VIA_RADIUS && same_way(f, &pkt->src, pkt->sport, &pkt->dst, pkt->dport) &&
		    strcmp(f->station, station) == 0) return f;
	}
	return NULL;
}

/*
 * The flow whose request this answers. When that request is missing from the
 * capture, the only flow between this NAS and server, if there is just one.
 */
static flow *radius_reply_flow(cap_engine *e, cap_packet const *pkt, uint8_t id, bool *orphan)
{
	flow *only = NULL;
	int candidates = 0;

	*orphan = false;
	for (flow *f = e->buckets[bucket_of(&pkt->src, pkt->sport, &pkt->dst, pkt->dport)]; f; f = f->hash_next) {
		if (f->via != CAP_VIA_RADIUS || !same_way(f, &pkt->dst, pkt->dport, &pkt->src, pkt->sport)) continue;
		if (f->waiting[id / 8] & (1u << (id % 8))) return f;
		only = f;
		candidates++;
	}
	*orphan = candidates == 1;
	return candidates == 1 ? only : NULL;
}

/* Any flow of this NAS and server: where a damaged packet's note goes. */
static flow *radius_any_flow(cap_engine *e, cap_packet const *pkt)
{
	for (flow *f = e->buckets[bucket_of(&pkt->src, pkt->sport, &pkt->dst, pkt->dport)]; f; f = f->hash_next) {
		if (f->via == CAP_VIA_RADIUS && (same_way(f, &pkt->src, pkt->sport, &pkt->dst, pkt->dport) ||
						 same_way(f, &pkt->dst, pkt->dport, &pkt->src, pkt->sport))) return f;
	}
	return NULL;
}

static void keep_fact(char *fact, char const *value, size_t size)
{
	if (!fact[0] && value[0]) snprintf(fact, size, "%s", value);
}

static void radius_request(cap_engine *e, cap_packet const *pkt, cap_radius_packet const *r, cap_time when)
{
	char const *station = r->calling_station_id[0] ? r->calling_station_id : r->user_name;
	flow *f = radius_request_flow(e, pkt, station);
	bool identity = cap_eap_is_identity_response(r->eap, r->eap_len);

	if (r->eap_len == 0) return;	/* not EAP */
	if (f && f->have_request && f->last_id == r->id && memcmp(f->last_authenticator, r->authenticator, 16) == 0) {
		return;			/* retransmitted */
	}
	if (f && identity && f->eap.eap_tls) {
		add_note(&f->hs, "a new authentication of the same phone began before this one's outcome");
		flow_report(e, f);
		f = NULL;
	}
	if (!f) {
		uint64_t key = fingerprint(CAP_VIA_RADIUS, &pkt->src, pkt->sport, &pkt->dst, pkt->dport, station);

		if (identity) forget_evicted(e, key);
		else if (was_evicted(e, key)) return;	/* the rest of a flow reported early */
		if (!(f = flow_new(e, CAP_VIA_RADIUS, &pkt->src, pkt->sport, &pkt->dst, pkt->dport, when))) return;
		snprintf(f->station, sizeof(f->station), "%s", station);
		cap_endpoint_text(&pkt->src, pkt->sport, f->hs.phone, sizeof(f->hs.phone));
		cap_endpoint_text(&pkt->dst, pkt->dport, f->hs.server, sizeof(f->hs.server));
		f->hs.server_port = pkt->dport;
		if (!identity) add_note(&f->hs, "the capture begins in the middle of this authentication");
	}
	touch(e, f, when);
	f->have_request = true;
	f->last_id = r->id;
	memcpy(f->last_authenticator, r->authenticator, 16);
	f->waiting[r->id / 8] |= (uint8_t)(1u << (r->id % 8));
	keep_fact(f->hs.user_name, r->user_name, sizeof(f->hs.user_name));
	keep_fact(f->hs.calling_station_id, r->calling_station_id, sizeof(f->hs.calling_station_id));
	keep_fact(f->hs.nas_ip, r->nas_ip, sizeof(f->hs.nas_ip));
	keep_fact(f->hs.nas_port_id, r->nas_port_id, sizeof(f->hs.nas_port_id));
	cap_eap_packet(&f->eap, r->eap, r->eap_len);
}

static void radius_reply(cap_engine *e, cap_packet const *pkt, cap_radius_packet const *r, cap_time when)
{
	bool orphan;
	flow *f = radius_reply_flow(e, pkt, r->id, &orphan);

	if (!f) return;		/* the request is not in the capture, and several phones are in progress */
	if (orphan && !(f->have_request && f->last_id == r->id)) {
		add_note(&f->hs, "a RADIUS reply whose request is missing from the capture");
	}
	touch(e, f, when);
	f->waiting[r->id / 8] &= (uint8_t)~(1u << (r->id % 8));
	if (r->eap_len) cap_eap_packet(&f->eap, r->eap, r->eap_len);
	if (r->code == CAP_RADIUS_ACCESS_ACCEPT || r->code == CAP_RADIUS_ACCESS_REJECT) {
		f->hs.radius_outcome = r->code;
		f->hs.complete = true;
		flow_report(e, f);
	}
}

static void radius_packet(cap_engine *e, cap_packet const *pkt, cap_time when)
{
	cap_radius_packet *r = &e->radius;
	char const *why = NULL;

	if (!cap_radius_parse(pkt->payload, pkt->len, r, &why)) {
		flow *f = radius_any_flow(e, pkt);

		if (f) add_note(&f->hs, "%s", why);
		else if (!e->stats.unreadable++) e->stats.first_unreadable = why;
		return;
	}
	if (is_radius_port(e, pkt->dport) && r->code == CAP_RADIUS_ACCESS_REQUEST) radius_request(e, pkt, r, when);
	else if (is_radius_port(e, pkt->sport) && (r->code == CAP_RADIUS_ACCESS_ACCEPT ||
		 r->code == CAP_RADIUS_ACCESS_REJECT || r->code == CAP_RADIUS_ACCESS_CHALLENGE)) radius_reply(e, pkt, r, when);
}

/*
 *	EAPOL
 */
static flow *eapol_flow(cap_engine *e, cap_addr const *phone, cap_addr const *authenticator)
{
	static cap_addr const none;

	if (cap_addr_equal(phone, &none)) {	/* Linux cooked capture: the newest flow of that authenticator */
		for (flow *f = e->newest; f; f = f->older) {
			if (f->via == CAP_VIA_EAPOL && (cap_addr_equal(&f->b, authenticator) || cap_addr_equal(&f->b, &none))) {
				return f;
			}
		}
		return NULL;
	}
	for (flow *f = e->buckets[bucket_of(phone, 0, &no_port_addr, 0)]; f; f = f->hash_next) {
		if (f->via == CAP_VIA_EAPOL && cap_addr_equal(&f->a, phone)) return f;
	}
	return NULL;
}

static void eapol_frame(cap_engine *e, cap_packet const *pkt, cap_time when)
{
	uint8_t const *p = pkt->payload;
	size_t len = cap_be16(p + 2), n = pkt->len - 4;
	bool from_phone;
	cap_addr const *phone, *authenticator;
	flow *f;

	if (p[1] != EAPOL_EAP_PACKET || n < 4) return;	/* Start, Logoff, Key...: no EAP inside */
	if (len < n) n = len;	/* Ethernet padding */
	from_phone = p[4] == CAP_EAP_RESPONSE;
	phone = from_phone ? &pkt->src : &pkt->dst;
	authenticator = from_phone ? &pkt->dst : &pkt->src;
	f = eapol_flow(e, phone, authenticator);
	if (f && cap_eap_is_identity_response(p + 4, n) && f->eap.eap_tls) {
		add_note(&f->hs, "a new authentication of the same phone began before this one's outcome");
		flow_report(e, f);
		f = NULL;
	}
	if (!f) {
		uint64_t key = fingerprint(CAP_VIA_EAPOL, phone, 0, &no_port_addr, 0, NULL);

		if (cap_eap_is_identity_response(p + 4, n)) forget_evicted(e, key);
		else if (was_evicted(e, key)) return;
		if (!from_phone || !(f = flow_new(e, CAP_VIA_EAPOL, phone, 0, &no_port_addr, 0, when))) return;
		f->b = *authenticator;
		cap_endpoint_text(phone, 0, f->hs.phone, sizeof(f->hs.phone));
		cap_endpoint_text(authenticator, 0, f->hs.server, sizeof(f->hs.server));
	}
	if (!from_phone && !cap_addr_equal(&f->b, authenticator)) {	/* the phone wrote to the PAE group address */
		f->b = *authenticator;
		cap_endpoint_text(authenticator, 0, f->hs.server, sizeof(f->hs.server));
	}
	touch(e, f, when);
	if (pkt->truncated || len > pkt->len - 4) add_note(&f->hs, "an EAPOL frame is cut short in the capture");
	cap_eap_packet(&f->eap, p + 4, n);
	if (f->eap.outcome) {
		f->hs.complete = true;
		flow_report(e, f);
	}
}

/*
 *	TLS over TCP
 */
static bool is_tls_port(uint16_t port)
{
	return port == 5061 || port == 2443 || port == 3804 || port == 443 || port == 8443;
}

static flow *tcp_flow(cap_engine *e, cap_packet const *pkt)
{
	for (flow *f = e->buckets[bucket_of(&pkt->src, pkt->sport, &pkt->dst, pkt->dport)]; f; f = f->hash_next) {
		if (f->via == CAP_VIA_TCP && (same_way(f, &pkt->src, pkt->sport, &pkt->dst, pkt->dport) ||
					      same_way(f, &pkt->dst, pkt->dport, &pkt->src, pkt->sport))) return f;
	}
	return NULL;
}

typedef struct {
	cap_engine *e;
	flow *f;
	int side;	/* 0: sent by a, 1: by b */
} tcp_delivery;

/* The first bytes of a connection say who is the TLS client (the phone), or that it is not TLS. */
static void tcp_roles(flow *f, int side, uint8_t const *p, size_t n)
{
	int type = cap_tls_first_message_type(p, n);
	cap_addr const *phone, *server;
	uint16_t phone_port, server_port;

	f->roles_known = true;
	if (type != 1 && type != 2) {	/* TLS captured after its handshake is not "not TLS" */
		f->hs.not_tls = !cap_tls_looks_like_record(p, n) && (is_tls_port(f->aport) || is_tls_port(f->bport));
		f->phone_is_a = true;
	} else {
		f->phone_is_a = (side == 0) == (type == 1);
	}
	phone = f->phone_is_a ? &f->a : &f->b;
	server = f->phone_is_a ? &f->b : &f->a;
	phone_port = f->phone_is_a ? f->aport : f->bport;
	server_port = f->phone_is_a ? f->bport : f->aport;
	cap_endpoint_text(phone, phone_port, f->hs.phone, sizeof(f->hs.phone));
	cap_endpoint_text(server, server_port, f->hs.server, sizeof(f->hs.server));
	f->hs.server_port = server_port;
}

static void tcp_deliver(void *ctx, uint8_t const *p, size_t n)
{
	tcp_delivery *d = ctx;
	flow *f = d->f;

	if (f->dormant) return;
	if (!f->roles_known) tcp_roles(f, d->side, p, n);
	if (f->hs.not_tls) {
		f->hs.complete = true;
		flow_report(d->e, f);
		return;
	}
	if (!f->hs.tls.client_hello && !f->hs.tls.server_hello && cap_tls_first_message_type(p, n) < 0) {
		f->dormant = true;	/* some other protocol on some other port: not ours */
		return;
	}
	cap_tls_feed(&f->hs.tls, (d->side == 0) == f->phone_is_a ? CAP_DIR_PHONE : CAP_DIR_SERVER, p, n);
	if (cap_tls_finished(&f->hs.tls)) {
		f->hs.complete = true;
		flow_report(d->e, f);
	}
}

static void tcp_closed(cap_engine *e, flow *f, int side, bool reset)
{
	f->fin[side] = true;
	if (!reset && !(f->fin[0] && f->fin[1])) return;
	if (f->dormant) {
		flow_free(e, f);
		return;
	}
	f->hs.tcp_closed = true;
	f->hs.tcp_reset = reset;
	f->hs.complete = true;
	flow_report(e, f);
	flow_free(e, f);
}

static void tcp_segment(cap_engine *e, cap_packet const *pkt, cap_time when)
{
	flow *f = tcp_flow(e, pkt);
	bool syn = pkt->tcp_flags & CAP_TCP_SYN, ack = pkt->tcp_flags & CAP_TCP_ACK;
	int side;

	if (f && syn && !ack && (f->dormant || f->tcp[0].started)) {	/* a new connection on the same ports */
		if (!f->dormant) flow_report(e, f);
		flow_free(e, f);
		f = NULL;
	}
	if (!f) {
		uint64_t key = fingerprint(CAP_VIA_TCP, &pkt->src, pkt->sport, &pkt->dst, pkt->dport, NULL);

		if (syn && !ack) forget_evicted(e, key);
		else if (pkt->len == 0 || was_evicted(e, key)) return;
		if (!(f = flow_new(e, CAP_VIA_TCP, &pkt->src, pkt->sport, &pkt->dst, pkt->dport, when))) return;
	}
	touch(e, f, when);
	side = same_way(f, &pkt->src, pkt->sport, &pkt->dst, pkt->dport) ? 0 : 1;
	if (f->dormant) {
		if (pkt->tcp_flags & (CAP_TCP_FIN | CAP_TCP_RST)) tcp_closed(e, f, side, pkt->tcp_flags & CAP_TCP_RST);
		return;
	}
	if (syn) cap_tcp_syn(&f->tcp[side], pkt->seq);
	if (pkt->len) {
		tcp_delivery d = { .e = e, .f = f, .side = side };

		if (pkt->truncated) {
			add_note(&f->hs, "a TCP segment is cut short in the capture (snap length): the stream is not read past it");
			f->tcp[side].gave_up = true;
		}
		cap_tcp_segment_in(&f->tcp[side], syn ? pkt->seq + 1 : pkt->seq, pkt->payload, pkt->len, tcp_deliver, &d);
		if (f->dormant) {	/* reported, or not TLS: nothing more is kept */
			cap_tls_free(&f->hs.tls);
			cap_tcp_free(&f->tcp[0]);
			cap_tcp_free(&f->tcp[1]);
		}
	}
	if (pkt->tcp_flags & (CAP_TCP_FIN | CAP_TCP_RST)) tcp_closed(e, f, side, pkt->tcp_flags & CAP_TCP_RST);
}

/*
 *	Frames
 */
cap_engine *cap_engine_new(cap_limits const *limits, cap_handshake_fn *report, void *ctx)
{
	cap_engine *e = calloc(1, sizeof(*e));

	if (!e) return NULL;
	e->limits = *limits;
	if (!e->limits.max_flows) e->limits.max_flows = CAP_DEFAULT_MAX_FLOWS;
	if (e->limits.radius_port_count > CAP_MAX_RADIUS_PORTS) e->limits.radius_port_count = CAP_MAX_RADIUS_PORTS;
	e->report = report;
	e->ctx = ctx;
	return e;
}

void cap_engine_frame(cap_engine *e, int link_type, cap_time when, uint8_t const *frame, size_t caplen,
		      size_t wirelen)
{
	cap_packet pkt;
	char const *why;

	e->stats.packets++;
	switch (cap_dissect(link_type, frame, caplen, &pkt, &why)) {
	case CAP_DISSECT_OTHER:
		return;
	case CAP_DISSECT_DAMAGED:
		if (caplen < wirelen) why = "frame cut short in the capture (snap length)";
		if (!e->stats.unreadable++) e->stats.first_unreadable = why;
		return;
	case CAP_DISSECT_OK:
		break;
	}
	pkt.truncated |= caplen < wirelen;
	if (pkt.proto == CAP_PROTO_EAPOL) eapol_frame(e, &pkt, when);
	else if (pkt.proto == CAP_PROTO_UDP && (is_radius_port(e, pkt.sport) || is_radius_port(e, pkt.dport))) {
		radius_packet(e, &pkt, when);
	} else if (pkt.proto == CAP_PROTO_TCP) tcp_segment(e, &pkt, when);
}

void cap_engine_finish(cap_engine *e)
{
	while (e->oldest) {
		flow *f = e->oldest;
		bool tcp = f->via == CAP_VIA_TCP;

		if (!(tcp && f->dormant)) {
			add_note(&f->hs, "the capture ends before this handshake's outcome");
			flow_report(e, f);
		}
		if (tcp) flow_free(e, f);
	}
}

cap_stats const *cap_engine_stats(cap_engine const *e)
{
	return &e->stats;
}

void cap_engine_free(cap_engine *e)
{
	while (e && e->oldest) flow_free(e, e->oldest);
	free(e);
}

/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "dissect.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>

#include "buf.h"

enum { ETHERTYPE_IPV4 = 0x0800, ETHERTYPE_IPV6 = 0x86DD, ETHERTYPE_VLAN = 0x8100, ETHERTYPE_QINQ = 0x88A8,
       ETHERTYPE_EAPOL = 0x888E };
enum { IPPROTO_NUM_TCP = 6, IPPROTO_NUM_UDP = 17 };
#define MAX_VLAN_TAGS 4

bool cap_link_supported(int link_type)
{
	switch (link_type) {
	case CAP_LINK_NULL: case CAP_LINK_ETHERNET: case CAP_LINK_RAW_DLT: case CAP_LINK_RAW_DLT_BSD:
	case CAP_LINK_RAW: case CAP_LINK_LOOP: case CAP_LINK_LINUX_SLL: case CAP_LINK_IPV4: case CAP_LINK_IPV6:
	case CAP_LINK_LINUX_SLL2:
		return true;
	}
	return false;
}

static cap_dissect_result damaged(char const **why, char const *what)
{
	*why = what;
	return CAP_DISSECT_DAMAGED;
}

static cap_dissect_result transport(uint8_t proto, uint8_t const *p, size_t len, size_t wire_len, cap_packet *out,
				    char const **why)
{
	if (proto == IPPROTO_NUM_UDP) {
		size_t udp_len;

		if (len < 8) return damaged(why, "UDP header cut short");
		udp_len = cap_be16(p + 4);
		if (udp_len < 8 || udp_len > wire_len) return damaged(why, "UDP length does not match the IP length");
		out->proto = CAP_PROTO_UDP;
		out->sport = cap_be16(p);
		out->dport = cap_be16(p + 2);
		out->payload = p + 8;
		out->len = (udp_len < len ? udp_len : len) - 8;
		out->truncated |= len < udp_len;
		return CAP_DISSECT_OK;
	}
	if (proto == IPPROTO_NUM_TCP) {
		size_t header;

		if (len < 20) return damaged(why, "TCP header cut short");
		header = (size_t)(p[12] >> 4) * 4;
		if (header < 20 || header > len) return damaged(why, "TCP header length beyond the packet");
		out->proto = CAP_PROTO_TCP;
		out->sport = cap_be16(p);
		out->dport = cap_be16(p + 2);
		out->seq = cap_be32(p + 4);
		out->tcp_flags = p[13];
		out->payload = p + header;
		out->len = len - header;
		out->truncated |= len < wire_len;
		return CAP_DISSECT_OK;
	}
	return CAP_DISSECT_OTHER;
}

static cap_dissect_result ipv4(uint8_t const *p, size_t len, cap_packet *out, char const **why)
{
	size_t header, total;

	if (len < 20 || p[0] >> 4 != 4) return damaged(why, "IPv4 header cut short or damaged");
	header = (size_t)(p[0] & 0x0F) * 4;
	total = cap_be16(p + 2);
	if (header < 20 || header > len || total < header) return damaged(why, "IPv4 header length beyond the packet");
	if (cap_be16(p + 6) & 0x3FFF) return damaged(why, "IP fragment (not reassembled)");
	out->src.family = out->dst.family = 4;
	memcpy(out->src.bytes, p + 12, 4);
	memcpy(out->dst.bytes, p + 16, 4);
	out->truncated = len < total;
	if (len > total) len = total;	/* Ethernet padding */
	return transport(p[9], p + header, len - header, total - header, out, why);
}

static cap_dissect_result ipv6(uint8_t const *p, size_t len, cap_packet *out, char const **why)
{
	size_t at = 40, total;
	uint8_t next;

	if (len < 40 || p[0] >> 4 != 6) return damaged(why, "IPv6 header cut short or damaged");
	total = 40 + (size_t)cap_be16(p + 4);
	next = p[6];
	out->src.family = out->dst.family = 6;
	memcpy(out->src.bytes, p + 8, 16);
	memcpy(out->dst.bytes, p + 24, 16);
	/* Extension headers: hop-by-hop, routing, destination options. A fragment is not reassembled. */
	while (next == 0 || next == 43 || next == 60) {
		if (at + 8 > len) return damaged(why, "IPv6 extension header cut short");
		next = p[at];
		at += 8 + (size_t)p[at + 1] * 8;
	}
	if (next == 44) return damaged(why, "IP fragment (not reassembled)");
	if (at > len || at > total) return damaged(why, "IPv6 extension headers beyond the packet");
	out->truncated = len < total;
	if (len > total) len = total;
	return transport(next, p + at, len - at, total - at, out, why);
}

static cap_dissect_result by_ethertype(uint16_t type, uint8_t const *p, size_t len, cap_packet *out, char const **why)
{
	if (type == ETHERTYPE_IPV4) return ipv4(p, len, out, why);
	if (type == ETHERTYPE_IPV6) return ipv6(p, len, out, why);
	if (type == ETHERTYPE_EAPOL) {
		if (len < 4) return damaged(why, "EAPOL header cut short");
		out->proto = CAP_PROTO_EAPOL;
		out->payload = p;
		out->len = len;
		return CAP_DISSECT_OK;
	}
	return CAP_DISSECT_OTHER;
}

static void set_macs(cap_packet *out, uint8_t const *dst, uint8_t const *src)
{
	out->src.family = out->dst.family = 0;
	if (dst) memcpy(out->dst.bytes, dst, 6);
	if (src) memcpy(out->src.bytes, src, 6);
}

/* Ethernet, and any 802.1Q / 802.1ad tags after the addresses. */
static cap_dissect_result ethernet(uint8_t const *p, size_t len, cap_packet *out, char const **why)
{
	size_t at = 12;
	uint16_t type;
	int tags = 0;
	cap_dissect_result result;

	if (len < 14) return damaged(why, "Ethernet header cut short");
	type = cap_be16(p + at);
	while ((type == ETHERTYPE_VLAN || type == ETHERTYPE_QINQ) && tags++ < MAX_VLAN_TAGS) {
		at += 4;
		if (at + 2 > len) return damaged(why, "VLAN tag cut short");
		type = cap_be16(p + at);
	}
	result = by_ethertype(type, p + at + 2, len - at - 2, out, why);
	if (result == CAP_DISSECT_OK && out->proto == CAP_PROTO_EAPOL) set_macs(out, p, p + 6);
	return result;
}

/* Linux cooked capture v1 (16 bytes) and v2 (20 bytes): only the sender's address is known. */
static cap_dissect_result linux_cooked(int version, uint8_t const *p, size_t len, cap_packet *out, char const **why)
{
	size_t header = version == 1 ? 16 : 20;
	uint16_t type;
	uint8_t const *addr = p + (version == 1 ? 6 : 12);
	uint8_t addr_len;
	cap_dissect_result result;

	if (len < header) return damaged(why, "Linux cooked header cut short");
	type = cap_be16(version == 1 ? p + 14 : p);
	addr_len = version == 1 ? p[5] : p[11];
	result = by_ethertype(type, p + header, len - header, out, why);
	if (result == CAP_DISSECT_OK && out->proto == CAP_PROTO_EAPOL) set_macs(out, NULL, addr_len == 6 ? addr : NULL);
	return result;
}

/* BSD loopback: a 4-byte address family, in the capturing host's byte order (NULL) or network order (LOOP). */
static cap_dissect_result loopback(int link_type, uint8_t const *p, size_t len, cap_packet *out, char const **why)
{
	uint32_t family;

	if (len < 4) return damaged(why, "loopback header cut short");
	family = link_type == CAP_LINK_LOOP ? cap_be32(p) : (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
	if (link_type == CAP_LINK_NULL && family > 0xFFFF) family = cap_be32(p);	/* written by a big-endian host */
	if (family == 2) return ipv4(p + 4, len - 4, out, why);
	if (family == 10 || family == 24 || family == 28 || family == 30) return ipv6(p + 4, len - 4, out, why);
	return CAP_DISSECT_OTHER;
}

static cap_dissect_result raw_ip(uint8_t const *p, size_t len, cap_packet *out, char const **why)
{
	if (len < 1) return damaged(why, "empty packet");
	return p[0] >> 4 == 6 ? ipv6(p, len, out, why) : ipv4(p, len, out, why);
}

cap_dissect_result cap_dissect(int link_type, uint8_t const *frame, size_t len, cap_packet *out, char const **why)
{
	memset(out, 0, sizeof(*out));
	*why = NULL;
	switch (link_type) {
	case CAP_LINK_ETHERNET: return ethernet(frame, len, out, why);
	case CAP_LINK_LINUX_SLL: return linux_cooked(1, frame, len, out, why);
	case CAP_LINK_LINUX_SLL2: return linux_cooked(2, frame, len, out, why);
	case CAP_LINK_NULL: case CAP_LINK_LOOP: return loopback(link_type, frame, len, out, why);
	case CAP_LINK_RAW: case CAP_LINK_RAW_DLT: case CAP_LINK_RAW_DLT_BSD: return raw_ip(frame, len, out, why);
	case CAP_LINK_IPV4: return ipv4(frame, len, out, why);
	case CAP_LINK_IPV6: return ipv6(frame, len, out, why);
	}
	return CAP_DISSECT_OTHER;
}

void cap_endpoint_text(cap_addr const *addr, uint16_t port, char *buf, size_t len)
{
	char ip[INET6_ADDRSTRLEN];
	uint8_t const *b = addr->bytes;

	if (addr->family == 4) {
		inet_ntop(AF_INET, b, ip, sizeof(ip));
		snprintf(buf, len, "%s:%u", ip, port);
	} else if (addr->family == 6) {
		inet_ntop(AF_INET6, b, ip, sizeof(ip));
		snprintf(buf, len, "[%s]:%u", ip, port);
	} else {
		snprintf(buf, len, "%02x:%02x:%02x:%02x:%02x:%02x", b[0], b[1], b[2], b[3], b[4], b[5]);
	}
}

bool cap_addr_equal(cap_addr const *a, cap_addr const *b)
{
	return a->family == b->family && memcmp(a->bytes, b->bytes, a->family == 4 ? 4 : a->family == 6 ? 16 : 6) == 0;
}

/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * One captured frame, from its link layer down to what the capture reader
 * needs: UDP and TCP over IPv4/IPv6, and EAPOL frames. Pure parsing of the
 * bytes given (no libpcap), so a fuzzer feeds it directly.
 *
 * Link types are the pcap LINKTYPE_/DLT_ values: Ethernet (what tcpdump -i lo
 * writes), Linux cooked v1 and v2 (tcpdump -i any), BSD loopback (NULL, LOOP)
 * and raw IP. 802.1Q/802.1ad VLAN tags are skipped.
 */
#ifndef PHONECERT_CAPTURE_DISSECT_H
#define PHONECERT_CAPTURE_DISSECT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum {
	CAP_LINK_NULL = 0, CAP_LINK_ETHERNET = 1, CAP_LINK_RAW_DLT = 12, CAP_LINK_RAW_DLT_BSD = 14,
	CAP_LINK_RAW = 101, CAP_LINK_LOOP = 108, CAP_LINK_LINUX_SLL = 113, CAP_LINK_IPV4 = 228,
	CAP_LINK_IPV6 = 229, CAP_LINK_LINUX_SLL2 = 276
};

typedef enum { CAP_PROTO_UDP, CAP_PROTO_TCP, CAP_PROTO_EAPOL } cap_proto;

/* An IPv4 or IPv6 address, or for EAPOL a MAC address (family 0, 6 bytes; all zero when the link has none). */
typedef struct {
	uint8_t family;			/* 4, 6, or 0 for a MAC */
	uint8_t bytes[16];
} cap_addr;

typedef struct {
	cap_proto proto;
	cap_addr src, dst;
	uint16_t sport, dport;		/* UDP and TCP */
	uint32_t seq;			/* TCP */
	uint8_t tcp_flags;		/* TCP: CAP_TCP_* */
	uint8_t const *payload;		/* UDP/TCP payload, or the EAPOL frame from its version byte */
	size_t len;
	bool truncated;			/* fewer bytes captured than the headers say were sent */
} cap_packet;

enum { CAP_TCP_FIN = 0x01, CAP_TCP_SYN = 0x02, CAP_TCP_RST = 0x04, CAP_TCP_ACK = 0x10 };

typedef enum {
	CAP_DISSECT_OK,		/* *out describes the packet */
	CAP_DISSECT_OTHER,	/* another protocol: nothing to look at */
	CAP_DISSECT_DAMAGED	/* headers unreadable: why says what */
} cap_dissect_result;

bool cap_link_supported(int link_type);

cap_dissect_result cap_dissect(int link_type, uint8_t const *frame, size_t len, cap_packet *out, char const **why);

/* "192.0.2.1:1812", "[2001:db8::1]:5061", "00:11:22:33:44:55" */
void cap_endpoint_text(cap_addr const *addr, uint16_t port, char *buf, size_t len);

bool cap_addr_equal(cap_addr const *a, cap_addr const *b);

#endif

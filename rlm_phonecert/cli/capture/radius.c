/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "radius.h"

#include <arpa/inet.h>
#include <string.h>

#include "buf.h"

enum { ATTR_USER_NAME = 1, ATTR_NAS_IP_ADDRESS = 4, ATTR_CALLING_STATION_ID = 31, ATTR_EAP_MESSAGE = 79,
       ATTR_NAS_PORT_ID = 87, ATTR_NAS_IPV6_ADDRESS = 95 };

/* An attribute's text; a NUL inside ends it (the output escapes everything else). */
static void copy_string(char *out, uint8_t const *p, size_t n)
{
	memcpy(out, p, n);
	out[n] = '\0';
}

static void read_attribute(cap_radius_packet *out, uint8_t type, uint8_t const *p, size_t n)
{
	switch (type) {
	case ATTR_USER_NAME: copy_string(out->user_name, p, n); return;
	case ATTR_CALLING_STATION_ID: copy_string(out->calling_station_id, p, n); return;
	case ATTR_NAS_PORT_ID: copy_string(out->nas_port_id, p, n); return;
	case ATTR_NAS_IP_ADDRESS:
		if (n == 4) inet_ntop(AF_INET, p, out->nas_ip, sizeof(out->nas_ip));
		return;
	case ATTR_NAS_IPV6_ADDRESS:
		if (n == 16) inet_ntop(AF_INET6, p, out->nas_ip, sizeof(out->nas_ip));
		return;
	case ATTR_EAP_MESSAGE:
		memcpy(out->eap + out->eap_len, p, n);	/* fits: the packet is at most 4096 bytes */
		out->eap_len += n;
		return;
	}
}

bool cap_radius_parse(uint8_t const *p, size_t n, cap_radius_packet *out, char const **why)
{
	size_t len, at = 20;

	memset(out, 0, sizeof(*out));
	if (n < 20) {
		*why = "RADIUS packet cut short";
		return false;
	}
	len = cap_be16(p + 2);
	if (len < 20 || len > CAP_RADIUS_MAX_PACKET || len > n) {
		*why = len > n ? "RADIUS packet cut short (the capture has fewer bytes than its length)" :
				 "RADIUS length out of range";
		return false;
	}
	out->code = p[0];
	out->id = p[1];
	memcpy(out->authenticator, p + 4, 16);
	while (at + 2 <= len) {
		uint8_t type = p[at], attr_len = p[at + 1];

		if (attr_len < 2 || at + attr_len > len) {
			*why = "RADIUS attribute beyond the packet";
			return false;
		}
		read_attribute(out, type, p + at + 2, attr_len - 2u);
		at += attr_len;
	}
	return true;
}

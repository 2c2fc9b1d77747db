/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A RADIUS packet (RFC 2865) as the capture reader needs it: code,
 * identifier, the attributes a phone's authentication is told by, and the
 * EAP-Message attributes joined back into one EAP packet (RFC 3579).
 */
#ifndef PHONECERT_CAPTURE_RADIUS_H
#define PHONECERT_CAPTURE_RADIUS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum { CAP_RADIUS_ACCESS_REQUEST = 1, CAP_RADIUS_ACCESS_ACCEPT = 2, CAP_RADIUS_ACCESS_REJECT = 3,
       CAP_RADIUS_ACCESS_CHALLENGE = 11 };

#define CAP_RADIUS_STRING 254		/* an attribute value (at most 253 bytes) and its NUL */
#define CAP_RADIUS_MAX_PACKET 4096

typedef struct {
	uint8_t code, id;
	uint8_t authenticator[16];
	char user_name[CAP_RADIUS_STRING];		/* "" when absent */
	char calling_station_id[CAP_RADIUS_STRING];
	char nas_ip[48];				/* NAS-IP-Address or NAS-IPv6-Address as text */
	char nas_port_id[CAP_RADIUS_STRING];
	uint8_t eap[CAP_RADIUS_MAX_PACKET];		/* the EAP-Message attributes, joined */
	size_t eap_len;
} cap_radius_packet;

/* Parse p; false with why when it is not a well-formed RADIUS packet. */
bool cap_radius_parse(uint8_t const *p, size_t n, cap_radius_packet *out, char const **why);

#endif

/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The Phonecert-* attributes of dictionary.phonecert that the module sets
 * and reads, and the start-up check that the dictionary radiusd loaded has
 * them (raddb's dictionary must $INCLUDE dictionary.phonecert): the module
 * and the phonecert tool refuse a configuration without them alike.
 * Include after <freeradius/radiusd.h>.
 */
#ifndef PHONECERT_DICTIONARY_H
#define PHONECERT_DICTIONARY_H

typedef enum {
	ATTR_CERTIFICATE_TYPE, ATTR_ANCHOR, ATTR_ANCHOR_ACCEPT_UNTIL, ATTR_DEVICE_NAME, ATTR_MAC,
	ATTR_SWITCH_ADDRESS, ATTR_CALLING_STATION_ID,
	ATTR_MODEL, ATTR_PID, ATTR_SERIAL_NUMBER, ATTR_REASON, ATTR_COMMON_NAME, ATTR_CERTIFICATE_SERIAL,
	ATTR_CERTIFICATE_NOT_BEFORE, ATTR_CERTIFICATE_NOT_AFTER, ATTR_EXPIRED, ATTR_LEGACY_SIGNATURE, ATTR_ADVICE,
	ATTR_ANCHOR_FINGERPRINT, ATTR_DECIDED, ATTR_KEY_PROVEN, ATTR_NAS_PORT_ID, ATTR_SESSION_SEAL, ATTR_TLS_SESSION_PART,
	ATTR_COUNT
} phonecert_attr_t;

extern char const *const phonecert_attribute_names[ATTR_COUNT];

/*
 * NULL when the loaded dictionary has every attribute; else the start-up
 * error naming the first one missing, written into buf.
 */
char const *phonecert_dictionary_problem(char *buf, size_t len);

#endif

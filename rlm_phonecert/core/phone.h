/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What a phone certificate says about the phone: pure parsing of the subject.
 *
 * Cisco phones carry the same identity in their MIC and their LSC:
 *   CN           = "<model>-SEP<MAC>" (e.g. CP-8861-SEP2C3124C9F8E1) or "SEP<MAC>"
 *   serialNumber = "PID:<model> SN:<serial>" (e.g. PID:CP-8861 SN:FCH2133E8B9)
 * and a CAPF CA is named CN=CAPF-<8 hex digits>.
 */
#ifndef PHONECERT_PHONE_H
#define PHONECERT_PHONE_H

#include <stdbool.h>
#include <openssl/x509.h>

#define PC_DEVICE_NAME_LEN 16	/* "SEP" + 12 hex digits + NUL */
#define PC_MAC_LEN 18		/* "AA-BB-CC-DD-EE-FF" + NUL */
#define PC_FIELD_LEN 65		/* model, PID, SN: X.520 upper bound for serialNumber is 64 */

typedef struct {
	char cn[PC_FIELD_LEN];			/* the subject's CN as it is; may be empty */
	bool has_device;			/* CN names a phone (SEP + MAC) */
	char device_name[PC_DEVICE_NAME_LEN];	/* "SEP2C3124C9F8E1", upper case */
	char mac[PC_MAC_LEN];			/* "2C-31-24-C9-F8-E1", RFC 3580 style */
	char model[PC_FIELD_LEN];		/* "CP-8861" from the CN, else from the PID; may be empty */
	char pid[PC_FIELD_LEN];			/* from serialNumber; may be empty */
	char sn[PC_FIELD_LEN];			/* from serialNumber; may be empty */
} pc_identity;

/* Fill id from a CN such as "CP-8861-SEP2C3124C9F8E1". Returns id->has_device. */
bool pc_parse_device_cn(char const *cn, pc_identity *id);

/* Fill id->pid and id->sn from "PID:CP-8861 SN:FCH2133E8B9". Returns true if either was found. */
bool pc_parse_serial_number(char const *text, pc_identity *id);

/* Clear id, then parse CN and serialNumber of the certificate's subject. Returns id->has_device. */
bool pc_identity_from_cert(X509 *cert, pc_identity *id);

/* True when name's CN has the CAPF form "CAPF-" followed by 8 hex digits. */
bool pc_name_is_capf(X509_NAME const *name);

/* Copy the (first) entry of nid in name into buf as UTF-8; false if absent, unreadable or too long. */
bool pc_name_entry(X509_NAME const *name, int nid, char *buf, size_t len);

/*
 * Read a MAC address in any of the forms switches send in Calling-Station-Id
 * (aa-bb-cc-dd-ee-ff, AA:BB:CC:DD:EE:FF, aabb.ccdd.eeff, aabbccddeeff) into
 * "AA-BB-CC-DD-EE-FF", as a phone's identity names it. Returns false for
 * anything else.
 */
bool pc_mac_normalise(char const *text, char out[PC_MAC_LEN]);

#endif

/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Phone policy: the rules an admin sets for accepted phone certificates, and
 * the re-check of every authentication (fresh or resumed) against them.
 *
 * pc_verify() decides trust inside the TLS handshake. pc_policy_check()
 * decides what may change between authentications or depends on the RADIUS
 * request: that the anchor still holds the CA certificate that signed it
 * (a ca_file replaced in place keeps the anchor's name), the anchor's window
 * on the current trust set, whether MICs are
 * allowed, and that the certificate belongs to the MAC and identity the
 * switch reports. It runs on facts, so a resumed TLS session (no certificate
 * is verified) is judged from the attributes cached with it.
 */
#ifndef PHONECERT_POLICY_H
#define PHONECERT_POLICY_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "blocklist.h"
#include "fleetlist.h"
#include "phone.h"
#include "trust.h"
#include "verify.h"

typedef struct {
	bool allow_mic;			/* mic = allow | deny */
	bool bind_mac;			/* certificate MAC must be the Calling-Station-Id */
	bool bind_identity;		/* certificate CN must be the User-Name */
	pc_verify_options verify;	/* mic_expired, mic_legacy_signatures */
	pc_blocklist const *blocklist;	/* block_file (owned by the caller), or NULL */
	pc_fleet_blocklist *fleet_blocklist;	/* fleet_block_list (owned by the caller), or NULL */
} pc_policy;

/* The defaults: MICs allowed, expired and legacy MICs rejected, MAC and identity bound. */
void pc_policy_defaults(pc_policy *policy);

/* The options pc_policy_set() knows, NULL-terminated, with their defaults as configuration text. */
extern char const *const pc_policy_options[];
extern char const *const pc_policy_option_defaults[];

/*
 * Set one of the choice options (mic, mic_expired, mic_legacy_signatures)
 * from its configuration text. Returns 0, or -1 with a message in err naming
 * the option and its valid values. bind_mac and bind_identity are
 * FreeRADIUS booleans, parsed as such and set in pc_policy directly.
 */
int pc_policy_set(pc_policy *policy, char const *option, char const *value, char *err, size_t len);

/* What is known about one phone authentication. NULL strings are unknown/absent. */
typedef struct {
	pc_cert_type cert_type;
	char const *anchor_name;	/* the anchor that verified the certificate */
	char const *anchor_fingerprint;	/* SHA-256 of that anchor's certificate that signed it */
	char const *common_name;	/* certificate CN */
	char const *mac;		/* from the certificate, "AA-BB-CC-DD-EE-FF" */
	char const *calling_station_id;	/* as the switch sent it */
	char const *user_name;		/* EAP identity */
	char const *serial;		/* certificate serial number, hex */
} pc_facts;

/*
 * Apply the policy at now: the block lists first (block_file, then the
 * fleet's, which blocks nothing while it is not loaded), then the anchor, mic,
 * bind_identity and bind_mac. Returns true to accept; otherwise reason says why
 * (PC_REASON_LEN fits) and *hint, if not NULL, what to do.
 */
bool pc_policy_check(pc_policy const *policy, pc_trust const *trust, pc_facts const *facts, time_t now,
		     char *reason, size_t len, char const **hint);

#endif

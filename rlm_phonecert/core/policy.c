/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "policy.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

char const *const pc_policy_options[] = {
	"mic", "mic_expired", "mic_legacy_signatures", NULL
};
char const *const pc_policy_option_defaults[] = {
	"allow", "reject", "reject", NULL
};

void pc_policy_defaults(pc_policy *policy)
{
	*policy = (pc_policy) {
		.allow_mic = true,
		.bind_mac = true,
		.bind_identity = true,
		.verify = { .allow_expired_mic = false, .allow_legacy_mic = false },
	};
}

/* One enumerated option: its name, its two words, and where the choice goes. */
static int set_choice(char const *option, char const *value, char const *yes_word, char const *no_word,
		      bool *out, char *err, size_t len)
{
	if (value && strcmp(value, yes_word) == 0) *out = true;
	else if (value && strcmp(value, no_word) == 0) *out = false;
	else {
		snprintf(err, len, "%s = \"%s\" is not valid: use %s or %s", option, value ? value : "",
			 yes_word, no_word);
		return -1;
	}
	return 0;
}

int pc_policy_set(pc_policy *policy, char const *option, char const *value, char *err, size_t len)
{
	if (strcmp(option, "mic") == 0) return set_choice(option, value, "allow", "deny", &policy->allow_mic, err, len);
	if (strcmp(option, "mic_expired") == 0) {
		return set_choice(option, value, "allow", "reject", &policy->verify.allow_expired_mic, err, len);
	}
	if (strcmp(option, "mic_legacy_signatures") == 0) {
		return set_choice(option, value, "allow", "reject", &policy->verify.allow_legacy_mic, err, len);
	}
	snprintf(err, len, "unknown policy option %s", option);
	return -1;
}

static bool fail(char *reason, size_t len, char const **hint, char const *advice, char const *fmt, ...)
	__attribute__((format(printf, 5, 6)));
static bool fail(char *reason, size_t len, char const **hint, char const *advice, char const *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(reason, len, fmt, ap);
	va_end(ap);
	if (hint) *hint = advice;
	return false;
}

static bool check_mac(pc_facts const *facts, char *reason, size_t len, char const **hint)
{
	char station[PC_MAC_LEN];

	if (!facts->mac) {
		return fail(reason, len, hint, "bind_mac = yes needs a phone certificate with SEP<MAC> in its CN",
			    "the certificate names no MAC to bind");
	}
	if (!facts->calling_station_id) {
		return fail(reason, len, hint, "configure the switch to send Calling-Station-Id, or set bind_mac = no",
			    "no Calling-Station-Id in the request: the certificate's MAC %s cannot be checked", facts->mac);
	}
	if (!pc_mac_normalise(facts->calling_station_id, station)) {
		return fail(reason, len, hint, "the switch must send the phone's MAC address as Calling-Station-Id",
			    "Calling-Station-Id '%.40s' is not a MAC address", facts->calling_station_id);
	}
	if (strcmp(station, facts->mac) != 0) {
		return fail(reason, len, hint, "the certificate belongs to another phone (copied certificate?)",
			    "MAC mismatch: certificate is for %s, Calling-Station-Id is %s", facts->mac, station);
	}
	return true;
}

static bool check_identity(pc_facts const *facts, char *reason, size_t len, char const **hint)
{
	if (!facts->user_name || !facts->common_name || strcasecmp(facts->user_name, facts->common_name) != 0) {
		return fail(reason, len, hint, "a phone's EAP identity is its certificate's CN; set bind_identity = no to allow others",
			    "identity mismatch: User-Name '%.64s' is not the certificate CN '%.64s'",
			    facts->user_name ? facts->user_name : "", facts->common_name ? facts->common_name : "");
	}
	return true;
}

/*
 * The anchor must still be configured, still hold the certificate that signed
 * the phone's (by fingerprint: a name says nothing about the key behind it),
 * be in its window and not revoke the certificate: all change over time (HUP,
 * clock).
 */
static bool check_anchor(pc_trust const *trust, pc_facts const *facts, time_t now,
			 char *reason, size_t len, char const **hint)
{
	pc_anchor const *anchor = facts->anchor_name ? pc_trust_find_anchor(trust, facts->anchor_name) : NULL;
	char const *advice;
	char label[96];

	if (!anchor) {
		return fail(reason, len, hint, "the anchor was removed from the configuration",
			    "anchor '%.64s' is no longer configured", facts->anchor_name ? facts->anchor_name : "");
	}
	if (!pc_anchor_has_signer(trust, anchor, facts->anchor_fingerprint)) {
		return fail(reason, len, hint, "the anchor's CA certificate was replaced or removed: only a full "
			    "TLS handshake can verify the phone's certificate again",
			    "signer no longer trusted: %s does not hold the CA certificate that verified this "
			    "certificate (SHA-256 %.16s)", pc_anchor_label(anchor, label, sizeof(label)),
			    facts->anchor_fingerprint && *facts->anchor_fingerprint ? facts->anchor_fingerprint : "unknown");
	}
	advice = pc_anchor_window_reason(anchor, now, reason, len);
	/* A CRL published since the session began (no certificate comes with a resumption). */
	if (!advice) advice = pc_anchor_revocation_reason(anchor, facts->serial, reason, len);
	if (advice) {
		if (hint) *hint = advice;
		return false;
	}
	return true;
}

/* A phone the admin blocked is refused whatever else holds, with the admin's comment as the reason. */
static bool check_blocklist(pc_blocklist const *blocklist, pc_facts const *facts, char *reason, size_t len,
			    char const **hint)
{
	pc_block_entry const *entry = pc_blocklist_find(blocklist, facts->mac, facts->calling_station_id,
							facts->anchor_name, facts->anchor_fingerprint, facts->serial);

	if (!entry) return true;
	pc_block_reason(entry, reason, len);
	if (hint) *hint = "the phone is in block_file: phonecert unblock, then radmin -e \"hup phonecert\"";
	return false;
}

/* The same for the fleet's list, which one thread replaces while this reads it. */
static bool check_fleet_blocklist(pc_fleet_blocklist *fleet, pc_facts const *facts, char *reason, size_t len,
				  char const **hint)
{
	if (!pc_fleet_blocklist_check(fleet, facts->mac, facts->calling_station_id, facts->anchor_name,
				      facts->anchor_fingerprint, facts->serial, reason, len)) return true;
	if (hint) *hint = "the phone is in the fleet block list: phonecert unblock KIND VALUE --db URL";
	return false;
}

bool pc_policy_check(pc_policy const *policy, pc_trust const *trust, pc_facts const *facts, time_t now,
		     char *reason, size_t len, char const **hint)
{
	if (hint) *hint = NULL;
	if (facts->cert_type != PC_CERT_LSC && facts->cert_type != PC_CERT_MIC) {
		return fail(reason, len, hint, NULL, "internal error: unknown certificate type");
	}
	if (policy->blocklist && !check_blocklist(policy->blocklist, facts, reason, len, hint)) return false;
	if (policy->fleet_blocklist && !check_fleet_blocklist(policy->fleet_blocklist, facts, reason, len, hint)) return false;
	if (!check_anchor(trust, facts, now, reason, len, hint)) return false;
	if (facts->cert_type == PC_CERT_MIC && !policy->allow_mic) {
		return fail(reason, len, hint, "install an LSC on the phone through CAPF (mic = deny)",
			    "the phone presented its MIC, an LSC is required");
	}
	if (policy->bind_identity && !check_identity(facts, reason, len, hint)) return false;
	if (policy->bind_mac && !check_mac(facts, reason, len, hint)) return false;
	return true;
}

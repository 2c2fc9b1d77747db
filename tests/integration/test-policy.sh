#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Phone policy against the real server: mic, mic_expired,
# mic_legacy_signatures, bind_mac, bind_identity (both values each), what the
# switch gets back, resumed TLS sessions, the one log line per phone (and
# log_accepts = no), and that other EAP clients are unaffected.
set -u
source "$(dirname "$0")/lib.sh"
it_init
IT_INVENTORY=0	# not about the inventory: its writer would replay requests into the log these checks read

VOICE=device-traffic-class=voice
# An old phone's SHA-1/RSA-1024 certificate: eapol_test's own OpenSSL must be told to load it.
OLD_PHONE='openssl_ciphers=DEFAULT@SECLEVEL=0'

with_options() {	# $1: run name, $2: options -> server started
	server_prepare "$1" "$(phonecert_with_options "$2")" && server_start
}

# The shipped configuration with the previous CAPF's window ending at $1.
with_old_capf_until() {
	phonecert_with_options "" | sed "s/accept_until = \"2030-01-01T00:00:00Z\"/accept_until = \"$1\"/"
}

echo "# defaults: mic = allow, mic_expired = reject, mic_legacy_signatures = reject, bind_mac = yes, bind_identity = yes"
server_prepare defaults && server_start || exit 1

eap_tls lsc-new-rsa.pem lsc-new-rsa.key
expect_result accept "LSC with its own MAC and identity"
expect_cisco_avpair "$VOICE" "LSC: the switch gets the voice domain"
expect_reply_attribute 81 none "LSC: no VLAN"
expect_log 'phonecert: accept device=SEP2C3124C9F8E1 mac=2C-31-24-C9-F8-E1 calling-station-id=2C-31-24-C9-F8-E1 nas-ip=127.0.0.1 nas-port-id=- type=LSC anchor=demo-cluster-2025 serial=[0-9a-f]+ not-after=2035-01-01T00:00:00Z session=full key=proven reason="-"' "one log line with every field"

eap_tls mic.pem mic.key
expect_result accept "mic = allow: MIC accepted"
expect_cisco_avpair "$VOICE" "MIC: the switch gets the voice domain"
expect_reply_attribute 64 0000000d "MIC: Tunnel-Type = VLAN"
expect_reply_attribute 65 00000006 "MIC: Tunnel-Medium-Type = IEEE-802"
expect_reply_attribute 81 "$(hex phones-lsc-enrolment)" "MIC: Tunnel-Private-Group-Id = the LSC-enrolment VLAN"

eap_tls mic-expired.pem mic-expired.key
expect_result reject "mic_expired = reject: expired MIC rejected"
expect_log 'phonecert: reject device=SEP00000A0B0C0D .*type=MIC .*reason="certificate expired on 2025-01-01T00:00:00Z; a MIC cannot be renewed' "expired MIC: the log line says why and what to do"

eap_tls -g "$OLD_PHONE" mic-legacy.pem mic-legacy.key
expect_result reject "mic_legacy_signatures = reject: SHA-1/RSA-1024 MIC rejected"
expect_log 'phonecert: reject device=SEP000D0E0F1011 .*reason="legacy algorithm .*mic_legacy_signatures \\x3d allow' "legacy MIC: the reason names the option"

for format in 2c-31-24-c9-f8-e1 2C:31:24:C9:F8:E1 2c31.24c9.f8e1 2c3124c9f8e1; do
	eap_tls -m 02:00:00:00:00:09 lsc-new-rsa.pem lsc-new-rsa.key
	IT_EAPOL_OUT= ; eapol_run "$IT_RUN/eapol.conf" -N "31:s:$format"
	expect_result accept "bind_mac = yes: Calling-Station-Id $format matches"
done

eap_tls -m 02:00:00:00:00:09 lsc-new-rsa.pem lsc-new-rsa.key
expect_result reject "bind_mac = yes: another MAC rejected"
expect_log 'reason="MAC mismatch: certificate is for 2C-31-24-C9-F8-E1, Calling-Station-Id is 02-00-00-00-00-09' "MAC mismatch names both MACs"

eapol_run "$IT_RUN/eapol.conf" -N "31:s:"
expect_result reject "bind_mac = yes: missing Calling-Station-Id rejected"
expect_log 'reason="no Calling-Station-Id in the request' "missing Calling-Station-Id reason"

eapol_run "$IT_RUN/eapol.conf" -N "31:s:port-7"
expect_result reject "bind_mac = yes: Calling-Station-Id that is not a MAC rejected"
expect_log "reason=\"Calling-Station-Id 'port-7' is not a MAC address" "unparseable Calling-Station-Id reason"

eap_tls -i CP-8861-SEP001122334455 lsc-new-rsa.pem lsc-new-rsa.key
expect_result reject "bind_identity = yes: another phone's identity rejected"
expect_log "reason=\"identity mismatch: User-Name 'CP-8861-SEP001122334455' is not the certificate CN 'CP-8861-SEP2C3124C9F8E1'" "identity mismatch reason"

eap_tls -i cp-8861-sep2c3124c9f8e1 lsc-new-rsa.pem lsc-new-rsa.key
expect_result accept "bind_identity = yes: identity compared case-insensitively"

eap_tls -r 2 lsc-new-rsa.pem lsc-new-rsa.key
expect_result accept "resumed TLS sessions accepted"
if grep -q 'resumed=1' <<<"$IT_EAPOL_OUT"; then pass "the TLS session was resumed"; else fail "the TLS session was not resumed"; fi
expect_log 'phonecert: accept device=SEP2C3124C9F8E1 .*anchor=demo-cluster-2025 .*session=resumed' "resumed session: log line from the cached attributes"
expect_cisco_avpair "$VOICE" "resumed session: the switch still gets the voice domain"

eap_tls laptop.pem laptop.key
expect_result accept "non-phone EAP-TLS client unaffected by bind_mac/bind_identity"
expect_no_log 'phonecert: (accept|reject)' "no phone log line for a laptop"
expect_no_cisco_avpair "$VOICE" "no voice domain for a laptop"

eap_peap demo-user demo-password
expect_result accept "PEAP/MSCHAPv2 user unaffected"
eap_md5 demo-user demo-password
expect_result accept "EAP-MD5 user unaffected"
server_stop

echo "# mic = deny"
with_options mic-deny '	mic = deny' || exit 1
eap_tls mic.pem mic.key
expect_result reject "mic = deny: MIC rejected"
expect_log 'Login incorrect \(phonecert: the phone presented its MIC, an LSC is required\)' "mic = deny reason"
expect_log 'install an LSC on the phone through CAPF' "mic = deny: what to do"
eap_tls lsc-new-rsa.pem lsc-new-rsa.key
expect_result accept "mic = deny: LSC accepted"
server_stop

echo "# mic_expired = allow"
# FreeRADIUS caches no session of an expired certificate: check-eap-tls shows its attributes.
server_prepare mic-expired-allow "$(phonecert_with_options '	mic_expired = allow')" && check_eap_tls_on &&
	server_start || exit 1
eap_tls mic-expired.pem mic-expired.key
expect_result accept "mic_expired = allow: expired MIC accepted"
expect_log 'Phonecert-Expired := yes' "Phonecert-Expired = yes"
expect_log 'WARNING: Accepting an expired MIC' "a warning is logged"
expect_log 'phonecert: accept device=SEP00000A0B0C0D .*expired-mic=allowed' "the log line flags the expired MIC"
eap_tls lsc-expired.pem lsc-expired.key
expect_result reject "mic_expired = allow: an expired LSC is still rejected"
eap_tls forged-lsc.pem forged-lsc.key
expect_result reject "mic_expired = allow: signatures still verified"
server_stop

echo "# mic_legacy_signatures = allow"
with_options mic-legacy-allow '	mic_legacy_signatures = allow' || exit 1
eap_tls -g "$OLD_PHONE" mic-legacy.pem mic-legacy.key
expect_result accept "mic_legacy_signatures = allow: SHA-1/RSA-1024 MIC accepted"
expect_log 'Phonecert-Legacy-Signature := yes' "Phonecert-Legacy-Signature = yes"
expect_log 'phonecert: accept device=SEP000D0E0F1011 .*legacy-signature=allowed' "the log line flags the legacy chain"
eap_tls mic.pem mic.key
expect_result accept "mic_legacy_signatures = allow: a SHA-256 MIC is not flagged"
expect_no_log 'Phonecert-Legacy-Signature' "no legacy flag on a SHA-256 chain"
server_stop

echo "# bind_mac = no, bind_identity = no"
with_options unbound '	bind_mac = no
	bind_identity = no' || exit 1
eap_tls -m 02:00:00:00:00:09 -i someone-else lsc-new-rsa.pem lsc-new-rsa.key
expect_result accept "bind_mac = no and bind_identity = no: other MAC and identity accepted"
eapol_run "$IT_RUN/eapol.conf" -N "31:s:"
expect_result accept "bind_mac = no: missing Calling-Station-Id accepted"
server_stop

echo "# log_accepts = no: the log line for rejected phones, and for those a waiver let in, only"
with_options rejects-only '	log_accepts = no
	mic_expired = allow' || exit 1
eap_tls lsc-new-rsa.pem lsc-new-rsa.key
expect_result accept "log_accepts = no: LSC accepted"
expect_no_log 'phonecert: accept ' "log_accepts = no: no line for an accepted phone"
eap_tls mic-expired.pem mic-expired.key
expect_result accept "log_accepts = no, mic_expired = allow: expired MIC accepted"
expect_log 'phonecert: accept device=SEP00000A0B0C0D .*expired-mic=allowed' "log_accepts = no: a phone let in by a waiver still has its line"
eap_tls lsc-expired.pem lsc-expired.key
expect_result reject "log_accepts = no: expired LSC rejected in the handshake"
expect_log 'phonecert: reject .*type=LSC .*reason="certificate expired on ' "log_accepts = no: a handshake reject still has its line"
eap_tls -m 02:00:00:00:00:09 lsc-new-rsa.pem lsc-new-rsa.key
expect_result reject "log_accepts = no: another MAC rejected in post-auth"
expect_log 'phonecert: reject device=SEP2C3124C9F8E1 .*reason="MAC mismatch: certificate is for 2C-31-24-C9-F8-E1' "log_accepts = no: a post-auth reject still has its line"
server_stop

echo "# a resumed session is re-checked: the rotation window closes between resumptions"
# A few seconds: long enough for a full handshake and some resumptions (longer under valgrind).
until=$(date -u -d "+$((IT_EAPOL_SECONDS * 4 / 10)) seconds" +%Y-%m-%dT%H:%M:%SZ)
server_prepare window-closes "$(with_old_capf_until "$until")" && server_start || exit 1
# Resume again and again (bounded by count and eapol_test's -t) until one falls after the window.
eap_tls -r 2000 lsc-old-rsa.pem lsc-old-rsa.key
expect_result reject "resumed session after the window closed: rejected"
expect_log 'phonecert: accept device=SEP001122334455 .*anchor=demo-cluster-2021 .*session=resumed' "resumed sessions accepted inside the window"
expect_log "phonecert: reject device=SEP001122334455 .*anchor=demo-cluster-2021 .*session=resumed key=proven reason=\"outside the window of capf 'demo-cluster-2021': it accepted certificates until $until" "resumed session rejected with the window's reason"
server_stop

echo "# invalid option values stop the server at start-up"
for bad in 'mic = maybe' 'mic_expired = yes' 'mic_legacy_signatures = sure' 'bind_mac = perhaps' 'bind_identity = 2' \
	   'log_accepts = sometimes'; do
	server_prepare bad-option "$(phonecert_with_options "	$bad")"
	option=${bad%% =*}
	expect_check_refused "mods-enabled/phonecert\[[0-9]+\]: .*$option" "$bad refused at start-up, naming the option"
done

it_finish

#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# scripts/phonecert-test (radtest for phones) against the real freeradius with
# the demo raddb: its one-line answers, exit statuses and decoded reply
# attributes; radclient Status-Server; make install of the tool.
set -u
source "$(dirname "$0")/lib.sh"
it_init

TOOL=$IT_REPO/scripts/phonecert-test
VOICE='Cisco-AVPair="device-traffic-class=voice"'

# Runs phonecert-test against the test server with files of the test PKI.
# Sets PT_OUT (stdout), PT_ERR (stderr), PT_RC and IT_LOG (the server's log
# lines for this run).
pt() {
	local before=0
	[ -n "$IT_RUN" ] && [ -f "$IT_RUN/log/debug.log" ] && before=$(stat -c %s "$IT_RUN/log/debug.log")
	PT_OUT=$(cd "$IT_PKI" && timeout 60 "$TOOL" "$@" 2>"$IT_BUILD/it/phonecert-test.err")
	PT_RC=$?
	PT_ERR=$(cat "$IT_BUILD/it/phonecert-test.err")
	sleep 0.2
	IT_LOG=
	[ -n "$IT_RUN" ] && [ -f "$IT_RUN/log/debug.log" ] && IT_LOG=$(tail -c +"$((before + 1))" "$IT_RUN/log/debug.log")
}

# Against the running server (-p PORT first; later options may add to it).
pts() {
	pt -p "$IT_PORT" "$@"
}

expect_rc() {
	local want=$1 label=$2
	if [ "$PT_RC" -eq "$want" ]; then pass "$label: exit $want"
	else fail "$label: exit $PT_RC, expected $want (stdout: $PT_OUT; stderr: $(head -n 3 <<<"$PT_ERR"))"; fi
}

expect_line() {	# stdout is exactly one line matching the extended regex
	local pattern=$1 label=$2
	if [ "$(printf '%s\n' "$PT_OUT" | wc -l)" -eq 1 ] && grep -qE -- "$pattern" <<<"$PT_OUT"; then pass "$label"
	else fail "$label (stdout: '$PT_OUT', expected one line /$pattern/)"; fi
}

expect_contains() {	# stdout contains the fixed string
	local string=$1 label=$2
	if grep -qF -- "$string" <<<"$PT_OUT"; then pass "$label"; else fail "$label (no '$string' in '$PT_OUT')"; fi
}

expect_stderr() {
	local pattern=$1 label=$2
	if grep -qE -- "$pattern" <<<"$PT_ERR"; then pass "$label"; else fail "$label (stderr has no /$pattern/: $(head -n 3 <<<"$PT_ERR"))"; fi
}

mkdir -p "$IT_BUILD/it"

echo "# usage and setup errors"
pt --help
expect_rc 0 "--help"
if grep -q '^Usage: phonecert-test ' <<<"$PT_OUT" && grep -q -- '-L ' <<<"$PT_OUT"; then pass "--help shows the usage and documents -L"; else fail "--help text incomplete"; fi
pt
expect_rc 2 "no arguments"
expect_stderr 'expected CERT KEY \[CA\]' "no arguments: says what is expected"
pt no-such-phone.pem lsc-new-rsa.key server-ca.pem
expect_rc 2 "missing certificate file"
expect_stderr 'no-such-phone.pem: no such file' "missing file: the message names it"
if [ -z "$PT_OUT" ]; then pass "missing file: nothing on stdout"; else fail "missing file: stdout '$PT_OUT'"; fi
pt lsc-new-rsa.pem lsc-new-rsa.key no-such-ca.pem
expect_rc 2 "missing CA file"
pt lsc-new-rsa.key lsc-new-rsa.key
expect_rc 2 "a key given as the certificate"
expect_stderr 'not a certificate' "a key given as the certificate: says so"
pt -m 2c:31:24 lsc-new-rsa.pem lsc-new-rsa.key
expect_rc 2 "-m with a malformed MAC"
pt -p 70000 lsc-new-rsa.pem lsc-new-rsa.key
expect_rc 2 "-p out of range"

echo "# the demo server (freeradius with the demo raddb)"
server_prepare phonecert-test && server_start || exit 1

pts lsc-new-rsa.pem lsc-new-rsa.key server-ca.pem
expect_rc 0 "LSC phone"
expect_line '^Access-Accept( |$)' "LSC phone: one line, Access-Accept"
expect_contains "$VOICE" "LSC phone: the voice-domain Cisco-AVPair"
if grep -q 'Tunnel-' <<<"$PT_OUT"; then fail "LSC phone: unexpected VLAN ($PT_OUT)"; else pass "LSC phone: no VLAN"; fi
expect_log 'phonecert: accept device=SEP2C3124C9F8E1 mac=2C-31-24-C9-F8-E1 calling-station-id=2C-31-24-C9-F8-E1 .*type=LSC' "LSC phone: MAC and identity taken from the certificate's CN"
if [ -z "$PT_ERR" ]; then pass "LSC phone with a CA: nothing on stderr"; else fail "LSC phone: stderr '$PT_ERR'"; fi

pts mic.pem mic.key server-ca.pem
expect_rc 0 "MIC phone"
expect_line '^Access-Accept ' "MIC phone: Access-Accept"
expect_contains "$VOICE" "MIC phone: the voice-domain Cisco-AVPair"
expect_contains 'Tunnel-Private-Group-Id="phones-lsc-enrolment"' "MIC phone: Tunnel-Private-Group-Id as text"
expect_contains 'Tunnel-Type=VLAN Tunnel-Medium-Type=IEEE-802' "MIC phone: Tunnel-Type and Tunnel-Medium-Type by name"

pts lsc-other.pem lsc-other.key server-ca.pem
expect_rc 1 "the other cluster's LSC"
expect_line '^Access-Reject$' "the other cluster's LSC: Access-Reject"
expect_log 'phonecert: reject device=SEPB000B4BA0AEE .*LSC from another cluster' "the other cluster's LSC: the server says why"

pts -m 02:00:00:00:00:09 lsc-new-rsa.pem lsc-new-rsa.key server-ca.pem
expect_rc 1 "-m another MAC"
expect_line '^Access-Reject$' "-m another MAC: Access-Reject"
expect_log 'MAC mismatch: certificate is for 2C-31-24-C9-F8-E1, Calling-Station-Id is 02-00-00-00-00-09' "-m: the switch's Calling-Station-Id is the given MAC"

pts -m 2C-31-24-C9-F8-E1 lsc-new-rsa.pem lsc-new-rsa.key server-ca.pem
expect_rc 0 "-m the phone's MAC written AA-BB-CC-DD-EE-FF"

pts -i CP-8861-SEP001122334455 lsc-new-rsa.pem lsc-new-rsa.key server-ca.pem
expect_rc 1 "-i another phone's identity"
expect_log "identity mismatch: User-Name 'CP-8861-SEP001122334455'" "-i: the EAP identity is the given one"

# FreeRADIUS silently drops a request whose Message-Authenticator does not
# match the client's secret: a wrong secret is "No reply", not a reject.
pts -S wrong-secret -t 3 lsc-new-rsa.pem lsc-new-rsa.key server-ca.pem
expect_rc 2 "wrong secret"
expect_line "^No reply from 127\\.0\\.0\\.1:$IT_PORT\$" "wrong secret: No reply from the server"
expect_stderr 'secret' "wrong secret: the hint mentions the secret"
expect_log 'invalid Message-Authenticator.*[Ss]hared secret is incorrect' "wrong secret: the server dropped the request"

pts lsc-new-rsa.pem lsc-new-rsa.key
expect_rc 0 "without CA"
expect_stderr "no CA given: the server's certificate is not checked" "without CA: a warning on stderr"

pts lsc-new-rsa.pem lsc-new-rsa.key corp-ca.pem
expect_rc 1 "a CA that did not sign the server's certificate"
expect_stderr "the server's certificate does not verify against corp-ca.pem" "wrong CA: says the server's certificate failed"

pt -s localhost -p "$IT_PORT" lsc-new-rsa.pem lsc-new-rsa.key server-ca.pem
expect_rc 0 "-s with a host name"

pts -v lsc-new-rsa.pem lsc-new-rsa.key server-ca.pem
expect_rc 0 "-v"
expect_stderr 'RADIUS message: code=2 \(Access-Accept\)' "-v: eapol_test's full output on stderr"
expect_line '^Access-Accept ' "-v: stdout still one line"

echo "# a legacy SHA-1/RSA-1024 MIC"
pts mic-legacy.pem mic-legacy.key server-ca.pem
if client_loads_legacy_certs; then
	# OpenSSL 3.5 (Debian 13) loads it at eapol_test's security level: the server decides.
	expect_rc 1 "legacy MIC without -L: this eapol_test's OpenSSL loads the certificate, the server rejects it"
	expect_log 'phonecert: reject device=SEP000D0E0F1011 .*legacy algorithm' "legacy MIC without -L: the server rejected the chain"
else
	expect_rc 2 "legacy MIC without -L: eapol_test's OpenSSL refuses the certificate"
	expect_stderr 'Try -L' "legacy MIC without -L: suggests -L"
fi
pts -L mic-legacy.pem mic-legacy.key server-ca.pem
expect_rc 1 "legacy MIC with -L, mic_legacy_signatures = reject"
expect_log 'phonecert: reject device=SEP000D0E0F1011 .*legacy algorithm' "legacy MIC with -L: reached the server, which rejected the chain"

echo "# radclient: the server answers Status-Server (status_server = yes)"
status_out=$(echo "Message-Authenticator = 0x00" | timeout 20 radclient -x -r 1 -t 3 "127.0.0.1:$IT_PORT" status "$IT_SECRET" 2>&1)
status_rc=$?
if [ $status_rc -eq 0 ] && grep -q '^Received Access-Accept' <<<"$status_out"; then pass "radclient Status-Server: Access-Accept"
else fail "radclient Status-Server (exit $status_rc): $(tail -n 2 <<<"$status_out")"; fi
status_out=$(echo "Message-Authenticator = 0x00" | timeout 20 radclient -x -r 1 -t 2 "127.0.0.1:$IT_PORT" status wrong-secret 2>&1)
if ! grep -q '^Received Access-Accept' <<<"$status_out"; then pass "radclient Status-Server with a wrong secret: no answer"
else fail "radclient Status-Server answered a wrong secret"; fi
server_stop

echo "# mic_legacy_signatures = allow"
server_prepare phonecert-test-legacy "$(phonecert_with_options '	mic_legacy_signatures = allow')" && server_start || exit 1
pts -L mic-legacy.pem mic-legacy.key server-ca.pem
expect_rc 0 "legacy MIC with -L, mic_legacy_signatures = allow"
expect_contains "$VOICE" "legacy MIC: the voice-domain Cisco-AVPair"
server_stop

echo "# decoding: several AVPairs, Session-Timeout, Reply-Message, tagged tunnel attributes"
server_prepare phonecert-test-decode || exit 1
# This run's copy of the switch policy sends more for an LSC phone.
awk '{ print }
     /Cisco-AVPair \+= "device-traffic-class=voice"/ && !done {
	print "\t\t\t&Cisco-AVPair += \"subscriber:command=reauthenticate\""
	print "\t\t\t&Session-Timeout := 3600"
	print "\t\t\t&Reply-Message := \"Welcome, \\\"phone\\\"\""
	print "\t\t\t&Tunnel-Type:1 := VLAN"
	print "\t\t\t&Tunnel-Medium-Type:1 := IEEE-802"
	print "\t\t\t&Tunnel-Private-Group-Id:1 := \"voice 20\""
	done = 1 }' "$IT_REPO/raddb/policy.d/phonecert" > "$IT_RUN/raddb/policy.d/phonecert"
server_start || exit 1
pts lsc-new-rsa.pem lsc-new-rsa.key server-ca.pem
expect_rc 0 "decoding"
expect_contains "$VOICE Cisco-AVPair=\"subscriber:command=reauthenticate\"" "every Cisco-AVPair, in order"
expect_contains 'Session-Timeout=3600' "Session-Timeout"
expect_contains 'Reply-Message="Welcome, \"phone\""' "Reply-Message, quotes escaped"
expect_contains 'Tunnel-Type:1=VLAN Tunnel-Medium-Type:1=IEEE-802 Tunnel-Private-Group-Id:1="voice 20"' "tagged tunnel attributes"
server_stop

echo "# make install puts phonecert-test into \$(DESTDIR)\$(BINDIR)"
root=$IT_BUILD/it/phonecert-test-install
rm -rf "$root"
if make -s -C "$IT_REPO" install DESTDIR="$root" >"$IT_BUILD/it-phonecert-test-install.log" 2>&1; then
	if [ -x "$root/usr/local/bin/phonecert-test" ] && cmp -s "$root/usr/local/bin/phonecert-test" "$TOOL"; then pass "installed /usr/local/bin/phonecert-test (PREFIX /usr/local), executable"
	else fail "/usr/local/bin/phonecert-test not installed"; fi
else
	fail "make install failed: $(tail -n 3 "$IT_BUILD/it-phonecert-test-install.log")"
fi
rm -rf "$root"
if make -s -C "$IT_REPO" install DESTDIR="$root" BINDIR=/opt/phonecert/bin >/dev/null 2>&1 && [ -x "$root/opt/phonecert/bin/phonecert-test" ]; then
	pass "BINDIR=/opt/phonecert/bin honoured"
else
	fail "BINDIR=/opt/phonecert/bin not honoured"
fi

it_finish

#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The block list (block_file): phones blocked by MAC, device name or
# certificate serial are rejected in the handshake and on resumption, with
# the admin's comment as the reason; the file is read at start-up and on HUP,
# and a broken one is refused (at start-up) or keeps the old list (on HUP).
set -u
source "$(dirname "$0")/lib.sh"
it_init
IT_INVENTORY=0	# not about the inventory: its writer would replay requests into the log these checks read

BLOCKED() { echo "$IT_RUN/raddb/phonecert-blocked"; }

# radmin "hup phonecert", expecting the reload line (FreeRADIUS ignores a module HUP within 2 s of the last).
radmin_hup() {
	local label=$1 pattern=${2:-'rlm_phonecert \(phonecert\): reloaded'} before out
	sleep 3.2	# whole seconds: 2 s after the last HUP can be 2.9 s
	before=$(count_log "$pattern")
	out=$(timeout 10 radmin -f "$IT_RUN/run/control.sock" -e "hup phonecert" 2>&1)
	if wait_for_log "$pattern" "$before"; then pass "$label"; else fail "$label (no new /$pattern/; radmin: $out)"; fi
}

serial_of() { openssl x509 -in "$IT_PKI/$1" -noout -serial | sed 's/^serial=//'; }

server_prepare block "$(phonecert_with_options '	block_file = ${confdir}/phonecert-blocked')"
cat > "$(BLOCKED)" <<EOF2
# phones refused by the server
mac 2c:31:24:c9:f8:e1    # stolen from reception, ticket 4711
device SEP001122334455
serial demo-cluster-2025:$(serial_of lsc-new-ec.pem)   # certificate leaked
EOF2
server_start || exit 1
expect_log_file 'rlm_phonecert \(phonecert\): deciding .* with 3 anchor\(s\), 3 blocked' "the block list is read at start-up"

echo "# blocked in the handshake"
eap_tls lsc-new-rsa.pem lsc-new-rsa.key
expect_result reject "phone blocked by MAC (its LSC)"
expect_log 'Login incorrect \(phonecert: blocked: stolen from reception, ticket 4711\)' "the reason is the comment"
expect_log 'phonecert: reject device=SEP2C3124C9F8E1 .* reason="blocked: stolen from reception, ticket 4711' "logged as a reject"
eap_tls mic.pem mic.key
expect_result reject "the same phone's MIC is blocked by its MAC too"
eap_tls lsc-old-rsa.pem lsc-old-rsa.key
expect_result reject "phone blocked by device name"
expect_log 'phonecert: reject device=SEP001122334455 .* reason="blocked: device SEP001122334455 \(block_file line 3\)' "without a comment the reason names the entry and its line"
eap_tls lsc-new-ec.pem lsc-new-ec.key
expect_result reject "certificate blocked by anchor and serial"
expect_log 'reason="blocked: certificate leaked' "the serial entry's comment"
eap_tls -m 2c:31:24:c9:f8:e1 lsc-new-ec.pem lsc-new-ec.key
expect_result reject "a blocked MAC as Calling-Station-Id, whatever the certificate"
expect_log 'reason="blocked: stolen from reception' "the first matching entry decides (the MAC, line 2)"
eap_tls laptop.pem laptop.key
expect_result accept "non-phone certificates are not affected"

echo "# unblocked by a reload; a session established then is rejected on resumption once blocked again"
: > "$(BLOCKED)"
radmin_hup "radmin hup phonecert reads the emptied block list"
eap_tls lsc-new-rsa.pem lsc-new-rsa.key
expect_result accept "after unblocking, the phone is accepted"
sleep 3.2	# the next module HUP must not fall within 2 s of the last (whole seconds: up to 2.9 s)
before=$(count_log 'phonecert: accept device=SEP2C3124C9F8E1 .*session=resumed')
resume_in_background lsc-new-rsa.pem lsc-new-rsa.key
if wait_for_log 'phonecert: accept device=SEP2C3124C9F8E1 .*session=resumed' "$before"; then
	pass "the session resumes before the block"
else
	fail "the session did not resume"
fi
echo "mac 2C-31-24-C9-F8-E1 # blocked while its session lives" > "$(BLOCKED)"
out=$(timeout 10 radmin -f "$IT_RUN/run/control.sock" -e "hup phonecert" 2>&1)
if resumer_rejected; then pass "a resumption after block + HUP is rejected"; else fail "resumptions went on being accepted after the block"; fi
IT_LOG=$(cat "$IT_RUN/log/debug.log")
expect_log 'phonecert: reject device=SEP2C3124C9F8E1 .*session=resumed key=proven reason="blocked: blocked while its session lives' "the resumed session is rejected with the block reason"
grep -q 'resumed=1' "$IT_RUN/resume.out" && pass "eapol_test did resume the TLS session" || fail "eapol_test never resumed"

echo "# SIGHUP (systemctl reload) reads the edited block list too"
sleep 5.5	# FreeRADIUS ignores a SIGHUP within 5 s of the last HUP
echo "device SEP001122334455 # lost" > "$(BLOCKED)"
before=$(count_log 'rlm_phonecert \(phonecert\): reloaded: .* 1 blocked')
kill -HUP "$IT_SERVER_PID"
if wait_for_log 'rlm_phonecert \(phonecert\): reloaded: .* 1 blocked' "$before"; then pass "SIGHUP reloads the changed block list"; else fail "SIGHUP did not reload the block list"; fi
eap_tls lsc-old-rsa.pem lsc-old-rsa.key
expect_result reject "after SIGHUP: the newly blocked phone is rejected"
expect_log 'reason="blocked: lost' "with its comment"
eap_tls lsc-new-rsa.pem lsc-new-rsa.key
expect_result accept "after SIGHUP: the phone no longer listed is accepted"

echo "# a broken block list on HUP keeps the old one"
printf 'mac 2C-31-24-C9-F8-E1\nmca 00-11-22-33-44-55 # typo\n' > "$(BLOCKED)"
radmin_hup "a broken block list is refused on HUP" 'HUP failed for module "phonecert"'
expect_log_file "block_file .*phonecert-blocked\[2\]: unknown entry 'mca': expected mac, device or serial" "the refusal names the file, the line and the problem"
eap_tls lsc-old-rsa.pem lsc-old-rsa.key
expect_result reject "the old block list stays in force"
eap_tls lsc-new-rsa.pem lsc-new-rsa.key
expect_result accept "phones not on the old list are accepted"
server_stop

echo "# a broken block list stops the server at start-up"
printf 'mac 2C-31-24-C9-F8-E1 extra words\n' > "$(BLOCKED)"
expect_check_refused "mods-enabled/phonecert\[[0-9]*\]: block_file .*phonecert-blocked\[1\]: unexpected text after the entry: 'extra'" \
	"a broken block list is refused at start-up, naming file[line]"

it_finish

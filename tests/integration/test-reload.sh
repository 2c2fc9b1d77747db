#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Reload without restart: radmin "hup phonecert" re-reads the anchors' files,
# SIGHUP re-reads an edited configuration; a broken reload changes nothing.
set -u
source "$(dirname "$0")/lib.sh"
it_init
IT_INVENTORY=0	# not about the inventory: its writer would replay requests into the log these checks read

conf() { echo "$IT_RUN/raddb/mods-enabled/phonecert"; }

# FreeRADIUS ignores a SIGHUP within 5 s of the last one, a module HUP within 2 s (or of start-up).
pause_for_hup() { sleep 6; }

# Send SIGHUP and expect one more log line matching $1 (bounded wait).
sighup_expect() {
	local pattern=$1 label=$2 before
	before=$(count_log "$pattern")
	kill -HUP "$IT_SERVER_PID"
	if wait_for_log "$pattern" "$before"; then pass "$label"; else fail "$label (no new /$pattern/ in the log)"; fi
}

server_prepare reload
# The configuration file is edited in place below: make it a file, not the shipped symlink.
cp --remove-destination "$IT_REPO/raddb/mods-available/phonecert" "$(conf)"
cp "$IT_PKI/capf-other.pem" "$IT_RUN/raddb/certs/phonecert/capf-other.pem"
server_start || exit 1

eap_tls lsc-other.pem lsc-other.key
expect_result reject "before any reload: the other cluster's LSC is rejected"

echo "# radmin hup phonecert: the files are read again"
pause_for_hup
# The previous CAPF's file now holds the other cluster's CAPF (a re-keyed CA put in place).
cp "$IT_RUN/raddb/certs/phonecert/capf-other.pem" "$IT_RUN/raddb/certs/phonecert/capf-old.pem"
before=$(count_log 'rlm_phonecert \(phonecert\): reloaded')
out=$(timeout 10 radmin -f "$IT_RUN/run/control.sock" -e "hup phonecert" 2>&1)
if wait_for_log 'rlm_phonecert \(phonecert\): reloaded' "$before"; then pass "radmin hup phonecert reloads the module"; else fail "radmin hup phonecert did not reload ($out)"; fi
eap_tls lsc-other.pem lsc-other.key
expect_result accept "after radmin hup: the CAPF now in the file is trusted"
expect_log 'Phonecert-Anchor := "demo-cluster-2021"' "under the anchor whose file changed"
eap_tls lsc-old-rsa.pem lsc-old-rsa.key
expect_result reject "after radmin hup: the CAPF no longer in the file is not"
eap_tls lsc-new-rsa.pem lsc-new-rsa.key
expect_result accept "after radmin hup: the other anchors are unchanged"

echo "# SIGHUP after editing the configuration: a CAPF rotated in, with a window, and log_accepts = no"
pause_for_hup
cp "$IT_PKI/capf-old.pem" "$IT_RUN/raddb/certs/phonecert/capf-old.pem"
sed -i 's|^\tmanufacturing {|\tcapf rotated-in {\n\t\tca_file = ${certdir}/phonecert/capf-other.pem\n\t\taccept_from = "2020-01-01T00:00:00Z"\n\t}\n\n\tmanufacturing {|' "$(conf)"
sed -i 's|\tcapf demo-cluster-2021 {|\tcapf previous {|' "$(conf)"
eap_tls lsc-new-rsa.pem lsc-new-rsa.key
expect_log 'phonecert: accept device=SEP2C3124C9F8E1 ' "before SIGHUP: an accepted phone has its log line"
sed -i 's|^\(\ttls_config = .*\)|\1\n\tlog_accepts = no|' "$(conf)"
sighup_expect 'rlm_phonecert \(phonecert\): reloaded' "SIGHUP reloads the edited configuration"
eap_tls lsc-other.pem lsc-other.key
expect_result accept "after SIGHUP: the rotated-in CAPF is trusted"
expect_log 'Phonecert-Anchor := "rotated-in"' "under its new section"
expect_no_log 'phonecert: accept ' "after SIGHUP: log_accepts = no is in force"
eap_tls lsc-old-rsa.pem lsc-old-rsa.key
expect_result accept "after SIGHUP: the previous CAPF, renamed, is trusted again from its file"
expect_log 'Phonecert-Anchor := "previous"' "under its new name"

echo "# a broken configuration on SIGHUP keeps the old trust in force"
pause_for_hup
sed -i 's|capf-other.pem|capf-missing.pem|' "$(conf)"
sighup_expect 'HUP failed for module "phonecert"' "a broken reload is refused"
expect_log_file "capf 'rotated-in': cannot read ca_file .*capf-missing.pem: No such file or directory" "the refusal names the file and the problem"
eap_tls lsc-other.pem lsc-other.key
expect_result accept "after the broken reload: the old trust set is still in force"
eap_tls lsc-new-rsa.pem lsc-new-rsa.key
expect_result accept "after the broken reload: phones still authenticate"

echo "# a broken date on SIGHUP keeps the old trust in force"
pause_for_hup
sed -i 's|capf-missing.pem|capf-other.pem|; s|accept_from = "2020-01-01T00:00:00Z"|accept_from = "next monday"|' "$(conf)"
sighup_expect 'HUP failed for module "phonecert"' "a reload with a bad date is refused"
expect_log_file "capf 'rotated-in': accept_from = \"next monday\" is not an RFC 3339 UTC time" "the refusal names the option and the value"
eap_tls lsc-other.pem lsc-other.key
expect_result accept "after the refused reload: the old trust set is still in force"

echo "# a section inside an anchor section on SIGHUP: refused, not ignored"
pause_for_hup
sed -i 's|accept_from = "next monday"|rotation {\n\t\t\taccept_until = "2021-01-01T00:00:00Z"\n\t\t}|' "$(conf)"
sighup_expect 'HUP failed for module "phonecert"' "a reload with a section in a capf section is refused"
expect_log_file "mods-enabled/phonecert\[[0-9]+\]: Unknown section 'rotation' in capf 'rotated-in': it takes options only" \
	"the refusal names the file, the line, the section and where it is"
eap_tls lsc-other.pem lsc-other.key
expect_result accept "after the refused reload: the old trust set is still in force"

server_stop

# A phone resumes its TLS session of an LSC of demo-cluster-2021 again and
# again (in the background, bounded by count and eapol_test's -t) while $1
# (a command) replaces the CA certificate of that anchor: the first
# resumption after the reload must be refused, naming the reason.
resume_across_reload() {
	local change=$1 label=$2 before rc
	eap_tls_conf "$IT_RUN/resume.conf" "$IT_PKI/lsc-old-rsa.pem" "$IT_PKI/lsc-old-rsa.key"
	before=$(stat -c %s "$IT_RUN/log/debug.log")
	timeout $((IT_EAPOL_SECONDS * 3 + 20)) eapol_test -c "$IT_RUN/resume.conf" -a 127.0.0.1 -p "$IT_PORT" \
		-s "$IT_SECRET" -t $((IT_EAPOL_SECONDS * 3)) -M 00:11:22:33:44:55 -r 100000 >"$IT_RUN/resume.out" 2>&1 &
	local eapol=$!
	pause_for_hup
	$change
	wait "$eapol"; rc=$?
	sleep 0.2
	IT_LOG=$(tail -c +"$((before + 1))" "$IT_RUN/log/debug.log")
	if [ "$rc" -ne 0 ]; then pass "$label: the resumption after the reload is refused"; else fail "$label: every resumption accepted"; fi
	expect_log 'phonecert: accept device=SEP001122334455 .*anchor=demo-cluster-2021 .*session=resumed' "$label: resumed sessions accepted before"
	expect_log "phonecert: reject device=SEP001122334455 .*anchor=demo-cluster-2021 .*session=resumed key=proven reason=\"signer no longer trusted: capf 'demo-cluster-2021' does not hold the CA certificate that verified this certificate \(SHA-256 [0-9a-f]{16}\)" \
		"$label: the resumption is refused because the signer is gone"
	eap_tls lsc-old-rsa.pem lsc-old-rsa.key
	expect_result reject "$label: a fresh handshake with that LSC is rejected, as before"
	expect_log 'phonecert: reject device=SEP001122334455 .*session=full key=unproven reason="signature not verified' "$label: by its signature"
	eap_tls -r 2 lsc-new-rsa.pem lsc-new-rsa.key
	expect_result accept "$label: another anchor's phone still authenticates and resumes"
	expect_log 'phonecert: accept device=SEP2C3124C9F8E1 .*session=resumed' "$label: its session resumed"
}

swap_file_and_radmin_hup() {
	local before out
	cp "$IT_PKI/capf-other.pem" "$IT_RUN/raddb/certs/phonecert/capf-old.pem"
	before=$(count_log 'rlm_phonecert \(phonecert\): reloaded')
	out=$(timeout 10 radmin -f "$IT_RUN/run/control.sock" -e "hup phonecert" 2>&1)
	wait_for_log 'rlm_phonecert \(phonecert\): reloaded' "$before" || echo "# radmin hup did not reload: $out"
}

edit_ca_file_and_sighup() {
	local before
	sed -i 's|capf-old.pem|capf-other.pem|' "$(conf)"
	before=$(count_log 'rlm_phonecert \(phonecert\): reloaded')
	kill -HUP "$IT_SERVER_PID"
	wait_for_log 'rlm_phonecert \(phonecert\): reloaded' "$before" || echo "# SIGHUP did not reload"
}

echo "# a resumed session is bound to the CA certificate that verified it: ca_file replaced in place, radmin hup"
server_prepare reload-resume
cp "$IT_PKI/capf-other.pem" "$IT_RUN/raddb/certs/phonecert/capf-other.pem"
server_start || exit 1
resume_across_reload swap_file_and_radmin_hup "radmin hup"
server_stop

echo "# the same with SIGHUP after ca_file was pointed at another CA"
server_prepare reload-resume-sighup
cp --remove-destination "$IT_REPO/raddb/mods-available/phonecert" "$(conf)"
cp "$IT_PKI/capf-other.pem" "$IT_RUN/raddb/certs/phonecert/capf-other.pem"
server_start || exit 1
resume_across_reload edit_ca_file_and_sighup "SIGHUP"
server_stop

it_finish

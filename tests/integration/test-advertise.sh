#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The CA names of the TLS CertificateRequest: an anchor with advertise = no
# adds none of its names, and its phones still authenticate (a phone sends its
# certificate whatever names it is offered). The real freeradius, the real
# eapol_test; what the server sends is read from eapol_test's RADIUS trace.
set -u
source "$(dirname "$0")/lib.sh"
it_init
IT_INVENTORY=0

# An external CA whose bundle also holds enough long-named CAs to overflow the
# installed FreeRADIUS' TLS record (a CA migrating, many intermediates...).
big=$IT_OPEN/ext-ca-with-many-names.pem
names=$(ca_names_overflow "$IT_OPEN/many-names.pem")
cat "$IT_PKI/ext-ca.pem" "$IT_OPEN/many-names.pem" > "$big"

phonecert_conf() {	# $1: the lsc_ca section's ca_file, $2: its extra option
	cat <<EOF
phonecert {
	eap = eap
	tls_config = tls-common
	capf new {
		ca_file = \${certdir}/phonecert/capf-new.pem
	}
	lsc_ca example-corp {
		ca_file = $1
		$2
	}
	manufacturing {
		ca_file = \${certdir}/phonecert/manufacturing.pem
	}
}
EOF
}

# How many Access-Challenges the last authentication took: one per EAP fragment the server sent.
challenges() { grep -c 'code=11 (Access-Challenge)' <<<"$IT_EAPOL_OUT"; }

max_record=$(fr_max_record_size)

echo "# the external CA's bundle alone: the reference handshake"
server_prepare advertise-small "$(phonecert_conf "\${certdir}/phonecert/ext-ca.pem" "")" && server_start || exit 1
eap_tls lsc-ext.pem lsc-ext.key
expect_result accept "LSC of the external CA, its name advertised"
small=$(challenges)
server_stop

echo "# $names more long CA names in the external CA's bundle, advertised"
server_prepare advertise-big "$(phonecert_conf "$big" "")"
expect_check_refused "mods-enabled/phonecert\[[0-9]+\]: eap tls-config tls-common would send [0-9]+ CA names .* more than the $max_record FreeRADIUS can send.* or set advertise = no in anchor sections whose phones do not choose their certificate by CA name$" \
	"$names more CA names than FreeRADIUS $(fr_version)'s $max_record-byte record holds: start-up refused, naming advertise = no"

echo "# the same bundle with advertise = no"
server_prepare advertise-no "$(phonecert_conf "$big" "advertise = no")"
server_check
if grep -q 'Configuration appears to be OK' <<<"$IT_CHECK_OUT"; then pass "advertise = no: the configuration starts"
else fail "advertise = no: refused:"; tail -n 3 <<<"$IT_CHECK_OUT" | sed 's/^/#   /'; fi
server_start || exit 1
eap_tls lsc-ext.pem lsc-ext.key
expect_result accept "LSC of the unadvertised external CA"
expect_log 'phonecert: accept .* type=LSC anchor=example-corp ' "decided by the unadvertised anchor"
if [ "$(challenges)" -eq "$small" ]; then
	pass "none of the unadvertised anchor's $((names + 1)) names was sent: $small Access-Challenges, as with none of the extra names configured"
else
	fail "advertise = no: $(challenges) Access-Challenges, against $small without the extra names"
fi
eap_tls lsc-new-rsa.pem lsc-new-rsa.key
expect_result accept "LSC of an advertised CAPF beside it"
eap_tls mic.pem mic.key
expect_result accept "MIC beside it"
eap_tls lsc-other.pem lsc-other.key
expect_result reject "LSC of a CAPF no anchor holds: trust is still by signature"

# The phonecert tool counts the names the server sends with the same code:
# eap's ca_file, capf-new, the manufacturing root and CA; none of the external CA's.
lint_names() {	# RADDB: the CA names lint counts in the CertificateRequest, and its errors
	"$IT_BUILD/phonecert" lint --json "$1" 2>/dev/null | /usr/bin/python3 -c '
import json, sys
report = json.load(sys.stdin)
errors = [f["message"] for f in report["findings"] if f["severity"] == "error"]
print(report["certificate_request"]["ca_names"], len(errors))'
}
advertised=$(lint_names "$IT_BUILD/it/advertise-small/raddb")
unadvertised=$(lint_names "$IT_RUN/raddb")
if [ "$unadvertised" = "$(( ${advertised% *} - 1 )) 0" ]; then
	pass "phonecert lint: ${unadvertised% *} CA names with advertise = no (${advertised% *} when the external CA is advertised), no error"
else
	fail "phonecert lint: 'names errors' $unadvertised with advertise = no, $advertised advertised"
fi

it_finish

#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# EAP-TLS handshakes decided by phonecert: the real freeradius with the
# shipped raddb, the real eapol_test, the project's test PKI.
set -u
source "$(dirname "$0")/lib.sh"
it_init
IT_INVENTORY=0	# not about the inventory: its writer would replay requests into the log these checks read

# phonecert configurations besides the shipped one (which has capf
# demo-cluster-2025 = capf-new, capf demo-cluster-2021 = capf-old until 2030).
phonecert_conf() {	# $1: the capf sections, $2: extra sections (optional)
	cat <<EOF2
phonecert {
	eap = eap
	tls_config = tls-common
$1
	manufacturing {
		ca_file = \${certdir}/phonecert/manufacturing.pem
	}
${2:-}
}
EOF2
}
OLD_FIRST=$(phonecert_conf '
	capf old { 
		ca_file = ${certdir}/phonecert/capf-old.pem
		accept_until = "2030-01-01T00:00:00Z"
	}
	capf new {
		ca_file = ${certdir}/phonecert/capf-new.pem
	}')
WINDOW_CLOSED=$(phonecert_conf '
	capf new {
		ca_file = ${certdir}/phonecert/capf-new.pem
	}
	capf old {
		ca_file = ${certdir}/phonecert/capf-old.pem
		accept_until = "2024-06-30T00:00:00Z"
	}')
NOT_YET_OPEN=$(phonecert_conf '
	capf future {
		ca_file = ${certdir}/phonecert/capf-new.pem
		accept_from = "2099-01-01T00:00:00Z"
	}')
WITH_LSC_CA=$(phonecert_conf '
	capf new {
		ca_file = ${certdir}/phonecert/capf-new.pem
	}' '
	lsc_ca example-corp {
		ca_file = ${certdir}/phonecert/ext-ca.pem
	}')
WITH_LSC_CA_CRL=$(phonecert_conf '
	capf new {
		ca_file = ${certdir}/phonecert/capf-new.pem
	}' '
	lsc_ca example-corp {
		ca_file = ${certdir}/phonecert/ext-ca.pem
		crl_file = ${certdir}/phonecert/ext-ca.crl.pem
	}')

echo "# shipped configuration: current and previous CAPF, manufacturing"
server_prepare shipped && server_start || exit 1

eap_tls lsc-new-rsa.pem lsc-new-rsa.key
expect_result accept "LSC (RSA) from the current CAPF"
expect_log 'caching Phonecert-Certificate-Type := "LSC"' "cached with the TLS session: Phonecert-Certificate-Type"
expect_log 'caching Phonecert-Anchor := "demo-cluster-2025"' "cached with the TLS session: Phonecert-Anchor"
expect_log 'caching Phonecert-Device-Name := "SEP2C3124C9F8E1"' "cached with the TLS session: Phonecert-Device-Name"
expect_log 'caching Phonecert-MAC := "2C-31-24-C9-F8-E1"' "cached with the TLS session: Phonecert-MAC"
expect_log 'caching Phonecert-Model := "CP-8861"' "cached with the TLS session: Phonecert-Model"
expect_log 'caching Phonecert-Serial-Number := "FCH2133E8B9"' "cached with the TLS session: Phonecert-Serial-Number"
expect_no_log 'Phonecert-Anchor-Accept-Until' "no Accept-Until for an anchor without window"
expect_log 'phonecert: accept device=SEP2C3124C9F8E1 mac=2C-31-24-C9-F8-E1 .* type=LSC anchor=demo-cluster-2025 ' "post-auth sees the attributes"

eap_tls lsc-new-ec.pem lsc-new-ec.key
expect_result accept "LSC (ECDSA P-256) from the current CAPF"
expect_log 'Phonecert-Device-Name := "SEP00AABBCCDDEE"' "ECDSA LSC identity parsed"

eap_tls lsc-old-rsa.pem lsc-old-rsa.key
expect_result accept "LSC from the previous CAPF (same DN) inside its window"
expect_log 'Phonecert-Anchor := "demo-cluster-2021"' "previous-CAPF LSC verified by the old anchor"
expect_log 'Phonecert-Anchor-Accept-Until := "2030-01-01T00:00:00Z"' "Phonecert-Anchor-Accept-Until set"

eap_tls lsc-other.pem lsc-other.key
expect_result reject "LSC from a CAPF that is not configured (other cluster)"
expect_log 'Login incorrect \(phonecert: LSC from another cluster: issuer CAPF-a7fb32bf is not a configured CAPF\)' "reason names the other cluster's CAPF"
expect_log 'delete its LSC' "log line tells the admin what to do"

eap_tls mic.pem mic.key
expect_result accept "MIC from the manufacturing CA"
expect_log 'Phonecert-Certificate-Type := "MIC"' "MIC classified"
expect_log 'Phonecert-Anchor := "manufacturing"' "MIC anchor is manufacturing"
expect_log 'Phonecert-PID := "CP-8861"' "MIC PID parsed from serialNumber"

eap_tls mic-chain.pem mic.key
expect_result accept "MIC sent with its intermediate"

eap_tls mic-expired.pem mic-expired.key
expect_result reject "expired MIC"
expect_log 'Login incorrect \(phonecert: certificate expired on 2025-01-01T00:00:00Z\)' "reason says expired, with the date"
expect_log 'phonecert: reject device=SEP00000A0B0C0D .* type=MIC anchor=manufacturing .* reason="certificate expired on 2025-01-01T00:00:00Z' "log line names the type and the phone"

eap_tls lsc-expired.pem lsc-expired.key
expect_result reject "expired LSC"
expect_log 'phonecert: certificate expired on 2021-01-01T00:00:00Z' "expired LSC reason"

eap_tls forged-capf.pem forged-capf.key
expect_result reject "self-signed certificate forged with the CAPF's exact DN"
expect_log 'phonecert: signature not verified: no key of the anchors named CAPF-0992727f' "forgery reason"

eap_tls forged-lsc.pem forged-lsc.key
expect_result reject "LSC signed by a forged CAPF with the real CAPF's DN"
expect_log 'phonecert: signature not verified' "forged LSC reason"

eap_tls lsc-noclient.pem lsc-noclient.key
expect_result reject "LSC without clientAuth"
expect_log 'phonecert: not a client certificate' "not-a-client-certificate reason"

eap_tls lsc-ext.pem lsc-ext.key
expect_result reject "LSC from an external CA that is not configured"
expect_log 'phonecert: unknown issuer Example Phone Issuing CA' "unknown issuer reason"

eap_tls laptop.pem laptop.key
expect_result accept "non-phone client certificate trusted by eap's own ca_file"
expect_log 'is not a phone certificate, leaving it to eap' "phonecert leaves the laptop to eap"
if grep -E 'Phonecert-[A-Za-z-]+ :=' <<<"$IT_LOG" | grep -vq 'Phonecert-Decided := not-phone'; then
	fail "no phone attributes for a laptop (some in the server log)"
else
	pass "no phone attributes for a laptop"
fi
expect_log 'Phonecert-Decided := not-phone' "only the mark that phonecert decided it (cached with its session)"

eap_md5 demo-user demo-password
expect_result accept "EAP-MD5 user unaffected"
eap_md5 demo-user wrong-password
expect_result reject "EAP-MD5 wrong password still rejected"
server_stop

echo "# check-eap-tls turned on: per-certificate policy reads Phonecert-*"
server_prepare check-eap-tls
if check_eap_tls_on; then
	pass "the shipped eap names check-eap-tls in a comment, ready to uncomment"
else
	fail "no commented virtual_server = check-eap-tls in the shipped mods-available/eap"
fi
# One phone refused by what phonecert recorded of it; every other certificate goes on.
cat > "$IT_RUN/raddb/sites-available/check-eap-tls" <<'EOF2'
server check-eap-tls {
	authorize {
		if (&Phonecert-Device-Name == "SEP2C3124C9F8E1") {
			update reply {
				&Reply-Message := "check-eap-tls refused %{Phonecert-Certificate-Type} %{Phonecert-Model} %{Phonecert-MAC} of %{Phonecert-Anchor}"
			}
			update config {
				&Auth-Type := Reject
			}
		}
		else {
			update config {
				&Auth-Type := Accept
			}
		}
	}
}
EOF2
server_start || exit 1

eap_tls lsc-new-rsa.pem lsc-new-rsa.key
expect_result reject "check-eap-tls refuses the phone its policy names"
expect_log 'check-eap-tls refused LSC CP-8861 2C-31-24-C9-F8-E1 of demo-cluster-2025' \
	"check-eap-tls sees Phonecert-Certificate-Type, -Model, -MAC and -Anchor"
expect_log 'Certificate rejected by the virtual server' "eap ends the handshake on check-eap-tls' reject"
expect_log 'phonecert: reject device=SEP2C3124C9F8E1 ' "phonecert logs the phone check-eap-tls refused"

eap_tls lsc-new-ec.pem lsc-new-ec.key
expect_result accept "check-eap-tls lets the other phones through"
expect_log 'Validating certificate' "check-eap-tls ran for it"
expect_log 'phonecert: accept device=SEP00AABBCCDDEE ' "phonecert logs it accepted"
server_stop

echo "# previous CAPF configured first: order does not matter"
server_prepare old-first "$OLD_FIRST" && server_start || exit 1
eap_tls lsc-new-rsa.pem lsc-new-rsa.key
expect_result accept "LSC from the current CAPF, old CAPF listed first"
expect_log 'Phonecert-Anchor := "new"' "verified by the new anchor"
eap_tls lsc-old-rsa.pem lsc-old-rsa.key
expect_result accept "LSC from the previous CAPF, old CAPF listed first"
expect_log 'Phonecert-Anchor := "old"' "verified by the old anchor"
server_stop

echo "# rotation window closed; eap's own ca_file also trusts the old CAPF"
server_prepare window-closed "$WINDOW_CLOSED"
# A phone certificate must never fall through to eap's weaker check.
cat "$IT_PKI/capf-old.pem" >> "$IT_RUN/raddb/certs/eap-ca.pem"
server_start || exit 1
eap_tls lsc-old-rsa.pem lsc-old-rsa.key
expect_result reject "LSC from the previous CAPF after its window"
expect_log "Login incorrect \(phonecert: outside the window of capf 'old': it accepted certificates until 2024-06-30T00:00:00Z\)" "reason names the anchor and the date"
expect_log 'phonecert: reject device=SEP001122334455 .* type=LSC anchor=old ' "reject log line names the anchor"
eap_tls lsc-new-rsa.pem lsc-new-rsa.key
expect_result accept "LSC from the current CAPF still accepted"
server_stop

echo "# window not open yet"
server_prepare not-yet-open "$NOT_YET_OPEN" && server_start || exit 1
eap_tls lsc-new-rsa.pem lsc-new-rsa.key
expect_result reject "LSC before its anchor's accept_from"
expect_log "phonecert: outside the window of capf 'future': it accepts certificates from 2099-01-01T00:00:00Z" "reason names accept_from"
server_stop

echo "# external LSC CA (CAPF online/offline CA mode)"
server_prepare lsc-ca "$WITH_LSC_CA" && server_start || exit 1
eap_tls lsc-ext.pem lsc-ext.key
expect_result accept "LSC issued by a configured lsc_ca"
expect_log 'Phonecert-Anchor := "example-corp"' "lsc_ca anchor recorded"
expect_log 'Phonecert-Certificate-Type := "LSC"' "lsc_ca certificate is an LSC"
eap_tls lsc-ext-revoked.pem lsc-ext-revoked.key
expect_result accept "without a crl_file the external CA's revocations are not known"
server_stop

echo "# external LSC CA with its CRL (crl_file): CAPF and MIC phones unaffected"
server_prepare lsc-ca-crl "$WITH_LSC_CA_CRL"
cp "$IT_PKI/ext-ca.crl.pem" "$IT_RUN/raddb/certs/phonecert/"
server_start || exit 1
eap_tls lsc-ext-revoked.pem lsc-ext-revoked.key
expect_result reject "LSC revoked in the lsc_ca's CRL"
revoked_serial=$(openssl x509 -in "$IT_PKI/lsc-ext-revoked.pem" -noout -serial | sed 's/^serial=//' | tr 'A-F' 'a-f')
expect_log "Login incorrect \(phonecert: certificate revoked: serial ${revoked_serial} is in the CRL of lsc_ca 'example-corp'\)" "the reason says revoked, with the serial and the anchor"
expect_log "phonecert: reject device=SEP112233445577 .* anchor=example-corp .* reason=\"certificate revoked" "logged as a reject"
eap_tls lsc-ext.pem lsc-ext.key
expect_result accept "LSC of the same CA, not revoked"
eap_tls lsc-new-rsa.pem lsc-new-rsa.key
expect_result accept "CAPF LSC (its CA publishes no CRL) still accepted"
eap_tls mic.pem mic.key
expect_result accept "MIC (the manufacturing CAs publish no CRL) still accepted"
server_stop

echo "# a CRL published while a session lives: its resumptions are rejected"
server_prepare lsc-ca-crl-update "$WITH_LSC_CA_CRL"
cp "$IT_PKI/ext-ca-empty.crl.pem" "$IT_RUN/raddb/certs/phonecert/ext-ca.crl.pem"
server_start || exit 1
sleep 3.2	# FreeRADIUS ignores a module HUP within 2 s of start-up, in whole seconds (up to 2.9 s)
before=$(count_log 'phonecert: accept device=SEP112233445577 .*session=resumed')
resume_in_background lsc-ext-revoked.pem lsc-ext-revoked.key
if wait_for_log 'phonecert: accept device=SEP112233445577 .*session=resumed' "$before"; then
	pass "before the CRL revokes it, the session resumes"
else
	fail "the session did not resume"
fi
cp "$IT_PKI/ext-ca.crl.pem" "$IT_RUN/raddb/certs/phonecert/ext-ca.crl.pem"
out=$(timeout 10 radmin -f "$IT_RUN/run/control.sock" -e "hup phonecert" 2>&1)
if resumer_rejected; then pass "a resumption after the new CRL (radmin hup phonecert) is rejected"
else fail "resumptions went on being accepted after the CRL revoked the certificate ($out)"; fi
IT_LOG=$(cat "$IT_RUN/log/debug.log")
expect_log "phonecert: reject device=SEP112233445577 .*session=resumed key=proven reason=\"certificate revoked: serial ${revoked_serial} is in the CRL of lsc_ca 'example-corp'" "with the revocation as reason"
server_stop

echo "# eap's own check_crl = yes: every phone certificate needs a CRL"
server_prepare eap-check-crl "$WITH_LSC_CA_CRL"
cp "$IT_PKI/ext-ca.crl.pem" "$IT_RUN/raddb/certs/phonecert/"
sed -i 's|^\(\t*\)ca_file = ${certdir}/eap-ca.pem|&\n\1check_crl = yes|' "$IT_RUN/raddb/mods-enabled/eap"
server_start || exit 1
eap_tls lsc-new-rsa.pem lsc-new-rsa.key
expect_result reject "CAPF LSC with eap's check_crl = yes"
expect_log "phonecert: CRL check failed for capf 'new', which has no crl_file" "the reason names the anchor without a CRL"
expect_log "set check_crl = no in eap's tls-config" "the advice says what to change"
eap_tls mic.pem mic.key
expect_result reject "MIC with eap's check_crl = yes"
eap_tls lsc-ext.pem lsc-ext.key
expect_result accept "LSC of the lsc_ca with a crl_file still accepted"
server_stop

it_finish

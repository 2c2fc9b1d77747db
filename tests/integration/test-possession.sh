#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Possession before record. A phone's certificate is public (TLS 1.2 sends it
# in the clear), so whoever saw it can present it; only the TLS handshake's
# CertificateVerify proves that the client holds its key, and that comes after
# phonecert decided on the certificate. The MIC phone holds an LSC from the
# retiring CAPF, so the rotation report says the old CAPF is NOT safe to
# remove; an outsider then presents the phone's genuine MIC with a key that
# only shares its public half (mic-replayed): under a MAC mismatch, under
# mic = deny, and with the phone's own MAC. None of it may touch the phone's
# row, its days or the verdict; the phone's own MIC, with its key, does.
set -u
source "$(dirname "$0")/lib.sh"
it_init

PHONECERT=$IT_BUILD/phonecert
VICTIM_MAC=2c:31:24:c9:f8:e1
OLD=demo-cluster-2021
sql() { sqlite3 -separator '|' "$DB" "$1"; }
expect_sql() {	# query, expected output, label
	local got
	got=$(sql "$1" 2>&1)
	if [ "$got" = "$2" ]; then pass "$3"; else fail "$3: expected '$2', got '$got'"; fi
}
PHONE_ROW="SELECT cert_type, anchor, last_result FROM phonecert_phone WHERE mac = '2C-31-24-C9-F8-E1'"
PHONE_DAYS="SELECT anchor, result, authentications FROM phonecert_phone_day WHERE mac = '2C-31-24-C9-F8-E1' ORDER BY anchor, result"

# The rotation verdict on the old CAPF: exit status 1 while a phone uses it, 0 once none does.
expect_verdict() {	# STATUS LABEL
	local out rc
	out=$("$PHONECERT" report --db "sqlite:$DB" --config "$IT_RUN/raddb" 2>&1); rc=$?
	if [ "$rc" = "$1" ]; then pass "$2 (report exit $rc)"
	else fail "$2: report exit $rc, expected $1"; sed 's/^/#   /' <<<"$out" | tail -n 5; fi
}

start() {	# NAME [PHONECERT OPTIONS]
	server_prepare "$1" "$(phonecert_with_options "${2:-}")" && inventory_write_every_authentication &&
		server_start || exit 1
	DB=$IT_RUN/db/phonecert-inventory.sqlite
}

echo "# the victim: the MIC phone, still on its LSC from the retiring CAPF"
start possession
eap_tls lsc-old-2c.pem lsc-old-2c.key
expect_result accept "the phone's LSC from $OLD"
expect_log "phonecert: accept device=SEP2C3124C9F8E1 .*anchor=$OLD .*key=proven" "logged with its key proven"
inventory_flush
expect_sql "$PHONE_ROW" "LSC|$OLD|accept" "its row: LSC, $OLD"
expect_verdict 1 "the old CAPF is NOT safe to remove"
victim_days=$(sql "$PHONE_DAYS")

echo "# the phone's MIC replayed with another Calling-Station-Id: rejected by bind_mac before CertificateVerify"
eap_tls -m 02:00:00:00:00:66 mic-replayed.pem mic-replayed.key
expect_result reject "the replayed MIC under a MAC mismatch"
expect_log 'phonecert: reject device=SEP2C3124C9F8E1 .*anchor=manufacturing .*key=unproven reason="MAC mismatch' \
	"logged as an unproven claim, with its reason"
inventory_flush
expect_sql "$PHONE_ROW" "LSC|$OLD|accept" "the phone's row is unchanged"
expect_sql "$PHONE_DAYS" "$victim_days" "its days are unchanged"
expect_sql "SELECT device_name, last_reason LIKE 'MAC mismatch%' FROM phonecert_unverified WHERE mac = '2C-31-24-C9-F8-E1'" \
	"SEP2C3124C9F8E1|1" "the claim is kept apart, by the MAC it claims"
expect_verdict 1 "the old CAPF is still NOT safe to remove"

echo "# the replayed MIC with the phone's own MAC: phonecert accepts it, its CertificateVerify fails"
eap_tls -m "$VICTIM_MAC" mic-replayed.pem mic-replayed.key
expect_result reject "the replayed MIC with the phone's MAC"
inventory_flush
expect_sql "$PHONE_ROW" "LSC|$OLD|accept" "the phone's row is unchanged"
expect_sql "$PHONE_DAYS" "$victim_days" "its days are unchanged"
expect_verdict 1 "the old CAPF is still NOT safe to remove"
server_stop

echo "# mic = deny: the replayed MIC is refused for being a MIC, before CertificateVerify"
start possession-mic-deny '	mic = deny'
cp "$IT_BUILD/it/possession/db/phonecert-inventory.sqlite" "$DB"
eap_tls -m "$VICTIM_MAC" mic-replayed.pem mic-replayed.key
expect_result reject "the replayed MIC under mic = deny"
expect_log 'phonecert: reject device=SEP2C3124C9F8E1 .*key=unproven reason="the phone presented its MIC' "logged as an unproven claim"
inventory_flush
expect_sql "$PHONE_ROW" "LSC|$OLD|accept" "the phone's row is unchanged"
expect_verdict 1 "the old CAPF is still NOT safe to remove"
server_stop

echo "# a real phone on the wrong port: its reject is visible, as an unproven claim"
start possession-real
cp "$IT_BUILD/it/possession/db/phonecert-inventory.sqlite" "$DB"
eap_tls -m 02:00:00:00:00:77 lsc-new-rsa.pem lsc-new-rsa.key
expect_result reject "the phone's current LSC under a MAC mismatch"
expect_log 'phonecert: reject device=SEP2C3124C9F8E1 .*key=unproven reason="MAC mismatch: certificate is for 2C-31-24-C9-F8-E1, Calling-Station-Id is 02-00-00-00-00-77' \
	"the log line says why"
inventory_flush
expect_sql "SELECT rejects >= 1 FROM phonecert_unverified WHERE mac = '2C-31-24-C9-F8-E1' AND last_reason LIKE 'MAC mismatch%02-00-00-00-00-77'" \
	"1" "the inventory shows the reject (phonecert report's rejects of the last 24 hours)"

echo "# the phone's own MIC, with its key: proven, so it is recorded"
eap_tls mic.pem mic.key
expect_result accept "the phone's MIC with its key"
inventory_flush
expect_sql "$PHONE_ROW" "MIC|manufacturing|accept" "its row now says MIC, manufacturing"
expect_verdict 0 "no phone uses the old CAPF any more: safe to remove"
server_stop
it_finish

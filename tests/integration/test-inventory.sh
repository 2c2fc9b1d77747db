#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The phone inventory in SQLite, written by FreeRADIUS' rlm_sql: one row per
# phone (accept and reject, fresh and resumed), counts per day and anchor,
# rejects of certificates no anchor verified kept apart, phones still
# authenticate when the database fails, and accepted phones are recorded with
# log_accepts = no.
set -u
source "$(dirname "$0")/lib.sh"
it_init

server_prepare inventory && server_start || exit 1
db=$IT_RUN/db/phonecert-inventory.sqlite
sql() { sqlite3 -separator '|' "$db" "$1"; }

expect_sql() {	# query, expected output, label
	local got
	got=$(sql "$1" 2>&1)
	if [ "$got" = "$2" ]; then pass "$3"; else fail "$3: expected '$2', got '$got'"; fi
}

if [ -s "$db" ]; then pass "the SQLite inventory is created on first start"; else fail "no inventory at $db"; fi

# The state the inventory's cache compares holds the hour: the repeats below
# (about a minute, with the writer's 5 s looks at the spool) stay inside one.
to_next_hour=$((3600 - $(date +%s) % 3600))
if [ "$to_next_hour" -lt 120 ]; then sleep "$to_next_hour"; fi
eap_tls lsc-old-rsa.pem lsc-old-rsa.key
# The cache holds what was spooled: what follows repeats it.
eap_tls lsc-new-ec.pem lsc-new-ec.key
inventory_flush
eap_tls -r 2 lsc-new-ec.pem lsc-new-ec.key
eap_tls mic.pem mic.key
eap_tls lsc-other.pem lsc-other.key
eapol_run "$IT_RUN/eapol.conf" -M 02:00:00:00:00:09 -N "87:s:GigabitEthernet1/0/7"	# lsc-other again, wrong MAC, with a port
inventory_flush

expect_sql "SELECT device_name, model, pid, sn, cert_type, anchor, not_before, not_after, last_result
	    FROM phonecert_phone WHERE mac = '00-11-22-33-44-55'" \
	"SEP001122334455|CP-7841|CP-7841|FCH1111BBBB|LSC|demo-cluster-2021|2025-01-01T00:00:00Z|2035-01-01T00:00:00Z|accept" \
	"an LSC from the previous CAPF: one row with its identity, type, anchor and validity"
serial=$(openssl x509 -in "$IT_PKI/lsc-old-rsa.pem" -noout -serial | cut -d= -f2 | tr 'A-F' 'a-f')
expect_sql "SELECT cert_serial, nas_ip FROM phonecert_phone WHERE mac = '00-11-22-33-44-55'" "$serial|127.0.0.1" \
	"the certificate serial and the NAS"
expect_sql "SELECT anchor, result, authentications FROM phonecert_phone_day WHERE mac = '00-AA-BB-CC-DD-EE'" \
	"demo-cluster-2025|accept|1" "authentications repeating what was written are not written again (2 full + 2 resumed, one write)"
expect_sql "SELECT cert_type, anchor FROM phonecert_phone WHERE mac = '2C-31-24-C9-F8-E1'" "MIC|manufacturing" \
	"a MIC: type and anchor"
expect_sql "SELECT device_name, last_reason, rejects, nas_port_id FROM phonecert_unverified WHERE mac = 'B0-00-B4-BA-0A-EE'" \
	"SEPB000B4BA0AEE|LSC from another cluster: issuer CAPF-a7fb32bf is not a configured CAPF|2|GigabitEthernet1/0/7" \
	"an LSC no anchor verified: its claimed identity, reason, rejects and port, apart"
expect_sql "SELECT count(*) FROM phonecert_phone WHERE mac = 'B0-00-B4-BA-0A-EE'" "0" "and not among the verified phones"
expect_sql "SELECT count(*) FROM phonecert_phone_day WHERE mac = 'B0-00-B4-BA-0A-EE'" "0" \
	"rejects in the handshake (key unproven) count no day"
expect_sql "SELECT first_seen <= last_seen, last_seen >= strftime('%s','now') - 60 FROM phonecert_unverified WHERE mac = 'B0-00-B4-BA-0A-EE'" \
	"1|1" "first and last seen"
expect_sql "SELECT count(*) FROM phonecert_phone" "3" "one row per verified phone"

echo "# a phone back to its written state before the writer ran: the latest state is still exact"
# The MIC is written and cached; its LSC and then the MIC again follow within
# the writer's 5 seconds between two looks at the spool, in one pass.
eap_tls lsc-new-rsa.pem lsc-new-rsa.key
eap_tls mic.pem mic.key
inventory_flush
expect_sql "SELECT cert_type, anchor FROM phonecert_phone WHERE mac = '2C-31-24-C9-F8-E1'" "MIC|manufacturing" \
	"the MIC again after the LSC: the phone's latest state"
expect_sql "SELECT anchor, authentications FROM phonecert_phone_day WHERE mac = '2C-31-24-C9-F8-E1' ORDER BY anchor" \
	"demo-cluster-2025|1
manufacturing|2" "and both authentications counted"

echo "# a stranger's certificate with a phone's CN changes nothing that verified authentications recorded"
mic_serial=$(openssl x509 -in "$IT_PKI/mic.pem" -noout -serial | cut -d= -f2 | tr 'A-F' 'a-f')
eap_tls forged-lsc.pem forged-lsc.key	# CN=CP-8861-SEP2C3124C9F8E1, the MIC phone's; signed by no anchor
expect_result reject "the forged LSC of the MIC phone is rejected"
inventory_flush
expect_sql "SELECT cert_type, anchor, cert_serial, last_result, last_reason IS NULL FROM phonecert_phone WHERE mac = '2C-31-24-C9-F8-E1'" \
	"MIC|manufacturing|$mic_serial|accept|1" "the phone's row still says what its verified MIC recorded"
expect_sql "SELECT device_name, rejects, last_reason LIKE 'signature not verified%' FROM phonecert_unverified WHERE mac = '2C-31-24-C9-F8-E1'" \
	"SEP2C3124C9F8E1|1|1" "the forged reject is recorded apart, as an unverified claim"
expect_sql "SELECT anchor, result, authentications FROM phonecert_phone_day WHERE mac = '2C-31-24-C9-F8-E1' ORDER BY anchor, result" \
	"demo-cluster-2025|accept|1
manufacturing|accept|2" "and counted nowhere"

eap_tls laptop.pem laptop.key
expect_result accept "a laptop"
inventory_flush
expect_sql "SELECT (SELECT count(*) FROM phonecert_phone) + (SELECT count(*) FROM phonecert_unverified)" "5" \
	"no row for a non-phone client"

echo "# the database fails: phones still get on the network"
sql "DROP TABLE phonecert_phone; DROP TABLE phonecert_phone_day"
eap_tls lsc-new-rsa.pem lsc-new-rsa.key
expect_result accept "a phone is accepted while the inventory cannot be written"
inventory_flush
expect_log_file 'sql_phonecert: ERROR: rlm_sql_sqlite: no such table: phonecert_phone' "the failure is logged"
eap_tls lsc-other.pem lsc-other.key
expect_result reject "and a bad phone is still rejected"
server_stop

echo "# a locked database costs a phone no time (threaded server, as in production)"
IT_THREADED=1
server_prepare inventory-locked && inventory_write_every_authentication && server_start || exit 1
db=$IT_RUN/db/phonecert-inventory.sqlite
auth_median_ms 5 lsc-new-rsa.pem lsc-new-rsa.key && pass "baseline: 5 authentications accepted" || fail "baseline: not all accepted"
baseline=$IT_MEDIAN_MS
inventory_flush
# Another process holds SQLite's write lock (bounded: it gives it up after 60 s, or when killed below).
(echo "BEGIN EXCLUSIVE;"; sleep 60) | sqlite3 "$db" &
locker=$!
sleep 0.5
if sqlite3 -cmd ".timeout 0" "$db" "BEGIN IMMEDIATE; ROLLBACK;" 2>/dev/null; then fail "the database is not locked"
else pass "another process holds the database's write lock"; fi
auth_median_ms 5 lsc-new-rsa.pem lsc-new-rsa.key && pass "locked: 5 authentications accepted" || fail "locked: not all accepted"
expect_extra_ms_below "$IT_MEDIAN_MS" "$baseline" 100 "locked database: authentications take no longer"
for i in $(seq 1 100); do grep -q 'database is locked' "$IT_RUN/log/debug.log" && break; sleep 0.1; done
expect_log_file 'sql_phonecert: ERROR: rlm_sql_sqlite: database is locked' "the writer met the lock and says so"
kill "$locker"; wait "$locker" 2>/dev/null
inventory_flush
eap_tls lsc-old-rsa.pem lsc-old-rsa.key
inventory_flush
expect_sql "SELECT last_result FROM phonecert_phone WHERE mac = '00-11-22-33-44-55'" "accept" "once the lock is gone, authentications are recorded again"
server_stop

echo "# log_accepts = no: accepted phones write no log line and are still recorded"
IT_THREADED=0
server_prepare inventory-rejects-logged "$(phonecert_with_options '	log_accepts = no')" && server_start || exit 1
db=$IT_RUN/db/phonecert-inventory.sqlite
eap_tls lsc-new-rsa.pem lsc-new-rsa.key
expect_result accept "an LSC is accepted"
expect_no_log 'phonecert: accept ' "no log line for it"
inventory_flush
expect_sql "SELECT cert_type, anchor, last_result FROM phonecert_phone WHERE mac = '2C-31-24-C9-F8-E1'" \
	"LSC|demo-cluster-2025|accept" "the inventory has its row"
expect_sql "SELECT anchor, result, authentications FROM phonecert_phone_day WHERE mac = '2C-31-24-C9-F8-E1'" \
	"demo-cluster-2025|accept|1" "and its day"
server_stop

it_finish

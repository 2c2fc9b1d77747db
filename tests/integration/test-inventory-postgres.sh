#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The phone inventory in PostgreSQL, for several RADIUS servers: two real
# freeradius instances write into one real PostgreSQL server (started here on
# a loopback port) at the same time, and no update is lost; a forged
# certificate's reject is kept apart from the verified phones; with the
# database down, phones are still accepted. The upserts themselves are under
# test: the servers' cache_phonecert is made to miss, so every authentication
# is written (test-inventory-writes.sh tests the cache).
set -u
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/pg.sh"
it_init

ROUNDS=${PG_ROUNDS:-25}
other_pid=
paused=	# PostgreSQL processes stopped by the test, resumed on any exit

cleanup_all() {
	[ -n "$paused" ] && kill -CONT $paused 2>/dev/null
	[ -n "$other_pid" ] && kill "$other_pid" 2>/dev/null && wait "$other_pid" 2>/dev/null
	it_cleanup
	pg_remove
}
trap cleanup_all EXIT

pg_start || { fail "PostgreSQL did not start"; it_finish; exit 1; }
pg_create_inventory && pass "inventory database created from the shipped postgresql/schema.sql" || fail "cannot load the schema"

# Server A, kept aside while server B starts.
server_prepare pg-a && pg_configure_run && inventory_write_every_authentication && server_start || exit 1
other_pid=$IT_SERVER_PID port_a=$IT_PORT run_a=$IT_RUN
IT_SERVER_PID=
server_prepare pg-b && pg_configure_run && inventory_write_every_authentication && server_start || exit 1
port_b=$IT_PORT

inventory_flush_all() { IT_RUN=$run_a inventory_flush; inventory_flush; }

# The same phones through both servers at once.
eap_tls_conf "$IT_RUN/lsc.conf" "$IT_PKI/lsc-new-rsa.pem" "$IT_PKI/lsc-new-rsa.key"
eap_tls_conf "$IT_RUN/mic.conf" "$IT_PKI/mic-expired.pem" "$IT_PKI/mic-expired.key"
hammer() {	# port conf mac
	local i ok=0
	for i in $(seq 1 "$ROUNDS"); do
		timeout 30 eapol_test -c "$2" -a 127.0.0.1 -p "$1" -s "$IT_SECRET" -t 10 -M "$3" >/dev/null 2>&1 && ok=$((ok + 1))
	done
	echo "$ok"
}
hammers=()
hammer "$port_a" "$IT_RUN/lsc.conf" 2c:31:24:c9:f8:e1 > "$IT_RUN/a-lsc.txt" & hammers+=($!)
hammer "$port_b" "$IT_RUN/lsc.conf" 2c:31:24:c9:f8:e1 > "$IT_RUN/b-lsc.txt" & hammers+=($!)
hammer "$port_a" "$IT_RUN/mic.conf" 00:00:0a:0b:0c:0d > "$IT_RUN/a-mic.txt" & hammers+=($!)
hammer "$port_b" "$IT_RUN/mic.conf" 00:00:0a:0b:0c:0d > "$IT_RUN/b-mic.txt" & hammers+=($!)
wait "${hammers[@]}"
inventory_flush_all

accepted=$(( $(cat "$IT_RUN/a-lsc.txt") + $(cat "$IT_RUN/b-lsc.txt") ))
rejected_ok=$(( $(cat "$IT_RUN/a-mic.txt") + $(cat "$IT_RUN/b-mic.txt") ))
if [ "$accepted" -eq $((2 * ROUNDS)) ] && [ "$rejected_ok" -eq 0 ]; then
	pass "both servers decided all $((4 * ROUNDS)) authentications correctly"
else
	fail "wrong decisions: $accepted of $((2 * ROUNDS)) LSC accepted, $rejected_ok expired MICs accepted"
fi

expect_pg() {	# query, expected, label
	local got
	got=$(pg_sql phonecert "$1" 2>&1)
	if [ "$got" = "$2" ]; then pass "$3"; else fail "$3: expected '$2', got '$got'"; fi
}
# What the servers decided, from their own logs (a client timed out under load is no decision).
decided() { cat "$run_a/log/debug.log" "$IT_RUN/log/debug.log" | grep -cE "phonecert: $1 device=$2 "; }
expect_pg "SELECT count(*) FROM phonecert_phone" "1" "one row for the accepted phone, whichever server wrote it"
expect_pg "SELECT sum(authentications) FROM phonecert_phone_day WHERE mac = '2C-31-24-C9-F8-E1' AND result = 'accept'" \
	"$(decided accept SEP2C3124C9F8E1)" "no lost update: every accept of both servers counted"
# An expired MIC is refused in the TLS handshake, before the client proved it holds the key: an unproven claim.
expect_pg "SELECT sum(rejects) FROM phonecert_unverified WHERE mac = '00-00-0A-0B-0C-0D'" \
	"$(decided reject SEP00000A0B0C0D)" "no lost update: every reject of both servers counted"
expect_pg "SELECT device_name, last_reason FROM phonecert_unverified WHERE mac = '00-00-0A-0B-0C-0D'" \
	"SEP00000A0B0C0D|certificate expired on 2025-01-01T00:00:00Z" "the rejected phone's claim says why"

echo "# a stranger's certificate with a phone's CN changes nothing that verified authentications recorded"
eap_tls forged-lsc.pem forged-lsc.key	# CN=CP-8861-SEP2C3124C9F8E1, signed by no anchor
expect_result reject "a forged LSC claiming the hammered LSC phone is rejected"
inventory_flush
expect_pg "SELECT cert_type, anchor, last_result FROM phonecert_phone WHERE mac = '2C-31-24-C9-F8-E1'" \
	"LSC|demo-cluster-2025|accept" "the phone's row still says what its verified LSC recorded"
expect_pg "SELECT device_name, rejects, last_reason LIKE 'signature not verified%' FROM phonecert_unverified WHERE mac = '2C-31-24-C9-F8-E1'" \
	"SEP2C3124C9F8E1|1|t" "the forged reject is recorded apart, as an unverified claim"

echo "# a PostgreSQL that accepts connections but never answers costs a phone no time (threaded server)"
server_stop
IT_THREADED=1
server_prepare pg-hang && pg_configure_run && inventory_write_every_authentication && server_start || exit 1
auth_median_ms 5 lsc-new-rsa.pem lsc-new-rsa.key && pass "baseline: 5 authentications accepted" || fail "baseline: not all accepted"
baseline=$IT_MEDIAN_MS
inventory_flush
# Every backend of the inventory and the postmaster stop answering (the kernel still accepts connections).
paused="$(pg_sql postgres "SELECT pid FROM pg_stat_activity WHERE datname = 'phonecert'" | tr '\n' ' ') $(head -n 1 "$PG_DIR/data/postmaster.pid")"
kill -STOP $paused
( sleep 40; kill -CONT $paused 2>/dev/null ) & watchdog=$!	# bounded even if this script dies
if timeout 3 "$PG_BIN/psql" -h 127.0.0.1 -p "$PG_PORT" -U phonecert -d phonecert -c "SELECT 1" >/dev/null 2>&1; then
	fail "PostgreSQL still answers"
else
	pass "PostgreSQL accepts connections but does not answer"
fi
auth_median_ms 5 lsc-new-rsa.pem lsc-new-rsa.key && pass "hung database: 5 authentications accepted" || fail "hung database: not all accepted"
expect_extra_ms_below "$IT_MEDIAN_MS" "$baseline" 100 "hung database: authentications take no longer"
for i in $(seq 1 100); do grep -q 'rlm_sql_postgresql: Socket read timeout' "$IT_RUN/log/debug.log" && break; sleep 0.1; done
expect_log_file 'rlm_sql_postgresql: Socket read timeout after 5 seconds' "the writer gives up on the hung database after query_timeout"
kill -CONT $paused; paused=
kill "$watchdog" 2>/dev/null; wait "$watchdog" 2>/dev/null
IT_THREADED=0

echo "# the database goes down"
pg_stop
eap_tls lsc-new-rsa.pem lsc-new-rsa.key
expect_result accept "a phone is accepted with the database down"
inventory_flush
expect_log_file 'rlm_sql \(sql_phonecert\): (Failed to reconnect|Last connection attempt failed)' "the failure is logged"
eap_tls lsc-new-ec.pem lsc-new-ec.key
expect_result accept "and the next one too"
eap_tls lsc-other.pem lsc-other.key
expect_result reject "a bad phone is still rejected with the database down"

it_finish

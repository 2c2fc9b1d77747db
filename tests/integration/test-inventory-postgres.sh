#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The phone inventory in PostgreSQL, for several RADIUS servers: two real
# freeradius instances write into one real PostgreSQL server (started here on
# a loopback port) at the same time, and no update is lost, while both prune
# every second; a flood of made-up stranger MACs through both leaves the row
# cap, and old days leave their summary; a forged certificate's reject is
# kept apart from the verified phones; an inventory of the previous schema
# (from git) is migrated, by two migrations at once, to the schema of a new
# one; with the database down, phones are still accepted. The upserts
# themselves are under test: the servers' cache_phonecert is made to miss, so
# every authentication is written (test-inventory-writes.sh tests the cache).
set -u
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/pg.sh"
source "$(dirname "$0")/inventory-lib.sh"
it_init
PHONECERT=$IT_BUILD/phonecert
EXTRA=$IT_BUILD/it/pg-extra
rm -rf "$EXTRA"
mkdir -p "$EXTRA"
source "$(dirname "$0")/cli-lib.sh"

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

# Both servers prune every second (cache_phonecert_prune's ttl), unverified claims capped at 30 rows.
prune_often() {
	sed -i -e '/^cache cache_phonecert_prune {/,/^}/s/^\([[:space:]]*ttl = \).*/\11/' \
	       -e 's/^\([[:space:]]*unverified_max_rows = \).*/\130/' "$IT_RUN/raddb/mods-available/sql_phonecert"
	grep -q '^[[:space:]]*unverified_max_rows = 30$' "$IT_RUN/raddb/mods-available/sql_phonecert"
}

# Server A, kept aside while server B starts.
server_prepare pg-a && pg_configure_run && inventory_write_every_authentication && prune_often && server_start || exit 1
other_pid=$IT_SERVER_PID port_a=$IT_PORT run_a=$IT_RUN
IT_SERVER_PID=
server_prepare pg-b && pg_configure_run && inventory_write_every_authentication && prune_often && server_start || exit 1
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
# The sql_phonecert_* instances share sql_phonecert's pool: their connections
# are sql_phonecert's (rlm_sql_postgresql names each by the instance that made it).
expect_pg "SELECT count(*) FILTER (WHERE application_name LIKE '% (sql\\_phonecert\\_%)'), count(*) FILTER (WHERE application_name LIKE '% (sql\\_phonecert)') > 0 FROM pg_stat_activity" \
	"0|t" "the inventory's instances share one connection pool"
no_prune_errors() {	# LABEL
	if grep -h 'sql_phonecert_prune' "$run_a/log/debug.log" "$IT_RUN/log/debug.log" | grep -qiE 'ERROR|deadlock'; then
		fail "$1:"; grep -h 'sql_phonecert_prune' "$run_a/log/debug.log" "$IT_RUN/log/debug.log" | grep -iE 'ERROR|deadlock' | head -n 5 | sed 's/^/#   /'
	else
		pass "$1"
	fi
}
pruned=$(cat "$run_a/log/debug.log" "$IT_RUN/log/debug.log" | grep -c 'sql_phonecert_prune: Executing query: DELETE FROM phonecert_phone_day')
if [ "$pruned" -ge 4 ]; then pass "both servers pruned while they wrote ($pruned day-pruning queries)"; else fail "only $pruned day-pruning queries ran"; fi
no_prune_errors "pruning at once on two servers: no error, no deadlock"

echo "# a flood of made-up stranger MACs through both servers: the row cap holds"
pg_sql phonecert "DELETE FROM phonecert_unverified" >/dev/null	# the claims above are as recent as the flood's last
NOW=$(date +%s)
for i in $(seq 1 200); do printf '%d 02-F1-00-00-%02X-%02X - reject -\n' $((NOW - 200 + i)) $((i / 256)) $((i % 256)); done |
	spool_entries > "$EXTRA/flood"
awk 'BEGIN { RS = ""; ORS = "\n\n" } NR % 2' "$EXTRA/flood" > "$EXTRA/flood-a"
awk 'BEGIN { RS = ""; ORS = "\n\n" } !(NR % 2)' "$EXTRA/flood" > "$EXTRA/flood-b"
spool_deliver "$EXTRA/flood-a" "$run_a/log/radacct/phonecert-inventory/detail" &&
	spool_deliver "$EXTRA/flood-b" "$IT_RUN/log/radacct/phonecert-inventory/detail" && inventory_flush_all
sleep 2.1	# one more entry each prunes after the flood's last ones (rlm_cache: an entry of ttl 1 made in second S is gone in S + 2)
printf '%d 00-AA-BB-CC-DD-EE demo-cluster-2025 accept LSC\n' "$NOW" | spool_entries > "$EXTRA/one"
spool_deliver "$EXTRA/one" "$run_a/log/radacct/phonecert-inventory/detail" &&
	spool_deliver "$EXTRA/one" "$IT_RUN/log/radacct/phonecert-inventory/detail" && inventory_flush_all
expect_pg "SELECT count(*), $NOW - min(last_seen) FROM phonecert_unverified" "30|29" \
	"200 made-up MACs through two servers: the 30 most recently seen claims are left"
no_prune_errors "pruning a flood at once on two servers: no error"

echo "# old days: pruned, their last day kept in the summary"
printf '%d 00-11-22-33-44-55 demo-cluster-2021 accept LSC\n%d 00-11-22-33-44-55 demo-cluster-2025 accept LSC\n' \
	$((NOW - 200 * 86400)) $((NOW - 199 * 86400)) | spool_entries > "$EXTRA/old"
spool_deliver "$EXTRA/old" "$IT_RUN/log/radacct/phonecert-inventory/detail" && inventory_flush
sleep 2.1	# the next entry prunes, after the old ones (rlm_cache: an entry of ttl 1 made in second S is gone in S + 2)
spool_deliver "$EXTRA/one" "$IT_RUN/log/radacct/phonecert-inventory/detail" && inventory_flush
expect_pg "SELECT count(*) FROM phonecert_phone_day WHERE mac = '00-11-22-33-44-55'" "0" \
	"days older than phone_day_days are deleted"
expect_pg "SELECT anchor, $((NOW / 86400)) - last_day FROM phonecert_phone_anchor WHERE mac = '00-11-22-33-44-55' ORDER BY anchor" \
	"demo-cluster-2021|200
demo-cluster-2025|199" "and the last day of each anchor the phone used is kept"

echo "# a stranger's certificate with a phone's CN changes nothing that verified authentications recorded"
eap_tls forged-lsc.pem forged-lsc.key	# CN=CP-8861-SEP2C3124C9F8E1, signed by no anchor
expect_result reject "a forged LSC claiming the hammered LSC phone is rejected"
inventory_flush
expect_pg "SELECT cert_type, anchor, last_result FROM phonecert_phone WHERE mac = '2C-31-24-C9-F8-E1'" \
	"LSC|demo-cluster-2025|accept" "the phone's row still says what its verified LSC recorded"
expect_pg "SELECT device_name, rejects, last_reason LIKE 'signature not verified%' FROM phonecert_unverified WHERE mac = '2C-31-24-C9-F8-E1'" \
	"SEP2C3124C9F8E1|1|t" "the forged reject is recorded apart, as an unverified claim"

echo "# an inventory of the previous schema (schema.sql from git): written, refused by the report, migrated twice at once"
previous_schema postgresql > "$EXTRA/schema-v1.sql"
if [ ! -s "$EXTRA/schema-v1.sql" ]; then
	skip "no git history with the previous schema.sql here: the migration from it is not tested"
else
	server_stop
	pg_sql postgres "CREATE DATABASE phonecert_v1 OWNER phonecert" >/dev/null
	pg_as "$PG_BIN/psql" -h 127.0.0.1 -p "$PG_PORT" -U phonecert -d phonecert_v1 -q -v ON_ERROR_STOP=1 \
		<"$EXTRA/schema-v1.sql" >/dev/null && pass "a database with the previous schema" || fail "cannot load the previous schema"
	server_prepare pg-v1 && pg_configure_run && prune_often || exit 1
	sed -i 's/^radius_db = .*/radius_db = "phonecert_v1"/' "$IT_RUN/raddb/mods-config/sql/phonecert/connection.conf"
	server_start || exit 1
	eap_tls lsc-old-rsa.pem lsc-old-rsa.key
	eap_tls mic-only.pem mic-only.key
	eap_tls forged-lsc.pem forged-lsc.key
	printf '%d 00-11-22-33-44-55 demo-cluster-2021 accept LSC\n' $((NOW - 200 * 86400)) | spool_entries > "$EXTRA/old"
	sleep 2.1
	spool_deliver "$EXTRA/old" "$IT_RUN/log/radacct/phonecert-inventory/detail" && inventory_flush
	V1_URL="postgresql://phonecert@127.0.0.1:$PG_PORT/phonecert_v1"
	# 3.2.7 puts "ERROR: " before the driver's message, 3.2.1 does not.
	expect_log_file 'sql_phonecert_prune: (ERROR: )?rlm_sql_postgresql: ERROR: +relation "phonecert_phone_anchor" does not exist' \
		"on the old schema, pruning the days fails (no summary)"
	if [ "$(pg_sql phonecert_v1 "SELECT count(*) FROM phonecert_phone_day WHERE day < $((NOW / 86400)) - 100")" = 1 ]; then
		pass "and the old day stays until the inventory is migrated"
	else
		fail "pruning deleted a day of a schema-1 inventory"
	fi
	run report --db "$V1_URL" --config "$IT_RUN/raddb"
	expect_rc 2 "report on the previous schema"
	expect_err "needs migrating: its schema is version 1.*phonecert inventory migrate --db $V1_URL" "says it needs migrating"
	"$PHONECERT" inventory migrate --db "$V1_URL" --config "$IT_RUN/raddb" > "$EXTRA/migrate-1" 2>&1 & m1=$!
	"$PHONECERT" inventory migrate --db "$V1_URL" --config "$IT_RUN/raddb" > "$EXTRA/migrate-2" 2>&1 & m2=$!
	wait "$m1"; rc1=$?
	wait "$m2"; rc2=$?
	applied=$(cat "$EXTRA/migrate-1" "$EXTRA/migrate-2" | grep -cE 'applied (0002-retention.sql: schema 2|0003-fleet.sql: schema 3)$')
	if [ "$rc1" = 0 ] && [ "$rc2" = 0 ] && [ "$applied" = 2 ]; then
		pass "two migrations at once: both succeed, each file is applied once"
	else
		fail "two migrations at once: exit $rc1 and $rc2, $applied applied it:"; cat "$EXTRA/migrate-1" "$EXTRA/migrate-2" | sed 's/^/#   /'
	fi
	if [ "$(pg_sql phonecert_v1 "SELECT version FROM phonecert_schema")" = 3 ]; then pass "phonecert_schema holds version 3, once"
	else fail "phonecert_schema holds '$(pg_sql phonecert_v1 "SELECT version FROM phonecert_schema")'"; fi
	schema_of() { pg_as "$PG_BIN/pg_dump" -h 127.0.0.1 -p "$PG_PORT" -U postgres -s -O -x "$1" | grep -vE '^(--|SET |SELECT pg_catalog|\\(un)?restrict )' | grep -v '^$'; }
	if [ "$(schema_of phonecert_v1)" = "$(schema_of phonecert)" ] && [ -n "$(schema_of phonecert)" ]; then
		pass "the migrated inventory has the schema of one made with schema.sql"
	else
		fail "migrated and new schemas differ:"; diff <(schema_of phonecert) <(schema_of phonecert_v1) | head -n 20 | sed 's/^/#   /'
	fi
	sleep 2.1
	spool_deliver "$EXTRA/one" "$IT_RUN/log/radacct/phonecert-inventory/detail" && inventory_flush
	if [ "$(pg_sql phonecert_v1 "SELECT count(*) FROM phonecert_phone_day WHERE day < $((NOW / 86400)) - 100")" = 0 ]; then
		pass "once migrated, the server prunes the old day"
	else
		fail "the migrated inventory was not pruned"
	fi
	run report --db "$V1_URL" --config "$IT_RUN/raddb" --format json
	expect_rc 1 "report after migrating: the old CAPF's phone is still on it"
	expect_json "[.anchors[] | select(.name == \"demo-cluster-2021\")][0] | .phones == 1 and .last_used == \"$(date -u +%Y-%m-%d)\"" \
		"the old CAPF: 1 phone, used today"
	expect_json '[.mic_only.phones[].mac] == ["00-00-AB-CD-EF-01"]' "MIC-only: the phone that never had an LSC"
fi

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

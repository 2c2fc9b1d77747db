#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The inventory writes what changed: policy phonecert_inventory with
# cache_phonecert (FreeRADIUS' rlm_cache, in memory) writes a phone only when
# its state differs from what this server last wrote for it (anchor, type,
# certificate, result, whether the key was proven, NAS, port, reason, or a new
# hour), and a failed write is tried again.
#
# The writer site (phonecert-inventory) writes the spooled entries and fills
# the cache; auth waits for it, so each step sees what the last one wrote.
#
# A write is seen without triggers: phonecert_phone_day.authentications grows by one per
# write, and a row the test sets to last_seen = 0 stays 0 unless written.
set -u
source "$(dirname "$0")/lib.sh"
it_init

server_prepare inventory-writes
db=$IT_RUN/db/phonecert-inventory.sqlite
policy=$IT_RUN/raddb/policy.d/phonecert
# A period of 10 seconds instead of an hour, so that a new period can be tested.
sed -i 's|%{expr:%l / 3600}|%{expr:%l / 10}|' "$policy"
grep -q '%{expr:%l / 10}' "$policy" || { fail "cannot shorten the inventory's period in $policy"; it_finish; exit 1; }
# And the writer looking for the spool every second instead of every 5, so
# that three authentications and their writes fit in one such period.
site=$IT_RUN/raddb/sites-available/phonecert-inventory
sed -i 's/^\([[:space:]]*poll_interval = \)5$/\11/' "$site"
grep -q 'poll_interval = 1$' "$site" || { fail "cannot shorten the writer's poll_interval in $site"; it_finish; exit 1; }
server_start || exit 1
sql() { sqlite3 -separator '|' "$db" "$1"; }
auth() { eap_tls "$@"; inventory_flush; }

expect_sql() {	# query, expected output, label
	local got
	got=$(sql "$1" 2>&1)
	if [ "$got" = "$2" ]; then pass "$3"; else fail "$3: expected '$2', got '$got'"; fi
}
mac=2C-31-24-C9-F8-E1	# lsc-new-rsa and mic: one phone, two certificates
writes() { sql "SELECT coalesce(sum(authentications), 0) FROM phonecert_phone_day WHERE mac = '$mac'"; }
mark() { sql "UPDATE phonecert_phone SET last_seen = 0 WHERE mac = '$mac'"; }
written() { sql "SELECT last_seen > 0 FROM phonecert_phone WHERE mac = '$mac'"; }
# Authenticate well inside one period (the test waits for one to begin when needed).
new_period() { sleep $((10 - $(date +%s) % 10)); }

new_period
auth lsc-new-rsa.pem lsc-new-rsa.key
expect_result accept "first authentication"
expect_sql "SELECT count(*), sum(authentications) FROM phonecert_phone_day WHERE mac = '$mac'" "1|1" "the first authentication is written"
mark
auth lsc-new-rsa.pem lsc-new-rsa.key
auth lsc-new-rsa.pem lsc-new-rsa.key
expect_result accept "the same phone again"
if [ "$(writes)" = 1 ] && [ "$(written)" = 0 ]; then pass "repeated authentications with the same state are not written"
else fail "repeated authentications were written: $(writes) writes, last_seen written: $(written)"; fi

auth mic.pem mic.key
expect_result accept "the phone with its MIC"
expect_sql "SELECT cert_type, anchor, last_seen > 0 FROM phonecert_phone WHERE mac = '$mac'" "MIC|manufacturing|1" \
	"another anchor is written: the phone's latest state"
expect_sql "SELECT anchor FROM phonecert_phone_day WHERE mac = '$mac' ORDER BY anchor" "demo-cluster-2025
manufacturing" "and its presence with that anchor"
mark
auth lsc-new-rsa.pem lsc-new-rsa.key
expect_sql "SELECT cert_type, anchor, last_seen > 0 FROM phonecert_phone WHERE mac = '$mac'" "LSC|demo-cluster-2025|1" \
	"back to the first anchor: written again (the latest state is exact)"

# Rejected in the handshake, before the client proved it holds the key: an unproven claim, kept apart.
mark
before=$(writes)
auth -m 02:00:00:00:00:01 lsc-new-rsa.pem lsc-new-rsa.key
expect_result reject "the phone on a switch port that sends another MAC"
expect_sql "SELECT rejects, last_reason LIKE 'MAC mismatch%' FROM phonecert_unverified WHERE mac = '$mac'" "1|1" \
	"a reject in the handshake is written, as an unproven claim"
if [ "$(written)" = 0 ] && [ "$(writes)" = "$before" ]; then pass "and leaves the phone's row and days alone"
else fail "the unproven reject wrote the phone's row ($(written)) or its days ($(writes), before $before)"; fi
auth -m 02:00:00:00:00:01 lsc-new-rsa.pem lsc-new-rsa.key
expect_sql "SELECT rejects FROM phonecert_unverified WHERE mac = '$mac'" "1" "the same reject again is not written"

new_period
auth -m 02:00:00:00:00:01 lsc-new-rsa.pem lsc-new-rsa.key
expect_sql "SELECT rejects FROM phonecert_unverified WHERE mac = '$mac'" "2" "the same reject in a new period is written once more"

echo "# a failed write is tried again"
new_period
sql "ALTER TABLE phonecert_phone_day RENAME TO broken"
auth mic.pem mic.key
expect_result accept "a phone is accepted while the inventory cannot be written"
sql "ALTER TABLE broken RENAME TO phonecert_phone_day"
mark
auth mic.pem mic.key
expect_sql "SELECT cert_type, last_seen > 0 FROM phonecert_phone WHERE mac = '$mac'" "MIC|1" \
	"the same state is written once the database works again"
# The sql_phonecert_* instances share sql_phonecert's pool: the writer holds
# one connection, one descriptor on the database (one per instance before).
open=$(find "/proc/$IT_SERVER_PID/fd" -lname "$db" 2>/dev/null | wc -l)
if [ "$open" -eq 1 ]; then pass "the inventory's instances share one connection"
else fail "$open descriptors open on $db: the instances do not share one connection pool"; fi
server_stop

echo "# the inventory off (sql_phonecert not enabled): not even its state is computed"
IT_INVENTORY=0 server_prepare inventory-off
server_start || exit 1
eap_tls lsc-new-rsa.pem lsc-new-rsa.key
expect_result accept "a phone without the inventory"
expect_log 'phonecert: accept ' "its log line is written"
expect_log 'Cisco-AVPair \+= "device-traffic-class=voice"' "the switch reply policy runs"
expect_no_log 'Phonecert-Inventory-State|Phonecert-Result|phonecert_inventory_spool|Cache-Read-Only' \
	"policy phonecert_inventory skips all its work"
if [ ! -e "$IT_RUN/log/radacct/phonecert-inventory" ]; then pass "no spool"; else fail "a spool without the inventory"; fi
server_stop

it_finish

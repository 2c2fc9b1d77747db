#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The inventory's retention and its schema migration, through the real
# freeradius writer site into SQLite (PostgreSQL: test-inventory-postgres.sh):
#
#   - pruning deletes days and strangers' claims older than the settings, and
#     never changes a verdict of phonecert report: the last day each phone
#     used each anchor stays (phonecert_phone_anchor), so "not used since"
#     and the MIC-only check read the same after the days are gone;
#   - a flood of made-up stranger MACs leaves at most the row caps;
#   - an inventory made with the previous schema (schema.sql from git) is
#     written by the server, refused by the report ("needs migrating"),
#     migrated by phonecert inventory migrate, and then reports the same
#     verdicts as a new one, with the same schema; a migration that fails
#     changes nothing.
#
# Days in the past come from spool entries with old timestamps (as a spool
# read late would have them: tests/integration/inventory-lib.sh); retention uses
# small numbers of days and rows.
set -u
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/inventory-lib.sh"
it_init

PHONECERT=$IT_BUILD/phonecert
[ -x "$PHONECERT" ] || { echo "it: $PHONECERT missing: run make first" >&2; exit 2; }
command -v jq >/dev/null && command -v sqlite3 >/dev/null || { echo "it: jq and sqlite3 needed" >&2; exit 2; }
EXTRA=$IT_BUILD/it/retention-extra
rm -rf "$EXTRA"
mkdir -p "$EXTRA"
source "$(dirname "$0")/cli-lib.sh"

OLD=demo-cluster-2021 NEW=demo-cluster-2025
NOW=$(date +%s)
TODAY=$((NOW / 86400))
day() { date -u -d "@$(( (TODAY - $1) * 86400 ))" +%Y-%m-%d; }	# N days ago

# The retention of the prepared run: unverified days and rows, phone_day days and rows, seconds between prunes.
retention() {
	local conf=$IT_RUN/raddb/mods-available/sql_phonecert
	sed -i -e "s/^\([[:space:]]*unverified_days = \).*/\1$1/" -e "s/^\([[:space:]]*unverified_max_rows = \).*/\1$2/" \
	       -e "s/^\([[:space:]]*phone_day_days = \).*/\1$3/" -e "s/^\([[:space:]]*phone_day_max_rows = \).*/\1$4/" \
	       -e "/^cache cache_phonecert_prune {/,/^}/s/^\([[:space:]]*ttl = \).*/\1$5/" "$conf"
	[ "$(grep -cE "^[[:space:]]*(unverified_days = $1|unverified_max_rows = $2|phone_day_days = $3|phone_day_max_rows = $4|ttl = $5)$" "$conf")" -ge 5 ] ||
		{ echo "it: cannot set the retention in $conf" >&2; return 1; }
}

# Spool lines (spool.sh's fields) through the running server's writer, and wait until written.
write_spool() {
	spool_entries > "$EXTRA/entries" &&
	spool_deliver "$EXTRA/entries" "$IT_RUN/log/radacct/phonecert-inventory/detail" &&
	inventory_flush
}

# The history: the old CAPF's phone moved to the new CAPF 8 days ago; the
# phone that now shows its MIC had a new-CAPF LSC 20 days ago (so it is not
# MIC-only); a MIC-only phone; strangers 5 days and an hour ago. Then, today,
# two real authentications: that phone's MIC, and a new-CAPF LSC.
history() {
	write_spool <<EOF
$((NOW - 20 * 86400)) 2C-31-24-C9-F8-E1 $NEW accept LSC
$((NOW - 15 * 86400)) 00-00-0A-0B-0C-0D manufacturing accept MIC
$((NOW - 10 * 86400)) 00-11-22-33-44-55 $OLD accept LSC
$((NOW - 9 * 86400)) 00-11-22-33-44-55 $OLD accept LSC
$((NOW - 8 * 86400)) 00-11-22-33-44-55 $NEW accept LSC
$((NOW - 5 * 86400)) 02-00-00-00-05-01 - reject -
$((NOW - 5 * 86400)) 02-00-00-00-05-02 - reject -
$((NOW - 3600)) 02-00-00-00-00-01 - reject -
EOF
	eap_tls mic.pem mic.key
	expect_result accept "today: the phone of the new-CAPF LSC shows its MIC"
	eap_tls lsc-new-ec.pem lsc-new-ec.key
	expect_result accept "today: an LSC of the new CAPF"
	inventory_flush
}

# The verdicts this history gives (checked on the first report; later ones must equal it).
expect_history_verdicts() {
	expect_json "[.anchors[] | select(.name == \"$OLD\")][0] | .phones == 0 and .safe_to_remove and
		.verdict == \"safe to remove: no phone has used $OLD since $(day 9) (of the phones seen on 802.1X only: no phone list, see --expected)\"" "$1: the old CAPF is safe to remove, not used since $(day 9)"
	expect_json '[.mic_only.phones[].mac] == ["00-00-0A-0B-0C-0D"]' "$1: MIC-only: the MIC phone never seen with an LSC, not the one seen with one 20 days ago"
	expect_json "[.anchors[] | select(.name == \"$NEW\")][0].last_used == \"$(day 0)\"" "$1: the new CAPF used today"
}

report_json() { run report --db "sqlite:$DB" --config "$IT_RUN/raddb" --format json; }

# The report in OUT has the verdicts of the first one (BEFORE). PASS-LABEL FAIL-LABEL.
expect_same_verdicts() {
	if [ -n "$(report_summary "$OUT")" ] && [ "$(report_verdicts "$OUT")" = "$(report_verdicts "$BEFORE")" ]; then
		pass "$1"
	else
		fail "$2:"; diff <(report_verdicts "$BEFORE") <(report_verdicts "$OUT") | head -n 20 | sed 's/^/#   /'
	fi
}

echo "# the history, written with retention far away"
server_prepare retention && retention 36500 1000000 36500 1000000 3600 && server_start || exit 1
DB=$IT_RUN/db/phonecert-inventory.sqlite
history
report_json
expect_rc 0 "report before pruning"
expect_history_verdicts "before pruning"
BEFORE=$OUT
old_days() { sqlite3 "$DB" "SELECT count(*) FROM phonecert_phone_day WHERE day < $TODAY - 2 AND anchor <> ''"; }
if [ "$(old_days)" = 5 ]; then
	pass "phonecert_phone_day holds the 5 phones' rows of the days before yesterday"
else
	fail "phonecert_phone_day: $(old_days) old rows of phones, expected 5"
fi
server_stop

echo "# retention: 3 days of phonecert_phone_day, 2 of phonecert_unverified"
retention 2 1000000 3 1000000 3600 && server_start || exit 1
# The first entry after the start prunes: the same state as a phone had today (nothing new to report).
write_spool <<EOF
$NOW 00-AA-BB-CC-DD-EE $NEW accept LSC
EOF
old_days=$(sqlite3 "$DB" "SELECT count(*) FROM phonecert_phone_day WHERE day <= $TODAY - 3")
kept_days=$(sqlite3 "$DB" "SELECT count(*) FROM phonecert_phone_day WHERE day > $TODAY - 3")
if [ "$old_days" = 0 ] && [ "$kept_days" -ge 2 ]; then pass "the days older than 3 are deleted, the last 3 kept ($kept_days rows)"
else fail "after pruning: $old_days rows older than 3 days, $kept_days kept"; fi
claims=$(sqlite3 "$DB" "SELECT mac FROM phonecert_unverified ORDER BY mac" | paste -sd' ')
if [ "$claims" = "02-00-00-00-00-01" ]; then pass "the claims not seen for 2 days are deleted, the recent one kept"
else fail "phonecert_unverified after pruning: $claims"; fi
summary_rows=$(sqlite3 "$DB" "SELECT mac || ' ' || anchor || ' ' || ($TODAY - last_day) FROM phonecert_phone_anchor ORDER BY mac, anchor" | paste -sd,)
if [ "$summary_rows" = "00-00-0A-0B-0C-0D manufacturing 15,00-11-22-33-44-55 $OLD 9,00-11-22-33-44-55 $NEW 8,2C-31-24-C9-F8-E1 $NEW 20" ]; then
	pass "phonecert_phone_anchor keeps each pruned phone and anchor with its last day"
else
	fail "phonecert_phone_anchor: $summary_rows"
fi
if [ "$(sqlite3 "$DB" "SELECT count(*) FROM phonecert_phone_day WHERE anchor = '$OLD' OR (mac = '2C-31-24-C9-F8-E1' AND anchor = '$NEW')")" = 0 ]; then
	pass "no day of the old CAPF, nor of the MIC phone's LSC, is left: only the summary holds them"
else
	fail "days the verdicts rest on are still in phonecert_phone_day: the test proves nothing"
fi
report_json
expect_rc 0 "report after pruning"
expect_history_verdicts "after pruning"
expect_same_verdicts "the verdicts, anchors and MIC lists are the same before and after pruning" "pruning changed the report"
expect_log_file 'sql_phonecert_prune: Executing query: DELETE FROM phonecert_phone_day' "the writer pruned through sql_phonecert_prune"
if grep -q 'sql_phonecert_prune.*ERROR\|ERROR.*sql_phonecert_prune' "$IT_RUN/log/debug.log"; then fail "pruning logged an error"; else pass "pruning logged no error"; fi
server_stop

echo "# a flood of made-up stranger MACs: the row caps hold"
retention 2 20 3 40 1 && server_start || exit 1
for i in $(seq 1 300); do printf '%d 02-F1-00-00-%02X-%02X - reject -\n' $((NOW - 300 + i)) $((i / 256)) $((i % 256)); done > "$EXTRA/flood"
write_spool < "$EXTRA/flood"
sleep 2.1	# the next entry prunes again, after the flood's last ones (rlm_cache: an entry of ttl 1 made in second S is gone in S + 2)
write_spool <<EOF
$NOW 00-AA-BB-CC-DD-EE $NEW accept LSC
EOF
rows=$(sqlite3 "$DB" "SELECT count(*), min(last_seen) - $NOW FROM phonecert_unverified")
if [ "$rows" = "20|-19" ]; then pass "300 made-up MACs: phonecert_unverified holds the 20 most recently seen"
else fail "phonecert_unverified after the flood: '$rows' (count|oldest), expected '20|-19'"; fi
rows=$(sqlite3 "$DB" "SELECT count(*) FROM phonecert_phone_day")
if [ "$rows" -le 40 ]; then pass "phonecert_phone_day holds at most its 40 rows ($rows)"; else fail "phonecert_phone_day holds $rows rows, more than 40"; fi
report_json
expect_same_verdicts "after the flood and its pruning, the verdicts are the same" "the flood changed the verdicts"
cp "$DB" "$EXTRA/fresh.sqlite"
server_stop

echo "# an inventory of the previous schema (schema.sql from git), migrated"
server_prepare retention-v1 && retention 36500 1000000 36500 1000000 3600 || exit 1
previous_schema sqlite > "$IT_RUN/raddb/mods-config/sql/phonecert/sqlite/schema-v1.sql"
if [ ! -s "$IT_RUN/raddb/mods-config/sql/phonecert/sqlite/schema-v1.sql" ]; then
	skip "no git history with the previous schema.sql here: the migration from it is not tested"
	it_finish
	exit
fi
sed -i 's|/sqlite/schema.sql"|/sqlite/schema-v1.sql"|' "$IT_RUN/raddb/mods-config/sql/phonecert/connection.conf"
grep -q 'schema-v1.sql' "$IT_RUN/raddb/mods-config/sql/phonecert/connection.conf" || fail "cannot point the bootstrap at the previous schema"
server_start || exit 1
DB=$IT_RUN/db/phonecert-inventory.sqlite
if [ "$(sqlite3 "$DB" "SELECT count(*) FROM sqlite_master WHERE name IN ('phonecert_schema', 'phonecert_phone_anchor')")" = 0 ]; then
	pass "the server made the inventory with the previous schema (no phonecert_schema)"
else
	fail "the inventory was not made with the previous schema"
fi
history
days_v1=$(sqlite3 "$DB" "SELECT count(*) FROM phonecert_phone_day")
expect_log_file 'sql_phonecert_prune: ERROR: rlm_sql_sqlite: no such table: phonecert_phone_anchor' \
	"on the old schema, pruning the days fails (no summary to keep them in)"
server_stop
retention 2 1000000 3 1000000 3600 && server_start || exit 1
write_spool <<EOF
$NOW 00-AA-BB-CC-DD-EE $NEW accept LSC
EOF
server_stop
if [ "$(sqlite3 "$DB" "SELECT count(*) FROM phonecert_phone_day")" = "$days_v1" ]; then
	pass "and deletes no day: the verdicts' days stay until the inventory is migrated"
else
	fail "pruning deleted days of a schema-1 inventory"
fi

report_json
expect_rc 2 "report on the previous schema"
expect_err "needs migrating: its schema is version 1, this phonecert reads version 3\. Run: phonecert inventory migrate --db sqlite:$DB" \
	"the report says it needs migrating, and how"
run inventory migrate --db "sqlite:$DB" --config "$IT_RUN/raddb" --check
expect_rc 1 "inventory migrate --check: a migration is due"
expect_out "0002-retention.sql to apply" "--check names it"
if [ "$(sqlite3 "$DB" "SELECT count(*) FROM sqlite_master WHERE name = 'phonecert_schema'")" = 0 ]; then pass "--check changes nothing"; else fail "--check migrated"; fi

# A migration that fails, or does not set its version, is rolled back whole.
BROKEN=$EXTRA/broken-raddb
mkdir -p "$BROKEN/mods-config/sql/phonecert/sqlite"
cp "$IT_REPO/raddb/mods-config/sql/phonecert/sqlite/0003-fleet.sql" "$BROKEN/mods-config/sql/phonecert/sqlite/"
{ cat "$IT_REPO/raddb/mods-config/sql/phonecert/sqlite/0002-retention.sql"; echo "SELECT * FROM no_such_table;"; } \
	> "$BROKEN/mods-config/sql/phonecert/sqlite/0002-retention.sql"
run inventory migrate --db "sqlite:$DB" --config "$BROKEN"
expect_rc 2 "a migration whose last statement fails"
expect_err "0002-retention.sql: .*no such table: no_such_table; nothing of it was applied \(schema 1\)" "says so, and that nothing was applied"
sed 's/SELECT 2 WHERE NOT EXISTS/SELECT 1 WHERE NOT EXISTS/' "$IT_REPO/raddb/mods-config/sql/phonecert/sqlite/0002-retention.sql" \
	> "$BROKEN/mods-config/sql/phonecert/sqlite/0002-retention.sql"
run inventory migrate --db "sqlite:$DB" --config "$BROKEN"
expect_rc 2 "a migration that does not set its version"
expect_err "it left the schema at version 1, not 2; nothing of it was applied" "says so"
if [ "$(sqlite3 "$DB" "SELECT count(*) FROM sqlite_master WHERE name IN ('phonecert_schema', 'phonecert_phone_anchor', 'phonecert_unverified_last_seen')")" = 0 ]; then
	pass "after both, the inventory is as it was: no table or index of the migration"
else
	fail "a failed migration left part of itself"
fi
cp "$BROKEN/mods-config/sql/phonecert/sqlite/0002-retention.sql" "$BROKEN/mods-config/sql/phonecert/sqlite/0004-next.sql"
cp "$IT_REPO/raddb/mods-config/sql/phonecert/sqlite/"000[23]-*.sql "$BROKEN/mods-config/sql/phonecert/sqlite/"
run inventory migrate --db "sqlite:$DB" --config "$BROKEN"
expect_rc 2 "migration files of a newer phonecert"
expect_err "brings the inventory to schema 4, this phonecert reads 3" "says the raddb files and the program differ"

run inventory migrate --db "sqlite:$DB" --config "$IT_RUN/raddb"
expect_rc 0 "inventory migrate"
expect_out "^sqlite:$DB: applied 0002-retention.sql: schema 2$" "says what it applied"
expect_out "^sqlite:$DB: applied 0003-fleet.sql: schema 3$" "each file in turn"
run inventory migrate --db "sqlite:$DB" --config "$IT_RUN/raddb"
expect_rc 0 "inventory migrate again"
expect_out "schema 3, up to date" "nothing more to do"
# Tables by their columns (a column added by ALTER TABLE is appended to the
# stored CREATE text, where a new inventory has it in the statement), and indexes.
schema_of() {
	sqlite3 "$1" "SELECT m.name, c.cid, c.name, c.type, c.\"notnull\", c.dflt_value, c.pk FROM sqlite_master m
		JOIN pragma_table_info(m.name) c WHERE m.type = 'table' ORDER BY m.name, c.cid"
	sqlite3 "$1" "SELECT type, name, tbl_name, sql FROM sqlite_master WHERE type <> 'table' ORDER BY type, name"
}
if [ "$(schema_of "$DB")" = "$(schema_of "$EXTRA/fresh.sqlite")" ]; then
	pass "the migrated inventory has the schema of one the server made new"
else
	fail "migrated and new schemas differ:"; diff <(schema_of "$EXTRA/fresh.sqlite") <(schema_of "$DB") | head -n 20 | sed 's/^/#   /'
fi
report_json
expect_rc 0 "report after migrating"
expect_history_verdicts "migrated"
expect_same_verdicts "the migrated inventory gives the verdicts of one made new, from the same authentications" "migrated and new differ"

echo "# the migrated inventory is pruned as a new one"
server_start || exit 1
write_spool <<EOF
$NOW 00-AA-BB-CC-DD-EE $NEW accept LSC
EOF
server_stop
if [ "$(sqlite3 "$DB" "SELECT count(*) FROM phonecert_phone_day WHERE day <= $TODAY - 3")" = 0 ]; then pass "the old days are pruned now"
else fail "the migrated inventory was not pruned"; fi
report_json
expect_same_verdicts "and its verdicts are still the same" "pruning the migrated inventory changed the report"

echo "# usage"
run inventory migrate --config "$IT_RUN/raddb"
expect_rc 2 "migrate without --db"
run inventory migrate --db "sqlite:$EXTRA/missing.sqlite" --config "$IT_RUN/raddb"
expect_rc 2 "migrate a missing file"
if [ ! -e "$EXTRA/missing.sqlite" ]; then pass "migrate creates no database"; else fail "migrate created $EXTRA/missing.sqlite"; fi
sqlite3 "$EXTRA/other.sqlite" "CREATE TABLE other (x INTEGER)"
run inventory migrate --db "sqlite:$EXTRA/other.sqlite" --config "$IT_RUN/raddb"
expect_rc 2 "migrate a database that is no inventory"
expect_err "is not a phonecert inventory" "says so"
run inventory frobnicate
expect_rc 2 "an unknown inventory subcommand"
run inventory --help
expect_rc 0 "inventory --help"
expect_out "^Usage: phonecert inventory migrate --db" "shows its usage"

it_finish

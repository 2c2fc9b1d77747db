#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# CUCM's phone lists at scale (`make bench`, section 6, or `make
# bench-expected`; never part of `make test`): phonecert report --expected
# with a list of BENCH_EXPECTED_N phones, laid out as CUCM's All Details
# export (doc/cucm.md), against an inventory of as many phones (the same
# MACs but a tenth, and a tenth in no list), in SQLite and in PostgreSQL,
# each report three times: the wall-clock time and the peak RSS
# (/usr/bin/time), the median of the three.
#
# Prints its results as Markdown on stdout, progress on stderr. Settings:
#   BENCH_EXPECTED_N=50000   listed phones, and phones in the inventory
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
build=${BENCH_BUILD:-$repo/build}
work=$build/bench/expected
pki=$build/test-pki
N=${BENCH_EXPECTED_N:-50000}
phonecert=$build/phonecert

die() { echo "bench/expected: $*" >&2; exit 1; }
if ! [[ $N =~ ^[1-9][0-9]*$ ]] || [ "$N" -gt 1000000 ]; then die "BENCH_EXPECTED_N must be 1 to 1000000 (got '$N')"; fi
[ -x "$phonecert" ] || die "$phonecert missing: run make first"
[ -f "$pki/.complete" ] || die "no test PKI in $pki"
for tool in sqlite3 /usr/bin/time; do command -v "$tool" >/dev/null || die "$tool is missing"; done

IT_REPO=$repo	# pg.sh's schema
# shellcheck source=tests/integration/pg.sh
source "$repo/tests/integration/pg.sh"
trap pg_remove EXIT
rm -rf "$work"
mkdir -p "$work"
"$repo/scripts/demo-raddb.sh" "$work/run" "$pki" "$build" 1812 0 >/dev/null
raddb=$work/run/raddb
now=$(date +%s)
since=$(date -u -d "@$((now - 86400))" +%Y-%m-%dT%H:%M:%SZ)

echo "bench/expected: a list and an inventory of $N phones" >&2
# Phone i is listed for i < N; in the inventory for i >= N/10 (a tenth never seen, a tenth seen but not listed).
awk -v n="$N" 'BEGIN {
	printf "\xef\xbb\xbfDevice Name,Description,Device Pool,Phone Template,CSS,AAR CSS,Location,Device Type,Owner User ID\r\n"
	for (i = 0; i < n; i++)
		printf "SEP06%02X%02X%02X%02X00,\"Desk %d, floor %d\",DP_Harbour,Standard 8845 SIP,CSS,,Hub_None,Cisco 8845,user%d\r\n",
			int(i / 2^24) % 256, int(i / 2^16) % 256, int(i / 256) % 256, i % 256, i, i % 40, i
	for (i = 0; i < n / 20; i++) printf "CSFUSER%d,Jabber,DP_Harbour,,,,,Cisco Unified Client Services Framework,user%d\r\n", i, i
}' >"$work/list.csv"
awk -v n="$N" -v now="$now" 'BEGIN {
	for (i = int(n / 10); i < n + int(n / 10); i++) {
		mac = sprintf("06-%02X-%02X-%02X-%02X-00", int(i / 2^24) % 256, int(i / 2^16) % 256, int(i / 256) % 256, i % 256)
		printf "%s,SEP%s,CP-8845,LSC,demo-cluster-2025,2035-01-01T00:00:00Z,accept,%d,%d\n", mac, mac, now - i % 3600, now - i % 3600
	}
}' | sed 's/SEP\(..\)-\(..\)-\(..\)-\(..\)-\(..\)-\(..\)/SEP\1\2\3\4\5\6/' >"$work/phones.csv"

sqlite=$work/inventory.sqlite
sqlite3 "$sqlite" <"$repo/raddb/mods-config/sql/phonecert/sqlite/schema.sql" >/dev/null
sqlite3 "$sqlite" "CREATE TABLE phonecert_load (mac, device_name, model, cert_type, anchor, not_after, last_result, first_seen, last_seen)" \
	".import --csv $work/phones.csv phonecert_load" \
	"INSERT INTO phonecert_phone (mac, device_name, model, cert_type, anchor, not_after, last_result, first_seen, last_seen)
	 SELECT * FROM phonecert_load" "DROP TABLE phonecert_load"
pg_start >/dev/null || die "PostgreSQL did not start"
pg_create_inventory || die "cannot create the PostgreSQL inventory"
pg_as "$PG_BIN/psql" -h 127.0.0.1 -p "$PG_PORT" -U phonecert -d phonecert -q -v ON_ERROR_STOP=1 \
	-c "\\copy phonecert_phone (mac, device_name, model, cert_type, anchor, not_after, last_result, first_seen, last_seen) FROM STDIN WITH (FORMAT csv)" \
	<"$work/phones.csv" || die "cannot load PostgreSQL"

# "seconds peak-RSS-MB" of one report, checked: every phone of the inventory's tenth in no list reported.
measure() {	# DB-URL
	local out=$work/report.json err=$work/time.txt
	/usr/bin/time -f '%e %M' -o "$err" "$phonecert" report --db "$1" --config "$raddb" --format json \
		--expected "demo-cluster-2025=$work/list.csv" --since "$since" >"$out" || [ $? -eq 1 ] || die "report failed on $1"
	[ "$(jq '.expected.unlisted | length' "$out")" -eq $((N / 10)) ] && [ "$(jq '.expected.never_seen | length' "$out")" -eq $((N / 10)) ] ||
		die "report on $1: not the expected sections"
	tail -n 1 "$err" | awk '{ printf "%s %.1f\n", $1, $2 / 1024 }'
}
median() { sort -n | awk '{ v[NR] = $0 } END { print v[int((NR + 1) / 2)] }'; }
row() {	# LABEL DB-URL
	local runs=() t rss
	for _ in 1 2 3; do runs+=("$(measure "$2")"); done
	t=$(printf '%s\n' "${runs[@]}" | awk '{ print $1 }' | median)
	rss=$(printf '%s\n' "${runs[@]}" | awk '{ print $2 }' | median)
	echo "| $1 | $t | $rss |"
}
echo "bench/expected: SQLite, then PostgreSQL" >&2
sqlite_row=$(row SQLite "sqlite:$sqlite")
pg_row=$(row PostgreSQL "postgresql://phonecert@127.0.0.1:$PG_PORT/phonecert")
list_mb=$(awk -v b="$(stat -c %s "$work/list.csv")" 'BEGIN { printf "%.1f", b / 1048576 }')

cat <<END
\`phonecert report --expected\` with a list of $N phones and $((N / 20))
softphones laid out as CUCM's export ($list_mb MB, a byte order mark, CRLF,
quoted commas), against an inventory of $N phones: $((N / 10)) listed phones
never seen and $((N / 10)) seen but in no list, both reported whole (JSON).
The median of three reports each; wall clock and peak RSS by /usr/bin/time.

| inventory | seconds | peak RSS MB |
|---|---:|---:|
$sqlite_row
$pg_row
END

#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The inventory under a flood of strangers (`make bench`, section 5, or
# `make bench-flood`; never part of `make test`): BENCH_FLOOD_N distinct
# made-up MACs whose certificates no anchor verified, as synthetic spool
# entries (tests/integration/inventory-lib.sh: no eapol_test), through the
# real writer site (sites-available/phonecert-inventory, FreeRADIUS' detail
# reader and rlm_sql) into SQLite. Three runs, each a fresh inventory:
#
#   1. retention out of reach (caps above the flood): the writer's rate and
#      CPU, and the database's size and rows the flood leaves;
#   2. then the shipped retention, applied by one more entry: the rows left,
#      the file (SQLite reuses freed pages, it does not give them back) and
#      what the data takes (VACUUM INTO a copy);
#   3. the shipped retention, pruning during the flood every BENCH_FLOOD_TTL
#      seconds (by default as shipped): the rows and the file's size at the
#      end, and the writer's rate with pruning.
#
# Prints its results as Markdown on stdout, progress on stderr, and leaves
# the writer's figures of run 1 in build/bench/flood/values for run.sh
# (rate=entries per second, cpu=radiusd CPU s per 1,000 entries). Settings:
#   BENCH_FLOOD_N=100000   entries (distinct MACs)
#   BENCH_FLOOD_TTL        seconds between prunes in run 3 (default: the shipped ttl)
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
build=${BENCH_BUILD:-$repo/build}
work=$build/bench/flood
pki=$build/test-pki
N=${BENCH_FLOOD_N:-100000}
THREADS=4
CLEANUP_DELAY=2
CLK_TCK=$(getconf CLK_TCK)
declare -A PID PORT
SERVER_LAUNCH=()

die() { echo "bench/flood: $*" >&2; exit 1; }
if ! [[ $N =~ ^[1-9][0-9]*$ ]] || [ "$N" -gt 1000000 ]; then die "BENCH_FLOOD_N must be 1 to 1000000 (got '$N')"; fi
[ -f "$pki/.complete" ] || die "no test PKI in $pki"
[ -f "$build/rlm_phonecert.so" ] || die "$build/rlm_phonecert.so missing: run make first"
command -v sqlite3 >/dev/null || die "sqlite3 is missing"

# shellcheck source=bench/layout.sh
source "$repo/bench/layout.sh"
# shellcheck source=tests/integration/inventory-lib.sh
source "$repo/tests/integration/inventory-lib.sh"
trap stop_servers EXIT

# The shipped settings, read from the raddb as shipped.
shipped() { sed -n "s/^[[:space:]]*$1 = \([0-9]*\)$/\1/p" "$repo/raddb/mods-available/sql_phonecert" | head -n 1; }
UNVERIFIED_MAX=$(shipped unverified_max_rows)
DAY_MAX=$(shipped phone_day_max_rows)
SHIPPED_TTL=$(sed -n '/^cache cache_phonecert_prune {/,/^}/s/^[[:space:]]*ttl = \([0-9]*\)$/\1/p' "$repo/raddb/mods-available/sql_phonecert")
if [ -z "$UNVERIFIED_MAX" ] || [ -z "$DAY_MAX" ] || [ -z "$SHIPPED_TTL" ]; then die "cannot read the shipped retention"; fi
TTL=${BENCH_FLOOD_TTL:-$SHIPPED_TTL}
[[ $TTL =~ ^[1-9][0-9]*$ ]] || die "BENCH_FLOOD_TTL must be a positive number of seconds (got '$TTL')"

# A writer's configuration: the demo's, its retention caps and prune interval.
layout_writer() {	# NAME UNVERIFIED_MAX DAY_MAX TTL
	local dir=$work/$1 conf
	layout_common "$dir"
	conf=$dir/raddb/mods-available/sql_phonecert
	sed -i -e "s/^\([[:space:]]*unverified_max_rows = \).*/\1$2/" -e "s/^\([[:space:]]*phone_day_max_rows = \).*/\1$3/" \
	       -e "/^cache cache_phonecert_prune {/,/^}/s/^\([[:space:]]*ttl = \).*/\1$4/" "$conf"
	grep -q "unverified_max_rows = $2$" "$conf" || die "$conf: cannot set the retention"
}

cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }

# Hand the spool to server NAME's writer and wait (bounded) until it has written it all.
# Sets RATE (entries per second) and CPU_PER_1000 (radiusd CPU seconds per 1,000 entries).
drain() {	# NAME FILE
	local name=$1 dir=$work/$1 spool=$work/$1/log/radacct/phonecert-inventory/detail t0 t1 cpu0 waited=0
	cpu0=$(cpu_ticks "${PID[$name]}")
	t0=$(date +%s%N)
	spool_deliver "$2" "$spool" || die "$name: the spool was not taken"
	while [ -e "$spool" ] || [ -e "$spool.work" ]; do
		sleep 0.2
		waited=$((waited + 1))
		[ "$waited" -lt 9000 ] || die "$name: $N entries not written within 30 minutes"
		kill -0 "${PID[$name]}" 2>/dev/null || die "$name died while writing"
	done
	t1=$(date +%s%N)
	RATE=$(awk -v n="$N" -v a="$t0" -v b="$t1" 'BEGIN { printf "%.0f", n / ((b - a) / 1e9) }')
	CPU_PER_1000=$(awk -v t="$(( $(cpu_ticks "${PID[$name]}") - cpu0 ))" -v hz="$CLK_TCK" -v n="$N" \
		'BEGIN { printf "%.2f", t / hz * 1000 / n }')
	if grep -qE 'ERROR' "$dir/log/radius.log"; then die "$name logged errors: see $dir/log/radius.log"; fi
}

mb() { awk -v b="$1" 'BEGIN { printf "%.1f", b / 1048576 }'; }
file_size() { stat -c %s "$1" 2>/dev/null || echo 0; }

# "rows-unverified rows-day file-MB wal-MB" of server NAME's inventory.
measure() {
	local db=$work/$1/db/phonecert-inventory.sqlite
	echo "$(sqlite3 "$db" 'SELECT count(*) FROM phonecert_unverified') $(sqlite3 "$db" 'SELECT count(*) FROM phonecert_phone_day')" \
	     "$(mb "$(file_size "$db")") $(mb "$(file_size "$db-wal")")"
}

# The flood: N distinct made-up MACs, one reject each, in the last N seconds' order.
echo "bench/flood: $N synthetic stranger entries" >&2
rm -rf "$work"
mkdir -p "$work"
now=$(date +%s)
awk -v n="$N" -v now="$now" 'BEGIN { for (i = 1; i <= n; i++)
	printf "%d 06-%02X-%02X-%02X-%02X-%02X - reject -\n", now - n + i, int(i / 2^32) % 256, int(i / 2^24) % 256,
		int(i / 2^16) % 256, int(i / 256) % 256, i % 256 }' | spool_entries > "$work/flood.detail"
spool_mb=$(mb "$(file_size "$work/flood.detail")")

echo "bench/flood: run 1, retention out of reach" >&2
layout_writer unbounded $((N * 2)) $((N * 2)) 3600
start_server unbounded
drain unbounded "$work/flood.detail"
rate1=$RATE cpu1=$CPU_PER_1000
printf 'rate=%s\ncpu=%s\n' "$rate1" "$cpu1" > "$work/values"
read -r unv1 day1 db1 wal1 <<<"$(measure unbounded)"
stop_servers

echo "bench/flood: run 2, the shipped retention applied afterwards" >&2
sed -i -e "s/^\([[:space:]]*unverified_max_rows = \).*/\1$UNVERIFIED_MAX/" -e "s/^\([[:space:]]*phone_day_max_rows = \).*/\1$DAY_MAX/" \
	"$work/unbounded/raddb/mods-available/sql_phonecert"
start_server unbounded
printf '%d 06-FF-FF-FF-FF-FF - reject -\n' "$now" | spool_entries > "$work/one.detail"
spool_deliver "$work/one.detail" "$work/unbounded/log/radacct/phonecert-inventory/detail"
for _ in $(seq 1 300); do
	[ -e "$work/unbounded/log/radacct/phonecert-inventory/detail" ] || [ -e "$work/unbounded/log/radacct/phonecert-inventory/detail.work" ] || break
	sleep 0.1
done
stop_servers
read -r unv2 day2 db2 wal2 <<<"$(measure unbounded)"
db=$work/unbounded/db/phonecert-inventory.sqlite
free2=$(sqlite3 "$db" 'PRAGMA freelist_count')
page=$(sqlite3 "$db" 'PRAGMA page_size')
sqlite3 "$db" "VACUUM INTO '$work/vacuumed.sqlite'"
vacuumed=$(mb "$(file_size "$work/vacuumed.sqlite")")

echo "bench/flood: run 3, the shipped retention pruning every $TTL s during the flood" >&2
layout_writer pruning "$UNVERIFIED_MAX" "$DAY_MAX" "$TTL"
start_server pruning
drain pruning "$work/flood.detail"
rate3=$RATE cpu3=$CPU_PER_1000
read -r unv3 day3 db3 wal3 <<<"$(measure pruning)"
stop_servers

cat <<END
$N distinct made-up MACs, one reject each of a certificate no anchor verified,
as synthetic spool entries ($spool_mb MB of spool) written by the writer site
(FreeRADIUS' detail reader, rlm_sql, policy phonecert_inventory_write) into
SQLite, a fresh inventory for runs 1 and 3. Retention as shipped: at most
$UNVERIFIED_MAX rows of \`phonecert_unverified\` and $DAY_MAX of
\`phonecert_phone_day\`, pruned every $SHIPPED_TTL s.

| run | writer, entries/s | radiusd CPU s per 1,000 | phonecert_unverified rows | phonecert_phone_day rows | database MB | WAL MB |
|---|---:|---:|---:|---:|---:|---:|
| 1. retention out of reach | $rate1 | $cpu1 | $unv1 | $day1 | $db1 | $wal1 |
| 2. then one prune with the shipped caps | | | $unv2 | $day2 | $db2 | $wal2 |
| 3. shipped caps, pruning every $TTL s during the flood | $rate3 | $cpu3 | $unv3 | $day3 | $db3 | $wal3 |

After run 2's prune the file keeps its size, $free2 of its pages ($page bytes
each) free for the rows to come: SQLite reuses them and does not give them
back. The rows left take $vacuumed MB (\`VACUUM INTO\` a copy). In run 3
pruning bounds the inventory while the flood lasts: beyond a cap, a flood
adds at most the writer's rate times the prune interval ($TTL s) before the
next prune.
END

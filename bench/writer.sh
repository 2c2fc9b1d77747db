#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# What a written inventory entry costs, step by step (`make bench`, section 8,
# or `make bench-writer`; never part of `make test`). Phones authenticate now
# and then, not in a flood: BENCH_WRITER_N authentications per side, one at a
# time, BENCH_WRITER_PAUSE seconds apart, the sides interleaved in a shuffled
# order for each authentication. One phone alternates between its LSC and its
# MIC, so its state changes every time and every authentication is written.
# The sides, all with an admin's anchors (bench/layout.sh):
#
#   off      the inventory off: (e) of section 1, the reference;
#   spool    the inventory's spool, no writer site: what post-auth adds;
#   before   the writer as it was before 2026-12-07: the detail reader looking
#            for a spool every second, a connection pool per sql instance,
#            SQLite syncing every commit;
#   poll1    the writer as shipped but looking every second;
#   shipped  the writer as shipped: (f) of section 1.
#
# radiusd's CPU (utime + stime) per side, once every spool is written. Prints
# Markdown on stdout, progress on stderr. Settings:
#   BENCH_WRITER_N=100       authentications per side
#   BENCH_WRITER_PAUSE=0.25  seconds between two authentications
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
build=${BENCH_BUILD:-$repo/build}
work=$build/bench/writer
pki=$build/test-pki
N=${BENCH_WRITER_N:-100}
PAUSE=${BENCH_WRITER_PAUSE:-0.25}
THREADS=4
CLEANUP_DELAY=2
CLK_TCK=$(getconf CLK_TCK)
CERTS=(lsc-new-rsa mic)
SIDES=(off spool before poll1 shipped)
WRITERS=(before poll1 shipped)
declare -A PID PORT CPU0 CPU
SERVER_LAUNCH=()

die() { echo "bench/writer: $*" >&2; exit 1; }
if ! [[ $N =~ ^[1-9][0-9]*$ ]] || [ "$N" -gt 10000 ]; then die "BENCH_WRITER_N must be 1 to 10000 (got '$N')"; fi
[[ $PAUSE =~ ^[0-9]+(\.[0-9]+)?$ ]] || die "BENCH_WRITER_PAUSE must be a number of seconds (got '$PAUSE')"
[ -f "$pki/.complete" ] || die "no test PKI in $pki"
[ -f "$build/rlm_phonecert.so" ] || die "$build/rlm_phonecert.so missing: run make first"
command -v sqlite3 >/dev/null || die "sqlite3 is missing"

# shellcheck source=bench/layout.sh
source "$repo/bench/layout.sh"
trap stop_servers EXIT

cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }
site() { echo "$work/$1/raddb/sites-available/phonecert-inventory"; }
poll_every_second() {
	sed -i 's/^\([[:space:]]*poll_interval = \)[0-9]*$/\11/' "$(site "$1")"
	grep -q 'poll_interval = 1$' "$(site "$1")" || die "$1: cannot set poll_interval"
}
# SQLite's commits synced as by default (synchronous = FULL): no sqlite/open.conf.
sync_every_commit() {
	local conf=$work/$1/raddb/mods-config/sql/phonecert/connection.conf
	sed -i '/^\$INCLUDE .*\/open\.conf$/d' "$conf"
	! grep -q '^\$INCLUDE .*/open\.conf$' "$conf" || die "$1: cannot leave out open.conf"
}
# Each sql_phonecert_* instance with a pool of its own, a copy of sql_phonecert's.
pool_per_instance() {
	local conf=$work/$1/raddb/mods-available/sql_phonecert pool
	pool=$(awk '/^sql sql_phonecert \{/ { in_sql = 1 } in_sql && /^\tpool \{/ { p = 1 } p { print } p && /^\t\}/ { exit }' "$conf")
	[ -n "$pool" ] || die "$1: no pool section in sql_phonecert"
	awk -v pool="$pool" '/^\tpool = sql_phonecert$/ { print pool; next } { print }' "$conf" > "$conf.own" && mv "$conf.own" "$conf"
	[ "$(grep -c '^	pool {' "$conf")" -eq 5 ] || die "$1: cannot give each instance a pool"
}

echo "bench/writer: $N authentications per side, $PAUSE s apart" >&2
rm -rf "$work"
mkdir -p "$work"
write_clients
layout_admin_phonecert "$work/off"
layout_admin_demo "$work/spool"
rm "$work/spool/raddb/sites-enabled/phonecert-inventory"
layout_admin_demo "$work/before"
poll_every_second before
pool_per_instance before
sync_every_commit before
layout_admin_demo "$work/poll1"
poll_every_second poll1
layout_admin_demo "$work/shipped"
for side in "${SIDES[@]}"; do start_server "$side"; done

auth() {	# SIDE CERT
	timeout 30 eapol_test -c "$work/clients/$2.conf" -a 127.0.0.1 -p "${PORT[$1]}" -s testing123 -t 10 \
		-M "$(cat "$work/clients/$2.mac")" > /dev/null 2>&1 || die "$1: an authentication with $2 failed"
}
spool_written() {	# SIDE: wait (bounded) until its writer has written every spooled entry
	local spool=$work/$1/log/radacct/phonecert-inventory/detail
	for _ in $(seq 1 300); do
		[ -e "$spool" ] || [ -e "$spool.work" ] || return 0
		sleep 0.1
	done
	die "$1: the spool was not written within 30 s"
}
written() { sqlite3 "$work/$1/db/phonecert-inventory.sqlite" "SELECT coalesce(sum(authentications), 0) FROM phonecert_phone_day"; }

# A warm-up authentication of each certificate on each side, not counted.
for side in "${SIDES[@]}"; do for cert in "${CERTS[@]}"; do auth "$side" "$cert"; done; done
for side in "${WRITERS[@]}"; do spool_written "$side"; done
declare -A WRITTEN0
for side in "${WRITERS[@]}"; do WRITTEN0[$side]=$(written "$side"); done
for side in "${SIDES[@]}"; do CPU0[$side]=$(cpu_ticks "${PID[$side]}"); done

for ((i = 0; i < N; i++)); do
	cert=${CERTS[i % ${#CERTS[@]}]}
	ORDER=("${SIDES[@]}")
	for ((j = ${#ORDER[@]} - 1; j > 0; j--)); do
		k=$((RANDOM % (j + 1))) t=${ORDER[j]}
		ORDER[j]=${ORDER[k]} ORDER[k]=$t
	done
	for side in "${ORDER[@]}"; do
		auth "$side" "$cert"
		sleep "$PAUSE"
	done
done
for side in "${WRITERS[@]}"; do spool_written "$side"; done
for side in "${SIDES[@]}"; do
	CPU[$side]=$(( $(cpu_ticks "${PID[$side]}") - CPU0[$side] ))
	grep -qE '(Error|ERROR)' "$work/$side/log/radius.log" && die "$side logged errors: see $work/$side/log/radius.log"
done
for side in "${WRITERS[@]}"; do
	[ "$(( $(written "$side") - WRITTEN0[$side] ))" -eq "$N" ] || die "$side wrote $(( $(written "$side") - WRITTEN0[$side] )) of $N entries"
done
stop_servers

ms() { awk -v t="$1" -v hz="$CLK_TCK" -v n="$N" 'BEGIN { printf "%.2f", t / hz * 1000 / n }'; }
declare -A WHAT=([off]="the inventory off ((e) of section 1)" [spool]="the spool only, no writer site"
	[before]="the writer before: every second, a pool per sql instance, every commit synced" [poll1]="the writer as shipped, looking every second"
	[shipped]="the writer as shipped ((f) of section 1)")
cat <<END
$N authentications per side, one at a time, $PAUSE s apart, the sides
interleaved; every one changes the phone's state (its LSC and its MIC in
turn), so each writer side wrote all $N entries (checked in its SQLite). CPU:
radiusd's utime + stime, once every spool was written; $((1000 / CLK_TCK)) ms ticks.

| side | CPU ms per authentication | over "off", ms per written entry | to "off" |
|---|---:|---:|---:|
END
for side in "${SIDES[@]}"; do
	printf '| %s: %s | %s | %s | %s |\n' "$side" "${WHAT[$side]}" "$(ms "${CPU[$side]}")" \
		"$(ms $((CPU[$side] - CPU[off])))" "$(awk -v a="${CPU[$side]}" -v b="${CPU[off]}" 'BEGIN { printf "%.2f", a / b }')"
done

#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The phonecert benchmark (`make bench`; never part of `make test`).
#
#  1. End to end: the same N EAP-TLS phone authentications (eapol_test, P in
#     parallel, cycling over lsc-new-rsa, lsc-new-ec, lsc-old-rsa, mic) against
#     (a) stock FreeRADIUS, (b) FreeRADIUS with phonecert (the demo
#     configuration without its SQL phone inventory) and (c) the demo
#     configuration as shipped (phonecert + SQL inventory), in R rounds; in a
#     round every side's authentications are interleaved in one job list
#     (a),(b),(c),(a),(b),(c)..., so that the sides share the machine's
#     moment and its drift cancels in their ratio. Measures radiusd's CPU time
#     (utime+stime of the server processes, /proc/PID/stat) per 1,000
#     authentications and authentications per second (wall clock).
#     Two axes (BENCH_AXES=1): (b) with 10 and 100 capf sections instead of 2
#     (and 100 with the 98 extra ones not advertised in the CertificateRequest),
#     and (c) with 10,000 other phones already in its inventory, each against
#     (b) or (c) of the same round; and (bq), (b) with log_accepts = no, against
#     (a). The servers' RSS after every round.
#  2. Core: build/bench/core_bench (phonecert's pc_verify_chain against bare
#     OpenSSL X509_verify_cert, per certificate).
#  3. The inventory under a flood of strangers (BENCH_FLOOD=1): bench/flood.sh,
#     synthetic spool entries through the real writer site into SQLite.
#  4. Shared TLS session resumption across two servers (BENCH_FLEET=1):
#     bench/fleet.sh, stock and phonecert fleets on one memcached.
#  5. What a written inventory entry costs, step by step (BENCH_WRITER=1):
#     bench/writer.sh, phones authenticating now and then.
#  6. Writes bench/RESULTS.md and prints it.
#
# See bench/README.md for what is measured and why it is set up this way.
#
# Settings (environment):
#   BENCH_N=400       authentications per side and round
#   BENCH_R=3         rounds (repetitions)
#   BENCH_P=4         eapol_test processes in parallel
#   BENCH_THREADS=4   radiusd worker threads (thread pool, per server process)
#   BENCH_K=2000      core: verifications per repetition
#   BENCH_CORE_REPS=9 core: repetitions (the median is reported)
#   BENCH_AXES=1      also the anchors and inventory axes (0: only (a), (b), (c))
#   BENCH_PHONES=10000  phones already in the inventory of the inventory axis
#   BENCH_PROFILE=1   also bench/profile.sh (callgrind), PROFILE_N authentications
#   BENCH_SAMPLES=1   also one more round, unmeasured, of (a) and (b) under perf
#                     (BENCH_SAMPLES_N authentications each, default 2000, at
#                     BENCH_SAMPLES_HZ, default 3999): bench/cpu-samples.sh
#   BENCH_FLOOD=1     also bench/flood.sh: BENCH_FLOOD_N (default 100000)
#                     made-up stranger MACs through the writer site (section 5)
#   BENCH_EXPECTED=1  also bench/expected.sh: report --expected with CUCM's list
#                     of BENCH_EXPECTED_N (default 50000) phones (section 6)
#   BENCH_FLEET=1     also bench/fleet.sh: BENCH_FLEET_N (default 200) phones per
#                     fleet and round, A then B, and a boot storm per fleet of
#                     BENCH_STORM_N (default 1000) phones, BENCH_STORM_P (64)
#                     at a time (section 7)
#   BENCH_WRITER=1    also bench/writer.sh: BENCH_WRITER_N (default 100)
#                     authentications per side, BENCH_WRITER_PAUSE (0.25) s
#                     apart (section 8)
#   BENCH_RESULTS=bench/RESULTS.md   where to write the results
#   BENCH_SEED=1      seeds the shuffled order of the sides in the job lists
#
# Everything listens on 127.0.0.1 only; every wait is bounded; every server
# this script starts is stopped (by its PID) when it exits.
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
build=${BENCH_BUILD:-$repo/build}
work=$build/bench
secret=testing123

# bench/layout.sh: layout_common, remove_calls, layout_stock, layout_phonecert,
# layout_demo, layout_anchors, layout_inventory, start_server, stop_servers,
# write_clients, eapol_failure.
# shellcheck source=bench/layout.sh
source "$repo/bench/layout.sh"

# One authentication, run by xargs: run.sh __auth CERT PORT. Prints "ok CERT",
# or saves eapol_test's output and exits 255 (which makes xargs stop).
if [ "${1:-}" = __auth ]; then
	cert=$2 port=$3
	clients=$work/clients
	if out=$(timeout 30 eapol_test -c "$clients/$cert.conf" -a 127.0.0.1 -p "$port" -s "$secret" -t 10 \
			-M "$(cat "$clients/$cert.mac")" 2>&1) && grep -qx SUCCESS <<<"$out"; then
		echo "ok $cert"
		exit 0
	fi
	eapol_failure "$cert" "$out" "$cert port $port"
fi

N=${BENCH_N:-400}
R=${BENCH_R:-3}
P=${BENCH_P:-4}
THREADS=${BENCH_THREADS:-4}
K=${BENCH_K:-2000}
CORE_REPS=${BENCH_CORE_REPS:-9}
AXES=${BENCH_AXES:-1}
PHONES=${BENCH_PHONES:-10000}
PROFILE=${BENCH_PROFILE:-1}
SAMPLES=${BENCH_SAMPLES:-1}
SAMPLES_N=${BENCH_SAMPLES_N:-2000}
SAMPLES_HZ=${BENCH_SAMPLES_HZ:-3999}
FLOOD=${BENCH_FLOOD:-1}
EXPECTED=${BENCH_EXPECTED:-1}
FLEET=${BENCH_FLEET:-1}
WRITER=${BENCH_WRITER:-1}
SEED=${BENCH_SEED:-1}
[[ $SEED =~ ^[0-9]+$ ]] || { echo "bench: BENCH_SEED must be a number, not '$SEED'" >&2; exit 2; }
results=${BENCH_RESULTS:-$repo/bench/RESULTS.md}
pki=$build/test-pki
core_bench=$build/bench/core_bench
CLEANUP_DELAY=2			# radiusd's cleanup_delay in the bench configurations
SETTLE=$((CLEANUP_DELAY + 1))	# after a round, until radiusd has freed its requests
CORE_TARGET=1.2

die() { echo "bench: $*" >&2; exit 1; }

for v in N R P THREADS K CORE_REPS PHONES SAMPLES_N SAMPLES_HZ; do
	[[ ${!v} =~ ^[1-9][0-9]*$ ]] || die "BENCH_$v must be a positive integer (got '${!v}')"
done
[ "$N" -ge 4 ] || die "BENCH_N must be at least 4 (one of each certificate)"
[ "$N" -le 100000 ] && [ "$R" -le 50 ] && [ "$P" -le 16 ] || die "BENCH_N <= 100000, BENCH_R <= 50, BENCH_P <= 16"
for tool in freeradius eapol_test openssl xargs timeout; do
	command -v "$tool" >/dev/null || die "$tool is missing (make test-deps installs it)"
done
[ -f "$pki/.complete" ] || die "no test PKI in $pki (make $pki/.complete)"
[ -f "$build/rlm_phonecert.so" ] || die "$build/rlm_phonecert.so missing: run make first"
[ -x "$core_bench" ] || die "$core_bench missing (make bench builds it)"

CLK_TCK=$(getconf CLK_TCK)
CERTS=(lsc-new-rsa lsc-new-ec lsc-old-rsa mic)
# Which of a side's two server processes gets each certificate: stock
# FreeRADIUS picks a same-DN CAPF by name, so one process trusts the new
# CAPF first and the other the old one (see bench/README.md).
declare -A ROUTE=([lsc-new-rsa]=new [lsc-new-ec]=new [lsc-old-rsa]=old [mic]=old)
# (a) stock, (b) phonecert without the inventory, (c) the demo configuration
# as shipped; (c) only while the demo configuration has the SQL inventory.
SIDES=(stock phonecert)
shipped_inventory=false
if grep -qE '^[[:space:]]*phonecert_inventory[[:space:]]*$' "$repo/raddb/policy.d/phonecert" &&
   [ -e "$repo/raddb/mods-enabled/sql_phonecert" ]; then
	SIDES+=(demo)
	shipped_inventory=true
fi
# Each side's ratio is against BASE in the same round, target TARGET.
declare -A BASE=([phonecert]=stock [demo]=stock) TARGET=([phonecert]=1.02 [demo]=1.05)
# An admin's configuration (bench/layout.sh): (d) stock with the new CAPF only,
# (e) phonecert with the old CAPF listed first, (f) (e) with the inventory;
# one process each. Stock cannot hold a same-DN pair, so these sides serve
# lsc-new-rsa where the others serve lsc-old-rsa.
SIDES+=(admin_stock admin_phonecert)
BASE+=([admin_phonecert]=admin_stock) TARGET+=([admin_phonecert]=1.02)
if $shipped_inventory; then
	SIDES+=(admin_demo)
	BASE+=([admin_demo]=admin_stock) TARGET+=([admin_demo]=1.05)
fi
declare -A ADMIN_CERT=([lsc-old-rsa]=lsc-new-rsa)
is_admin() { [[ $1 == admin_* ]]; }
is_stock() { [ "$1" = stock ] || [ "$1" = admin_stock ]; }
if [ "$AXES" = 1 ]; then
	SIDES+=(quiet anchors10 anchors100 anchors100n)
	BASE+=([quiet]=stock [anchors10]=phonecert [anchors100]=phonecert [anchors100n]=phonecert)
	TARGET+=([quiet]=1.02 [anchors10]=1.01 [anchors100]=1.01 [anchors100n]=1.01)
	if $shipped_inventory; then
		SIDES+=(inventory)
		BASE[inventory]=demo TARGET[inventory]=1.01
	fi
fi
declare -A SERVERS PID PORT
SERVER_LAUNCH=()
for side in "${SIDES[@]}"; do
	if is_admin "$side"; then SERVERS[$side]="$side-new"; else SERVERS[$side]="$side-new $side-old"; fi
done

# The server of side $1 that serves certificate $2 (SERVING), and the certificate it is given (GIVEN).
serving() {	# SIDE CERT
	if is_admin "$1"; then SERVING=$1-new GIVEN=${ADMIN_CERT[$2]:-$2}; else SERVING=$1-${ROUTE[$2]} GIVEN=$2; fi
}


# ---------------------------------------------------------------- configurations
trap stop_servers EXIT

# ---------------------------------------------------------------- measurement

cpu_ticks() {	# utime + stime of all threads of process $1
	local stat
	stat=$(< "/proc/$1/stat") || die "server process $1 is gone"
	stat=${stat##*) }	# fields from 3 (state) on: utime is field 14, stime 15
	awk '{ print $12 + $13 }' <<<"$stat"
}

# Resident memory (VmRSS, kB) of a side's server processes, summed.
side_rss_kb() {
	local name total=0 kb
	for name in ${SERVERS[$1]}; do
		kb=$(awk '/^VmRSS:/ { print $2 }' "/proc/${PID[$name]}/status") || die "$name is gone"
		total=$((total + kb))
	done
	echo "$total"
}

log_size() { stat -c %s "$work/$1/log/radius.log"; }

# Count lines matching $2 in server $1's log after byte offset $3.
log_count() { tail -c +"$(($3 + 1))" "$work/$1/log/radius.log" | grep -cE -- "$2" || true; }

median() { sort -g | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

# ORDER: the sides in a new random order (Fisher-Yates on $RANDOM, which
# BENCH_SEED seeds before the first round: a run can be repeated job for job).
ORDER=()
shuffle_sides() {
	local i j t
	ORDER=("${SIDES[@]}")
	for ((i = ${#ORDER[@]} - 1; i > 0; i--)); do
		j=$((RANDOM % (i + 1)))
		t=${ORDER[i]} ORDER[i]=${ORDER[j]} ORDER[j]=$t
	done
}

# One round: N authentications against every side, interleaved in one job
# list (authentication i of every side, then i + 1...), so that every side
# meets the same machine at the same moment: the speed of this shared machine
# drifts by 10 % and more over a minute, which sides measured one after the
# other would take for a difference. The sides' order is shuffled for every i,
# so that no side always runs next to the same others (BENCH_P at a time).
# Sets ROUND_CPU[side] (seconds) and ROUND_WALL (seconds).
declare -A ROUND_CPU
run_round() {
	local side name i cert jobs=$work/jobs out=$work/round.out rc=0
	local -A cpu0 size0 expect
	local t0 t1 cpu ok logins rejects accepts errors

	# Idle servers use no CPU (bench/README.md), so the job list is written after the first reading.
	for side in "${SIDES[@]}"; do
		for name in ${SERVERS[$side]}; do
			expect[$name]=0
			size0[$name]=$(log_size "$name")
			cpu0[$name]=$(cpu_ticks "${PID[$name]}")
		done
	done
	: > "$jobs"
	for ((i = 0; i < N; i++)); do
		cert=${CERTS[i % ${#CERTS[@]}]}
		shuffle_sides
		for side in "${ORDER[@]}"; do
			serving "$side" "$cert"
			echo "$GIVEN ${PORT[$SERVING]}" >> "$jobs"
			expect[$SERVING]=$((expect[$SERVING] + 1))
		done
	done
	t0=$(date +%s%N)
	xargs -P "$P" -n 2 "$0" __auth < "$jobs" > "$out" || rc=$?
	t1=$(date +%s%N)
	if [ "$rc" -ne 0 ]; then
		grep FAIL "$out" | head -n 5 >&2
		die "an authentication failed (xargs status $rc): the run is invalid"
	fi
	ok=$(grep -c '^ok ' "$out" || true)
	[ "$ok" -eq $((N * ${#SIDES[@]})) ] || die "$ok of $((N * ${#SIDES[@]})) authentications succeeded: the run is invalid"
	sleep "$SETTLE"

	for side in "${SIDES[@]}"; do
		cpu=0
		for name in ${SERVERS[$side]}; do
			kill -0 "${PID[$name]}" 2>/dev/null || die "$name died during the round"
			cpu=$((cpu + $(cpu_ticks "${PID[$name]}") - cpu0[$name]))
			# The server's view: one outer Login OK per authentication (not check-eap-tls' "via TLS tunnel", were it on).
			logins=$(log_count "$name" 'Login OK: .*\(from client [^)]*[0-9A-F-]\)$' "${size0[$name]}")
			rejects=$(log_count "$name" 'Login incorrect' "${size0[$name]}")
			[ "$logins" -eq "${expect[$name]}" ] && [ "$rejects" -eq 0 ] ||
				die "$name logged $logins Login OK (expected ${expect[$name]}) and $rejects Login incorrect: the run is invalid"
			accepts=$(log_count "$name" 'phonecert: accept ' "${size0[$name]}")
			if is_stock "$side"; then
				[ "$accepts" -eq 0 ] || die "$name: the stock server logged phonecert lines"
			elif [ "$side" = quiet ]; then
				[ "$accepts" -eq 0 ] || die "$name: phonecert logged $accepts accepts with log_accepts = no"
			else
				[ "$accepts" -eq "${expect[$name]}" ] || die "$name: phonecert accepted $accepts of ${expect[$name]} phones"
			fi
			# A failed inventory write, for one, is logged but does not fail the authentication.
			errors=$(log_count "$name" '(Error|ERROR)' "${size0[$name]}")
			[ "$errors" -eq 0 ] || die "$name logged $errors errors during the round (see $work/$name/log/radius.log)"
		done
		ROUND_CPU[$side]=$(awk -v t="$cpu" -v hz="$CLK_TCK" 'BEGIN { printf "%.3f", t / hz }')
	done
	ROUND_WALL=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", (b - a) / 1e9 }')
}

# Where the CPU time goes, in time rather than instructions: one more round,
# not counted in part 1, of (a) and (b) alone with perf sampling their server
# processes (bench/cpu-samples.sh). Sets samples_md, or samples_why when perf
# cannot sample here.
sample_round() {
	local data=$work/cpu-samples.perf perf_pid pids_a pids_b saved_sides=("${SIDES[@]}") saved_n=$N
	pids_a="${PID[stock-new]},${PID[stock-old]}" pids_b="${PID[phonecert-new]},${PID[phonecert-old]}"
	if ! command -v perf >/dev/null; then
		samples_why="perf is not installed (Debian's linux-perf)"
		return 0
	fi
	echo "bench: one more round of (a) and (b), $SAMPLES_N authentications each, under perf at $SAMPLES_HZ Hz"
	perf record -q -F "$SAMPLES_HZ" -p "$pids_a,$pids_b" -o "$data" 2> "$work/cpu-samples.err" &
	perf_pid=$!
	sleep 1
	if ! kill -0 "$perf_pid" 2>/dev/null; then
		samples_why="perf could not sample radiusd here: $(head -c 300 "$work/cpu-samples.err" | tr '\n' ' ')"
		return 0
	fi
	SIDES=(stock phonecert) N=$SAMPLES_N
	run_round
	SIDES=("${saved_sides[@]}") N=$saved_n
	kill -INT "$perf_pid"
	wait "$perf_pid" || true
	samples_md=$("$repo/bench/cpu-samples.sh" "$data" "$SAMPLES_HZ" "$SAMPLES_N" "$pids_a" "$pids_b") ||
		samples_why="bench/cpu-samples.sh could not read $data"
}

# ---------------------------------------------------------------- run

started=$(date -u +%Y-%m-%dT%H:%M:%SZ)
load_start=$(cut -d' ' -f1-3 /proc/loadavg)
echo "bench: configurations in $work"
rm -rf "$work"/{stock,phonecert,demo,quiet,anchors10,anchors100,anchors100n,inventory}-{new,old} \
	"$work"/admin_{stock,phonecert,demo}-new "$work/clients" "$work/failures"
mkdir -p "$work"
for side in "${SIDES[@]}"; do
	for name in ${SERVERS[$side]}; do
		gen=${name##*-}
		case $side in
			admin_stock) layout_admin_stock "$work/$name" ;;
			admin_phonecert) layout_admin_phonecert "$work/$name" ;;
			admin_demo) layout_admin_demo "$work/$name" ;;
			stock) layout_stock "$work/$side-$gen" "$gen" ;;
			phonecert) layout_phonecert "$work/$side-$gen" ;;
			demo) layout_demo "$work/$side-$gen" ;;
			quiet) layout_rejects_logged "$work/$side-$gen" ;;
			anchors10) layout_anchors "$work/$side-$gen" 10 ;;
			anchors100) layout_anchors "$work/$side-$gen" 100 ;;
			anchors100n) layout_anchors "$work/$side-$gen" 100 no ;;
			inventory) layout_inventory "$work/$side-$gen" "$PHONES" ;;
		esac
	done
done
write_clients
for side in "${SIDES[@]}"; do
	for name in ${SERVERS[$side]}; do start_server "$name"; done
done
echo "bench: servers up: $(for n in "${!PORT[@]}"; do printf '%s=127.0.0.1:%s ' "$n" "${PORT[$n]}"; done)"

# Warm-up, and a check that each server accepts the certificates it serves.
for side in "${SIDES[@]}"; do
	for cert in "${CERTS[@]}"; do
		serving "$side" "$cert"
		"$0" __auth "$GIVEN" "${PORT[$SERVING]}" >/dev/null ||
			die "warm-up: $SERVING did not accept $GIVEN (output in $work/failures/)"
	done
done
# Why stock needs two processes: one with both CAPFs in ca_file trusts the
# first one of that name only.
if "$0" __auth lsc-old-rsa "${PORT[stock-new]}" >/dev/null 2>&1; then
	stock_same_dn="accepted lsc-old-rsa (unexpected: stock OpenSSL chose the right same-DN CAPF)"
else
	stock_same_dn="rejected lsc-old-rsa"
	rm -f "$work"/failures/lsc-old-rsa.*
fi
echo "bench: stock server with capf-new, capf-old in ca_file $stock_same_dn"
sleep "$SETTLE"

declare -A CPU RATIO RSS	# [side:repetition]
declare -A RATE			# [repetition]: authentications per second of the whole round
# Seeded here, not before start_server: its ports come from $RANDOM too, and two
# benches with the same seed would try the same ports on every retry.
RANDOM=$SEED
for ((r = 1; r <= R; r++)); do
	run_round
	RATE[$r]=$(awk -v w="$ROUND_WALL" -v n="$((N * ${#SIDES[@]}))" 'BEGIN { printf "%.1f", n / w }')
	printf 'bench: round %d/%d: %d auths (%d per side) in %.2f s: %.1f auth/s\n' \
		"$r" "$R" "$((N * ${#SIDES[@]}))" "$N" "$ROUND_WALL" "${RATE[$r]}"
	for side in "${SIDES[@]}"; do
		CPU[$side:$r]=$(awk -v c="${ROUND_CPU[$side]}" -v n="$N" 'BEGIN { printf "%.3f", c * 1000 / n }')
		RSS[$side:$r]=$(side_rss_kb "$side")
		printf 'bench:   %-12s radiusd CPU %.3f s = %.3f s per 1,000, RSS %d kB\n' \
			"$side" "${ROUND_CPU[$side]}" "${CPU[$side:$r]}" "${RSS[$side:$r]}"
	done
	for side in "${SIDES[@]}"; do
		is_stock "$side" && continue
		# Against its base side in the same round (read through a nameref in values).
		# shellcheck disable=SC2034
		RATIO[$side:$r]=$(awk -v a="${CPU[${BASE[$side]}:$r]}" -v b="${CPU[$side:$r]}" 'BEGIN { printf "%.3f", b / a }')
	done
done
[ "$SAMPLES" = 1 ] && sample_round
stop_servers

if [ "$PROFILE" = 1 ]; then
	echo "bench: instruction counts under callgrind (bench/profile.sh, PROFILE_N=${PROFILE_N:-20})"
	profile_md=$(PROFILE_OUT="$work/PROFILE.md" "$repo/bench/profile.sh") || die "bench/profile.sh failed"
fi

echo "bench: core verification (K=$K, $CORE_REPS repetitions per side)"
core_out=$("$core_bench" "$pki" "$K" "$CORE_REPS") || die "core_bench failed"

if [ "$FLOOD" = 1 ]; then
	echo "bench: the inventory under a flood of strangers (bench/flood.sh, BENCH_FLOOD_N=${BENCH_FLOOD_N:-100000})"
	flood_md=$("$repo/bench/flood.sh") || die "bench/flood.sh failed"
fi

if [ "$EXPECTED" = 1 ]; then
	echo "bench: CUCM's phone lists at scale (bench/expected.sh, BENCH_EXPECTED_N=${BENCH_EXPECTED_N:-50000})"
	expected_md=$("$repo/bench/expected.sh") || die "bench/expected.sh failed"
fi

if [ "$FLEET" = 1 ]; then
	echo "bench: shared session resumption across two servers (bench/fleet.sh, BENCH_FLEET_N=${BENCH_FLEET_N:-200})"
	# Section 1's single-server ratio of the admin-like sides, which the fleet's is held to.
	single_ratio=$(for ((r = 1; r <= R; r++)); do echo "${RATIO[admin_phonecert:$r]}"; done | median)
	fleet_md=$(BENCH_R=$R BENCH_P=$P BENCH_SEED=$SEED BENCH_SINGLE_RATIO=$single_ratio "$repo/bench/fleet.sh") ||
		die "bench/fleet.sh failed"
fi

if [ "$WRITER" = 1 ]; then
	echo "bench: what a written inventory entry costs (bench/writer.sh, BENCH_WRITER_N=${BENCH_WRITER_N:-100})"
	writer_md=$("$repo/bench/writer.sh") || die "bench/writer.sh failed"
fi

# ---------------------------------------------------------------- results

# The R values of CPU, RATE or RATIO ($1) for side $2, one a line.
values() {
	local -n ref=$1
	local r
	for ((r = 1; r <= R; r++)); do echo "${ref[$2:$r]}"; done
}
fmt() { awk -v v="$1" -v f="$2" 'BEGIN { printf f, v }'; }
le() { awk -v a="$1" -v b="$2" 'BEGIN { exit !(a <= b + 1e-9) }'; }

declare -A MED_CPU MED_RATIO MIN_RATIO MAX_RATIO POOLED VERDICT
declare -A LABEL=([stock]="(a) stock FreeRADIUS" [phonecert]="(b) + phonecert, inventory off"
		  [demo]="(c) demo configuration as shipped: + phonecert + SQL inventory"
		  [quiet]="(bq) as (b), log_accepts = no (no log line for an accepted phone)"
		  [anchors10]="(b10) as (b), 10 capf sections" [anchors100]="(b100) as (b), 100 capf sections"
		  [anchors100n]="(b100n) as (b100), the 98 extra ones with advertise = no"
		  [inventory]="(c$PHONES) as (c), $PHONES other phones in the inventory"
		  [admin_stock]="(d) stock as an admin has it: the new CAPF and the manufacturing bundle in eap's ca_file"
		  [admin_phonecert]="(e) + phonecert with an admin's anchors (the old CAPF first), inventory off"
		  [admin_demo]="(f) (e) with the inventory enabled as the README says")
declare -A SHORT=([stock]="(a)" [phonecert]="(b)" [demo]="(c)" [quiet]="(bq)" [anchors10]="(b10)" [anchors100]="(b100)" [anchors100n]="(b100n)"
		  [inventory]="(c$PHONES)" [admin_stock]="(d)" [admin_phonecert]="(e)" [admin_demo]="(f)")
for side in "${SIDES[@]}"; do
	MED_CPU[$side]=$(values CPU "$side" | median)
	is_stock "$side" && continue
	MED_RATIO[$side]=$(values RATIO "$side" | median)
	MIN_RATIO[$side]=$(values RATIO "$side" | sort -g | head -n 1)
	MAX_RATIO[$side]=$(values RATIO "$side" | sort -g | tail -n 1)
	POOLED[$side]=$(paste <(values CPU "${BASE[$side]}") <(values CPU "$side") | awk '{ a += $1; b += $2 } END { printf "%.3f", b / a }')
	target=${TARGET[$side]}
	if le "${MED_RATIO[$side]}" "$target"; then
		VERDICT[$side]="target **met** ($(fmt "${MED_RATIO[$side]}" %.4f) ≤ $target × ${SHORT[${BASE[$side]}]})"
	else
		VERDICT[$side]="target **MISSED** ($(fmt "${MED_RATIO[$side]}" %.4f) > $target × ${SHORT[${BASE[$side]}]})"
	fi
	if le "${MIN_RATIO[$side]}" "$target" && ! le "${MAX_RATIO[$side]}" "$target"; then
		VERDICT[$side]="${VERDICT[$side]}, but its rounds fall on both sides of the target, so this run does not settle it (re-run with a larger BENCH_R)"
	fi
done
# How much stock itself varies from round to round: the machine's drift.
spread_stock=$(values CPU stock | sort -g | awk -v m="${MED_CPU[stock]}" '{ v[NR] = $1 } END { printf "%.1f", (v[NR] - v[1]) * 100 / m }')
sides_text=$(for side in "${SIDES[@]}"; do printf '%s, ' "${SHORT[$side]}"; done)
sides_text=${sides_text%, }

core_rows=$(awk -F'\t' '$1 != "signature"' <<<"$core_out")
sig_us=$(awk -F'\t' '$1 == "signature" { print $5 }' <<<"$core_out")
core_missed=$(awk -F'\t' -v t="$CORE_TARGET" '$1 != "same-dn-right-first" && $7 > t + 1e-9 { printf "%s%s (%s×)", sep, $1, $7; sep = ", " }' <<<"$core_rows")
if [ -z "$core_missed" ]; then
	core_verdict="**met** for every case (≤ ${CORE_TARGET}×)"
else
	core_verdict="**MISSED** (> ${CORE_TARGET}×): $core_missed"
fi
rsa_extra=$(awk -F'\t' '$1 == "lsc-rsa" { printf "%.0f", $5 - $6 }' <<<"$core_rows")
rsa_ossl=$(awk -F'\t' '$1 == "lsc-rsa" { printf "%.0f", $6 }' <<<"$core_rows")
wrong_extra=$(awk -F'\t' '$1 == "same-dn-wrong-first" { w = $5 } $1 == "same-dn-right-first" { r = $5 } END { printf "%.0f", w - r }' <<<"$core_rows")

cpu_model=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)
cores=$(nproc)
debian=$(cat /etc/debian_version 2>/dev/null || echo unknown)
fr_version=$(dpkg-query -W -f='${Version}' freeradius 2>/dev/null || freeradius -v | head -n 1)
ssl_version=$(openssl version)
ssl_pkg=$(dpkg-query -W -f='${Version}' libssl3 2>/dev/null || echo unknown)
compiler=$(${CC:-cc} --version | head -n 1)
kernel=$(uname -r)
revision=$(code_revision)
load_end=$(cut -d' ' -f1-3 /proc/loadavg)

tmp=$(mktemp "$work/RESULTS.XXXXXX")
{
	cat <<END
# phonecert benchmark results

Generated by \`make bench\` (bench/run.sh) on $started; what is measured and
how: [bench/README.md](README.md). Reproduce with

    make bench                           # defaults: BENCH_N=400 BENCH_R=3
    BENCH_N=1000 BENCH_R=10 make bench   # the final run: 10,000 authentications per side

This run: BENCH_N=$N BENCH_R=$R BENCH_P=$P BENCH_THREADS=$THREADS BENCH_AXES=$AXES BENCH_PHONES=$PHONES BENCH_PROFILE=$PROFILE BENCH_SAMPLES=$SAMPLES BENCH_FLEET=$FLEET BENCH_WRITER=$WRITER BENCH_SEED=$SEED.

These numbers come from a **shared 2-core machine**: other developers' builds,
tests and fuzzers may run at the same time (load average $load_start at the
start, $load_end at the end). CPU time is counted for the server processes
only; other load still changes it through caches and clock speed, and changes
the wall-clock rates a lot more; the sides of a round run side by side, so
the machine's drift touches them alike.

## Machine and versions

| | |
|---|---|
| CPU | $cpu_model, $cores cores |
| OS | Debian $debian, Linux $kernel |
| FreeRADIUS | $fr_version (Debian package) |
| OpenSSL | $ssl_version (libssl3 $ssl_pkg) |
| Compiler | $compiler |
| Code | $revision |

## 1. End to end: EAP-TLS phone authentications

$R rounds (repetitions); in each, $N authentications against each of $sides_text,
interleaved in one job list (the first authentication of every side, then
the second..., the sides in a new random order each time) run by $P eapol_test
processes in parallel, cycling over
lsc-new-rsa, lsc-new-ec, lsc-old-rsa, mic; radiusd threaded (\`freeradius -f\`, $THREADS worker threads per
process), TLS session cache off (every authentication is a full handshake).
Every authentication was checked: eapol_test SUCCESS, one Login OK and no
error in the server's log, and with phonecert one \`phonecert: accept\` line$( [[ " ${SIDES[*]} " == *" quiet "* ]] && printf '%s' " (none with (bq)'s \`log_accepts = no\`)").

| | radiusd CPU s per 1,000 auths (median) | CPU per auth, ratio (median) | to | target | RSS after the first / last round (kB) |
|---|---:|---:|---|---:|---:|
END
	for side in "${SIDES[@]}"; do
		if is_stock "$side"; then ratio=1 to=- target=-
		else ratio="**$(fmt "${MED_RATIO[$side]}" %.4f)**" to=${SHORT[${BASE[$side]}]} target="≤ ${TARGET[$side]}"; fi
		echo "| ${LABEL[$side]} | $(fmt "${MED_CPU[$side]}" %.3f) | $ratio | $to | $target | ${RSS[$side:1]} / ${RSS[$side:$R]} |"
	done
	echo
	for side in "${SIDES[@]}"; do
		is_stock "$side" && continue
		echo "- ${SHORT[$side]}: ${VERDICT[$side]}. Ratio per round $(values RATIO "$side" | paste -sd, | sed 's/,/, /g'); all rounds pooled ${POOLED[$side]}; $(awk -v a="${MED_CPU[${BASE[$side]}]}" -v b="${MED_CPU[$side]}" 'BEGIN { printf "%+.0f", (b - a) * 1000 }') µs of radiusd CPU per authentication against ${SHORT[${BASE[$side]}]} (difference of the medians)."
	done
	cat <<END

Stock alone varied by $spread_stock % (max − min over median) from round to
round in this run: the drift of the machine, which a ratio of two sides of
the same round cancels, as they ran side by side. The ratio of a round
compares a side with its base side (column "to") in that round; the median
of those ratios is the one reported, and their spread is this run's noise.
RSS is each side's two server processes together, after the first and after
the last of its $R rounds ($((N * R)) authentications per side in all): flat
memory means the two are close.

Per round (CPU s per 1,000 authentications of each side; authentications per
second of the whole round, every side together):

END
	printf '| round |'
	for side in "${SIDES[@]}"; do printf ' %s CPU |' "${SHORT[$side]}"; done
	printf ' auth/s |\n|---:|'
	for side in "${SIDES[@]}"; do printf -- '---:|'; done
	printf -- '---:|\n'
	for ((r = 1; r <= R; r++)); do
		printf '| %d |' "$r"
		for side in "${SIDES[@]}"; do printf ' %s |' "${CPU[$side:$r]}"; done
		printf ' %s |\n' "${RATE[$r]}"
	done
	cat <<END

**The sides.** (a) is the demo configuration without phonecert: no module, no
call to it, to its switch reply policy or to its inventory, and the phone
anchors (both CAPF certificates, the manufacturing bundle) in eap's
\`ca_file\`. (b) is the demo configuration with phonecert, its switch reply
policy and its log line, without the SQL phone inventory.
END
	if [[ " ${SIDES[*]} " == *" demo "* ]]; then
		cat <<END
(c) is the demo configuration as shipped: (b) plus the phone inventory
(policy \`phonecert_inventory\`): what this server last wrote per phone in
FreeRADIUS' rlm_cache, and two SQLite upserts through rlm_sql when an
authentication says something new. lsc-new-rsa and mic are one phone (one
MAC) presenting two certificates in turn, so its state changes every time and
each of those authentications is written; lsc-new-ec and lsc-old-rsa repeat
and are written once an hour: half the authentications write, a pessimistic
mix. The difference between (c) and (b) is the cost of the inventory.
END
	fi
	if [ "$AXES" = 1 ]; then
		cat <<END

**The axes.** (bq) is (b) with \`log_accepts = no\`: no log line for an
accepted phone (every authentication here is accepted), compared with (a) as
(b) is: what the module costs without its one line per accepted phone.
(b10) and (b100) are (b) with 8 or 98 more \`capf\` sections
(CAPF certificates of their own DNs, made with openssl in
\`build/bench/extra-capf\`), the manufacturing bundle unchanged: the issuer
lookup, the trust set and the CA names of the CertificateRequest grow with
them. (b100n) is (b100) with \`advertise = no\` in the 98 extra sections: the
same trust set, the same CA names in the CertificateRequest as (b). $( [ -n "${SHORT[inventory]:-}" ] && [[ " ${SIDES[*]} " == *" inventory "* ]] && printf '%s' "(c$PHONES) is (c) with $PHONES other phones already in its SQLite inventory (their latest state and three days each). ")Each is compared with (b) or (c) of the same round, (bq) with (a).
END
	fi
	cat <<END

**An admin's configuration.** (d), (e) and (f) are configured as an admin in
the middle of a rotation has it, and as an outside bench measured: (e) lists
the retiring CAPF first and the new one (same DN) second, so a new LSC's
same-DN candidates start with the wrong key; its manufacturing anchor is the
shipped bundle of Cisco's CAs with the test chain; (f) adds the inventory as
the README tells an admin to enable it (sql_phonecert, cache_phonecert, the
writer site). Stock (d) holds what it can: eap's \`ca_file\` with the non-phone
CAs, the new CAPF only (a same-DN pair fails stock) and the same manufacturing
bundle. Each is one server process; they serve lsc-new-rsa where the other
sides serve lsc-old-rsa, so their mix is RSA and EC LSCs and a MIC, and
lsc-new-rsa and mic, one phone, alternate as in (c). (e) and (f) are compared
with (d) of the same round.

**Why sides (a) to (c) run as two processes.** Stock FreeRADIUS (OpenSSL) picks a
CA from eap's \`ca_file\` by name; the CAPF LSCs carry no Authority Key
Identifier, so with two same-DN CAPF certificates only the one found first is
ever tried and every LSC of the other generation fails ("certificate
signature failure"). In this run a stock server with capf-new, capf-old in its
ca_file $stock_same_dn. So that stock accepts the same authentications,
side (a) is two server processes with the same anchors in eap's ca_file,
ordered capf-new first in one (serving lsc-new-rsa, lsc-new-ec) and capf-old
first in the other (serving lsc-old-rsa, mic). The phonecert sides run the
same way, two processes with the same routing (both CAPFs configured in each,
capf-new first), so every side has the same process layout and load per
process; CPU is the sum over a side's two processes. The phonecert process
serving lsc-old-rsa tries capf-new before capf-old, as during a real
rotation.

## 2. Core: one certificate verification

phonecert: \`pc_verify_chain\` on a sealed trust set. OpenSSL:
\`X509_verify_cert\` against an \`X509_STORE\` with the anchor,
\`X509_V_FLAG_PARTIAL_CHAIN\` (as FreeRADIUS), purpose SSL client, security
level 2, a new \`X509_STORE_CTX\` per verification. The leaf alone is sent.
CPU microseconds per verification, median of $CORE_REPS repetitions of $K
verifications each.

| case | certificate | phonecert anchors | OpenSSL store | phonecert µs | OpenSSL µs | ratio |
|---|---|---|---|---:|---:|---:|
END
	awk -F'\t' '{ printf "| %s%s | %s | %s | %s | %s | %s | %s× |\n", $1, ($1 == "same-dn-right-first" ? " (reference)" : ""), $2, $3, $4, $5, $6, $7 }' <<<"$core_rows"
	cat <<END

Target ≤ ${CORE_TARGET}× (the reference row not counted): $core_verdict.
END
	if [ -n "$sig_us" ]; then
		cat <<END

In this run a signature check alone (\`X509_verify\` of lsc-new-rsa with
capf-new's key) cost $sig_us µs, OpenSSL's whole verification of that LSC
$rsa_ossl µs, and phonecert $rsa_extra µs more than OpenSSL (the wrong same-DN
CAPF tried first: $wrong_extra µs more again). phonecert's extra for the RSA
LSC is $(awk -v e="$rsa_extra" -v c="${MED_CPU[stock]}" 'BEGIN { printf "%.1f", e / (c * 10) }') % of stock radiusd's CPU per authentication in part 1.
Where the time goes: bench/README.md.
END
	fi
	if [ -n "${profile_md:-}" ]; then
		printf '\n## 3. Where the time goes: instruction counts and cache misses\n\n%s\n' "$profile_md"
	fi
	if [ -n "${samples_md:-}" ]; then
		cat <<END

## 4. Where the time goes: CPU time, sampled

One more round after the $R of part 1, not counted there: $SAMPLES_N
authentications against (a) and (b) alone, interleaved as in part 1, with
\`perf record -F $SAMPLES_HZ\` sampling their four server processes (every
thread, user and kernel time). A sample is a moment of CPU time, so this
weighs what ran by the time it took, where section 3 counts instructions and simulated L1 misses:
an instruction that waits for memory weighs more here. Each count is a
sample of its own, so a difference is only worth its 2σ (column ±); perf's
own interrupts slow both sides alike.

$samples_md
END
	elif [ "$SAMPLES" = 1 ]; then
		printf '\n## 4. Where the time goes: CPU time, sampled\n\nNot measured in this run: %s.\n' "${samples_why:-unknown}"
	fi
	if [ -n "${flood_md:-}" ]; then
		printf '\n## 5. The inventory under a flood of strangers\n\n%s\n' "$flood_md"
		rate_median=$(for ((r = 1; r <= R; r++)); do echo "${RATE[$r]}"; done | median)
		flood_rate=$(sed -n 's/^rate=//p' "$work/flood/values") flood_cpu=$(sed -n 's/^cpu=//p' "$work/flood/values")
		cat <<END

Does the writer keep up? It wrote $flood_rate entries a second on one thread,
at $flood_cpu s of radiusd CPU per 1,000 entries. A stranger's handshake does
nearly all the work of a phone's before it is refused (the key exchange, the
server's signature, the chain's verification): $(fmt "${MED_CPU[stock]}" %.3f) s of CPU per 1,000
for stock FreeRADIUS in section 1, $(awk -v h="${MED_CPU[stock]}" -v w="$flood_cpu" 'BEGIN { printf "%.1f", h / w }') times what writing its entry costs, and
this machine served $rate_median authentications a second there ($P clients at a time).
END
	fi
	if [ -n "${expected_md:-}" ]; then
		printf "\n## 6. CUCM's phone lists at scale\n\n%s\n" "$expected_md"
	fi
	if [ -n "${fleet_md:-}" ]; then
		printf '\n## 7. Shared session resumption across two servers\n\n%s\n' "$fleet_md"
	fi
	if [ -n "${writer_md:-}" ]; then
		printf '\n## 8. What a written inventory entry costs\n\n%s\n' "$writer_md"
	fi
} > "$tmp"
mv "$tmp" "$results"
chmod 644 "$results"
echo
cat "$results"

#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Shared TLS session resumption across two servers (`make bench`, section 7,
# or `make bench-fleet`; never part of `make test`). Two fleets side by side,
# each two radiusd (threaded, as in section 1) sharing one memcached through
# rlm_cache's memcached driver, as doc/fleet.md sets them up:
#
#   (fs) stock FreeRADIUS, no phonecert: the same store and tls-cache site,
#        which cuts the session into parts with a regex instead of phonecert
#        (rlm_cache reads back no value over 1023 characters). That needs
#        PCRE: Debian 12's FreeRADIUS has it, Debian 13's has not (glibc's
#        regex takes seconds there), so there (fs) is left out, and said so.
#   (fp) phonecert: the shipped phonecert-tls-cache site and
#        cache_phonecert_tls, fleet_secret_file set.
#
# Each phone is one eapol_test through fleet-relay.py (the integration
# suites' relay): a full handshake on server A, then its session resumed on
# server B. So A's CPU per authentication is a full handshake with its store
# write, B's a resumption across servers with its store read (and with
# phonecert, the seal's check and the post-auth re-check). BENCH_R rounds of
# BENCH_FLEET_N phones per fleet, the fleets' phones interleaved. Before the
# rounds, the size of a store entry per kind of certificate, one phone each
# on (fp)'s A.
#
# After the rounds, a boot storm per fleet, one fleet at a time: BENCH_STORM_N
# phones re-authenticating at once, BENCH_STORM_P eapol_test at a time, the
# same phone (A then B) as above, against (fs), (fp) and
#   (fo) phonecert's two servers, each with its own session cache
#        (persist_dir, as the demo configuration ships): no shared store, so
#        B makes a full handshake too.
# Per storm: the time until every phone is through, each phone's wall time
# and its authentications' on A and B (the relay's log), the phones that
# failed (timeouts), the requests sent twice (retries, the relay's count)
# and the store's errors in the servers' logs.
#
# The fleet's ratio: phonecert's CPU per phone (A + B) against stock's, from
# the rounds; with BENCH_SINGLE_RATIO (bench/run.sh passes section 1's (e)
# against (d) of the same run), how much the fleet adds to it.
#
# Prints its results as Markdown on stdout, progress on stderr. Settings:
#   BENCH_FLEET_N=200  phones (eapol_test processes) per fleet and round
#   BENCH_R=3, BENCH_P=4, BENCH_SEED=1   as in bench/run.sh
#   BENCH_STORM_N=1000 phones per storm (0: no storm)
#   BENCH_STORM_P=64   eapol_test processes at a time in a storm
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
build=${BENCH_BUILD:-$repo/build}
work=$build/bench/fleet
pki=$build/test-pki
secret=testing123
# shellcheck source=bench/layout.sh
source "$repo/bench/layout.sh"

# One phone: eapol_test -r 1 through FLEET's relay with certificate CERT.
# Sets OUT (eapol_test's output) and VERDICT: "resumed" or "full" (both
# authentications accepted; B resumed the session, or made a full handshake),
# or "failed" (no answer within the bounds, or not accepted twice).
phone() {	# FLEET CERT
	if OUT=$(timeout 40 eapol_test -c "$work/clients/$2.conf" -a 127.0.0.1 -p "$(cat "$work/relay-$1/port")" \
			-s "$secret" -t 20 -M "$(cat "$work/clients/$2.mac")" -r 1 2>&1) &&
	   [ "$(grep -c '^CTRL-EVENT-EAP-SUCCESS' <<<"$OUT")" = 2 ]; then
		if [ "$(grep -o 'resumed=[01]' <<<"$OUT" | tr '\n' ' ')" = "resumed=0 resumed=1 " ]; then VERDICT=resumed
		else VERDICT=full; fi
	else
		VERDICT=failed
	fi
}

# Run by xargs: fleet.sh __phone FLEET CERT prints "VERDICT FLEET", or saves
# eapol_test's output and exits 255 (which makes xargs stop): a round needs
# every phone. fleet.sh __storm FLEET CERT prints "VERDICT FLEET MS" (MS: the
# phone's wall time, both authentications) and carries on after a failure
# (its output saved): a storm counts them.
if [ "${1:-}" = __phone ] || [ "${1:-}" = __storm ]; then
	t0=$(date +%s%N)
	phone "$2" "$3"
	if [ "$1" = __storm ]; then
		echo "$VERDICT $2 $((($(date +%s%N) - t0) / 1000000))"
		[ "$VERDICT" = failed ] && (eapol_failure "storm-$2-$3" "$OUT" "storm $2 $3" > /dev/null)
		exit 0
	fi
	[ "$VERDICT" = failed ] && eapol_failure "$2-$3" "$OUT" "$2 $3"
	echo "$VERDICT $2"
	exit 0
fi

N=${BENCH_FLEET_N:-200}
R=${BENCH_R:-3}
P=${BENCH_P:-4}
SEED=${BENCH_SEED:-1}
STORM_N=${BENCH_STORM_N:-1000}
STORM_P=${BENCH_STORM_P:-64}
THREADS=4
CLEANUP_DELAY=2
SETTLE=$((CLEANUP_DELAY + 1))
TARGET=0.5
ADDED_TARGET=0.03	# what the fleet may add to the single-server ratio
CLK_TCK=$(getconf CLK_TCK)
CERTS=(lsc-new-rsa lsc-new-ec mic)	# all of them verified by one CAPF (stock picks a same-DN CAPF by name)
declare -A PID PORT
SERVER_LAUNCH=()

die() { echo "bench/fleet: $*" >&2; exit 1; }
for v in N R P SEED; do [[ ${!v} =~ ^[0-9]+$ ]] && [ "${!v}" -ge 1 ] || die "BENCH_${v/N/FLEET_N} must be a positive integer"; done
[ "$N" -le 10000 ] || die "BENCH_FLEET_N must be at most 10000"
[[ $STORM_N =~ ^[0-9]+$ ]] && [ "$STORM_N" -le 10000 ] || die "BENCH_STORM_N must be a number from 0 to 10000"
[[ ${BENCH_SINGLE_RATIO:-0} =~ ^[0-9]+(\.[0-9]+)?$ ]] || die "BENCH_SINGLE_RATIO must be a number"
[[ $STORM_P =~ ^[0-9]+$ ]] && [ "$STORM_P" -ge 1 ] && [ "$STORM_P" -le 256 ] || die "BENCH_STORM_P must be from 1 to 256"
[ -f "$pki/.complete" ] || die "no test PKI in $pki"
[ -f "$build/rlm_phonecert.so" ] || die "$build/rlm_phonecert.so missing: run make first"
for tool in memcached eapol_test python3; do command -v "$tool" >/dev/null || die "$tool is missing (make bench-deps)"; done
[ -e /usr/lib/freeradius/rlm_cache_memcached.so ] || die "rlm_cache_memcached is missing (Debian's freeradius-memcached)"

# memcached_start, memcached_stop, stop_pid: the fleet suites' (IT_OPEN: where memcached logs).
# shellcheck source=tests/integration/fleet-lib.sh
source "$repo/tests/integration/fleet-lib.sh"
IT_OPEN=$work
IT_REPO=$repo
RELAYS=()
cleanup() {
	local pid
	stop_servers
	for pid in "${RELAYS[@]}"; do stop_pid "$pid"; done
	memcached_stop
}
trap cleanup EXIT

have_pcre() { grep -q '^#define HAVE_PCRE 1' /usr/include/freeradius/autoconf.h 2>/dev/null; }
FLEETS=(fp)
if have_pcre; then FLEETS=(fs fp); else stock_why="this FreeRADIUS is built without PCRE"; fi
STARTED=("${FLEETS[@]}") STORMS=()	# the fleets started; those of the storms: every one, (fo) too
if [ "$STORM_N" != 0 ]; then STARTED+=(fo) STORMS=("${STARTED[@]}"); fi

# ---------------------------------------------------------------- configurations

# eap's session cache through the tls-cache site on this bench's memcached, as doc/fleet.md says.
enable_store() {
	local dir=$1 eap=$1/raddb/mods-available/eap
	sed -i -e '/^[[:space:]]*cache {/,/}/ s/^\([[:space:]]*enable = \)no/\1yes/' \
	       -e 's|^\([[:space:]]*\)persist_dir = .*|\1virtual_server = "phonecert-tls-cache"|' "$eap"
	grep -q 'virtual_server = "phonecert-tls-cache"' "$eap" || die "$dir: cannot point eap's cache at the site"
	ln -sf ../mods-available/cache_phonecert_tls "$dir/raddb/mods-enabled/cache_phonecert_tls"
	ln -sf ../sites-available/phonecert-tls-cache "$dir/raddb/sites-enabled/phonecert-tls-cache"
	sed -i "s|--SERVER=127.0.0.1:11211|--SERVER=127.0.0.1:$FLEET_MC_PORT|" "$dir/raddb/mods-available/cache_phonecert_tls"
}

# (fs): stock (bench/layout.sh, the new CAPF first in eap's ca_file) and the
# site without phonecert: the session cut into parts by a regex (PCRE).
layout_fleet_stock() {
	layout_stock "$1" new
	enable_store "$1"
	cat > "$1/raddb/sites-available/phonecert-tls-cache" <<'EOF'
server phonecert-tls-cache {
	cache load {
		update control {
			&Cache-Read-Only := yes
		}
		cache_phonecert_tls
		if (&session-state:Phonecert-TLS-Session-Part) {
			update session-state {
				&TLS-Session-Data := "0x%{hex:&session-state:Phonecert-TLS-Session-Part[0]}%{hex:&session-state:Phonecert-TLS-Session-Part[1]}%{hex:&session-state:Phonecert-TLS-Session-Part[2]}%{hex:&session-state:Phonecert-TLS-Session-Part[3]}"
			}
		}
	}
	cache save {
		if (&session-state:TLS-Session-Data =~ /^0x([0-9a-f]{1,1000})([0-9a-f]{0,1000})([0-9a-f]{0,1000})([0-9a-f]{0,1000})$/) {
			update session-state {
				&Phonecert-TLS-Session-Part := "0x%{1}"
				&Phonecert-TLS-Session-Part += "0x%{2}"
				&Phonecert-TLS-Session-Part += "0x%{3}"
				&Phonecert-TLS-Session-Part += "0x%{4}"
			}
			update control {
				&Cache-Merge := no
			}
			cache_phonecert_tls
		}
	}
	cache clear {
		update control {
			&Cache-TTL := 0
		}
		cache_phonecert_tls
	}
	cache refresh {
		ok
	}
}
EOF
}

# (fp): phonecert without the inventory (bench/layout.sh) and the shipped site, sealed: one secret for the fleet.
FLEET_KEY="bench-1 $(openssl rand -hex 32)"
layout_fleet_phonecert() {
	layout_phonecert "$1"
	enable_store "$1"
	echo "$FLEET_KEY" > "$1/raddb/phonecert-fleet-secret"
	chmod 600 "$1/raddb/phonecert-fleet-secret"
	sed -i 's|^\([[:space:]]*tls_config = .*\)|\1\n\tfleet_secret_file = ${confdir}/phonecert-fleet-secret|' \
		"$1/raddb/mods-available/phonecert"
	grep -q 'fleet_secret_file' "$1/raddb/mods-available/phonecert" || die "$1: cannot set fleet_secret_file"
}

# (fo): phonecert as (fp) without the store: eap's session cache on, in
# this server's persist_dir, as the demo configuration ships it.
layout_fleet_own() {
	layout_phonecert "$1"
	sed -i '/^[[:space:]]*cache {/,/}/ s/^\([[:space:]]*enable = \)no/\1yes/' "$1/raddb/mods-available/eap"
	grep -A1 '^[[:space:]]*cache {' "$1/raddb/mods-available/eap" | grep -q 'enable = yes' ||
		die "$1: cannot enable eap's session cache"
}

# An LSC with an RSA-4096 key from the demo's current CAPF, for the entry sizes.
make_rsa4096_lsc() {
	local dir=$work/lsc-4096
	mkdir -p "$dir"
	[ -s "$dir/lsc-rsa4096.pem" ] && return 0
	openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:4096 -out "$dir/lsc-rsa4096.key" 2>/dev/null &&
	openssl req -new -key "$dir/lsc-rsa4096.key" -out "$dir/lsc-rsa4096.csr" \
		-subj "/serialNumber=PID:CP-8861 SN:FCH4096AAAA/C=MX/O=Cisco/OU=Voice/CN=CP-8861-SEP2C3124C94096" &&
	printf '%s\n' "basicConstraints = critical, CA:FALSE" "keyUsage = critical, digitalSignature, keyEncipherment" \
		"extendedKeyUsage = serverAuth, clientAuth, 1.3.6.1.5.5.7.3.5" "subjectAltName = URI:SEP2C3124C94096" \
		> "$dir/lsc.ext" &&
	openssl x509 -req -in "$dir/lsc-rsa4096.csr" -CA "$pki/capf-new.pem" -CAkey "$pki/capf-new.key" -set_serial 0x4096 \
		-days 3650 -sha256 -extfile "$dir/lsc.ext" -out "$dir/lsc-rsa4096.pem" 2>/dev/null ||
		die "openssl cannot make an RSA-4096 LSC"
}

# ---------------------------------------------------------------- measurement

cpu_ticks() {	# utime + stime of all threads of process $1
	local stat
	stat=$(< "/proc/$1/stat") || die "server process $1 is gone"
	stat=${stat##*) }
	awk '{ print $12 + $13 }' <<<"$stat"
}
percentile() { sort -g | awk -v p="$1" '{ v[NR] = $1 } END { i = int(NR * p / 100); if (i < NR * p / 100) i++; print (NR ? v[i < 1 ? 1 : i] : "-") }'; }	# nearest rank
median() { sort -g | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
store() { python3 "$repo/tests/integration/memcache.py" "$FLEET_MC_PORT" "$@"; }

# The store entry one phone with CERT (a certificate of the test PKI, or a
# path without .pem) leaves on (fp)'s A: "KIND blob-bytes entry-bytes
# phonecert-bytes tls-bytes" (the session, the whole entry as rlm_cache
# writes it, its Phonecert-* lines, its TLS-* lines).
entry_size() {	# KIND CERT MAC IDENTITY
	local kind=$1 cert=$2 before key entry
	[[ $cert == /* ]] || cert=$pki/$cert
	cat > "$work/size.conf" <<EOF
network={
	key_mgmt=WPA-EAP
	eap=TLS
	identity="$4"
	ca_cert="$pki/server-ca.pem"
	client_cert="$cert.pem"
	private_key="$cert.key"
	eapol_flags=0
}
EOF
	before=$(store keys | sort)
	timeout 40 eapol_test -c "$work/size.conf" -a 127.0.0.1 -p "${PORT[fp-A]}" -s "$secret" -t 20 -M "$3" >/dev/null 2>&1 ||
		die "entry size: $kind was not accepted"
	key=$(comm -13 <(echo "$before") <(store keys | sort) | head -n 1)
	[ -n "$key" ] || die "entry size: no new entry for $kind"
	entry=$(store get "$key")
	awk -v kind="$kind" '
		/^&session-state:Phonecert-TLS-Session-Part \+= 0x/ { blob += (length($NF) - 2) / 2 }
		/^&reply:Phonecert-/ { pc += length($0) + 1 }
		/^&reply:TLS-/ { tls += length($0) + 1 }
		{ all += length($0) + 1 }
		END { print kind, blob, all, pc, tls }' <<<"$entry"
}

# One round: N phones per fleet, interleaved (fleet order shuffled per phone).
# Sets CPU_FULL[fleet:r], CPU_RESUMED[fleet:r] (radiusd CPU s per 1,000
# authentications on A, on B) and NOT_RESUMED[fleet:r].
declare -A CPU_FULL CPU_RESUMED NOT_RESUMED
run_round() {
	local r=$1 fleet name i j t jobs=$work/jobs out=$work/round.out rc=0 order
	local -A cpu0
	for fleet in "${FLEETS[@]}"; do
		for name in "$fleet-A" "$fleet-B"; do cpu0[$name]=$(cpu_ticks "${PID[$name]}"); done
	done
	: > "$jobs"
	for ((i = 0; i < N; i++)); do
		order=("${FLEETS[@]}")
		if [ "${#order[@]}" = 2 ] && [ $((RANDOM % 2)) = 1 ]; then order=("${order[1]}" "${order[0]}"); fi
		for fleet in "${order[@]}"; do echo "$fleet ${CERTS[i % ${#CERTS[@]}]}" >> "$jobs"; done
	done
	xargs -P "$P" -n 2 "$0" __phone < "$jobs" > "$out" || rc=$?
	if [ "$rc" -ne 0 ]; then
		grep FAIL "$out" | head -n 5 >&2
		die "a phone was not accepted (xargs status $rc): the run is invalid"
	fi
	sleep "$SETTLE"
	for fleet in "${FLEETS[@]}"; do
		[ "$(grep -c " $fleet\$" "$out")" = "$N" ] || die "$fleet: not $N phones in round $r"
		NOT_RESUMED[$fleet:$r]=$(grep -c "^full $fleet\$" "$out" || true)
		for j in A B; do
			t=$(( $(cpu_ticks "${PID[$fleet-$j]}") - cpu0[$fleet-$j] ))
			t=$(awk -v t="$t" -v hz="$CLK_TCK" -v n="$N" 'BEGIN { printf "%.3f", t / hz * 1000 / n }')
			if [ "$j" = A ]; then CPU_FULL[$fleet:$r]=$t; else CPU_RESUMED[$fleet:$r]=$t; fi
		done
	done
}

# A boot storm against FLEET: STORM_N phones, STORM_P at a time. Sets, by
# fleet: STORM_WALL (s until the last phone is through), STORM_CPU (radiusd
# CPU s of A and B per 1,000 phones), PHONE_P50/P99 (ms, each phone's
# eapol_test), A_P50/P99 and B_P50/P99 (ms, its first and second
# authentication, the relay's log: from the first request to the server's
# answer), RESUMED, FAILED, RETRIES, STORE_ERRORS (the store's errors that A
# and B logged: each a lookup or write given up, so a phone not resumed).
declare -A STORM_WALL STORM_CPU PHONE_P50 PHONE_P99 A_P50 A_P99 B_P50 B_P99 RESUMED FAILED RETRIES STORE_ERRORS
auth_ms() { tail -n +"$(($2 + 1))" "$1/log" | awk -v n="$3" '$1 == n { print $4 }'; }	# RELAY-DIR LINES-BEFORE N
storm() {
	local fleet=$1 i jobs=$work/storm-$1.jobs out=$work/storm-$1.out relay=$work/relay-$1 lines0 retries0 t0 t1 cpu0 cpu1 j
	local -A size0
	for j in A B; do size0[$j]=$(stat -c %s "$work/$fleet-$j/log/radius.log"); done
	lines0=$(wc -l < "$relay/log")
	retries0=$(cat "$relay/retries" 2>/dev/null || echo 0)
	for ((i = 0; i < STORM_N; i++)); do echo "$fleet ${CERTS[i % ${#CERTS[@]}]}"; done > "$jobs"
	cpu0=$(($(cpu_ticks "${PID[$fleet-A]}") + $(cpu_ticks "${PID[$fleet-B]}")))
	t0=$(date +%s%N)
	xargs -P "$STORM_P" -n 2 "$0" __storm < "$jobs" > "$out" || die "storm $fleet: xargs failed"
	t1=$(date +%s%N)
	sleep "$SETTLE"
	cpu1=$(($(cpu_ticks "${PID[$fleet-A]}") + $(cpu_ticks "${PID[$fleet-B]}")))
	[ "$(wc -l < "$out")" = "$STORM_N" ] || die "storm $fleet: not $STORM_N phones reported"
	STORM_WALL[$fleet]=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", (b - a) / 1e9 }')
	STORM_CPU[$fleet]=$(awk -v t="$((cpu1 - cpu0))" -v hz="$CLK_TCK" -v n="$STORM_N" 'BEGIN { printf "%.3f", t / hz * 1000 / n }')
	PHONE_P50[$fleet]=$(awk '{ print $3 }' "$out" | percentile 50)
	PHONE_P99[$fleet]=$(awk '{ print $3 }' "$out" | percentile 99)
	A_P50[$fleet]=$(auth_ms "$relay" "$lines0" 1 | percentile 50)
	A_P99[$fleet]=$(auth_ms "$relay" "$lines0" 1 | percentile 99)
	B_P50[$fleet]=$(auth_ms "$relay" "$lines0" 2 | percentile 50)
	B_P99[$fleet]=$(auth_ms "$relay" "$lines0" 2 | percentile 99)
	RESUMED[$fleet]=$(grep -c '^resumed ' "$out" || true)
	FAILED[$fleet]=$(grep -c '^failed ' "$out" || true)
	RETRIES[$fleet]=$(($(cat "$relay/retries" 2>/dev/null || echo 0) - retries0))
	STORE_ERRORS[$fleet]=$(for j in A B; do tail -c +"$((size0[$j] + 1))" "$work/$fleet-$j/log/radius.log"; done |
		grep -c 'cache_phonecert_tls: ERROR' || true)
}

# ---------------------------------------------------------------- run

rm -rf "$work"
mkdir -p "$work/failures"
memcached_start || die "memcached did not start"
for fleet in "${STARTED[@]}"; do
	for name in "$fleet-A" "$fleet-B"; do
		case $fleet in
			fs) layout_fleet_stock "$work/$name" ;;
			fp) layout_fleet_phonecert "$work/$name" ;;
			fo) layout_fleet_own "$work/$name" ;;
		esac
		start_server "$name"
	done
	mkdir -p "$work/relay-$fleet"
	FLEET_RELAY_AUTHS=2 FLEET_RELAY_SECONDS=$((R * N + STORM_N + 600)) python3 "$repo/tests/integration/fleet-relay.py" "$work/relay-$fleet" \
		"${PORT[$fleet-A]}" "${PORT[$fleet-B]}" &
	RELAYS+=($!)
	for _ in $(seq 1 50); do [ -s "$work/relay-$fleet/port" ] && break; sleep 0.1; done
done
write_clients
echo "bench/fleet: servers up: $(for n in "${!PORT[@]}"; do printf '%s=127.0.0.1:%s ' "$n" "${PORT[$n]}"; done)" >&2

echo "bench/fleet: the store's entries, one phone per kind of certificate" >&2
make_rsa4096_lsc
sizes=$(entry_size EC-P-256 lsc-new-ec 00:aa:bb:cc:dd:ee CP-8845-SEP00AABBCCDDEE
	entry_size RSA-2048 lsc-new-rsa 2c:31:24:c9:f8:e1 CP-8861-SEP2C3124C9F8E1
	entry_size RSA-4096 "$work/lsc-4096/lsc-rsa4096" 2c:31:24:c9:40:96 CP-8861-SEP2C3124C94096)

# Warm-up, and a check that each fleet resumes across its servers.
for fleet in "${FLEETS[@]}"; do
	for cert in "${CERTS[@]}"; do
		[ "$("$0" __phone "$fleet" "$cert")" = "resumed $fleet" ] || die "warm-up: $fleet did not resume $cert on B"
	done
done
if [ "$STORM_N" != 0 ]; then
	for cert in "${CERTS[@]}"; do
		[ "$("$0" __phone fo "$cert")" = "full fo" ] || die "warm-up: fo's B resumed $cert, or did not accept it"
	done
fi
sleep "$SETTLE"

RANDOM=$SEED
for ((r = 1; r <= R; r++)); do
	run_round "$r"
	for fleet in "${FLEETS[@]}"; do
		printf 'bench/fleet: round %d/%d: %-2s A %.3f s per 1,000 full, B %.3f s per 1,000 resumed, %d not resumed\n' \
			"$r" "$R" "$fleet" "${CPU_FULL[$fleet:$r]}" "${CPU_RESUMED[$fleet:$r]}" "${NOT_RESUMED[$fleet:$r]}" >&2
	done
done

for fleet in "${STORMS[@]}"; do
	echo "bench/fleet: boot storm on $fleet: $STORM_N phones, $STORM_P at a time" >&2
	storm "$fleet"
	printf 'bench/fleet: storm %-2s all through in %s s; phone p50 %s ms, p99 %s ms; A p50 %s ms, p99 %s ms; B p50 %s ms, p99 %s ms; %d resumed, %d failed, %d retries, %d store errors\n' \
		"$fleet" "${STORM_WALL[$fleet]}" "${PHONE_P50[$fleet]}" "${PHONE_P99[$fleet]}" "${A_P50[$fleet]}" "${A_P99[$fleet]}" "${B_P50[$fleet]}" "${B_P99[$fleet]}" \
		"${RESUMED[$fleet]}" "${FAILED[$fleet]}" "${RETRIES[$fleet]}" "${STORE_ERRORS[$fleet]}" >&2
done

# ---------------------------------------------------------------- results

# The fleet against stock's fleet: radiusd CPU per phone (A + B), (fp) over
# (fs), median of the rounds; against BENCH_SINGLE_RATIO, the single-server
# ratio of the same run, when bench/run.sh gives it.
fleet_ratio() {
	local per_round ratio single=${BENCH_SINGLE_RATIO:-} added
	if [ -z "${MED_FULL[fs]:-}" ]; then
		echo "**The fleet against stock's fleet** is not measured here: no stock fleet (${stock_why})."
		return 0
	fi
	per_round=$(paste <(values CPU_FULL fs) <(values CPU_RESUMED fs) <(values CPU_FULL fp) <(values CPU_RESUMED fp) |
		awk '{ printf "%.4f\n", ($3 + $4) / ($1 + $2) }')
	ratio=$(median <<<"$per_round")
	echo "**The fleet against stock's fleet**: phonecert's radiusd CPU per phone (A + B) is $(fmt "$ratio" %.4f)× stock's (median of the rounds; per round $(paste -sd, <<<"$per_round" | sed 's/,/, /g'))."
	if [ -z "$single" ]; then
		echo "The single-server ratio it is held to (the fleet adding at most $ADDED_TARGET× to section 1's (e) against (d), the admin-like sides) is measured by \`make bench\` only: run it for the comparison."
		return 0
	fi
	added=$(awk -v f="$ratio" -v s="$single" 'BEGIN { printf "%+.4f", f - s }')
	echo -n "The single-server ratio of this run (section 1, (e) phonecert against (d) stock, the admin-like sides) is $(fmt "$single" %.4f)×: the fleet adds $added×, target ≤ +$ADDED_TARGET×: "
	if awk -v a="$added" -v t="$ADDED_TARGET" 'BEGIN { exit !(a <= t + 1e-9) }'; then echo "**met**."; else echo "**MISSED**."; fi
}

values() { local -n ref=$1; local r; for ((r = 1; r <= R; r++)); do echo "${ref[$2:$r]}"; done; }
fmt() { awk -v v="$1" -v f="$2" 'BEGIN { printf f, v }'; }
declare -A MED_FULL MED_RESUMED RATIO MISSED
for fleet in "${FLEETS[@]}"; do
	MED_FULL[$fleet]=$(values CPU_FULL "$fleet" | median)
	MED_RESUMED[$fleet]=$(values CPU_RESUMED "$fleet" | median)
	RATIO[$fleet]=$(paste <(values CPU_FULL "$fleet") <(values CPU_RESUMED "$fleet") | awk '{ print $2 / $1 }' | median)
	MISSED[$fleet]=$(values NOT_RESUMED "$fleet" | awk '{ s += $1 } END { print s }')
done
declare -A LABEL=([fs]="(fs) stock FreeRADIUS, no phonecert" [fp]="(fp) phonecert, sealed (fleet_secret_file)")

cat <<END
Two fleets side by side, each two radiusd (threaded, $THREADS worker threads)
sharing one memcached through rlm_cache's memcached driver, as doc/fleet.md
sets them up; each phone is one eapol_test handed by a relay
(tests/integration/fleet-relay.py) to server A for a full handshake, then to
server B, which resumes the session A stored. $R rounds of $N phones per
fleet, the fleets' phones interleaved, $P at a time, cycling over
lsc-new-rsa, lsc-new-ec and mic. CPU is radiusd's (both servers' processes,
memcached and the relay not counted), per 1,000 authentications: on A a full
handshake with its store write, on B a resumption with its store read.

| | A: full handshake, s per 1,000 | B: resumed across servers, s per 1,000 | B / A (median of the rounds) | target | not resumed |
|---|---:|---:|---:|---:|---:|
END
for fleet in "${FLEETS[@]}"; do
	echo "| ${LABEL[$fleet]} | $(fmt "${MED_FULL[$fleet]}" %.3f) | $(fmt "${MED_RESUMED[$fleet]}" %.3f) | **$(fmt "${RATIO[$fleet]}" %.3f)** | ≤ $TARGET | ${MISSED[$fleet]} of $((N * R)) |"
done
echo
if awk -v r="${RATIO[fp]}" -v t="$TARGET" 'BEGIN { exit !(r <= t) }'; then
	echo "phonecert's resumption across servers costs $(fmt "${RATIO[fp]}" %.3f)× its full handshake: target **met** (≤ $TARGET×)."
else
	echo "phonecert's resumption across servers costs $(fmt "${RATIO[fp]}" %.3f)× its full handshake: target **MISSED** (> $TARGET×)."
fi
if [ -n "${MED_FULL[fs]:-}" ]; then
	echo "Against stock configured the same way: $(awk -v p="${MED_FULL[fp]}" -v s="${MED_FULL[fs]}" 'BEGIN { printf "%.3f", p / s }')× its CPU per full handshake, $(awk -v p="${MED_RESUMED[fp]}" -v s="${MED_RESUMED[fs]}" 'BEGIN { printf "%.3f", p / s }')× per resumption (medians of the rounds)."
else
	echo "Stock FreeRADIUS configured the same way is not measured here: ${stock_why}, and its tls-cache site needs a regex to cut the session (glibc's takes seconds)."
fi
echo
fleet_ratio
echo
echo "Per round (s per 1,000 authentications):"
echo
printf '| round |'; for fleet in "${FLEETS[@]}"; do printf ' %s A | %s B |' "$fleet" "$fleet"; done; printf '\n|---:|'
for fleet in "${FLEETS[@]}"; do printf -- '---:|---:|'; done; echo
for ((r = 1; r <= R; r++)); do
	printf '| %d |' "$r"
	for fleet in "${FLEETS[@]}"; do printf ' %s | %s |' "${CPU_FULL[$fleet:$r]}" "${CPU_RESUMED[$fleet:$r]}"; done
	echo
done
if [ "${#STORMS[@]}" != 0 ]; then
	declare -A STORM_LABEL=([fs]="(fs) stock, shared store" [fp]="(fp) phonecert, shared store" [fo]="(fo) phonecert, each server its own cache")
	cat <<END

**Boot storm.** $STORM_N phones re-authenticating at once, $STORM_P eapol_test
at a time, against each fleet in turn (one storm at a time, after the rounds):
each phone as in the rounds, a full handshake on A, then B, which resumes
the session from the shared store, or, in (fo), where each server keeps its
own session cache (eap's \`persist_dir\`, as the demo configuration ships),
makes a full handshake. "All through" is the storm's wall time, until the
last phone's second Access-Accept; a phone's time is its eapol_test's (both
authentications, and the process's own work: with $STORM_P clients on this
machine's cores, mostly waiting for a core); A's and B's are the relay's,
from the first request of the phone's first (A) or second (B) authentication
to that server's answer. Timeouts are phones not
accepted twice within eapol_test's 20 s (\`-t 20\`, and \`timeout 40\`);
retries are requests the relay saw twice from one client (same source port,
identifier and authenticator: eapol_test's retransmission after 3 s without
an answer). Store errors are the lookups and writes of cache_phonecert_tls
that A and B logged as failed (memcached not answering within its 100 ms):
each costs a phone its resumption, not its admission. radiusd CPU is A's
and B's together, per 1,000 phones. The storms run one after the other, so
their wall times compare only on a quiet machine.

| | all through, s | phone p50 / p99, ms | A p50 / p99, ms | B p50 / p99, ms | resumed on B | timeouts | retries | store errors | radiusd CPU s per 1,000 phones |
|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|
END
	for fleet in "${STORMS[@]}"; do
		echo "| ${STORM_LABEL[$fleet]} | ${STORM_WALL[$fleet]} | ${PHONE_P50[$fleet]} / ${PHONE_P99[$fleet]} | ${A_P50[$fleet]} / ${A_P99[$fleet]} | ${B_P50[$fleet]} / ${B_P99[$fleet]} | ${RESUMED[$fleet]} of $STORM_N | ${FAILED[$fleet]} | ${RETRIES[$fleet]} | ${STORE_ERRORS[$fleet]} | ${STORM_CPU[$fleet]} |"
	done
	failed_total=0
	for fleet in "${STORMS[@]}"; do failed_total=$((failed_total + FAILED[$fleet] + RETRIES[$fleet])); done
	echo
	if [ "$failed_total" = 0 ]; then
		echo "No timeouts and no retries in any storm (0 expected)."
	else
		echo "**Timeouts or retries** in a storm (0 expected): eapol_test's output of each failed phone is in $work/failures/storm-*."
	fi
	for fleet in "${FLEETS[@]}"; do
		lost=$((STORM_N - RESUMED[$fleet] - FAILED[$fleet]))
		[ "$lost" = 0 ] || echo "${STORM_LABEL[$fleet]}: $lost phones admitted with a full handshake on B instead of a resumption; its servers logged ${STORE_ERRORS[$fleet]} store errors."
	done
fi
cat <<END

**The store's entries.** What one phone leaves in memcached, on (fp)'s A: the
session (OpenSSL's, with the phone's certificate), the whole entry as
rlm_cache writes it (text, the session in parts of 500 bytes in hex), and of
it the Phonecert-* and the TLS-* attributes. FreeRADIUS 3.2's redis xlat
would need the session in hex and the attributes in one command of at most
4096 bytes (MAX_QUERY_LEN), and reads back at most 2047 (its xlat buffer);
rlm_cache reads back no value longer than 1023 characters.

| certificate | session, bytes | in hex | with the attributes, as text | whole entry | Phonecert-* | TLS-* |
|---|---:|---:|---:|---:|---:|---:|
END
while read -r kind blob all pc tls; do
	echo "| $kind LSC (from an RSA-2048 CAPF) | $blob | $((2 * blob)) | $((2 * blob + pc + tls)) | $all | $pc | $tls |"
done <<<"$sizes"

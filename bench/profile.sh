#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Where radiusd's time goes per EAP-TLS phone authentication (`make
# bench-profile`; also part of `make bench`).
#
# Each configuration of the benchmark runs once under valgrind's callgrind
# (instruction counts: the same on a loaded machine as on an idle one; with
# its simulation of the L1 caches, the misses that make an instruction slow),
# single worker thread, and serves the same PROFILE_N authentications,
# eapol_test one at a time, alternating lsc-new-ec and mic (two phones: the
# inventory's cache sees each repeat). Instrumentation
# is switched on after one warm-up authentication per certificate and the
# profile is dumped after the batch (and cleanup_delay), so start-up and
# shutdown are not counted. Reports inclusive instruction counts (Ir) per
# authentication of radiusd and of the functions that matter, and the RADIUS
# round trips and bytes the server sent per authentication (the size of the
# CertificateRequest shows there).
#
# Configurations (bench/layout.sh): stock, phonecert (inventory off),
# phonecert without its switch reply policy, phonecert with log_accepts = no,
# shipped (inventory on, its cache), shipped without the inventory's cache
# (every authentication written), phonecert with 10 and 100 capf sections
# (and 100 with 98 not advertised), shipped with BENCH_PHONES (10,000) other
# phones in the inventory; an admin's configuration (stock with the new CAPF
# only, phonecert with the old CAPF first, and with the inventory).
#
# Settings (environment):
#   PROFILE_N=20      authentications per configuration
#   PROFILE_OUT=build/bench/profile/PROFILE.md   the markdown written
# Prints the markdown on stdout as well.
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
build=${BENCH_BUILD:-$repo/build}
work=$build/bench/profile
pki=$build/test-pki
secret=testing123
N=${PROFILE_N:-20}
out=${PROFILE_OUT:-$work/PROFILE.md}
THREADS=1
CLEANUP_DELAY=2
CERTS=(lsc-new-ec mic)
PHONES=${BENCH_PHONES:-10000}

die() { echo "profile: $*" >&2; exit 1; }

[[ $N =~ ^[1-9][0-9]*$ ]] && [ "$N" -le 1000 ] || die "PROFILE_N must be 1..1000 (got '$N')"
for tool in valgrind callgrind_annotate callgrind_control freeradius eapol_test openssl timeout; do
	command -v "$tool" >/dev/null || die "$tool is missing (apt-get install valgrind; make test-deps)"
done
[ -f "$pki/.complete" ] || die "no test PKI in $pki (make $pki/.complete)"
[ -f "$build/rlm_phonecert.so" ] || die "$build/rlm_phonecert.so missing: run make first"

declare -A PID PORT
SERVER_LAUNCH=()
# shellcheck source=bench/layout.sh
source "$repo/bench/layout.sh"
trap stop_servers EXIT

# The configurations, in the order reported.
SIDES=(stock phonecert noreply quiet demo)
declare -A LABEL=([stock]="stock FreeRADIUS" [phonecert]="+ phonecert, inventory off"
		  [noreply]="+ phonecert, without phonecert_switch_reply"
		  [quiet]="+ phonecert, log_accepts = no"
		  [demo]="shipped: + phonecert + inventory")
layout_noreply() {
	layout_phonecert "$1"
	remove_calls "$1" phonecert_switch_reply
}
SIDES+=(uncached anchors10 anchors100 anchors100n inventory admin_stock admin_phonecert admin_demo)
LABEL+=([uncached]="shipped without the inventory's cache" [anchors10]="+ phonecert, 10 capf sections"
	[anchors100]="+ phonecert, 100 capf sections"
	[anchors100n]="+ phonecert, 100 capf sections, 98 with advertise = no"
	[inventory]="shipped, $PHONES phones in the inventory"
	[admin_stock]="stock, an admin's: new CAPF only" [admin_phonecert]="+ phonecert, an admin's anchors (old CAPF first)"
	[admin_demo]="the same + inventory")

auth() {	# certificate, port, output file
	timeout 60 eapol_test -c "$work/clients/$1.conf" -a 127.0.0.1 -p "$2" -s "$secret" -t 30 \
		-M "$(cat "$work/clients/$1.mac")" > "$3" 2>&1 && grep -qx SUCCESS "$3"
}

# The events of a line of callgrind_annotate's output, in callgrind's order (Ir Dr Dw
# I1mr D1mr D1mw ILmr DLmr DLmw with --cache-sim=yes), into val[1..]: each count is
# followed by its share in parentheses, a count of 0 may be ".". pick(cols) adds
# the columns listed ("1" Ir, "4" I1mr, "5 6" D1mr and D1mw).
EVENTS_AWK='
	function values(   i, n, t) {
		n = 0
		for (i = 1; i <= NF && n < 9; i++) {
			t = $i
			if (t ~ /^\(/) { while (i < NF && $i !~ /\)$/) i++; continue }
			if (t == ".") t = 0; else if (t !~ /^[0-9,]+$/) break
			gsub(",", "", t); val[++n] = t
		}
	}
	function pick(cols,   k, m, c, sum) {
		m = split(cols, c, " "); sum = 0
		for (k = 1; k <= m; k++) sum += val[c[k]]
		return sum
	}'
I1=4 D1="5 6"

# Inclusive cost of function $2 in annotation $1 (0 when never called), with the
# parts GCC may split off it (log_phone.part.0, .constprop.0, .isra.0): Ir, or
# the events' columns $3.
inclusive() {
	awk -v f="$2" -v cols="${3:-1}" "$EVENTS_AWK"'
		$0 ~ (":" f "(\\.(part|constprop|isra)\\.[0-9]+)* \\[") || index($0, ":" f "'\''") { values(); s += pick(cols) }
		END { print s + 0 }' "$1"
}

# Inclusive cost of $3 when called from $2, from the caller tree $1: Ir, or the events' columns $4.
called_from() {
	awk -v caller="$2" -v f="$3" -v cols="${4:-1}" "$EVENTS_AWK"'
		/^ *[0-9,]+ .*  < / { if (index($0, ":" caller " (")) { values(); acc += pick(cols) } next }
		/^ *[0-9,]+ .*  \* / { if (index($0, ":" f " [")) s += acc; acc = 0; next }
		{ acc = 0 }
		END { print s + 0 }' "$1"
}

profile_side() {
	local side=$1 name=$1-new dir pid i cert rc=0
	dir=$work/$name
	case $side in
		stock) layout_stock "$dir" new ;;
		phonecert) layout_phonecert "$dir" ;;
		noreply) layout_noreply "$dir" ;;
		quiet) layout_rejects_logged "$dir" ;;
		demo) layout_demo "$dir" ;;
		uncached) layout_demo_uncached "$dir" ;;
		anchors10) layout_anchors "$dir" 10 ;;
		anchors100) layout_anchors "$dir" 100 ;;
		anchors100n) layout_anchors "$dir" 100 no ;;
		inventory) layout_inventory "$dir" "$PHONES" ;;
		admin_stock) layout_admin_stock "$dir" ;;
		admin_phonecert) layout_admin_phonecert "$dir" ;;
		admin_demo) layout_admin_demo "$dir" ;;
	esac
	rm -f "$work/$side".callgrind*
	SERVER_LAUNCH=(valgrind --tool=callgrind --cache-sim=yes --instr-atstart=no --callgrind-out-file="$work/$side.callgrind")
	START_WAIT=1200 start_server "$name"
	pid=${PID[$name]}
	for cert in "${CERTS[@]}"; do
		auth "$cert" "${PORT[$name]}" "$work/$side.warmup" || die "$name: warm-up $cert failed ($work/$side.warmup)"
	done
	callgrind_control -i on "$pid" >/dev/null || die "$name: callgrind_control -i on failed"
	: > "$work/$side.eapol"
	for ((i = 0; i < N; i++)); do
		cert=${CERTS[i % ${#CERTS[@]}]}
		auth "$cert" "${PORT[$name]}" "$work/$side.one" || rc=1
		cat "$work/$side.one" >> "$work/$side.eapol"
		[ "$rc" -eq 0 ] || die "$name: authentication $i ($cert) failed: $work/$side.one"
	done
	sleep $((CLEANUP_DELAY + 1))
	callgrind_control -d "$pid" >/dev/null || die "$name: callgrind_control -d failed"
	kill "$pid"
	wait "$pid" 2>/dev/null || true
	unset "PID[$name]"
	[ -s "$work/$side.callgrind.1" ] || die "$name: no profile dumped"
	callgrind_annotate --inclusive=yes --threshold=100 "$work/$side.callgrind.1" > "$work/$side.flat" 2>/dev/null
	callgrind_annotate --inclusive=yes --tree=caller --threshold=100 "$work/$side.callgrind.1" > "$work/$side.tree" 2>/dev/null
	echo "profile: $side done ($N authentications)" >&2
}

mkdir -p "$work"
write_clients
for side in "${SIDES[@]}"; do profile_side "$side"; done

# ---------------------------------------------------------------- report

declare -A IR
for side in "${SIDES[@]}"; do
	flat=$work/$side.flat tree=$work/$side.tree
	IR[$side:total]=$(awk '/PROGRAM TOTALS/ { gsub(",", "", $1); print $1 }' "$flat")
	IR[$side:handshake]=$(inclusive "$flat" handshake_verify_cert)
	IR[$side:pc_verify]=$(inclusive "$flat" pc_verify)
	# pc_verify and the CLI's pc_verify_chain reach OpenSSL through verify_certificate (core/verify.c).
	IR[$side:x509_ours]=$(called_from "$tree" verify_certificate X509_verify_cert)
	IR[$side:x509_all]=$(inclusive "$flat" X509_verify_cert)
	IR[$side:cbtls]=$(inclusive "$flat" cbtls_verify)
	IR[$side:d2i]=$(inclusive "$flat" d2i_X509)
	IR[$side:postauth]=$(inclusive "$flat" rad_postauth)
	IR[$side:post_auth_phone]=$(inclusive "$flat" post_auth_phone)
	IR[$side:log_phone]=$(inclusive "$flat" log_phone)
	IR[$side:sql]=$(inclusive "$flat" rlm_sql_query)
	IR[$side:tls]=$(inclusive "$flat" SSL_read)
	IR[$side:copy]=$(inclusive "$flat" fr_pair_list_copy)
	# The L1 misses of the parts the module adds (see the differences below).
	for miss in i1 d1; do
		[ $miss = i1 ] && cols=$I1 || cols=$D1
		IR[$side:handshake_$miss]=$(inclusive "$flat" handshake_verify_cert "$cols")
		IR[$side:x509_ours_$miss]=$(called_from "$tree" verify_certificate X509_verify_cert "$cols")
		IR[$side:x509_all_$miss]=$(inclusive "$flat" X509_verify_cert "$cols")
		IR[$side:post_auth_phone_$miss]=$(inclusive "$flat" post_auth_phone "$cols")
		IR[$side:log_phone_$miss]=$(inclusive "$flat" log_phone "$cols")
	done
	IR[$side:rounds]=$(grep -c 'RADIUS message: code=1 (Access-Request)' "$work/$side.eapol" || true)
	# The cache simulation's totals (callgrind.out's "events:" names the "summary:" columns).
	read -r "IR[$side:i1miss]" "IR[$side:d1miss]" < <(awk '
		/^events:/ { for (i = 2; i <= NF; i++) name[i] = $i }
		/^summary:/ { for (i = 2; i <= NF; i++) v[name[i]] = $i }
		END { print v["I1mr"] + 0, v["D1mr"] + v["D1mw"] }' "$work/$side.callgrind.1")
	IR[$side:bytes]=$(sed -n 's/^RADIUS message: code=\(2\|11\) .* length=\([0-9]*\)$/\2/p' "$work/$side.eapol" | awk '{ s += $1 } END { print s + 0 }')
done
# Every phone handshake runs OpenSSL's verification inside the core: none found means the
# call graph no longer names its caller, and every figure derived from it would be wrong.
[ "${IR[phonecert:x509_ours]}" -gt 0 ] ||
	die "no X509_verify_cert under verify_certificate in $work/phonecert.tree (was the core's caller renamed?)"

per() { awk -v v="$1" -v n="$N" 'BEGIN { printf "%.0f", v / n }'; }
rounds() { awk -v v="${IR[$1:rounds]}" -v n="$N" 'BEGIN { printf "%.1f", v / n }'; }	# per authentication, of side $1
per_k() { awk -v v="$1" -v n="$N" 'BEGIN { v /= n; if (v == 0) print "0"; else printf "%.0f k", v / 1000 }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", b / a }'; }
row() {	# label, metric, [exact: per authentication to the unit, not in thousands]
	local side cells="" v format=per_k
	[ "${3:-}" = exact ] && format=per
	for side in "${SIDES[@]}"; do
		v=${IR[$side:$2]}
		cells+=" $($format "$v") |"
	done
	echo "| $1 |$cells"
}
ratio_row() {	# label, metric
	local side
	printf '| %s |' "$1"
	for side in "${SIDES[@]}"; do printf ' **%s** |' "$(ratio "${IR[stock:$2]}" "${IR[$side:$2]}")"; done
	echo
}
# The simulated caches, as callgrind_annotate names them ("I1 cache: 32768 B, 64 B, 8-way associative").
cache_geometry() { sed -n "s/^$1 cache: *\([0-9]*\) B, \([0-9]*\) B, \(.*\) associative$/\1 \2 \3/p" "$work/stock.flat" |
	awk '{ printf "%d KB, %s-byte lines, %s", $1 / 1024, $2, $3 }'; }

# The verify callback's L1 misses ($1: i1 or d1) less those of stock's own verification
# of the client certificate (X509_verify_cert's, less the server's chain, as for Ir below).
callback_misses() {
	local chain=$(( ${IR[phonecert:x509_all_$1]} - ${IR[phonecert:x509_ours_$1]} ))
	echo $(( ${IR[phonecert:handshake_$1]} - (${IR[stock:x509_all_$1]} - chain) ))
}
# The module's L1 misses ($1) outside its callback's extra and its post-auth.
rest_misses() {
	per $(( ${IR[phonecert:${1}miss]} - ${IR[stock:${1}miss]} - $(callback_misses "$1") - ${IR[phonecert:post_auth_phone_$1]} ))
}

version=$(valgrind --version)
revision=$(code_revision)
tmp=$(mktemp "$work/PROFILE.XXXXXX")
{
	cat <<END
### Instruction counts and cache misses (callgrind)

$version, \`bench/profile.sh\` (\`make bench-profile\`), code $revision, on
$(date -u +%Y-%m-%dT%H:%M:%SZ). Each configuration served the same $N full EAP-TLS
authentications (lsc-new-ec and mic alternating, one at a time, TLS session
cache off, one worker thread, after one warm-up authentication per
certificate); inclusive instructions (Ir) per authentication, from the first
RADIUS packet to the request freed. Instruction counts do not depend on
the machine's load: the same code on the same inputs gives the same count to
well under 1 %, so these ratios hold where the CPU-time ratios above are noisy.
The L1 cache misses are callgrind's simulation (\`--cache-sim=yes\`) of caches
like this CPU's: instructions $(cache_geometry I1), data $(cache_geometry D1);
as deterministic as the instruction counts, and what they leave out: an
instruction that misses L1 waits a dozen cycles or more for the next level.

END
	printf '| per authentication |'
	for side in "${SIDES[@]}"; do printf ' %s |' "${LABEL[$side]}"; done
	printf '\n|---|'
	for side in "${SIDES[@]}"; do printf -- '---:|'; done
	echo
	row "**radiusd, total**" total
	ratio_row "ratio to stock" total
	row "L1 instruction-cache misses (simulated)" i1miss exact
	ratio_row "… ratio to stock" i1miss
	row "L1 data-cache misses, reads and writes (simulated)" d1miss exact
	ratio_row "… ratio to stock" d1miss
	row "TLS handshake (\`SSL_read\`)" tls
	row "parsing certificates (\`d2i_X509\`, all callers)" d2i
	row "phonecert's verify callback (\`handshake_verify_cert\`)" handshake
	row "… of which the core's decision (\`pc_verify\`)" pc_verify
	row "… of which OpenSSL's verification inside it (\`X509_verify_cert\` from \`verify_certificate\`)" x509_ours
	row "\`X509_verify_cert\`, all callers (OpenSSL's own client verification, and the server's chain)" x509_all
	row "FreeRADIUS' per-certificate callback (\`cbtls_verify\`)" cbtls
	row "post-auth section (\`rad_postauth\`)" postauth
	row "… phonecert in post-auth (\`post_auth_phone\`)" post_auth_phone
	row "… … its log line (\`log_phone\`)" log_phone
	row "… SQL queries (\`rlm_sql_query\`)" sql
	row "attribute lists copied (\`fr_pair_list_copy\`, all callers)" copy
	printf '| RADIUS round trips |'
	for side in "${SIDES[@]}"; do printf ' %s |' "$(rounds "$side")"; done
	printf '\n| bytes the server sent (Access-Challenge, Access-Accept) |'
	for side in "${SIDES[@]}"; do printf ' %s |' "$(per "${IR[$side:bytes]}")"; done
	echo
	echo
	s=${IR[stock:total]} p=${IR[phonecert:total]} q=${IR[noreply:total]} d=${IR[demo:total]}
	ours=$(( ${IR[phonecert:x509_ours]} ))
	chain=$(( ${IR[phonecert:x509_all]} - ours ))	# the server's own chain, the same on every side
	stock_client=$(( ${IR[stock:x509_all]} - chain ))
	cat <<END
Differences per authentication (instructions):

- the module (inventory off) − stock: $(per $((p - s))) ($(ratio "$s" "$p")×); and
  $(per $(( ${IR[phonecert:i1miss]} - ${IR[stock:i1miss]} ))) more L1 instruction-cache misses ($(ratio "${IR[stock:i1miss]}" "${IR[phonecert:i1miss]}")×), $(per $(( ${IR[phonecert:d1miss]} - ${IR[stock:d1miss]} ))) more L1 data-cache
  misses ($(ratio "${IR[stock:d1miss]}" "${IR[phonecert:d1miss]}")×): what the module runs once per authentication (its verify
  callback, post-auth and log line, the switch reply policy, the longer attribute lists) is no
  longer in the L1 caches when it runs, between OpenSSL's long computations, so its share of the
  time is larger than its share of the instructions;
- where those misses are (L1 instruction, data misses): the verify callback $(per "$(callback_misses i1)"), $(per "$(callback_misses d1)")
  more than the verification it replaces; post-auth $(per "${IR[phonecert:post_auth_phone_i1]}"), $(per "${IR[phonecert:post_auth_phone_d1]}"),
  of which the log line $(per "${IR[phonecert:log_phone_i1]}"), $(per "${IR[phonecert:log_phone_d1]}"); the rest, the switch reply policy
  and eap's longer attribute lists among it, $(rest_misses i1), $(rest_misses d1). Those of phonecert's functions repeat from
  run to run; a whole server's totals move by 100 or more per authentication (its timers and
  threads), so the rest, and any difference between two sides smaller than that, is noise;
- phonecert's verify callback: $(per "${IR[phonecert:handshake]}"), of which OpenSSL's
  \`X509_verify_cert\` on the signer's path $(per "$ours"); stock's own \`X509_verify_cert\` of the client
  certificate (against eap's whole \`ca_file\`) is about $(per "$stock_client") (all its calls less the
  server's chain building, $(per "$chain"), which every configuration does): the callback costs
  $(per $(( ${IR[phonecert:handshake]} - stock_client ))) more than the verification it replaces;
- phonecert in post-auth: $(per "${IR[phonecert:post_auth_phone]}"), of which the log line $(per "${IR[phonecert:log_phone]}");
- the module with \`log_accepts = no\` (no log line for an accepted phone) − stock: $(per $(( ${IR[quiet:total]} - s ))) ($(ratio "$s" "${IR[quiet:total]}")×),
  $(per $(( ${IR[quiet:i1miss]} - ${IR[stock:i1miss]} ))) more L1 instruction-cache misses ($(ratio "${IR[stock:i1miss]}" "${IR[quiet:i1miss]}")×), $(per $(( ${IR[quiet:d1miss]} - ${IR[stock:d1miss]} ))) more L1 data-cache misses ($(ratio "${IR[stock:d1miss]}" "${IR[quiet:d1miss]}")×);
- the switch reply policy (\`phonecert_switch_reply\`, unlang): $(per $((p - q))) (with − without);
- the rest, outside phonecert's functions: $(per $(( p - s - (${IR[phonecert:handshake]} - stock_client) - ${IR[phonecert:post_auth_phone]} - (p - q) ))),
  of which copies of attribute lists $(per $(( ${IR[phonecert:copy]} - ${IR[stock:copy]} ))) more than stock: eap copies the session's
  certificate attributes, the Phonecert-* ones with them, into the last round's request (and
  into check-eap-tls's, were it on); freeing and searching the longer lists is the remainder;
- the inventory (\`phonecert_inventory\`, shipped − inventory off): $(per $((d - p)))$(
	[ -n "${IR[uncached:total]:-}" ] && printf '; without its cache (every authentication written): %s' "$(per $(( ${IR[uncached:total]} - p )))")
  (SQL queries: $(per "${IR[demo:sql]}")$(
	[ -n "${IR[uncached:sql]:-}" ] && printf ', uncached %s' "$(per "${IR[uncached:sql]}")"));
- 10 capf sections instead of 2: $(per $(( ${IR[anchors10:total]} - p ))) ($(ratio "$p" "${IR[anchors10:total]}")× of 2), of
  which the verify callback $(per $(( ${IR[anchors10:handshake]} - ${IR[phonecert:handshake]} ))); the CertificateRequest with 8 more CA
  names: $(per "${IR[anchors10:bytes]}") bytes sent in $(rounds anchors10) round trips instead of $(per "${IR[phonecert:bytes]}") in $(rounds phonecert);
- 100 capf sections instead of 2: $(per $(( ${IR[anchors100:total]} - p ))) ($(ratio "$p" "${IR[anchors100:total]}")× of 2), of
  which the verify callback $(per $(( ${IR[anchors100:handshake]} - ${IR[phonecert:handshake]} ))) and the TLS handshake (\`SSL_read\`, the
  CertificateRequest with 98 more CA names: $(per "${IR[anchors100:bytes]}") bytes sent instead of $(per "${IR[phonecert:bytes]}")) $(per $(( ${IR[anchors100:tls]} - ${IR[phonecert:tls]} )));
- 100 capf sections, the 98 extra ones with \`advertise = no\` (the CertificateRequest of 2):
  $(per $(( ${IR[anchors100n:total]} - p ))) ($(ratio "$p" "${IR[anchors100n:total]}")× of 2), of which the verify callback
  $(per $(( ${IR[anchors100n:handshake]} - ${IR[phonecert:handshake]} ))); $(per "${IR[anchors100n:bytes]}") bytes sent in $(rounds anchors100n) round trips;
- $PHONES phones already in the inventory: $(per $(( ${IR[inventory:total]} - d ))) ($(ratio "$d" "${IR[inventory:total]}")× of the empty one);
- an admin's configuration: phonecert with the old CAPF listed first − stock with the new CAPF only:
  $(per $(( ${IR[admin_phonecert:total]} - ${IR[admin_stock:total]} ))) ($(ratio "${IR[admin_stock:total]}" "${IR[admin_phonecert:total]}")×), of which the verify callback $(per "${IR[admin_phonecert:handshake]}") (the demo's: $(per "${IR[phonecert:handshake]}"));
  $(per $(( ${IR[admin_phonecert:i1miss]} - ${IR[admin_stock:i1miss]} ))) more L1 instruction-cache misses ($(ratio "${IR[admin_stock:i1miss]}" "${IR[admin_phonecert:i1miss]}")×), $(per $(( ${IR[admin_phonecert:d1miss]} - ${IR[admin_stock:d1miss]} ))) more L1 data-cache misses ($(ratio "${IR[admin_stock:d1miss]}" "${IR[admin_phonecert:d1miss]}")×);
  with the inventory: $(per $(( ${IR[admin_demo:total]} - ${IR[admin_stock:total]} ))) ($(ratio "${IR[admin_stock:total]}" "${IR[admin_demo:total]}")×), the inventory's part $(per $(( ${IR[admin_demo:total]} - ${IR[admin_phonecert:total]} ))) (SQL $(per "${IR[admin_demo:sql]}"));
  $(per "${IR[admin_stock:bytes]}") and $(per "${IR[admin_phonecert:bytes]}") bytes sent in $(rounds admin_stock) and $(rounds admin_phonecert) round trips;
- the CertificateRequest: stock and phonecert without its switch reply (the same Access-Accept) sent
  $(per "${IR[stock:bytes]}") and $(per "${IR[noreply:bytes]}") bytes in $(rounds stock) and $(rounds noreply) round trips: phonecert's CA names
  are the ones stock's \`ca_file\` sends; with 100 \`capf\` sections $(rounds anchors100) round trips, each a RADIUS
  request through radiusd and an EAP fragment.

The annotated profiles are in \`${work#"$repo"/}/<configuration>.flat\` (flat, inclusive)
and \`.tree\` (with callers); \`callgrind_annotate\` or \`kcachegrind\` read
\`${work#"$repo"/}/<configuration>.callgrind.1\`.
END
} > "$tmp"
mv "$tmp" "$out"
cat "$out"

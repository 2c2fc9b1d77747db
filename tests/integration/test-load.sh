#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Load: 2,000 EAP-TLS authentications, 16 at a time, mixing every accept and
# reject case, against the threaded server. Zero wrong decisions, no crash,
# and resident memory flat between the first and the second thousand.
# Loopback only; LOAD_TOTAL / LOAD_CONCURRENCY change the size.
set -u
source "$(dirname "$0")/lib.sh"
it_init

TOTAL=${LOAD_TOTAL:-2000}
CONCURRENCY=${LOAD_CONCURRENCY:-16}
# Memory may grow while pools fill up; after the first half it must not keep growing.
MAX_GROWTH_KB=8192

server_prepare load
# Every authentication a full handshake, and no session cache filling memory.
sed -i 's/^\(\t*\)enable = yes/\1enable = no/' "$IT_RUN/raddb/mods-available/eap"
IT_THREADED=1 server_start || exit 1

# name certificate key expected [MAC]
cases=$(cat <<EOF
lsc-rsa lsc-new-rsa.pem lsc-new-rsa.key accept
lsc-ec lsc-new-ec.pem lsc-new-ec.key accept
lsc-old lsc-old-rsa.pem lsc-old-rsa.key accept
mic mic.pem mic.key accept
mic-chain mic-chain.pem mic.key accept
laptop laptop.pem laptop.key accept
other-cluster lsc-other.pem lsc-other.key reject
forged-lsc forged-lsc.pem forged-lsc.key reject
forged-capf forged-capf.pem forged-capf.key reject
mic-expired mic-expired.pem mic-expired.key reject
lsc-expired lsc-expired.pem lsc-expired.key reject
not-client lsc-noclient.pem lsc-noclient.key reject
unknown-ca lsc-ext.pem lsc-ext.key reject
ca-as-leaf capf-new.pem capf-new.key reject
wrong-mac lsc-new-rsa.pem lsc-new-rsa.key reject 02:00:00:00:00:09
EOF
)

load=$IT_RUN/load
mkdir -p "$load"
# One eapol_test configuration per case, written the way eap_tls writes it.
while read -r name cert key expected mac; do
	eap_tls_conf "$load/$name.conf" "$IT_PKI/$cert" "$IT_PKI/$key"
	echo "${mac:-$(phone_mac "$(cert_cn "$IT_PKI/$cert")")}" > "$load/$name.mac"
	echo "$expected" > "$load/$name.expected"
done <<<"$cases"
names=($(awk '{ print $1 }' <<<"$cases"))

cat > "$load/one.sh" <<EOF
#!/bin/bash
# One authentication: prints "case expected got".
name=\$1
if timeout 60 eapol_test -c "$load/\$name.conf" -a 127.0.0.1 -p $IT_PORT -s $IT_SECRET -t 30 \\
	-M "\$(cat "$load/\$name.mac")" >/dev/null 2>&1; then got=accept; else got=reject; fi
echo "\$name \$(cat "$load/\$name.expected") \$got"
EOF
chmod +x "$load/one.sh"

rss_kb() { awk '/^VmRSS:/ { print $2 }' "/proc/$IT_SERVER_PID/status"; }

run_batch() {	# $1: how many, $2: results file
	for i in $(seq 1 "$1"); do echo "${names[$((i % ${#names[@]}))]}"; done |
		xargs -P "$CONCURRENCY" -n 1 "$load/one.sh" > "$2"
}

half=$((TOTAL / 2))
rss_start=$(rss_kb)
started=$(date +%s)
run_batch "$half" "$load/first.txt"
rss_middle=$(rss_kb)
run_batch "$((TOTAL - half))" "$load/second.txt"
rss_end=$(rss_kb)
seconds=$(( $(date +%s) - started ))

cat "$load/first.txt" "$load/second.txt" > "$load/all.txt"
done_count=$(wc -l < "$load/all.txt")
wrong=$(awk '$2 != $3' "$load/all.txt" | wc -l)
echo "# $done_count authentications in ${seconds}s at concurrency $CONCURRENCY; radiusd RSS ${rss_start} kB at start, ${rss_middle} kB after $half, ${rss_end} kB at the end"
awk '{ n[$1 " expected " $2 " got " $3]++ } END { for (k in n) print "#   " n[k] "x " k }' "$load/all.txt" | sort

if [ "$done_count" -eq "$TOTAL" ]; then pass "all $TOTAL authentications ran"; else fail "only $done_count of $TOTAL authentications ran"; fi
if [ "$wrong" -eq 0 ]; then pass "zero wrong decisions"; else fail "$wrong wrong decisions:"; awk '$2 != $3' "$load/all.txt" | sort | uniq -c | sed 's/^/#   /'; fi
if kill -0 "$IT_SERVER_PID" 2>/dev/null; then pass "radiusd is still running"; else fail "radiusd died"; fi
if [ $((rss_end - rss_middle)) -le "$MAX_GROWTH_KB" ]; then
	pass "resident memory flat: +$((rss_end - rss_middle)) kB over the second half (at most $MAX_GROWTH_KB)"
else
	fail "resident memory grew by $((rss_end - rss_middle)) kB over the second half"
fi
if grep -qiE 'segfault|assert|CAUGHT SIGNAL' "$IT_RUN/log/debug.log"; then fail "radiusd logged a crash"; else pass "no crash in the server log"; fi
server_stop

it_finish

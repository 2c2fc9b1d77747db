#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# A shared TLS session store that is down or hangs costs a phone a full
# handshake and a bounded wait, never a reject: memcached stopped
# (connections refused) and paused (SIGSTOP: the kernel accepts connections,
# nothing answers), with the timeouts cache_phonecert_tls ships (100 ms per
# operation). radiusd starts while the store is down, and sessions resume
# again once it is back. The suite prints what it measured: each phone is
# one eapol_test, a full handshake on server A, then the session offered to
# server B (fleet-relay.py, as in test-fleet.sh); durations per
# authentication from the relay, medians of FLEET_ROUNDS phones (default 5).
set -u
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/fleet-lib.sh"
it_init
fleet_init

ROUNDS=${FLEET_ROUNDS:-5}
CERT=lsc-new-rsa.pem
KEY=lsc-new-rsa.key
# The shipped bound per store operation (cache_phonecert_tls), and how many a phone's authentication makes at most:
# a lookup of the session it offers, then, as the handshake is full, a lookup and a write of its new one.
OPERATION_MS=$(sed -n 's/.*--POLL-TIMEOUT=\([0-9]*\).*/\1/p' "$IT_REPO/raddb/mods-available/cache_phonecert_tls")
OPERATIONS=3
SLACK_MS=150	# scheduling on a loaded machine

median() { printf '%s\n' "$@" | sort -n | sed -n "$((($# + 1) / 2))p"; }

# ROUNDS phones through A then B. FIRST_MS, SECOND_MS: the medians of each authentication.
phones() {	# LABEL RESUMED ("0 1": resumed on B)
	local label=$1 want=$2 i accepted=0 as_wanted=0 firsts=() seconds=() first second
	for i in $(seq 1 "$ROUNDS"); do
		fleet_auth "$CERT" "$KEY" A B
		[ "$FLEET_CODES" = "2 2" ] && accepted=$((accepted + 1))
		[ "$FLEET_RESUMED" = "$want" ] && as_wanted=$((as_wanted + 1))
		read -r first second <<<"$FLEET_MS"
		firsts+=("${first:-0}")
		seconds+=("${second:-0}")
	done
	FIRST_MS=$(median "${firsts[@]}")
	SECOND_MS=$(median "${seconds[@]}")
	if [ "$accepted" = "$ROUNDS" ]; then pass "$label: $ROUNDS of $ROUNDS phones accepted on A and on B"
	else fail "$label: $accepted of $ROUNDS phones accepted on A and on B"; fi
	if [ "$as_wanted" = "$ROUNDS" ]; then pass "$label: TLS resumed per authentication: $want"
	else fail "$label: $as_wanted of $ROUNDS phones with TLS resumed per authentication $want (last: $FLEET_RESUMED)"; fi
	echo "# $label: on A ${FIRST_MS} ms, then on B ${SECOND_MS} ms (medians of $ROUNDS phones)"
}

# No reject and no Login incorrect anywhere in the servers' logs.
expect_no_reject() {	# LABEL
	local name logs=
	for name in A B; do logs+=$(cat "${FLEET_RUN[$name]}/log/debug.log"); done
	if grep -qE 'phonecert: reject|Login incorrect|Sent Access-Reject' <<<"$logs"; then fail "$1: a reject in the logs"
	else pass "$1: no reject"; fi
}

# The wait a hung store adds, per authentication, is within the shipped bound. Not under valgrind: it times nothing.
expect_bounded_wait() {	# LABEL MS BASELINE
	if [ -n "$IT_SERVER_WRAPPER" ]; then skip "$1: timing under $IT_SERVER_WRAPPER"; return; fi
	expect_extra_ms_below "$2" "$3" $((OPERATIONS * OPERATION_MS + SLACK_MS)) "$1"
}

fleet_two_servers "$(fleet_new_key fleet-1)" || exit 1

echo "# the store up: each phone's session made on A resumes on B"
phones "store up" "0 1"
up_first=$FIRST_MS up_second=$SECOND_MS

echo "# the store stopped: full handshakes"
memcached_stop
phones "store stopped" "0 0"
stopped_first=$FIRST_MS stopped_second=$SECOND_MS
expect_no_reject "store stopped"

echo "# radiusd starts while the store is down"
fleet_stop B
if fleet_start B; then pass "B starts with its store down"; else fail "B does not start with its store down"; exit 1; fi
fleet_auth "$CERT" "$KEY" B
expect_result accept "the restarted B, store down"

echo "# the store hangs: full handshakes, each store operation cut at ${OPERATION_MS} ms"
memcached_start "$FLEET_MC_PORT" || exit 1
sleep 2.5	# libmemcached leaves a server that failed alone for 2 s (RETRY-TIMEOUT)
memcached_pause
phones "store paused" "0 0"
paused_first=$FIRST_MS paused_second=$SECOND_MS
expect_no_reject "store paused"
expect_bounded_wait "store paused: a new phone's full handshake" "$paused_first" "$stopped_first"
expect_bounded_wait "store paused: a phone offering its session" "$paused_second" "$stopped_second"
memcached_resume

echo "# the store back: sessions resume again"
for attempt in 1 2 3 4 5; do
	sleep 1
	fleet_auth "$CERT" "$KEY" A B
	[ "$FLEET_RESUMED" = "0 1" ] && break
done
expect_resumed "0 1" "the store back (after $attempt s)"

echo "# figures (ms per authentication; A: a new phone's full handshake, B: the phone offering its session made on A)"
echo "#   store up:      A $up_first, B $up_second (resumed)"
echo "#   store stopped: A $stopped_first, B $stopped_second (full handshake)"
echo "#   store paused:  A $paused_first, B $paused_second (full handshake): added wait A $((paused_first - stopped_first)), B $((paused_second - stopped_second))"
it_finish

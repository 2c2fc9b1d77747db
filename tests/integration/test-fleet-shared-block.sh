#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The whole fleet of doc/fleet.md at once, with real parts on loopback: two
# radiusd sharing one memcached TLS session store (phonecert-tls-cache,
# cache_phonecert_tls, fleet_secret_file) and reading one fleet block list
# from one PostgreSQL (fleet_block_list). test-fleet.sh refuses a session
# made on A with B's own block_file, test-fleet-blocklist.sh resumes each
# server's sessions from its own cache; here a block made once with
# "phonecert block --db" refuses, within 10 s, a session made on A as it
# resumes on B, and a fresh handshake on A; "phonecert unblock --db" lets
# the phone in again on both within 10 s. The times are measured from
# before the command, to the end of the authentication that shows it.
#
# A session made on A resumes on B through fleet-relay.py (fleet-lib.sh):
# one eapol_test makes its full handshake on A, then resumes on B again and
# again until B refuses it. Fresh handshakes go to each server straight, one
# after another, alongside.
set -u
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/fleet-lib.sh"
source "$(dirname "$0")/pg.sh"
it_init
fleet_init
PHONECERT=$IT_BUILD/phonecert
EXTRA=$IT_BUILD/it/fleet-shared-block-extra
rm -rf "$EXTRA"
mkdir -p "$EXTRA"
source "$(dirname "$0")/cli-lib.sh"

PHONE=SEP2C3124C9F8E1
MAC=2C-31-24-C9-F8-E1
CERT=lsc-new-rsa.pem
KEY=lsc-new-rsa.key
PROMISE_MS=10000	# a block, or its lift, in force on every server within 10 s (the shipped refresh is 5 s)
pollers=

stop_pollers() {
	local pid
	for pid in $pollers; do stop_pid "$pid"; done
	pollers=
}
trap 'stop_pollers; fleet_cleanup; it_cleanup; pg_remove' EXIT

pg_start || { fail "PostgreSQL did not start"; it_finish; exit 1; }
pg_create_inventory && pg_create_fleet_roles ||
	{ fail "cannot make the inventory and the fleet's roles"; it_finish; exit 1; }
ADMIN_URL=postgresql://alice@127.0.0.1:$PG_PORT/phonecert

# Both servers as doc/fleet.md sets them up: the store and its seal (fleet-lib.sh), and the fleet block list.
FLEET_OPTIONS="$FLEET_PHONECERT_OPTIONS
	fleet_block_list {
		db = \"postgresql://radius_fleet@127.0.0.1:$PG_PORT/phonecert\"
		refresh = 5
		copy = \${confdir}/phonecert-fleet-blocklist
	}"
fleet_two_servers "$(fleet_new_key fleet-1)" "$FLEET_OPTIONS" || { fail "the fleet did not start"; it_finish; exit 1; }

# The server the next eap_tls, count_log or wait_for_log is about.
on() { IT_RUN=${FLEET_RUN[$1]} IT_PORT=${FLEET_PORT[$1]}; }

ms_since() { echo $((($(date +%s%N) - $1) / 1000000)); }

# A long list of answers, short: how many, the first and the last few.
in_short() {
	local words
	read -ra words <<<"$1"
	[ "${#words[@]}" -le 8 ] && { echo "'$1'"; return; }
	echo "${#words[@]}: '${words[*]:0:3} ... ${words[*]: -3}'"
}

# Fresh handshakes of the phone on server NAME, one after another, until
# one ends in WANT (accept or reject), starting none more once the promise's
# time since START (date +%s%N) is over. In the background (its pid added
# to pollers); what it saw goes to $EXTRA/poll-NAME: "RESULT MS" (the last
# handshake's result, and its end in ms after START), and that handshake's
# server log to $EXTRA/poll-NAME.log.
fresh_until() {	# NAME WANT START
	local name=$1 want=$2 start=$3
	rm -f "$EXTRA/poll-$name" "$EXTRA/poll-$name.log"
	(
		on "$name"
		while :; do
			eap_tls "$CERT" "$KEY"
			ms=$(ms_since "$start")
			if [ "$IT_RESULT" = "$want" ] || [ "$ms" -ge "$PROMISE_MS" ]; then
				printf '%s\n' "$IT_LOG" > "$EXTRA/poll-$name.log"
				echo "$IT_RESULT $ms" > "$EXTRA/poll-$name"
				exit
			fi
			sleep 0.2
		done
	) &
	pollers="$pollers $!"
}

# Wait for the pollers, then: server NAME's fresh handshake ended in WANT
# within the promise, its log saying PATTERN.
expect_fresh() {	# NAME WANT PATTERN LABEL
	local name=$1 want=$2 pattern=$3 label=$4 pid result ms
	for pid in $pollers; do wait "$pid"; done
	pollers=
	result=none ms=
	[ -s "$EXTRA/poll-$name" ] && read -r result ms < "$EXTRA/poll-$name"
	if [ "$result" = "$want" ] && [ "$ms" -le "$PROMISE_MS" ]; then pass "$label: $want, $ms ms after the command"
	else fail "$label: expected $want within $PROMISE_MS ms, got $result after ${ms:-?} ms"; fi
	if grep -qE -- "$pattern" "$EXTRA/poll-$name.log" 2>/dev/null; then pass "$label: server $name's log says it"
	else fail "$label: no /$pattern/ in server $name's log"; fi
}

echo "# the fleet as doc/fleet.md sets it up: one session store, one block list"
for server in A B; do
	on $server
	expect_log_file 'TLS sessions sealed with key fleet-1' "server $server seals its sessions with the fleet's key"
	if wait_for_log "fleet block list: 0 entries read from phonecert on 127.0.0.1:$PG_PORT as radius_fleet, every 5 s" 0 ||
	   wait_for_log "fleet block list: 0 entries read from phonecert on 127.0.0.1:$PG_PORT as radius_fleet, every 5 s" 0; then
		pass "server $server reads the fleet block list as radius_fleet"
	else
		fail "server $server did not read the fleet block list"
	fi
done
fleet_auth "$CERT" "$KEY" A B
expect_codes "2 2" "before the block: A, then B"
expect_resumed "0 1" "before the block: a session made on A resumes on B"
expect_server_log A "phonecert: accept device=$PHONE .*session=full" "A decided the full handshake"
expect_server_log B "phonecert: accept device=$PHONE .*session=resumed key=proven" "B resumed A's session, re-checked"

echo "# a block made once: within 10 s B refuses a session made on A as it resumes, and A a fresh handshake"
fleet_auth_begin -r 5000 "$CERT" "$KEY" A B
on B
wait_for_log "phonecert: accept device=$PHONE .*session=resumed" 0 ||
	wait_for_log "phonecert: accept device=$PHONE .*session=resumed" 0 ||
	fail "it: the session made on A did not resume on B before the block"
start=$(date +%s%N)
run block mac "$MAC" --comment "stolen, ticket 4712" --db "$ADMIN_URL"
expect_rc 0 "phonecert block --db as the admin role"
expect_out "^blocked mac $MAC in postgresql://alice@127.0.0.1:$PG_PORT/phonecert \(row [0-9]+\)$" "says where it blocked"
fresh_until A reject "$start"
fleet_auth_end
if grep -q 'EAPOL test timed out' <<<"$IT_EAPOL_OUT"; then fail "B never refused the session: eapol_test's time ran out"; fi
if [[ $FLEET_CODES =~ ^2( 2)+\ 3$ ]]; then
	pass "the session made on A resumed on B, accepted, until B sent an Access-Reject ($(wc -w <<<"$FLEET_CODES") authentications)"
else
	fail "the RADIUS answers, A's first: expected 2, then 2 at least once, ending in 3; got $(in_short "$FLEET_CODES")"
fi
if [[ $FLEET_RESUMED =~ ^0( 1)+$ ]] && [ "$(wc -w <<<"$FLEET_RESUMED")" = "$(wc -w <<<"$FLEET_CODES")" ]; then
	pass "every authentication on B resumed the session made on A, the refused one too"
else
	fail "TLS resumed per authentication: expected 0, then 1 for each on B; got $(in_short "$FLEET_RESUMED") for answers $(in_short "$FLEET_CODES")"
fi
at=${FLEET_AT##* }
ms=$((${at:-0} - start / 1000000))
if [ -n "$at" ] && [ "${FLEET_CODES##* }" = 3 ] && [ "$ms" -le "$PROMISE_MS" ]; then pass "B refused the resumed session $ms ms after the command"
else fail "B's refusal of the resumed session: answer ${FLEET_CODES##* } after $ms ms, expected 3 within $PROMISE_MS ms"; fi
expect_server_log B "phonecert: reject device=$PHONE .*session=resumed key=proven reason=\"blocked: stolen, ticket 4712; the phone is in the fleet block list" \
	"B's reject: the resumed session, blocked, by the fleet block list"
expect_server_log B "fleet block list: blocked, row [0-9]+: mac $MAC$" "B logs the new entry"
expect_fresh A reject "phonecert: reject device=$PHONE .*session=full .*reason=\"blocked: stolen, ticket 4712; the phone is in the fleet block list" \
	"a fresh handshake on A"
if [ -s "$(fleet_raddb B)/phonecert-blocked" ]; then fail "B's block_file is not empty: the refusal proves nothing about the fleet's list"
else pass "B's block_file is empty: the fleet's list refused the phone"; fi

echo "# an unblock made once: within 10 s both servers accept the phone again"
start=$(date +%s%N)
run unblock mac "$MAC" --db "$ADMIN_URL"
expect_rc 0 "phonecert unblock --db as the admin role"
expect_out "^unblocked mac $MAC in .* \(row [0-9]+, lifted by alice\)$" "says who lifted it"
fresh_until A accept "$start"
fresh_until B accept "$start"
accepted="phonecert: accept device=$PHONE .*session=full"
expect_fresh A accept "$accepted" "a fresh handshake on A"
expect_fresh B accept "$accepted" "a fresh handshake on B"
for server in A B; do
	on $server
	expect_log_file "fleet block list: lifted, mac $MAC: unblocked \(recorded in the database\)" "server $server logs the unblock"
done
fleet_auth "$CERT" "$KEY" A B
expect_codes "2 2" "after the unblock: A, then B"
expect_resumed "0 1" "after the unblock: a session made on A resumes on B again"
expect_server_log B "phonecert: accept device=$PHONE .*session=resumed key=proven" "B accepts the resumed session"

it_finish

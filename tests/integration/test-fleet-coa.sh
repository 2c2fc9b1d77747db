#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# phonecert block --now: a CoA to the switch where the phone was last
# accepted, with real parts on loopback. freeradius with the module writes
# its inventory into a real PostgreSQL: the switch of each phone's last
# accept (source address, NAS-IP-Address, Calling-Station-Id), written
# whatever the only-what-changed cache says, and not by a reject. A second
# freeradius with listen { type = coa } plays the switch: it acknowledges
# the session of one phone and refuses (NAK, Error-Cause) any other. The
# Disconnect-Request and Cisco's CoA-Request (reauthenticate,
# bounce-host-port) reach it with the recorded session; a NAK and its
# Error-Cause, no answer (bounded), no known switch, a recorded address
# that is no client of clients.conf, and a client without coa_server are
# said, and nothing is sent in the last three.
set -u
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/pg.sh"
it_init
PHONECERT=$IT_BUILD/phonecert
EXTRA=$IT_BUILD/it/fleet-coa-extra
rm -rf "$EXTRA"
mkdir -p "$EXTRA"
source "$(dirname "$0")/cli-lib.sh"

SWITCH=$EXTRA/switch
COA_SECRET=coa-secret-of-the-switch
switch_pid=
cleanup_all() {
	switch_stop
	it_cleanup
	pg_remove
}
trap cleanup_all EXIT

# The switch: FreeRADIUS answering CoA on loopback. It knows one session,
# the phone 2C-31-24-C9-F8-E1's, in any of the spellings switches use.
switch_config() {
	mkdir -p "$SWITCH/raddb" "$SWITCH/run"
	echo '$INCLUDE /usr/share/freeradius/dictionary' > "$SWITCH/raddb/dictionary"
	cat > "$SWITCH/raddb/radiusd.conf" <<EOF
# SPDX-License-Identifier: GPL-2.0-or-later
# A switch's CoA listener (RFC 5176), for test-fleet-coa.sh.
prefix = /usr
logdir = $SWITCH/run
run_dir = $SWITCH/run
libdir = /usr/lib/freeradius
pidfile = $SWITCH/run/switch.pid
security {
	allow_core_dumps = no
}
client phonecert-servers {
	ipaddr = 127.0.0.1
	secret = $COA_SECRET
}
modules {
	always ok {
		rcode = ok
	}
	always reject {
		rcode = reject
	}
}
server switch {
	listen {
		type = coa
		ipaddr = 127.0.0.1
		port = \${coa_port}
	}
	recv-coa {
		if (&Calling-Station-Id =~ /^2c[-:.]?31[-:.]?24[-:.]?c9[-:.]?f8[-:.]?e1$/i) {
			ok
		}
		else {
			update reply {
				&Error-Cause := Session-Context-Not-Found
			}
			reject
		}
	}
	send-coa {
		ok
	}
}
EOF
}

switch_stop() {
	[ -n "$switch_pid" ] || return 0
	kill "$switch_pid" 2>/dev/null
	wait "$switch_pid" 2>/dev/null
	switch_pid=
}

# What the switch received: its packets' names and attributes, as freeradius -X logs them.
switch_received() { grep -cE "Received $1 Id" "$SWITCH/run/switch.log"; }
expect_switch_got() {	# PATTERN LABEL
	if grep -qE -- "$1" "$SWITCH/run/switch.log"; then pass "$2"; else fail "$2 (no /$1/ in the switch's log)"; fi
}

switch_config
# The port comes first: listen reads it from the configuration's top.
start_switch_on_free_port() {
	local attempt
	for attempt in 1 2 3 4 5; do
		COA_PORT=$((20000 + RANDOM % 40000))
		sed -i "1i coa_port = $COA_PORT" "$SWITCH/raddb/radiusd.conf"
		freeradius -X -d "$SWITCH/raddb" >"$SWITCH/run/switch.log" 2>&1 &
		switch_pid=$!
		for _ in $(seq 1 100); do
			grep -q 'Ready to process requests' "$SWITCH/run/switch.log" && return 0
			kill -0 "$switch_pid" 2>/dev/null || break
			sleep 0.1
		done
		switch_stop
		sed -i '1d' "$SWITCH/raddb/radiusd.conf"
	done
	return 1
}
start_switch_on_free_port && pass "the switch answers CoA on 127.0.0.1:$COA_PORT" || { fail "the switch did not start"; it_finish; exit 1; }

pg_start || { fail "PostgreSQL did not start"; it_finish; exit 1; }
pg_create_inventory && pg_create_fleet_roles && pass "inventory with the fleet's roles" || { fail "no inventory"; it_finish; exit 1; }
ADMIN_URL=postgresql://alice@127.0.0.1:$PG_PORT/phonecert

# The RADIUS server: phonecert with the fleet block list (read every second),
# its inventory in PostgreSQL, and its client (the switch, 127.0.0.1) with a
# coa_server, as FreeRADIUS' clients.conf and home_server name them.
server_prepare coa "$(phonecert_with_options "	fleet_block_list {
		db = \"postgresql://radius_fleet@127.0.0.1:$PG_PORT/phonecert\"
		refresh = 1
		copy = $EXTRA/fleet-copy
	}")" && pg_configure_run || exit 1
sed -i "s/^\tnas_type = other$/\tnas_type = other\n\tcoa_server = the-switch/" "$IT_RUN/raddb/clients.conf"
cat >> "$IT_RUN/raddb/clients.conf" <<EOF

home_server the-switch {
	type = coa
	ipaddr = 127.0.0.1
	port = $COA_PORT
	secret = $COA_SECRET
}
EOF
grep -q 'coa_server = the-switch' "$IT_RUN/raddb/clients.conf" || fail "cannot give the client a coa_server"
server_start || exit 1
RADDB=$IT_RUN/raddb
switch_row() { pg_sql phonecert "SELECT src_ip, nas_ip, calling_station_id FROM phonecert_phone_switch WHERE mac = '$1'"; }

echo "# the inventory records the switch of each phone's last accept"
eap_tls lsc-new-rsa.pem lsc-new-rsa.key
expect_result accept "the phone is accepted"
eap_tls lsc-old-rsa.pem lsc-old-rsa.key
expect_result accept "another phone is accepted"
inventory_flush
if [ "$(switch_row 2C-31-24-C9-F8-E1)" = "127.0.0.1|127.0.0.1|2C-31-24-C9-F8-E1" ]; then
	pass "its switch: the packets' source address, NAS-IP-Address and Calling-Station-Id"
else
	fail "phonecert_phone_switch holds '$(switch_row 2C-31-24-C9-F8-E1)'"
fi
eap_tls_conf "$IT_RUN/colons.conf" "$IT_PKI/lsc-new-rsa.pem" "$IT_PKI/lsc-new-rsa.key"
eapol_run "$IT_RUN/colons.conf" -N 31:s:2c:31:24:c9:f8:e1
expect_result accept "the same phone, its Calling-Station-Id spelt with colons"
inventory_flush
if [ "$(switch_row 2C-31-24-C9-F8-E1)" = "127.0.0.1|127.0.0.1|2c:31:24:c9:f8:e1" ]; then
	pass "written within the hour, whatever cache_phonecert holds: the Calling-Station-Id is part of the state"
else
	fail "the new Calling-Station-Id was not written: '$(switch_row 2C-31-24-C9-F8-E1)'"
fi

echo "# --now: a Disconnect-Request to the switch, acknowledged"
before=$(switch_received Disconnect-Request)
run block mac 2c:31:24:c9:f8:e1 --comment stolen --db "$ADMIN_URL" --config "$RADDB" --now
expect_rc 0 "phonecert block --now"
expect_out '^Waiting 2 s for every server to read it' "waits for the servers to read the block first"
expect_out "^2C-31-24-C9-F8-E1: last accepted at [0-9T:Z-]+ through 127.0.0.1$" "names the switch the inventory recorded"
expect_out "^2C-31-24-C9-F8-E1: Disconnect-Request to 127.0.0.1:$COA_PORT \(client localhost, coa_server the-switch\): ACK" \
	"sends a Disconnect-Request to the client's coa_server, and says it was acknowledged"
if [ "$(switch_received Disconnect-Request)" -eq $((before + 1)) ]; then pass "the switch received one"
else fail "the switch received $(( $(switch_received Disconnect-Request) - before )) Disconnect-Requests"; fi
expect_switch_got 'Calling-Station-Id = "2c:31:24:c9:f8:e1"' "naming the session by the Calling-Station-Id last recorded"
expect_switch_got 'NAS-IP-Address = 127.0.0.1' "and the NAS-IP-Address"
eap_tls lsc-new-rsa.pem lsc-new-rsa.key
expect_result reject "when the phone comes back, it is refused"
inventory_flush
if [ "$(switch_row 2C-31-24-C9-F8-E1)" = "127.0.0.1|127.0.0.1|2c:31:24:c9:f8:e1" ]; then
	pass "a reject leaves the switch of the last accept as it was"
else
	fail "a reject changed the switch: '$(switch_row 2C-31-24-C9-F8-E1)'"
fi

echo "# Cisco's CoA: reauthenticate, refused (NAK with Error-Cause); bounce-host-port, acknowledged"
start=$(date +%s)
run block mac 00-11-22-33-44-55 --db "$ADMIN_URL" --config "$RADDB" --now --coa reauthenticate
expect_rc 1 "a switch that refuses"
expect_out '^00-11-22-33-44-55: CoA-Request to 127.0.0.1:[0-9]+ .*: NAK, Error-Cause Session-Context-Not-Found$' \
	"says NAK, with the switch's Error-Cause"
expect_switch_got 'Cisco-AVPair = "subscriber:command=reauthenticate"' "the CoA-Request asks to reauthenticate"
run block mac 2c:31:24:c9:f8:e1 --db "$ADMIN_URL" --config "$RADDB" --now --coa bounce-host-port
expect_rc 0 "bounce-host-port"
expect_out "is blocked already in" "the block was made already"
expect_no_out '^Waiting' "so nothing is waited for"
expect_out ': CoA-Request to .*: ACK' "acknowledged"
expect_switch_got 'Cisco-AVPair = "subscriber:command=bounce-host-port"' "the CoA-Request asks to bounce the port"

echo "# a switch that does not answer: a bounded wait"
switch_stop
start=$(date +%s)
run block mac 2c:31:24:c9:f8:e1 --db "$ADMIN_URL" --config "$RADDB" --now
elapsed=$(( $(date +%s) - start ))
expect_rc 1 "no answer"
expect_out ': no answer after 2 tries of 3 s$' "says so"
if [ "$elapsed" -le 12 ]; then pass "given up after ${elapsed} s"; else fail "waited ${elapsed} s"; fi
start_switch_on_free_port || fail "the switch did not start again"
sed -i "s/^\tport = [0-9]*$/\tport = $COA_PORT/" "$RADDB/clients.conf"

echo "# what the inventory says is a stranger's: only a client of clients.conf gets a CoA"
before=$(( $(switch_received Disconnect-Request) + $(switch_received CoA-Request) ))
pg_sql phonecert "UPDATE phonecert_phone_switch SET src_ip = '192.0.2.7' WHERE mac = '2C-31-24-C9-F8-E1'" >/dev/null
run block mac 2c:31:24:c9:f8:e1 --db "$ADMIN_URL" --config "$RADDB" --now
expect_rc 1 "a recorded address that is no client"
expect_out "through 192.0.2.7: not sending a CoA there: no client of $RADDB covers it" "is refused"
pg_sql phonecert "UPDATE phonecert_phone_switch SET src_ip = E'127.0.0.1\\nphonecert: ACK' WHERE mac = '2C-31-24-C9-F8-E1'" >/dev/null
run block mac 2c:31:24:c9:f8:e1 --db "$ADMIN_URL" --config "$RADDB" --now
expect_rc 1 "a recorded address that is no address"
expect_out 'through 127.0.0.1\\x0aphonecert: ACK: not sending a CoA there: the switch address recorded is no IP address' \
	"is refused, and shown escaped"
pg_sql phonecert "UPDATE phonecert_phone_switch SET src_ip = '127.0.0.1', calling_station_id = E'2C-31-24-C9-F8-E1\"\\nCisco-AVPair = \"x' WHERE mac = '2C-31-24-C9-F8-E1'" >/dev/null
run block mac 2c:31:24:c9:f8:e1 --db "$ADMIN_URL" --config "$RADDB" --now
expect_rc 1 "a recorded Calling-Station-Id that is not one"
expect_out 'its Calling-Station-Id is not recorded, or is not one a switch sends' "is not sent"
cp -a "$RADDB" "$EXTRA/no-coa-raddb"
sed -i '/coa_server = the-switch/d' "$EXTRA/no-coa-raddb/clients.conf"
pg_sql phonecert "UPDATE phonecert_phone_switch SET calling_station_id = '2C-31-24-C9-F8-E1' WHERE mac = '2C-31-24-C9-F8-E1'" >/dev/null
run block mac 2c:31:24:c9:f8:e1 --db "$ADMIN_URL" --config "$EXTRA/no-coa-raddb" --now
expect_rc 1 "a client without coa_server"
expect_out 'client localhost \(.*clients.conf\[[0-9]+\]\) has no coa_server: add coa_server = NAME' "says what to add"
if [ "$(( $(switch_received Disconnect-Request) + $(switch_received CoA-Request) ))" -eq "$before" ]; then
	pass "the switch received nothing in all these"
else
	fail "the switch received a packet it should not have"
fi
run block mac 02-00-00-00-00-77 --db "$ADMIN_URL" --config "$RADDB" --now
expect_rc 1 "a phone never accepted"
expect_out '^02-00-00-00-00-77: no switch known: the inventory records no accepted authentication of it$' "has no switch known"

echo "# usage: --now needs an inventory; a new block_file entry waits for a reload"
run block mac 2c:31:24:c9:f8:e1 --file "$EXTRA/blocked" --now
expect_rc 2 "--now without --db"
expect_err "--now reads the phone's switch from the inventory: give --db" "says what it needs"
run block mac 2c:31:24:c9:f8:e1 --file "$EXTRA/blocked" --db "sqlite:$EXTRA/inventory.sqlite" --now
expect_rc 1 "--now with a block_file entry made just now"
expect_out '^No CoA yet: the server refuses the phone once it is reloaded' "sends nothing before the reload"
run block mac 2c:31:24:c9:f8:e1 --db "sqlite:$EXTRA/inventory.sqlite"
expect_rc 2 "a SQLite inventory without --now"
run block mac 2c:31:24:c9:f8:e1 --db "$ADMIN_URL" --coa disconnect
expect_rc 2 "--coa without --now"
run block mac 2c:31:24:c9:f8:e1 --db "$ADMIN_URL" --now --coa kick
expect_rc 2 "an unknown --coa"

it_finish

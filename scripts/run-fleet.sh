#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# `make fleet`: the fleet of doc/fleet.md on this machine, without a
# container engine, all on 127.0.0.1: two FreeRADIUS with phonecert (A and
# B), memcached as their shared TLS session store, PostgreSQL with the
# inventory and the fleet block list, and a CoA receiver standing for the
# switch. It prints what to try, and stops everything on Ctrl-C;
# `make fleet-stop` stops a fleet whose terminal went away.
#
#   scripts/run-fleet.sh [start|stop]
#
# Ports (environment): FLEET_PORT_A (18121), FLEET_PORT_B (18122),
# FLEET_MEMCACHED_PORT (11311), FLEET_PG_PORT (15432), FLEET_COA_PORT (13799).
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
build=$repo/build
fleet=$build/fleet
pki=$build/demo-pki
port_a=${FLEET_PORT_A:-18121}
port_b=${FLEET_PORT_B:-18122}
mc_port=${FLEET_MEMCACHED_PORT:-11311}
pg_port=${FLEET_PG_PORT:-15432}
coa_port=${FLEET_COA_PORT:-13799}
coa_secret=coa-receiver-secret
pids=$fleet/pids		# "NAME PID" of everything started, for stop
pg_bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)

say() { echo "fleet: $*" >&2; }

# PostgreSQL and memcached refuse to run as root: as their own users then.
as_user() {	# USER CMD...
	local user=$1; shift
	if [ "$(id -u)" = 0 ]; then (cd / && runuser -u "$user" -- "$@"); else "$@"; fi
}

stop_fleet() {
	local name pid
	[ -f "$pids" ] || return 0
	while read -r name pid; do
		if [ "$name" = postgresql ]; then
			as_user postgres "$pg_bin/pg_ctl" -D "$pid/data" -m fast -w stop >/dev/null 2>&1 || true
			rm -rf "$pid"
		elif kill "$pid" 2>/dev/null; then
			say "stopped $name ($pid)"
		fi
	done < "$pids"
	rm -f "$pids"
}

# The inventory: its own cluster (in /tmp: the postgres user must reach it),
# the shipped schema and fleet roles, and two login roles: radius_fleet for
# the servers, alice for the admin who blocks phones.
start_postgresql() {
	local dir sql="$repo/raddb/mods-config/sql/phonecert/postgresql"
	[ -x "$pg_bin/initdb" ] || { say "no PostgreSQL server installed (scripts/install-deps.sh fleet)"; return 1; }
	dir=$(mktemp -d /tmp/phonecert-fleet-pg.XXXXXX)
	chmod 755 "$dir"
	[ "$(id -u)" != 0 ] || chown postgres "$dir"
	echo "postgresql $dir" >> "$pids"
	as_user postgres "$pg_bin/initdb" -D "$dir/data" -A trust -U postgres >"$dir/initdb.log" 2>&1 ||
		{ cat "$dir/initdb.log" >&2; return 1; }
	as_user postgres "$pg_bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 30 \
		-o "-c listen_addresses=127.0.0.1 -p $pg_port -k $dir" start >/dev/null ||
		{ cat "$dir/server.log" >&2; return 1; }
	psql_as postgres postgres -c "CREATE ROLE phonecert LOGIN" -c "CREATE DATABASE phonecert OWNER phonecert"
	psql_as phonecert phonecert -f "$sql/schema.sql"
	psql_as postgres phonecert -f "$sql/fleet-roles.sql" \
		-c "CREATE ROLE radius_fleet LOGIN IN ROLE phonecert_radius" -c "CREATE ROLE alice LOGIN IN ROLE phonecert_admin"
}

psql_as() {	# ROLE DATABASE PSQL-ARGS...
	local role=$1 db=$2; shift 2
	as_user postgres "$pg_bin/psql" -h 127.0.0.1 -p "$pg_port" -U "$role" -d "$db" -q -v ON_ERROR_STOP=1 "$@" >/dev/null
}

start_memcached() {
	local user=()
	[ "$(id -u)" != 0 ] || user=(-u nobody)
	memcached -l 127.0.0.1 -p "$mc_port" -U 0 -m 64 "${user[@]}" >"$fleet/memcached.log" 2>&1 &
	echo "memcached $!" >> "$pids"
}

# The switch's CoA port: FreeRADIUS acknowledging every Disconnect and CoA, and logging it.
start_coa_receiver() {
	local dir=$fleet/coa-receiver
	mkdir -p "$dir/raddb"
	echo '$INCLUDE /usr/share/freeradius/dictionary' > "$dir/raddb/dictionary"
	cat > "$dir/raddb/radiusd.conf" <<EOF
# SPDX-License-Identifier: GPL-2.0-or-later
# make fleet's CoA receiver: where a switch would take phonecert block --now.
prefix = /usr
logdir = $dir
run_dir = $dir
libdir = /usr/lib/freeradius
pidfile = $dir/receiver.pid
client fleet-servers {
	ipaddr = 127.0.0.1
	secret = $coa_secret
}
modules {
	always ok {
		rcode = ok
	}
}
server coa-receiver {
	listen {
		type = coa
		ipaddr = 127.0.0.1
		port = $coa_port
	}
	recv-coa {
		ok
	}
	send-coa {
		ok
	}
}
EOF
	freeradius -X -d "$dir/raddb" >"$dir/received.log" 2>&1 &
	echo "coa-receiver $!" >> "$pids"
}

# Server NAME on PORT: the demo raddb with the few lines doc/fleet.md changes.
prepare_server() {	# NAME PORT
	local run=$fleet/$1 raddb
	"$repo/scripts/demo-raddb.sh" "$run" "$pki" "$build" "$2" 1
	raddb=$run/raddb
	for file in "$raddb/mods-available/cache_phonecert_tls" "$raddb/sites-available/phonecert-tls-cache"; do
		[ -f "$file" ] || { say "$file is missing: the shared TLS session store is not in this tree"; return 1; }
	done
	# Every server: the same fleet secret, the fleet block list, and its own copy of it.
	cp "$fleet/phonecert-fleet-secret" "$raddb/phonecert-fleet-secret"
	awk -v db="postgresql://radius_fleet@127.0.0.1:$pg_port/phonecert" -v copy="$run/fleet-blocklist" '
		{ print }
		/^[[:space:]]*tls_config =/ {
			print "\tfleet_secret_file = ${confdir}/phonecert-fleet-secret"
			print "\tfleet_block_list {"
			print "\t\tdb = \"" db "\""
			print "\t\trefresh = 5"
			print "\t\tcopy = " copy
			print "\t}"
		}' "$repo/raddb/mods-available/phonecert" > "$raddb/mods-enabled/phonecert.new"
	rm "$raddb/mods-enabled/phonecert"
	mv "$raddb/mods-enabled/phonecert.new" "$raddb/mods-enabled/phonecert"
	# The inventory in PostgreSQL, as radiusd's role.
	sed -i -e 's/^dialect = "sqlite"/dialect = "postgresql"/' -e "s/^port = 5432/port = $pg_port/" \
	       -e 's/^login = "phonecert"/login = "radius_fleet"/' "$raddb/mods-config/sql/phonecert/connection.conf"
	# eap's session cache in the shared store, through the tls-cache site.
	sed -i 's|^\([[:space:]]*\)persist_dir = .*|\1virtual_server = "phonecert-tls-cache"|' "$raddb/mods-available/eap"
	ln -s ../mods-available/cache_phonecert_tls "$raddb/mods-enabled/"
	ln -s ../sites-available/phonecert-tls-cache "$raddb/sites-enabled/"
	sed -i "s|--SERVER=127.0.0.1:11211|--SERVER=127.0.0.1:$mc_port|" "$raddb/mods-available/cache_phonecert_tls"
	# The switch (this machine) may be sent a CoA: its coa_server.
	sed -i 's/^\tnas_type = other$/\tnas_type = other\n\tcoa_server = the-switch/' "$raddb/clients.conf"
	cat >> "$raddb/clients.conf" <<EOF

# make fleet: the switch's CoA port (the CoA receiver), for phonecert block --now.
home_server the-switch {
	type = coa
	ipaddr = 127.0.0.1
	port = $coa_port
	secret = $coa_secret
}
EOF
}

start_server() {	# NAME
	freeradius -f -l stdout -d "$fleet/$1/raddb" >"$fleet/$1/log/radiusd.log" 2>&1 &
	echo "radiusd-$1 $!" >> "$pids"
}

# Bounded: each part answers within 30 s, or the fleet stops.
wait_ready() {	# NAME LOG PATTERN
	local i
	for i in $(seq 1 300); do
		grep -qE "$3" "$2" 2>/dev/null && return 0
		sleep 0.1
	done
	say "$1 did not start; the end of $2:"
	tail -n 15 "$2" >&2
	return 1
}

# phone_conf DIR NAME CERT KEY IDENTITY
# shellcheck source=scripts/phone-conf.sh
source "$repo/scripts/phone-conf.sh"

print_commands() {
	local admin="postgresql://alice@127.0.0.1:$pg_port/phonecert"
	cat <<TEXT
rlm_phonecert fleet (doc/fleet.md), all on 127.0.0.1, secret testing123:
  server A   UDP $port_a        log $fleet/a/log/radiusd.log
  server B   UDP $port_b        log $fleet/b/log/radiusd.log
  memcached  TCP $mc_port        the TLS sessions both servers share (fleet secret: $fleet/phonecert-fleet-secret)
  PostgreSQL TCP $pg_port        inventory and fleet block list (radiusd: radius_fleet, admin: alice)
  CoA        UDP $coa_port        the switch's CoA port; what it got: $fleet/coa-receiver/received.log

In another terminal:
  # a phone's full handshake on A, then its session resumed on B (resumed=1): a relay plays the
  # switch that asks A first, then B
  mkdir -p $fleet/relay; python3 $repo/tests/integration/fleet-relay.py $fleet/relay $port_a $port_b &
  sleep 1; eapol_test -c $fleet/lsc-phone.conf -a 127.0.0.1 -p \$(cat $fleet/relay/port) -s testing123 \\
      -M 2c:31:24:c9:f8:e1 -r 1 | grep -E 'resumed=|^SUCCESS|^FAILURE'

  # block it once, for the whole fleet, and remove it from its switch now (a Disconnect-Request)
  $build/phonecert block mac 2c:31:24:c9:f8:e1 --comment "stolen, ticket 4711" \\
      --db $admin --config $fleet/a/raddb --now
  grep -A3 'Received Disconnect-Request' $fleet/coa-receiver/received.log
  # both servers refuse it now, fresh or resumed
  eapol_test -c $fleet/lsc-phone.conf -a 127.0.0.1 -p $port_b -s testing123 -M 2c:31:24:c9:f8:e1 | tail -n 1
  # what a server holds, and its age; the unblock, recorded
  $build/phonecert fleet status --config $fleet/b/raddb
  $build/phonecert unblock mac 2c:31:24:c9:f8:e1 --db $admin

Stop with Ctrl-C (or: make fleet-stop).
TEXT
}

start_fleet() {
	stop_fleet
	mkdir -p "$fleet"
	: > "$pids"
	trap 'stop_fleet' EXIT
	trap 'exit 130' INT TERM
	"$repo/tests/pki/make-pki.sh" "$pki"
	printf 'fleet-1 %s\n' "$(openssl rand -hex 32)" > "$fleet/phonecert-fleet-secret"
	chmod 600 "$fleet/phonecert-fleet-secret"
	start_postgresql
	start_memcached
	start_coa_receiver
	wait_ready "the CoA receiver" "$fleet/coa-receiver/received.log" 'Ready to process requests'
	prepare_server a "$port_a"
	prepare_server b "$port_b"
	phone_conf "$fleet" lsc-phone lsc-new-rsa.pem lsc-new-rsa.key CP-8861-SEP2C3124C9F8E1
	start_server a
	start_server b
	wait_ready "server A" "$fleet/a/log/radiusd.log" 'Ready to process requests'
	wait_ready "server B" "$fleet/b/log/radiusd.log" 'Ready to process requests'
	print_commands
	# In the foreground until Ctrl-C, or until a part of the fleet stops.
	wait -n
	say "a part of the fleet stopped: stopping the rest"
}

case "${1:-start}" in
	start) start_fleet ;;
	stop) stop_fleet ;;
	*) echo "usage: $0 [start|stop]" >&2; exit 2 ;;
esac

# SPDX-License-Identifier: GPL-2.0-or-later
# A throwaway PostgreSQL server for the tests: its own cluster in a temporary
# directory, listening on 127.0.0.1 on a free port, trust authentication for
# local connections only. Source after lib.sh.

PG_BIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
PG_DIR=
PG_PORT=

# From /: the checkout may be a directory the postgres user cannot enter.
pg_as() { (cd / && runuser -u postgres -- "$@"); }

# Start the cluster (postgres refuses to run as root: it runs as the postgres user).
pg_start() {
	[ -x "$PG_BIN/initdb" ] || { echo "pg: no PostgreSQL server installed" >&2; return 1; }
	PG_DIR=$(mktemp -d /tmp/phonecert-pg.XXXXXX)
	chown postgres "$PG_DIR"
	pg_as "$PG_BIN/initdb" -D "$PG_DIR/data" -A trust -U postgres >"$PG_DIR/initdb.log" 2>&1 || { cat "$PG_DIR/initdb.log" >&2; return 1; }
	local attempt
	for attempt in 1 2 3 4 5; do
		PG_PORT=$((20000 + RANDOM % 40000))
		pg_as "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/server.log" -w -t 30 \
			-o "-c listen_addresses=127.0.0.1 -p $PG_PORT -k $PG_DIR" start >/dev/null 2>&1 && return 0
	done
	cat "$PG_DIR/server.log" >&2
	return 1
}

# Start the stopped cluster again, on its port (the database "came back").
pg_restart() {
	pg_as "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/server.log" -w -t 30 \
		-o "-c listen_addresses=127.0.0.1 -p $PG_PORT -k $PG_DIR" start >/dev/null 2>&1
}

pg_stop() {
	[ -n "$PG_DIR" ] && [ -d "$PG_DIR/data" ] || return 0
	pg_as "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -m fast -w stop >/dev/null 2>&1
}

pg_remove() {
	pg_stop
	[ -n "$PG_DIR" ] && rm -rf "$PG_DIR"
	PG_DIR=
}

pg_sql() {	# $1: database, $2: SQL -> rows as a|b|c
	pg_as "$PG_BIN/psql" -h 127.0.0.1 -p "$PG_PORT" -U postgres -d "$1" -At -F '|' -v ON_ERROR_STOP=1 -c "$2"
}

# The inventory database, owned by the phonecert role, with the shipped schema.
pg_create_inventory() {
	pg_sql postgres "CREATE ROLE phonecert LOGIN" >/dev/null &&
	pg_sql postgres "CREATE DATABASE phonecert OWNER phonecert" >/dev/null &&
	pg_as "$PG_BIN/psql" -h 127.0.0.1 -p "$PG_PORT" -U phonecert -d phonecert -q -v ON_ERROR_STOP=1 \
		<"$IT_REPO/raddb/mods-config/sql/phonecert/postgresql/schema.sql" >/dev/null
}

# Point a prepared run's inventory at this server (what an admin edits in connection.conf).
pg_configure_run() {
	local conf=$IT_RUN/raddb/mods-config/sql/phonecert/connection.conf
	sed -i "s/^dialect = \"sqlite\"/dialect = \"postgresql\"/; s/^port = 5432/port = $PG_PORT/" "$conf"
}

# The roles of a fleet (fleet-roles.sql, as a superuser), and a login role in each:
# radius_fleet (radiusd's, phonecert_radius) and alice (an admin, phonecert_admin).
pg_create_fleet_roles() {
	pg_as "$PG_BIN/psql" -h 127.0.0.1 -p "$PG_PORT" -U postgres -d phonecert -q -v ON_ERROR_STOP=1 \
		-f "$IT_REPO/raddb/mods-config/sql/phonecert/postgresql/fleet-roles.sql" >/dev/null &&
	pg_sql postgres "CREATE ROLE radius_fleet LOGIN IN ROLE phonecert_radius" >/dev/null &&
	pg_sql postgres "CREATE ROLE alice LOGIN IN ROLE phonecert_admin" >/dev/null
}

pg_sql_as() {	# $1: role, $2: SQL -> rows as a|b|c, or psql's error on stderr
	pg_as "$PG_BIN/psql" -h 127.0.0.1 -p "$PG_PORT" -U "$1" -d phonecert -At -F '|' -v ON_ERROR_STOP=1 -c "$2"
}

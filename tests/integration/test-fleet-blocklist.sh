#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The fleet block list (fleet_block_list, doc/fleet.md), with real parts: two
# freeradius with the module and one PostgreSQL, all on loopback. A block
# made once with "phonecert block --db" refuses the phone on both servers
# within 10 s, on a fresh handshake and on a session that was resuming all
# along; a serial entry holds on a server whose anchor section is named
# otherwise; the database's roles let radiusd only read and the admin only
# add and lift; a hostile row reaches no log unescaped; with the database
# stopped the last list stays in force, across a restart too, and its age
# shows; only a recorded unblock lifts an entry, and a deleted row does not;
# a local copy that does not parse is refused, loudly, and until the
# database answers only block_file blocks (fail static: no phone the
# server's own configuration accepts is refused, and the fleet's entries
# are not in force), then the database's entries block again and the copy
# is written whole; a wrong fleet_block_list stops the start-up and lint
# alike, with file and line.
set -u
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/pg.sh"
it_init
IT_INVENTORY=0	# not about the inventory: its writer would replay requests into the logs these checks read
PHONECERT=$IT_BUILD/phonecert
EXTRA=$IT_BUILD/it/fleet-blocklist-extra
rm -rf "$EXTRA"
mkdir -p "$EXTRA"
source "$(dirname "$0")/cli-lib.sh"

pid_a= pid_b=
resumers=
cleanup_all() {
	[ -n "$resumers" ] && kill $resumers 2>/dev/null
	stop a
	stop b
	it_cleanup
	pg_remove
}
trap cleanup_all EXIT

pg_start || { fail "PostgreSQL did not start"; it_finish; exit 1; }
pg_create_inventory && pg_create_fleet_roles && pass "inventory with the fleet's roles (schema.sql, fleet-roles.sql)" ||
	{ fail "cannot make the inventory and its roles"; it_finish; exit 1; }
ADMIN_URL=postgresql://alice@127.0.0.1:$PG_PORT/phonecert
RADIUS_URL=postgresql://radius_fleet@127.0.0.1:$PG_PORT/phonecert
REFRESH=5	# the shipped default: a block in force within 10 s

# The shipped phonecert configuration with a fleet_block_list ($1: its body).
fleet_conf() {
	phonecert_with_options "	fleet_block_list {
$1
	}"
}
fleet_body() {	# COPY
	printf '\t\tdb = "%s"\n\t\trefresh = %s\n\t\tcopy = %s\n' "$RADIUS_URL" "$REFRESH" "$1"
}

echo "# a wrong fleet_block_list stops the start-up, and lint says the same"
refused_config() {	# BODY PATTERN LABEL
	server_prepare fleet-config "$(fleet_conf "$1")" || return
	expect_check_refused "$2" "$3: freeradius -C"
	run lint --config "$IT_RUN/raddb"
	expect_rc 2 "$3: lint"
	# On stderr when lint cannot read the section, as a finding when it refuses a file's writers.
	OUT="$OUT$ERR"
	expect_out "$2" "$3: lint says it, at the same place"
}
refused_config "		copy = $EXTRA/copy" 'mods-enabled/phonecert\[[0-9]+\]: fleet_block_list needs db = ' "no db"
refused_config "$(fleet_body "$EXTRA/copy" | sed 's/refresh = .*/refresh = 0/')" \
	'mods-enabled/phonecert\[[0-9]+\]: fleet_block_list: refresh = 0: expected 1 to 60 seconds' "refresh 0"
refused_config "$(fleet_body "$EXTRA/no-such-dir/copy")" \
	"fleet_block_list: copy = $EXTRA/no-such-dir/copy: its directory $EXTRA/no-such-dir does not exist" "copy in no directory"
refused_config "$(fleet_body "$EXTRA/copy" | sed 's/refresh/refersh/')" \
	"mods-enabled/phonecert\[[0-9]+\]: Unknown option 'refersh' in fleet_block_list" "a misspelt option"
refused_config "		db = \"$RADIUS_URL?no_such_setting=1\"
		copy = $EXTRA/copy" 'fleet_block_list: db is no PostgreSQL connection string or URL: invalid URI query parameter' \
	"a db libpq cannot read"
mkdir -m 0777 "$EXTRA/open"
refused_config "$(fleet_body "$EXTRA/open/copy")" "copy $EXTRA/open: .*writable by everyone" \
	"a copy's directory everyone can write"

echo "# two servers, one block list"
COPY_A=$EXTRA/copy-a COPY_B=$EXTRA/copy-b
on() {	# a|b: the server the next authentications go to
	if [ "$1" = a ]; then IT_RUN=$run_a IT_PORT=$port_a; else IT_RUN=$run_b IT_PORT=$port_b; fi
}
start() {	# a|b, on its prepared run
	on "$1"
	server_start || exit 1
	eval "pid_$1=\$IT_SERVER_PID port_$1=\$IT_PORT"
	IT_SERVER_PID=
}
stop() {	# a|b
	local pid
	pid=$(eval echo "\$pid_$1")
	[ -n "$pid" ] || return 0
	kill "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
	eval "pid_$1="
}
server_prepare fleet-a "$(fleet_conf "$(fleet_body "$COPY_A")")" || exit 1
run_a=$IT_RUN port_a=
start a
server_prepare fleet-b "$(fleet_conf "$(fleet_body "$COPY_B")")" || exit 1
run_b=$IT_RUN port_b=
start b
read_log() { wait_for_log "$1" 0 || wait_for_log "$1" 0; }	# 20 s at most
for s in a b; do
	on $s
	read_log 'fleet block list: 0 entries read from phonecert on 127.0.0.1:[0-9]+ as radius_fleet, every 5 s' &&
		pass "server $s reads the fleet block list as radius_fleet" || fail "server $s did not read the fleet block list"
	eap_tls lsc-new-rsa.pem lsc-new-rsa.key
	expect_result accept "server $s: the phone is accepted before the block"
done

echo "# a block made once: both servers refuse the phone within 10 s, resumed sessions too"
for s in a b; do
	on $s
	before=$(count_log 'phonecert: accept device=SEP2C3124C9F8E1 .*session=resumed')
	resume_in_background lsc-new-rsa.pem lsc-new-rsa.key
	eval "resumer_$s=\$IT_RESUMER"
	resumers="$resumers $IT_RESUMER"
	wait_for_log 'phonecert: accept device=SEP2C3124C9F8E1 .*session=resumed' "$before" &&
		pass "server $s: the phone's session resumes again and again" || fail "server $s: the session does not resume"
done
start=$(date +%s%N)
run block mac 2c:31:24:c9:f8:e1 --comment "stolen, ticket 4711" --db "$ADMIN_URL"
expect_rc 0 "phonecert block --db"
expect_out "^blocked mac 2C-31-24-C9-F8-E1 in postgresql://alice@127.0.0.1:$PG_PORT/phonecert \(row 1\)$" "says where it blocked"
for s in a b; do
	on $s
	IT_RESUMER=$(eval echo "\$resumer_$s")
	if resumer_rejected; then pass "server $s: the resuming session is refused once blocked"
	else fail "server $s: resumptions went on being accepted"; fi
	grep -q 'resumed=1' "$IT_RUN/resume.out" && pass "server $s: eapol_test did resume" || fail "server $s: eapol_test never resumed"
done
resumers=
elapsed=$(( ($(date +%s%N) - start) / 1000000 ))
if [ "$elapsed" -le 10000 ]; then pass "in force on both servers ${elapsed} ms after the block"
else fail "in force on both servers only ${elapsed} ms after the block"; fi
for s in a b; do
	on $s
	IT_LOG=$(cat "$IT_RUN/log/debug.log")
	expect_log 'phonecert: reject device=SEP2C3124C9F8E1 .*session=resumed key=proven reason="blocked: stolen, ticket 4711; the phone is in the fleet block list' \
		"server $s: the resumed session's reject says why"
	expect_log 'fleet block list: blocked, row 1: mac 2C-31-24-C9-F8-E1$' "server $s logs the new entry"
	eap_tls lsc-new-rsa.pem lsc-new-rsa.key
	expect_result reject "server $s: a fresh handshake of the blocked phone"
	expect_log 'reason="blocked: stolen, ticket 4711' "server $s: with the comment as reason"
	eap_tls mic.pem mic.key
	expect_result reject "server $s: the same phone's MIC, by its MAC"
	eap_tls lsc-old-rsa.pem lsc-old-rsa.key
	expect_result accept "server $s: another phone is still accepted"
done
run block device SEP2C3124C9F8E1 --db "$ADMIN_URL"
expect_rc 0 "blocking the same phone again, by device name"
expect_out "is blocked already in .*: row 1, by alice at " "says so, with who and when"

echo "# the database's roles: radiusd only reads; the admin adds and lifts, nothing else"
denied() {	# ROLE SQL PATTERN LABEL
	local out
	if out=$(pg_sql_as "$1" "$2" 2>&1); then fail "$4: it was allowed"
	elif grep -qE "$3" <<<"$out"; then pass "$4"
	else fail "$4: $out"; fi
}
denied radius_fleet "INSERT INTO phonecert_block (kind, value) VALUES ('mac', '00-11-22-33-44-55')" \
	'permission denied for table phonecert_block' "radiusd's role cannot add an entry"
denied radius_fleet "UPDATE phonecert_block SET lifted_at = now()" 'permission denied' "nor lift one"
denied alice "DELETE FROM phonecert_block" 'permission denied' "the admin cannot delete an entry"
denied alice "UPDATE phonecert_block SET lifted_by = 'mallory', lifted_at = now()" 'permission denied' \
	"nor write who lifted one"
denied alice "INSERT INTO phonecert_block (kind, value, made_by) VALUES ('mac', '00-11-22-33-44-55', 'mallory')" \
	'permission denied' "nor who made one"
denied phonecert "DELETE FROM phonecert_block" 'an entry is only ever added, or lifted once' "even the tables' owner cannot delete one"
denied phonecert "TRUNCATE phonecert_block" 'an entry is only ever added, or lifted once' "nor empty the table"
denied phonecert "UPDATE phonecert_block SET comment = 'changed'" 'an entry is only ever added, or lifted once' \
	"nor change an entry"

echo "# serial entries name the CA certificate: a server whose section is named otherwise refuses them too"
# Server b's anchor renamed before the block, so that b reads the new row from
# the database (a restart after it would load it from b's copy, unlogged).
stop b
sed -i 's/capf demo-cluster-2025 {/capf harbour-2025 {/' "$run_b/raddb/mods-enabled/phonecert"
grep -q 'capf harbour-2025 {' "$run_b/raddb/mods-enabled/phonecert" || fail "cannot rename server b's anchor"
start b
SERIAL=$(openssl x509 -in "$IT_PKI/lsc-new-ec.pem" -noout -serial | sed 's/^serial=//')
CA_FP=$(openssl x509 -in "$IT_PKI/capf-new.pem" -noout -fingerprint -sha256 | sed 's/.*=//; s/://g' | tr 'A-F' 'a-f')
run block serial "demo-cluster-2025:$SERIAL" --comment "certificate leaked" --db "$ADMIN_URL" --config "$run_a/raddb"
expect_rc 0 "block a serial"
if [ "$(pg_sql phonecert "SELECT kind, ca_fingerprint, made_by FROM phonecert_block WHERE kind = 'serial'")" = "serial|$CA_FP|alice" ]; then
	pass "the row names the anchor's CA certificate by its SHA-256 fingerprint, and who made it"
else
	fail "the serial row: $(pg_sql phonecert "SELECT * FROM phonecert_block WHERE kind = 'serial'")"
fi
run block serial "no-such-anchor:$SERIAL" --db "$ADMIN_URL" --config "$run_a/raddb"
expect_rc 2 "a serial of an anchor the configuration does not have"
expect_err "no anchor 'no-such-anchor'" "says so"
for s in a b; do
	on $s
	read_log "fleet block list: blocked, row [0-9]+: serial demo-cluster-2025:[0-9a-f]+ ca=$CA_FP$" &&
		pass "server $s reads the serial entry" || fail "server $s did not read the serial entry"
	eap_tls lsc-new-ec.pem lsc-new-ec.key
	expect_result reject "server $s: the leaked certificate"
	expect_log 'reason="blocked: certificate leaked' "server $s: with its comment"
done
expect_log 'anchor=harbour-2025 ' "server b verified it with its anchor named harbour-2025"

echo "# a hostile row never reaches a log or the metrics unescaped"
pg_sql_as alice "INSERT INTO phonecert_block (kind, value, comment) VALUES
	('mac', E'02-00-00-00-00-01\nphonecert: accept device=SEPDEADBEEF0001 forged', 'x'),
	('mac', '00-11-22-33-44-55', E'lost\n\x1b[31mphonecert: accept device=SEPDEADBEEF0002\xe2\x80\xae')" >/dev/null &&
	pass "the admin role adds two hostile rows" || fail "cannot add the hostile rows"
for s in a b; do
	on $s
	before=$(count_log 'fleet block list: .*its comment is left out')
	wait_for_log 'fleet block list: .*its comment is left out' "$before" || wait_for_log 'fleet block list: .*its comment is left out' "$before"
	expect_log_file 'fleet block list: row 3 blocks nothing: its value .02-00-00-00-00-01\\x0aphonecert: accept device=SEPDEADBEEF0001 forged. holds a blank or a #' \
		"server $s: the row that is no entry is told, escaped"
	expect_log_file 'fleet block list: row 4 \(mac 00-11-22-33-44-55\): its comment is left out: the comment has a control character' \
		"server $s: the comment that is not one line of text is dropped, told"
	if grep -q '^phonecert: accept device=SEPDEADBEEF' "$IT_RUN/log/debug.log" || grep -q $'\x1b\|\xe2\x80\xae' "$IT_RUN/log/debug.log"; then
		fail "server $s: a hostile row's text reached the log as it is"
	else
		pass "server $s: no forged log line, no escape sequence, no bidi control in the log"
	fi
	eap_tls lsc-old-rsa.pem lsc-old-rsa.key
	expect_result reject "server $s: the row with the dropped comment still blocks its phone"
	expect_log 'reason="blocked: mac 00-11-22-33-44-55 \(fleet block list\)' "server $s: named by its entry"
done
run fleet status --config "$run_a/raddb" --format prometheus
expect_rc 0 "fleet status --format prometheus"
if grep -qvE '^(# (HELP|TYPE) phonecert_fleet_blocklist_[a-z_]+ .*|phonecert_fleet_blocklist_[a-z_]+ [0-9.e+-]+)$' <<<"$OUT"; then
	fail "the metrics hold something else than our own names and numbers:"; sed 's/^/#   /' <<<"$OUT" | head -n 5
else
	pass "the metrics hold our own names and numbers only"
fi
expect_out '^phonecert_fleet_blocklist_entries 3$' "3 entries in force (the MAC, the serial, the mac with its comment dropped)"

echo "# the block list's source stopped: the last list stays in force, across a restart too"
on a
expect_out '^phonecert_fleet_blocklist_copy_ok 1$' "the copy is read"
pg_stop
sleep $((REFRESH * 2 + 1))
if [ "$(count_log 'fleet block list: cannot read it')" = 1 ]; then pass "server a logs the outage once"
else fail "server a logged the outage $(count_log 'fleet block list: cannot read it') times"; fi
expect_log_file 'fleet block list: cannot read it: .*The list in force stays until the database answers: its entries still block' \
	"and says that the list in force stays"
eap_tls lsc-new-rsa.pem lsc-new-rsa.key
expect_result reject "database down: the blocked phone is still refused"
eap_tls laptop.pem laptop.key
expect_result accept "database down: what is not blocked is accepted"
run fleet status --config "$run_a/raddb" --format prometheus
age=$(sed -n 's/^phonecert_fleet_blocklist_age_seconds //p' <<<"$OUT")
if [ "${age%.*}" -ge "$((REFRESH * 2))" ] 2>/dev/null; then pass "the metrics show the list's age growing: $age s"
else fail "the list's age: '$age'"; fi
stop a
start a
expect_log_file 'fleet block list: 3 entries in force from the local copy .*copy-a, read from the database at ' \
	"restarted with the database down: the list comes from the local copy"
eap_tls lsc-new-rsa.pem lsc-new-rsa.key
expect_result reject "after the restart, the blocked phone is still refused"
eap_tls lsc-new-ec.pem lsc-new-ec.key
expect_result reject "and the leaked certificate"
pg_restart && pass "the database is back" || fail "PostgreSQL did not start again"
before=$(count_log 'fleet block list: the database answers again after [0-9]+ s')
wait_for_log 'fleet block list: the database answers again after [0-9]+ s: 3 entries' "$before" &&
	pass "its end is logged, once the database answers" || fail "no log of the database answering again"

echo "# only a recorded unblock lifts an entry: a row deleted behind the servers' back does not"
pg_as "$PG_BIN/psql" -h 127.0.0.1 -p "$PG_PORT" -U postgres -d phonecert -q -c \
	"ALTER TABLE phonecert_block DISABLE TRIGGER ALL; DELETE FROM phonecert_block WHERE kind = 'serial'; ALTER TABLE phonecert_block ENABLE TRIGGER ALL" >/dev/null
before=$(count_log 'fleet block list: serial demo-cluster-2025:.* kept in force, although no row of the database names it')
wait_for_log 'fleet block list: serial demo-cluster-2025:.* kept in force, although no row of the database names it' "$before" &&
	pass "server a keeps the deleted serial entry, and says why" || fail "server a does not say it keeps the deleted entry"
eap_tls lsc-new-ec.pem lsc-new-ec.key
expect_result reject "the leaked certificate stays refused"
start=$(date +%s%N)
run unblock mac 2C-31-24-C9-F8-E1 --db "$ADMIN_URL"
expect_rc 0 "phonecert unblock --db"
expect_out '^unblocked mac 2C-31-24-C9-F8-E1 in .* \(row 1, lifted by alice\)$' "says who lifted it"
if [ "$(pg_sql phonecert "SELECT lifted_by, lifted_at IS NOT NULL FROM phonecert_block WHERE id = 1")" = "alice|t" ]; then
	pass "the unblock is recorded: who and when, the row kept"
else
	fail "row 1 after the unblock: $(pg_sql phonecert "SELECT * FROM phonecert_block WHERE id = 1")"
fi
for s in a b; do
	on $s
	for i in $(seq 1 20); do
		eap_tls lsc-new-rsa.pem lsc-new-rsa.key
		[ "$IT_RESULT" = accept ] && break
		sleep 0.5
	done
	expect_result accept "server $s accepts the unblocked phone again"
	expect_log_file 'fleet block list: lifted, mac 2C-31-24-C9-F8-E1: unblocked \(recorded in the database\)' "server $s logs the unblock"
done
elapsed=$(( ($(date +%s%N) - start) / 1000000 ))
if [ "$elapsed" -le 10000 ]; then pass "the unblock in force on both servers within ${elapsed} ms"
else fail "the unblock took ${elapsed} ms"; fi
run unblock mac 2C-31-24-C9-F8-E1 --db "$ADMIN_URL"
expect_rc 1 "unblocking it again"
expect_out "is not in force in" "says so"

echo "# a local copy that does not parse is refused; until the database answers only block_file blocks (fail static)"
stop a
sed -i '$d' "$COPY_A"
pg_stop
start a
expect_log_file "fleet block list: the local copy is refused: .*copy-a: the last line is not \"# end: [0-9]+ entries\": the copy is cut short or was edited" \
	"the copy cut short is refused, loudly"
eap_tls laptop.pem laptop.key
expect_result accept "what phonecert does not decide is not affected"
if wait_for_log "fleet block list: cannot read it: .*none is loaded, only block_file blocks" 0; then
	pass "the outage says that only block_file blocks"
else fail "no outage line saying that only block_file blocks"; fi
eap_tls lsc-new-rsa.pem lsc-new-rsa.key
expect_result accept "no list loaded: a phone this server's configuration accepts is not refused"
eap_tls lsc-old-rsa.pem lsc-old-rsa.key
expect_result accept "no list loaded: the fleet's block is not in force (the copy that held it is gone)"
pg_restart
before=$(count_log 'fleet block list: the database answers again')
wait_for_log 'fleet block list: the database answers again' "$before" || wait_for_log 'fleet block list: the database answers again' "$before"
eap_tls lsc-new-rsa.pem lsc-new-rsa.key
expect_result accept "once the database answers, phones are decided again"
eap_tls lsc-old-rsa.pem lsc-old-rsa.key
expect_result reject "and the phone the database still blocks is refused"
if tail -n 1 "$COPY_A" | grep -qx '# end: [0-9]* entries'; then pass "and the copy is written again whole"
else fail "the copy ends with: $(tail -n 1 "$COPY_A")"; fi

it_finish

# SPDX-License-Identifier: GPL-2.0-or-later
# The fleet suites' parts: one memcached on loopback, several radiusd with
# phonecert sharing it through the shipped tls-cache site
# (sites-available/phonecert-tls-cache, mods-available/cache_phonecert_tls),
# and fleet-relay.py, which hands one eapol_test's authentications to them
# in turn, as a switch with several servers would. Ports are random, every
# wait is bounded, everything stops on exit.
#
# Source after lib.sh; call fleet_init after it_init.

FLEET_MC_PID=
FLEET_MC_PORT=
FLEET_AUTH_PID=
FLEET_RELAY_PID=
FLEET_RELAY=
declare -A FLEET_RUN FLEET_PORT FLEET_PID FLEET_RELOADED FLEET_SIGHUPPED FLEET_BEFORE FLEET_LOG
FLEET_PHONECERT_OPTIONS='	fleet_secret_file = ${confdir}/phonecert-fleet-secret
	block_file = ${confdir}/phonecert-blocked'

fleet_init() {
	IT_INVENTORY=0	# not about the inventory: its writer would replay requests into the logs these checks read
	trap 'fleet_cleanup; it_cleanup' EXIT
}

# End a process the suite started, by its id, and reap it (true whatever it exited with).
stop_pid() {
	[ -n "$1" ] || return 0
	kill "$1" 2>/dev/null
	wait "$1" 2>/dev/null || true
}

fleet_cleanup() {
	local name
	fleet_auth_stop
	for name in "${!FLEET_PID[@]}"; do fleet_stop "$name"; done
	memcached_stop
}

# A memcached on a random loopback port (FLEET_MC_PORT), or on $1: started
# and answering, or a non-zero return.
memcached_start() {
	local attempt i as_user=()
	[ "$(id -u)" != 0 ] || as_user=(-u nobody)	# memcached refuses to run as root
	for attempt in 1 2 3 4 5; do
		FLEET_MC_PORT=${1:-$((20000 + RANDOM % 40000))}
		memcached -l 127.0.0.1 -p "$FLEET_MC_PORT" -U 0 -m 64 "${as_user[@]}" >"$IT_OPEN/memcached.log" 2>&1 &
		FLEET_MC_PID=$!
		for i in $(seq 1 50); do
			python3 "$IT_REPO/tests/integration/memcache.py" "$FLEET_MC_PORT" version 2>/dev/null && return 0
			kill -0 "$FLEET_MC_PID" 2>/dev/null || break
			sleep 0.1
		done
		memcached_stop
	done
	echo "it: memcached did not start: $(tail -n 3 "$IT_OPEN/memcached.log")" >&2
	return 1
}

memcached_stop() {
	[ -z "$FLEET_MC_PID" ] || kill -CONT "$FLEET_MC_PID" 2>/dev/null || true
	stop_pid "$FLEET_MC_PID"
	FLEET_MC_PID=
}

# A store that hangs: connections are accepted (by the kernel), nothing answers.
memcached_pause() { kill -STOP "$FLEET_MC_PID"; }
memcached_resume() { kill -CONT "$FLEET_MC_PID"; }

# Lay out server NAME on the shipped raddb with the fleet's store enabled as
# doc/fleet.md says: eap's cache through the phonecert-tls-cache site, on
# this suite's memcached. $2: phonecert options (default: the fleet secret
# and a block list, both in the server's raddb; the block list empty).
fleet_prepare() {
	local name=$1 options=${2-$FLEET_PHONECERT_OPTIONS} raddb eap
	server_prepare "fleet-$name" "$(phonecert_with_options "$options")"
	raddb=$IT_RUN/raddb
	eap=$raddb/mods-available/eap
	sed -i 's|^\([[:space:]]*\)persist_dir = .*|\1virtual_server = "phonecert-tls-cache"|' "$eap"
	grep -q 'virtual_server = "phonecert-tls-cache"' "$eap" || { echo "it: no persist_dir to replace in $eap" >&2; return 1; }
	ln -s ../mods-available/cache_phonecert_tls "$raddb/mods-enabled/cache_phonecert_tls"
	ln -s ../sites-available/phonecert-tls-cache "$raddb/sites-enabled/phonecert-tls-cache"
	sed -i "s|--SERVER=127.0.0.1:11211|--SERVER=127.0.0.1:$FLEET_MC_PORT|" "$raddb/mods-available/cache_phonecert_tls"
	grep -q "127.0.0.1:$FLEET_MC_PORT" "$raddb/mods-available/cache_phonecert_tls" ||
		{ echo "it: no --SERVER=127.0.0.1:11211 in cache_phonecert_tls" >&2; return 1; }
	: > "$raddb/phonecert-blocked"
	FLEET_RUN[$name]=$IT_RUN
}

# The fleet most suites need: the store, and servers A and B sharing it with
# the fleet secret KEY-LINE ("ID SECRET"), started. $2: phonecert options, as
# fleet_prepare takes them. Non-zero if any is not.
fleet_two_servers() {
	local server
	memcached_start || return 1
	for server in A B; do
		fleet_prepare "$server" "${2-$FLEET_PHONECERT_OPTIONS}" || return 1
		fleet_secret "$server" "$1"
	done
	fleet_start A && fleet_start B
}

# The raddb of server NAME.
fleet_raddb() { echo "${FLEET_RUN[$1]}/raddb"; }

# Server NAME's fleet secret: each argument a line "KEY-ID SECRET".
fleet_secret() {
	local name=$1 file; shift
	file=$(fleet_raddb "$name")/phonecert-fleet-secret
	printf '%s\n' "$@" > "$file.new" && chmod 600 "$file.new" && mv "$file.new" "$file"
}

# A new key line "ID SECRET" with a random secret.
fleet_new_key() { echo "$1 $(openssl rand -hex 32)"; }

fleet_start() {
	local name=$1
	IT_RUN=${FLEET_RUN[$name]}
	server_start || return 1
	FLEET_PORT[$name]=$IT_PORT
	FLEET_PID[$name]=$IT_SERVER_PID
	FLEET_RELOADED[$name]=$(date +%s%N)
	FLEET_SIGHUPPED[$name]=${FLEET_RELOADED[$name]}
	IT_SERVER_PID=
}

fleet_stop() {
	stop_pid "${FLEET_PID[$1]:-}"
	unset "FLEET_PID[$1]"
}

# Sleep until MS milliseconds have passed since TIME (date +%s%N).
sleep_until_ms_after() {
	local ms=$((($(date +%s%N) - $2) / 1000000))
	[ "$ms" -ge "$1" ] || sleep "$(printf '%d.%03d' $((($1 - ms) / 1000)) $((($1 - ms) % 1000)))"
}

# Reload server NAME and wait (bounded) until phonecert says so: radmin
# "hup phonecert" (its files read again), or with -s SIGHUP (its edited
# configuration read again). FreeRADIUS reloads no module within 2 s of
# start-up or of its last reload, and ignores a SIGHUP within 5 s of the
# last one (whole seconds).
fleet_hup() {
	local sighup=false name run before
	if [ "$1" = -s ]; then sighup=true; shift; fi
	name=$1 run=${FLEET_RUN[$1]}
	IT_RUN=$run
	before=$(count_log 'rlm_phonecert \(phonecert\): reloaded')
	sleep_until_ms_after 3200 "${FLEET_RELOADED[$name]}"
	if $sighup; then
		sleep_until_ms_after 6200 "${FLEET_SIGHUPPED[$name]}"
		kill -HUP "${FLEET_PID[$name]}"
		FLEET_SIGHUPPED[$name]=$(date +%s%N)
	else
		timeout 10 radmin -f "$run/run/control.sock" -e "hup phonecert" >/dev/null 2>&1
	fi
	FLEET_RELOADED[$name]=$(date +%s%N)
	wait_for_log 'rlm_phonecert \(phonecert\): reloaded' "$before"
}

# Start one eapol_test with CERT KEY (files of the test PKI; the phone's own
# MAC and CN) in the background, its authentications handed to servers
# NAME... in turn (eapol_test -r: one authentication per name). -g: the
# relay holds each authentication after the first until fleet_auth_release.
# -r N: N authentications after the first, the last NAME taking those past
# its turn; eapol_test stops at the first one that is not accepted, or when
# its time is up. -3: eapol_test offers TLS 1.3.
fleet_auth_begin() {
	local gate=false tls13=false reauths= name ports=() cert key i
	while :; do
		case $1 in
		-g) gate=true; shift ;;
		-3) tls13=true; shift ;;
		-r) reauths=$2; shift 2 ;;
		*) break ;;
		esac
	done
	cert=$IT_PKI/$1 key=$IT_PKI/$2; shift 2
	FLEET_NAMES=("$@")
	for name in "$@"; do
		ports+=("${FLEET_PORT[$name]}")
		FLEET_BEFORE[$name]=$(stat -c %s "${FLEET_RUN[$name]}/log/debug.log")
	done
	FLEET_RELAY=$(mktemp -d "$IT_OPEN/relay.XXXXXX")
	! $gate || : > "$FLEET_RELAY/gate"
	python3 "$IT_REPO/tests/integration/fleet-relay.py" "$FLEET_RELAY" "${ports[@]}" &
	FLEET_RELAY_PID=$!
	for i in $(seq 1 50); do [ -s "$FLEET_RELAY/port" ] && break; sleep 0.1; done
	eap_tls_conf "$FLEET_RELAY/eapol.conf" "$cert" "$key"
	! $tls13 || eapol_offer_tls13 "$FLEET_RELAY/eapol.conf" || return 1
	timeout $((IT_EAPOL_SECONDS * 3 + 20)) eapol_test -c "$FLEET_RELAY/eapol.conf" -a 127.0.0.1 \
		-p "$(cat "$FLEET_RELAY/port")" -s "$IT_SECRET" -t $((IT_EAPOL_SECONDS * 3)) \
		-M "$(phone_mac "$(cert_cn "$cert")")" -r "${reauths:-$(($# - 1))}" >"$FLEET_RELAY/eapol.out" 2>&1 &
	FLEET_AUTH_PID=$!
}

# Wait (bounded) until the relay holds authentication N.
fleet_auth_held() {
	local i
	for i in $(seq 1 $((IT_EAPOL_SECONDS * 10))); do
		[ -e "$FLEET_RELAY/held-$1" ] && return 0
		kill -0 "$FLEET_AUTH_PID" 2>/dev/null || return 1
		sleep 0.1
	done
	return 1
}

fleet_auth_release() { : > "$FLEET_RELAY/go-$1"; }

# Wait for fleet_auth_begin's eapol_test. Sets IT_RESULT (accept: every
# authentication accepted), FLEET_RESUMED ("0 1": eapol_test's TLS
# resumption per authentication), FLEET_TLS ("TLSv1.2 TLSv1.2": the TLS
# version eapol_test spoke per authentication), FLEET_CODES (the RADIUS code that ended
# each, "2 3"), FLEET_MS (their durations in ms, per the relay), FLEET_AT
# (when each answer passed the relay, ms since the epoch) and
# FLEET_LOG[NAME], each server's log lines of this run.
fleet_auth_end() {
	local name
	if wait "$FLEET_AUTH_PID"; then IT_RESULT=accept; else IT_RESULT=reject; fi
	FLEET_AUTH_PID=
	sleep 0.2	# a server logs its Access-Reject a moment after sending it
	fleet_relay_stop
	IT_EAPOL_OUT=$(cat "$FLEET_RELAY/eapol.out")
	FLEET_RESUMED=$(eapol_per_authentication 'Handshake finished - resumed=[01]')
	FLEET_TLS=$(eapol_per_authentication 'SSL: Using TLS version [^ ]+')
	FLEET_CODES=$(awk '{ printf "%s%s", sep, $3; sep = " " }' "$FLEET_RELAY/log")
	FLEET_MS=$(awk '{ printf "%s%s", sep, $4; sep = " " }' "$FLEET_RELAY/log")
	FLEET_AT=$(awk '{ printf "%s%s", sep, $5; sep = " " }' "$FLEET_RELAY/log")
	FLEET_LOG=()
	for name in "${FLEET_NAMES[@]}"; do
		FLEET_LOG[$name]=$(tail -c +"$((FLEET_BEFORE[$name] + 1))" "${FLEET_RUN[$name]}/log/debug.log")
	done
}

# Per authentication in IT_EAPOL_OUT (each starts with CTRL-EVENT-EAP-STARTED), the last word of
# the last match of PATTERN, after its last "=" or space; space-separated. In TLS 1.3 eapol_test says
# "Handshake finished" again when the server's session ticket comes.
eapol_per_authentication() {	# PATTERN
	awk -v pattern="$1" '
		function flush() { if (value != "") { out = out sep value; sep = " " }; value = "" }
		/CTRL-EVENT-EAP-STARTED/ { flush() }
		match($0, pattern) { value = substr($0, RSTART, RLENGTH); sub(/.*[= ]/, "", value) }
		END { flush(); print out }' <<<"$IT_EAPOL_OUT"
}

fleet_relay_stop() {
	stop_pid "$FLEET_RELAY_PID"
	FLEET_RELAY_PID=
}

fleet_auth_stop() {
	stop_pid "$FLEET_AUTH_PID"
	FLEET_AUTH_PID=
	fleet_relay_stop
}

# One eapol_test through the relay, to the end: fleet_auth CERT KEY NAME...
fleet_auth() {
	fleet_auth_begin "$@" && fleet_auth_end
}

# Assertions on the last fleet_auth.
expect_resumed() {	# "0 1" LABEL
	if [ "$FLEET_RESUMED" = "$1" ]; then pass "$2: TLS resumed per authentication: $1"
	else fail "$2: TLS resumed per authentication: expected '$1', got '$FLEET_RESUMED'"; fi
}

expect_tls() {	# "TLSv1.3 TLSv1.3" LABEL
	if [ "$FLEET_TLS" = "$1" ]; then pass "$2: TLS version per authentication: $1"
	else fail "$2: TLS version per authentication: expected '$1', got '$FLEET_TLS'"; fi
}

expect_codes() {	# "2 2" LABEL (2 Access-Accept, 3 Access-Reject)
	if [ "$FLEET_CODES" = "$1" ]; then pass "$2: RADIUS answers $1"
	else fail "$2: RADIUS answers: expected '$1', got '$FLEET_CODES'"; fi
}

expect_server_log() {	# NAME PATTERN LABEL
	if grep -qE -- "$2" <<<"${FLEET_LOG[$1]}"; then pass "$3"; else fail "$3 (no /$2/ in server $1's log)"; fi
}

expect_no_server_log() {	# NAME PATTERN LABEL
	if grep -qE -- "$2" <<<"${FLEET_LOG[$1]}"; then fail "$3 (unexpected /$2/ in server $1's log)"; else pass "$3"; fi
}

# The session id (the store's key, 0x...) of the last session server NAME stored.
fleet_session_key() {
	grep -oE 'cache_phonecert_tls: +--> 0x[0-9a-f]+' "${FLEET_RUN[$1]}/log/debug.log" | tail -n 1 | sed 's/.*--> //'
}

# The store's entry for KEY on stdout.
store_get() { python3 "$IT_REPO/tests/integration/memcache.py" "$FLEET_MC_PORT" get "$1"; }

# stdin as the store's entry for KEY, as whoever can write the store would put it.
store_set() { python3 "$IT_REPO/tests/integration/memcache.py" "$FLEET_MC_PORT" set "$1" 3600; }

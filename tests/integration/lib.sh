# Shared by the integration suites: start the real Debian freeradius on a copy
# of the project's raddb, authenticate with the real eapol_test, and count
# results. Everything listens on 127.0.0.1 only and every wait is bounded.
#
# Source it from a suite; call it_init first and it_finish last.

IT_REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
IT_BUILD=${IT_BUILD:-$IT_REPO/build}
IT_PKI=$IT_BUILD/test-pki
IT_SECRET=testing123
IT_PASSED=0
IT_FAILED=0
IT_SERVER_PID=
IT_RUN=
IT_PORT=

it_init() {
	"$IT_REPO/tests/pki/make-pki.sh" "$IT_PKI" >/dev/null
	[ -f "$IT_BUILD/rlm_phonecert.so" ] || { echo "it: $IT_BUILD/rlm_phonecert.so missing: run make first" >&2; exit 2; }
	trap it_cleanup EXIT
}

it_cleanup() {
	server_stop
}

pass() {
	IT_PASSED=$((IT_PASSED + 1))
	echo "ok - $*"
}

fail() {
	IT_FAILED=$((IT_FAILED + 1))
	echo "not ok - $*"
}

it_finish() {
	server_stop
	echo "$IT_PASSED passed, $IT_FAILED failed"
	[ "$IT_FAILED" -eq 0 ]
}

# Lay out a runnable configuration in $IT_RUN (scripts/demo-raddb.sh: the
# shipped raddb with the test PKI). $1 names the run; $2, if given, replaces
# mods-enabled/phonecert.
server_prepare() {
	local name=$1 phonecert_conf=${2:-}

	IT_RUN=$IT_BUILD/it/$name
	"$IT_REPO/scripts/demo-raddb.sh" "$IT_RUN" "$IT_PKI" "$IT_BUILD" 1812 0
	if [ -n "$phonecert_conf" ]; then
		rm "$IT_RUN/raddb/mods-enabled/phonecert"
		printf '%s\n' "$phonecert_conf" > "$IT_RUN/raddb/mods-enabled/phonecert"
	fi
}

set_port() {
	sed -i "s/^auth_port = .*/auth_port = $1/" "$IT_RUN/raddb/local.conf"
}

# Start freeradius -X on the prepared run; retries on another port if the
# random one is taken. Returns non-zero (and shows the log) if it won't start.
server_start() {
	local attempt waited
	for attempt in 1 2 3 4 5; do
		IT_PORT=$((20000 + RANDOM % 40000))
		set_port "$IT_PORT"
		: > "$IT_RUN/log/debug.log"
		freeradius -X -d "$IT_RUN/raddb" >"$IT_RUN/log/debug.log" 2>&1 &
		IT_SERVER_PID=$!
		for waited in $(seq 1 100); do
			grep -q '^Ready to process requests' "$IT_RUN/log/debug.log" && return 0
			kill -0 "$IT_SERVER_PID" 2>/dev/null || break
			sleep 0.1
		done
		server_stop
		grep -q 'Address already in use' "$IT_RUN/log/debug.log" && continue
		echo "it: freeradius did not start; last lines of $IT_RUN/log/debug.log:" >&2
		tail -n 15 "$IT_RUN/log/debug.log" >&2
		return 1
	done
	return 1
}

server_stop() {
	[ -n "$IT_SERVER_PID" ] || return 0
	kill "$IT_SERVER_PID" 2>/dev/null
	wait "$IT_SERVER_PID" 2>/dev/null
	IT_SERVER_PID=
}

# Check a configuration without serving: freeradius -C. Output in $IT_CHECK_OUT.
server_check() {
	IT_CHECK_OUT=$(timeout 30 freeradius -C -X -d "$IT_RUN/raddb" 2>&1)
}

# One EAP-TLS authentication as a client with CERT and KEY (files in the test
# PKI). Options: -m MAC (Calling-Station-Id), -i IDENTITY. Sets IT_EAPOL_OUT,
# IT_LOG (the server's log lines for this authentication) and IT_RESULT
# (accept or reject).
eap_tls() {
	local mac=02:00:00:00:00:01 identity=
	while getopts 'm:i:' opt; do
		case $opt in m) mac=$OPTARG ;; i) identity=$OPTARG ;; *) return 2 ;; esac
	done
	shift $((OPTIND - 1)); OPTIND=1
	local cert=$IT_PKI/$1 key=$IT_PKI/$2
	[ -n "$identity" ] || identity=$(openssl x509 -in "$cert" -noout -subject -nameopt multiline | sed -n 's/^ *commonName *= *//p')

	local conf=$IT_RUN/eapol.conf
	cat > "$conf" <<EOF
network={
	key_mgmt=WPA-EAP
	eap=TLS
	identity="$identity"
	ca_cert="$IT_PKI/server-ca.pem"
	client_cert="$cert"
	private_key="$key"
	eapol_flags=0
}
EOF
	eapol_run "$conf" -M "$mac"
}

# EAP-MD5 with a user name and password.
eap_md5() {
	local conf=$IT_RUN/eapol-md5.conf
	cat > "$conf" <<EOF
network={
	key_mgmt=WPA-EAP
	eap=MD5
	identity="$1"
	password="$2"
	eapol_flags=0
}
EOF
	eapol_run "$conf" -n	# EAP-MD5 derives no keys
}

eapol_run() {
	local conf=$1; shift
	local before
	before=$(stat -c %s "$IT_RUN/log/debug.log")
	IT_EAPOL_OUT=$(timeout 30 eapol_test -c "$conf" -a 127.0.0.1 -p "$IT_PORT" -s "$IT_SECRET" -t 10 "$@" 2>&1)
	if [ $? -eq 0 ]; then IT_RESULT=accept; else IT_RESULT=reject; fi
	# The server logs the Access-Reject a moment after eapol_test sees it.
	sleep 0.2
	IT_LOG=$(tail -c +"$((before + 1))" "$IT_RUN/log/debug.log")
}

# Assertions on the last authentication.
expect_result() {
	local want=$1 label=$2
	if [ "$IT_RESULT" = "$want" ]; then pass "$label: $want"; else fail "$label: expected $want, got $IT_RESULT"; fi
}

expect_log() {
	local pattern=$1 label=$2
	if grep -qE -- "$pattern" <<<"$IT_LOG"; then pass "$label"; else fail "$label (no /$pattern/ in the server log)"; fi
}

expect_no_log() {
	local pattern=$1 label=$2
	if grep -qE -- "$pattern" <<<"$IT_LOG"; then fail "$label (unexpected /$pattern/ in the server log)"; else pass "$label"; fi
}

# SPDX-License-Identifier: GPL-2.0-or-later
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
# A command to run freeradius under (make test-valgrind sets valgrind here), with
# the time limits it needs: eapol_test's -t, and tenths of a second to start.
IT_SERVER_WRAPPER=${IT_SERVER_WRAPPER:-}
IT_EAPOL_SECONDS=${IT_EAPOL_SECONDS:-10}
IT_START_TENTHS=${IT_START_TENTHS:-100}
IT_RUN=
IT_PORT=

# it_need TOOL...: ends the suite (exit 2) when a tool it runs is missing.
it_need() {
	local tool
	for tool; do
		command -v "$tool" >/dev/null || { echo "it: $tool missing: scripts/install-deps.sh test installs it" >&2; exit 2; }
	done
}

it_init() {
	"$IT_REPO/tests/pki/make-pki.sh" "$IT_PKI" >/dev/null
	[ -f "$IT_BUILD/rlm_phonecert.so" ] || { echo "it: $IT_BUILD/rlm_phonecert.so missing: run make first" >&2; exit 2; }
	# Files that other users must reach (radiusd after it drops to freerad,
	# postgres) cannot live in a checkout that only root may enter, as a
	# clone under a mktemp directory is: they go here.
	IT_OPEN=$(mktemp -d /tmp/phonecert-it.XXXXXX)
	chmod 755 "$IT_OPEN"
	trap it_cleanup EXIT
}

it_cleanup() {
	server_stop
	[ -n "${IT_OPEN:-}" ] && rm -rf "$IT_OPEN"
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
	if [ "${IT_SKIPPED:-0}" -gt 0 ]; then
		echo "$IT_PASSED passed, $IT_FAILED failed, $IT_SKIPPED skipped"
	else
		echo "$IT_PASSED passed, $IT_FAILED failed"
	fi
	[ "$IT_FAILED" -eq 0 ]
}

# Lay out a runnable configuration in $IT_RUN (scripts/demo-raddb.sh: the
# shipped raddb with the test PKI). $1 names the run; $2, if given, replaces
# mods-enabled/phonecert.
#
# IT_INVENTORY=0 (suites that are not about the inventory): the run without
# it. Its writer site replays each spooled request into radiusd -X's log, the
# log these suites read, a moment later: in another request's lines.
server_prepare() {
	local name=$1 phonecert_conf=${2:-}

	IT_RUN=$IT_BUILD/it/$name
	"$IT_REPO/scripts/demo-raddb.sh" "$IT_RUN" "$IT_PKI" "$IT_BUILD" 1812 0
	if [ -n "$phonecert_conf" ]; then
		rm "$IT_RUN/raddb/mods-enabled/phonecert"
		printf '%s\n' "$phonecert_conf" > "$IT_RUN/raddb/mods-enabled/phonecert"
	fi
	if [ "${IT_INVENTORY:-1}" = 0 ]; then
		rm -f "$IT_RUN/raddb/mods-enabled/sql_phonecert" "$IT_RUN/raddb/mods-enabled/cache_phonecert" \
		      "$IT_RUN/raddb/sites-enabled/phonecert-inventory"
	fi
}

# Turn on eap's check-eap-tls in the prepared run (commented out as shipped):
# every full handshake then runs it, and freeradius -X shows the request it
# gets, Phonecert-* included, also where no session is cached to show them.
check_eap_tls_on() {
	local eap=$IT_RUN/raddb/mods-available/eap
	sed -i 's/^\([[:space:]]*\)# virtual_server = check-eap-tls$/\1virtual_server = check-eap-tls/' "$eap"
	grep -q '^[[:space:]]*virtual_server = check-eap-tls$' "$eap" ||
		{ echo "it: no commented virtual_server = check-eap-tls in $eap" >&2; return 1; }
}

# Let eap in RADDB speak TLS up to VERSION (the shipped raddb stops at 1.2).
eap_tls_max_version() {	# RADDB VERSION
	local eap=$1/mods-available/eap
	sed -i "s/tls_max_version = \"1.2\"/tls_max_version = \"$2\"/" "$eap"
	grep -q "tls_max_version = \"$2\"" "$eap" || { echo "it: cannot set TLS $2 in $eap" >&2; return 1; }
}

# Make eapol_test's configuration FILE offer TLS 1.3: wpa_supplicant does not unless asked.
eapol_offer_tls13() {	# FILE
	sed -i 's/^\teapol_flags=0$/\teapol_flags=0\n\tphase1="tls_disable_tlsv1_3=0"/' "$1"
	grep -q 'phase1="tls_disable_tlsv1_3=0"' "$1" || { echo "it: cannot offer TLS 1.3 in $1" >&2; return 1; }
}

# The shipped phonecert configuration with policy options added ($1, one
# "name = value" per line), for server_prepare.
phonecert_with_options() {
	awk -v options="$1" '{ print } /^[[:space:]]*tls_config =/ { print options }' \
		"$IT_REPO/raddb/mods-available/phonecert"
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
		# -X: one thread, full debug (what the assertions read). IT_THREADED=1: the thread pool, normal log.
		if [ "${IT_THREADED:-0}" = 1 ]; then
			$IT_SERVER_WRAPPER freeradius -f -l stdout -d "$IT_RUN/raddb" >"$IT_RUN/log/debug.log" 2>&1 &
		else
			$IT_SERVER_WRAPPER freeradius -X -d "$IT_RUN/raddb" >"$IT_RUN/log/debug.log" 2>&1 &
		fi
		IT_SERVER_PID=$!
		for waited in $(seq 1 "$IT_START_TENTHS"); do
			grep -q 'Ready to process requests' "$IT_RUN/log/debug.log" && return 0
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

# cache_phonecert of the prepared run never finds an entry (a key unique per
# packet): every authentication is spooled and written, for the tests of the
# writes themselves (test-inventory-writes.sh tests the cache).
inventory_write_every_authentication() {
	local cache=$IT_RUN/raddb/mods-available/cache_phonecert
	sed -i 's/^\([[:space:]]*key = \).*/\1"%{Phonecert-MAC} %{Packet-Authentication-Vector}"/' "$cache"
	grep -q 'Packet-Authentication-Vector' "$cache"
}

# Wait (bounded) until the server has written every spooled inventory entry
# into the database: its detail reader deletes the spool once it is done. It
# looks for a spool every 5 seconds (poll_interval of the writer site).
# $1: the spool (default: the prepared run's).
inventory_flush() {
	local spool=${1:-$IT_RUN/log/radacct/phonecert-inventory/detail} i
	for i in $(seq 1 300); do
		[ -e "$spool" ] || [ -e "$spool.work" ] || return 0
		sleep 0.1
	done
	echo "it: the inventory spool $spool was not written within 30 s" >&2
	return 1
}

# The median wall-clock time in milliseconds (IT_MEDIAN_MS) of N EAP-TLS
# authentications with CERT and KEY of the test PKI, one after another, each
# its own eapol_test. Returns non-zero unless every one was accepted.
auth_median_ms() {
	local n=$1 cert=$IT_PKI/$2 key=$IT_PKI/$3 i start mac ok=0 times=()
	mac=$(phone_mac "$(cert_cn "$cert")")
	eap_tls_conf "$IT_RUN/timed.conf" "$cert" "$key"
	for i in $(seq 1 "$n"); do
		start=$(date +%s%N)
		timeout $((IT_EAPOL_SECONDS + 20)) eapol_test -c "$IT_RUN/timed.conf" -a 127.0.0.1 -p "$IT_PORT" \
			-s "$IT_SECRET" -t "$IT_EAPOL_SECONDS" -M "$mac" >/dev/null 2>&1 && ok=$((ok + 1))
		times+=($((($(date +%s%N) - start) / 1000000)))
	done
	IT_MEDIAN_MS=$(printf '%s\n' "${times[@]}" | sort -n | sed -n "$(((n + 1) / 2))p")
	[ "$ok" -eq "$n" ]
}

# Pass when MS (a median under some trouble) is less than LIMIT milliseconds above BASELINE.
expect_extra_ms_below() {
	local ms=$1 baseline=$2 limit=$3 label=$4
	if [ $((ms - baseline)) -lt "$limit" ]; then pass "$label: ${ms} ms against ${baseline} ms"
	else fail "$label: ${ms} ms against ${baseline} ms, more than $limit ms extra"; fi
}

# Check a configuration without serving: freeradius -C. Output in $IT_CHECK_OUT.
server_check() {
	IT_CHECK_OUT=$(timeout 30 freeradius -C -X -d "$IT_RUN/raddb" 2>&1)
}

# freeradius -C refuses the prepared run, saying PATTERN (an extended regex).
expect_check_refused() {
	local pattern=$1 label=$2
	if server_check; then
		fail "$label: freeradius -C accepted the configuration"
	elif grep -qE -- "$pattern" <<<"$IT_CHECK_OUT"; then
		pass "$label"
	else
		fail "$label: no /$pattern/ in:"; tail -n 3 <<<"$IT_CHECK_OUT" | sed 's/^/#   /'
	fi
}

# One EAP-TLS authentication as a client with CERT and KEY (files in the test
# PKI, or absolute paths). Options: -m MAC (Calling-Station-Id; default: the phone's own MAC),
# -i IDENTITY (default: the certificate's CN), -r N (N re-authentications,
# resuming the TLS session when the server caches it), -g LINE (a global
# wpa_supplicant setting). Sets IT_EAPOL_OUT,
# IT_LOG (the server's log lines for this authentication) and IT_RESULT
# (accept or reject).
eap_tls() {
	local mac= identity= reauths=0 global=
	while getopts 'm:i:r:g:' opt; do
		case $opt in m) mac=$OPTARG ;; i) identity=$OPTARG ;; r) reauths=$OPTARG ;; g) global=$OPTARG ;; *) return 2 ;; esac
	done
	shift $((OPTIND - 1)); OPTIND=1
	local cert=$1 key=$2
	[[ $cert == /* ]] || cert=$IT_PKI/$cert
	[[ $key == /* ]] || key=$IT_PKI/$key
	local cn
	cn=$(cert_cn "$cert")
	# Like a real switch port: the phone's own MAC (from SEP<MAC> in its CN) unless told otherwise.
	[ -n "$mac" ] || mac=$(phone_mac "$cn")

	eap_tls_conf "$IT_RUN/eapol.conf" "$cert" "$key" "${identity:-$cn}" "$global"
	eapol_run "$IT_RUN/eapol.conf" -M "$mac" -r "$reauths"
}

# Write an eapol_test configuration: FILE CERT KEY [IDENTITY (default: the CN)] [GLOBAL LINE].
eap_tls_conf() {
	local file=$1 cert=$2 key=$3 identity=${4:-} global=${5:-}
	[ -n "$identity" ] || identity=$(cert_cn "$cert")
	cat > "$file" <<EOF
$global
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
}

cert_cn() {
	openssl x509 -in "$1" -noout -subject -nameopt multiline | sed -n 's/^ *commonName *= *//p'
}

# 2c:31:24:c9:f8:e1 for CP-8861-SEP2C3124C9F8E1; a fixed local MAC for non-phones.
phone_mac() {
	local hex
	hex=$(sed -n 's/.*SEP\([0-9A-Fa-f]\{12\}\)$/\1/p' <<<"$1" | tr 'A-F' 'a-f')
	[ -n "$hex" ] || { echo 02:00:00:00:00:01; return; }
	sed 's/\(..\)/\1:/g; s/:$//' <<<"$hex"
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

# PEAP/MSCHAPv2 with a user name and password.
eap_peap() {
	local conf=$IT_RUN/eapol-peap.conf
	cat > "$conf" <<EOF
network={
	key_mgmt=WPA-EAP
	eap=PEAP
	identity="$1"
	password="$2"
	phase2="auth=MSCHAPV2"
	ca_cert="$IT_PKI/server-ca.pem"
	eapol_flags=0
}
EOF
	eapol_run "$conf"
}

eapol_run() {
	local conf=$1; shift
	local before
	before=$(stat -c %s "$IT_RUN/log/debug.log")
	IT_EAPOL_OUT=$(timeout $((IT_EAPOL_SECONDS + 20)) eapol_test -c "$conf" -a 127.0.0.1 -p "$IT_PORT" \
		-s "$IT_SECRET" -t "$IT_EAPOL_SECONDS" "$@" 2>&1)
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

# The attributes of the last Access-Accept eapol_test received, one
# "NUMBER VALUE" per line (VALUE as eapol_test prints it: hex, or 'text').
accept_attributes() {
	awk '/RADIUS message: code=/ { inside = /code=2 \(Access-Accept\)/; if (inside) out = ""; next }
	     inside && /^ *Attribute [0-9]+ / { n = $2; getline; sub(/^ *Value: /, ""); out = out n " " $0 "\n" }
	     END { printf "%s", out }' <<<"$IT_EAPOL_OUT"
}

hex() { printf '%s' "$1" | od -An -tx1 | tr -d ' \n'; }

# Cisco-AVPair (vendor 9, type 1) with this value in the last Access-Accept.
expect_cisco_avpair() {
	local value=$1 label=$2 len
	len=$(printf '%02x' $((${#value} + 2)))
	if accept_attributes | grep -q "^26 0000000901$len$(hex "$value")$"; then pass "$label"; else fail "$label (no Cisco-AVPair \"$value\" in the Access-Accept)"; fi
}

expect_no_cisco_avpair() {
	local value=$1 label=$2
	if accept_attributes | grep -q "^26 00000009.*$(hex "$value")$"; then fail "$label (Cisco-AVPair \"$value\" present)"; else pass "$label"; fi
}

# Attribute NUMBER with exactly VALUE (as eapol_test prints it) in the last
# Access-Accept; VALUE "none": the attribute is absent.
expect_reply_attribute() {
	local number=$1 value=$2 label=$3
	if [ "$value" = none ]; then
		if accept_attributes | grep -q "^$number "; then fail "$label (attribute $number present)"; else pass "$label"; fi
	elif accept_attributes | grep -qxF "$number $value"; then pass "$label"
	else fail "$label (no attribute $number = $value in the Access-Accept)"; fi
}

# Resume the TLS session of CERT KEY (as eap_tls takes them; $3: the MAC,
# default the phone's own) again and again in the background, bounded by
# count and time (eapol_test's -t covers all of them), until a resumption
# fails. Its pid is IT_RESUMER, its output $IT_RUN/resume.out.
resume_in_background() {
	local cert=$1 key=$2 mac=${3:-}
	[[ $cert == /* ]] || cert=$IT_PKI/$cert
	[[ $key == /* ]] || key=$IT_PKI/$key
	[ -n "$mac" ] || mac=$(phone_mac "$(cert_cn "$cert")")
	eap_tls_conf "$IT_RUN/eapol.conf" "$cert" "$key"
	timeout $((IT_EAPOL_SECONDS * 3 + 20)) eapol_test -c "$IT_RUN/eapol.conf" -a 127.0.0.1 -p "$IT_PORT" \
		-s "$IT_SECRET" -t $((IT_EAPOL_SECONDS * 3)) -M "$mac" -r 5000 > "$IT_RUN/resume.out" 2>&1 &
	IT_RESUMER=$!
}

# Wait for resume_in_background: true when it stopped at a rejected authentication, not at its time limit.
resumer_rejected() {
	! wait "$IT_RESUMER" && ! grep -q 'EAPOL test timed out' "$IT_RUN/resume.out"
}

# Lines of the server's whole log matching $1.
count_log() { grep -cE -- "$1" "$IT_RUN/log/debug.log"; }

# Wait (bounded: 10 s) until the server log has more lines matching $1 than $2.
wait_for_log() {
	local pattern=$1 before=$2 i
	for i in $(seq 1 100); do
		[ "$(count_log "$pattern")" -gt "$before" ] && return 0
		sleep 0.1
	done
	return 1
}

# Like expect_log, but over the server's whole log (for messages outside an authentication).
expect_log_file() {
	local pattern=$1 label=$2
	if grep -qE -- "$pattern" "$IT_RUN/log/debug.log"; then pass "$label"; else fail "$label (no /$pattern/ in $IT_RUN/log/debug.log)"; fi
}

# Facts of the installed FreeRADIUS that expectations depend on (3.2.1 on
# Debian 12, 3.2.7 on Debian 13), read from what is installed, never assumed.

# The TLS record buffer of FreeRADIUS' EAP-TLS (its MAX_RECORD_SIZE): the
# first server flight, with the CertificateRequest's CA names, must fit in it.
fr_max_record_size() {
	sed -n 's/^#define[[:space:]]\{1,\}MAX_RECORD_SIZE[[:space:]]\{1,\}\([0-9]\{1,\}\).*/\1/p' /usr/include/freeradius/tls.h
}

# The installed FreeRADIUS version, e.g. 3.2.7.
fr_version() {
	dpkg-query -W -f='${Version}' freeradius | sed 's/^[0-9]*://; s/[+~-].*//'
}

# Whether the installed FreeRADIUS is at least VERSION.
fr_at_least() {
	dpkg --compare-versions "$(fr_version)" ge "$1"
}

# Write to FILE self-signed CA certificates (one key for all) whose names alone
# overflow the installed FreeRADIUS' TLS record; prints how many.
ca_names_overflow() {
	local file=$1 key long_ou count subject i o
	key=$(mktemp)
	openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$key" 2>/dev/null
	long_ou=$(printf 'x%.0s' $(seq 1 60))
	count=$(( $(fr_max_record_size) / 600 + 1 ))	# each name is about 650 bytes
	for i in $(seq 1 "$count"); do
		subject="/C=US/O=Names Overflow $i"
		for o in 1 2 3 4 5 6 7 8; do subject="$subject/OU=$o$long_ou$i"; done
		openssl req -x509 -new -key "$key" -subj "$subject/CN=Overflow CA $i" -days 30 2>/dev/null
	done > "$file"
	rm -f "$key"
	echo "$count"
}

# Whether eapol_test's OpenSSL loads a SHA-1/RSA-1024 client certificate (a
# legacy MIC) without -L. eapol_test sets "DEFAULT@SECLEVEL=1"; OpenSSL 3.0
# (Debian 12) refuses such a certificate there ("ca md too weak"), 3.5
# (Debian 13) loads it. The same libssl, asked the same way, tells.
client_loads_legacy_certs() {
	local out
	out=$(timeout 10 openssl s_client -cipher DEFAULT@SECLEVEL=1 -cert "$IT_PKI/mic-legacy.pem" \
		-key "$IT_PKI/mic-legacy.key" -connect 127.0.0.1:1 </dev/null 2>&1)
	! grep -q 'error setting certificate' <<<"$out"
}

# Debian's stock sites (sites-available/default, inner-tunnel) of raddb SRC
# written into raddb DST listening on 127.0.0.1 only, IPv4 only: auth on PORT,
# acct on PORT+1, inner-tunnel on PORT+2 (Debian's listen on * and ::, 1812,
# 1813 and 18120, which other servers on this machine may hold).
debian_sites_on_loopback() {	# SRC DST PORT
	local src=$1 dst=$2 auth=$3
	awk -v auth="$auth" -v acct="$((auth + 1))" '
	function flush(   i, type, line, v6) {
		type = "auth"; v6 = 0
		for (i = 1; i <= n; i++) {
			if (buf[i] ~ /^[[:space:]]*type = acct/) type = "acct"
			if (buf[i] ~ /^[[:space:]]*ipv6addr = /) v6 = 1
		}
		if (v6) return
		for (i = 1; i <= n; i++) {
			line = buf[i]
			if (line ~ /^[[:space:]]*port = /) sub(/port = [0-9]+/, "port = " (type == "acct" ? acct : auth), line)
			sub(/ipaddr = \*/, "ipaddr = 127.0.0.1", line)
			print line
		}
	}
	/^listen \{/ { block = 1; n = 0 }
	block { buf[++n] = $0; if ($0 ~ /^\}/) { flush(); block = 0 }; next }
	{ print }' "$src/sites-available/default" > "$dst/sites-available/default.loopback" &&
		cat "$dst/sites-available/default.loopback" > "$dst/sites-available/default" &&
		rm "$dst/sites-available/default.loopback" &&
		sed "s/port = 18120/port = $((auth + 2))/" "$src/sites-available/inner-tunnel" > "$dst/sites-available/inner-tunnel.loopback" &&
		cat "$dst/sites-available/inner-tunnel.loopback" > "$dst/sites-available/inner-tunnel" &&
		rm "$dst/sites-available/inner-tunnel.loopback"
}

# The operator's part of Debian's configuration with phonecert (doc/installation.md):
# the CAPF certificates mods-available/phonecert names, the test MICs' CA
# beside Cisco's manufacturing bundle (as in the demo), and in
# mods-available/eap the server's certificate and key and a ca_file with the
# CAs of non-phone clients only (Debian's default, the public bundle, does not
# fit phonecert's CA names in a 3.2.1 TLS record: phonecert refuses it).
# OWNER (user:group, numeric for another system's freerad) gets the files.
operator_setup() {	# RADDB OWNER
	local raddb=$1 owner=$2
	mkdir -p "$raddb/certs/phonecert"
	cp "$IT_PKI/capf-new.pem" "$IT_PKI/capf-old.pem" "$raddb/certs/phonecert/"
	cat "$IT_PKI/mfg-ca.pem" >> "$raddb/certs/phonecert/manufacturing.pem"
	cp "$IT_PKI/server.pem" "$IT_PKI/server.key" "$IT_PKI/eap-ca.pem" "$raddb/certs/"
	chmod 640 "$raddb/certs/server.key"
	chown "$owner" "$raddb/certs/phonecert/"capf-{new,old}.pem "$raddb/certs/"{server.pem,server.key,eap-ca.pem} 2>/dev/null
	sed -i -e 's|^\([[:space:]]*\)private_key_file = .*|\1private_key_file = ${certdir}/server.key|' \
	       -e 's|^\([[:space:]]*\)certificate_file = .*|\1certificate_file = ${certdir}/server.pem|' \
	       -e 's|^\([[:space:]]*\)ca_file = .*|\1ca_file = ${certdir}/eap-ca.pem|' "$raddb/mods-available/eap"
}

# The two site lines doc/installation.md asks for, in Debian's default site of RADDB.
site_calls_phonecert() {	# RADDB
	sed -i -e '0,/^post-auth {/s//post-auth {\n\tphonecert_post_auth/' \
	       -e '0,/^[[:space:]]*Post-Auth-Type REJECT {/s//\tPost-Auth-Type REJECT {\n\t\tphonecert_post_auth_reject/' \
	       "$1/sites-available/default"
}

# Start a server on Debian's stock sites of raddb SRC, rewritten into raddb
# DST for a random loopback port (IT_PORT), with CMD... (in the foreground,
# output to LOG): another port if that one is taken, up to 30 s to start
# (Debian's whole configuration, on a loaded machine). IT_SERVER_PID is CMD's
# process (server_stop ends it): CMD must exec the server (chroot, env do).
debian_server_start() {	# SRC DST LOG CMD...
	local src=$1 dst=$2 log=$3 attempt; shift 3
	for attempt in 1 2 3 4 5; do
		IT_PORT=$((20000 + RANDOM % 40000))
		debian_sites_on_loopback "$src" "$dst" "$IT_PORT" || return 1
		"$@" >"$log" 2>&1 &
		IT_SERVER_PID=$!
		for _ in $(seq 1 300); do
			grep -q 'Ready to process requests' "$log" && return 0
			kill -0 "$IT_SERVER_PID" 2>/dev/null || break
			sleep 0.1
		done
		server_stop
		grep -q 'Address already in use' "$log" || return 1
	done
	return 1
}

# A suite that cannot run a part here says so and counts it (never a silent pass).
IT_SKIPPED=0
skip() {
	IT_SKIPPED=$((IT_SKIPPED + 1))
	echo "SKIP - $*"
}

# SPDX-License-Identifier: GPL-2.0-or-later
# Shared by bench/run.sh and bench/profile.sh (sourced): the benchmark's
# server configurations, starting a server, the eapol_test clients and their
# failures, the code's revision.
# Expects: repo, build, pki, work, THREADS, CLEANUP_DELAY, CERTS, die(),
# and the associative arrays PID and PORT (by server name).

# A failed authentication, in a script run by xargs: eapol_test's output OUT
# saved as $work/failures/NAME.XXXXXX, "FAIL WHAT: ..." printed, and exit 255
# (which makes xargs stop).
eapol_failure() {	# NAME OUT WHAT
	local saved
	saved=$(mktemp "$work/failures/$1.XXXXXX")
	printf '%s\n' "$2" > "$saved"
	echo "FAIL $3: eapol_test output in $saved"
	exit 255
}

# Stop every server started (by PID).
stop_servers() {
	local name
	for name in "${!PID[@]}"; do
		kill "${PID[$name]}" 2>/dev/null || true
		wait "${PID[$name]}" 2>/dev/null || true
		unset "PID[$name]"
	done
}

# The demo configuration (scripts/demo-raddb.sh) with what both sides share for
# the benchmark: no TLS session cache (every authentication is a full
# handshake), a fixed thread pool, a short cleanup_delay.
layout_common() {
	local dir=$1
	"$repo/scripts/demo-raddb.sh" "$dir" "$pki" "$build" 1812 0 >/dev/null
	sed -i '/^[[:space:]]*cache {/,/}/ s/^\([[:space:]]*enable = \)yes/\1no/' "$dir/raddb/mods-available/eap"
	grep -A1 '^[[:space:]]*cache {' "$dir/raddb/mods-available/eap" | grep -q 'enable = no' ||
		die "$dir: cannot disable eap's session cache"
	sed -i -e "s/^\([[:space:]]*start_servers = \).*/\1$THREADS/" \
	       -e "s/^\([[:space:]]*max_servers = \).*/\1$THREADS/" \
	       -e "s/^\([[:space:]]*min_spare_servers = \).*/\11/" \
	       -e "s/^\([[:space:]]*max_spare_servers = \).*/\1$THREADS/" \
	       -e "s/^cleanup_delay = .*/cleanup_delay = $CLEANUP_DELAY/" "$dir/raddb/radiusd.conf"
}

# Take modules and policies ($2...) out of a configuration: mods-enabled/<name>, every
# line of radiusd.conf (instantiate), the sites and the policies that calls only
# <name> (a definition, "<name> {", stays: policies are compiled only where called).
remove_calls() {
	local dir=$1 name
	shift
	for name in "$@"; do
		rm -f "$dir/raddb/mods-enabled/$name"
		sed -i "/^[[:space:]]*${name}[[:space:]]*\$/d" "$dir/raddb/radiusd.conf" "$dir"/raddb/sites-available/* \
			"$dir"/raddb/policy.d/*
		if grep -rqE "^[[:space:]]*${name}[[:space:]]*\$" "$dir/raddb/radiusd.conf" "$dir/raddb/sites-available" \
			"$dir/raddb/policy.d"; then
			die "$dir: a call to $name is left"
		fi
	done
}

# (a) Stock FreeRADIUS: no phonecert module, no call to it, to its switch reply
# policy or to its inventory; the CAPF and manufacturing anchors in eap's
# ca_file, the CAPF this process serves first ($2: new or old).
layout_stock() {
	local dir=$1 first=$2 second certs
	[ "$first" = new ] && second=old || second=new
	layout_common "$dir"
	remove_calls "$dir" phonecert phonecert_post_auth phonecert_post_auth_reject sql_phonecert cache_phonecert
	rm -f "$dir/raddb/sites-enabled/phonecert-inventory"
	certs=$dir/raddb/certs
	cat "$certs/eap-ca.pem" "$certs/phonecert/capf-$first.pem" "$certs/phonecert/capf-$second.pem" \
		"$certs/phonecert/manufacturing.pem" > "$certs/stock-ca.pem"
	sed -i 's|^\([[:space:]]*ca_file = \)${certdir}/eap-ca.pem|\1${certdir}/stock-ca.pem|' "$dir/raddb/mods-available/eap"
	grep -q 'ca_file = ${certdir}/stock-ca.pem' "$dir/raddb/mods-available/eap" || die "$dir: cannot set eap's ca_file"
}

# (b) The demo configuration without its SQL phone inventory: phonecert, its
# switch reply policy, its log line (phonecert_post_auth calls the inventory's
# modules optionally: without mods-enabled/sql_phonecert they are left out,
# and so is the inventory's writer site).
layout_phonecert() {
	layout_common "$1"
	remove_calls "$1" sql_phonecert cache_phonecert
	rm -f "$1/raddb/sites-enabled/phonecert-inventory"
}

# (bq) (b) with log_accepts = no: the log line for rejected phones only (none here).
layout_rejects_logged() {
	layout_phonecert "$1"
	sed -i 's|^\([[:space:]]*tls_config = .*\)|\1\n\tlog_accepts = no|' "$1/raddb/mods-available/phonecert"
	grep -q 'log_accepts = no' "$1/raddb/mods-available/phonecert" || die "$1: cannot set log_accepts = no"
}

# (c) The demo configuration as shipped (with the inventory, SQLite).
layout_demo() {
	layout_common "$1"
}

# The shipped configuration with the inventory's cache always missing: every
# authentication written, as before cache_phonecert (for the profile).
layout_demo_uncached() {
	layout_common "$1"
	sed -i 's/^\([[:space:]]*max_entries = \).*/\11/; s/^\([[:space:]]*key = \).*/\1"%{Phonecert-MAC} %{Packet-Authentication-Vector}"/' \
		"$1/raddb/mods-available/cache_phonecert"
	grep -q 'Packet-Authentication-Vector' "$1/raddb/mods-available/cache_phonecert" || die "$1: cannot defeat cache_phonecert"
}

# Start server $1 (its configuration in $work/$1) on a free port. SERVER_LAUNCH
# (an array, e.g. valgrind and its options) runs before freeradius when set;
# START_WAIT is how many tenths of a second it may take (default 150).
start_server() {
	local name=$1 dir=$work/$1 port pid
	for _ in 1 2 3 4 5; do
		port=$((20000 + RANDOM % 40000))
		sed -i "s/^auth_port = .*/auth_port = $port/" "$dir/raddb/local.conf"
		: > "$dir/log/radius.log"
		"${SERVER_LAUNCH[@]}" freeradius -f -l "$dir/log/radius.log" -d "$dir/raddb" > "$dir/log/stdout.log" 2>&1 &
		pid=$!
		for _ in $(seq 1 "${START_WAIT:-150}"); do
			if grep -q 'Ready to process requests' "$dir/log/radius.log"; then
				PID[$name]=$pid PORT[$name]=$port
				return 0
			fi
			kill -0 "$pid" 2>/dev/null || break
			sleep 0.1
		done
		kill "$pid" 2>/dev/null || true
		wait "$pid" 2>/dev/null || true
		grep -qs 'Address already in use' "$dir/log/radius.log" "$dir/log/stdout.log" && continue
		echo "bench: $name did not start; last lines of $dir/log:" >&2
		tail -n 15 "$dir/log/radius.log" "$dir/log/stdout.log" >&2
		exit 1
	done
	die "$name: no free port after 5 attempts"
}

# eapol_test configuration and MAC (from SEP<MAC> in the CN, as a switch
# would send it) for each certificate.
write_clients() {
	local cert cn hex
	mkdir -p "$work/clients" "$work/failures"
	for cert in "${CERTS[@]}"; do
		cn=$(openssl x509 -in "$pki/$cert.pem" -noout -subject -nameopt multiline | sed -n 's/^ *commonName *= *//p')
		hex=$(sed -n 's/.*SEP\([0-9A-Fa-f]\{12\}\)$/\1/p' <<<"$cn" | tr 'A-F' 'a-f')
		[ -n "$hex" ] || die "$cert: no SEP<MAC> in its CN '$cn'"
		sed 's/\(..\)/\1:/g; s/:$//' <<<"$hex" > "$work/clients/$cert.mac"
		cat > "$work/clients/$cert.conf" <<EOF
network={
	key_mgmt=WPA-EAP
	eap=TLS
	identity="$cn"
	ca_cert="$pki/server-ca.pem"
	client_cert="$pki/$cert.pem"
	private_key="$pki/$cert.key"
	eapol_flags=0
}
EOF
	done
}

# ---------------------------------------------------------------- an admin's configuration

# The anchors as an admin in the middle of a rotation writes them: the retiring
# CAPF first, then the new one of the same DN (so a new LSC's same-DN
# candidates start with the wrong key), and the manufacturing bundle as
# shipped (Cisco's public CAs, with the test chain appended by the demo).
admin_anchors() {
	local conf=$1/raddb/mods-available/phonecert
	awk '
		/^[[:space:]]*capf [^ ]* \{/ { skip = 1 }
		skip { if (/^[[:space:]]*}/) skip = 0; next }
		/^[[:space:]]*manufacturing \{/ {
			print "\tcapf demo-cluster-2021 {\n\t\tca_file = ${certdir}/phonecert/capf-old.pem"
			print "\t\taccept_until = \"2030-01-01T00:00:00Z\"\n\t}"
			print "\tcapf demo-cluster-2025 {\n\t\tca_file = ${certdir}/phonecert/capf-new.pem\n\t}"
		}
		{ print }' "$conf" > "$conf.admin" && mv "$conf.admin" "$conf"
	[ "$(grep -A1 -m1 '^[[:space:]]*capf ' "$conf" | grep -c 'capf-old.pem')" = 1 ] ||
		die "$1: cannot list the old CAPF first"
}

# (d) stock as an admin has it: one process, eap's ca_file with the non-phone
# CAs, the new CAPF only (a same-DN pair fails stock) and the manufacturing bundle.
layout_admin_stock() {
	local dir=$1 certs=$1/raddb/certs
	layout_stock "$dir" new
	cat "$certs/eap-ca.pem" "$certs/phonecert/capf-new.pem" "$certs/phonecert/manufacturing.pem" > "$certs/stock-ca.pem"
}

# (e) phonecert, its inventory off, with the admin's anchors.
layout_admin_phonecert() {
	layout_phonecert "$1"
	admin_anchors "$1"
}

# (f) phonecert with the admin's anchors and the inventory enabled as the
# README tells (sql_phonecert, cache_phonecert, the writer site): the shipped
# demo configuration has exactly those.
layout_admin_demo() {
	layout_demo "$1"
	admin_anchors "$1"
}

# ---------------------------------------------------------------- axes

# The anchors axis: the demo configuration without the inventory (as (b)),
# with $2 capf sections in all: capf-new and capf-old, then extra CAPF
# certificates generated with openssl into $work/extra-capf (self-signed
# CA:TRUE, a CAPF-like DN of their own each, P-256 keys: quick to make, and
# the key of an anchor that signs nothing costs nothing). $3 = no: the extra
# sections with advertise = no (their names left out of the CertificateRequest).
layout_anchors() {
	local dir=$1 total=$2 advertise=${3:-yes} i file sections=
	layout_phonecert "$dir"
	mkdir -p "$work/extra-capf"
	for ((i = 3; i <= total; i++)); do
		file=$work/extra-capf/capf-$i.pem
		if [ ! -s "$file" ]; then
			openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout /dev/null \
				-subj "/C=MX/O=Cisco/OU=Voice/CN=CAPF-$(printf '%08x' $((0x10000000 + i)))/ST=Mexico City/L=Mexico City" \
				-addext "basicConstraints=critical,CA:TRUE,pathlen:0" -addext "keyUsage=critical,keyCertSign,cRLSign" \
				-days 3650 -out "$file" 2>/dev/null || die "openssl cannot make $file"
		fi
		sections+="\tcapf bench-$i {\n\t\tca_file = $file\n\t\tadvertise = $advertise\n\t}\n"
	done
	awk -v add="$sections" '/^[[:space:]]*manufacturing {/ { printf "%s", add } { print }' \
		"$dir/raddb/mods-available/phonecert" > "$dir/phonecert.tmp" && mv "$dir/phonecert.tmp" "$dir/raddb/mods-available/phonecert"
	[ "$(grep -c '^[[:space:]]*capf ' "$dir/raddb/mods-available/phonecert")" -eq "$total" ] ||
		die "$dir: cannot configure $total capf sections"
}

# The inventory axis: the demo configuration as shipped, its SQLite inventory
# already holding $2 other phones (their latest state, and three days each).
layout_inventory() {
	local dir=$1 phones=$2 db=$1/db/phonecert-inventory.sqlite
	layout_demo "$dir"
	rm -f "$db"
	sqlite3 "$db" < "$dir/raddb/mods-config/sql/phonecert/sqlite/schema.sql" >/dev/null || die "$db: cannot load the schema"
	sqlite3 "$db" "
		WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $phones)
		INSERT INTO phonecert_phone (mac, device_name, model, pid, sn, cert_type, anchor, cert_serial,
			not_before, not_after, last_result, last_reason, first_seen, last_seen, nas_ip, nas_port_id)
		SELECT printf('02-00-%02X-%02X-%02X-%02X', (i >> 24) & 255, (i >> 16) & 255, (i >> 8) & 255, i & 255),
			printf('SEP0200%08X', i), 'CP-8861', 'CP-8861', printf('FCH%08d', i), 'LSC', 'demo-cluster-2025',
			printf('%040x', i), '2025-01-01T00:00:00Z', '2035-01-01T00:00:00Z', 'accept', NULL,
			strftime('%s', 'now') - 864000, strftime('%s', 'now') - 3600, '10.0.0.1', 'GigabitEthernet1/0/1'
		FROM n;
		INSERT INTO phonecert_phone_day (day, mac, anchor, result, authentications)
		SELECT strftime('%s', 'now') / 86400 - d.k, p.mac, 'demo-cluster-2025', 'accept', 12
		FROM phonecert_phone p, (SELECT 1 AS k UNION ALL SELECT 2 UNION ALL SELECT 3) d;" ||
		die "$db: cannot fill the inventory"
	[ "$(sqlite3 "$db" 'SELECT count(*) FROM phonecert_phone')" -eq "$phones" ] || die "$db: not $phones phones"
}

# The commit measured, "-dirty" when the work tree differs from it in more
# than bench/RESULTS.md (which each run rewrites).
code_revision() {
	local commit
	commit=$(git -C "$repo" rev-parse --short HEAD 2>/dev/null) || { echo unknown; return 0; }
	if git -C "$repo" diff --quiet HEAD -- . ':(exclude)bench/RESULTS.md' 2>/dev/null; then
		echo "$commit"
	else
		echo "$commit-dirty"
	fi
}

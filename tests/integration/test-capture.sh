#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# phonecert capture on captures this suite makes with real traffic: tcpdump
# on loopback while the real eapol_test authenticates against the real
# freeradius (RADIUS), and while openssl s_client with a phone's LSC talks to
# openssl s_server playing CUCM (TLS over TCP); then hand-built captures made
# from those by pcap-edit.py: EAPOL on a VLAN, pcapng, damaged ones.
set -u
source "$(dirname "$0")/lib.sh"
it_init

PHONECERT=$IT_BUILD/phonecert
[ -x "$PHONECERT" ] || { echo "it: $PHONECERT missing: run make first" >&2; exit 2; }
it_need tcpdump jq openssl
EDIT="/usr/bin/python3 $(dirname "$0")/pcap-edit.py"
P=$IT_PKI
EXTRA=$IT_BUILD/it/capture-extra
rm -rf "$EXTRA"
mkdir -p "$EXTRA"
source "$(dirname "$0")/cli-lib.sh"

# tcpdump in the background, ready before the traffic starts: FILE FILTER [INTERFACE] [-y LINKTYPE].
# -s: in immediate mode libpcap's ring holds buffer / snapshot length frames;
# on "any" (no MTU to size frames by) the default 262144 leaves about 7, and a
# loaded machine dropped packets of the handshake ("dropped by kernel"). A
# RADIUS packet is at most 4096 bytes.
capture_start() {
	local file=$1 filter=$2 interface=${3:-lo} waited
	shift 3 2>/dev/null || shift $#
	: > "$file.err"
	timeout 120 tcpdump -i "$interface" "$@" -s 8192 -U --immediate-mode -w "$file" $filter 2>"$file.err" &
	TCPDUMP_PID=$! TCPDUMP_FILE=$file
	for waited in $(seq 1 100); do
		grep -q 'listening on' "$file.err" && return 0
		kill -0 "$TCPDUMP_PID" 2>/dev/null || break
		sleep 0.1
	done
	echo "it: tcpdump did not start:" >&2
	cat "$file.err" >&2
	exit 2
}

# Stop it cleanly (SIGINT: it flushes the file) once the last packets went by:
# packets the kernel passed but tcpdump has not written yet (a loaded machine,
# and -i any sees each loopback packet twice) are lost at SIGINT, so wait
# until the file stops growing (bounded: 10 s).
capture_stop() {
	local size=-1 now waited
	for waited in $(seq 1 50); do
		sleep 0.2
		now=$(stat -c %s "$TCPDUMP_FILE" 2>/dev/null || echo 0)
		[ "$now" = "$size" ] && break
		size=$now
	done
	kill -INT "$TCPDUMP_PID" 2>/dev/null
	wait "$TCPDUMP_PID" 2>/dev/null
	TCPDUMP_PID=
	# Said, so that a check failing for a lost packet says why.
	grep -h 'dropped by kernel' "$TCPDUMP_FILE.err" | grep -v '^0 ' | sed 's/^/# tcpdump: /' || true
}

# Entry N (from 0) of the last JSON output must satisfy a jq condition.
expect_entry() {
	local n=$1 condition=$2 label=$3; shift 3
	expect_json ".[$n] | ($condition)" "$label" -s "$@"
}

# The reason of the server's log line for the phone with this device name.
server_reason() {
	sed -n "s/.*phonecert: reject device=$1 .*reason=\"\(.*\)\"$/\1/p" "$IT_RUN/log/debug.log" | head -n 1
}

#
#	RADIUS: eapol_test <-> freeradius, captured on lo
#
server_prepare capture
server_start || exit 1
RADDB=$IT_RUN/raddb
RADIUS_PCAP=$EXTRA/radius.pcap
capture_start "$RADIUS_PCAP" "udp port $IT_PORT"
# The LSC as a switch port would send it, NAS-Port-Id included.
eap_tls_conf "$IT_RUN/eapol.conf" "$P/lsc-new-rsa.pem" "$P/lsc-new-rsa.key"
eapol_run "$IT_RUN/eapol.conf" -M 2c:31:24:c9:f8:e1 -N 87:s:GigabitEthernet1/0/7
expect_result accept "capture run: LSC"
eap_tls lsc-other.pem lsc-other.key;		expect_result reject "capture run: LSC from another cluster"
eap_tls mic.pem mic.key;			expect_result accept "capture run: MIC"
eap_tls mic-expired.pem mic-expired.key;	expect_result reject "capture run: expired MIC"
eap_tls -r 1 lsc-new-ec.pem lsc-new-ec.key;	expect_result accept "capture run: LSC, then a resumed session"
grep -q '^OpenSSL: Handshake finished - resumed=1$' <<<"$IT_EAPOL_OUT" && pass "capture run: eapol_test resumed" ||
	fail "capture run: eapol_test did not resume"
capture_stop

run capture --config "$RADDB" --radius-port "$IT_PORT" --json "$RADIUS_PCAP"
expect_rc 1 "RADIUS capture (rejects in it)"
expect_json 'length == 6' "RADIUS: six handshakes, one JSON object each" -s
expect_json 'all(.[]; .via == "radius" and .tls_version == "TLS 1.2" and .wire.complete)' "RADIUS: all TLS 1.2, complete" -s

expect_entry 0 '.type == "LSC" and .type_from == "anchor" and (.certificate.issuer | test("CN=CAPF-0992727f"))' "LSC: type and issuer"
expect_entry 0 '.decision == "ACCEPT" and .anchor == "demo-cluster-2025" and .certificate_status == "sent"' "LSC: accepted by capf demo-cluster-2025"
expect_entry 0 '.wire.radius == "Access-Accept" and .wire.eap == "EAP-Success" and .wire.alerts == []' "LSC: Access-Accept, EAP-Success on the wire"
expect_entry 0 '.radius.user_name == "CP-8861-SEP2C3124C9F8E1" and .radius.calling_station_id == "2C-31-24-C9-F8-E1" and .radius.nas_ip_address == "127.0.0.1" and .radius.nas_port_id == "GigabitEthernet1/0/7"' "LSC: RADIUS facts"
expect_entry 0 '.identity.device_name == "SEP2C3124C9F8E1" and .identity.model == "CP-8861" and .mac == "2C-31-24-C9-F8-E1" and .certificate.key == "RSA 2048"' "LSC: device, model, MAC, key"
expect_entry 0 '.diagnosis | test("^LSC issued by CAPF-0992727f, trusted .capf .demo-cluster-2025.*: accepted$")' "LSC: diagnosis"

expect_entry 1 '.type == "LSC" and .type_from == "issuer_name" and (.certificate.issuer | test("CN=CAPF-a7fb32bf"))' "other cluster: LSC by its CAPF issuer"
expect_entry 1 '.decision == "REJECT" and .anchor == null and .wire.radius == "Access-Reject" and .wire.eap == "EAP-Failure"' "other cluster: rejected, Access-Reject on the wire"
expect_entry 1 '.diagnosis == "LSC issued by CAPF-a7fb32bf, which this server does not trust: the phone holds an LSC from another cluster"' "other cluster: the FAQ's diagnosis"
reason=$(server_reason SEPB000B4BA0AEE)
expect_entry 1 '.reason + "; " + .hint == $r' "other cluster: the server's reason and advice, word for word" --arg r "$reason"

expect_entry 2 '.type == "MIC" and .decision == "ACCEPT" and .anchor == "manufacturing" and (.certificate.issuer | test("Manufacturing CA SHA2"))' "MIC: accepted by the manufacturing bundle"
expect_entry 2 '.wire.radius == "Access-Accept" and (.diagnosis | test("^MIC issued by .*Manufacturing CA SHA2, trusted \\(manufacturing\\): accepted$"))' "MIC: wire and diagnosis"

reason=$(server_reason SEP00000A0B0C0D)
expect_entry 3 '.type == "MIC" and .decision == "REJECT" and (.reason | test("^certificate expired on 2025-01-01")) and .reason + "; " + .hint == $r' \
	"expired MIC: the server's reason and advice" --arg r "$reason"
expect_entry 3 '.wire.radius == "Access-Reject" and (.diagnosis | test("^MIC issued by .*, rejected: certificate expired on"))' "expired MIC: wire and diagnosis"

expect_entry 4 '.type == "LSC" and .decision == "ACCEPT" and (.certificate.key | test("^EC "))' "EC LSC before the resumption: accepted"
expect_entry 5 '.certificate_status == "resumed" and .certificate == null and .decision == null and .wire.radius == "Access-Accept"' "resumed session: no certificate on the wire, Access-Accept"
expect_entry 5 '.diagnosis | test("^resumed TLS session: the phone sent no certificate.*\\(accepted\\)$")' "resumed session: diagnosis"
expect_entry 5 '.mac == "00-AA-BB-CC-DD-EE"' "resumed session: the MAC from Calling-Station-Id"

run capture --config "$RADDB" --radius-port "$IT_PORT" "$RADIUS_PCAP"
expect_rc 1 "RADIUS capture, text"
expect_out '^handshake 2: .* RADIUS 127\.0\.0\.1:[0-9]+ <-> 127\.0\.0\.1:'"$IT_PORT"'$' "text: a header per handshake with its endpoints"
expect_out '^  type: +LSC \(by its issuer.s name' "text: LSC by issuer name"
expect_out '^  on the wire: +Access-Reject, EAP-Failure$' "text: the wire outcome"
expect_out '^  diagnosis: +LSC issued by CAPF-a7fb32bf, which this server does not trust: the phone holds an LSC from another cluster$' "text: the diagnosis"
[ "$(grep -c '^handshake ' <<<"$OUT")" -eq 6 ] && pass "text: six handshakes" || fail "text: $(grep -c '^handshake ' <<<"$OUT") handshakes"

# Where RADIUS is: the ports the configuration listens on (the server's listen
# section: port = ${auth_port}, here IT_PORT), unless --radius-port says.
run capture --config "$RADDB" --json "$RADIUS_PCAP"
expect_rc 1 "--config without --radius-port (rejects in it)"
expect_json 'length == 6 and all(.[]; .via == "radius")' "--config: RADIUS on the server's own port $IT_PORT, read from its listen section" -s
run capture --config "$RADDB" --radius-port 1812 "$RADIUS_PCAP"
expect_rc 1 "--radius-port 1812 wins over the configuration's port"
expect_err 'no TLS handshake in [0-9]+ frames' "--radius-port 1812: nothing found on port $IT_PORT"
run capture --capf "$P/capf-new.pem" "$RADIUS_PCAP"
expect_rc 1 "anchor files, no configuration: port $IT_PORT is not RADIUS"
expect_err 'no TLS handshake in [0-9]+ frames' "anchor files, no configuration: says nothing was found"

# A virtual server's listeners: auth+acct on a port of a ${variable} (RADIUS
# is read there), acct only, and auth over TCP (RADIUS over UDP is not).
PORTS_RADDB=$EXTRA/raddb-ports
rm -rf "$PORTS_RADDB"
cp -a "$RADDB" "$PORTS_RADDB"
AUTH_PORT2=$((IT_PORT + 10)) ACCT_PORT2=$((IT_PORT + 11)) TCP_PORT2=$((IT_PORT + 12))
echo "extra_auth_port = $AUTH_PORT2" >> "$PORTS_RADDB/local.conf"
cat > "$PORTS_RADDB/sites-enabled/ports" <<EOF
server ports {
	listen {
		type = auth+acct
		ipaddr = 127.0.0.1
		port = \${extra_auth_port}
	}
	listen {
		type = acct
		ipaddr = 127.0.0.1
		port = $ACCT_PORT2
	}
	listen {
		type = auth
		proto = tcp
		ipaddr = 127.0.0.1
		port = $TCP_PORT2
	}
	authorize {
		ok
	}
}
EOF
for port in "$AUTH_PORT2" "$ACCT_PORT2" "$TCP_PORT2"; do $EDIT port "$RADIUS_PCAP" "$EXTRA/port-$port.pcap" "$IT_PORT" "$port"; done
run capture --config "$PORTS_RADDB" --json "$EXTRA/port-$AUTH_PORT2.pcap"
expect_json 'length == 6 and .[1].decision == "REJECT"' "a virtual server's auth+acct listener, port = \${extra_auth_port}: RADIUS read on $AUTH_PORT2" -s
run capture --config "$PORTS_RADDB" "$EXTRA/port-$ACCT_PORT2.pcap"
expect_err 'no TLS handshake in [0-9]+ frames' "an acct listener's port is not one of authentication"
run capture --config "$PORTS_RADDB" "$EXTRA/port-$TCP_PORT2.pcap"
expect_err 'no TLS handshake in [0-9]+ frames' "an auth listener over TCP: its port is not RADIUS over UDP"

run capture --config "$RADDB" --radius-port "$IT_PORT" --json --phone SEPB000B4BA0AEE "$RADIUS_PCAP"
expect_json 'length == 1 and .[0].identity.device_name == "SEPB000B4BA0AEE"' "--phone SEP...: that phone only" -s
run capture --config "$RADDB" --radius-port "$IT_PORT" --json --phone 2c:31:24:c9:f8:e1 "$RADIUS_PCAP"
expect_json 'length == 2 and ([.[].type] == ["LSC", "MIC"])' "--phone MAC: its LSC and its MIC" -s
run capture --config "$RADDB" --radius-port "$IT_PORT" --phone 00aa.bbcc.ddee "$RADIUS_PCAP"
expect_rc 0 "--phone: only accepted handshakes (full and resumed)"
run capture --config "$RADDB" --phone SEPXYZ "$RADIUS_PCAP"
expect_rc 2 "--phone with neither a MAC nor a device name"

mkdir -p "$EXTRA/pem"
run capture --config "$RADDB" --radius-port "$IT_PORT" --json --extract "$EXTRA/pem" "$RADIUS_PCAP"
expect_entry 0 '.extracted == [$f]' "--extract: the file is named in the entry" --arg f "$EXTRA/pem/1-0-SEP2C3124C9F8E1.pem"
if [ "$(openssl x509 -in "$EXTRA/pem/1-0-SEP2C3124C9F8E1.pem" -noout -fingerprint -sha256)" = \
     "$(openssl x509 -in "$P/lsc-new-rsa.pem" -noout -fingerprint -sha256)" ]; then
	pass "--extract: the PEM is the phone's certificate"
else
	fail "--extract: $EXTRA/pem/1-0-SEP2C3124C9F8E1.pem is not lsc-new-rsa.pem"
fi
run inspect --config "$RADDB" --now 2027-01-01T00:00:00Z "$EXTRA/pem/2-0-SEPB000B4BA0AEE.pem"
expect_rc 1 "--extract: inspect on the extracted LSC of another cluster rejects it too"

OUT=$("$PHONECERT" capture --config "$RADDB" --radius-port "$IT_PORT" --json - <"$RADIUS_PCAP" 2>"$EXTRA/stderr")
expect_json 'length == 6' "FILE - reads the capture from standard input" -s

$EDIT pcapng "$RADIUS_PCAP" "$EXTRA/radius.pcapng"
run capture --config "$RADDB" --radius-port "$IT_PORT" --json "$EXTRA/radius.pcapng"
expect_json 'length == 6 and .[1].decision == "REJECT" and .[2].type == "MIC"' "pcapng: the same six handshakes" -s

# Linux cooked captures (tcpdump -i any), v1 and v2.
for linktype in LINUX_SLL LINUX_SLL2; do
	capture_start "$EXTRA/any-$linktype.pcap" "udp port $IT_PORT" any -y "$linktype"
	eap_tls lsc-other.pem lsc-other.key
	capture_stop
	run capture --config "$RADDB" --radius-port "$IT_PORT" --json "$EXTRA/any-$linktype.pcap"
	expect_json 'length == 1 and .[0].decision == "REJECT" and .[0].wire.radius == "Access-Reject" and (.[0].diagnosis | test("another cluster"))' \
		"tcpdump -i any ($linktype): the handshake" -s
done

# A stranger's certificate with a terminal escape and a line break in its issuer's name: escaped everywhere.
cat > "$EXTRA/hostile.cnf" <<'CNF'
[req]
distinguished_name = dn
[dn]
[ca]
basicConstraints = critical, CA:TRUE
keyUsage = critical, keyCertSign
[leaf]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature, keyEncipherment
extendedKeyUsage = clientAuth
CNF
openssl req -x509 -new -config "$EXTRA/hostile.cnf" -extensions ca -newkey rsa:2048 -nodes -sha256 -days 3650 -utf8 \
	-subj $'/O=Evil/CN=Evil\x1b[2J CA\nhandshake 9: forged' -keyout "$EXTRA/hostile-ca.key" -out "$EXTRA/hostile-ca.pem" 2>/dev/null
openssl req -new -config "$EXTRA/hostile.cnf" -newkey rsa:2048 -nodes -subj '/CN=CP-8861-SEP001122334455' \
	-keyout "$EXTRA/hostile.key" -out "$EXTRA/hostile.csr" 2>/dev/null
openssl x509 -req -in "$EXTRA/hostile.csr" -CA "$EXTRA/hostile-ca.pem" -CAkey "$EXTRA/hostile-ca.key" -CAcreateserial \
	-extfile "$EXTRA/hostile.cnf" -extensions leaf -days 3650 -sha256 -out "$EXTRA/hostile.pem" 2>/dev/null
capture_start "$EXTRA/hostile.pcap" "udp port $IT_PORT"
eap_tls "$EXTRA/hostile.pem" "$EXTRA/hostile.key";	expect_result reject "capture run: a certificate of a hostile issuer"
eap_tls -m 02:00:00:00:00:99 lsc-new-rsa.pem lsc-new-rsa.key;	expect_result reject "capture run: an LSC on another phone's port (bind_mac)"
capture_stop
run capture --config "$RADDB" --radius-port "$IT_PORT" "$EXTRA/hostile.pcap"
if grep -q $'\x1b' <<<"$OUT"; then fail "hostile issuer: a raw escape character in the text"; else pass "hostile issuer: no raw escape character in the text"; fi
expect_no_out '^handshake 9' "hostile issuer: its line break starts no forged entry"
expect_out 'Evil\\x1b\[2J CA\\x0ahandshake 9' "hostile issuer: shown escaped in the diagnosis"
run capture --config "$RADDB" --radius-port "$IT_PORT" --json "$EXTRA/hostile.pcap"
expect_json 'length == 2 and .[0].decision == "REJECT" and (.[0].diagnosis | contains("Evil\u001b[2J CA\nhandshake 9"))' \
	"hostile issuer: valid JSON with the name as it is" -s
# The decision uses the capture's Calling-Station-Id, as the server does.
reason=$(server_reason SEP2C3124C9F8E1)
expect_entry 1 '.type == "LSC" and .decision == "REJECT" and (.reason | startswith("MAC mismatch")) and .reason + "; " + .hint == $r' \
	"bind_mac: the capture's Calling-Station-Id decides, with the server's reason" --arg r "$reason"
# Another configuration than the server's: the entry says the two disagree.
run capture --capf "$P/capf-other.pem" --radius-port "$IT_PORT" --json --phone SEPB000B4BA0AEE "$RADIUS_PCAP"
expect_json 'length == 1 and .[0].decision == "ACCEPT" and .[0].wire.radius == "Access-Reject" and (.[0].diagnosis | test("but the server in the capture refused it"))' \
	"another configuration: accepted here, refused on the wire, said" -s

# EAPOL on an 802.1Q VLAN: the same EAP conversations as a switch port mirror would show them.
$EDIT eapol "$RADIUS_PCAP" "$EXTRA/eapol.pcap" "$IT_PORT" 100
run capture --config "$RADDB" --json "$EXTRA/eapol.pcap"
expect_json 'length == 6 and all(.[]; .via == "eapol")' "EAPOL (VLAN 100): six handshakes" -s
expect_entry 0 '.phone_endpoint == "2c:31:24:c9:f8:e1" and .server_endpoint == "00:00:5e:00:53:01" and .eap_identity == "CP-8861-SEP2C3124C9F8E1"' "EAPOL: MAC endpoints and the EAP identity"
expect_entry 0 '.type == "LSC" and .decision == "ACCEPT" and .wire.eap == "EAP-Success" and .wire.radius == null' "EAPOL: LSC accepted, EAP-Success"
expect_entry 1 '.decision == "REJECT" and .wire.eap == "EAP-Failure" and (.diagnosis | test("another cluster"))' "EAPOL: other cluster, EAP-Failure"
expect_entry 5 '.certificate_status == "resumed" and .wire.eap == "EAP-Success"' "EAPOL: resumed session"

# Every phone in progress at once: told apart, and under a flow cap never mixed up.
$EDIT interleave "$RADIUS_PCAP" "$EXTRA/interleaved.pcap"
DECISIONS='{"SEP2C3124C9F8E1": "ACCEPT", "SEPB000B4BA0AEE": "REJECT", "SEP00000A0B0C0D": "REJECT", "SEP00AABBCCDDEE": "ACCEPT"}'
run capture --config "$RADDB" --radius-port "$IT_PORT" --json "$EXTRA/interleaved.pcap"
expect_json 'length == 6 and ([.[] | select(.certificate_status == "sent") | .decision == $d[.identity.device_name]] | all and length == 5)' \
	"five phones at once: each handshake its own decision" -s --argjson d "$DECISIONS"
run capture --config "$RADDB" --radius-port "$IT_PORT" --json --max-flows 2 "$EXTRA/interleaved.pcap"
expect_err 'more flows than --max-flows were in progress at once: [0-9]+ were cut short' "flow cap: said on stderr"
expect_json 'length < 6 and ([.[] | select(.certificate_status == "sent") | .decision == $d[.identity.device_name]] | all)' \
	"flow cap: fewer handshakes, none mixed up" -s --argjson d "$DECISIONS"

# A big capture streams: memory follows the flows in progress, not the file (20 copies vs 400 copies).
max_rss_kb() {	# the peak resident memory of a command, in KiB; its stdout in OUT
	OUT=$(/usr/bin/python3 -c 'import resource, subprocess, sys
out = subprocess.run(sys.argv[1:], stdout=subprocess.PIPE).stdout
sys.stdout.buffer.write(out)
print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, file=sys.stderr)' "$@" 2>"$EXTRA/rss")
	RSS=$(tail -n 1 "$EXTRA/rss")
}
$EDIT repeat "$RADIUS_PCAP" "$EXTRA/small.pcap" 20 "$IT_PORT"
$EDIT repeat "$RADIUS_PCAP" "$EXTRA/big.pcap" 400 "$IT_PORT"
max_rss_kb "$PHONECERT" capture --config "$RADDB" --radius-port "$IT_PORT" --json "$EXTRA/small.pcap"
small_rss=$RSS
max_rss_kb "$PHONECERT" capture --config "$RADDB" --radius-port "$IT_PORT" --json "$EXTRA/big.pcap"
expect_json 'length == 2400 and ([.[] | select(.decision == "REJECT")] | length) == 800' "big capture: 2,400 handshakes, 800 rejects" -s
if [ "$RSS" -lt $((small_rss + 4096)) ]; then pass "big capture: streamed (${RSS} KiB for $(stat -c %s "$EXTRA/big.pcap") bytes, ${small_rss} KiB for 20 times less)"
else fail "big capture: ${RSS} KiB, against ${small_rss} KiB for a capture 20 times smaller"; fi
rm -f "$EXTRA/big.pcap"

#
#	TLS over TCP: openssl s_client (a phone with its LSC) <-> openssl s_server (CUCM)
#
TLS_PORT=$((20000 + RANDOM % 40000))
TLS_PCAP=$EXTRA/tls.pcap
# One connection: s_server trusting CA, on TLS_PORT, -Verify: it requires the phone's certificate.
# $1 CA, $2 protocol, $3 the loopback address (default 127.0.0.1; [::1] for IPv6).
cucm_connection() {
	local ca=$1 protocol=$2 host=${3:-127.0.0.1} server waited
	: > "$EXTRA/s_server.log"
	timeout 20 openssl s_server -accept "$host:$TLS_PORT" -naccept 1 -cert "$P/server.pem" -key "$P/server.key" \
		-Verify 2 -verify_return_error -CAfile "$P/$ca" "-$protocol" -www >"$EXTRA/s_server.log" 2>&1 &
	server=$!
	for waited in $(seq 1 100); do grep -q '^ACCEPT' "$EXTRA/s_server.log" && break; sleep 0.1; done
	printf 'GET / HTTP/1.0\r\n\r\n' | timeout 20 openssl s_client -connect "$host:$TLS_PORT" -cert "$P/lsc-new-rsa.pem" \
		-key "$P/lsc-new-rsa.key" "-$protocol" -quiet >"$EXTRA/s_client.log" 2>&1
	CLIENT_RC=$?
	wait "$server"
}
capture_start "$TLS_PCAP" "tcp port $TLS_PORT"
cucm_connection capf-new.pem tls1_2;	[ "$CLIENT_RC" -eq 0 ] && pass "CUCM run: TLS 1.2 accepted" || fail "CUCM run: TLS 1.2 refused"
cucm_connection capf-other.pem tls1_2;	[ "$CLIENT_RC" -ne 0 ] && pass "CUCM run: other CAPF refused" || fail "CUCM run: other CAPF accepted"
cucm_connection capf-new.pem tls1_3;	[ "$CLIENT_RC" -eq 0 ] && pass "CUCM run: TLS 1.3 accepted" || fail "CUCM run: TLS 1.3 refused"
cucm_connection capf-new.pem tls1_2 '[::1]'; [ "$CLIENT_RC" -eq 0 ] && pass "CUCM run: TLS 1.2 over IPv6 accepted" || fail "CUCM run: TLS 1.2 over IPv6 refused"
capture_stop

ANCHORS=(--capf "$P/capf-new.pem" --capf "$P/capf-old.pem" --manufacturing "$P/mfg-bundle.pem")
run capture "${ANCHORS[@]}" --json "$TLS_PCAP"
expect_rc 1 "TLS capture (a refusal and a TLS 1.3 handshake in it)"
expect_json 'length == 4 and all(.[]; .via == "tcp" and (.server_endpoint | endswith(":" + $p)))' "TLS: four connections to the CUCM port" -s --arg p "$TLS_PORT"
expect_entry 0 '.tls_version == "TLS 1.2" and .type == "LSC" and .decision == "ACCEPT" and .anchor == "capf-new"' "TLS 1.2: LSC, accepted by capf-new"
expect_entry 0 '.wire.tls_finished and .wire.alerts == [] and (.diagnosis | test("^LSC issued by CAPF-0992727f, trusted"))' "TLS 1.2: handshake finished, diagnosis"
expect_entry 1 '.wire.alerts == [{"from": "server", "to": "phone", "level": "fatal", "description": "unknown_ca", "encrypted": false}]' "unknown_ca: server -> phone fatal unknown_ca"
expect_entry 1 '.type == "LSC" and (.certificate.issuer | test("CAPF-0992727f")) and .decision == "ACCEPT"' "unknown_ca: the LSC, which this configuration accepts"
expect_entry 1 '.diagnosis | test("^LSC issued by CAPF-0992727f, which the server does not trust \\(it answered unknown_ca\\): the phone holds an LSC from another cluster")' "unknown_ca: diagnosis"
expect_entry 2 '.tls_version == "TLS 1.3" and .certificate_status == "encrypted" and .certificate == null and .type == null and .decision == null' "TLS 1.3: the certificate is encrypted, nothing guessed"
expect_entry 2 '.diagnosis | test("^TLS 1.3: the phone.s certificate is encrypted")' "TLS 1.3: diagnosis"
expect_entry 3 '.server_endpoint == "[::1]:" + $p and (.phone_endpoint | startswith("[::1]:")) and .decision == "ACCEPT" and .type == "LSC"' "IPv6: endpoints and the decision" --arg p "$TLS_PORT"
run capture "${ANCHORS[@]}" "$TLS_PCAP"
expect_out '^  on the wire: +server -> phone fatal unknown_ca$' "text: the alert with its direction"
expect_out '^  certificate: +encrypted \(TLS 1\.3\)$' "text: TLS 1.3 certificate encrypted"

#
#	Hand-built damaged captures
#
# The first RADIUS authentication's largest Access-Request: the phone's certificate flight.
cert_frame=$($EDIT list "$RADIUS_PCAP" | awk -v p="$IT_PORT" '$2 == "udp" && $4 == p && $5 > 1000 { print $1; exit }')
$EDIT truncate "$RADIUS_PCAP" "$EXTRA/truncated.pcap" "$cert_frame" 200
run capture --config "$RADDB" --radius-port "$IT_PORT" --json "$EXTRA/truncated.pcap"
expect_json 'length == 6' "truncated packet: every handshake still reported" -s
expect_entry 0 '.certificate_status == "not_seen" and .decision == null and (.notes | any(test("cut short")))' "truncated packet: the certificate is not guessed, the cut is noted"
expect_entry 0 '.diagnosis | test("certificate is not in the capture")' "truncated packet: diagnosis"
expect_entry 1 '.decision == "REJECT" and .notes == []' "truncated packet: the next phone's handshake is untouched"

$EDIT drop "$RADIUS_PCAP" "$EXTRA/missing-fragment.pcap" "$cert_frame"
run capture --config "$RADDB" --radius-port "$IT_PORT" --json "$EXTRA/missing-fragment.pcap"
expect_entry 0 '.certificate_status == "not_seen" and (.notes | any(test("fragment is missing")))' "missing fragment: noted, the certificate not guessed"
expect_entry 0 '.wire.radius == "Access-Accept"' "missing fragment: the outcome on the wire still read"

# The phone's certificate flight of the TLS 1.2 connection, split into 3 segments sent backwards, one twice.
flight=$($EDIT list "$TLS_PCAP" | awk -v p="$TLS_PORT" '$2 == "tcp" && $4 == p && $5 > 0 { n++; if (n == 2) { print $1; exit } }')
$EDIT resegment "$TLS_PCAP" "$EXTRA/reordered.pcap" "$flight" 3
run capture "${ANCHORS[@]}" --json "$EXTRA/reordered.pcap"
expect_entry 0 '.decision == "ACCEPT" and .type == "LSC" and .notes == [] and .wire.tls_finished' "reordered and retransmitted TCP segments: reassembled"
first_piece=$((flight + 2))	# the pieces go out backwards: the first one is the third frame
$EDIT drop "$EXTRA/reordered.pcap" "$EXTRA/tcp-hole.pcap" "$first_piece"
run capture "${ANCHORS[@]}" --json "$EXTRA/tcp-hole.pcap"
expect_entry 0 '.certificate_status == "not_seen" and (.notes | any(test("missing a segment")))' "missing TCP segment: noted, nothing guessed"

$EDIT sip "$EXTRA/sip.pcap" 5061
run capture "${ANCHORS[@]}" --json "$EXTRA/sip.pcap"
expect_rc 1 "plaintext SIP on 5061"
expect_json 'length == 1 and .[0].tls == false and .[0].server_endpoint == "10.20.0.2:5061" and (.[0].diagnosis | test("^not TLS"))' "plaintext SIP on 5061: reported as not TLS" -s

head -c "$(( $(stat -c %s "$RADIUS_PCAP") - 300 ))" "$RADIUS_PCAP" > "$EXTRA/cut.pcap"
run capture --config "$RADDB" --radius-port "$IT_PORT" --json "$EXTRA/cut.pcap"
expect_rc 1 "capture file cut off mid-frame"
expect_err 'truncated' "capture file cut off: said on stderr"
expect_json 'length == 6 and (.[5].notes | any(test("capture ends before")))' "capture file cut off: the handshakes before it, the last one incomplete" -s

printf 'not a capture\n' > "$EXTRA/garbage.pcap"
run capture --config "$RADDB" "$EXTRA/garbage.pcap"
expect_rc 2 "not a capture file"
expect_err 'cannot read capture' "not a capture file: said"
run capture --config "$RADDB" "$EXTRA/none.pcap"
expect_rc 2 "missing capture file"
run capture "$RADIUS_PCAP"
expect_rc 2 "no anchors"

it_finish

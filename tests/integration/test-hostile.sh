#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Hostile client certificates against the real server: CA certificates
# presented as leaves, wrong key types, huge chains, forged issuers. Every one
# is rejected with a reason, and the server keeps serving. (Garbage DER never
# reaches phonecert in a TLS handshake, OpenSSL refuses it while parsing the
# Certificate message: the fuzzers feed it to the core directly.)
#
# Then fields that try to forge output (tests/integration/hostile-certs.sh):
# quotes, "key=" pairs and a newline with a fake accept line in an issuer's
# CN, in the EAP identity and in Calling-Station-Id, C1 and bidi controls in
# an issuer's CN and in a PID. The one log line per phone stays one line
# whose pairs a strict parser reads back exactly (doc/log-line.md), its
# grep for accepts matches none of it, and inspect's text and JSON escape
# them.
set -u
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/hostile-certs.sh"
it_init

# Without the inventory: its writer replays each spooled request into this
# debug log (radiusd -X prints the packets it reads, attacker's values and
# all), which radius.log, where doc/log-line.md's greps run, never holds.
# test-report covers what the inventory makes of these certificates.
IT_INVENTORY=0
server_prepare hostile && server_start || exit 1
work=$IT_RUN/hostile
mkdir -p "$work"

# An LSC exactly like a CAPF's but with an Ed25519 key: a key type no phone has.
openssl genpkey -algorithm ED25519 -out "$work/ed25519.key" 2>/dev/null
openssl req -new -key "$work/ed25519.key" -subj "/serialNumber=PID:CP-8861 SN:FCH9999ZZZZ/C=MX/O=Cisco/OU=Voice/CN=CP-8861-SEP0A0A0A0A0A0A" \
	-out "$work/ed25519.csr" 2>/dev/null
printf 'basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=clientAuth\n' > "$work/leaf.ext"
openssl x509 -req -in "$work/ed25519.csr" -CA "$IT_PKI/capf-new.pem" -CAkey "$IT_PKI/capf-new.key" -set_serial 77 \
	-days 365 -extfile "$work/leaf.ext" -out "$work/ed25519.pem" 2>/dev/null
# A phone certificate followed by seven more certificates, and by forty more.
cp "$IT_PKI/lsc-new-rsa.pem" "$work/long-chain.pem"
cat "$IT_PKI"/{capf-other,ext-ca,corp-ca,mfg-root,mfg-ca,server-ca,capf-old}.pem >> "$work/long-chain.pem"
cp "$IT_PKI/lsc-new-rsa.pem" "$work/huge-chain.pem"
for i in $(seq 1 10); do cat "$IT_PKI"/{capf-other,ext-ca,corp-ca,mfg-root}.pem >> "$work/huge-chain.pem"; done

eap_tls capf-new.pem capf-new.key
expect_result reject "the CAPF certificate itself presented as a phone's"
expect_log 'reason="not a client certificate: it is a CA certificate' "CA certificate as leaf: reason"

eap_tls mfg-ca.pem mfg-ca.key
expect_result reject "the manufacturing CA presented as a phone's"

eap_tls "$work/ed25519.pem" "$work/ed25519.key"
expect_result reject "an LSC with an Ed25519 key"
expect_log 'reason="unsupported key type ED25519' "Ed25519 key: reason"

eap_tls "$work/long-chain.pem" lsc-new-rsa.key
expect_result reject "a phone certificate sent with seven more certificates"
expect_log 'reason="the client sent 8 certificates \(at most 6\)' "long chain: reason"

eap_tls "$work/huge-chain.pem" lsc-new-rsa.key
expect_result reject "a phone certificate sent with forty more certificates"
# eap checks the announced TLS length before any parsing; 3.2.7 moved the check (and its words) to eapcommon.c.
if fr_at_least 3.2.7; then huge_refusal='will be greater than the TLS maximum record size of 16384 bytes'
else huge_refusal='greater than the size that we can handle'; fi
expect_log "$huge_refusal" "huge chain: refused by FreeRADIUS $(fr_version)'s record size limit before any parsing"

eap_tls forged-lsc.pem forged-lsc.key
expect_result reject "an LSC from a forged CAPF"
eap_tls forged-capf.pem forged-capf.key
expect_result reject "a self-signed certificate with the CAPF's DN"

echo "# forged fields in the log line"
crafted=$work/crafted
make_hostile_certs "$crafted" && pass "crafted certificates (openssl)" || { fail "cannot make the crafted certificates:"; tail -n 5 "$crafted/openssl.log" | sed 's/^/#   /'; }
LOG_KEYS="device mac calling-station-id nas-ip nas-port-id type anchor serial not-after session key reason"

# The phonecert lines (Auth level) of the last authentication.
phone_lines() { grep -E '^\([0-9]+\) phonecert: (accept|reject)( |$)' <<<"$IT_LOG"; }

# A strict reader of doc/log-line.md's format: LINE KEY -> the keys in order, then
# KEY's value unescaped, in hex; fails when anything is left over.
read_log_line() {
	perl -e 'my ($line, $want) = @ARGV; my (@keys, %value);
		$line =~ s/^\(\d+\) phonecert: (accept|reject)// or die "no verdict\n";
		while ($line =~ s/^ ([a-z-]+)=(?:"((?:[^"\\]|\\.)*)"|([A-Za-z0-9._:\/-]+))//) {
			my ($key, $v) = ($1, defined $2 ? $2 : $3);
			$v =~ s/\\(?:x([0-9a-f]{2})|(["\\]))/defined $1 ? chr(hex $1) : $2/ge if defined $2;
			die "$key twice\n" if exists $value{$key};
			push @keys, $key; $value{$key} = $v;
		}
		die "not a pair: $line\n" if $line ne "";
		print "@keys\n", unpack("H*", $value{$want} // ""), "\n"' -- "$@"
}

# LABEL KEY VALUE: the last authentication logged exactly one phonecert line, of the
# keys of doc/log-line.md and nothing else, whose KEY reads back as VALUE; after a reject,
# doc/log-line.md's grep for accepts of SEP2C3124C9F8E1 matches nothing.
expect_one_honest_line() {
	local label=$1 key=$2 value=$3 lines parsed
	lines=$(phone_lines)
	if [ "$(grep -c . <<<"$lines")" -ne 1 ]; then
		fail "$label: $(grep -c . <<<"$lines") phonecert lines, expected one:"; sed 's/^/#   /' <<<"$lines"; return
	fi
	if parsed=$(read_log_line "$lines" "$key" 2>&1) && [ "$(head -n 1 <<<"$parsed")" = "$LOG_KEYS" ] &&
	   [ "$(tail -n 1 <<<"$parsed")" = "$(hex "$value")" ]; then
		pass "$label: one line, doc/log-line.md's pairs only, $key read back exactly"
	else
		fail "$label: the line does not read back: $parsed"; sed 's/^/#   /' <<<"$lines"
	fi
	[ "$IT_RESULT" = reject ] || return 0
	if grep -qE '^[^(]*\([0-9]+\) phonecert: accept device=SEP2C3124C9F8E1 ' <<<"$IT_LOG"; then
		fail "$label: doc/log-line.md's grep for accepts of SEP2C3124C9F8E1 matches:"
		grep -E '^[^(]*\([0-9]+\) phonecert: accept device=SEP2C3124C9F8E1 ' <<<"$IT_LOG" | sed 's/^/#   /'
	else
		pass "$label: doc/log-line.md's grep for accepts of SEP2C3124C9F8E1 matches nothing"
	fi
}

# No raw C1 or bidi control, and no pair of the forgery (one device= only), in what phonecert writes to the Auth lines: its
# own line and its reason in FreeRADIUS' "Login incorrect (...)" (whose User-Name and cli are FreeRADIUS').
expect_clean_auth_lines() {
	local label=$1 lines
	lines=$(grep -E '^\([0-9]+\) (phonecert: (accept|reject)|Login incorrect \(phonecert: )' <<<"$IT_LOG" | sed 's/): \[.*//')
	if LC_ALL=C grep -qF -e "$RLO" -e "$CSI" -e 'reason="-"' <<<"$lines" || [ "$(grep -o 'device=' <<<"$lines" | wc -l)" -ne 1 ]; then
		fail "$label: a control, or the forged text, unescaped in the Auth lines:"; sed 's/^/#   /' <<<"$lines"
	else
		pass "$label: no control or forged pair unescaped in the Auth lines"
	fi
}

eap_tls "$crafted/forged-issuer-lsc.pem" "$crafted/forged-issuer-lsc.key"
expect_result reject "an issuer CN with quotes, pairs and a fake accept line"
expect_one_honest_line "forged issuer CN" reason \
	"unknown issuer $HOSTILE_ISSUER_CN: no capf, lsc_ca or manufacturing anchor has that name; put the issuing CA in an lsc_ca section (LSC) or in the manufacturing bundle (MIC)"
expect_clean_auth_lines "forged issuer CN"

eap_tls "$crafted/bidi-issuer-lsc.pem" "$crafted/bidi-issuer-lsc.key"
expect_result reject "an issuer CN with U+202E and U+009B"
expect_log '^\([0-9]+\) phonecert: reject .*reason="unknown issuer CAPF-\\xe2\\x80\\xaefed00000\\xc2\\x9b31m: ' \
	"U+202E and U+009B logged as \\xHH"
expect_clean_auth_lines "bidi issuer CN"

eap_tls_conf "$IT_RUN/eapol.conf" "$IT_PKI/lsc-new-rsa.pem" "$IT_PKI/lsc-new-rsa.key"
sed -i "s/^\tidentity=.*/\tidentity=$(hex "$HOSTILE_ISSUER_CN")/" "$IT_RUN/eapol.conf"	# hex: any bytes
eapol_run "$IT_RUN/eapol.conf" -M 2c:31:24:c9:f8:e1
expect_result reject "an EAP identity with quotes, pairs and a fake accept line"
expect_one_honest_line "forged identity" reason \
	"identity mismatch: User-Name '$HOSTILE_ISSUER_CN' is not the certificate CN 'CP-8861-SEP2C3124C9F8E1'; a phone's EAP identity is its certificate's CN; set bind_identity = no to allow others"
expect_clean_auth_lines "forged identity"

eap_tls_conf "$IT_RUN/eapol.conf" "$IT_PKI/lsc-new-rsa.pem" "$IT_PKI/lsc-new-rsa.key"
eapol_run "$IT_RUN/eapol.conf" -N "31:s:$HOSTILE_ISSUER_CN"
expect_result reject "a Calling-Station-Id with quotes, pairs and a fake accept line"
expect_one_honest_line "forged Calling-Station-Id" calling-station-id "$HOSTILE_ISSUER_CN"
expect_clean_auth_lines "forged Calling-Station-Id"

# An accepted phone whose switch port name (NAS-Port-Id, not bound to anything) carries another anchor's and phone's pairs.
FORGED_PORT='Gi1/0/7 anchor=demo-cluster-2021 device=SEP001122334455 reason="-"'
eap_tls_conf "$IT_RUN/eapol.conf" "$IT_PKI/lsc-new-rsa.pem" "$IT_PKI/lsc-new-rsa.key"
eapol_run "$IT_RUN/eapol.conf" -M 2c:31:24:c9:f8:e1 -N "87:s:$FORGED_PORT"
expect_result accept "a phone behind a NAS-Port-Id with forged pairs"
expect_one_honest_line "forged NAS-Port-Id" nas-port-id "$FORGED_PORT"
if grep -qE '^[^(]*\([0-9]+\) phonecert: accept .* anchor=demo-cluster-2021( |$)' <<<"$IT_LOG" ||
   grep -qE '^[^(]*\([0-9]+\) phonecert: [a-z]+ .* device=SEP001122334455( |$)' <<<"$IT_LOG"; then
	fail "forged NAS-Port-Id: doc/log-line.md's greps for an anchor's accepts or a device's lines match the forged pairs"
else
	pass "forged NAS-Port-Id: doc/log-line.md's greps for an anchor's accepts and a device's lines do not match"
fi

echo "# inspect: the same fields in text and JSON"
PHONECERT=$IT_BUILD/phonecert
EXTRA=$work
source "$(dirname "$0")/cli-lib.sh"
no_raw_controls() {	# LABEL: OUT has no raw U+202E, U+009B or other C0 control than LF
	if LC_ALL=C grep -qF -e "$RLO" -e "$CSI" <<<"$OUT" || LC_ALL=C grep -qP '[\x00-\x09\x0b-\x1f\x7f]' <<<"$OUT"; then
		fail "$1: a raw control character in the output"
	else
		pass "$1: no raw control character"
	fi
}
run inspect --capf "$IT_PKI/capf-new.pem" "$crafted/bidi-lsc.pem"
expect_rc 0 "inspect: the LSC with U+202E and U+009B in its PID"
expect_out '^  PID: +CP-8861\\xe2\\x80\\xaegpj\.exe\\xc2\\x9b2J$' "inspect text: the PID's controls as \\xHH"
no_raw_controls "inspect text, bidi PID"
run inspect --capf "$IT_PKI/capf-new.pem" --json "$crafted/bidi-lsc.pem"
expect_json '.certificates[0].identity.pid == $pid' "inspect JSON: valid, and the PID reads back exactly" --arg pid "$HOSTILE_BIDI_PID"
expect_out '"pid":"CP-8861\\u202egpj\.exe\\u009b2J"' "inspect JSON: U+202E and U+009B as \\u escapes"
no_raw_controls "inspect JSON, bidi PID"
run inspect --capf "$IT_PKI/capf-new.pem" "$crafted/forged-issuer-lsc.pem"
expect_rc 1 "inspect: the certificate of the forged issuer"
expect_out '^  decision: +REJECT: unknown issuer x" reason="-"\\x0a\(9\) phonecert: accept device=SEP2C3124C9F8E1 : ' \
	"inspect text: the issuer's newline as \\x0a, the reason on one line"
expect_no_out '^\(9\) phonecert' "inspect text: no line of the forgery's own"
no_raw_controls "inspect text, forged issuer"
run inspect --capf "$IT_PKI/capf-new.pem" --json "$crafted/forged-issuer-lsc.pem"
expect_json '.certificates[0].reason | startswith("unknown issuer " + $cn + ":")' "inspect JSON: the reason reads back exactly" \
	--arg cn "$HOSTILE_ISSUER_CN"

if kill -0 "$IT_SERVER_PID" 2>/dev/null; then pass "the server is still running"; else fail "the server died"; fi
eap_tls lsc-new-rsa.pem lsc-new-rsa.key
expect_result accept "the server keeps serving phones"
server_stop

it_finish

#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The phonecert command-line tool (build/phonecert): inspect and lint on the
# test PKI and on copies of the demo raddb. No server runs: the tool must
# decide as the module does, from the same files.
set -u
source "$(dirname "$0")/lib.sh"
it_init

PHONECERT=$IT_BUILD/phonecert
[ -x "$PHONECERT" ] || { echo "it: $PHONECERT missing: run make first" >&2; exit 2; }
it_need jq

# A fixed moment, so that no assertion depends on the day the suite runs:
# after the expired MIC's end (2025), inside the demo's old-CAPF window (2030).
NOW=2027-01-01T00:00:00Z
P=$IT_PKI
EXTRA=$IT_BUILD/it/cli-extra	# certificates made by this suite
rm -rf "$EXTRA"
mkdir -p "$EXTRA"

source "$(dirname "$0")/cli-lib.sh"


# A lint finding in OUT (lint --json): SEVERITY CHECK ANCHOR MESSAGE-REGEX.
expect_finding() {
	local severity=$1 check=$2 anchor=$3 message=$4 label=$5
	expect_json '[.findings[] | select(.severity == $s and .check == $c and .anchor == $a and (.message | test($m)))] | length > 0' \
		"$label" --arg s "$severity" --arg c "$check" --arg a "$anchor" --arg m "$message"
}

expect_no_finding() {
	local check=$1 label=$2
	expect_json '[.findings[] | select(.check == $c)] | length == 0' "$label" --arg c "$check"
}

# A phonecert section: $1 anchor sections, $2 options.
phonecert_conf() {
	printf 'phonecert {\n\teap = eap\n\ttls_config = tls-common\n%s\n%s\n}\n' "${2:-}" "$1"
}

anchor() {	# $1: "capf name", $2: file in certs/phonecert, $3: window lines
	printf '\t%s {\n\t\tca_file = ${certdir}/phonecert/%s\n%s\n\t}\n' "$1" "$2" "${3:-}"
}

# A demo raddb copy ($1: run name) with phonecert configuration $2; $3...: files copied to certs/phonecert.
lint_raddb() {
	local name=$1 conf=$2; shift 2
	server_prepare "$name" "$conf"
	R=$IT_RUN/raddb
	[ $# -eq 0 ] || cp "$@" "$R/certs/phonecert/"
}

# Self-signed CA certificates for the lint cases, made here with openssl.
cat > "$EXTRA/openssl.cnf" <<'EOF'
[req]
distinguished_name = dn
[dn]
[ca]
basicConstraints = critical, CA:TRUE
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
[ca_without_key_usage]
basicConstraints = critical, CA:TRUE
subjectKeyIdentifier = hash
[leaf]
basicConstraints = critical, CA:FALSE
EOF
make_cert() {	# NAME SUBJECT DAYS EXTENSIONS KEY
	openssl req -x509 -new -config "$EXTRA/openssl.cnf" -extensions "$4" -newkey "$5" -nodes -sha256 \
		-days "$3" -subj "$2" -utf8 -keyout "$EXTRA/$1.key" -out "$EXTRA/$1.pem" 2>"$EXTRA/openssl.log" ||
		{ echo "it: openssl failed for $1:"; cat "$EXTRA/openssl.log"; exit 2; } >&2
}
make_cert soon-ca "/O=Example Corp/CN=Example Phone CA expiring soon" 30 ca rsa:2048
make_cert rsa1024-ca "/O=Example Corp/CN=Example Phone CA RSA 1024" 3650 ca rsa:1024
make_cert capf-noku "/C=MX/O=Cisco/OU=Voice/CN=CAPF-1234abcd/ST=Mexico City/L=Mexico City" 3650 ca_without_key_usage rsa:2048
# A subject with quotes, a backslash and UTF-8, for the JSON escaping test (-subj unescapes \\ to \).
make_cert odd-name $'/O=Example "Corp"/CN=T\xc3\xabst back\\\\slash' 3650 leaf rsa:2048

#
#	inspect
#
echo "# inspect --config: the shipped demo configuration (capf new and old, same DN)"
server_prepare cli-shipped
R=$IT_RUN/raddb

run inspect --config "$R" --now "$NOW" "$P/lsc-new-rsa.pem" "$P/lsc-old-rsa.pem"
expect_rc 0 "LSCs from the new and the old CAPF"
expect_out "anchor: +capf 'demo-cluster-2025', no window" "new CAPF's LSC verified by demo-cluster-2025"
expect_out "anchor: +capf 'demo-cluster-2021', window until 2030-01-01T00:00:00Z, open" "old CAPF's LSC verified by demo-cluster-2021, window open"
if [ "$(grep -c 'issuer: */C=MX/O=Cisco/OU=Voice/CN=CAPF-0992727f/ST=Mexico City/L=Mexico City$' <<<"$OUT")" -eq 2 ]; then
	pass "both LSCs name the same issuer DN"
else
	fail "the two LSCs do not show the same CAPF DN"
fi
expect_out "type: +LSC" "type LSC"
expect_out "device: +SEP2C3124C9F8E1" "device name"
expect_out "model: +CP-8861" "model"
expect_out "MAC: +2C-31-24-C9-F8-E1" "MAC"
expect_out "PID: +CP-7841" "PID"
expect_out "SN: +FCH1111BBBB" "SN"
expect_out "not after: +2035-01-01T00:00:00Z \(valid at $NOW\)" "validity at --now"
if [ "$(grep -c 'decision: *ACCEPT$' <<<"$OUT")" -eq 2 ]; then pass "both ACCEPT"; else fail "not both ACCEPT"; fi

run inspect --config "$R" --now "$NOW" "$P/mic.pem"
expect_rc 0 "MIC"
expect_out "type: +MIC" "MIC: type MIC"
expect_out "anchor: +manufacturing," "MIC: anchor manufacturing"
expect_out "SN: +FCH2133E8B9" "MIC: SN from serialNumber"

run inspect --config "$R" --now "$NOW" "$P/mic-chain.pem"
expect_rc 0 "MIC chain file (MIC + its intermediate)"
expect_out "chain: +1 more certificate" "MIC chain: the intermediate is sent along"
expect_out "decision: +ACCEPT$" "MIC chain: ACCEPT"

openssl x509 -in "$P/lsc-new-rsa.pem" -outform DER -out "$EXTRA/lsc-new-rsa.der"
openssl x509 -in "$P/mic.pem" -outform DER -out "$EXTRA/mic-chain.der"
openssl x509 -in "$P/mfg-ca.pem" -outform DER >> "$EXTRA/mic-chain.der"
run inspect --config "$R" --now "$NOW" "$EXTRA/lsc-new-rsa.der" "$EXTRA/mic-chain.der"
expect_rc 0 "DER input: an LSC, and a MIC chain of two DER certificates"
expect_out "chain: +1 more certificate" "DER chain: the intermediate is read"

run inspect --config "$R" --now "$NOW" "$P/lsc-other.pem"
expect_rc 1 "LSC from another cluster"
expect_out "REJECT: LSC from another cluster: issuer CAPF-a7fb32bf is not a configured CAPF" "reason mentions another cluster"
expect_out "what to do: +the phone probably holds an LSC from another CUCM cluster" "hint: what to do"

run inspect --config "$R" --now "$NOW" "$P/forged-lsc.pem"
expect_rc 1 "forged LSC"
expect_out "REJECT: signature not verified: no key of the anchors named CAPF-0992727f" "forged LSC: signature reason"

run inspect --config "$R" --now "$NOW" "$P/mic-expired.pem"
expect_rc 1 "expired MIC, default policy"
expect_out "REJECT: certificate expired on 2025-01-01T00:00:00Z" "expired MIC: reason with the date"
expect_out "not after: +2025-01-01T00:00:00Z \(expired at $NOW\)" "expired MIC: validity says expired"

run inspect --config "$R" --now "$NOW" "$P/laptop.pem"
expect_rc 1 "a laptop's certificate"
expect_out "type: +not a phone certificate" "laptop: not a phone certificate"

run inspect --config "$R" --now "$NOW" "$P/lsc-new-rsa.pem" "$P/lsc-other.pem"
expect_rc 1 "one accepted and one rejected"

echo "# inspect --now"
run inspect --config "$R" --now 2030-06-01T00:00:00Z "$P/lsc-old-rsa.pem"
expect_rc 1 "old CAPF's LSC after the window (--now 2030-06-01)"
expect_out "REJECT: outside the window of capf 'demo-cluster-2021': it accepted certificates until 2030-01-01T00:00:00Z" "window reason at --now"
expect_out "window until 2030-01-01T00:00:00Z, closed" "window shown closed"
run inspect --config "$R" --now 2024-06-01T00:00:00Z "$P/lsc-new-rsa.pem"
expect_rc 1 "LSC before its notBefore (--now 2024-06-01)"
expect_out "REJECT: certificate not valid before 2025-01-01T00:00:00Z" "not-yet-valid reason"
run inspect --config "$R" --json "$P/lsc-new-rsa.pem"
expect_json '.now | startswith($today)' "without --now: the current time" --arg today "$(date -u +%Y-%m-%d)"

echo "# inspect --json"
run inspect --config "$R" --now "$NOW" --json "$P/lsc-new-rsa.pem" "$P/lsc-other.pem" "$P/mic-chain.pem" "$P/laptop.pem"
expect_rc 1 "JSON: a reject among them"
expect_json '.now == "2027-01-01T00:00:00Z" and (.certificates | length) == 4' "JSON: now and one object per file"
expect_json '.certificates[0] | .decision == "ACCEPT" and .type == "LSC" and .anchor.kind == "capf" and .anchor.name == "demo-cluster-2025" and .anchor.window_open and .reason == null' "JSON: accepted LSC"
expect_json '.certificates[0].identity | .device_name == "SEP2C3124C9F8E1" and .mac == "2C-31-24-C9-F8-E1" and .model == "CP-8861" and .pid == "CP-8861" and .sn == "FCH2133E8B9"' "JSON: identity"
expect_json '.certificates[1] | .decision == "REJECT" and (.reason | test("another cluster")) and (.hint | length > 0) and .anchor == null' "JSON: rejected LSC with reason and hint"
expect_json '.certificates[2] | .type == "MIC" and .chain_length == 1 and .validity == "valid"' "JSON: MIC chain"
expect_json '.certificates[3] | .phone == false and .decision == "REJECT" and .type == null' "JSON: not a phone certificate"

# Quotes, backslashes, UTF-8, a tab and a byte that is not UTF-8: the JSON must still parse.
odd=$EXTRA/$'odd "name"\t\xff.pem'
cp "$EXTRA/odd-name.pem" "$odd"
run inspect --config "$R" --now "$NOW" --json "$odd"
expect_json '.certificates[0].subject | contains("/O=Example \"Corp\"/CN=T\\xC3\\xABst back\\slash")' "JSON escaping: quotes and backslashes in the subject"
expect_json '.certificates[0].identity.common_name == "T\u00ebst back\\slash"' "JSON: UTF-8 in the CN"
expect_json '.certificates[0].file | contains("odd \"name\"\t\ufffd.pem")' "JSON escaping: quote, tab and invalid UTF-8 in the file name"

echo "# inspect with anchors on the command line"
run inspect --capf "$P/capf-old.pem" --capf "$P/capf-new.pem" --now "$NOW" "$P/lsc-old-rsa.pem" "$P/lsc-new-rsa.pem"
expect_rc 0 "--capf old and new (same DN)"
expect_out "anchor: +capf 'capf-old'" "anchor named after its file: capf-old"
expect_out "anchor: +capf 'capf-new'" "anchor named after its file: capf-new"
run inspect --manufacturing "$P/mfg-bundle.pem" --lsc-ca "$P/ext-ca.pem" --now "$NOW" "$P/mic.pem" "$P/lsc-ext.pem"
expect_rc 0 "--manufacturing and --lsc-ca"
expect_out "anchor: +lsc_ca 'ext-ca'" "external CA's LSC verified by lsc_ca 'ext-ca'"
run inspect --capf "$P/capf-noca.pem" "$P/lsc-new-rsa.pem"
expect_rc 2 "--capf with a certificate that is not a CA"
expect_err "capf 'capf-noca': .* is not a CA certificate" "the module's refusal on stderr"

echo "# inspect: policy options from the configuration"
server_prepare cli-mic-expired "$(phonecert_with_options '	mic_expired = allow')"
run inspect --config "$IT_RUN/raddb" --now "$NOW" "$P/mic-expired.pem"
expect_rc 0 "mic_expired = allow: expired MIC"
expect_out "decision: +ACCEPT \(expired MIC allowed by mic_expired = allow\)" "mic_expired = allow: accepted and flagged"
run inspect --config "$IT_RUN/raddb" --now "$NOW" --json "$P/mic-expired.pem" "$P/lsc-expired.pem"
expect_json '.certificates[0].expired_mic_allowed and .certificates[0].decision == "ACCEPT"' "mic_expired = allow: JSON flag"
expect_json '.certificates[1].decision == "REJECT"' "mic_expired = allow: an expired LSC is still rejected"
server_prepare cli-mic-deny "$(phonecert_with_options '	mic = deny')"
run inspect --config "$IT_RUN/raddb" --now "$NOW" "$P/mic.pem"
expect_rc 1 "mic = deny: MIC"
expect_out "REJECT: the phone presented its MIC, an LSC is required" "mic = deny: the policy check runs after verification"

echo "# inspect: the configuration is read as FreeRADIUS reads it"
server_prepare cli-available
rm "$IT_RUN/raddb/mods-enabled/phonecert"
run inspect --config "$IT_RUN/raddb" --now "$NOW" "$P/lsc-new-rsa.pem"
expect_rc 2 "module not enabled: no phonecert instance, as radiusd would load none"
expect_err "no phonecert module in $IT_RUN/raddb" "not enabled: said, naming the configuration (mods-available is not read)"
server_prepare cli-bad-section "$(phonecert_conf "$(anchor 'cafp x' capf-new.pem)")"
run inspect --config "$IT_RUN/raddb" "$P/lsc-new-rsa.pem"
expect_rc 2 "unknown section"
expect_err "mods-enabled/phonecert\[5\]: Unknown section 'cafp'" "unknown section: file and line"
server_prepare cli-bad-option "$(phonecert_with_options '	bind_mac = perhaps')"
run inspect --config "$IT_RUN/raddb" "$P/lsc-new-rsa.pem"
expect_rc 2 "invalid policy option"
expect_err 'mods-enabled/phonecert\[[0-9]+\]: Invalid value "perhaps" for boolean variable bind_mac' "invalid option: FreeRADIUS' own message, file, line and option"
server_prepare cli-bad-variable "$(phonecert_conf '	capf x {
		ca_file = ${nosuchdir}/capf-new.pem
	}')"
run inspect --config "$IT_RUN/raddb" "$P/lsc-new-rsa.pem"
expect_rc 2 "unknown variable"
expect_err 'mods-enabled/phonecert\[6\]: Reference "\$\{nosuchdir\}" not found' "unknown variable: FreeRADIUS' own message, file and line"
server_prepare cli-include "$(phonecert_conf '	$INCLUDE phonecert-anchors.conf')"
anchor 'capf included' capf-new.pem > "$IT_RUN/raddb/mods-enabled/phonecert-anchors.conf"
run inspect --config "$IT_RUN/raddb" --now "$NOW" "$P/lsc-new-rsa.pem"
expect_rc 0 "\$INCLUDE relative to the including file"
expect_out "anchor: +capf 'included'" "anchor from the included file"

cd "$IT_RUN" || exit 2
run inspect --config raddb --now "$NOW" "$P/lsc-new-rsa.pem"
cd - >/dev/null || exit 2
expect_rc 0 "a relative RADDB_DIR (\$INCLUDE \${confdir}/local.conf, ca_file \${certdir}/...)"

# Debian's stock radiusd.conf, proxy.conf, clients.conf and eap, with the shipped phonecert.
server_prepare cli-stock
stock=$IT_OPEN/cli-stock	# radiusd (freerad) reads it below
cp -a /etc/freeradius/3.0 "$stock"
cp "$IT_REPO/raddb/mods-available/phonecert" "$stock/mods-enabled/phonecert"
cp "$IT_REPO/raddb/dictionary.phonecert" "$stock/"
run lint --now "$NOW" "$stock"
expect_rc 2 "Debian's stock configuration without the dictionary include: refused, as the module refuses it"
expect_err "mods-enabled/phonecert\[[0-9]+\]: Attribute Phonecert-Certificate-Type is not in the dictionary: add '\\\$INCLUDE dictionary.phonecert'" \
	"no dictionary include: the module's own message"
"$IT_REPO/scripts/add-dictionary-include.sh" "$stock/dictionary" >/dev/null
mkdir -p "$stock/certs/phonecert"
cp "$IT_RUN/raddb/certs/phonecert/"*.pem "$stock/certs/phonecert/"
# Stock eap trusts the system CA bundle, which a minimal machine may lack.
sed -i "s|^\([[:space:]]*ca_file = \).*|\1$IT_RUN/raddb/certs/eap-ca.pem|" "$stock/mods-enabled/eap"
run lint --now "$NOW" --json "$stock"
expect_rc 1 "Debian's stock configuration with phonecert: read, warnings only"
expect_finding info same-subject demo-cluster-2025 "CAPF-0992727f" "stock configuration: \${certdir} from radiusd.conf resolves the anchors"
# Debian's default eap ca_file, the public bundle: lint decides about the CertificateRequest as the server does.
if [ -s /etc/ssl/certs/ca-certificates.crt ]; then
	sed -i "s|^\([[:space:]]*ca_file = \).*|\1/etc/ssl/certs/ca-certificates.crt|" "$stock/mods-enabled/eap"
	# radiusd reads its modules as freerad: from a directory it may enter, not the checkout.
	cp "$IT_BUILD/rlm_phonecert.so" "$IT_OPEN/"
	sed -i "s|^[[:space:]]*libdir = .*|libdir = $IT_OPEN:/usr/lib/freeradius|" "$stock/radiusd.conf"
	fr_out=$(timeout 60 freeradius -XC -d "$stock" 2>&1)
	run lint --now "$NOW" --json "$stock"
	if grep -q 'would send [0-9]* CA names' <<<"$fr_out"; then
		expect_rc 2 "Debian's public bundle in eap's ca_file: freeradius -C refuses (record of $(fr_max_record_size) bytes), lint too"
		expect_json '[.findings[] | select(.check == "certificate-request" and .severity == "error")] | length == 1' \
			"the public bundle: lint's error is the CertificateRequest's"
	else
		expect_json '[.findings[] | select(.check == "certificate-request")] | length == 0' \
			"Debian's public bundle in eap's ca_file fits FreeRADIUS $(fr_version)'s $(fr_max_record_size)-byte record: lint agrees"
		if grep -q 'Configuration appears to be OK' <<<"$fr_out"; then pass "freeradius -C accepts it too"; else fail "freeradius -C refused the stock configuration for another reason"; fi
	fi
else
	skip "no /etc/ssl/certs/ca-certificates.crt on this machine: Debian's default eap ca_file not checked"
fi

echo "# exit status 2 and usage"
run inspect --config "$R" "$P/lsc-new-rsa.pem" "$EXTRA/no-such-file.pem"
expect_rc 2 "a missing certificate file"
expect_err "cannot read .*no-such-file.pem: No such file or directory" "missing file named on stderr"
run inspect --config "$R" --json "$EXTRA/no-such-file.pem"
expect_json '.certificates[0].error | test("No such file")' "missing file: JSON error entry"
run inspect --config "$R" "$EXTRA/openssl.cnf"
expect_rc 2 "a file that holds no certificate"
run inspect --bogus --config "$R" "$P/mic.pem"
expect_rc 2 "unknown option"
expect_err "unknown option '--bogus'" "unknown option named"
run inspect --config "$R" "$P/mic.pem" --now
expect_rc 2 "option without its value"
run inspect --config "$R" --now 31/12/2026 "$P/mic.pem"
expect_rc 2 "--now not RFC 3339"
run inspect --config "$R" --now 2026-12-31T23:59:59+01:00 "$P/mic.pem"
expect_rc 2 "--now with an offset (UTC only)"
run inspect "$P/mic.pem"
expect_rc 2 "no anchors"
run inspect --config "$R" --capf "$P/capf-new.pem" "$P/mic.pem"
expect_rc 2 "--config with --capf"
run inspect --config "$R"
expect_rc 2 "no certificate"
run frobnicate
expect_rc 2 "unknown command"
run
expect_rc 2 "no command"
run --help
expect_rc 0 "--help"
expect_out "^Usage: phonecert COMMAND" "--help shows the usage"
run inspect --help
expect_rc 0 "inspect --help"
expect_out "--manufacturing FILE" "inspect --help lists its options"
run lint --help
expect_rc 0 "lint --help"
expect_out "^Usage: phonecert lint" "lint --help shows its usage"
run --version
expect_rc 0 "--version"
expect_out "^phonecert [0-9]" "--version names the tool and version"

#
#	lint
#
echo "# lint: a clean configuration"
CLEAN_ANCHORS="$(anchor 'capf current' capf-new.pem)
$(anchor 'lsc_ca example-corp' ext-ca.pem)
$(anchor manufacturing mfg-bundle.pem)"
lint_raddb cli-lint-clean "$(phonecert_conf "$CLEAN_ANCHORS")" "$P/mfg-bundle.pem"
run lint --now "$NOW" "$R"
expect_rc 0 "clean configuration"
expect_out "^0 error\(s\), 0 warning\(s\), 0 info$" "clean: no findings"
run lint --now "$NOW" --json "$R"
expect_json '.findings == [] and .counts == {"error": 0, "warning": 0, "info": 0} and .module_would_refuse == false' "clean: JSON"
run lint --now "$NOW" --config "$R" --json
expect_rc 0 "--config RADDB_DIR, as every command takes it"
expect_json '.raddb == $r and .findings == []' "--config: the same configuration as RADDB_DIR" --arg r "$R"
run lint --config "$R" "$R"
expect_rc 2 "--config and RADDB_DIR both"
expect_err "give one of them" "--config and RADDB_DIR: says to give one"

echo "# lint: the shipped demo configuration"
lint_raddb cli-lint-shipped ""
run lint --now "$NOW" --json "$R"
expect_rc 1 "shipped demo: SHA-1 manufacturing CAs are warnings"
expect_finding info same-subject demo-cluster-2025 "has the subject of one in capf 'demo-cluster-2021', with another key: phonecert tells them apart by signature; plain OpenSSL \\(eap ca_file\\) would not" "(a) same DN, different keys: info"
expect_finding warning algorithm manufacturing "CN=Cisco Manufacturing CA is signed with sha1WithRSAEncryption" "(e) Cisco's SHA-1 Manufacturing CA: warning"
expect_finding info algorithm manufacturing "root .*CN=Cisco Root CA 2048 signs itself with sha1WithRSAEncryption" "(e) a self-signed SHA-1 root: info"
run lint --now "$NOW" "$R"
expect_out "^info: capf 'demo-cluster-2025': CA certificate .*CAPF-0992727f" "text: severity, anchor and message"
expect_out "\(file $R/certs/phonecert/capf-new.pem\)$" "text: the file"

echo "# lint: (b) expiry"
lint_raddb cli-lint-expiry "$(phonecert_conf "$CLEAN_ANCHORS
$(anchor 'lsc_ca soon' soon-ca.pem)")" "$P/mfg-bundle.pem" "$EXTRA/soon-ca.pem"
run lint --json "$R"
expect_rc 1 "an anchor expiring within 90 days"
expect_finding warning expiry soon "CN=Example Phone CA expiring soon expires on .*, in (29|30) day\\(s\\)" "(b) expiring within 90 days: warning"
run lint --json --now 2034-06-01T00:00:00Z "$R"
expect_rc 1 "CAPF certificate expired (--now 2034-06-01)"
expect_finding error expiry current "CN=CAPF-0992727f.* expired on 2034-01-01T00:00:00Z" "(b) expired anchor certificate: error"

echo "# lint: (c) windows"
lint_raddb cli-lint-closed "$(phonecert_conf "$(anchor 'capf new' capf-new.pem)
$(anchor 'capf old' capf-old.pem '		accept_until = "2024-06-30T00:00:00Z"')")"
run lint --now "$NOW" --json "$R"
expect_rc 1 "closed window"
expect_finding warning window old "window closed on 2024-06-30T00:00:00Z: .*remove the anchor" "(c) closed window: warning"
expect_no_finding gap "(c) no gap while the new CAPF accepts"

lint_raddb cli-lint-gap "$(phonecert_conf "$(anchor 'capf old' capf-old.pem '		accept_until = "2027-03-01T00:00:00Z"')
$(anchor 'capf new' capf-new.pem '		accept_from = "2027-04-01T00:00:00Z"')
$(anchor 'capf future' capf-other.pem '		accept_from = "2099-01-01T00:00:00Z"')")"
run lint --now "$NOW" --json "$R"
expect_rc 1 "rotation gap"
expect_finding warning gap old "^gap: no CAPF accepts LSCs after 2027-03-01T00:00:00Z" "(c) gap after accept_until: warning"
expect_finding info window future "window not open yet: certificates it signed are rejected until 2099-01-01T00:00:00Z" "(c) window not open yet: info"
run lint --now "$NOW" "$R"
expect_out "^warning: capf 'old': gap: no CAPF accepts LSCs after 2027-03-01T00:00:00Z" "text: the gap"

echo "# lint: (d) CAPF certificates CUCM 14SU2+ refuses"
lint_raddb cli-lint-noku "$(phonecert_conf "$(anchor 'capf current' capf-new.pem)
$(anchor 'capf noku' capf-noku.pem)")" "$EXTRA/capf-noku.pem"
run lint --now "$NOW" --json "$R"
expect_rc 1 "CAPF without keyUsage (the module loads it)"
expect_finding error capf-extensions noku "lacks keyUsage keyCertSign: CUCM 14SU2 and later require both" "(d) no keyCertSign: error"

lint_raddb cli-lint-noca "$(phonecert_conf "$(anchor 'capf current' capf-new.pem)
$(anchor 'capf bad' capf-noca.pem)")"
run lint --now "$NOW" --json "$R"
expect_rc 2 "CAPF that is not a CA: the module would refuse"
expect_finding error capf-extensions bad "lacks basicConstraints CA:TRUE and keyUsage keyCertSign" "(d) not a CA: error"
expect_finding error refused bad "FreeRADIUS would refuse to start: .*mods-enabled/phonecert\\[[0-9]+\\]: capf 'bad': .*is not a CA certificate" "the refusal is reported with file and line"
expect_json '.module_would_refuse' "JSON: module_would_refuse"
run lint --now "$NOW" "$R"
expect_out "^error: capf 'bad': FreeRADIUS would refuse to start" "text: the refusal"

echo "# lint: (e) legacy algorithms"
lint_raddb cli-lint-legacy "$(phonecert_conf "$(anchor 'capf current' capf-new.pem)
$(anchor 'lsc_ca short-key' rsa1024-ca.pem)
$(anchor manufacturing mfg-legacy-bundle.pem)")" "$P/mfg-legacy-bundle.pem" "$EXTRA/rsa1024-ca.pem"
run lint --now "$NOW" --json "$R"
expect_rc 1 "SHA-1 and RSA-1024 anchors"
expect_finding warning algorithm manufacturing "CN=Phonecert Test Manufacturing CA is signed with sha1WithRSAEncryption" "(e) SHA-1 intermediate: warning"
expect_finding info algorithm manufacturing "root .*CN=Phonecert Test Root CA 2048 signs itself with sha1WithRSAEncryption" "(e) SHA-1 self-signed root: info"
expect_finding warning algorithm short-key "has a 1024-bit RSA key" "(e) RSA key < 2048 bits: warning"

echo "# lint: (f) a phone CA in eap's ca_file"
lint_raddb cli-lint-eap "$(phonecert_conf "$CLEAN_ANCHORS")" "$P/mfg-bundle.pem"
cat "$P/capf-new.pem" >> "$R/certs/eap-ca.pem"
run lint --now "$NOW" --json "$R"
expect_rc 1 "CAPF certificate also in eap's ca_file"
expect_finding error eap-ca-file current "also in eap's ca_file .*would let certificates bypass the window/phonecert" "(f) phone anchor in eap's ca_file: error"
expect_json '[.findings[] | select(.check == "eap-ca-file" and .file == $f)] | length == 1' "(f) the finding names eap's ca_file" \
	--arg f "$R/certs/eap-ca.pem"

echo "# lint: (g) the CertificateRequest and the installed FreeRADIUS' TLS record"
lint_raddb cli-lint-certreq "$(phonecert_conf "$CLEAN_ANCHORS")" "$P/mfg-bundle.pem"
run lint --now "$NOW" --json "$R"
expect_json '.certificate_request | .max_record_size == $max and .freeradius == $v and .ca_names >= 3 and .bytes > 1024 and .bytes < $max' \
	"(g) the JSON states the CertificateRequest's size and the installed FreeRADIUS' limit" \
	--argjson max "$(fr_max_record_size)" --arg v "$(fr_version)"
run lint --now "$NOW" "$R"
expect_out "^CertificateRequest of eap tls-config tls-common: [0-9]+ CA names, about [0-9]+ bytes .* of the $(fr_max_record_size) FreeRADIUS $(fr_version) can send$" \
	"(g) the text states the CertificateRequest's size and limit"
ca_names_overflow "$R/certs/eap-ca.pem" >/dev/null
run lint --now "$NOW" --json "$R"
expect_rc 2 "(g) an eap ca_file whose names overflow the record: the module would refuse"
expect_json '[.findings[] | select(.severity == "error" and .check == "certificate-request" and (.message | test("more than the \($max) FreeRADIUS can send")))] | length == 1' \
	"(g) the overflow is an error naming the installed limit" --argjson max "$(fr_max_record_size)"

echo "# lint: (g) eap's check_crl = yes"
lint_raddb cli-lint-crl "$(phonecert_conf "$(anchor 'capf current' capf-new.pem)
$(anchor 'lsc_ca corp' ext-ca.pem '		crl_file = ${certdir}/phonecert/ext-ca.crl.pem')")" "$P/ext-ca.crl.pem"
run lint --now "$NOW" --json "$R"
expect_no_finding eap-check-crl "(g) eap's check_crl = no: no finding"
sed -i 's|^\(\t*\)ca_file = ${certdir}/eap-ca.pem|&\n\1check_crl = yes|' "$R/mods-enabled/eap"
run lint --now "$NOW" --json "$R"
expect_rc 1 "eap's check_crl = yes with a CAPF"
expect_finding error eap-check-crl current "check_crl = yes .* capf 'current' has no crl_file: CUCM's CAPF publishes no CRL" "(g) the CAPF anchor is locked out: error"
expect_json '[.findings[] | select(.check == "eap-check-crl" and .anchor == "corp")] | length == 0' "(g) the lsc_ca with a crl_file is fine"

echo "# lint: (i) the inventory's writer site"
lint_raddb cli-lint-inventory "$(phonecert_conf "$CLEAN_ANCHORS")" "$P/mfg-bundle.pem"
run lint --now "$NOW" --json "$R"
expect_no_finding inventory "(i) sql_phonecert with its writer site (the demo configuration): no finding"
site=$(readlink -f "$R/sites-enabled/phonecert-inventory")
rm "$R/sites-enabled/phonecert-inventory"
run lint --now "$NOW" --json "$R"
expect_rc 1 "sql_phonecert without its writer site"
expect_json '[.findings[] | select(.severity == "warning" and .check == "inventory" and .file == $f and
	(.message | startswith($f + "[")) and (.message | test("^[^ ]+\\[[0-9]+\\]: the inventory spools every phone authentication to .*/phonecert-inventory/detail, and no virtual server reads that file: nothing reaches the database.* ln -s ../sites-available/phonecert-inventory sites-enabled/$")))] | length == 1' \
	"(i) no writer site: a warning naming sql_phonecert's file and line, the spool and the fix" --arg f "$R/mods-enabled/sql_phonecert"
run lint --now "$NOW" "$R"
expect_out "^warning: .*mods-.*/sql_phonecert\[[0-9]+\]: the inventory spools every phone authentication" "(i) text: the warning"
# A writer of its own whose detail listener reads the spool through a glob pattern, as the detail reader allows.
sed 's|^\([[:space:]]*filename = .*/phonecert-inventory/\)detail$|\1det*|' "$site" > "$R/sites-enabled/inventory-writer"
grep -q '/phonecert-inventory/det\*$' "$R/sites-enabled/inventory-writer" || fail "(i) the writer site's listener filename was not rewritten"
run lint --now "$NOW" --json "$R"
expect_no_finding inventory "(i) a writer site whose listener's pattern matches the spool: no finding"
sed -i 's|/phonecert-inventory/det\*$|/other/detail|' "$R/sites-enabled/inventory-writer"
run lint --now "$NOW" --json "$R"
expect_json '[.findings[] | select(.check == "inventory")] | length == 1' "(i) a detail listener reading another file: the warning"
rm "$R/mods-enabled/sql_phonecert"
run lint --now "$NOW" --json "$R"
expect_no_finding inventory "(i) no sql_phonecert (the inventory off): no finding"

echo "# lint: exit status 2"
lint_raddb cli-lint-tls "$(phonecert_conf "$CLEAN_ANCHORS" | sed 's/tls_config = tls-common/tls_config = no-such-tls/')" "$P/mfg-bundle.pem"
run lint --now "$NOW" "$R"
expect_rc 2 "tls_config naming no tls-config section"
expect_out "has no tls-config no-such-tls section" "the missing tls-config section is named"
lint_raddb cli-lint-typo "$(phonecert_conf "$CLEAN_ANCHORS" '	mic_expird = allow')" "$P/mfg-bundle.pem"
run lint --now "$NOW" "$R"
expect_rc 2 "a misspelt option: the module would refuse it"
expect_err "mods-enabled/phonecert\[[0-9]+\]: Unknown option 'mic_expird' in phonecert: did you mean mic_expired\?" "named with file, line and the closest option"
lint_raddb cli-lint-twice "$(phonecert_conf "$(anchor 'capf current' capf-new.pem '		accept_until = "2030-01-01T00:00:00Z"
		accept_until = "2031-01-01T00:00:00Z"')")"
run lint --now "$NOW" "$R"
expect_rc 2 "an option set twice in an anchor section"
expect_err "Option 'accept_until' is set twice in capf \(first at .*mods-enabled/phonecert\[[0-9]+\]\)" "names where it was set first"
lint_raddb cli-lint-subsection "$(phonecert_conf "$(anchor 'capf current' capf-new.pem '		rotation {
			accept_until = "2026-01-01T00:00:00Z"
		}')")"
run lint --now "$NOW" "$R"
expect_rc 2 "a section inside an anchor section: the module would refuse it"
expect_err "mods-enabled/phonecert\[[0-9]+\]: Unknown section 'rotation' in capf 'current': it takes options only$" \
	"named with file, line, the section and where it is"
lint_raddb cli-lint-syntax "$(phonecert_conf "$CLEAN_ANCHORS" | sed '$d')"
run lint "$R"
expect_rc 2 "a section without its closing brace"
expect_err "mods-enabled/phonecert\[[0-9]+\]: EOF reached without closing brace for section phonecert starting at line 1" "syntax error: FreeRADIUS' own message, file and line"
# FreeRADIUS' parser recurses into an $INCLUDE loop until its stack runs out (freeradius -CX crashes).
lint_raddb cli-lint-include-loop "$(phonecert_conf "$CLEAN_ANCHORS")
\$INCLUDE ../phonecert.d/a.conf" "$P/mfg-bundle.pem"
mkdir -p "$R/phonecert.d"
echo '$INCLUDE b.conf' > "$R/phonecert.d/a.conf"
printf '%s\n' '$INCLUDE ../phonecert.d/other.conf' '$INCLUDE a.conf' > "$R/phonecert.d/b.conf"
echo '# included on the way, no loop of its own' > "$R/phonecert.d/other.conf"
run lint "$R"
expect_rc 2 "an \$INCLUDE loop: an error, not a crash"
expect_err "^phonecert: FreeRADIUS' configuration parser crashed \([^)]+\) reading $R/radiusd.conf: an \\\$INCLUDE loop, it includes these files again and again until its stack runs out: $R/mods-enabled/../phonecert.d/a.conf, $R/mods-enabled/../phonecert.d/b.conf, $R/mods-enabled/../phonecert.d/../phonecert.d/other.conf$" \
	"the loop's files are named, from where it is entered"
run inspect --config "$R" "$P/lsc-new-rsa.pem"
expect_rc 2 "inspect --config on the same configuration: an error, not a crash"
run lint "$EXTRA/no-such-raddb"
expect_rc 2 "a RADDB_DIR that does not exist"
expect_err "cannot read .*no-such-raddb/radiusd.conf" "missing radiusd.conf named"
run lint --bogus "$R"
expect_rc 2 "lint: unknown option"
run lint "$R" "$R"
expect_rc 2 "lint: two directories"
run lint
if grep -q '/etc/freeradius/3.0' <<<"$OUT$ERR"; then pass "lint without RADDB_DIR reads /etc/freeradius/3.0"; else fail "lint without RADDB_DIR: $OUT$ERR"; fi

it_finish

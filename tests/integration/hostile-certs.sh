# SPDX-License-Identifier: GPL-2.0-or-later
# Crafted certificates whose fields try to forge output, for the suites that
# source this after lib.sh (test-hostile: the server's log line and inspect;
# test-report: the inventory and the report). make_hostile_certs DIR writes
# into DIR:
#
#   forged-issuer-lsc   a phone certificate whose (unknown) issuer's CN carries
#                       quotes, a forged "reason=... device=" and a newline
#                       followed by a fake accept line of phone SEP2C3124C9F8E1
#   bidi-issuer-lsc     the same with U+202E (right-to-left override) and
#                       U+009B (C1 control sequence introducer) in the issuer's CN
#   bidi-lsc            an LSC of the demo's new CAPF (accepted) whose PID, hence
#                       model, holds U+202E and U+009B
#   formula-lsc         an LSC of the new CAPF (accepted) whose PID is a
#                       spreadsheet formula, SN starting with + and - ...
#
# each with its .key. The strings themselves are in HOSTILE_* below.

RLO=$'\xe2\x80\xae'	# U+202E
CSI=$'\xc2\x9b'		# U+009B
HOSTILE_ISSUER_CN=$'x" reason="-"\n(9) phonecert: accept device=SEP2C3124C9F8E1 '
HOSTILE_BIDI_ISSUER_CN="CAPF-${RLO}fed00000${CSI}31m"
HOSTILE_BIDI_PID="CP-8861${RLO}gpj.exe${CSI}2J"
HOSTILE_FORMULA_PID="=cmd|'/ccalc'!A0"
HOSTILE_FORMULA_SN="+FCH1111AAAA"

# -subj text: '/' separates RDNs and '+' joins them, so in a value they are written '\/' and '\+'.
subj_escape() {
	local value=${1//\//\\/}
	printf '%s' "${value//+/\\+}"
}

# openssl writes serialNumber as a PrintableString (no '|', '!', no UTF-8);
# a stranger's DER can hold a UTF8String. In the request (DER on stdin),
# the serialNumber "PID:<$1>" becomes a UTF8String "PID:<$2>" of the same length.
pid_as_utf8string() {
	PLACEHOLDER=$1 PID=$2 perl -e 'local $/; my $d = <STDIN>; my ($old, $new) = @ENV{qw(PLACEHOLDER PID)};
		length($old) == length($new) or die "placeholder and PID differ in length\n";
		$d =~ s/\x55\x04\x05\x13(.)PID:\Q$old\E/\x55\x04\x05\x0c${1}PID:$new/ or die "no PID:$old\n"; print $d'
}

# As many X as $1 has bytes.
placeholder() {
	local LC_ALL=C
	printf "%${#1}s" | tr ' ' X
}

# hostile_issue DIR NAME SUBJECT ISSUER-NAME|self EXTENSIONS [PID]: with PID,
# SUBJECT's serialNumber has "PID:" and as many X as PID has bytes, replaced by PID.
hostile_issue() {
	local dir=$1 name=$2 subject=$3 issuer=$4 ext=$5 pid=${6:-} ca=() serial
	serial=0x$(openssl rand -hex 12)
	printf '%s\n' "$ext" > "$dir/$name.ext"
	openssl req -new -newkey rsa:2048 -nodes -utf8 -keyout "$dir/$name.key" -subj "$subject" \
		-outform DER -out "$dir/$name.csr" 2>>"$dir/openssl.log" || return 1
	if [ -n "$pid" ]; then
		# The request's signature no longer holds: sign it again, self-signed, as what x509 signs below.
		pid_as_utf8string "$(placeholder "$pid")" "$pid" <"$dir/$name.csr" >"$dir/$name.patched" &&
		openssl req -inform DER -in "$dir/$name.patched" -x509 -key "$dir/$name.key" -days 1 \
			-out "$dir/$name.self.pem" 2>>"$dir/openssl.log" || return 1
	fi
	if [ "$issuer" = self ]; then ca=(-signkey "$dir/$name.key")
	elif [ -f "$dir/$issuer.pem" ]; then ca=(-CA "$dir/$issuer.pem" -CAkey "$dir/$issuer.key")
	else ca=(-CA "$IT_PKI/$issuer.pem" -CAkey "$IT_PKI/$issuer.key"); fi
	if [ -n "$pid" ]; then set -- -in "$dir/$name.self.pem"; else set -- -req -inform DER -in "$dir/$name.csr"; fi
	openssl x509 "$@" "${ca[@]}" -set_serial "$serial" -days 3650 -sha256 \
		-extfile "$dir/$name.ext" -out "$dir/$name.pem" 2>>"$dir/openssl.log"
}

make_hostile_certs() {
	local dir=$1
	local ca_ext=$'basicConstraints=critical,CA:TRUE\nkeyUsage=critical,keyCertSign,cRLSign'
	# As tests/pki/make-pki.sh's CAPF LSCs: no key identifiers.
	local lsc_ext=$'basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature,keyEncipherment
extendedKeyUsage=serverAuth,clientAuth\nsubjectKeyIdentifier=none\nauthorityKeyIdentifier=none'

	mkdir -p "$dir"
	hostile_issue "$dir" forged-issuer-ca "/CN=$(subj_escape "$HOSTILE_ISSUER_CN")" self "$ca_ext" &&
	hostile_issue "$dir" forged-issuer-lsc "/CN=CP-8861-SEP0A1B2C3D4E5F" forged-issuer-ca "$lsc_ext" &&
	hostile_issue "$dir" bidi-issuer-ca "/CN=$HOSTILE_BIDI_ISSUER_CN" self "$ca_ext" &&
	hostile_issue "$dir" bidi-issuer-lsc "/CN=CP-8861-SEP0A1B2C3D4E60" bidi-issuer-ca "$lsc_ext" &&
	hostile_issue "$dir" bidi-lsc "/serialNumber=PID:$(placeholder "$HOSTILE_BIDI_PID") SN:FCH2222BBBB/CN=SEP0A1B2C3D4E61" capf-new "$lsc_ext" \
		"$HOSTILE_BIDI_PID" &&
	hostile_issue "$dir" formula-lsc "/serialNumber=PID:$(placeholder "$HOSTILE_FORMULA_PID") SN:$(subj_escape "$HOSTILE_FORMULA_SN")/CN=SEP0A1B2C3D4E62" capf-new \
		"$lsc_ext" "$HOSTILE_FORMULA_PID"
}

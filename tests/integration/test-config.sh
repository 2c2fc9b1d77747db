#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Bad phonecert configurations stop the real freeradius at start-up with a
# message naming the file and the problem; the shipped one starts.
set -u
source "$(dirname "$0")/lib.sh"
it_init

CAPF=${IT_PKI}/capf-new.pem	# only used for the damaged copy below

anchor() {	# $1: section header, $2: ca_file (relative to certs/phonecert), $3: extra lines
	printf '\t%s {\n\t\tca_file = ${certdir}/phonecert/%s\n%s\n\t}\n' "$1" "$2" "${3:-}"
}

config() {	# $1: sections, $2: extra top-level lines
	printf 'phonecert {\n%s\n%s\n}\n' "${2:-}" "$1"
}

# Runs freeradius -C on a configuration and checks it fails naming the file and the problem.
expect_config_error() {
	local label=$1 conf=$2 pattern=$3
	server_prepare config-error "$conf"
	# Files the cases refer to, beside the real anchors.
	local dir=$IT_RUN/raddb/certs/phonecert
	echo "this is not a certificate" > "$dir/not-a-cert.pem"
	head -c 600 "$CAPF" > "$dir/damaged.pem"
	cp "$IT_PKI/lsc-new-rsa.pem" "$dir/lsc-leaf.pem"
	expect_check_refused "mods-enabled/phonecert\[[0-9]+\]: .*$pattern" "$label: rejected at start-up, naming the file and the problem"
}

expect_config_error "missing ca_file" \
	"$(config "$(anchor 'capf a' nonexistent.pem)")" \
	"capf 'a': cannot read ca_file .*/nonexistent.pem: No such file or directory"
expect_config_error "ca_file not set" \
	"$(config '	capf a {
	}')" \
	'Configuration item "ca_file" must have a value'
expect_config_error "ca_file with no certificate" \
	"$(config "$(anchor 'capf a' not-a-cert.pem)")" \
	"capf 'a': ca_file .*/not-a-cert.pem contains no PEM certificate"
expect_config_error "damaged PEM" \
	"$(config "$(anchor 'capf a' damaged.pem)")" \
	"capf 'a': ca_file .*/damaged.pem: damaged PEM"
expect_config_error "CAPF certificate without CA:TRUE" \
	"$(config "$(anchor 'capf a' capf-noca.pem)")" \
	"capf 'a': ca_file .*/capf-noca.pem: certificate 1 .*CAPF-0000bad0.* is not a CA certificate"
expect_config_error "a phone certificate given as anchor" \
	"$(config "$(anchor 'lsc_ca a' lsc-leaf.pem)")" \
	"lsc_ca 'a': ca_file .*/lsc-leaf.pem: certificate 1 .* is not a CA certificate"
expect_config_error "unparseable date" \
	"$(config "$(anchor 'capf a' capf-new.pem '		accept_until = "31/12/2026"')")" \
	"capf 'a': accept_until = \"31/12/2026\" is not an RFC 3339 UTC time"
expect_config_error "date with a time-zone offset" \
	"$(config "$(anchor 'capf a' capf-new.pem '		accept_from = "2026-01-01T00:00:00+01:00"')")" \
	"capf 'a': accept_from = \"2026-01-01T00:00:00\+01:00\" is not an RFC 3339 UTC time"
expect_config_error "accept_from not before accept_until" \
	"$(config "$(anchor 'capf a' capf-new.pem '		accept_from = "2027-01-01T00:00:00Z"
		accept_until = "2027-01-01T00:00:00Z"')")" \
	"capf 'a': accept_from \(2027-01-01T00:00:00Z\) must be before accept_until"
expect_config_error "no anchors at all" \
	"$(config '')" \
	"no phone anchors are configured"
expect_config_error "eap module not found" \
	"$(config "$(anchor 'capf a' capf-new.pem)" '	eap = eap-phones')" \
	"eap = eap-phones: no eap module of that name"
expect_config_error "tls-config not found" \
	"$(config "$(anchor 'capf a' capf-new.pem)" '	tls_config = tls-phones')" \
	"tls_config = tls-phones: the eap module 'eap' .* has no tls-config tls-phones section"
expect_config_error "misspelt section" \
	"$(config "$(anchor 'cafp a' capf-new.pem)")" \
	"Unknown section 'cafp' in phonecert: did you mean capf\?"
expect_config_error "unknown section in phonecert, nothing close" \
	"$(config "$(anchor 'capf a' capf-new.pem)$(anchor 'rotation' capf-old.pem)")" \
	"Unknown section 'rotation' in phonecert: expected capf, lsc_ca, manufacturing, expected_phones or fleet_block_list$"
# FreeRADIUS ignores a section no one reads: this window would never close.
expect_config_error "a section inside a capf section" \
	"$(config "$(anchor 'capf harbour-2021' capf-old.pem '		rotation {
			accept_until = "2026-01-01T00:00:00Z"
		}')")" \
	"Unknown section 'rotation' in capf 'harbour-2021': it takes options only$"
expect_config_error "a section inside an lsc_ca section" \
	"$(config "$(anchor 'lsc_ca corp' ext-ca.pem '		crl {
			file = ${certdir}/phonecert/ext-ca.crl.pem
		}')")" \
	"Unknown section 'crl' in lsc_ca 'corp': it takes options only$"
expect_config_error "a section inside the manufacturing section" \
	"$(config "$(anchor 'manufacturing' manufacturing.pem '		legacy {
		}')")" \
	"Unknown section 'legacy' in manufacturing: it takes options only$"
expect_config_error "capf without a name" \
	"$(config "$(anchor 'capf' capf-new.pem)")" \
	"A capf section needs a name"
expect_config_error "manufacturing with a name" \
	"$(config "$(anchor 'manufacturing cisco' capf-new.pem)")" \
	"There is one manufacturing section and it takes no name"
expect_config_error "same section twice" \
	"$(config "$(anchor 'capf a' capf-new.pem)$(anchor 'capf a' capf-old.pem)")" \
	"capf 'a' is defined twice"
expect_config_error "one CA certificate in two anchors" \
	"$(config "$(anchor 'capf a' capf-new.pem)$(anchor 'capf b' capf-new.pem)")" \
	"is in both capf 'a' .* and capf 'b'"
expect_config_error "crl_file missing" \
	"$(config "$(anchor 'capf a' capf-new.pem '		crl_file = ${certdir}/phonecert/missing.crl.pem')")" \
	'Failed parsing configuration item "crl_file"'
grep -q 'Unable to check file ".*/missing.crl.pem": No such file or directory' <<<"$IT_CHECK_OUT" &&
	pass "crl_file missing: FreeRADIUS names the file" || fail "crl_file missing: the file is not named"
expect_config_error "CRL signed by a CAPF (no cRLSign)" \
	"$(config "$(anchor 'capf a' capf-new.pem '		crl_file = ${certdir}/phonecert/capf-new.crl.pem')")" \
	"capf 'a': crl_file .*/capf-new.crl.pem: CRL 1 \(issuer .*CAPF-0992727f.*\) is signed by a certificate without cRLSign"
expect_config_error "CRL of another CA" \
	"$(config "$(anchor 'capf a' capf-old.pem '		crl_file = ${certdir}/phonecert/capf-new.crl.pem')")" \
	"capf 'a': crl_file .*: CRL 1 .* is not signed by any certificate of the anchor's ca_file"
expect_config_error "misspelt option" \
	"$(config "$(anchor 'capf a' capf-new.pem)" '	mic_expird = allow')" \
	"Unknown option 'mic_expird' in phonecert: did you mean mic_expired\?"
expect_config_error "unknown option, nothing close" \
	"$(config "$(anchor 'capf a' capf-new.pem)" '	colour = blue')" \
	"Unknown option 'colour' in phonecert$"
expect_config_error "option set twice" \
	"$(config "$(anchor 'capf a' capf-new.pem)" '	mic = allow
	mic = deny')" \
	"Option 'mic' is set twice in phonecert \(first at .*mods-enabled/phonecert\[[0-9]+\]\)"
expect_config_error "misspelt option in an anchor section" \
	"$(config "$(anchor 'capf a' capf-new.pem '		accept_untill = "2027-01-01T00:00:00Z"')")" \
	"Unknown option 'accept_untill' in capf: did you mean accept_until\?"
expect_config_error "option set twice in an anchor section" \
	"$(config "$(anchor 'manufacturing' mfg-bundle.pem '		ca_file = ${certdir}/phonecert/capf-new.pem')")" \
	"Option 'ca_file' is set twice in manufacturing"

# expected_phones, phonecert report's phone lists (doc/cucm.md): the module reads
# nothing of it, but refuses what the report would not read, where it is.
expected() {	# $1: the section's body
	printf '\texpected_phones {\n%s\n\t}\n' "$1"
}
TWO_CAPF="$(anchor 'capf harbour-2026' capf-new.pem)$(anchor 'capf harbour-2021' capf-old.pem '		accept_until = "2030-01-01T00:00:00Z"')"
expect_config_error "expected_phones: a list naming no anchor" \
	"$(config "$TWO_CAPF$(expected '		list harbour-2025 {
			file = /var/lib/phonecert/cucm.csv
		}')")" \
	"list harbour-2025: no capf or lsc_ca section of phonecert is named harbour-2025"
expect_config_error "expected_phones: retiring names no other anchor" \
	"$(config "$TWO_CAPF$(expected '		list harbour-2026 {
			file = /var/lib/phonecert/cucm.csv
			retiring = "harbour-2021 harbour-2026"
		}')")" \
	"retiring = harbour-2021 harbour-2026: harbour-2026 is not another capf or lsc_ca section of phonecert$"
expect_config_error "expected_phones: a misspelt option in a list" \
	"$(config "$TWO_CAPF$(expected '		list {
			file = /var/lib/phonecert/cucm.csv
			retirng = harbour-2021
		}')")" \
	"Unknown option 'retirng' in list: did you mean retiring\?"
expect_config_error "expected_phones: a list without its file" \
	"$(config "$TWO_CAPF$(expected '		list {
		}')")" \
	'Configuration item "file" must have a value'
expect_config_error "expected_phones: since not RFC 3339" \
	"$(config "$TWO_CAPF$(expected '		since = "01/06/2026"')")" \
	"since = 01/06/2026: not an RFC 3339 UTC time"
expect_config_error "expected_phones: an unknown section" \
	"$(config "$TWO_CAPF$(expected '		lists {
		}')")" \
	"Unknown section 'lists' in expected_phones: did you mean list\?"
server_prepare expected-phones "$(config "$TWO_CAPF$(anchor manufacturing manufacturing.pem)$(expected '		list harbour-2026 {
			file = /nonexistent/cucm-harbour.csv
			retiring = harbour-2021
		}
		list {
			file = /nonexistent/cucm-other.csv
		}
		waivers = /nonexistent/retired.csv
		since = "2026-06-01T00:00:00Z"')")"
if server_check && grep -q 'Configuration appears to be OK' <<<"$IT_CHECK_OUT"; then
	pass "expected_phones with two lists, waivers and since: the server starts (the files are the report's to read)"
else
	fail "expected_phones refused by freeradius -C:"; tail -n 5 <<<"$IT_CHECK_OUT" | sed 's/^/#   /'
fi

# TLS session resumption without phonecert in post-auth would let resumed
# phone sessions skip the policy: refused.
# The demo site calls it through the policy.d/phonecert wrappers: the check
# follows policies. Without the wrappers in the site, or without phonecert in
# the wrappers, it is refused.
expect_no_post_auth_refused() {	# $1: label
	expect_check_refused "mods-enabled/phonecert\[[0-9]*\]: tls-config tls-common resumes TLS sessions .* phonecert is not called in any post-auth section.* or disable the session cache$" \
		"$1: session resumption refused at start-up"
}
server_prepare post-auth-wrapper
if server_check && grep -q 'Configuration appears to be OK' <<<"$IT_CHECK_OUT"; then
	pass "phonecert called through phonecert_post_auth (policy.d) satisfies the post-auth check"
else
	fail "the demo site with phonecert_post_auth refused:"; tail -n 3 <<<"$IT_CHECK_OUT" | sed 's/^/#   /'
fi
server_prepare no-post-auth
sed -i -E '/^[[:space:]]*phonecert(_post_auth(_reject)?)?$/d' "$IT_RUN/raddb/sites-available/phonecert"
expect_no_post_auth_refused "no phonecert in post-auth"
server_prepare no-phonecert-in-wrapper
sed -i '/^[[:space:]]*phonecert$/d' "$IT_RUN/raddb/policy.d/phonecert"
expect_no_post_auth_refused "phonecert_post_auth in post-auth, but without phonecert in it"

# The real start-up (not only -C) refuses too, and says why.
server_prepare start-refused "$(config "$(anchor 'capf a' nonexistent.pem)")"
if server_start 2>/dev/null; then
	fail "freeradius started with a missing ca_file"
	server_stop
elif grep -q "mods-enabled/phonecert\[[0-9]*\]: capf 'a': cannot read ca_file" "$IT_RUN/log/debug.log"; then
	pass "freeradius refuses to start with a missing ca_file, and says why"
else
	fail "freeradius did not start, but without phonecert's message"
fi

# And the shipped configuration is fine.
server_prepare shipped-config
if server_check; then pass "shipped configuration passes freeradius -C"; else fail "shipped configuration fails freeradius -C"; tail -n 5 <<<"$IT_CHECK_OUT"; fi

it_finish

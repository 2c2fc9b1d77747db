#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# phonecert lint and inspect read a raddb with FreeRADIUS' own parser and the
# module's own code, so they agree with the server: on each construct below
# `freeradius -XC` and `phonecert lint` both accept, or both refuse with the
# same file[line]; where both accept, `phonecert inspect --config` decides the
# new CAPF's LSC as the real server does with eapol_test.
set -u
source "$(dirname "$0")/lib.sh"
it_init

PHONECERT=$IT_BUILD/phonecert
[ -x "$PHONECERT" ] || { echo "it: $PHONECERT missing: run make first" >&2; exit 2; }
NOW=$(date -u +%Y-%m-%dT%H:%M:%SZ)
SHIPPED=$IT_REPO/raddb/mods-available/phonecert

# The shipped phonecert section with sed's edits ($1) in mods-enabled/phonecert.
edit_phonecert() {
	rm "$R/mods-enabled/phonecert"
	sed "$1" "$SHIPPED" > "$R/mods-enabled/phonecert"
}

construct_plain() { :; }

# The stale file of mods-available is valid; the instance radiusd loads is not.
construct_other_file() {
	rm "$R/mods-enabled/phonecert"
	sed 's|capf-new.pem|no-such-capf.pem|' "$SHIPPED" > "$R/mods-enabled/phonecert_voice"
}

# The manufacturing section in its own file, $INCLUDEd as $1. It cannot live in
# mods-enabled/: radiusd loads every file there as a module.
include_manufacturing() {
	mkdir -p "$R/phonecert.d"
	sed -n '/^[[:space:]]*manufacturing {/,/^[[:space:]]*}/p' "$SHIPPED" > "$R/phonecert.d/manufacturing.conf"
	edit_phonecert "/^[[:space:]]*manufacturing {/,/^[[:space:]]*}/c\\
	$1"
}

# radiusd resolves a relative $INCLUDE against the including file's directory (mods-enabled/).
construct_bad_include() { include_manufacturing '$INCLUDE phonecert.d/manufacturing.conf'; }
construct_good_include() { include_manufacturing '$INCLUDE ../phonecert.d/manufacturing.conf'; }
construct_lowercase_include() { include_manufacturing '$include ../phonecert.d/manufacturing.conf'; }

# The new CAPF's window opens when the old one's closes (2030): its LSCs are refused until then.
construct_section_reference() {
	edit_phonecert 's|^\([[:space:]]*\)capf demo-cluster-2025 {|&\n\1\taccept_from = ${..capf[demo-cluster-2021].accept_until}|'
}

construct_env() {
	edit_phonecert 's|ca_file = ${certdir}/phonecert/capf-new.pem|ca_file = $ENV{PHONECERT_TEST_CAPF}|'
}

# The old CAPF's window, from a template in radiusd.conf: closed since 2021.
construct_template() {
	# Before the modules: references are resolved as the file is read.
	sed -i '1i templates {\n\tphonecert_closed {\n\t\taccept_until = "2021-01-01T00:00:00Z"\n\t}\n}' "$R/radiusd.conf"
	edit_phonecert 's|^\([[:space:]]*\)capf demo-cluster-2025 {|&\n\1\t$template phonecert_closed|'
}

# bind_identity is a FreeRADIUS boolean: "off" is "no".
construct_boolean_off() {
	edit_phonecert 's|^\([[:space:]]*tls_config = .*\)|\1\n\tbind_identity = off|'
}

construct_boolean_bad() {
	edit_phonecert 's|^\([[:space:]]*tls_config = .*\)|\1\n\tbind_identity = perhaps|'
}

# A window written as a section of its own: FreeRADIUS would ignore it.
construct_subsection() {
	edit_phonecert 's|^\([[:space:]]*\)accept_until = \(.*\)|\1rotation {\n\1\taccept_until = \2\n\1}|'
}

construct_eap_other_file() {
	mv "$R/mods-enabled/eap" "$R/mods-enabled/eap_phones"
}

construct_eap_missing() {
	edit_phonecert 's|^\([[:space:]]*eap = \).*|\1no-such-eap|'
}

# $1 the construct, $2 "accept" or "refuse": what radiusd must say (checked, too).
check_construct() {
	local name=$1 want=$2 fr_ok lint_rc fr_where lint_where decision

	server_prepare "reader-$name"
	R=$IT_RUN/raddb
	"construct_$name"

	fr_out=$(timeout 60 freeradius -XC -d "$R" 2>&1)
	if grep -q 'Configuration appears to be OK' <<<"$fr_out"; then fr_ok=accept; else fr_ok=refuse; fi
	lint_out=$("$PHONECERT" lint --now "$NOW" "$R" 2>&1)
	lint_rc=$?
	if [ "$lint_rc" -le 1 ]; then lint_ok=accept; else lint_ok=refuse; fi

	if [ "$fr_ok" = "$want" ]; then pass "$name: freeradius -XC would $want"; else fail "$name: freeradius -XC: $fr_ok, expected $want"; fi
	if [ "$lint_ok" = "$fr_ok" ]; then pass "$name: lint agrees ($lint_ok, exit $lint_rc)"
	else fail "$name: lint $lint_ok (exit $lint_rc), freeradius $fr_ok"; tail -n 3 <<<"$lint_out" | sed 's/^/#   /'; fi

	if [ "$fr_ok" = refuse ]; then
		# The first file[line] FreeRADIUS names in its refusal (or the file it cannot open) must be named by lint too.
		fr_where=$(grep -oE '^[^ ]+\[[0-9]+\]:|^Unable to open file "[^"]*"' <<<"$fr_out" | head -n 1)
		if [ -n "$fr_where" ] && grep -qF -- "$fr_where" <<<"$lint_out"; then pass "$name: both refuse at $fr_where"
		else fail "$name: freeradius refuses at '${fr_where:-?}', lint says: $(grep -m1 -E 'error|phonecert:' <<<"$lint_out")"; fi
		return
	fi

	# Both accept: the server's decision for the new CAPF's LSC, and inspect's.
	server_start || { fail "$name: the server did not start"; return; }
	eap_tls lsc-new-rsa.pem lsc-new-rsa.key
	server_stop
	"$PHONECERT" inspect --config "$R" --now "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$IT_PKI/lsc-new-rsa.pem" >/dev/null 2>&1
	if [ $? -eq 0 ]; then decision=accept; else decision=reject; fi
	if [ "$decision" = "$IT_RESULT" ]; then pass "$name: inspect --config decides like the server ($decision)"
	else fail "$name: inspect --config: $decision, the server: $IT_RESULT"; fi
}

export PHONECERT_TEST_CAPF=$IT_PKI/capf-new.pem

echo "# a plain configuration"
check_construct plain accept
version=$(dpkg-parsechangelog -l "$IT_REPO/debian/changelog" -S Version)
if grep -qF "(rlm_phonecert $version)" <<<"$fr_out" && grep -q 'rlm_phonecert (phonecert): deciding' <<<"$fr_out"; then
	pass "the module's start-up line names its version, $version (debian/changelog)"
else
	fail "no (rlm_phonecert $version) in the module's start-up line"
fi
if "$PHONECERT" --version | grep -q "^phonecert $version "; then pass "phonecert --version is the same $version"
else fail "phonecert --version: $("$PHONECERT" --version)"; fi
echo "# phonecert in mods-enabled/phonecert_voice (a broken one; mods-available/phonecert is fine)"
check_construct other_file refuse
echo "# \$INCLUDE of a file radiusd does not find (relative to the raddb, not to mods-enabled/)"
check_construct bad_include refuse
echo "# \$INCLUDE relative to the including file's directory"
check_construct good_include accept
echo "# lower-case \$include"
check_construct lowercase_include accept
echo "# \${..capf[name].option}: a reference into another section"
check_construct section_reference accept
echo "# \$ENV{VAR}"
check_construct env accept
echo "# \$template from radiusd.conf's templates section"
check_construct template accept
server_prepare reader-template-decision
R=$IT_RUN/raddb
construct_template
if "$PHONECERT" inspect --config "$R" --now "$NOW" "$IT_PKI/lsc-new-rsa.pem" | grep -q "outside the window of capf 'demo-cluster-2025'"; then
	pass "template: the templated accept_until (2021) closes the new CAPF's window"
else
	fail "template: inspect did not see the templated accept_until"
fi
echo "# bind_identity = off (a FreeRADIUS boolean)"
check_construct boolean_off accept
echo "# bind_identity = perhaps"
check_construct boolean_bad refuse
echo "# a section inside an anchor section"
check_construct subsection refuse
# Not only at the same place: in the same words.
fr_message=$(grep -oE "mods-enabled/phonecert\[[0-9]+\]: Unknown section .*" <<<"$fr_out" | head -n 1)
if [ -n "$fr_message" ] && grep -qxF -- "phonecert: $R/$fr_message" <<<"$lint_out"; then
	pass "subsection: lint's error is the module's, word for word ($fr_message)"
else
	fail "subsection: the module says '${fr_message:-?}', lint: $(grep -m1 'phonecert:' <<<"$lint_out")"
fi
echo "# the eap module in a file not called eap"
check_construct eap_other_file accept
echo "# eap = an eap instance that does not exist"
check_construct eap_missing refuse

echo "# the referenced value reaches the decision"
server_prepare reader-decisions
R=$IT_RUN/raddb
construct_section_reference
if "$PHONECERT" inspect --config "$R" --now "$NOW" "$IT_PKI/lsc-new-rsa.pem" | grep -q "outside the window of capf 'demo-cluster-2025': it accepts certificates from 2030-01-01T00:00:00Z"; then
	pass "section reference: the new CAPF's window opens in 2030 (the old one's accept_until)"
else
	fail "section reference: inspect did not see the referenced accept_from"
fi

it_finish

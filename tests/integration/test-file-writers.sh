#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Who can change the files phonecert trusts: an anchor's ca_file or
# crl_file, or the block_file, that anyone but root and radiusd's user can
# change (the file, a directory on its path, through a symbolic link) stops
# the real freeradius at start-up and fails a reload, naming the file[line],
# what is wrong and what to run; phonecert lint reports the same words. The
# layouts these suites and CI run in (build/ of a clone, /tmp/phonecert-it.*,
# a mktemp -d directory) and Debian's (freerad's files, user = freerad) start.
set -u
source "$(dirname "$0")/lib.sh"
it_init
IT_INVENTORY=0	# radiusd as freerad (below) could not write the demo's inventory

PHONECERT=$IT_BUILD/phonecert
[ -x "$PHONECERT" ] || { echo "it: $PHONECERT missing: run make first" >&2; exit 2; }
EXTRA=$IT_OPEN/extra
mkdir -p "$EXTRA"
source "$(dirname "$0")/cli-lib.sh"
NOW=2027-01-01T00:00:00Z
# A user and a group that are neither root nor radiusd's user (Debian's base-passwd has both).
OTHER_USER=nobody
OTHER_GROUP=daemon	# the primary group of the user daemon

capf() { echo "$IT_RUN/raddb/certs/phonecert/capf-new.pem"; }

# freeradius -C refuses the prepared run at mods-enabled/phonecert[N] with a
# message matching PATTERN, and lint reports that message, word for word, as
# an error (exit 2).
expect_refused_by_both() {	# PATTERN LABEL
	local pattern=$1 label=$2 message
	expect_check_refused "mods-enabled/phonecert\[[0-9]+\]: $pattern" "$label: freeradius refuses to start"
	message=$(grep -oE "/[^ ]*mods-enabled/phonecert\[[0-9]+\]: $pattern" <<<"$IT_CHECK_OUT" | head -n 1)
	run lint --now "$NOW" "$IT_RUN/raddb"
	if [ "$RC" -eq 2 ] && [ -n "$message" ] && grep -qF -- "FreeRADIUS would refuse to start: $message" <<<"$OUT"; then
		pass "$label: lint reports it in the same words (exit 2)"
	else
		fail "$label: lint (exit $RC) does not say '${message:-?}'"; grep -E '^error' <<<"$OUT" | head -n 3 | sed 's/^/#   /'
	fi
}

# freeradius -C accepts the prepared run, and lint finds nothing about who can change files.
expect_accepted_by_both() {	# LABEL
	local label=$1
	if server_check && grep -q 'Configuration appears to be OK' <<<"$IT_CHECK_OUT"; then pass "$label: freeradius -C accepts it"
	else fail "$label: freeradius -C refuses it"; grep -E 'phonecert\[' <<<"$IT_CHECK_OUT" | head -n 3 | sed 's/^/#   /'; fi
	run lint --now "$NOW" --json "$IT_RUN/raddb"
	expect_lint_json 1 '[.findings[] | select(.check == "file-writers")] | length == 0' "$label: lint finds nothing either"
}

# lint --json exited with at most MAX_RC, and said something of which FILTER holds (jq 1.6 -e holds on no input at all).
expect_lint_json() {	# MAX_RC FILTER LABEL
	if [ "$RC" -le "$1" ] && [ -n "$OUT" ]; then expect_json "$2" "$3"; else fail "$3 (lint exit $RC, output: ${OUT:0:200}$ERR)"; fi
}

echo "# the layouts the suites run in"
server_prepare writers-clone
expect_accepted_by_both "the demo in build/ of this clone (git's umask 022)"
server_prepare writers-tmp
mkdir -p "$IT_OPEN/anchors"
cp "$IT_PKI/capf-new.pem" "$IT_OPEN/anchors/"
sed -i "s|\${certdir}/phonecert/capf-new.pem|$IT_OPEN/anchors/capf-new.pem|" "$IT_RUN/raddb/mods-enabled/phonecert"
expect_accepted_by_both "an anchor in $IT_OPEN (below /tmp, sticky and world-writable)"
ci=$(mktemp -d)
"$IT_REPO/scripts/demo-raddb.sh" "$ci/run" "$IT_PKI" "$IT_BUILD" 1812 0
IT_RUN=$ci/run
rm -f "$IT_RUN/raddb/mods-enabled/"{sql,cache}_phonecert "$IT_RUN/raddb/sites-enabled/phonecert-inventory"
expect_accepted_by_both "a run in a directory made by mktemp -d, as CI's clone"
rm -rf "$ci"

echo "# radiusd's user: security { user = } in radiusd.conf, or the user radiusd runs as"
server_prepare writers-freerad
chown -R freerad:freerad "$IT_RUN/raddb"
sed -i 's/^security {/security {\n\tuser = freerad\n\tgroup = freerad/' "$IT_RUN/raddb/radiusd.conf"
expect_accepted_by_both "Debian's layout: the raddb owned by freerad, radiusd runs as freerad"
sed -i '/^\tuser = freerad$/d; /^\tgroup = freerad$/d' "$IT_RUN/raddb/radiusd.conf"
expect_refused_by_both "capf 'demo-cluster-2025': ca_file $(capf): the directory $IT_RUN/raddb is owned by freerad, not by root: its owner can change it; run chown root $IT_RUN/raddb$" \
	"the same files, radiusd running as root (no user =)"

echo "# the anchor's ca_file"
server_prepare writers-group
chgrp "$OTHER_GROUP" "$(capf)"
chmod 0664 "$(capf)"
expect_refused_by_both "capf 'demo-cluster-2025': ca_file $(capf): $(capf) is writable by group daemon, the primary group of daemon \(mode 0664\): run chmod go-w $(capf)$" \
	"ca_file writable by a group with another member"
# The package's postinst asks for this check alone (lint --check file-writers).
chgrp root "$(capf)"
run lint --now "$NOW" --check file-writers "$IT_RUN/raddb"
expect_rc 0 "lint --check file-writers, nothing to say (the demo's SHA-1 warnings are another check's)"
chgrp "$OTHER_GROUP" "$(capf)"
run lint --now "$NOW" --check file-writers "$IT_RUN/raddb"
expect_rc 2 "lint --check file-writers: exit 2, the module would refuse"
if [ "$(grep -cE '^(error|warning|info): ' <<<"$OUT")" = 1 ] && grep -q "^error: capf 'demo-cluster-2025': FreeRADIUS would refuse to start: .*is writable by group daemon" <<<"$OUT"; then
	pass "lint --check file-writers: that finding alone"
else
	fail "lint --check file-writers: $(grep -E '^(error|warning|info): ' <<<"$OUT" | head -n 3)"
fi
run lint --check file-writer "$IT_RUN/raddb"
expect_rc 2 "lint --check with an unknown check"
expect_err "unknown check 'file-writer'" "names it"
chgrp root "$(capf)"
expect_accepted_by_both "the same, its group root's (no one else in it)"
server_prepare writers-owner
chown "$OTHER_USER" "$(capf)"
expect_refused_by_both "capf 'demo-cluster-2025': ca_file $(capf): $(capf) is owned by nobody, not by root: its owner can change it; run chown root $(capf)$" \
	"ca_file owned by another user"
run inspect --config "$IT_RUN/raddb" --now "$NOW" "$IT_PKI/lsc-new-rsa.pem"
expect_rc 2 "inspect --config decides nothing on a configuration the module refuses"
expect_err "mods-enabled/phonecert\[[0-9]+\]: capf 'demo-cluster-2025': ca_file $(capf): $(capf) is owned by nobody" "and says why"
server_prepare writers-world
chmod 0666 "$(capf)"
expect_refused_by_both "capf 'demo-cluster-2025': ca_file $(capf): $(capf) is writable by everyone \(mode 0666\): run chmod go-w $(capf)$" \
	"ca_file writable by everyone"
server_prepare writers-directory
chmod 0777 "$IT_RUN/raddb/certs/phonecert"
expect_refused_by_both "manufacturing: ca_file $IT_RUN/raddb/certs/phonecert/manufacturing.pem: the directory $IT_RUN/raddb/certs/phonecert is writable by everyone \(mode 0777\): run chmod go-w $IT_RUN/raddb/certs/phonecert$" \
	"a directory on the path writable by everyone"

echo "# symbolic links: the target's path and the link's own directories"
server_prepare writers-link-target
mkdir -m 0777 "$EXTRA/open"
cp "$IT_PKI/capf-new.pem" "$EXTRA/open/"
ln -sf "$EXTRA/open/capf-new.pem" "$(capf)"
expect_refused_by_both "capf 'demo-cluster-2025': ca_file $(capf): the directory $EXTRA/open is writable by everyone \(mode 0777\): run chmod go-w $EXTRA/open \(reached through the symbolic link $(capf) -> $EXTRA/open/capf-new.pem\)$" \
	"a link to a file in a directory writable by everyone"
server_prepare writers-link-directory
mkdir -m 0777 "$EXTRA/links"
ln -s "$IT_RUN/raddb/certs/phonecert/capf-new.pem" "$EXTRA/links/capf.pem"
sed -i "s|\${certdir}/phonecert/capf-new.pem|$EXTRA/links/capf.pem|" "$IT_RUN/raddb/mods-enabled/phonecert"
expect_refused_by_both "capf 'demo-cluster-2025': ca_file $EXTRA/links/capf.pem: the directory $EXTRA/links is writable by everyone \(mode 0777\)" \
	"a link to a safe file, in a directory writable by everyone"

echo "# a sticky directory writable by everyone, as /tmp"
server_prepare writers-sticky
mkdir -m 1777 "$EXTRA/sticky"
cp "$IT_PKI/capf-new.pem" "$EXTRA/sticky/"
sed -i "s|\${certdir}/phonecert/capf-new.pem|$EXTRA/sticky/capf-new.pem|" "$IT_RUN/raddb/mods-enabled/phonecert"
expect_accepted_by_both "root's file in a sticky directory"
chown "$OTHER_USER" "$EXTRA/sticky/capf-new.pem"
expect_refused_by_both "capf 'demo-cluster-2025': ca_file $EXTRA/sticky/capf-new.pem: $EXTRA/sticky/capf-new.pem is owned by nobody, not by root" \
	"another user's file in a sticky directory"

echo "# crl_file and block_file"
server_prepare writers-crl "$(phonecert_with_options '	lsc_ca corp {
		ca_file = ${certdir}/phonecert/ext-ca.pem
		crl_file = ${certdir}/phonecert/ext-ca.crl.pem
	}')"
crl=$IT_RUN/raddb/certs/phonecert/ext-ca.crl.pem
cp "$IT_PKI/ext-ca.crl.pem" "$crl"
chgrp "$OTHER_GROUP" "$crl"
chmod 0664 "$crl"
expect_refused_by_both "lsc_ca 'corp': crl_file $crl: $crl is writable by group daemon, the primary group of daemon \(mode 0664\): run chmod go-w $crl$" \
	"crl_file writable by a group with another member"
server_prepare writers-block "$(phonecert_with_options '	block_file = ${confdir}/phonecert-blocked')"
blocked=$IT_RUN/raddb/phonecert-blocked
echo "mac 00-11-22-33-44-55" > "$blocked"
chgrp "$OTHER_GROUP" "$blocked"
chmod 0664 "$blocked"
expect_refused_by_both "block_file $blocked: $blocked is writable by group daemon, the primary group of daemon \(mode 0664\): run chmod go-w $blocked$" \
	"block_file writable by a group with another member"

echo "# on reload: refused, the trust in force kept"
server_prepare writers-reload
server_start || exit 1
sleep 3	# FreeRADIUS ignores a module HUP within 2 s of start-up
chgrp "$OTHER_GROUP" "$(capf)"
chmod 0664 "$(capf)"
before=$(count_log 'HUP failed for module "phonecert"')
out=$(timeout 10 radmin -f "$IT_RUN/run/control.sock" -e "hup phonecert" 2>&1)
if wait_for_log 'HUP failed for module "phonecert"' "$before"; then pass "radmin hup phonecert: refused"; else fail "radmin hup phonecert was not refused ($out)"; fi
expect_log_file "mods-enabled/phonecert\[[0-9]+\]: capf 'demo-cluster-2025': ca_file $(capf): $(capf) is writable by group daemon" \
	"the refused reload says why"
eap_tls lsc-new-rsa.pem lsc-new-rsa.key
expect_result accept "after the refused reload: phones still authenticate with the trust in force"
server_stop

echo "# the escape hatch: unsafe_permissions = warn"
server_prepare writers-warn "$(phonecert_with_options '	unsafe_permissions = warn')"
chgrp "$OTHER_GROUP" "$(capf)"
chmod 0664 "$(capf)"
if server_start; then pass "unsafe_permissions = warn: freeradius starts"; else fail "unsafe_permissions = warn: freeradius did not start"; fi
expect_log_file "mods-enabled/phonecert\[[0-9]+\]: unsafe_permissions = warn: phonecert does not refuse" \
	"unsafe_permissions = warn: a warning at start-up that the check is waived"
expect_log_file "mods-enabled/phonecert\[[0-9]+\]: capf 'demo-cluster-2025': ca_file $(capf): $(capf) is writable by group daemon" \
	"unsafe_permissions = warn: and each problem"
eap_tls lsc-new-rsa.pem lsc-new-rsa.key
expect_result accept "unsafe_permissions = warn: phones authenticate"
server_stop
run lint --now "$NOW" --json "$IT_RUN/raddb"
expect_rc 1 "unsafe_permissions = warn: lint"
expect_lint_json 1 '[.findings[] | select(.check == "file-writers")] | map(.severity) == ["warning", "warning"]' \
	"unsafe_permissions = warn: lint warns of the waiver and the file, errors of neither"
server_prepare writers-warn-bad "$(phonecert_with_options '	unsafe_permissions = maybe')"
expect_check_refused "mods-enabled/phonecert\[[0-9]+\]: unsafe_permissions = maybe: expected refuse or warn$" \
	"unsafe_permissions takes refuse or warn only"

it_finish

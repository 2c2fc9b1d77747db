#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The Debian package: make deb builds it and lintian finds no error; it
# installs into a fresh debootstrapped root of this machine's release (Debian's
# own freeradius there), phonecert is enabled as doc/installation.md says, the root's
# freeradius authenticates demo phones on a random loopback port, and
# apt-get remove then purge leave no file the package made.
#
# The root with Debian's freeradius and eapoltest is made once and kept in
# build/roots/deb-<release> (scripts/debian-root.sh); each run works on an
# overlay of it (a copy where overlayfs is missing), so it starts fresh.
set -u
source "$(dirname "$0")/lib.sh"
it_init

release=$(. /etc/os-release && echo "${VERSION_CODENAME:-}")
if [ "$(id -u)" -ne 0 ]; then
	skip "the package test needs root (debootstrap, chroot)"
	it_finish; exit
fi
# shellcheck source=../../scripts/debian-root.sh
source "$IT_REPO/scripts/debian-root.sh"

LOG=$IT_BUILD/it-deb.log
echo "# make deb"
if make -s -C "$IT_REPO" deb >"$LOG" 2>&1; then pass "make deb builds the package"; else fail "make deb failed:"; tail -n 10 "$LOG" | sed 's/^/#   /'; it_finish; exit 1; fi
version=$(dpkg-parsechangelog -l "$IT_REPO/debian/changelog" -S Version)
deb=$IT_BUILD/deb/freeradius-phonecert_${version}_$(dpkg --print-architecture).deb
if [ -s "$deb" ]; then pass "$(basename "$deb") (version from debian/changelog)"; else fail "no $deb"; it_finish; exit 1; fi

lintian_out=$(lintian "$deb" 2>&1)
if grep -q '^E:' <<<"$lintian_out"; then fail "lintian reports errors:"; grep '^E:' <<<"$lintian_out" | sed 's/^/#   /'; else pass "lintian: no errors"; fi

fr_installed=$(dpkg-query -W -f='${Version}' freeradius)
depends=$(dpkg-deb -f "$deb" Depends)
if grep -qF "freeradius (= $fr_installed)" <<<"$depends"; then pass "depends on the exact freeradius it was built against ($fr_installed)"; else fail "Depends lacks freeradius (= $fr_installed): $depends"; fi
contents=$(dpkg-deb -c "$deb" | awk '{ print $6 }' | sed 's|^\./|/|')
for path in /usr/lib/freeradius/rlm_phonecert.so /usr/bin/phonecert /usr/bin/phonecert-test \
	    /usr/share/man/man1/phonecert.1.gz /usr/share/man/man1/phonecert-test.1.gz /usr/share/man/man5/phonecert.5.gz \
	    /etc/freeradius/3.0/mods-available/phonecert /etc/freeradius/3.0/mods-available/sql_phonecert \
	    /etc/freeradius/3.0/policy.d/phonecert /etc/freeradius/3.0/dictionary.phonecert \
	    /usr/share/doc/freeradius-phonecert/examples/phonecert-metrics.service \
	    /usr/share/doc/freeradius-phonecert/examples/phonecert-metrics.timer \
	    /usr/share/doc/freeradius-phonecert/examples/phonecert-alerts.yml; do
	if grep -qxF "$path" <<<"$contents"; then pass "ships $path"; else fail "does not ship $path"; fi
done
if grep -q 'mods-enabled\|sites-enabled' <<<"$contents"; then fail "ships something in mods-enabled or sites-enabled"; else pass "nothing enabled (no mods-enabled, sites-enabled)"; fi
control=$IT_OPEN/deb-control
dpkg-deb -e "$deb" "$control"
etc_files=$(dpkg-deb -c "$deb" | awk '$1 ~ /^-/ { print $6 }' | sed 's|^\./|/|' | grep '^/etc/')
if [ -n "$etc_files" ] && [ "$(sort <<<"$etc_files")" = "$(sort "$control/conffiles")" ]; then
	pass "every file under /etc is a conffile ($(wc -l <"$control/conffiles"))"
else
	fail "conffiles differ from the files under /etc: $(diff <(sort <<<"$etc_files") <(sort "$control/conffiles") | tr '\n' ' ')"
fi

echo "# a fresh Debian $release root"
base=$IT_BUILD/roots/deb-$release
run_root=$IT_BUILD/roots/deb-$release.run
overlay=false
cleanup_root() {
	debian_root_unmount_all
	if $overlay; then umount -l "$run_root/merged" 2>/dev/null; fi
	rm -rf "$run_root"
}
trap 'it_cleanup; cleanup_root' EXIT

make_base() {
	debian_root_ensure "$release" "$base" || return 1
	[ -f "$base/.phonecert-deb-base" ] && return 0
	debian_root_mount "$base" &&
		debian_root_run "$base" sh -c 'apt-get update -q && apt-get install -y -q --no-install-recommends freeradius eapoltest openssl' \
			>"$IT_BUILD/it-deb-base.log" 2>&1
	local rc=$?
	debian_root_unmount_all
	[ $rc -eq 0 ] || { tail -n 10 "$IT_BUILD/it-deb-base.log" >&2; return 1; }
	touch "$base/.phonecert-deb-base"
}
if make_base; then pass "root with Debian's freeradius and eapoltest ($base)"; else fail "cannot make the root $base"; it_finish; exit 1; fi
if [ "$(chroot "$base" dpkg-query -W -f='${Version}' freeradius)" != "$fr_installed" ]; then
	# The root follows the release's updates: refresh it so the package's exact dependency can be met.
	debian_root_mount "$base" && debian_root_run "$base" sh -c 'apt-get update -q && apt-get install -y -q --only-upgrade freeradius' >>"$IT_BUILD/it-deb-base.log" 2>&1
	debian_root_unmount_all
fi

rm -rf "$run_root"
mkdir -p "$run_root/upper" "$run_root/work" "$run_root/merged"
if mount -t overlay overlay -o "lowerdir=$base,upperdir=$run_root/upper,workdir=$run_root/work" "$run_root/merged" 2>/dev/null; then
	overlay=true
else
	cp -a "$base/." "$run_root/merged/"
fi
ROOT=$run_root/merged
debian_root_mount "$ROOT" || fail "cannot mount proc, sys, dev/pts, dev/shm in the root"
in_root() { debian_root_run "$ROOT" "$@"; }
raddb=$ROOT/etc/freeradius/3.0
if in_root sh -c '! dpkg-query -W freeradius-phonecert >/dev/null 2>&1'; then pass "fresh root: freeradius-phonecert not installed"; else fail "the root already has freeradius-phonecert"; fi

# What is there before: nothing of it may remain after the purge.
find "$ROOT" -xdev \( -path "$ROOT/proc" -o -path "$ROOT/sys" -o -path "$ROOT/dev" -o -path "$ROOT/tmp" \) -prune -o -print |
	sed "s|^$ROOT||" | sort >"$IT_OPEN/before.list"
dict_before=$(md5sum <"$raddb/dictionary")

echo "# apt-get install"
cp "$deb" "$ROOT/tmp/"
if in_root apt-get install -y -q "/tmp/$(basename "$deb")" >"$IT_BUILD/it-deb-install.log" 2>&1; then
	pass "apt-get install ./$(basename "$deb") in the root"
else
	fail "apt-get install failed:"; tail -n 8 "$IT_BUILD/it-deb-install.log" | sed 's/^/#   /'; it_finish; exit 1
fi
in_root dpkg-query -L freeradius-phonecert | sort >"$IT_OPEN/package.list"
if grep -qx '\$INCLUDE dictionary.phonecert' "$raddb/dictionary"; then pass "postinst added \$INCLUDE dictionary.phonecert"; else fail "no dictionary include after installation"; fi
state=$(in_root stat -c '%U:%G %a' /var/lib/freeradius 2>/dev/null)
if [ "$state" = "freerad:freerad 750" ]; then pass "/var/lib/freeradius made, freerad:freerad 0750"; else fail "/var/lib/freeradius is '$state'"; fi
if [ ! -e "$raddb/mods-enabled/phonecert" ] && [ ! -e "$raddb/mods-enabled/sql_phonecert" ]; then pass "phonecert not enabled by the package"; else fail "the package enabled a module"; fi
if [ "$(in_root stat -c %G /etc/freeradius/3.0/mods-available/phonecert)" = freerad ]; then pass "configuration in the freerad group"; else fail "configuration not in the freerad group"; fi
in_root apt-get install -y -q --reinstall "/tmp/$(basename "$deb")" >>"$IT_BUILD/it-deb-install.log" 2>&1
if [ "$(grep -c 'dictionary.phonecert' "$raddb/dictionary")" -eq 1 ]; then pass "reinstalled: the include is there once"; else fail "reinstalled: dictionary.phonecert included $(grep -c 'dictionary.phonecert' "$raddb/dictionary") times"; fi
out=$(in_root phonecert --version 2>&1)
if grep -q "^phonecert $version " <<<"$out"; then pass "phonecert --version says $version"; else fail "phonecert --version: $out"; fi
out=$(in_root timeout 60 freeradius -CX -d /etc/freeradius/3.0 2>&1)
if grep -q 'Configuration appears to be OK' <<<"$out"; then pass "installed, not enabled: Debian's configuration still passes freeradius -C"; else fail "freeradius -C fails after installation:"; tail -n 3 <<<"$out" | sed 's/^/#   /'; fi

echo "# enabled as doc/installation.md says"
# The admin's part: CAPF certificates, the server's certificate and eap's
# ca_file (non-phone CAs only), the two site lines, the module and inventory enabled.
operator_setup "$raddb" "$(awk -F: '$1 == "freerad" { print $3 ":" $4 }' "$ROOT/etc/passwd")"
ln -s ../mods-available/phonecert "$raddb/mods-enabled/phonecert"
ln -s ../mods-available/sql_phonecert "$raddb/mods-enabled/sql_phonecert"
ln -s ../sites-available/phonecert-inventory "$raddb/sites-enabled/phonecert-inventory"
site_calls_phonecert "$raddb"
mkdir -p "$IT_OPEN/orig" && cp -a "$raddb/sites-available" "$IT_OPEN/orig/"
# run_dir, which Debian's systemd unit makes (RuntimeDirectory); inside the
# root only (its /var/run is a link to /run, which outside means the host's).
in_root install -d -o freerad -g freerad /run/freeradius

ROOT_LOG=$ROOT/tmp/radiusd.log
started=false
debian_root_command "$ROOT"
debian_server_start "$IT_OPEN/orig" "$raddb" "$ROOT_LOG" "${DEBIAN_ROOT_CMD[@]}" freeradius -f -l stdout && started=true
if $started; then
	pass "freeradius starts in the root with phonecert enabled (127.0.0.1:$IT_PORT)"
	cp "$IT_PKI"/{lsc-new-rsa,mic,lsc-other}.{pem,key} "$IT_PKI/server-ca.pem" "$ROOT/tmp/"
	phone() {	# $1: want exit, $2: label, $3: certificate name in the PKI
		local want=$1 label=$2 name=$3 rc
		PHONE_OUT=$(in_root timeout 60 phonecert-test -p "$IT_PORT" "/tmp/$name.pem" "/tmp/$name.key" /tmp/server-ca.pem 2>/dev/null)
		rc=$?
		if [ "$rc" -eq "$want" ]; then pass "$label: $PHONE_OUT"; else fail "$label: exit $rc ($PHONE_OUT), expected $want"; fi
	}
	phone 0 "LSC phone, the package's phonecert-test" lsc-new-rsa
	if grep -qF 'Cisco-AVPair="device-traffic-class=voice"' <<<"$PHONE_OUT"; then pass "LSC phone: voice domain (phonecert_post_auth)"; else fail "LSC phone: no voice domain"; fi
	phone 0 "MIC phone" mic
	if grep -qF 'Tunnel-Private-Group-Id="phones-lsc-enrolment"' <<<"$PHONE_OUT"; then pass "MIC phone: the enrolment VLAN"; else fail "MIC phone: no enrolment VLAN"; fi
	phone 1 "the other cluster's LSC" lsc-other
	sleep 0.5
	if grep -qE 'phonecert: reject device=SEPB000B4BA0AEE .*LSC from another cluster' "$ROOT_LOG"; then pass "the reject's log line (phonecert_post_auth_reject)"; else fail "no phonecert reject line in the log"; fi
	db=/var/lib/freeradius/phonecert-inventory.sqlite
	inventory_flush "$ROOT/var/log/freeradius/radacct/phonecert-inventory/detail"
	if [ "$(in_root stat -c %U "$db" 2>/dev/null)" = freerad ]; then pass "inventory $db, owned by freerad"; else fail "no inventory in $db owned by freerad"; fi
else
	fail "freeradius did not start in the root:"; tail -n 8 "$ROOT_LOG" | sed 's/^/#   /'
fi
server_stop
if $started; then
	report=$(in_root phonecert report --db "sqlite:$db" --format csv --phones 2>&1)
	if grep -q 'SEP2C3124C9F8E1' <<<"$report"; then pass "phonecert report reads the inventory under /var/lib"; else fail "phonecert report: $(head -n 3 <<<"$report")"; fi
fi

echo "# an upgrade warns of anchor files others can change, and goes on"
# radiusd would refuse to start on it (test-file-writers.sh): the admin learns it now.
capf_in_root=/etc/freeradius/3.0/certs/phonecert/capf-new.pem
in_root chgrp daemon "$capf_in_root"
in_root chmod 0664 "$capf_in_root"
if in_root apt-get install -y -q --reinstall "/tmp/$(basename "$deb")" >"$IT_BUILD/it-deb-upgrade.log" 2>&1; then
	pass "reinstalled over a group-writable ca_file: the installation succeeds"
else
	fail "reinstalling over a group-writable ca_file failed:"; tail -n 8 "$IT_BUILD/it-deb-upgrade.log" | sed 's/^/#   /'
fi
# Not anchored at the end: the root's apt output ends its lines with CR LF.
if grep -q "^freeradius-phonecert: WARNING: files phonecert trusts can be changed by others" "$IT_BUILD/it-deb-upgrade.log" &&
   grep -qE "^error: capf 'demo-cluster-2025': FreeRADIUS would refuse to start: .*$capf_in_root is writable by group daemon, the primary group of daemon \(mode 0664\): run chmod go-w $capf_in_root" "$IT_BUILD/it-deb-upgrade.log"; then
	pass "postinst warns, with lint's problem and what to run"
else
	fail "postinst did not warn about $capf_in_root:"; tail -n 8 "$IT_BUILD/it-deb-upgrade.log" | sed 's/^/#   /'
fi
in_root chmod 0644 "$capf_in_root"
if in_root apt-get install -y -q --reinstall "/tmp/$(basename "$deb")" >"$IT_BUILD/it-deb-upgrade-fixed.log" 2>&1 &&
   grep -q '^Setting up freeradius-phonecert' "$IT_BUILD/it-deb-upgrade-fixed.log" &&
   ! grep -q 'freeradius-phonecert: WARNING' "$IT_BUILD/it-deb-upgrade-fixed.log"; then
	pass "once fixed (chmod go-w), postinst says nothing"
else
	fail "after chmod go-w: $(grep -m1 'WARNING' "$IT_BUILD/it-deb-upgrade-fixed.log")"
fi

echo "# apt-get remove, then purge"
# The admin undoes the enabling first (what was theirs).
rm -f "$raddb/mods-enabled/phonecert" "$raddb/mods-enabled/sql_phonecert" "$raddb/sites-enabled/phonecert-inventory" \
	"$raddb/certs/phonecert/"capf-{new,old}.pem \
	"$raddb/certs/"{server.pem,server.key,eap-ca.pem}
if in_root apt-get remove -y -q freeradius-phonecert >"$IT_BUILD/it-deb-remove.log" 2>&1; then pass "apt-get remove"; else fail "apt-get remove failed"; fi
if [ ! -e "$ROOT/usr/lib/freeradius/rlm_phonecert.so" ] && [ ! -e "$ROOT/usr/bin/phonecert" ] && [ -e "$raddb/mods-available/phonecert" ]; then
	pass "remove: programs and module gone, conffiles kept"
else
	fail "remove: module/programs left, or conffiles gone"
fi
if in_root apt-get purge -y -q freeradius-phonecert >>"$IT_BUILD/it-deb-remove.log" 2>&1; then pass "apt-get purge"; else fail "apt-get purge failed"; fi
left=$(while read -r path; do
	[ "$path" != /. ] || continue
	[ -e "$ROOT$path" ] || [ -L "$ROOT$path" ] || continue
	grep -qxF "$path" "$IT_OPEN/before.list" || echo "$path"
done < <(cat "$IT_OPEN/package.list"; echo /var/lib/freeradius; echo /var/lib/freeradius/phonecert-inventory.sqlite))
if [ -z "$left" ]; then pass "purge: nothing the package made is left ($(wc -l <"$IT_OPEN/package.list") paths of dpkg -L, the inventory and its directory)"; else fail "purge left: $(tr '\n' ' ' <<<"$left")"; fi
if [ "$(md5sum <"$raddb/dictionary")" = "$dict_before" ]; then pass "purge: the dictionary is as before"; else fail "purge: the dictionary differs from before"; fi

it_finish

#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Builds rlm_phonecert and adds it to Debian's own FreeRADIUS configuration,
# the way doc/installation.md says. This is the whole image build:
# docker/Dockerfile copies the repository and runs this script, nothing
# else. CI, which has no Docker engine, runs the same script into a staging
# root (tests/integration/test-docker-build.sh).
#
# Usage: docker/build.sh
#   PHONECERT_DESTDIR=DIR   install under DIR instead of /: the module into
#                           DIR/usr/lib/freeradius, and a copy of this
#                           machine's /etc/freeradius/3.0 with phonecert added
#                           into DIR/etc/freeradius/3.0. /etc/freeradius and
#                           /usr/lib/freeradius are not touched.
#
# Steps: install the build packages that are missing (scripts/install-deps.sh;
# no network when all are installed), make, make install (DESTDIR), enable the
# module (mods-enabled/phonecert), call phonecert_post_auth in post-auth of the
# default site and phonecert_post_auth_reject in its Post-Auth-Type REJECT
# (policy.d/phonecert), create the run directory. Running it again gives the same result.
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
root=${PHONECERT_DESTDIR:-}
if [ -n "$root" ]; then
	mkdir -p "$root"
	root=$(cd "$root" && pwd)
	[ "$root" != / ] || root=
fi
raddb=$root/etc/freeradius/3.0
say() { echo "docker/build.sh: $*"; }

cd "$repo"

# The build packages, and the drivers a fleet's servers load (compose.yaml, profile fleet).
say "build packages"
scripts/install-deps.sh image

say "build"
make

if [ -n "$root" ]; then
	# A fresh copy of Debian's stock configuration, as the image has it.
	[ -f /etc/freeradius/3.0/radiusd.conf ] || { echo "docker/build.sh: no /etc/freeradius/3.0 to copy (freeradius not installed?)" >&2; exit 1; }
	say "staging root $root: copying /etc/freeradius/3.0"
	rm -rf "$root/etc/freeradius"
	mkdir -p "$root/etc/freeradius"
	cp -a /etc/freeradius/3.0 "$raddb"
fi

say "install into ${root:-/}"
make install DESTDIR="$root"

say "enable phonecert in $raddb"
ln -sfn ../mods-available/phonecert "$raddb/mods-enabled/phonecert"

# post-auth of the default site (Debian: the site that runs eap), as doc/installation.md says:
#   post-auth {
#       phonecert_post_auth                # policy, log line, switch reply, inventory
#       ...
#       Post-Auth-Type REJECT {
#           phonecert_post_auth_reject     # log line and inventory of refused phones
site=$raddb/sites-available/default
if grep -q '^[[:space:]]*phonecert_post_auth[[:space:]]*$' "$site"; then
	say "$site already calls phonecert"
else
	awk '
	/^post-auth \{/ && !top {
		print
		print "\t# rlm_phonecert (added by docker/build.sh; policy.d/phonecert)."
		print "\tphonecert_post_auth"
		print ""
		top = 1; inside = 1; next
	}
	inside && /^[[:space:]]*Post-Auth-Type REJECT \{/ && !reject {
		print
		print "\t\tphonecert_post_auth_reject"
		reject = 1; next
	}
	inside && /^\}/ { inside = 0 }
	{ print }
	END { if (!top || !reject) exit 1 }' "$site" > "$site.phonecert" ||
		{ rm -f "$site.phonecert"; echo "docker/build.sh: $site has no post-auth { ... Post-Auth-Type REJECT { }: add phonecert by hand (doc/installation.md)" >&2; exit 1; }
	# Keep the file itself (owner, mode): overwrite its content.
	cat "$site.phonecert" > "$site"
	rm -f "$site.phonecert"
	say "$site: phonecert_post_auth in post-auth, phonecert_post_auth_reject in Post-Auth-Type REJECT"
fi

# Debian keeps its configuration freerad-owned; make install wrote root's.
if [ "$(id -u)" -eq 0 ] && getent passwd freerad >/dev/null; then
	chown -h freerad:freerad "$raddb/dictionary.phonecert" "$raddb/mods-available/phonecert" \
		"$raddb/mods-enabled/phonecert" "$raddb/policy.d/phonecert"
	chown -R freerad:freerad "$raddb/certs/phonecert"
fi

# run_dir (/var/run/freeradius: the control socket, TLS session caches) is
# created by Debian's systemd unit (RuntimeDirectory), which a container does
# not run.
install -d -m 0775 "$root/var/run/freeradius"
if [ "$(id -u)" -eq 0 ] && getent passwd freerad >/dev/null; then
	chown freerad:freerad "$root/var/run/freeradius"
fi

say "done: module $root/usr/lib/freeradius/rlm_phonecert.so, configuration $raddb"

#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# scripts/fr-headers.sh where the mirrors do not serve the installed version's
# source, tested without depending on today's mirror: a local APT repository
# (file:, built here from the headers make already assembled) serves other
# Debian revisions of the installed upstream version, a changed header, or only
# another upstream version; FR_SOURCE_DIR stands for a local source tree. The
# machine's own APT configuration must stay as it was.
set -u
source "$(dirname "$0")/lib.sh"
it_init

HEADERS=$IT_BUILD/fr-include/freeradius
[ -d "$HEADERS" ] || { echo "it: $HEADERS missing: run make first" >&2; exit 2; }
WORK=$IT_BUILD/it/fr-headers
rm -rf "$WORK"
mkdir -p "$WORK"

installed=$(dpkg-query -W -f='${Version}' libfreeradius-dev)
upstream=$(sed 's/^[0-9]*://; s/-[^-]*$//; s/[+~].*//' <<<"$installed")
debian_upstream=$(sed 's/^[0-9]*://; s/-[^-]*$//' <<<"$installed")	# 3.2.7+dfsg

apt_fingerprint() {
	{ find /etc/apt /var/lib/apt/lists -maxdepth 2 -type f -printf '%p %s %T@\n' 2>/dev/null; } | sort | sha256sum
}
APT_BEFORE=$(apt_fingerprint)

# A FreeRADIUS source tree of VERSION (its VERSION file): the headers make
# assembled, those Debian installs written back as the source has them.
make_tree() {	# DIR VERSION
	local dir=$1 h
	mkdir -p "$dir/src/include"
	echo "$2" >"$dir/VERSION"
	for h in "$HEADERS"/*.h; do
		if [ -e "/usr/include/freeradius/$(basename "$h")" ]; then
			sed 's#freeradius/#freeradius-devel/#g' "$h" >"$dir/src/include/$(basename "$h")"
		else
			cp "$h" "$dir/src/include/"
		fi
	done
}

# A Debian source package freeradius VERSION (format 1.0, native) in REPO.
make_source_package() {	# REPO VERSION [UPSTREAM]
	local repo=$1 version=$2 tree
	tree=$WORK/pkg/freeradius-$version
	rm -rf "$tree"
	make_tree "$tree" "${3:-$upstream}"
	mkdir -p "$tree/debian/source"
	echo "1.0" >"$tree/debian/source/format"
	printf 'Source: freeradius\nMaintainer: Test <test@localhost>\nStandards-Version: 4.6.2\n\nPackage: freeradius\nArchitecture: any\nDescription: test\n test\n' \
		>"$tree/debian/control"
	printf 'freeradius (%s) unstable; urgency=medium\n\n  * test\n\n -- Test <test@localhost>  Mon, 07 Dec 2026 00:00:00 +0000\n' \
		"$version" >"$tree/debian/changelog"
	[ -z "${4:-}" ] || "$4" "$tree"
	mkdir -p "$repo"
	(cd "$WORK/pkg" && dpkg-source -b "freeradius-$version" >/dev/null 2>&1 && mv freeradius_"${version#*:}"* "$repo/")
}

repo_sources() {	# REPO -> a sources.list naming it
	(cd "$1" && dpkg-scansources . >Sources 2>/dev/null)
	echo "deb-src [trusted=yes] file:$1 ./" >"$1.list"
}

fr_headers() {	# OUT, environment as given
	FR_HEADERS_OUT=$(timeout 120 "$IT_REPO/scripts/fr-headers.sh" "$1" 2>&1)
}

same_headers() {	# OUT
	diff -r "$HEADERS" "$1/freeradius" >/dev/null
}

change_radiusd_h() { echo "/* changed in this revision */" >>"$1/src/include/radiusd.h"; }

# 1. The exact version is not served; two other revisions of the same upstream version and another upstream are.
repo=$WORK/repo-revisions
make_source_package "$repo" "$debian_upstream-0.1~phonecert"
make_source_package "$repo" "$debian_upstream-99~phonecert"
make_source_package "$repo" "9.9.9+dfsg-1" 9.9.9
repo_sources "$repo"
out=$WORK/out-revisions
if FR_APT_SOURCES=$repo.list fr_headers "$out"; then
	pass "fallback: headers assembled without the installed version's source"
else
	fail "fallback: fr-headers failed:"; sed 's/^/#   /' <<<"$FR_HEADERS_OUT"
fi
if grep -q "cannot be fetched" <<<"$FR_HEADERS_OUT" &&
   grep -q "source: Debian's freeradius $debian_upstream-99~phonecert instead" <<<"$FR_HEADERS_OUT"; then
	pass "fallback: says the exact version failed and uses the highest other revision of upstream $upstream"
else
	fail "fallback: which source was used is not said:"; sed 's/^/#   /' <<<"$FR_HEADERS_OUT"
fi
if same_headers "$out"; then pass "fallback: the same headers as the build's"; else fail "fallback: headers differ from the build's"; fi
if ! grep -q 9.9.9 <<<"$FR_HEADERS_OUT"; then pass "fallback: another upstream version is never tried"
else fail "fallback: mentions 9.9.9"; fi
if [ -d "$out.apt/lists" ] && ls "$out.apt/lists" | grep -q Sources; then
	pass "fallback: APT's lists are kept in the private state ($out.apt)"
else
	fail "fallback: no Sources list in $out.apt/lists"
fi

# 2. The only revision served changed a header Debian installs: refused, naming it.
repo=$WORK/repo-changed
make_source_package "$repo" "$debian_upstream-98~phonecert" "$upstream" change_radiusd_h
repo_sources "$repo"
out=$WORK/out-changed
if FR_APT_SOURCES=$repo.list fr_headers "$out"; then
	fail "changed header: accepted"
elif grep -q "radiusd.h differ" <<<"$FR_HEADERS_OUT" && [ ! -e "$out/freeradius" ]; then
	pass "changed header: refused, naming radiusd.h, nothing written"
else
	fail "changed header: refused without naming radiusd.h:"; sed 's/^/#   /' <<<"$FR_HEADERS_OUT"
fi

# 3. Only another upstream version is served: refused, naming both versions.
repo=$WORK/repo-other
make_source_package "$repo" "9.9.9+dfsg-1" 9.9.9
repo_sources "$repo"
out=$WORK/out-other
if FR_APT_SOURCES=$repo.list fr_headers "$out"; then
	fail "other upstream: accepted"
elif grep -q "no source of FreeRADIUS $upstream (installed: $installed)" <<<"$FR_HEADERS_OUT" &&
     grep -q "9.9.9+dfsg-1" <<<"$FR_HEADERS_OUT"; then
	pass "other upstream: refused, naming $upstream and 9.9.9"
else
	fail "other upstream: not refused as expected:"; sed 's/^/#   /' <<<"$FR_HEADERS_OUT"
fi

# 4. A local source tree (offline): used when its version is the installed upstream one, refused otherwise.
make_tree "$WORK/tree-good" "$upstream"
out=$WORK/out-tree
if FR_SOURCE_DIR=$WORK/tree-good FR_APT_SOURCES=/nonexistent fr_headers "$out" && same_headers "$out" &&
   grep -q "FR_SOURCE_DIR" <<<"$FR_HEADERS_OUT" && [ ! -e "$out.apt/lists" ]; then
	pass "FR_SOURCE_DIR: the same headers from a local tree, without APT"
else
	fail "FR_SOURCE_DIR: failed:"; sed 's/^/#   /' <<<"$FR_HEADERS_OUT"
fi
make_tree "$WORK/tree-other" 9.9.9
if FR_SOURCE_DIR=$WORK/tree-other fr_headers "$WORK/out-tree-other"; then
	fail "FR_SOURCE_DIR of another version: accepted"
elif grep -q "is FreeRADIUS 9.9.9, the installed one is $upstream" <<<"$FR_HEADERS_OUT"; then
	pass "FR_SOURCE_DIR of another version: refused, naming both"
else
	fail "FR_SOURCE_DIR of another version:"; sed 's/^/#   /' <<<"$FR_HEADERS_OUT"
fi

if [ "$(apt_fingerprint)" = "$APT_BEFORE" ]; then
	pass "the machine's /etc/apt and /var/lib/apt/lists are unchanged"
else
	fail "fr-headers changed the machine's APT configuration or lists"
fi
rm -rf "$WORK"
it_finish

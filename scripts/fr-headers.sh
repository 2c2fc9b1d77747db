#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Provides the FreeRADIUS headers a module needs, for the installed upstream version.
#
# Debian's libfreeradius-dev lacks headers that radiusd.h includes (log.h,
# xlat.h, tmpl.h, clients.h, connection.h, process.h, listen.h, automask.h; fixed
# upstream in 3.2.9). We take them from a FreeRADIUS source of the installed
# upstream version at build time, so nothing from FreeRADIUS is ever committed
# here. The installed headers stay authoritative: the source only adds what
# Debian left out, and every header both have must be the same, byte for byte.
#
# Where the source comes from, in this order:
#   FR_SOURCE_DIR=DIR    a FreeRADIUS source tree or unpacked Debian source
#                        package of the installed upstream version (its VERSION
#                        file says which): offline builds, no APT at all.
#   Debian's source package of the exact installed version; when the mirrors do
#   not serve it (a security update whose files lag behind its index), the
#   highest other Debian revision of the same upstream version they serve.
#   Never a source of another upstream version.
#
# APT runs on a private configuration in FR_APT_STATE (default: OUTDIR.apt): its
# own sources list, lists and cache; the machine's /etc/apt is only read.
#   FR_APT_SOURCES=FILE  the deb-src entries to use (one-line or deb822 form),
#                        instead of those derived from this machine's Debian
#                        "deb" entries.
#
# Usage: scripts/fr-headers.sh OUTDIR   -> OUTDIR/freeradius/*.h (+ freeradius-devel link)
set -euo pipefail

out=${1:?usage: $0 OUTDIR}
say() { echo "fr-headers: $*"; }
die() { echo "fr-headers: $*" >&2; exit 1; }

installed_dir=/usr/include/freeradius
version=$(dpkg-query -W -f='${Version}' libfreeradius-dev)
# 3.2.7+dfsg-1+deb13u3 -> 3.2.7: no epoch, no Debian revision, no repack suffix.
upstream_of() { sed 's/^[0-9]*://; s/-[^-]*$//; s/[+~].*//' <<<"$1"; }
upstream=$(upstream_of "$version")
stamp="$out/.complete-$version"
[ -f "$stamp" ] && exit 0

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
apt_state=${FR_APT_STATE:-$out.apt}

# The deb-src twin of every Debian "deb" entry of this machine, options (Signed-By...) kept.
derive_sources() {	# DIR
	local lists=() stanzas=()
	shopt -s nullglob
	lists=(/etc/apt/sources.list /etc/apt/sources.list.d/*.list)
	stanzas=(/etc/apt/sources.list.d/*.sources)
	shopt -u nullglob
	if [ ${#lists[@]} -gt 0 ]; then
		{ grep -hE '^deb[[:space:]]' "${lists[@]}" 2>/dev/null || true; } | { grep -i debian || true; } |
			sed 's/^deb[[:space:]]/deb-src /' >"$1/sources.list"
	fi
	if [ ${#stanzas[@]} -gt 0 ]; then
		awk 'BEGIN { RS = ""; ORS = "\n\n" }
		     /(^|\n)Types:[^\n]*deb( |\n|$)/ && tolower($0) ~ /uris:[^\n]*debian/ {
		         sub(/Types:[^\n]*/, "Types: deb-src"); print }' "${stanzas[@]}" >"$1/sources.list.d/debian.sources"
	fi
}

apt_private() {
	rm -rf "$apt_state"
	mkdir -p "$apt_state/sources.list.d" "$apt_state/lists/partial" "$apt_state/cache/archives/partial"
	apt_state=$(cd "$apt_state" && pwd)	# absolute: apt-get source runs in a directory of its own
	: >"$apt_state/sources.list"
	if [ -n "${FR_APT_SOURCES:-}" ]; then
		[ -f "$FR_APT_SOURCES" ] || die "FR_APT_SOURCES=$FR_APT_SOURCES is not a file"
		case $FR_APT_SOURCES in
			*.sources) cp "$FR_APT_SOURCES" "$apt_state/sources.list.d/" ;;
			*) cp "$FR_APT_SOURCES" "$apt_state/sources.list" ;;
		esac
		say "APT sources from $FR_APT_SOURCES"
	else
		derive_sources "$apt_state"
	fi
	[ -s "$apt_state/sources.list" ] || [ -n "$(ls -A "$apt_state/sources.list.d")" ] ||
		die "no Debian mirror found in the APT sources (set FR_APT_SOURCES or FR_SOURCE_DIR)"
	APT_OPTS=(-o "Dir::Etc::SourceList=$apt_state/sources.list" -o "Dir::Etc::SourceParts=$apt_state/sources.list.d"
		  -o "Dir::State::Lists=$apt_state/lists" -o "Dir::Cache=$apt_state/cache"
		  -o APT::Sandbox::User="$(id -un)")
	apt-get "${APT_OPTS[@]}" -q update >"$work/update.log" 2>&1 ||
		{ cat "$work/update.log" >&2; die "apt-get update of the source indexes failed (private state: $apt_state)"; }
}

# Every version of source package freeradius the mirrors list, highest first.
listed_versions() {
	{ apt-cache "${APT_OPTS[@]}" showsrc freeradius 2>/dev/null || true; } | sed -n 's/^Version: //p' | sort -u | sort_versions
}

sort_versions() {	# stdin: versions, stdout: highest first (dpkg's order)
	local v sorted=() i j
	while read -r v; do
		sorted+=("$v")
		for ((i = ${#sorted[@]} - 1; i > 0; i--)); do
			j=$((i - 1))
			dpkg --compare-versions "${sorted[i]}" gt "${sorted[j]}" || break
			v=${sorted[i]}; sorted[i]=${sorted[j]}; sorted[j]=$v
		done
	done
	[ ${#sorted[@]} -eq 0 ] || printf '%s\n' "${sorted[@]}"
}

download() {	# VERSION: unpacked into $work/src
	rm -rf "$work/dl" "$work/src"
	mkdir -p "$work/dl"
	(cd "$work/dl" && apt-get "${APT_OPTS[@]}" source -q --download-only "freeradius=$1") >"$work/source.log" 2>&1 ||
		return 1
	# APT checked these files against the signed Sources index; the .dsc
	# signature itself needs the uploader's key, which Debian does not install.
	dpkg-source --no-check -x "$work"/dl/freeradius_*.dsc "$work/src" >/dev/null
}

# The Debian source package: the exact version, else the same upstream version's highest other revision.
source_from_apt() {
	local candidate others=() listed
	apt_private
	if download "$version"; then
		say "source: Debian's freeradius $version (the installed version)"
		return 0
	fi
	say "the source of freeradius $version cannot be fetched ($(tail -n 1 "$work/source.log"))"
	listed=$(listed_versions)
	while read -r candidate; do
		[ -n "$candidate" ] && [ "$candidate" != "$version" ] || continue
		if [ "$(upstream_of "$candidate")" = "$upstream" ]; then
			if download "$candidate"; then
				say "source: Debian's freeradius $candidate instead, the highest other revision of upstream $upstream the mirrors serve"
				return 0
			fi
			say "the source of freeradius $candidate cannot be fetched either"
		else
			others+=("$candidate")
		fi
	done <<<"$listed"
	die "no source of FreeRADIUS $upstream (installed: $version) can be fetched${others:+; the mirrors list only other upstream versions (${others[*]}), whose headers are never used}. Set FR_SOURCE_DIR to a FreeRADIUS $upstream source tree to build offline"
}

source_from_dir() {
	local dir=$FR_SOURCE_DIR found
	[ -d "$dir/src/include" ] || die "FR_SOURCE_DIR=$dir has no src/include: not a FreeRADIUS source tree"
	[ -f "$dir/VERSION" ] || die "FR_SOURCE_DIR=$dir has no VERSION file: cannot tell which FreeRADIUS it is"
	found=$(head -n 1 "$dir/VERSION" | tr -d '[:space:]')
	[ "$found" = "$upstream" ] ||
		die "FR_SOURCE_DIR=$dir is FreeRADIUS $found, the installed one is $upstream ($version): headers of another upstream version are never used"
	ln -s "$(cd "$dir" && pwd)" "$work/src"
	say "source: FreeRADIUS $found in $dir (FR_SOURCE_DIR)"
}

# The installed headers stay authoritative: refuse a source whose common headers differ from them.
check_common_headers() {
	local h name differ=()
	for h in "$work"/src/src/include/*.h; do
		name=$(basename "$h")
		[ -e "$installed_dir/$name" ] || continue
		# Inside the source headers include each other as <freeradius-devel/...>; installed as <freeradius/...>.
		sed 's#freeradius-devel/#freeradius/#g' "$h" | cmp -s - "$installed_dir/$name" || differ+=("$name")
	done
	[ ${#differ[@]} -eq 0 ] ||
		die "the source's ${differ[*]} differ(s) from the installed $installed_dir (libfreeradius-dev $version): refusing to mix headers"
}

if [ -n "${FR_SOURCE_DIR:-}" ]; then source_from_dir; else source_from_apt; fi
check_common_headers

rm -rf "$out"
mkdir -p "$out/freeradius"
cp "$installed_dir"/*.h "$out/freeradius/"
# Only add what Debian did not install.
for h in "$work"/src/src/include/*.h; do
	[ -e "$out/freeradius/$(basename "$h")" ] || cp "$h" "$out/freeradius/"
done
# Headers from the source tree include each other as <freeradius-devel/...>.
ln -s freeradius "$out/freeradius-devel"
touch "$stamp"
say "FreeRADIUS $upstream headers in $out (installed: libfreeradius-dev $version)"

#!/usr/bin/env bash
# Provides the FreeRADIUS headers a module needs, for the exact installed version.
#
# Debian's libfreeradius-dev 3.2.1 lacks headers that radiusd.h includes (log.h,
# xlat.h, tmpl.h, clients.h, connection.h, process.h, listen.h, automask.h; fixed
# upstream in 3.2.9). We take them from Debian's source package of the installed
# version at build time, so nothing from FreeRADIUS is ever committed here.
#
# Usage: scripts/fr-headers.sh OUTDIR   -> OUTDIR/freeradius/*.h (+ freeradius-devel link)
set -euo pipefail

out=${1:?usage: $0 OUTDIR}
version=$(dpkg-query -W -f='${Version}' libfreeradius-dev)
stamp="$out/.complete-$version"
[ -f "$stamp" ] && exit 0

as_root=()
[ "$(id -u)" -eq 0 ] || as_root=(sudo)

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# apt-get source needs a deb-src entry for the mirror the machine already uses:
# copy each Debian "deb" entry as "deb-src", keeping its options (Signed-By...).
add_deb_src() {
	local base=/etc/apt/sources.list.d/phonecert-deb-src
	local lists=() stanzas=()
	shopt -s nullglob
	lists=(/etc/apt/sources.list /etc/apt/sources.list.d/*.list)
	stanzas=(/etc/apt/sources.list.d/*.sources)
	shopt -u nullglob

	echo "fr-headers: adding deb-src entries for the configured Debian mirrors ($base.*)"
	if [ ${#lists[@]} -gt 0 ]; then
		{ grep -hE '^deb[[:space:]]' "${lists[@]}" 2>/dev/null || true; } | { grep -i debian || true; } |
			sed 's/^deb[[:space:]]/deb-src /' | "${as_root[@]}" tee "$base.list" >/dev/null
	fi
	if [ ${#stanzas[@]} -gt 0 ]; then
		awk 'BEGIN { RS = ""; ORS = "\n\n" }
		     /(^|\n)Types:[^\n]*deb( |\n|$)/ && tolower($0) ~ /uris:[^\n]*debian/ {
		         sub(/Types:[^\n]*/, "Types: deb-src"); print }' "${stanzas[@]}" |
			"${as_root[@]}" tee "$base.sources" >/dev/null
	fi
	[ -s "$base.list" ] || [ -s "$base.sources" ] || { echo "fr-headers: no Debian mirror found in the APT sources" >&2; exit 1; }
	"${as_root[@]}" apt-get update -q >/dev/null
}

download_source() {
	(cd "$work" && apt-get source -q --download-only "freeradius=$version") >"$work/apt.log" 2>&1
}

if ! download_source; then
	add_deb_src
	download_source || { cat "$work/apt.log" >&2; echo "fr-headers: cannot download the source of freeradius $version" >&2; exit 1; }
fi
# APT already checked these files against the signed Sources index; the .dsc
# signature itself needs the uploader's key, which Debian does not install.
dpkg-source --no-check -x "$work"/freeradius_*.dsc "$work/src" >/dev/null

rm -rf "$out"
mkdir -p "$out/freeradius"
cp /usr/include/freeradius/*.h "$out/freeradius/"
# Only add what Debian did not install; the installed headers stay authoritative.
for h in "$work"/src/src/include/*.h; do
	[ -e "$out/freeradius/$(basename "$h")" ] || cp "$h" "$out/freeradius/"
done
# Headers from the source tree include each other as <freeradius-devel/...>.
ln -s freeradius "$out/freeradius-devel"
touch "$stamp"
echo "fr-headers: FreeRADIUS $version headers in $out"

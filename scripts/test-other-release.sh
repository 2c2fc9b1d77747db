#!/usr/bin/env bash
# Runs .ci/run (every package installed, make test, make test-valgrind) in a
# debootstrapped root of the other supported Debian release: trixie (13) on a
# bookworm (12) host, bookworm on a trixie host. Needs root and Debian's mirror.
#
# Usage: scripts/test-other-release.sh [RELEASE]
#   RELEASE      bookworm or trixie (default: the one this machine is not)
#   ROOTS_DIR    where the roots are kept (default: build/roots); a root is
#                reused by later runs, its packages then only updated
#   MIRROR       the Debian mirror (default: the one this machine's APT uses)
#
# The working tree (without build/ and .git) is copied into ROOT/src, so
# uncommitted changes are tested too. Nothing is installed on the host but
# debootstrap; the root's mounts are undone on exit.
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
supported=(bookworm trixie)

host_release() {
	# shellcheck disable=SC1091 # the host's own file
	(. /etc/os-release && echo "${VERSION_CODENAME:-unknown}")
}

other_release() {
	case $1 in
		bookworm) echo trixie ;;
		trixie) echo bookworm ;;
		*) echo "test-other-release: this machine runs '$1'; say which release to test: ${supported[*]}" >&2; return 2 ;;
	esac
}

host=$(host_release)
release=${1:-$(other_release "$host")}
case " ${supported[*]} " in *" $release "*) ;; *) echo "test-other-release: unsupported release '$release' (${supported[*]})" >&2; exit 2 ;; esac
[ "$(id -u)" -eq 0 ] || { echo "test-other-release: must run as root (debootstrap, chroot)" >&2; exit 2; }

configured_mirror() {
	{ grep -hE '^deb[[:space:]]' /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null |
		awk '{ for (i = 2; i <= NF; i++) if ($i ~ /^https?:/) { print $i; exit } }'
	  grep -hiE '^URIs:' /etc/apt/sources.list.d/*.sources 2>/dev/null | awk '{ print $2 }'
	} | grep -v -- '-security' | grep -i debian | head -n 1
}
mirror=${MIRROR:-$(configured_mirror)}
mirror=${mirror:-http://deb.debian.org/debian}

roots=${ROOTS_DIR:-$repo/build/roots}
root=$roots/$release
mounted=()

unmount_all() {
	local i
	for ((i = ${#mounted[@]} - 1; i >= 0; i--)); do umount -l "${mounted[i]}" 2>/dev/null || true; done
	mounted=()
}
trap unmount_all EXIT

mount_in_root() {
	local type=$1 target=$root/$2
	mkdir -p "$target"
	mount -t "$type" "$type" "$target"
	mounted+=("$target")
}

make_root() {
	command -v debootstrap >/dev/null || { echo "test-other-release: debootstrap is missing (scripts/install-deps.sh test installs it)" >&2; exit 1; }
	echo "test-other-release: debootstrap $release from $mirror into $root"
	rm -rf "$root"
	mkdir -p "$roots"
	debootstrap --variant=minbase "$release" "$root.new" "$mirror" >"$roots/debootstrap-$release.log" 2>&1 ||
		{ tail -n 20 "$roots/debootstrap-$release.log" >&2; echo "test-other-release: debootstrap failed" >&2; exit 1; }
	# The release's updates and security fixes, as on an installed machine.
	cat >"$root.new/etc/apt/sources.list" <<EOF
deb $mirror $release main
deb $mirror $release-updates main
deb ${mirror%/debian}/debian-security $release-security main
EOF
	# Package scripts must not start daemons in the root (the tests start their own).
	printf '#!/bin/sh\nexit 101\n' >"$root.new/usr/sbin/policy-rc.d"
	chmod 755 "$root.new/usr/sbin/policy-rc.d"
	mv "$root.new" "$root"
	touch "$root/.phonecert-root"
}

[ -f "$root/.phonecert-root" ] || make_root
cp /etc/resolv.conf "$root/etc/resolv.conf"

# The work tree as it is (build/ and .git left out), beside a copy of ../shared.
rm -rf "$root/src"
mkdir -p "$root/src/phonecert"
tar -C "$repo" --exclude=./build --exclude=./.git -c . | tar -C "$root/src/phonecert" -x
[ ! -d "$repo/../shared" ] || cp -a "$repo/../shared" "$root/src/shared"

mount_in_root proc proc
mount_in_root sysfs sys
mount_in_root devpts dev/pts
mount_in_root tmpfs dev/shm   # PostgreSQL needs it

echo "test-other-release: bash .ci/run on Debian $release (host: $host)"
chroot "$root" /usr/bin/env -i PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
	HOME=/root LANG=C.UTF-8 CI="${CI:-}" PHONECERT_OTHER_RELEASE=no \
	bash -c 'cd /src/phonecert && bash .ci/run'

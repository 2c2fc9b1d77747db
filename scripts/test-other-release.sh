#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
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

roots=${ROOTS_DIR:-$repo/build/roots}
root=$roots/$release
# shellcheck source=debian-root.sh
source "$repo/scripts/debian-root.sh"
trap debian_root_unmount_all EXIT
debian_root_ensure "$release" "$root"

# The work tree as it is (build/ and .git left out), beside a copy of ../shared.
rm -rf "$root/src"
mkdir -p "$root/src/phonecert"
tar -C "$repo" --exclude=./build --exclude=./.git -c . | tar -C "$root/src/phonecert" -x
[ ! -d "$repo/../shared" ] || cp -a "$repo/../shared" "$root/src/shared"
# The migration suites start from the schema before versions, which only git's history has.
mkdir -p "$root/src/previous-schema"
for dialect in sqlite postgresql; do
	bash "$repo/tests/integration/previous-schema.sh" "$repo" "$dialect" >"$root/src/previous-schema/$dialect.sql"
done

debian_root_mount "$root"

echo "test-other-release: bash .ci/run on Debian $release (host: $host)"
debian_root_run "$root" CI="${CI:-}" PHONECERT_OTHER_RELEASE=no PHONECERT_PREVIOUS_SCHEMA_DIR=/src/previous-schema \
	bash -c 'cd /src/phonecert && bash .ci/run'

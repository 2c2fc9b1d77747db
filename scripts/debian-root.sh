# SPDX-License-Identifier: GPL-2.0-or-later
# Debootstrapped Debian roots for tests, shared by scripts/test-other-release.sh
# (the suite on the other release) and tests/integration/test-deb.sh (the
# package installed into a fresh root). Source it; needs root and Debian's mirror.
#
#   debian_root_ensure RELEASE ROOT   make ROOT (debootstrap --variant=minbase)
#                                     unless it was made before: roots are reused
#   debian_root_run ROOT CMD...       CMD in ROOT, clean environment
#   debian_root_mount ROOT            proc, sys, dev/pts, dev/shm (PostgreSQL
#                                     needs a tmpfs there); undone by
#                                     debian_root_unmount_all (call it on EXIT)
#
# A root's package scripts never start daemons (policy-rc.d exits 101): tests
# start their own. MIRROR overrides the mirror this machine's APT uses.

DEBIAN_ROOT_MOUNTED=()

debian_root_mirror() {
	local mirror
	mirror=${MIRROR:-$({ grep -hE '^deb[[:space:]]' /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null |
		awk '{ for (i = 2; i <= NF; i++) if ($i ~ /^https?:/) { print $i; exit } }'
	  grep -hiE '^URIs:' /etc/apt/sources.list.d/*.sources 2>/dev/null | awk '{ print $2 }'
	} | grep -v -- '-security' | grep -i debian | head -n 1)}
	echo "${mirror:-http://deb.debian.org/debian}"
}

debian_root_ensure() {
	local release=$1 root=$2 mirror log
	[ -f "$root/.phonecert-root" ] || {
		command -v debootstrap >/dev/null || { echo "debian-root: debootstrap is missing (scripts/install-deps.sh test installs it)" >&2; return 1; }
		mirror=$(debian_root_mirror)
		log=$(dirname "$root")/debootstrap-$(basename "$root").log
		echo "debian-root: debootstrap $release from $mirror into $root"
		rm -rf "$root" "$root.new"
		mkdir -p "$(dirname "$root")"
		debootstrap --variant=minbase "$release" "$root.new" "$mirror" >"$log" 2>&1 ||
			{ tail -n 20 "$log" >&2; echo "debian-root: debootstrap failed (log: $log)" >&2; return 1; }
		# The release's updates and security fixes, as on an installed machine.
		cat >"$root.new/etc/apt/sources.list" <<EOF
deb $mirror $release main
deb $mirror $release-updates main
deb ${mirror%/debian}/debian-security $release-security main
EOF
		printf '#!/bin/sh\nexit 101\n' >"$root.new/usr/sbin/policy-rc.d"
		chmod 755 "$root.new/usr/sbin/policy-rc.d"
		mv "$root.new" "$root"
		touch "$root/.phonecert-root"
	}
	cp /etc/resolv.conf "$root/etc/resolv.conf"
}

debian_root_mount() {
	local root=$1 type target
	for type in proc:proc sysfs:sys devpts:dev/pts tmpfs:dev/shm; do
		target=$root/${type#*:}
		mkdir -p "$target"
		mount -t "${type%%:*}" "${type%%:*}" "$target" || return 1
		DEBIAN_ROOT_MOUNTED+=("$target")
	done
}

debian_root_unmount_all() {
	local i
	for ((i = ${#DEBIAN_ROOT_MOUNTED[@]} - 1; i >= 0; i--)); do umount -l "${DEBIAN_ROOT_MOUNTED[i]}" 2>/dev/null || true; done
	DEBIAN_ROOT_MOUNTED=()
}

# DEBIAN_ROOT_CMD: the command prefix that runs a program in ROOT with a
# clean environment (chroot and env exec it: started in the background, $! is
# the program's own process id).
debian_root_command() {
	DEBIAN_ROOT_CMD=(chroot "$1" /usr/bin/env -i PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
		HOME=/root LANG=C.UTF-8 DEBIAN_FRONTEND=noninteractive)
}

# Runs a command in ROOT with a clean environment: debian_root_run ROOT CMD...
debian_root_run() {
	local root=$1; shift
	debian_root_command "$root"
	"${DEBIAN_ROOT_CMD[@]}" "$@"
}

#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Installs the Debian packages rlm_phonecert needs to build, run and test.
# Does nothing (and needs no network) when everything is already installed.
# Usage: scripts/install-deps.sh build|deb|test|bench|fleet|image  install what is missing
#        scripts/install-deps.sh --list build|test|bench|fleet|image   print the package names
set -euo pipefail

# The same names on Debian 12 and 13. PCRE's headers are added afterwards, only
# where the installed FreeRADIUS was built with PCRE (Debian 12's is, 13's is not).
build_packages=(make gcc dpkg-dev freeradius freeradius-utils libfreeradius-dev
                libtalloc-dev libssl-dev openssl xz-utils
                libsqlite3-dev libpq-dev libpcap-dev)
test_packages=(libcmocka-dev eapoltest valgrind jq sqlite3 postgresql freeradius-postgresql chromium tcpdump python3)
# The fleet's shared TLS session store (test-fleet*.sh, make bench): rlm_cache's memcached driver and memcached.
test_packages+=(freeradius-memcached memcached)
# make fuzz / make sanitize: clang, the libFuzzer and sanitizer runtimes of the
# same clang (libclang-rt-dev, only recommended by clang) and llvm-symbolizer
# for readable stack traces (llvm). Unversioned: clang 14 on 12, clang 19 on 13.
test_packages+=(clang libclang-rt-dev llvm)
# make deb: Debian's packaging tools (dpkg-buildpackage requires build-essential) and lintian.
deb_packages=(build-essential debhelper lintian)
# make test-other-release, test-deb: a root of a Debian release; the metrics'
# exposition format (promtool); the container image (podman, buildah).
test_packages+=("${deb_packages[@]}" debootstrap prometheus podman buildah)
# compose.yaml's fleet profile, checked as YAML (test-docker-build.sh).
test_packages+=(python3-yaml)
# make bench: what the tests need, and perf to sample radiusd (bench/cpu-samples.sh).
bench_packages=(linux-perf)
# make fleet (scripts/run-fleet.sh): the inventory's PostgreSQL, the shared TLS
# session store (memcached, rlm_cache's driver for it), and what to try it with.
fleet_packages=(postgresql freeradius-postgresql memcached freeradius-memcached eapoltest python3)
# The container image (docker/build.sh): what builds it, and the drivers a
# fleet's servers load: rlm_sql's for PostgreSQL, rlm_cache's for memcached.
image_packages=(freeradius-postgresql freeradius-memcached)
# make test runs the fleet's suites and builds the image without network, so
# it needs both sets installed beforehand.
test_packages+=("${fleet_packages[@]}" "${image_packages[@]}")

list_only=false
if [ "${1:-}" = --list ]; then list_only=true; shift; fi

case "${1:-build}" in
	build) wanted=("${build_packages[@]}") ;;
	deb)   wanted=("${build_packages[@]}" "${deb_packages[@]}") ;;
	test)  wanted=("${build_packages[@]}" "${test_packages[@]}") ;;
	bench) wanted=("${build_packages[@]}" "${test_packages[@]}" "${bench_packages[@]}") ;;
	fleet) wanted=("${build_packages[@]}" "${fleet_packages[@]}") ;;
	image) wanted=("${build_packages[@]}" "${image_packages[@]}") ;;
	*) echo "usage: $0 build|deb|test|bench|fleet|image" >&2; exit 2 ;;
esac

# Each name once (the sets overlap).
mapfile -t wanted < <(printf '%s\n' "${wanted[@]}" | awk '!seen[$0]++')
if $list_only; then echo "${wanted[*]}"; exit 0; fi

install_missing() {
	local pkg status missing=()
	for pkg in "$@"; do
		status=$(dpkg-query -W -f='${db:Status-Status}' "$pkg" 2>/dev/null || true)
		[ "$status" = installed ] || missing+=("$pkg")
	done
	[ ${#missing[@]} -eq 0 ] && return 0

	echo "install-deps: installing ${missing[*]}"
	local as_root=()
	if [ "$(id -u)" -ne 0 ]; then
		command -v sudo >/dev/null || { echo "install-deps: need root (or sudo) to install: ${missing[*]}" >&2; exit 1; }
		as_root=(sudo)
	fi
	"${as_root[@]}" apt-get update -q
	"${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}"
}

install_missing "${wanted[@]}"
# FreeRADIUS' regex.h includes <pcre.h> when it was built with PCRE, and
# libfreeradius-dev does not depend on the headers.
if grep -q '^#define HAVE_PCRE 1' /usr/include/freeradius/autoconf.h; then
	install_missing libpcre3-dev
fi

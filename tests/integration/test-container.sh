#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The container image, really built and run, without a Docker engine:
# Debian's buildah builds docker/Dockerfile (--storage-driver vfs --isolation
# chroot) on a base image made offline (debootstrap, imported with podman),
# for Debian 13 (the default) and Debian 12 (--build-arg
# DEBIAN_RELEASE=bookworm). Each image's command then runs with
# `buildah run --isolation chroot` on the volumes compose.yaml mounts (the
# operator's raddb, certificates, the inventory), and demo phones
# authenticate against it on a random loopback port with phonecert-test.
#
# Images and base roots are kept in build/containers and build/roots: the
# base images are made once, each run builds one layer over them (no --layers:
# vfs stores every layer whole) and prunes the last run's. Where buildah or
# podman cannot run at all, the suite says SKIP.
set -u
source "$(dirname "$0")/lib.sh"
it_init

STORE=$IT_BUILD/containers
STORAGE=(--root "$STORE/root" --runroot "$STORE/run" --storage-driver vfs)
RELEASES=${PHONECERT_CONTAINER_RELEASES:-trixie bookworm}
LOG=$IT_BUILD/it-container
mkdir -p "$LOG"

if [ "$(id -u)" -ne 0 ] || ! command -v buildah >/dev/null || ! command -v podman >/dev/null; then
	skip "the container image: needs root, buildah and podman (scripts/install-deps.sh test installs them)"
	it_finish; exit
fi
if ! out=$(buildah "${STORAGE[@]}" info 2>&1); then
	skip "the container image: buildah cannot run here: $(tail -n 1 <<<"$out")"
	it_finish; exit
fi
if [ "${PHONECERT_OTHER_RELEASE:-}" = no ]; then
	# scripts/test-other-release.sh: the images do not depend on the machine's
	# release, and the host's run built and ran both already (CI's time is bounded).
	skip "the container image: built and run for both releases by the host's make test, not again in the other release's root"
	it_finish; exit
fi
source "$IT_REPO/scripts/debian-root.sh"

CONTAINER=
MOUNT=
container_remove() {
	server_stop
	[ -n "$CONTAINER" ] || return 0
	buildah "${STORAGE[@]}" umount "$CONTAINER" >/dev/null 2>&1
	buildah "${STORAGE[@]}" rm "$CONTAINER" >/dev/null 2>&1
	CONTAINER= MOUNT=
}
trap 'container_remove; it_cleanup' EXIT

# debian:RELEASE-slim, as FROM names it: a debootstrapped root imported once.
base_image() {	# RELEASE
	local release=$1 root=$IT_BUILD/roots/image-$1
	podman "${STORAGE[@]}" image exists "localhost/debian:$release-slim" && return 0
	debian_root_ensure "$release" "$root" >"$LOG/base-$release.log" 2>&1 || return 1
	tar -C "$root" --exclude=./.phonecert-root -c . |
		podman "${STORAGE[@]}" import - "localhost/debian:$release-slim" >>"$LOG/base-$release.log" 2>&1
}

# The compose.yaml layout: PHONECERT_RADDB at /etc/freeradius/3.0 (read-only),
# the certificates over its certs/ (read-only), the inventory at /var/lib/freeradius.
volume_args() {	# DIR with raddb/, certs/, inventory/
	printf '%s\n' -v "$1/raddb:/etc/freeradius/3.0:ro" -v "$1/certs:/etc/freeradius/3.0/certs:ro" -v "$1/inventory:/var/lib/freeradius"
}

for release in $RELEASES; do
	echo "# Debian $release: docker/Dockerfile"
	image=localhost/rlm-phonecert:it-$release
	if base_image "$release"; then pass "base image debian:$release-slim (debootstrap, podman import)"; else fail "no base image for $release:"; tail -n 5 "$LOG/base-$release.log" | sed 's/^/#   /'; continue; fi
	args=()
	[ "$release" = trixie ] || args=(--build-arg "DEBIAN_RELEASE=$release")
	start=$SECONDS
	if buildah "${STORAGE[@]}" bud --isolation chroot --network host --pull=never \
		--ignorefile "$IT_REPO/docker/Dockerfile.dockerignore" -f "$IT_REPO/docker/Dockerfile" "${args[@]}" \
		-t "$image" "$IT_REPO" >"$LOG/build-$release.log" 2>&1; then
		pass "buildah bud docker/Dockerfile ${args[*]:-(the default)}: $image in $((SECONDS - start)) s"
	else
		fail "buildah bud failed:"; tail -n 10 "$LOG/build-$release.log" | sed 's/^/#   /'; continue
	fi
	if [ "$(buildah "${STORAGE[@]}" inspect --format '{{.OCIv1.Config.Cmd}}' "$image")" = '[freeradius -f -l stdout]' ]; then
		pass "the image's command: freeradius -f -l stdout"
	else
		fail "the image's command is not freeradius -f -l stdout"
	fi

	CONTAINER=$(buildah "${STORAGE[@]}" from --pull=never --name "phonecert-it-$release-$$" "$image") &&
		MOUNT=$(buildah "${STORAGE[@]}" mount "$CONTAINER") || { fail "cannot make a container of $image"; continue; }
	fr_version=$(chroot "$MOUNT" dpkg-query -W -f='${Version}' freeradius)
	case $release in
		trixie) want_major=3.2.7 ;;
		bookworm) want_major=3.2.1 ;;
		*) want_major=? ;;
	esac
	if [[ $fr_version == "$want_major"* ]]; then pass "Debian $release's FreeRADIUS in the image: $fr_version"; else fail "FreeRADIUS $fr_version in the $release image (expected $want_major)"; fi

	# The operator's side, seeded from the image as doc/docker.md says.
	ops=$IT_OPEN/ops-$release
	rm -rf "$ops"
	mkdir -p "$ops"
	cp -a "$MOUNT/etc/freeradius/3.0" "$ops/raddb"
	owner=$(awk -F: '$1 == "freerad" { print $3 ":" $4 }' "$MOUNT/etc/passwd")
	operator_setup "$ops/raddb" "$owner"
	ln -sfn ../mods-available/sql_phonecert "$ops/raddb/mods-enabled/sql_phonecert"
	mv "$ops/raddb/certs" "$ops/certs"
	mkdir "$ops/raddb/certs"
	install -d -o "${owner%:*}" -g "${owner#*:}" -m 0750 "$ops/inventory"
	mkdir -p "$ops/orig" && cp -a "$ops/raddb/sites-available" "$ops/orig/"
	mapfile -t volumes < <(volume_args "$ops")
	run_log=$LOG/run-$release.log
	if debian_server_start "$ops/orig" "$ops/raddb" "$run_log" \
		buildah "${STORAGE[@]}" run --isolation chroot --network host "${volumes[@]}" "$CONTAINER" -- freeradius -f -l stdout; then
		pass "buildah run: the image's command serves on 127.0.0.1:$IT_PORT with compose.yaml's volumes"
		phone() {	# $1: want exit, $2: label, rest: phonecert-test arguments
			local want=$1 label=$2 rc; shift 2
			PHONE_OUT=$(cd "$IT_PKI" && timeout 60 "$IT_REPO/scripts/phonecert-test" -p "$IT_PORT" "$@" 2>/dev/null)
			rc=$?
			if [ "$rc" -eq "$want" ]; then pass "$release: $label: $PHONE_OUT"; else fail "$release: $label: exit $rc ($PHONE_OUT), expected $want"; fi
		}
		phone 0 "LSC phone" lsc-new-rsa.pem lsc-new-rsa.key server-ca.pem
		if grep -qF 'Cisco-AVPair="device-traffic-class=voice"' <<<"$PHONE_OUT"; then pass "$release: LSC phone: voice domain"; else fail "$release: LSC phone: no voice domain"; fi
		phone 0 "MIC phone" mic.pem mic.key server-ca.pem
		if grep -qF 'Tunnel-Private-Group-Id="phones-lsc-enrolment"' <<<"$PHONE_OUT"; then pass "$release: MIC phone: the enrolment VLAN"; else fail "$release: MIC phone: no enrolment VLAN"; fi
		phone 1 "the other cluster's LSC" lsc-other.pem lsc-other.key server-ca.pem
		sleep 0.5
		if grep -qE 'phonecert: reject device=SEPB000B4BA0AEE .*LSC from another cluster' "$run_log"; then pass "$release: the reject's log line on stdout"; else fail "$release: no reject line on the container's stdout"; fi
		if [ "$(stat -c %u:%g "$ops/inventory/phonecert-inventory.sqlite" 2>/dev/null)" = "$owner" ]; then
			pass "$release: the inventory in the inventory volume, owned by the image's freerad"
		else
			fail "$release: no inventory in the inventory volume"
		fi
	else
		fail "$release: the image's command did not start:"; tail -n 8 "$run_log" | sed 's/^/#   /'
	fi
	mounted=$MOUNT
	container_remove
	left=$(for p in /proc/[0-9]*; do [ "$(readlink "$p/root" 2>/dev/null)" = "$mounted" ] && echo "${p#/proc/}"; done)
	if [ -z "$left" ]; then pass "$release: nothing left running in the container"; else fail "$release: processes left in the container: $left"; fi
done

# vfs keeps a full copy per layer: drop the images no tag names any more (earlier builds).
buildah "${STORAGE[@]}" rmi --prune >/dev/null 2>&1

echo "# docker/compose.yaml"
compose=$IT_REPO/docker/compose.yaml
for volume in '\$\{PHONECERT_RADDB:-\./raddb\}:/etc/freeradius/3\.0:ro' '\$\{PHONECERT_CERTS:-\./certs\}:/etc/freeradius/3\.0/certs:ro' \
	      'phonecert-inventory:/var/lib/freeradius'; do
	if grep -qE "^[[:space:]]+- $volume\$" "$compose"; then pass "compose.yaml mounts $(sed 's/\\//g' <<<"$volume") (as this suite ran it)"; else fail "compose.yaml lacks the volume $volume"; fi
done
if grep -qE '^volumes:' "$compose" && grep -qE '^[[:space:]]+phonecert-inventory:' "$compose"; then pass "compose.yaml declares the named volume phonecert-inventory"; else fail "compose.yaml does not declare phonecert-inventory"; fi

it_finish

#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The Docker image build without Docker: docker/Dockerfile only copies the
# repository and runs docker/build.sh, so this suite runs docker/build.sh the
# same way, into a staging root (PHONECERT_DESTDIR), without network when the
# packages are installed, and checks what it produced: the module, Debian's
# configuration with phonecert added (freeradius -C with the staged module),
# and the image's command serving phones. It also checks that the Dockerfile
# and compose.yaml still do just that.
set -u
source "$(dirname "$0")/lib.sh"
it_init

DOCKER=$IT_REPO/docker
STAGE=$IT_OPEN/docker-root
RADDB=$STAGE/etc/freeradius/3.0
LOG=$IT_BUILD/it-docker-build.log

check() {	# $1: label, rest: a command that must succeed
	local label=$1; shift
	if "$@"; then pass "$label"; else fail "$label"; fi
}

echo "# docker/Dockerfile: nothing but COPY of the repository and RUN docker/build.sh"
dockerfile=$DOCKER/Dockerfile
# Instructions, one per line (continuations joined, comments dropped).
instructions=$(sed -e '/^[[:space:]]*#/d' -e '/^[[:space:]]*$/d' "$dockerfile" | sed -e ':a' -e '/\\$/N; s/\\\n//; ta')
keywords=$(awk '{ print toupper($1) }' <<<"$instructions")
copy_lines=$(grep -iE '^(COPY|ADD)[[:space:]]' <<<"$instructions")
run_lines=$(grep -iE '^RUN[[:space:]]' <<<"$instructions")
one_line() { [ -n "$1" ] && [ "$(wc -l <<<"$1")" -eq 1 ]; }
only_known_keywords() { ! grep -qvxE 'FROM|LABEL|COPY|RUN|EXPOSE|CMD' <<<"$(tail -n +2 <<<"$keywords")"; }
copies_context() { one_line "$copy_lines" && grep -qE '^COPY[[:space:]]+\.[[:space:]]+/[^[:space:]]+$' <<<"$copy_lines"; }
release_arg() { [ "$(head -n 1 <<<"$instructions")" = "ARG DEBIAN_RELEASE=trixie" ] && [ "$(grep -c '^ARG' <<<"$instructions")" -eq 1 ]; }
check "the first line is ARG DEBIAN_RELEASE=trixie (Debian 13 by default), the only ARG" release_arg
check "FROM debian:\${DEBIAN_RELEASE}-slim" grep -qxE 'FROM[[:space:]]+debian:\$\{DEBIAN_RELEASE\}-slim' <<<"$instructions"
check "only ARG (before FROM), FROM, LABEL, COPY, RUN, EXPOSE, CMD (no ENV, WORKDIR... that build.sh would not get in CI)" only_known_keywords
check "exactly one COPY, of the whole build context" copies_context
srcdir=$(awk '{ print $3 }' <<<"$copy_lines")
check "exactly one RUN" one_line "$run_lines"
if grep -qxE "RUN[[:space:]]+(\[\"$srcdir/docker/build.sh\"\]|$srcdir/docker/build.sh)" <<<"$run_lines"; then
	pass "the RUN line is $srcdir/docker/build.sh (from the COPY destination), alone, no PHONECERT_DESTDIR"
else
	fail "the RUN line is not just $srcdir/docker/build.sh: $run_lines"
fi
check "docker/build.sh is executable (the RUN line calls it directly; COPY keeps the mode)" test -x "$DOCKER/build.sh"
check "CMD runs freeradius in the foreground, logging to stdout" \
	grep -qxE 'CMD[[:space:]]+\["freeradius", *"-f", *"-l", *"stdout"\]' <<<"$instructions"
check "EXPOSE 1812/udp 1813/udp" grep -qxE 'EXPOSE[[:space:]]+1812/udp[[:space:]]+1813/udp' <<<"$instructions"
ignores() {	# FILE PATTERN...: each pattern is a line of FILE
	local file=$1 pattern; shift
	for pattern; do grep -qxF -- "$pattern" "$file" || return 1; done
}
check "Dockerfile.dockerignore keeps build/, .git and the operator's docker/raddb and docker/certs out of the image" \
	ignores "$DOCKER/Dockerfile.dockerignore" .git build docker/raddb docker/certs

echo "# docker/compose.yaml"
compose=$DOCKER/compose.yaml
has_lines() {	# FILE REGEX...: each extended regex matches a line of FILE
	local file=$1 regex; shift
	for regex; do grep -qE -- "$regex" "$file" || return 1; done
}
check "builds docker/Dockerfile with the repository as context" \
	has_lines "$compose" '^[[:space:]]+context: \.\.$' '^[[:space:]]+dockerfile: docker/Dockerfile$'
check "publishes 1812/udp and 1813/udp" has_lines "$compose" '"1812:1812/udp"' '"1813:1813/udp"'
check "mounts the host configuration (PHONECERT_RADDB, default ./raddb) at /etc/freeradius/3.0, read-only" \
	grep -qE '^[[:space:]]+- \$\{PHONECERT_RADDB:-\./raddb\}:/etc/freeradius/3\.0:ro$' "$compose"
# No container runs on these machines: the fleet profile is checked as a file.
fleet_profile() {
	/usr/bin/python3 - "$compose" <<'PY'
import os, sys, yaml
path = sys.argv[1]
services = yaml.safe_load(open(path))["services"]
fleet = {name for name, s in services.items() if "fleet" in s.get("profiles", [])}
assert fleet == {"fleet-db", "fleet-sessions", "fleet-a", "fleet-b"}, fleet
assert "profiles" not in services["freeradius"]
assert "ports" not in services["fleet-sessions"], "the session store holds master secrets: no host port"
for name in fleet:
    for volume in services[name].get("volumes", []):
        source = volume.split(":")[0]
        if source.startswith("../") or source.startswith("./fleet/3"):
            assert os.path.exists(os.path.join(os.path.dirname(path), source)), source
PY
}
check "the fleet profile (checked statically: YAML, its four services, the store on no host port, the repository files it mounts)" \
	fleet_profile
if command -v docker >/dev/null && docker compose version >/dev/null 2>&1; then
	check "docker compose config accepts compose.yaml" docker compose -f "$compose" config -q
fi

echo "# docker/build.sh into a staging root"
# What must not change on this machine.
snapshot() {
	find /etc/freeradius /usr/lib/freeradius -printf '%p %s %T@ %m %u %g %l\n' 2>/dev/null | sort | md5sum
}
before=$(snapshot)
# No network: a network namespace of its own, when this machine allows it.
isolate=()
label="docker/build.sh runs"
if unshare -n true 2>/dev/null; then isolate=(unshare -n); label="docker/build.sh runs without network"; fi
if env PHONECERT_DESTDIR="$STAGE" "${isolate[@]}" "$DOCKER/build.sh" >"$LOG" 2>&1; then
	pass "$label"
else
	fail "$label:"; tail -n 8 "$LOG" | sed 's/^/#   /'
fi
check "this machine's /etc/freeradius and /usr/lib/freeradius are untouched" [ "$(snapshot)" = "$before" ]

module=$STAGE/usr/lib/freeradius/rlm_phonecert.so
check "the module is /usr/lib/freeradius/rlm_phonecert.so in the staging root" test -s "$module"
check "it is the module make built" cmp -s "$module" "$IT_BUILD/rlm_phonecert.so"
for file in dictionary.phonecert mods-available/phonecert policy.d/phonecert certs/phonecert/manufacturing.pem; do
	check "installed /etc/freeradius/3.0/$file" test -s "$RADDB/$file"
done
check "installed /usr/local/bin/phonecert-test" test -x "$STAGE/usr/local/bin/phonecert-test"
check "Debian's configuration copied beside it (radiusd.conf, sites-available/default)" \
	test -s "$RADDB/radiusd.conf" -a -s "$RADDB/sites-available/default"
check "phonecert enabled: mods-enabled/phonecert -> ../mods-available/phonecert" \
	[ "$(readlink "$RADDB/mods-enabled/phonecert")" = ../mods-available/phonecert ]
check "dictionary includes dictionary.phonecert" grep -qxF "\$INCLUDE dictionary.phonecert" "$RADDB/dictionary"

# The calls doc/installation.md asks for, in the default site's post-auth.
post_auth_calls() {	# prints "post-auth NAME" and "reject NAME" for each phonecert call
	awk '/^post-auth \{/ { inside = 1; next }
	     inside && /^[[:space:]]*Post-Auth-Type REJECT \{/ { reject = 1; next }
	     inside && reject && /^\t\}/ { reject = 0; next }
	     inside && /^\}/ { inside = 0 }
	     inside && /^[[:space:]]*phonecert[a-z_]*[[:space:]]*$/ { gsub(/[[:space:]]/, ""); print (reject ? "reject " : "post-auth ") $0 }' \
		"$RADDB/sites-available/default"
}
calls=$(post_auth_calls)
check "default site: phonecert_post_auth in post-auth, phonecert_post_auth_reject in Post-Auth-Type REJECT (two lines)" \
	[ "$calls" = "post-auth phonecert_post_auth
reject phonecert_post_auth_reject" ]
check "run_dir /var/run/freeradius created for the freerad user" \
	[ "$(stat -c %U "$STAGE/var/run/freeradius" 2>/dev/null)" = freerad ]

echo "# the staged configuration with the staged module: freeradius -C"
# The operator's side (compose.yaml mounts it): a copy of the image's
# configuration with the CAPF certificates its phonecert section names.
operator_copy() {	# $1: directory
	rm -rf "$1"
	cp -a "$RADDB" "$1"
	operator_setup "$1" freerad:freerad
	# The staged module first, Debian's modules (eap...) from the system.
	sed -i "s|^[[:space:]]*libdir = .*|libdir = $STAGE/usr/lib/freeradius:/usr/lib/freeradius|" "$1/radiusd.conf"
}
check_conf=$IT_OPEN/docker-check
operator_copy "$check_conf"
out=$(timeout 60 freeradius -C -X -d "$check_conf" 2>&1)
if grep -q 'rlm_phonecert (phonecert): deciding phone certificates in eap eap tls-config tls-common with 3 anchor(s)' <<<"$out" &&
   grep -q 'Configuration appears to be OK' <<<"$out"; then
	pass "freeradius -C -X: phonecert loaded from the staging root, configuration OK"
else
	fail "freeradius -C -X fails on the staged configuration:"; tail -n 5 <<<"$out" | sed 's/^/#   /'
fi
if grep -q "Loaded module rlm_phonecert" <<<"$out"; then pass "rlm_phonecert loaded"; else fail "rlm_phonecert not loaded"; fi

# Without the operator's CAPF certificates the image's configuration does not start, naming the file.
rm "$check_conf/certs/phonecert/capf-new.pem"
out=$(timeout 60 freeradius -C -X -d "$check_conf" 2>&1)
if ! grep -q 'Configuration appears to be OK' <<<"$out" && grep -q "mods-enabled/phonecert\[[0-9]*\]: .*cannot read ca_file .*capf-new.pem" <<<"$out"; then
	pass "without the operator's CAPF certificate: refused, naming the file"
else
	fail "a missing CAPF certificate not reported:"; tail -n 3 <<<"$out" | sed 's/^/#   /'
fi

echo "# the image's command, freeradius -f -l stdout, on the staged configuration"
run_conf=$IT_OPEN/docker-run
run_log=$IT_OPEN/docker-run.log
operator_copy "$run_conf"
sed -i -e "s|^run_dir = .*|run_dir = $STAGE/var/run/freeradius|" \
       -e "s|^logdir = .*|logdir = $IT_OPEN/docker-run-log|" "$run_conf/radiusd.conf"
mkdir -p "$IT_OPEN/docker-run-log"
chown freerad:freerad "$IT_OPEN/docker-run-log" 2>/dev/null
# The image listens on *:1812/1813 and ::; here on 127.0.0.1 and random ports, IPv4 only.
started=false
debian_server_start "$RADDB" "$run_conf" "$run_log" freeradius -f -l stdout -d "$run_conf" && started=true
if $started; then
	pass "freeradius -f -l stdout starts and logs to stdout"
	phone() {	# $1: want exit, $2: label, rest: phonecert-test arguments
		local want=$1 label=$2 out rc; shift 2
		out=$(cd "$IT_PKI" && timeout 60 "$IT_REPO/scripts/phonecert-test" -p "$IT_PORT" "$@" 2>/dev/null)
		rc=$?
		if [ "$rc" -eq "$want" ]; then pass "$label: $out"; else fail "$label: exit $rc ($out), expected $want"; fi
		PHONE_OUT=$out
	}
	phone 0 "LSC phone" lsc-new-rsa.pem lsc-new-rsa.key server-ca.pem
	check "LSC phone: the switch gets the voice domain (phonecert_post_auth in post-auth)" \
		grep -qF 'Cisco-AVPair="device-traffic-class=voice"' <<<"$PHONE_OUT"
	phone 0 "MIC phone" mic.pem mic.key server-ca.pem
	check "MIC phone: the LSC-enrolment VLAN" grep -qF 'Tunnel-Private-Group-Id="phones-lsc-enrolment"' <<<"$PHONE_OUT"
	phone 1 "the other cluster's LSC" lsc-other.pem lsc-other.key server-ca.pem
	phone 0 "a laptop's certificate: eap's ca_file, phonecert not involved" laptop.pem laptop.key server-ca.pem
	if grep -qE 'phonecert: reject device=SEPB000B4BA0AEE .*LSC from another cluster' "$run_log"; then
		pass "the reject's log line on stdout (phonecert_post_auth_reject in Post-Auth-Type REJECT)"
	else
		fail "no phonecert reject line in the server's stdout"
	fi
	status=$(echo "Message-Authenticator = 0x00" | timeout 20 radclient -r 1 -t 3 "127.0.0.1:$IT_PORT" status "$IT_SECRET" 2>&1)
	check "radclient Status-Server: Access-Accept" grep -q '^Received Access-Accept' <<<"$status"
else
	fail "freeradius -f -l stdout did not start:"; tail -n 8 "$run_log" | sed 's/^/#   /'
fi
server_stop

echo "# docker/build.sh again: the same result"
if env PHONECERT_DESTDIR="$STAGE" "${isolate[@]}" "$DOCKER/build.sh" >"$LOG" 2>&1; then pass "second run succeeds"; else fail "second run failed:"; tail -n 5 "$LOG" | sed 's/^/#   /'; fi
check "dictionary.phonecert included once" [ "$(grep -c 'dictionary.phonecert' "$RADDB/dictionary")" -eq 1 ]
check "post-auth calls added once" [ "$(post_auth_calls)" = "$calls" ]
check "this machine's /etc/freeradius and /usr/lib/freeradius still untouched" [ "$(snapshot)" = "$before" ]

it_finish

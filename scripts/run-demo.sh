#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# `make run`: FreeRADIUS with rlm_phonecert on 127.0.0.1 with the demo PKI,
# in the foreground. PHONECERT_PORT (default 1812) picks the port,
# PHONECERT_DEBUG=1 runs freeradius -X (full debug output).
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
build=$repo/build
demo=$build/demo
pki=$build/demo-pki
port=${PHONECERT_PORT:-1812}

"$repo/tests/pki/make-pki.sh" "$pki"
"$repo/scripts/demo-raddb.sh" "$demo" "$pki" "$build" "$port" 1

# eapol_test configurations for a demo phone with an LSC and one with a MIC.
# shellcheck source=scripts/phone-conf.sh
source "$repo/scripts/phone-conf.sh"
phone_conf "$demo" lsc-phone lsc-new-rsa.pem lsc-new-rsa.key CP-8861-SEP2C3124C9F8E1
phone_conf "$demo" mic-phone mic.pem mic.key CP-8861-SEP2C3124C9F8E1

cat <<TEXT
rlm_phonecert demo: FreeRADIUS on 127.0.0.1 port $port (secret testing123)
configuration: $demo/raddb   certificates: $pki

In another terminal:
  # a CP-8861 with an LSC from the demo cluster's current CAPF
  eapol_test -c $demo/lsc-phone.conf -a 127.0.0.1 -p $port -s testing123 -M 2c:31:24:c9:f8:e1
  # the same phone with its MIC (demo manufacturing CA)
  eapol_test -c $demo/mic-phone.conf -a 127.0.0.1 -p $port -s testing123 -M 2c:31:24:c9:f8:e1
  # the same as one line, like radtest
  $repo/scripts/phonecert-test -p $port $pki/lsc-new-rsa.pem $pki/lsc-new-rsa.key $pki/server-ca.pem
  # what the server would decide, without it; and the rotation report
  $build/phonecert inspect --config $demo/raddb $pki/lsc-old-rsa.pem
  $build/phonecert report --db sqlite:$demo/db/phonecert-inventory.sqlite --config $demo/raddb

The guide: $repo/doc/README.md (these tools: doc/phonecert-test.md, doc/phonecert-tool.md).
Stop with Ctrl-C.
TEXT

if [ "${PHONECERT_DEBUG:-0}" = 1 ]; then
	exec freeradius -X -d "$demo/raddb"
fi
exec freeradius -f -l stdout -d "$demo/raddb"

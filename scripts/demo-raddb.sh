#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Lays out a runnable FreeRADIUS configuration: the project's raddb with a
# test/demo PKI in the places the shipped config expects it, and a
# local.conf for this machine. Used by `make run` and the integration tests.
#
# Usage: scripts/demo-raddb.sh RUNDIR PKIDIR MODULEDIR PORT REJECT_DELAY
#   -> RUNDIR/raddb (config), RUNDIR/log, RUNDIR/run
set -euo pipefail

run=${1:?usage: $0 RUNDIR PKIDIR MODULEDIR PORT REJECT_DELAY}
pki=${2:?}; moduledir=${3:?}; port=${4:?}; reject_delay=${5:?}
repo=$(cd "$(dirname "$0")/.." && pwd)

rm -rf "$run"
mkdir -p "$run/log" "$run/run/tlscache" "$run/db"
cp -a "$repo/raddb" "$run/raddb"

certs=$run/raddb/certs
cp "$pki"/{server.pem,server.key,server-ca.pem,eap-ca.pem} "$certs/"
cp "$pki"/capf-*.pem "$pki"/ext-ca.pem "$certs/phonecert/"
# Cisco's real manufacturing bundle stays; the demo's test manufacturing CAs
# join it (like Cisco's: a SHA-256 one and a legacy SHA-1 one).
cat "$pki/mfg-ca.pem" "$pki/mfg-legacy-ca.pem" >> "$certs/phonecert/manufacturing.pem"

# The inventory in the demo's own directory, not /var/lib/freeradius.
sed -i "s|^\([[:space:]]*filename = \).*/phonecert-inventory.sqlite\"|\1\"$run/db/phonecert-inventory.sqlite\"|" \
	"$run/raddb/mods-config/sql/phonecert/connection.conf"
grep -qF "\"$run/db/phonecert-inventory.sqlite\"" "$run/raddb/mods-config/sql/phonecert/connection.conf" ||
	{ echo "demo-raddb.sh: no inventory filename in mods-config/sql/phonecert/connection.conf" >&2; exit 1; }

cat > "$run/raddb/local.conf" <<EOF2
# Written by scripts/demo-raddb.sh for this machine.
libdir = $moduledir:/usr/lib/freeradius
logdir = $run/log
run_dir = $run/run
certdir = \${confdir}/certs
listen_address = 127.0.0.1
auth_port = $port
reject_delay = $reject_delay
EOF2

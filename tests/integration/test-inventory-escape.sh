#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# What reaches the inventory's SQL is safe text. FreeRADIUS 3.2's rlm_sql
# (sql_escape_func) reads past the end of a value that ends in a newline,
# carriage return or tab: it wrote "=00" and then the heap's next bytes into
# the database. Certificates are strangers' text and NAS-Port-Id the
# switch's, so phonecert hands the inventory every unsafe character as \xHH:
# a phone's PID ending in a newline, a stranger's ending in a tab and a port
# ending in a carriage return are stored as written, escaped, and nothing
# else.
set -u
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/hostile-certs.sh"
it_init

EXTRA=$IT_BUILD/it/inventory-escape-certs
rm -rf "$EXTRA"
mkdir -p "$EXTRA"
PHONE_PID=$'CP-8861\n'
STRANGER_PID=$'CP-8861\t'
lsc_ext=$'basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature,keyEncipherment
extendedKeyUsage=serverAuth,clientAuth\nsubjectKeyIdentifier=none\nauthorityKeyIdentifier=none'
ca_ext=$'basicConstraints=critical,CA:TRUE\nkeyUsage=critical,keyCertSign,cRLSign'
if hostile_issue "$EXTRA" newline-lsc "/serialNumber=PID:$(placeholder "$PHONE_PID") SN:FCH3333CCCC/CN=SEP0A1B2C3D4E70" \
	capf-new "$lsc_ext" "$PHONE_PID" &&
   hostile_issue "$EXTRA" stranger-ca "/CN=Stranger CA" self "$ca_ext" &&
   hostile_issue "$EXTRA" tab-lsc "/serialNumber=PID:$(placeholder "$STRANGER_PID") SN:FCH4444DDDD/CN=SEP0A1B2C3D4E71" \
	stranger-ca "$lsc_ext" "$STRANGER_PID"; then
	pass "an LSC of the new CAPF whose PID ends in a newline, and a stranger's whose PID ends in a tab (openssl)"
else
	fail "cannot make the certificates:"; tail -n 5 "$EXTRA/openssl.log" | sed 's/^/#   /'
fi

server_prepare inventory-escape && inventory_write_every_authentication && server_start || exit 1
DB=$IT_RUN/db/phonecert-inventory.sqlite
eap_tls_conf "$IT_RUN/newline.conf" "$EXTRA/newline-lsc.pem" "$EXTRA/newline-lsc.key"
eapol_run "$IT_RUN/newline.conf" -M 0a:1b:2c:3d:4e:70 -N $'87:s:Gi1/0/7\r'
expect_result accept "the phone whose PID ends in a newline, on a port whose name ends in a carriage return"
eap_tls_conf "$IT_RUN/tab.conf" "$EXTRA/tab-lsc.pem" "$EXTRA/tab-lsc.key"
eapol_run "$IT_RUN/tab.conf" -M 0a:1b:2c:3d:4e:71 -N $'87:s:Gi1/0/8\t'
expect_result reject "the stranger whose PID ends in a tab"
inventory_flush

# What the database holds, byte for byte (hex), for the fields a stranger or a switch chose:
# the escaped text as rlm_sql stores it (its own escaping writes \ as =5C).
row_hex() { sqlite3 "$DB" "SELECT hex(pid) || ' ' || hex(model) || ' ' || hex(nas_port_id) FROM $1 WHERE mac = '$2'"; }
hex_of() { printf '%s' "${1//\\/=5C}" | od -An -tx1 | tr -d ' \n' | tr 'a-f' 'A-F'; }
expect_row() {	# TABLE MAC PID PORT LABEL
	local want
	want="$(hex_of "$3") $(hex_of "$3") $(hex_of "$4")"
	if [ "$(row_hex "$1" "$2")" = "$want" ]; then pass "$5"
	else fail "$5: the row holds '$(row_hex "$1" "$2")' (hex), expected '$want'"; fi
}
expect_row phonecert_phone 0A-1B-2C-3D-4E-70 'CP-8861\x0a' 'Gi1/0/7\x0d' \
	"the phone's row: its PID and port with the newline and carriage return as \\x0a and \\x0d, nothing after"
expect_row phonecert_unverified 0A-1B-2C-3D-4E-71 'CP-8861\x09' 'Gi1/0/8\x09' \
	"the stranger's claim: its PID and port with the tabs as \\x09, nothing after"
if sqlite3 "$DB" .dump | grep -q '=00'; then
	fail "the database holds rlm_sql's '=00' (a read past the end of a value)"
else
	pass "no '=00' anywhere in the database"
fi
expect_log 'phonecert: reject device=SEP0A1B2C3D4E71 ' "the stranger's log line is written"
server_stop
it_finish

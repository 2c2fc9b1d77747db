#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# `make install` puts the module and its files where Debian's FreeRADIUS looks
# for them, the programs under /usr/local, the inventory's directory under
# /var/lib, and they load into Debian's own stock configuration.
set -u
source "$(dirname "$0")/lib.sh"
it_init

root=$IT_OPEN/install
rm -rf "$root"
if make -s -C "$IT_REPO" install DESTDIR="$root" >"$IT_BUILD/it-install.log" 2>&1; then
	pass "make install DESTDIR=... succeeds"
else
	fail "make install failed:"; tail -n 5 "$IT_BUILD/it-install.log"
fi

raddb=$root/etc/freeradius/3.0
for file in usr/lib/freeradius/rlm_phonecert.so etc/freeradius/3.0/dictionary.phonecert \
	    etc/freeradius/3.0/mods-available/phonecert etc/freeradius/3.0/policy.d/phonecert \
	    etc/freeradius/3.0/certs/phonecert/manufacturing.pem etc/freeradius/3.0/certs/phonecert/SOURCES.md \
	    etc/freeradius/3.0/mods-available/sql_phonecert etc/freeradius/3.0/mods-available/cache_phonecert \
	    etc/freeradius/3.0/mods-config/sql/phonecert/connection.conf \
	    etc/freeradius/3.0/mods-config/sql/phonecert/queries.conf etc/freeradius/3.0/mods-config/sql/phonecert/queries-count.conf \
	    etc/freeradius/3.0/mods-config/sql/phonecert/queries-unverified.conf etc/freeradius/3.0/sites-available/phonecert-inventory \
	    etc/freeradius/3.0/mods-available/cache_phonecert_tls etc/freeradius/3.0/sites-available/phonecert-tls-cache \
	    etc/freeradius/3.0/mods-config/sql/phonecert/sqlite/schema.sql etc/freeradius/3.0/mods-config/sql/phonecert/postgresql/schema.sql \
	    etc/freeradius/3.0/mods-config/sql/phonecert/queries-prune.conf \
	    etc/freeradius/3.0/mods-config/sql/phonecert/sqlite/0002-retention.sql \
	    etc/freeradius/3.0/mods-config/sql/phonecert/postgresql/0002-retention.sql \
	    etc/freeradius/3.0/mods-config/sql/phonecert/sqlite/0003-fleet.sql \
	    etc/freeradius/3.0/mods-config/sql/phonecert/postgresql/0003-fleet.sql \
	    etc/freeradius/3.0/mods-config/sql/phonecert/postgresql/fleet-roles.sql \
	    etc/freeradius/3.0/mods-config/sql/phonecert/queries-switch.conf \
	    usr/local/bin/phonecert usr/local/bin/phonecert-test usr/local/share/man/man1/phonecert.1 \
	    usr/local/share/man/man1/phonecert-test.1 usr/local/share/man/man5/phonecert.5; do
	if [ -s "$root/$file" ]; then pass "installed /$file"; else fail "/$file not installed"; fi
done
for dir in usr/bin usr/share/man; do
	if [ -e "$root/$dir" ]; then fail "make install wrote into /$dir (dpkg's): $(find "$root/$dir" -type f | head -n 3 | tr '\n' ' ')"; else pass "nothing installed into /$dir (dpkg's)"; fi
done
state=$root/var/lib/freeradius
if [ -d "$state" ] && [ "$(stat -c %a "$state")" = 750 ]; then pass "inventory directory /var/lib/freeradius, mode 0750"; else fail "no /var/lib/freeradius (mode 0750) installed"; fi
if ! getent passwd freerad >/dev/null || [ "$(stat -c %U "$state" 2>/dev/null)" = freerad ]; then pass "/var/lib/freeradius owned by freerad"; else fail "/var/lib/freeradius not owned by freerad"; fi
if grep -qx '[[:space:]]*filename = "/var/lib/freeradius/phonecert-inventory.sqlite"' "$raddb/mods-config/sql/phonecert/connection.conf"; then
	pass "the inventory defaults to /var/lib/freeradius/phonecert-inventory.sqlite"
else
	fail "connection.conf does not put the inventory in /var/lib/freeradius"
fi
# Inside radiusd, nothing of ours may clash with another module's names.
exports=$(nm -D --defined-only "$root/usr/lib/freeradius/rlm_phonecert.so" | awk '{ print $3 }' | sort -u)
if [ "$exports" = rlm_phonecert ]; then pass "the module exports only rlm_phonecert"
else fail "the module exports more than rlm_phonecert: $(tr '\n' ' ' <<<"$exports")"; fi
if grep -qx '\$INCLUDE dictionary.phonecert' "$raddb/dictionary"; then pass "dictionary includes dictionary.phonecert"; else fail "dictionary does not include dictionary.phonecert"; fi
make -s -C "$IT_REPO" install DESTDIR="$root" >/dev/null 2>&1
if [ "$(grep -c 'dictionary.phonecert' "$raddb/dictionary")" -eq 1 ]; then pass "a second install adds the include only once"; else fail "dictionary.phonecert included twice"; fi

# Debian's stock configuration with the installed files on top, phonecert enabled.
stock=$IT_OPEN/install-stock
rm -rf "$stock"
cp -a /etc/freeradius/3.0 "$stock"
cp -a "$raddb/." "$stock/"
cp /etc/freeradius/3.0/dictionary "$stock/dictionary"
"$IT_REPO/scripts/add-dictionary-include.sh" "$stock/dictionary" >/dev/null
cp "$IT_PKI/capf-new.pem" "$IT_PKI/capf-old.pem" "$stock/certs/phonecert/"
ln -sf ../mods-available/phonecert "$stock/mods-enabled/phonecert"
sed -i "s|^[[:space:]]*libdir = .*|libdir = $root/usr/lib/freeradius:/usr/lib/freeradius|" "$stock/radiusd.conf"
# The inventory's /var/lib/freeradius is the real one: keep this copy's in the copy, writable by freerad.
mkdir -p "$stock/db"
chown freerad:freerad "$stock/db" 2>/dev/null
sed -i "s|\"/var/lib/freeradius/phonecert-inventory.sqlite\"|\"$stock/db/phonecert-inventory.sqlite\"|" \
	"$stock/mods-config/sql/phonecert/connection.conf"
# As doc/installation.md says: the two wrapper calls in the default site, the inventory and its writer site enabled.
ln -sf ../mods-available/sql_phonecert "$stock/mods-enabled/sql_phonecert"
ln -sf ../mods-available/cache_phonecert "$stock/mods-enabled/cache_phonecert"
ln -sf ../sites-available/phonecert-inventory "$stock/sites-enabled/phonecert-inventory"
site_calls_phonecert "$stock"

# The CA names of eap's ca_file and phonecert's anchors go into one TLS record
# of MAX_RECORD_SIZE bytes: 16384 in FreeRADIUS 3.2.1 (Debian 12), 65536 in
# 3.2.7 (Debian 13). Debian's default ca_file, the public bundle (about 16 KB
# of names), overflows the first and fits the second.
max_record=$(fr_max_record_size)
overflow="mods-enabled/phonecert\[[0-9]*\]: eap tls-config tls-common would send [0-9]* CA names .* more than the $max_record FreeRADIUS can send"
out=$(timeout 60 freeradius -C -X -d "$stock" 2>&1)
if [ -z "$max_record" ]; then
	fail "no MAX_RECORD_SIZE in /usr/include/freeradius/tls.h"
elif [ "$max_record" -le 16384 ]; then
	if grep -q "$overflow" <<<"$out"; then
		pass "FreeRADIUS $(fr_version) ($max_record-byte records): Debian's default eap ca_file (the public bundle) is refused at start-up, saying why"
	else
		fail "Debian's default eap ca_file was not refused with $max_record-byte records:"; tail -n 3 <<<"$out" | sed 's/^/#   /'
	fi
elif grep -q 'Configuration appears to be OK' <<<"$out"; then
	pass "FreeRADIUS $(fr_version) ($max_record-byte records): Debian's default eap ca_file (the public bundle) fits and starts"
else
	fail "Debian's default eap ca_file refused with $max_record-byte records:"; tail -n 3 <<<"$out" | sed 's/^/#   /'
fi

# On every release: a ca_file whose names alone exceed the record is refused.
big=$IT_OPEN/too-many-names.pem
cas=$(ca_names_overflow "$big")
sed -i "s|^\([[:space:]]*ca_file = \).*ca-certificates.crt.*|\1$big|" "$stock/mods-available/eap"
out=$(timeout 60 freeradius -C -X -d "$stock" 2>&1)
if grep -q "$overflow" <<<"$out"; then
	pass "an eap ca_file of $cas long CA names is refused at start-up: more than the $max_record bytes FreeRADIUS $(fr_version) can send"
else
	fail "an eap ca_file of $cas long CA names was not refused:"; tail -n 3 <<<"$out" | sed 's/^/#   /'
fi

# As doc/installation.md says: eap's ca_file holds the CAs of non-phone clients only.
cp "$IT_PKI/eap-ca.pem" "$stock/certs/"
sed -i "s|^\([[:space:]]*ca_file = \).*$big|\1$stock/certs/eap-ca.pem|" "$stock/mods-available/eap"
out=$(timeout 60 freeradius -C -X -d "$stock" 2>&1)
if [ -s "$stock/db/phonecert-inventory.sqlite" ]; then pass "the inventory is created where connection.conf points"; else fail "no inventory in $stock/db"; fi
if grep -q 'rlm_phonecert (phonecert): deciding phone certificates in eap eap tls-config tls-common with 3 anchor(s)' <<<"$out" &&
   grep -q 'Configuration appears to be OK' <<<"$out"; then
	pass "Debian's stock configuration with the installed phonecert and inventory passes freeradius -C"
else
	fail "Debian's stock configuration with phonecert fails freeradius -C:"; tail -n 5 <<<"$out" | sed 's/^/#   /'
fi

it_finish

#!/usr/bin/env bash
# `make install` puts the module and its files where Debian's FreeRADIUS looks
# for them, and they load into Debian's own stock configuration.
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
	    etc/freeradius/3.0/mods-available/sql_phonecert etc/freeradius/3.0/mods-config/sql/phonecert/connection.conf \
	    etc/freeradius/3.0/mods-config/sql/phonecert/queries.conf etc/freeradius/3.0/mods-config/sql/phonecert/queries-count.conf \
	    etc/freeradius/3.0/mods-config/sql/phonecert/queries-unverified.conf etc/freeradius/3.0/sites-available/phonecert-inventory \
	    etc/freeradius/3.0/mods-config/sql/phonecert/sqlite/schema.sql etc/freeradius/3.0/mods-config/sql/phonecert/postgresql/schema.sql; do
	if [ -s "$root/$file" ]; then pass "installed /$file"; else fail "/$file not installed"; fi
done
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
# Debian's db_dir is the real /etc/freeradius/3.0: keep this copy's inventory in the copy, writable by freerad.
mkdir -p "$stock/db"
chown freerad:freerad "$stock/db" 2>/dev/null
sed -i "s|^db_dir = .*|db_dir = $stock/db|" "$stock/radiusd.conf"
# As README.md says: phonecert, the switch reply policy and the inventory in post-auth of the default site,
# the inventory's writer site.
ln -sf ../mods-available/sql_phonecert "$stock/mods-enabled/sql_phonecert"
ln -sf ../sites-available/phonecert-inventory "$stock/sites-enabled/phonecert-inventory"
sed -i '0,/^post-auth {/s//post-auth {\n\tphonecert\n\tphonecert_switch_reply\n\tphonecert_inventory/' "$stock/sites-available/default"

# Debian's eap trusts the whole public bundle: with phonecert's names the CertificateRequest would not fit.
out=$(timeout 60 freeradius -C -X -d "$stock" 2>&1)
if grep -q "mods-enabled/phonecert\[[0-9]*\]: eap tls-config tls-common would send [0-9]* CA names .* more than the 16384 FreeRADIUS can send" <<<"$out"; then
	pass "Debian's default eap ca_file (the public bundle) is refused at start-up, saying why"
else
	fail "Debian's default eap ca_file was not refused:"; tail -n 3 <<<"$out" | sed 's/^/#   /'
fi

# As README.md says: eap's ca_file holds the CAs of non-phone clients only.
cp "$IT_PKI/eap-ca.pem" "$stock/certs/"
sed -i "s|^\([[:space:]]*ca_file = \).*ca-certificates.crt.*|\1$stock/certs/eap-ca.pem|" "$stock/mods-available/eap"
out=$(timeout 60 freeradius -C -X -d "$stock" 2>&1)
if [ -s "$stock/db/phonecert-inventory.sqlite" ]; then pass "the inventory is created where db_dir points"; else fail "no inventory in $stock/db"; fi
if grep -q 'rlm_phonecert (phonecert): deciding phone certificates in eap eap tls-config tls-common with 3 anchor(s)' <<<"$out" &&
   grep -q 'Configuration appears to be OK' <<<"$out"; then
	pass "Debian's stock configuration with the installed phonecert and inventory passes freeradius -C"
else
	fail "Debian's stock configuration with phonecert fails freeradius -C:"; tail -n 5 <<<"$out" | sed 's/^/#   /'
fi

it_finish

#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Two servers, one TLS session store (memcached through the shipped
# phonecert-tls-cache site and cache_phonecert_tls), as doc/fleet.md sets
# them up. A session made on server A resumes on server B, and B re-checks
# it against its own block list, trust and windows. What the store holds is
# sealed with the fleet's secret: an entry changed in the store (the facts,
# the session blob, the session id, the seal) costs a full handshake, never
# an accept on what was forged, never a reject; the secret rotates without
# losing sessions. With TLS 1.3 allowed, a session with a client certificate
# made on A is offered to B through the store and not resumed there (FreeRADIUS
# 3.2 does not restore its cached attributes): B decides in a full handshake,
# and its block list holds.
#
# One eapol_test, two servers: eapol_test keeps its TLS session within one
# process and talks to one server, so it talks to fleet-relay.py, which hands
# its first authentication to A and the next to B, as a switch that lists
# both servers would. The relay can hold the second authentication while the
# suite changes the store.
set -u
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/fleet-lib.sh"
it_init
fleet_init

PHONE=SEP2C3124C9F8E1
CERT=lsc-new-rsa.pem
KEY=lsc-new-rsa.key
SERIAL=$(openssl x509 -in "$IT_PKI/$CERT" -noout -serial | cut -d= -f2 | tr 'A-F' 'a-f' | sed 's/^0*//')
K1=$(fleet_new_key fleet-1)
K2=$(fleet_new_key fleet-2)

fleet_two_servers "$K1" || exit 1

echo "# a session made on A resumes on B"
fleet_auth "$CERT" "$KEY" A B
expect_result accept "A then B"
expect_resumed "0 1" "A then B"
expect_server_log A "phonecert: accept device=$PHONE .*session=full" "A decided the full handshake"
expect_server_log B "phonecert: accept device=$PHONE .*serial=$SERIAL .*session=resumed key=proven" \
	"B resumed the session and re-checked it"
entry=$(store_get "$(fleet_session_key A)")
if grep -Eq "^&reply:Phonecert-Session-Seal \+= 'fleet-1:[0-9a-f]{64}'$" <<<"$entry"; then
	pass "the store's entry carries A's seal, made with the first key"
else
	fail "no Phonecert-Session-Seal by fleet-1 in the store's entry"
fi
parts=$(grep -c '^&session-state:Phonecert-TLS-Session-Part += 0x[0-9a-f]\{2,1000\}$' <<<"$entry")
if [ "$parts" -ge 2 ] && ! grep -q 'TLS-Session-Data' <<<"$entry"; then
	pass "the session is stored in $parts parts of at most 500 bytes (rlm_cache reads back no longer value)"
else
	fail "the session is not stored in parts of at most 500 bytes ($parts such parts)"
fi

# B's files or configuration change, then it reloads: a session from A meets B's current trust.
refused_on_b() {	# LABEL CERT KEY REASON
	local device
	device=$(cert_cn "$IT_PKI/$2" | sed 's/.*-//')
	fleet_auth "$2" "$3" A B
	expect_codes "2 3" "$1: A accepts, B rejects"
	expect_resumed "0 1" "$1"
	expect_server_log B "phonecert: reject device=$device .*session=resumed key=proven reason=\"$4" \
		"$1: B's re-check refuses the session made on A"
}

echo "# B's block list, trust and windows refuse a session made on A"
# demo-cluster-2021's window, which lsc-old-rsa's phone needs, closed in B's configuration. (First:
# FreeRADIUS 3.2 reloads a module with its old configuration on a SIGHUP that follows a change of the
# module's files, such as a block_file, and then not again within 2 s.)
sed -i 's|^\([[:space:]]*accept_until = \)"2030-01-01T00:00:00Z"|\1"2020-01-01T00:00:00Z"|' "$(fleet_raddb B)/mods-enabled/phonecert"
grep -q '"2020-01-01T00:00:00Z"' "$(fleet_raddb B)/mods-enabled/phonecert" || fail "it: cannot close demo-cluster-2021's window"
fleet_hup -s B || fail "B did not reload its configuration"
refused_on_b "window closed on B" lsc-old-rsa.pem lsc-old-rsa.key "outside the window of "

echo "mac 2C-31-24-C9-F8-E1 # reported stolen" > "$(fleet_raddb B)/phonecert-blocked"
fleet_hup B || fail "B did not reload its block list"
refused_on_b "blocked on B" "$CERT" "$KEY" "blocked: reported stolen"
: > "$(fleet_raddb B)/phonecert-blocked"

# The CA certificate replaced in place (the file demo-cluster-2025 names), as reload.md has it.
anchor_file=$(fleet_raddb B)/certs/phonecert/capf-new.pem
cp "$anchor_file" "$IT_OPEN/capf-new.pem"
cp "$IT_PKI/capf-other.pem" "$anchor_file"
fleet_hup B || fail "B did not reload its anchors"
refused_on_b "CA certificate swapped on B" "$CERT" "$KEY" "signer no longer trusted: "
cp "$IT_OPEN/capf-new.pem" "$anchor_file"
fleet_hup B || fail "B did not reload its anchors"

echo "# an entry changed in the store: a full handshake, never an accept on what was forged, never a reject"
# Another phone's session made on A: what whoever can write the store would copy from, its master secret known to that phone.
fleet_auth lsc-old-rsa.pem lsc-old-rsa.key A
other=$(store_get "$(fleet_session_key A)")
[ -n "$other" ] || fail "it: no entry of the other phone's session"

# The changes, each a filter of the entry's text.
forge_serial() { sed "s/^&reply:Phonecert-Certificate-Serial += '.*'\$/\\&reply:Phonecert-Certificate-Serial += '1badc0de'/"; }
swap_blob() { grep -v '^&session-state:Phonecert-TLS-Session-Part'; grep '^&session-state:Phonecert-TLS-Session-Part' <<<"$other"; }
other_session() { cat >/dev/null; printf '%s\n' "$other"; }
drop_seal() { grep -v '^&reply:Phonecert-Session-Seal'; }
unknown_key() { sed "s/Phonecert-Session-Seal += 'fleet-1:/Phonecert-Session-Seal += 'fleet-9:/"; }

# The phone authenticates on A; before it offers that session to B, CHANGE rewrites its entry in the store.
tampered_on_b() {	# LABEL CHANGE WHY
	local label=$1 change=$2 why=$3 key
	fleet_auth_begin -g "$CERT" "$KEY" A B
	if ! fleet_auth_held 2; then
		fail "$label: the relay never held the second authentication"
		fleet_auth_stop
		return
	fi
	key=$(fleet_session_key A)
	store_get "$key" | "$change" | store_set "$key" || fail "$label: cannot write the store"
	fleet_auth_release 2
	fleet_auth_end
	expect_codes "2 2" "$label: both authentications accepted"
	expect_resumed "0 0" "$label: B made a full handshake"
	expect_server_log B "phonecert: not resuming the cached TLS session ${key#0x}: $why" \
		"$label: B says why it did not resume"
	expect_server_log B "phonecert: accept device=$PHONE .*serial=$SERIAL .*session=full key=proven" \
		"$label: B decided the phone's own certificate"
	expect_no_server_log B "serial=1badc0de|device=SEP001122334455|phonecert: reject|Login incorrect" \
		"$label: nothing forged accepted, nothing rejected"
}
tampered_on_b "forged facts" forge_serial "its seal \(key fleet-1\) does not match it"
tampered_on_b "another session's blob" swap_blob "its seal \(key fleet-1\) does not match it"
tampered_on_b "another session under this id" other_session "its seal \(key fleet-1\) does not match it"
tampered_on_b "the seal removed" drop_seal "it carries no seal"
tampered_on_b "a seal by an unknown key" unknown_key "its seal names key fleet-9, which fleet_secret_file does not hold"

echo "# the fleet's secret rotates: a new key first seals, the old one still checks until it is removed"
fleet_auth_begin -g "$CERT" "$KEY" A B
fleet_auth_held 2 || fail "rotation: the relay never held the second authentication"
fleet_secret B "$K2" "$K1"
fleet_hup B || fail "B did not reload its secret"
fleet_auth_release 2
fleet_auth_end
expect_codes "2 2" "rotation: a session sealed with fleet-1"
expect_resumed "0 1" "rotation: B, sealing with fleet-2, resumes a session sealed with fleet-1"

fleet_secret A "$K2" "$K1"
fleet_hup A || fail "A did not reload its secret"
fleet_auth "$CERT" "$KEY" A B
expect_resumed "0 1" "rotation: a session A sealed with fleet-2 resumes on B"
if store_get "$(fleet_session_key A)" | grep -q "Phonecert-Session-Seal += 'fleet-2:"; then
	pass "rotation: A seals with the new first key"
else
	fail "rotation: A's new session is not sealed with fleet-2"
fi

fleet_secret A "$K1"
fleet_hup A || fail "A did not reload its secret"
fleet_secret B "$K2"
fleet_hup B || fail "B did not reload its secret"
fleet_auth "$CERT" "$KEY" A B
expect_codes "2 2" "rotation: fleet-1 removed from B"
expect_resumed "0 0" "rotation: a session sealed with the removed key is not resumed"
expect_server_log B "its seal names key fleet-1, which fleet_secret_file does not hold" \
	"rotation: B says which key it no longer holds"

echo "# TLS 1.3 across the store: a session with a client certificate is not resumed on B, a block on B holds"
# Two more servers that allow TLS 1.3, sharing the store. A stores its TLS 1.3 session, sealed, and the
# phone offers it to B, which loads it; FreeRADIUS 3.2 does not restore a resumed TLS 1.3 session's
# cached attributes (doc/resumption.md), so B refuses to resume it, as A would, and decides afresh.
for server in A13 B13; do
	fleet_prepare "$server" || exit 1
	fleet_secret "$server" "$K1"
	eap_tls_max_version "$(fleet_raddb "$server")" 1.3 || exit 1
done
fleet_start A13 && fleet_start B13 || exit 1
fleet_auth_begin -3 -r 1 "$CERT" "$KEY" A13 B13
fleet_auth_end
expect_codes "2 2" "TLS 1.3: both authentications accepted"
expect_resumed "0 0" "TLS 1.3: B made a full handshake"
expect_tls "TLSv1.3 TLSv1.3" "TLS 1.3: eapol_test spoke it to A and to B"
expect_server_log A13 "phonecert: accept device=$PHONE .*session=full" "TLS 1.3: A decided the full handshake"
key=$(fleet_session_key A13)
if store_get "$key" | grep -q "^&reply:Phonecert-Session-Seal += 'fleet-1:"; then
	pass "TLS 1.3: A stored its session in the store, sealed"
else
	fail "TLS 1.3: no sealed entry of A's session in the store"
fi
expect_server_log B13 "cache_phonecert_tls: Found entry for \"$key\"" "TLS 1.3: the phone offered that session to B, which loaded it"
expect_server_log B13 "phonecert: not resuming the cached TLS session: FreeRADIUS 3.2 does not restore the cached attributes of a resumed TLS 1.3 session" \
	"TLS 1.3: B says why it did not resume the session made on A"
expect_server_log B13 "phonecert: accept device=$PHONE .*serial=$SERIAL .*session=full key=proven" \
	"TLS 1.3: B decided the phone's own certificate"
expect_no_server_log B13 "session=resumed" "TLS 1.3: B resumed nothing"

echo "mac 2C-31-24-C9-F8-E1 # reported stolen" > "$(fleet_raddb B13)/phonecert-blocked"
fleet_hup B13 || fail "B did not reload its block list"
fleet_auth -3 "$CERT" "$KEY" A13 B13
expect_codes "2 3" "TLS 1.3, blocked on B: A accepts, B rejects"
expect_resumed "0 0" "TLS 1.3, blocked on B"
expect_tls "TLSv1.3 TLSv1.3" "TLS 1.3, blocked on B"
expect_server_log B13 "phonecert: not resuming the cached TLS session: FreeRADIUS 3.2 does not restore" \
	"TLS 1.3, blocked on B: B did not resume the session made on A"
expect_server_log B13 "phonecert: reject device=$PHONE .*session=full .*reason=\"blocked: reported stolen" \
	"TLS 1.3, blocked on B: B's full handshake refuses the phone"

echo "# only root and radiusd's user may read the fleet's secret; a broken one stops the start-up"
IT_RUN=${FLEET_RUN[B]}
secret=$(fleet_raddb B)/phonecert-fleet-secret
chmod 644 "$secret"
expect_check_refused "fleet_secret_file .*phonecert-fleet-secret: .*phonecert-fleet-secret is readable by everyone \(mode 0644\): run chmod o-r " \
	"a secret everyone can read is refused, with what to run"
fleet_secret B "fleet-3 0123456789abcdef"
expect_check_refused "phonecert-fleet-secret\[1\]: the secret is not 32 to 64 bytes in hex" \
	"a short secret is refused, with its file and line"
if grep -q 0123456789abcdef <<<"$IT_CHECK_OUT"; then fail "the refusal quotes the secret"; else pass "the refusal does not quote the secret"; fi

fleet_prepare C '' || exit 1
server_check
if grep -q "caches TLS sessions through virtual server phonecert-tls-cache without fleet_secret_file" <<<"$IT_CHECK_OUT"; then
	pass "a shared store without fleet_secret_file is warned about"
else
	fail "no warning about a shared store without fleet_secret_file"
fi

it_finish

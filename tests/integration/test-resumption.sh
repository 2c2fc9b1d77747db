#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# No TLS session resumes without phonecert's re-check, in TLS 1.2 and 1.3 and
# with either cache (persist_dir, a tls-cache virtual server): a session
# whose cached attributes lack Phonecert-Decided (or a phone's facts) is a
# cache miss, so the client makes a full handshake. A resumed session that the
# re-check refuses gets an Access-Reject with an EAP-Failure and no keys, and
# one log line.
set -u
source "$(dirname "$0")/lib.sh"
it_init
IT_INVENTORY=0	# not about the inventory: its writer would replay requests into the log these checks read

PHONE=SEP2C3124C9F8E1
BLOCKED() { echo "$IT_RUN/raddb/phonecert-blocked"; }

start() {	# NAME TLS_MAX_VERSION
	server_prepare "$1" "$(phonecert_with_options '	block_file = ${confdir}/phonecert-blocked')"
	: > "$(BLOCKED)"
	eap_tls_max_version "$IT_RUN/raddb" "$2" || exit 2
}

# eapol_test re-authenticating again and again (bounded), resuming when it can.
resumer_start() {	# TLS_MAX_VERSION
	eap_tls_conf "$IT_RUN/eapol.conf" "$IT_PKI/lsc-new-rsa.pem" "$IT_PKI/lsc-new-rsa.key"
	[ "$1" = 1.2 ] || eapol_offer_tls13 "$IT_RUN/eapol.conf" || exit 2
	timeout $((IT_EAPOL_SECONDS * 3 + 20)) eapol_test -c "$IT_RUN/eapol.conf" -a 127.0.0.1 -p "$IT_PORT" \
		-s "$IT_SECRET" -t $((IT_EAPOL_SECONDS * 3)) -M 2c:31:24:c9:f8:e1 -r 5000 > "$IT_RUN/resume.out" 2>&1 &
	IT_RESUMER=$!
}

resumer_stop() { kill "$IT_RESUMER" 2>/dev/null; wait "$IT_RESUMER" 2>/dev/null; }

block_phone() {	# radmin "hup phonecert" with the phone in the block list
	echo "mac 2C-31-24-C9-F8-E1 # blocked while its session lives" > "$(BLOCKED)"
	sleep 3.2	# FreeRADIUS ignores a module HUP within 2 s of start-up (whole seconds)
	timeout 10 radmin -f "$IT_RUN/run/control.sock" -e "hup phonecert" >/dev/null 2>&1
	wait_for_log 'rlm_phonecert \(phonecert\): reloaded: .* 1 blocked' 0
}

# The attributes of the last Access-Reject in the resumer's output, "NUMBER VALUE" per line.
last_reject_attributes() {
	awk '/RADIUS message: code=/ { inside = /code=3 \(Access-Reject\)/; if (inside) out = ""; next }
	     inside && /^ *Attribute [0-9]+ / { n = $2; getline; sub(/^ *Value: /, ""); out = out n " " $0 "\n" }
	     END { printf "%s", out }' "$IT_RUN/resume.out"
}

# A resumed session rejected by the re-check after a block: EAP-Failure, no keys, one line.
expect_resumed_reject() {	# LABEL
	local label=$1 attrs request
	if resumer_rejected; then pass "$label: a resumption after block + HUP is rejected"
	else fail "$label: resumptions went on being accepted after the block"; fi
	IT_LOG=$(cat "$IT_RUN/log/debug.log")
	expect_log "phonecert: reject device=$PHONE .*session=resumed key=proven reason=\"blocked: blocked while its session lives" \
		"$label: the resumed session is re-checked and refused"
	attrs=$(last_reject_attributes)
	if grep -Eq '^79 04[0-9a-f]{2}0004$' <<<"$attrs"; then pass "$label: the Access-Reject carries an EAP-Failure"
	else fail "$label: no EAP-Failure in the Access-Reject:"; sed 's/^/#   /' <<<"$attrs"; fi
	if grep -Eq '^79 03' <<<"$attrs"; then fail "$label: the Access-Reject carries an EAP-Success"
	else pass "$label: and no EAP-Success"; fi
	if grep -q '^26 00000137' <<<"$attrs"; then fail "$label: the Access-Reject carries Microsoft keys (MS-MPPE-*)"
	else pass "$label: and no MS-MPPE key"; fi
	request=$(grep -E "phonecert: reject device=$PHONE .*session=resumed" "$IT_RUN/log/debug.log" | tail -n 1 |
		sed -n 's/^(\([0-9]*\)) .*/\1/p')
	if [ -n "$request" ] && [ "$(grep -c "^($request) phonecert: reject " "$IT_RUN/log/debug.log")" = 1 ]; then
		pass "$label: one log line for the rejected request"
	else
		fail "$label: request ${request:-?} logged $(grep -c "^(${request:-x}) phonecert: reject " "$IT_RUN/log/debug.log") reject lines"
	fi
}

# Every Login OK of the phone came with phonecert's accept line for the same request: none went unchecked.
expect_every_login_checked() {	# LABEL
	local log=$IT_RUN/log/debug.log n logins=0 unchecked=0
	for n in $(sed -n "s/^(\([0-9]*\)) Login OK: \[CP-8861-$PHONE\].*/\1/p" "$log"); do
		logins=$((logins + 1))
		grep -q "^($n) phonecert: accept device=$PHONE " "$log" || unchecked=$((unchecked + 1))
	done
	if [ "$logins" -gt 0 ] && [ "$unchecked" = 0 ]; then pass "$1: each of $logins logins was checked by phonecert"
	else fail "$1: $unchecked of $logins logins without phonecert's accept line"; fi
}

wait_resumed_accept() {	# LABEL
	if wait_for_log "phonecert: accept device=$PHONE .*session=resumed" "$(count_log "phonecert: accept device=$PHONE .*session=resumed")"; then
		pass "$1: the session resumes, re-checked"
	else
		fail "$1: the session did not resume"
	fi
}

echo "# TLS 1.2, persist_dir: a block reaches a session that lives on"
start resumption-1.2 1.2
server_start || exit 1
resumer_start 1.2
wait_resumed_accept "TLS 1.2"
block_phone || fail "TLS 1.2: the block list was not reloaded"
expect_resumed_reject "TLS 1.2"
grep -q 'resumed=1' "$IT_RUN/resume.out" && pass "TLS 1.2: eapol_test resumed" || fail "TLS 1.2: eapol_test never resumed"
resumer_stop
expect_every_login_checked "TLS 1.2"
server_stop

# FreeRADIUS 3.2 restores a resumed TLS 1.3 session's cached attributes from
# the session OpenSSL has already replaced: they never reach post-auth.
echo "# TLS 1.3: sessions with a client certificate are not resumed, a block holds"
start resumption-1.3 1.3
server_start || exit 1
expect_log_file 'tls-config tls-common allows TLS 1.3: its sessions with a client certificate are not resumed' \
	"TLS 1.3: start-up says its sessions are not resumed"
resumer_start 1.3
if wait_for_log 'phonecert: not resuming the cached TLS session: FreeRADIUS 3.2 does not restore the cached attributes of a resumed TLS 1.3 session' 0; then
	pass "TLS 1.3: the offered session is not resumed, and the log says why"
else
	fail "TLS 1.3: no refusal to resume in the log"
fi
block_phone || fail "TLS 1.3: the block list was not reloaded"
if resumer_rejected; then pass "TLS 1.3: after block + HUP the phone is rejected"
else fail "TLS 1.3: authentications went on being accepted after the block"; fi
IT_LOG=$(cat "$IT_RUN/log/debug.log")
expect_log "phonecert: reject device=$PHONE .*session=full key=unproven reason=\"blocked: blocked while its session lives" \
	"TLS 1.3: by a full handshake"
if grep -q 'SSL: Using TLS version TLSv1.3' "$IT_RUN/resume.out" && ! grep -q 'resumed=1' "$IT_RUN/resume.out"; then
	pass "TLS 1.3: eapol_test spoke TLS 1.3 and never resumed"
else
	fail "TLS 1.3: eapol_test did not speak TLS 1.3, or resumed"
fi
resumer_stop
expect_every_login_checked "TLS 1.3"
server_stop

echo "# persist_dir entries that lost phonecert's attributes are not resumed"
start resumption-stripped 1.2
server_start || exit 1
resumer_start 1.2
wait_resumed_accept "stripped"
before=$(count_log "phonecert: accept device=$PHONE .*session=full")
# What a cache that keeps only what FreeRADIUS itself asks for would hold.
for vps in "$IT_RUN"/run/tlscache/*.vps; do
	# Renamed into place: radiusd may read it at any moment.
	sed '/Phonecert-/d' "$vps" | sed '$ s/,$//' > "$vps.new" && mv "$vps.new" "$vps"
done
if wait_for_log 'phonecert: not resuming the cached TLS session: it carries no Phonecert-Decided' 0; then
	pass "the session without Phonecert-Decided is not resumed"
else
	fail "the session without Phonecert-Decided was resumed"
fi
if wait_for_log "phonecert: accept device=$PHONE .*session=full" "$before"; then
	pass "the phone made a full handshake instead, decided again"
else
	fail "no full handshake followed"
fi
resumer_stop
expect_log_file "phonecert: accept device=$PHONE .*session=resumed" "and its new session resumes again"
expect_every_login_checked "stripped"
server_stop

echo "# a tls-cache virtual server that stores only the TLS session: a full handshake every time"
start resumption-tls-cache 1.2
eap=$IT_RUN/raddb/mods-available/eap
sed -i 's|^\([[:space:]]*\)persist_dir = .*|\1virtual_server = "tls-cache"|' "$eap"
grep -q 'virtual_server = "tls-cache"' "$eap" || { echo "it: no persist_dir to replace in $eap" >&2; exit 2; }
cat > "$IT_RUN/raddb/mods-enabled/cache_tls_session" <<'EOF'
cache cache_tls_session {
	driver = "rlm_cache_rbtree"
	key = "%{TLS-Session-Id}"
	ttl = 3600
	update {
		&session-state:TLS-Session-Data := &session-state:TLS-Session-Data
	}
}
EOF
cat > "$IT_RUN/raddb/sites-enabled/tls-cache" <<'EOF'
server tls-cache {
	cache load {
		cache_tls_session
	}
	cache save {
		# rlm_cache 3.2 would move what it stores into this request (its merge takes the entry's session-state).
		update control {
			&Cache-Merge := no
		}
		cache_tls_session
	}
	cache clear {
		update control {
			&Cache-TTL := 0
		}
		cache_tls_session
	}
	cache refresh {
		ok
	}
}
EOF
server_start || exit 1
eap_tls -r 2 lsc-new-rsa.pem lsc-new-rsa.key
expect_result accept "three authentications with the same client"
expect_log 'Successfully restored session' "the tls-cache site loads the session"
expect_log 'phonecert: not resuming the cached TLS session: it carries no Phonecert-Decided' "phonecert refuses to resume it"
if [ "$(grep -c "phonecert: accept device=$PHONE .*session=full" <<<"$IT_LOG")" = 3 ]; then
	pass "each authentication a full handshake, decided and logged"
else
	fail "expected 3 full handshakes, got: $(grep -c "phonecert: accept device=$PHONE" <<<"$IT_LOG") phonecert lines"
fi
grep -q 'resumed=1' <<<"$IT_EAPOL_OUT" && fail "eapol_test resumed" || pass "eapol_test never resumed"
expect_every_login_checked "tls-cache"
server_stop
it_finish

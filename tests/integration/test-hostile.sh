#!/usr/bin/env bash
# Hostile client certificates against the real server: CA certificates
# presented as leaves, wrong key types, huge chains, forged issuers. Every one
# is rejected with a reason, and the server keeps serving. (Garbage DER never
# reaches phonecert in a TLS handshake, OpenSSL refuses it while parsing the
# Certificate message: the fuzzers feed it to the core directly.)
set -u
source "$(dirname "$0")/lib.sh"
it_init

server_prepare hostile && server_start || exit 1
work=$IT_RUN/hostile
mkdir -p "$work"

# An LSC exactly like a CAPF's but with an Ed25519 key: a key type no phone has.
openssl genpkey -algorithm ED25519 -out "$work/ed25519.key" 2>/dev/null
openssl req -new -key "$work/ed25519.key" -subj "/serialNumber=PID:CP-8861 SN:FCH9999ZZZZ/C=MX/O=Cisco/OU=Voice/CN=CP-8861-SEP0A0A0A0A0A0A" \
	-out "$work/ed25519.csr" 2>/dev/null
printf 'basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=clientAuth\n' > "$work/leaf.ext"
openssl x509 -req -in "$work/ed25519.csr" -CA "$IT_PKI/capf-new.pem" -CAkey "$IT_PKI/capf-new.key" -set_serial 77 \
	-days 365 -extfile "$work/leaf.ext" -out "$work/ed25519.pem" 2>/dev/null
# A phone certificate followed by seven more certificates, and by forty more.
cp "$IT_PKI/lsc-new-rsa.pem" "$work/long-chain.pem"
cat "$IT_PKI"/{capf-other,ext-ca,corp-ca,mfg-root,mfg-ca,server-ca,capf-old}.pem >> "$work/long-chain.pem"
cp "$IT_PKI/lsc-new-rsa.pem" "$work/huge-chain.pem"
for i in $(seq 1 10); do cat "$IT_PKI"/{capf-other,ext-ca,corp-ca,mfg-root}.pem >> "$work/huge-chain.pem"; done

eap_tls capf-new.pem capf-new.key
expect_result reject "the CAPF certificate itself presented as a phone's"
expect_log 'reason="not a client certificate: it is a CA certificate' "CA certificate as leaf: reason"

eap_tls mfg-ca.pem mfg-ca.key
expect_result reject "the manufacturing CA presented as a phone's"

eap_tls "$work/ed25519.pem" "$work/ed25519.key"
expect_result reject "an LSC with an Ed25519 key"
expect_log 'reason="unsupported key type ED25519' "Ed25519 key: reason"

eap_tls "$work/long-chain.pem" lsc-new-rsa.key
expect_result reject "a phone certificate sent with seven more certificates"
expect_log 'reason="the client sent 8 certificates \(at most 6\)' "long chain: reason"

eap_tls "$work/huge-chain.pem" lsc-new-rsa.key
expect_result reject "a phone certificate sent with forty more certificates"
# eap checks the announced TLS length before any parsing; 3.2.7 moved the check (and its words) to eapcommon.c.
if fr_at_least 3.2.7; then huge_refusal='will be greater than the TLS maximum record size of 16384 bytes'
else huge_refusal='greater than the size that we can handle'; fi
expect_log "$huge_refusal" "huge chain: refused by FreeRADIUS $(fr_version)'s record size limit before any parsing"

eap_tls forged-lsc.pem forged-lsc.key
expect_result reject "an LSC from a forged CAPF"
eap_tls forged-capf.pem forged-capf.key
expect_result reject "a self-signed certificate with the CAPF's DN"

if kill -0 "$IT_SERVER_PID" 2>/dev/null; then pass "the server is still running"; else fail "the server died"; fi
eap_tls lsc-new-rsa.pem lsc-new-rsa.key
expect_result accept "the server keeps serving phones"
server_stop

it_finish

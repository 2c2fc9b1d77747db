#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Seed corpus for the fuzz targets from a test PKI (tests/pki/make-pki.sh),
# whose keys change every time it is generated: seeds made from the PKI the
# fuzzers load reach the accept paths.
#
# Usage: tests/fuzz/make-seeds.sh PKI_DIR OUT_DIR
# Writes OUT_DIR/fuzz_phone/*.der and OUT_DIR/fuzz_chain/*.bin (the input
# format of tests/fuzz/fuzz_chain.c: a flags byte, then certificates as
# 2-byte big-endian length + DER), then OUT_DIR/.complete.
set -euo pipefail

[ $# -eq 2 ] || { echo "usage: $0 PKI_DIR OUT_DIR" >&2; exit 2; }
pki=$1 out=$2
[ -e "$pki/.complete" ] || { echo "$0: $pki is not a complete test PKI" >&2; exit 1; }

rm -f "$out/.complete"
mkdir -p "$out/fuzz_phone" "$out/fuzz_chain"

der() {	# der NAME: the DER of the first certificate of NAME.pem on stdout
	openssl x509 -in "$pki/$1.pem" -outform DER
}

# fuzz_phone: a certificate, optionally followed by the chain the client sends.
for name in lsc-new-rsa lsc-new-ec lsc-old-rsa lsc-other lsc-expired lsc-noclient lsc-ext \
	    mic mic-expired mic-legacy forged-lsc forged-capf laptop capf-new; do
	der "$name" >"$out/fuzz_phone/$name.der"
done
{ der mic; der mfg-ca; } >"$out/fuzz_phone/mic-chain.der"
{ der mic-legacy; der mfg-legacy-ca; } >"$out/fuzz_phone/mic-legacy-chain.der"

# fuzz_chain: chain_seed FILE FLAGS NAME...: FLAGS (decimal) then each certificate, length-prefixed.
chain_seed() {
	local file=$1 flags=$2 name tmp
	shift 2
	tmp=$(mktemp)
	printf "$(printf '\\x%02x' "$flags")" >"$file"
	for name in "$@"; do
		der "$name" >"$tmp"
		local n
		n=$(wc -c <"$tmp")
		printf "$(printf '\\x%02x\\x%02x' $((n >> 8)) $((n & 255)))" >>"$file"
		cat "$tmp" >>"$file"
	done
	rm -f "$tmp"
}

# flags: bits 0-1 anchor certificates - 1; 4 split into anchors a and b; bits 3-4 kind of a
# (8 lsc_ca, 16 manufacturing); 32 b's window closed; 64 allow_expired_mic; 128 allow_legacy_mic.
chain_seed "$out/fuzz_chain/same-dn-old.bin"    $((1 | 4))      capf-old capf-new lsc-old-rsa
chain_seed "$out/fuzz_chain/same-dn-new.bin"    $((1 | 4 | 32)) capf-old capf-new lsc-new-rsa
chain_seed "$out/fuzz_chain/same-dn-closed.bin" $((1 | 4 | 32)) capf-new capf-old lsc-old-rsa
chain_seed "$out/fuzz_chain/one-bundle.bin"     1               capf-old capf-new lsc-new-ec
chain_seed "$out/fuzz_chain/forged.bin"         0               capf-new forged-lsc
chain_seed "$out/fuzz_chain/other-cluster.bin"  0               capf-new lsc-other
chain_seed "$out/fuzz_chain/ext.bin"            8               ext-ca lsc-ext
chain_seed "$out/fuzz_chain/mic.bin"            $((1 | 16))     mfg-root mfg-ca mic
chain_seed "$out/fuzz_chain/mic-sent-ca.bin"    16              mfg-root mic mfg-ca
chain_seed "$out/fuzz_chain/mic-expired.bin"    $((1 | 16 | 64)) mfg-root mfg-ca mic-expired
chain_seed "$out/fuzz_chain/mic-legacy.bin"     $((1 | 16 | 128)) mfg-legacy-root mfg-legacy-ca mic-legacy
chain_seed "$out/fuzz_chain/laptop.bin"         0               corp-ca laptop
chain_seed "$out/fuzz_chain/noca.bin"           0               capf-noca lsc-new-rsa

touch "$out/.complete"

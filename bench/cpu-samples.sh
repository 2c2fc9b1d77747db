#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Where radiusd's CPU time goes, from perf's samples of one bench round
# (bench/run.sh records them; BENCH_SAMPLES, bench/README.md): CPU time, not
# instructions, of the stock side and the phonecert side, by what ran (OpenSSL,
# glibc's malloc and free, talloc, FreeRADIUS, phonecert, the kernel...), per
# authentication, and the symbols that grew most. Prints markdown.
#
# Usage: bench/cpu-samples.sh PERF_DATA HZ N STOCK_PIDS PHONECERT_PIDS
#   HZ   the sampling frequency perf ran with (samples per second of CPU)
#   N    authentications each side served while perf ran
#   *_PIDS  the side's server processes, comma-separated
set -euo pipefail

[ $# -eq 5 ] || { echo "usage: $0 PERF_DATA HZ N STOCK_PIDS PHONECERT_PIDS" >&2; exit 2; }
data=$1 hz=$2 n=$3 stock=$4 phonecert=$5

# One line per sample: side, category, symbol. A sample of another process is dropped.
classify() {
	perf script -i "$data" -F pid,ip,sym,dso 2>/dev/null | awk -v stock="$stock" -v phonecert="$phonecert" '
		BEGIN {
			split(stock, s, ","); for (i in s) side[s[i]] = "stock"
			split(phonecert, p, ","); for (i in p) side[p[i]] = "phonecert"
		}
		!($1 in side) { next }
		{
			dso = $NF; sub(/^\(/, "", dso); sub(/\)$/, "", dso); sub(/.*\//, "", dso)
			sym = $3; for (i = 4; i < NF; i++) sym = sym " " $i
			if (dso ~ /^libcrypto|^libssl/) cat = "openssl"
			else if (dso ~ /^libc\.so/ && sym ~ /malloc|free|^_int_|unlink_chunk|consolidate|calloc|realloc|tcache|arena|memalign/) cat = "malloc"
			else if (dso ~ /^libtalloc/) cat = "talloc"
			else if (dso ~ /^rlm_phonecert/) cat = "phonecert"
			else if (dso ~ /^libfreeradius|^freeradius$|^rlm_|^proto_/) cat = "freeradius"
			else if (dso ~ /kernel|vdso/) cat = "kernel"
			else if (dso ~ /^libc\.so|^ld-linux/) cat = "libc"
			else cat = "other"
			print side[$1] "\t" cat "\t" dso " " sym
		}'
}

samples=$(mktemp)
trap 'rm -f "$samples"' EXIT
classify > "$samples"
[ -s "$samples" ] || { echo "cpu-samples: no samples of the servers in $data" >&2; exit 1; }

# µs of CPU per authentication for a sample count, and 2 sigma of a difference of two counts.
awk -F'\t' -v hz="$hz" -v n="$n" '
	function us(count) { return count / hz / n * 1e6 }
	{ total[$1]++; cat[$1, $2]++; sym[$1, $3]++; syms[$3] = 1 }
	END {
		split("openssl malloc talloc freeradius phonecert libc kernel other", order, " ")
		label["openssl"] = "OpenSSL (libcrypto, libssl)"
		label["malloc"] = "glibc malloc, free (and calloc, realloc)"
		label["talloc"] = "talloc"
		label["freeradius"] = "FreeRADIUS (radiusd, its libraries and other modules)"
		label["phonecert"] = "phonecert (rlm_phonecert.so)"
		label["libc"] = "the rest of glibc (strings, stdio, locks)"
		label["kernel"] = "the kernel (system calls, network, scheduling)"
		label["other"] = "other libraries"
		diff = total["phonecert"] - total["stock"]
		printf "| CPU µs per authentication | stock | phonecert | difference | ± (2σ of the sampling) | share of the difference |\n"
		printf "|---|---:|---:|---:|---:|---:|\n"
		for (i = 1; i in order; i++) {
			c = order[i]; a = cat["stock", c] + 0; b = cat["phonecert", c] + 0
			if (a + b == 0) continue
			printf "| %s | %.1f | %.1f | %+.1f | %.1f | %s |\n", label[c], us(a), us(b), us(b - a),
				us(2 * sqrt(a + b)), (diff > 0 ? sprintf("%.0f %%", 100 * (b - a) / diff) : "-")
		}
		printf "| **radiusd, total** | **%.1f** | **%.1f** | **%+.1f** | | ratio %.3f |\n\n", us(total["stock"]),
			us(total["phonecert"]), us(diff), (total["stock"] ? total["phonecert"] / total["stock"] : 0)
		printf "Symbols that grew most (µs per authentication, phonecert − stock):\n\n"
		for (s in syms) grow[s] = sym["phonecert", s] - sym["stock", s]
		for (k = 1; k <= 12; k++) {
			best = ""
			for (s in grow) if (best == "" || grow[s] > grow[best]) best = s
			if (best == "" || grow[best] <= 0) break
			printf "- `%s`: %+.1f ± %.1f (%.1f → %.1f)\n", best, us(grow[best]),
				us(2 * sqrt(sym["stock", best] + sym["phonecert", best])), us(sym["stock", best]), us(sym["phonecert", best])
			delete grow[best]
		}
		printf "\n%d samples of stock, %d of phonecert, at %d Hz, over %d authentications each.\n",
			total["stock"], total["phonecert"], hz, n
	}' "$samples"

#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# make test-valgrind: the integration suites that exercise phonecert's code
# paths, with the real radiusd under valgrind memcheck. Fails on any invalid
# read or write, or memory definitely lost, whose stack goes through phonecert
# (rlm_phonecert.so). FreeRADIUS' and OpenSSL's own findings are reported but
# do not fail the run.
set -u
repo=$(cd "$(dirname "$0")/../.." && pwd)
logs=$repo/build/valgrind
suites=(test-handshake.sh test-policy.sh test-reload.sh test-hostile.sh test-block.sh test-resumption.sh test-possession.sh test-fleet.sh)

rm -rf "$logs"
mkdir -p "$logs"
export IT_SERVER_WRAPPER="valgrind --tool=memcheck --leak-check=full --show-leak-kinds=definite --num-callers=40 --log-file=$logs/radiusd.%p.log"
export IT_EAPOL_SECONDS=60 IT_START_TENTHS=1200

status=0
for suite in "${suites[@]}"; do
	echo "# $suite under valgrind"
	bash "$repo/tests/integration/$suite" || status=1
done

# Each valgrind finding is a block of "==PID== " lines ended by an empty "==PID== " line.
findings() {	# $1: a log; prints the blocks about phonecert
	awk '/^==[0-9]+== $/ { if (block ~ /(Invalid (read|write)|definitely lost)/ && block ~ /rlm_phonecert\.so/) print block "\n"; block = ""; next }
	     /^==[0-9]+== / { block = block $0 "\n" }' "$1"
}

passed=0 failed=0
for log in "$logs"/radiusd.*.log; do
	[ -e "$log" ] || continue
	found=$(findings "$log")
	if [ -z "$found" ]; then
		passed=$((passed + 1))
	else
		failed=$((failed + 1))
		echo "not ok - valgrind: phonecert memory errors in $log"
		echo "$found" | head -n 60
	fi
done
runs=$((passed + failed))
if [ "$runs" -eq 0 ]; then echo "not ok - no valgrind log was written"; failed=1; status=1; fi
echo "# radiusd ran $runs times under valgrind; errors outside phonecert, for information:"
grep -h "ERROR SUMMARY" "$logs"/radiusd.*.log 2>/dev/null | sort | uniq -c | sed 's/^/#   /'
echo "valgrind: $passed passed, $failed failed"
[ "$failed" -eq 0 ] && [ "$status" -eq 0 ]

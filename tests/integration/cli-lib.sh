# SPDX-License-Identifier: GPL-2.0-or-later
# Running build/phonecert and checking what it says; sourced by the suites
# of the command-line tool after lib.sh. They set PHONECERT and EXTRA (a
# scratch directory).

# Run phonecert: OUT (stdout), ERR (stderr), RC.
run() {
	OUT=$("$PHONECERT" "$@" 2>"$EXTRA/stderr")
	RC=$?
	ERR=$(cat "$EXTRA/stderr")
}

expect_rc() {
	local want=$1 label=$2
	if [ "$RC" -eq "$want" ]; then pass "$label: exit $want"
	else fail "$label: exit $RC, expected $want"; sed 's/^/#   /' <<<"$OUT$ERR" | tail -n 6; fi
}

expect_out() {
	local pattern=$1 label=$2
	if grep -qE -- "$pattern" <<<"$OUT"; then pass "$label"; else fail "$label (no /$pattern/ in the output)"; fi
}

expect_no_out() {
	local pattern=$1 label=$2
	if grep -qE -- "$pattern" <<<"$OUT"; then fail "$label (unexpected /$pattern/ in the output)"; else pass "$label"; fi
}

expect_err() {
	local pattern=$1 label=$2
	if grep -qE -- "$pattern" <<<"$ERR"; then pass "$label"; else fail "$label (no /$pattern/ on stderr: $ERR)"; fi
}

# A jq filter that must hold on OUT (which must be JSON at all). Extra arguments go to jq (--arg ...).
expect_json() {
	local filter=$1 label=$2; shift 2
	if jq -e "$@" "$filter" <<<"$OUT" >/dev/null 2>&1; then pass "$label"
	else fail "$label (jq '$filter' does not hold)"; jq -c . <<<"$OUT" 2>&1 | head -c 600 | sed 's/^/#   /'; fi
}

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

# Is TEXT JSON Lines, as every --json output is: each line one JSON object
# that a strict parser (Python's) reads on its own? jq alone would also read
# pretty-printed objects one after another, which most parsers refuse. Says
# why not on stdout.
json_lines() {
	printf '%s' "$1" | /usr/bin/python3 -c '
import json, sys
for n, line in enumerate(sys.stdin.read().split("\n"), 1):
    try:
        value = json.loads(line)
    except ValueError as e:
        sys.exit("line %d: %s: %.120s" % (n, e, line))
    if not isinstance(value, dict):
        sys.exit("line %d is not an object: %.120s" % (n, line))
' 2>&1
}

# A jq filter that must hold on OUT, which must be JSON Lines. Extra arguments go to jq (--arg ...).
expect_json() {
	local filter=$1 label=$2 why; shift 2
	if ! why=$(json_lines "$OUT"); then
		fail "$label (not JSON Lines: $why)"
	elif jq -e "$@" "$filter" <<<"$OUT" >/dev/null 2>&1; then
		pass "$label"
	else
		fail "$label (jq '$filter' does not hold)"; jq -c . <<<"$OUT" 2>&1 | head -c 600 | sed 's/^/#   /'
	fi
}

# What two reports of the same authentications must agree on, whatever the
# database and the moment: anchors, verdicts, MICs, rejects (report --format
# json in $1). Nothing (a failure to compare) when it is not a report, or not JSON Lines.
report_summary() {
	json_lines "$1" >/dev/null || return
	jq -S '{anchors: [.anchors[] | {name, kind, configured, retiring, phones, last_used, safe_to_remove, verdict}],
		mic_only: [.mic_only.phones[].mac], mic_expiring: [.mic_expiring.phones[] | {mac, expired}],
		rejected: .rejected_24h.reasons, summary, phones}' <<<"$1"
}

# The same without the rejects of the last 24 hours: the verdicts and what they rest on.
report_verdicts() {
	report_summary "$1" | jq -S 'del(.rejected)'
}

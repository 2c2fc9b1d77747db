#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# phonecert report --format prometheus on a known inventory (the shipped
# SQLite schema, rows as sql_phonecert writes them, reject reasons quoting a
# hostile certificate): Prometheus' own parser accepts it (promtool check
# metrics), every value is the inventory's, label values are escaped. The
# alert rules of contrib/prometheus pass their unit tests (promtool test
# rules), and the systemd service and timer are valid units that write the
# file.
set -u
source "$(dirname "$0")/lib.sh"
it_init

PHONECERT=$IT_BUILD/phonecert
CONTRIB=$IT_REPO/contrib/prometheus
EXTRA=$IT_BUILD/it/metrics-extra
rm -rf "$EXTRA"
mkdir -p "$EXTRA"
source "$(dirname "$0")/cli-lib.sh"
it_need promtool sqlite3

# The demo configuration: capf demo-cluster-2025, capf demo-cluster-2021
# (retiring, accept_until 2030-01-01T00:00:00Z), manufacturing.
server_prepare metrics
R=$IT_RUN/raddb
NOW=2029-12-25T00:00:00Z	# 7 days before demo-cluster-2021's window closes
now=$(date -u -d "$NOW" +%s)
day=$((now / 86400))
DB=$EXTRA/inventory.sqlite
HOSTILE=$'forged "CN" \\ with\na line feed, \x01 and \xff bytes'
sqlite3 "$DB" <"$IT_REPO/raddb/mods-config/sql/phonecert/sqlite/schema.sql" >/dev/null
phone() {	# MAC DEVICE CERT_TYPE ANCHOR NOT_AFTER RESULT REASON LAST_SEEN
	sqlite3 "$DB" "INSERT INTO phonecert_phone (mac, device_name, model, cert_type, anchor, not_after, last_result,
		last_reason, first_seen, last_seen) VALUES ('$1', '$2', 'CP-8861', '$3', '$4', '$5', '$6',
		$7, $8, $8);
		INSERT INTO phonecert_phone_day VALUES ($(($8 / 86400)), '$1', '$4', '$6', 1)"
}
quote() { printf "'%s'" "${1//\'/\'\'}"; }
phone 00-11-22-33-44-55 SEP001122334455 LSC demo-cluster-2021 2035-01-01T00:00:00Z accept NULL $((now - 3600))
phone 2C-31-24-C9-F8-E1 SEP2C3124C9F8E1 LSC demo-cluster-2025 2035-01-01T00:00:00Z accept NULL $((now - 60))
phone 00-AA-BB-CC-DD-EE SEP00AABBCCDDEE LSC demo-cluster-2025 2035-01-01T00:00:00Z accept NULL $((now - 120))
phone 00-00-0A-0B-0C-0D SEP00000A0B0C0D MIC manufacturing 2030-03-01T00:00:00Z accept NULL $((now - 300))
phone 00-00-00-00-00-01 SEP000000000001 "" "" "" reject "$(quote "$HOSTILE")" $((now - 100))
phone 00-00-00-00-00-02 SEP000000000002 MIC manufacturing 2025-01-01T00:00:00Z reject "'certificate expired on 2025-01-01T00:00:00Z'" $((now - 200))
phone 00-00-00-00-00-03 SEP000000000003 MIC manufacturing 2025-01-01T00:00:00Z reject "'certificate expired on 2025-01-01T00:00:00Z'" $((now - 400))
# Rejected two days ago: not in the last 24 hours.
phone 00-00-00-00-00-04 SEP000000000004 LSC demo-cluster-2025 2035-01-01T00:00:00Z reject "'outside the window'" $((now - 2 * 86400))

echo "# the exposition format"
run report --db "sqlite:$DB" --config "$R" --now "$NOW" --format prometheus
expect_rc 1 "--format prometheus: exit 1 while the retiring anchor has a phone (as the other formats)"
printf '%s\n' "$OUT" >"$EXTRA/phonecert.prom"
if lint=$(promtool check metrics <"$EXTRA/phonecert.prom" 2>&1); then
	pass "promtool check metrics: valid, no lint findings"
else
	fail "promtool check metrics:"; sed 's/^/#   /' <<<"$lint"
fi
expect_line() {	# LINE LABEL: a line of the output, exactly
	if grep -qxF -- "$1" <<<"$OUT"; then pass "$2"; else fail "$2 (no line '$1')"; fi
}
expect_line 'phonecert_anchor_phones{anchor="demo-cluster-2021",kind="capf"} 1' "phones per anchor: the retiring CAPF 1"
expect_line 'phonecert_anchor_phones{anchor="demo-cluster-2025",kind="capf"} 3' "phones per anchor: the current CAPF 3 (latest authentication, rejects included)"
expect_line 'phonecert_anchor_phones{anchor="manufacturing",kind="manufacturing"} 3' "phones per anchor: manufacturing 3"
expect_line 'phonecert_anchor_retiring{anchor="demo-cluster-2021",kind="capf"} 1' "retiring: demo-cluster-2021"
expect_line 'phonecert_anchor_retiring{anchor="demo-cluster-2025",kind="capf"} 0' "not retiring: demo-cluster-2025"
expect_line 'phonecert_anchor_safe_to_remove{anchor="demo-cluster-2021",kind="capf"} 0' "retiring anchor not safe to remove: 0"
expect_no_out '^phonecert_anchor_safe_to_remove\{anchor="demo-cluster-2025"' "no safe-to-remove for an anchor that is not retiring"
expect_line "phonecert_anchor_window_remaining_seconds{anchor=\"demo-cluster-2021\",kind=\"capf\"} $((7 * 86400))" "until the window closes: 7 days (in seconds)"
expect_line "phonecert_anchor_window_close_timestamp_seconds{anchor=\"demo-cluster-2021\",kind=\"capf\"} $(date -u -d 2030-01-01T00:00:00Z +%s)" "the window's end, Unix seconds"
expect_line 'phonecert_rejected_phones{reason="certificate expired on 2025-01-01T00:00:00Z"} 2' "rejects in the last 24 h by reason: 2 expired"
expect_no_out 'reason="outside the window"' "a reject older than 24 h is not counted"
expect_line 'phonecert_rejected_phones{reason="forged \"CN\" \\ with\na line feed, '$'\xef\xbf\xbd'' and '$'\xef\xbf\xbd'' bytes"} 1' \
	"a hostile reason: quote, backslash and line feed escaped, control and invalid bytes replaced (U+FFFD)"
expect_line 'phonecert_mic_expiring_phones 3' "MICs expiring within 180 days (or expired): 3"
expect_line 'phonecert_mic_only_phones 3' "MIC-only phones: 3"
expect_line 'phonecert_phones 8' "phones in the inventory: 8"
expect_line 'phonecert_report_config_ok 1' "configuration read"
expect_line "phonecert_report_timestamp_seconds $now" "the report's time"
if [ "$(grep -c '^# TYPE ' <<<"$OUT")" -eq "$(grep -c '^# HELP ' <<<"$OUT")" ] && ! grep -qvE '^(# (HELP|TYPE) phonecert_[a-z_]+ .+|phonecert_[a-z_]+(\{[^}]*\})? -?[0-9.e+]+)$' <<<"$OUT"; then
	pass "every line is a HELP, TYPE or sample of a phonecert_ metric"
else
	fail "unexpected lines: $(grep -vE '^(# (HELP|TYPE) phonecert_[a-z_]+ .+|phonecert_[a-z_]+(\{[^}]*\})? -?[0-9.e+]+)$' <<<"$OUT" | head -n 3)"
fi

echo "# the phone moves to the current CAPF"
sqlite3 "$DB" "UPDATE phonecert_phone SET anchor = 'demo-cluster-2025' WHERE mac = '00-11-22-33-44-55';
	INSERT INTO phonecert_phone_day VALUES ($day, '00-11-22-33-44-55', 'demo-cluster-2025', 'accept', 1);
	DELETE FROM phonecert_phone_day WHERE anchor = 'demo-cluster-2021'"
run report --db "sqlite:$DB" --config "$R" --now "$NOW" --format prometheus
expect_rc 0 "exit 0: every retiring anchor is safe to remove"
expect_line 'phonecert_anchor_safe_to_remove{anchor="demo-cluster-2021",kind="capf"} 1' "safe to remove: 1"
expect_line 'phonecert_anchor_phones{anchor="demo-cluster-2021",kind="capf"} 0' "no phone on it"

run report --db "sqlite:$DB" --config "$EXTRA/no-such-raddb" --now "$NOW" --format prometheus
expect_rc 2 "an unreadable configuration: exit 2"
expect_line 'phonecert_report_config_ok 0' "config_ok 0 (the metrics still come)"
run report --db "sqlite:$DB" --format yaml
expect_rc 2 "--format yaml refused"
expect_err 'text, json, csv or prometheus' "the usage error names prometheus"

echo "# alert rules"
if out=$(promtool check rules "$CONTRIB/phonecert-alerts.yml" 2>&1); then pass "promtool check rules phonecert-alerts.yml"; else fail "promtool check rules: $out"; fi
if out=$(cd "$CONTRIB" && promtool test rules phonecert-alerts.test.yml 2>&1); then
	pass "promtool test rules: a retiring anchor with phones alerts 7 days before accept_until, not before, not once safe"
else
	fail "promtool test rules:"; sed 's/^/#   /' <<<"$out" | head -n 20
fi
# The real output feeds the rule: 7 days left, 1 phone.
sqlite3 "$DB" "UPDATE phonecert_phone SET anchor = 'demo-cluster-2021' WHERE mac = '00-11-22-33-44-55';
	INSERT INTO phonecert_phone_day VALUES ($day, '00-11-22-33-44-55', 'demo-cluster-2021', 'accept', 1)"
run report --db "sqlite:$DB" --config "$R" --now "$NOW" --format prometheus
series() {	# METRIC: its sample of the output as a promtool input series, repeated
	grep "^$1{anchor=\"demo-cluster-2021\"" <<<"$OUT" | sed -E 's/^([a-z_]+)\{(.*)\} (.*)$/      - series: '"'"'\1{instance="radius1",\2}'"'"'\n        values: '"'"'\3x100'"'"'/'
}
cat >"$EXTRA/real.test.yml" <<EOF
rule_files:
  - $CONTRIB/phonecert-alerts.yml
evaluation_interval: 5m
tests:
  - interval: 5m
    input_series:
$(series phonecert_anchor_phones)
$(series phonecert_anchor_safe_to_remove)
$(series phonecert_anchor_window_remaining_seconds)
    alert_rule_test:
      - eval_time: 30m
        alertname: PhonecertRetiringAnchorStillUsed
        exp_alerts:
          - exp_labels: { severity: warning, instance: radius1, anchor: demo-cluster-2021, kind: capf }
            exp_annotations:
              summary: "capf demo-cluster-2021 still has 1 phone(s) and closes within 7 days"
              description: "After accept_until these phones are refused. List them: phonecert report --db ... --phones"
EOF
if out=$(promtool test rules "$EXTRA/real.test.yml" 2>&1); then pass "the report's own output, 7 days before accept_until, fires the alert"; else fail "the report's output does not fire the alert:"; sed 's/^/#   /' <<<"$out" | head -n 20; fi

echo "# the systemd service and timer"
if command -v systemd-analyze >/dev/null; then
	units=$EXTRA/units
	mkdir -p "$units"
	cp "$CONTRIB/phonecert-metrics.service" "$CONTRIB/phonecert-metrics.timer" "$units/"
	# verify looks for the programs it names: phonecert is not installed on this machine.
	if out=$(cd "$units" && SYSTEMD_LOG_LEVEL=err systemd-analyze verify --man=no ./phonecert-metrics.timer ./phonecert-metrics.service 2>&1); then
		pass "systemd-analyze verify: service and timer"
	else
		fail "systemd-analyze verify:"; sed 's/^/#   /' <<<"$out" | head -n 10
	fi
else
	skip "systemd-analyze missing: the units are not verified"
fi
# The service's command, as systemd runs it (\$\$ is \$), with this inventory and a scratch textfile directory.
command=$(sed -n "s/^ExecStart=\/bin\/sh -c '\(.*\)'$/\1/p" "$CONTRIB/phonecert-metrics.service" | sed 's/\$\$/$/g')
mkdir -p "$EXTRA/bin" && ln -sf "$PHONECERT" "$EXTRA/bin/phonecert"
PATH=$EXTRA/bin:$PATH PHONECERT_DB="sqlite:$DB" PHONECERT_RADDB=$R TEXTFILE=$EXTRA/textfile.prom sh -c "$command"
rc=$?
if [ "$rc" -eq 0 ] && [ -s "$EXTRA/textfile.prom" ] && [ ! -e "$EXTRA/textfile.prom.tmp" ] &&
   promtool check metrics <"$EXTRA/textfile.prom" >/dev/null 2>&1; then
	pass "the service's command writes the textfile (also when report exits 1), renamed into place"
else
	fail "the service's command: exit $rc, file $(ls -l "$EXTRA"/textfile.prom* 2>&1 | tr '\n' ' ')"
fi
PATH=$EXTRA/bin:$PATH PHONECERT_DB="sqlite:$EXTRA/missing.sqlite" PHONECERT_RADDB=$R TEXTFILE=$EXTRA/textfile.prom sh -c "$command" 2>/dev/null
rc=$?
if [ "$rc" -eq 2 ] && [ ! -e "$EXTRA/textfile.prom.tmp" ] && grep -q '^phonecert_phones 8$' "$EXTRA/textfile.prom"; then
	pass "a report that fails (exit 2) leaves the previous textfile and fails the service"
else
	fail "a failing report: exit $rc, the previous file replaced or a .tmp left"
fi

it_finish

#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# phonecert report with CUCM's phone lists (doc/cucm.md), on the inventory
# the real server writes (freeradius, eapol_test), in SQLite and then in
# PostgreSQL. The lists are laid out as CUCM's "All Details" export: the
# field names of Cisco's Bulk Administration Guide ("Export File Fields for
# All Phone Details Option"), a UTF-8 byte order mark, CRLF line ends,
# quoted cells with commas, and devices that are no phone (CSF, BOT, TCT,
# TAB, an ATA port).
#
#   - a listed phone that never authenticated: NOT safe, and it is named;
#   - the same phone waived: safe, shown as waived;
#   - a phone seen but in no list: reported;
#   - phones last seen before the rotation began; a waiver of a phone still
#     on the retiring anchor, refused; the lists of the configuration
#     (expected_phones), as the metrics timer reads them;
#   - every format (text, JSON, CSV, HTML, Prometheus), with a list's
#     hostile cells escaped in each;
#   - errors: an empty list, a list of which no phone was ever seen, no
#     header, bytes that are not UTF-8, an overlong line (each naming file
#     and line), a rotation whose start is unknown, an unknown anchor; an
#     invalid device name reported with file and line; a device in two lists.
set -u
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/pg.sh"
source "$(dirname "$0")/hostile-certs.sh"	# RLO, CSI
it_init

PHONECERT=$IT_BUILD/phonecert
[ -x "$PHONECERT" ] || { echo "it: $PHONECERT missing: run make first" >&2; exit 2; }
it_need jq sqlite3 promtool

EXTRA=$IT_BUILD/it/report-cucm-extra
rm -rf "$EXTRA"
mkdir -p "$EXTRA"
OLD=demo-cluster-2021	# the demo configuration's retiring CAPF
NEW=demo-cluster-2025	# its current one (no accept_from: the rotation's start is --since)

cleanup_all() {
	it_cleanup
	pg_remove
}
trap cleanup_all EXIT

source "$(dirname "$0")/cli-lib.sh"

#
#	The fixtures: CUCM's export
#

# The first 40 fields of CUCM's All Details export, as the Bulk Administration Guide lists them.
CUCM_HEADER='Device Name,Description,Device Pool,Phone Template,CSS,AAR CSS,Location,Extension Mobility,Network Locale,Media Resource Group List,User Hold Audio Source,Network Hold Audio Source,Device User Locale,Signal Packet Capture Mode,Packet Capture Duration,Built in Bridge,Privacy,Retry Video Call as Audio,Ignore Presentation Indicators,Softkey Template,Module 1,Module 2,Phone Load Name,Module 1 Load Name,Module 2 Load Name,Information,Directory,Messages,Services,Authentication Server,Proxy Server,Idle,Idle Timer,MLPP Indication,MLPP Preemption,MLPP Domain,Device Type,User ID,Common Profile,Owner User ID'

cucm_row() {	# NAME DESCRIPTION-CELL (quoted as CSV if need be) POOL MODEL
	printf '%s,%s,%s,Standard 8845 SIP,CSS_Harbour,,Hub_None,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,%s,,Standard Common Phone Profile,jsmith' \
		"$1" "$2" "$3" "$4"
}

cucm_list() {	# FILE ROW...: the export as CUCM writes it (a byte order mark, CRLF)
	local file=$1 row
	shift
	{
		printf '\xef\xbb\xbf%s\r\n' "$CUCM_HEADER"
		for row in "$@"; do printf '%s\r\n' "$row"; done
	} >"$file"
}

# The harbour cluster: two phones that authenticate, one in a drawer, softphones and an ATA port.
# SEP00AABBCCDDEE (lsc-new-ec) authenticates too, but CUCM does not list it.
LIST=$EXTRA/cucm-harbour.csv
DRAWER=SEPDEADBEEF0001
cucm_list "$LIST" \
	"$(cucm_row SEP2C3124C9F8E1 '"Reception, front desk"' DP_Harbour 'Cisco 8845')" \
	"$(cucm_row CSFJSMITH 'Jabber jsmith' DP_Harbour 'Cisco Unified Client Services Framework')" \
	"$(cucm_row SEP0000ABCDEF01 '"Lobby, courtesy phone"' DP_Harbour 'Cisco 8841')" \
	"$(cucm_row BOTJSMITH '' DP_Harbour 'Cisco Dual Mode for Android')" \
	"$(cucm_row TCTJSMITH '' DP_Harbour 'Cisco Dual Mode for iPhone')" \
	"$(cucm_row TABJSMITH '' DP_Harbour 'Cisco Jabber for Tablet')" \
	"$(cucm_row $DRAWER '"Spare, store room B2"' DP_Harbour 'Cisco 7841')" \
	"$(cucm_row ATA00AB12CD34EF 'Fax, port 1' DP_Harbour 'Cisco ATA 191')"
if head -c 3 "$LIST" | od -An -tx1 | grep -q 'ef bb bf' && grep -c $'\r$' "$LIST" | grep -qx 9 &&
   grep -q '"Reception, front desk"' "$LIST"; then
	pass "the fixture is laid out as CUCM exports: a byte order mark, CRLF, quoted cells with commas"
else
	fail "the fixture is not laid out as CUCM exports"
fi
# Phones known to be retired: a plain list, a name column.
WAIVERS=$EXTRA/retired.csv
printf 'name,ticket\n%s,"CHG-1234, stored"\n' "$DRAWER" >"$WAIVERS"

# The parts every database's report must agree on (report --format json in $1).
expected_summary() {
	jq -S '{verdicts: [.anchors[] | select(.retiring) | {name, safe_to_remove, listed, listed_unseen}],
		never_seen: [.expected.never_seen[] | .device_name], before: [.expected.before_rotation[] | .device_name],
		waived: [.expected.waived[] | {device_name, waiver}], unlisted: [.expected.unlisted[] | .device_name],
		lists: [.expected.lists[] | {phones, seen, never_seen, before_rotation, waived, not_phones}]}' <<<"$1"
}

# The three cases the lists are for, on the inventory at $1 (a --db URL). Sets CASE_NOT_SAFE and CASE_WAIVED (JSON).
# The rotation begins (START), then three phones authenticate into the inventory. $1: label prefix.
rotation_and_three_phones() {
	START=$(date -u +%Y-%m-%dT%H:%M:%SZ)	# the rotation began just before the phones authenticated
	sleep 1
	eap_tls lsc-new-rsa.pem lsc-new-rsa.key
	expect_result accept "${1}SEP2C3124C9F8E1, an LSC of the new CAPF (listed)"
	eap_tls lsc-new-ec.pem lsc-new-ec.key
	expect_result accept "${1}SEP00AABBCCDDEE, an LSC of the new CAPF (not listed)"
	eap_tls mic-only.pem mic-only.key
	expect_result accept "${1}SEP0000ABCDEF01, on its MIC (listed)"
	inventory_flush
}

three_cases() {	# DB-URL LABEL
	local db=$1 label=$2
	run report --db "$db" --config "$R" --expected "$NEW=$LIST" --since "$START"
	expect_rc 1 "$label: a listed phone never authenticated"
	expect_out "verdict: +NOT safe: 1 listed phone not seen since the rotation began: $DRAWER \(never seen\)$" \
		"$label: the verdict is NOT safe and names the phone"
	expect_out "^Listed phones never seen on 802.1X: 1$" "$label: the section of phones never seen"
	expect_out "^  $DRAWER +DE-AD-BE-EF-00-01 +Spare, store room B2 +DP_Harbour +Cisco 7841 +.*cucm-harbour.csv\[8\]$" \
		"$label: the phone with the list's description, pool, model and line"
	expect_out "^Phones seen on 802.1X but in no list .*: 1$" "$label: one phone seen but in no list"
	expect_out "^  SEP00AABBCCDDEE +00-AA-BB-CC-DD-EE +CP-8845 +$NEW " "$label: the unlisted phone is named, with its anchor"
	expect_out "^    not phones: +ATA 1, BOT 1, CSF 1, TAB 1, TCT 1$" "$label: the devices that are no phone, counted by prefix"
	expect_out "^Result: NOT safe to remove: $OLD \(0 phones, 1 listed not seen\)$" "$label: the result line"
	run report --db "$db" --config "$R" --expected "$NEW=$LIST" --since "$START" --format json
	CASE_NOT_SAFE=$OUT
	expect_json '[.expected.never_seen[] | .device_name] == ["SEPDEADBEEF0001"] and .expected.never_seen[0].line == 8
		and .expected.never_seen[0].description == "Spare, store room B2" and .expected.never_seen[0].last_seen == null' \
		"$label: JSON never_seen"
	expect_json '[.expected.unlisted[] | .device_name] == ["SEP00AABBCCDDEE"]' "$label: JSON unlisted"
	expect_json ".expected.lists[0] | .phones == 3 and .seen == 2 and .never_seen == 1 and .covers == [\"$OLD\"]
		and .rotation_began == \"$START\" and .rotation_began_from == \"option --since\"" "$label: JSON the list"
	expect_json '.summary.all_safe == false and .summary.verdicts_count == "listed phones"' "$label: JSON summary"

	run report --db "$db" --config "$R" --expected "$NEW=$LIST" --since "$START" --waivers "$WAIVERS"
	expect_rc 0 "$label: the same phone waived"
	expect_out "verdict: +safe to remove: $OLD has never been used, and every listed phone was seen since the rotation began$" \
		"$label: the verdict is safe"
	expect_out "^Waived phones \(known to be retired\): 1$" "$label: the waived phone is shown, not hidden"
	expect_out "^  $DRAWER +Spare, store room B2 +never +- +.*cucm-harbour.csv\[8\] +waived$" "$label: as waived, never seen"
	expect_out "^  SEP00AABBCCDDEE +00-AA-BB-CC-DD-EE " "$label: the phone in no list is still reported"
	run report --db "$db" --config "$R" --expected "$NEW=$LIST" --since "$START" --waivers "$WAIVERS" --format json
	CASE_WAIVED=$OUT
	expect_json '[.expected.waived[] | [.device_name, .waiver]] == [["SEPDEADBEEF0001", "waived"]] and .expected.never_seen == []
		and .summary.all_safe' "$label: JSON waived"
}

#
#	SQLite
#
echo "# SQLite: the fleet authenticates through the real server"
server_prepare report-cucm && server_start || exit 1
R=$IT_RUN/raddb
DB="sqlite:$IT_RUN/db/phonecert-inventory.sqlite"
rotation_and_three_phones ""

run report --db "$DB" --config "$R" --expected "$NEW=$LIST"
expect_rc 2 "no --since, and the new CAPF has no accept_from"
expect_err "when did the rotation begin\? capf $NEW has no accept_from: give --since TIME" "the report asks for --since, naming the section"

three_cases "$DB" "SQLite"
SQLITE_NOT_SAFE=$CASE_NOT_SAFE SQLITE_WAIVED=$CASE_WAIVED

echo "# every format"
run report --db "$DB" --config "$R" --expected "$NEW=$LIST" --since "$START" --format csv
OUT=$(tr -d '\r' <<<"$OUT")
expect_out "^section,device_name,mac,list,line,description,device_pool,model,last_seen,last_anchor,last_result,waiver$" "CSV: the listed phones' header"
expect_out "^never_seen,$DRAWER,DE-AD-BE-EF-00-01,.*cucm-harbour.csv,8,\"Spare, store room B2\",DP_Harbour,Cisco 7841,,,,$" "CSV: the phone never seen"
expect_out "^unlisted,SEP00AABBCCDDEE,00-AA-BB-CC-DD-EE,CP-8845,$NEW," "CSV: the phone in no list"
expect_out "^phone_list,.*cucm-harbour.csv,$NEW,$OLD,$START,option --since,3,2,1,0,0,0$" "CSV: the list's counts"
expect_out "^not_phones,.*cucm-harbour.csv,CSF,1$" "CSV: the devices that are no phone"
run report --db "$DB" --config "$R" --expected "$NEW=$LIST" --since "$START" --format prometheus
printf '%s\n' "$OUT" >"$EXTRA/cucm.prom"
if lint=$(promtool check metrics <"$EXTRA/cucm.prom" 2>&1); then pass "Prometheus: promtool check metrics"
else fail "Prometheus: promtool check metrics:"; sed 's/^/#   /' <<<"$lint"; fi
expect_out "^phonecert_expected_phones\{list=\".*cucm-harbour.csv\",to_anchor=\"$NEW\"\} 3$" "Prometheus: phonecert_expected_phones"
expect_out "^phonecert_unseen_phones\{list=\".*cucm-harbour.csv\",to_anchor=\"$NEW\",seen=\"never\"\} 1$" "Prometheus: phonecert_unseen_phones never"
expect_out "^phonecert_unlisted_phones 1$" "Prometheus: phonecert_unlisted_phones"
expect_out "^phonecert_anchor_listed_unseen_phones\{anchor=\"$OLD\",kind=\"capf\"\} 1$" "Prometheus: the retiring anchor's listed phones not seen"
expect_out "^phonecert_anchor_safe_to_remove\{anchor=\"$OLD\",kind=\"capf\"\} 0$" "Prometheus: not safe to remove"
run report --db "$DB" --config "$R" --expected "$NEW=$LIST" --since "$START" --html "$EXTRA/cucm.html"
if grep -q "<h3 id=\"never-seen\">Listed phones never seen on 802.1X: 1</h3>" "$EXTRA/cucm.html" &&
   grep -q "<td class=\"mono\">$DRAWER</td>" "$EXTRA/cucm.html" &&
   grep -q '<h3 id="unlisted">Phones seen on 802.1X but in no list: 1</h3>' "$EXTRA/cucm.html"; then
	pass "HTML: the sections, with the phone never seen"
else
	fail "HTML: the phone lists' sections are missing"
fi

echo "# phones last seen before the rotation"
LATER=$(date -u -d '+1 hour' +%Y-%m-%dT%H:%M:%SZ)
run report --db "$DB" --config "$R" --expected "$NEW=$LIST" --since "$LATER" --now "$(date -u -d '+2 hours' +%Y-%m-%dT%H:%M:%SZ)" --format json
expect_rc 1 "a rotation that began after the phones last authenticated"
expect_json '[.expected.before_rotation[] | .device_name] == ["SEP0000ABCDEF01", "SEP2C3124C9F8E1"]
	and ([.expected.before_rotation[] | .last_anchor] == ["manufacturing", "'"$NEW"'"]) and (.expected.before_rotation | all(.last_seen != null))' \
	"JSON: both seen phones last seen before it, with what was last known"
expect_json "[.anchors[] | select(.name == \"$OLD\")][0].verdict | test(\"3 listed phones not seen since the rotation began: $DRAWER \\\\(never seen\\\\), SEP0000ABCDEF01 \\\\(last seen before the rotation\\\\)\")" \
	"the verdict names them"

echo "# errors in the lists"
bad_list() {	# NAME CONTENT: a list file; its path in BAD
	BAD=$EXTRA/$1
	printf '%s' "$2" >"$BAD"
}
bad_list empty.csv $'\xef\xbb\xbfDevice Name,Description,Device Pool\r\n'
run report --db "$DB" --config "$R" --expected "$NEW=$BAD" --since "$START"
expect_rc 2 "an empty list"
expect_err "empty.csv lists no phone .*an empty list proves nothing" "an empty list is an error, not safe"
bad_list other-cluster.csv $'Device Name\r\nSEP111111111111\r\nSEP222222222222\r\n'
run report --db "$DB" --config "$R" --expected "$NEW=$BAD" --since "$START"
expect_rc 2 "a list of which no phone was ever seen"
expect_err "other-cluster.csv: none of its 2 phones was ever seen on 802.1X" "it is an error, not safe"
bad_list no-header.csv $'SEP2C3124C9F8E1,Reception\r\nSEP0000ABCDEF01,Lobby\r\n'
run report --db "$DB" --config "$R" --expected "$NEW=$BAD" --since "$START"
expect_rc 2 "a list without a header"
expect_err "no-header.csv\[1\]: no device column in the header row .*its first cell is \"SEP2C3124C9F8E1\"" "missing header: file and line"
bad_list latin1.csv $'Device Name,Description\r\nSEP2C3124C9F8E1,ok\r\nSEP0000ABCDEF01,caf\xe9\r\n'
run report --db "$DB" --config "$R" --expected "$NEW=$BAD" --since "$START"
expect_rc 2 "a list that is not UTF-8"
expect_err "latin1.csv\[3\]: not UTF-8 \(a byte 0xE9\)" "not UTF-8: file and line"
{ printf 'Device Name,Description\r\nSEP2C3124C9F8E1,'; head -c 1100000 /dev/zero | tr '\0' x; printf '\r\n'; } >"$EXTRA/overlong.csv"
run report --db "$DB" --config "$R" --expected "$NEW=$EXTRA/overlong.csv" --since "$START"
expect_rc 2 "an overlong line"
expect_err "overlong.csv\[2\]: a record of more than 1048576 bytes" "overlong: file and line"
bad_list escape.csv $'\x1b]0;pwned\x07,x\n'
run report --db "$DB" --config "$R" --expected "$NEW=$BAD" --since "$START"
expect_err 'its first cell is "\\x1b\]0;pwned\\x07"' "stderr: a list's control characters as \\xHH"
run report --db "$DB" --config "$R" --expected "$OLD=$LIST" --since "$START"
expect_rc 2 "ANCHOR is the retiring CAPF"
expect_err "$OLD is retiring \(accept_until\): name the section its phones move to" "said so"
run report --db "$DB" --config "$R" --expected "harbour-2030=$LIST" --since "$START"
expect_rc 2 "ANCHOR names no section"
expect_err "the configuration has no capf or lsc_ca section harbour-2030" "said so"
run report --db "$DB" --config "$R" --expected "$NEW=$LIST" --since 2026-13-01
expect_rc 2 "--since not RFC 3339"

echo "# an invalid device name, and a device in two lists"
cucm_list "$EXTRA/cucm-typo.csv" "$(cucm_row SEP2C3124C9F8E1 'Reception' DP_Harbour 'Cisco 8845')" \
	"$(cucm_row SEP0000ABCDEF01 'Lobby' DP_Harbour 'Cisco 8841')" "$(cucm_row SEP00AABBCCDDE 'typo: 11 digits' DP_Harbour 'Cisco 8845')"
run report --db "$DB" --config "$R" --expected "$NEW=$EXTRA/cucm-typo.csv" --since "$START"
expect_rc 1 "a list with a row that cannot be a phone"
expect_out "^  .*cucm-typo.csv\[4\]: SEP00AABBCCDDE: a phone's device name is SEP and 12 hex digits$" "reported with its file and line"
expect_out "verdict: +NOT safe: 1 row of its phone lists unreadable$" \
	"the verdict counts it: never dropped silently"
cucm_list "$EXTRA/cucm-branch.csv" "$(cucm_row SEP0000ABCDEF01 'Lobby, moved to the branch' DP_Branch 'Cisco 8841')"
run report --db "$DB" --config "$R" --expected "$NEW=$LIST" --expected "$EXTRA/cucm-branch.csv" --since "$START" --waivers "$WAIVERS"
expect_out "^  .*cucm-branch.csv\[2\]: SEP0000ABCDEF01: listed in two lists \(first: .*cucm-harbour.csv\[4\]\)$" \
	"a device in two lists is reported, with both places"

echo "# a list's hostile cells, escaped in every format"
HOSTILE_DESCRIPTION="=HYPERLINK(\"http://x\")<script>alert(1)</script>${RLO}gpj.exe${CSI}2J"
cucm_list "$EXTRA/cucm-hostile.csv" "$(cucm_row SEP2C3124C9F8E1 'Reception' DP_Harbour 'Cisco 8845')" \
	"$(cucm_row $DRAWER "\"${HOSTILE_DESCRIPTION//\"/\"\"}\"" $'"DP\nNext line"' 'Cisco 7841')"
run report --db "$DB" --config "$R" --expected "$NEW=$EXTRA/cucm-hostile.csv" --since "$START"
expect_out '^  SEPDEADBEEF0001 .*<script>alert\(1\)</script>\\xe2\\x80\\xaegpj\.exe\\xc2\\x9b2J +DP\\x0aNext line ' \
	"text: the controls and the quoted line break as \\xHH"
expect_no_out '^Next line' "text: no line of the cell's own"
run report --db "$DB" --config "$R" --expected "$NEW=$EXTRA/cucm-hostile.csv" --since "$START" --format csv
expect_out "^never_seen,$DRAWER,DE-AD-BE-EF-00-01,.*,3,\"'=HYPERLINK\(\"\"http://x\"\"\)<script>" "CSV: the formula cell quoted and prefixed with '"
run report --db "$DB" --config "$R" --expected "$NEW=$EXTRA/cucm-hostile.csv" --since "$START" --format json
expect_json '.expected.never_seen[0].description == $d and .expected.never_seen[0].device_pool == "DP\nNext line"' \
	"JSON: the cells read back exactly" --arg d "$HOSTILE_DESCRIPTION"
expect_out '\\u202e' "JSON: U+202E as \\u202e"
run report --db "$DB" --config "$R" --expected "$NEW=$EXTRA/cucm-hostile.csv" --since "$START" --html "$EXTRA/hostile.html"
if grep -q '<script' "$EXTRA/hostile.html" || LC_ALL=C grep -qF -e "$RLO" -e "$CSI" "$EXTRA/hostile.html" ||
   ! grep -qF '=HYPERLINK(&quot;http://x&quot;)&lt;script&gt;alert(1)&lt;/script&gt;\xe2\x80\xaegpj.exe\xc2\x9b2J' "$EXTRA/hostile.html"; then
	fail "HTML: the description is not escaped"
else
	pass "HTML: the description escaped (entities, controls as \\xHH, no <script>)"
fi
run report --db "$DB" --config "$R" --expected "$EXTRA/cucm-hostile.csv" --since "$START" --format prometheus
expect_out "^phonecert_expected_phones\{list=\".*cucm-hostile.csv\",to_anchor=\"\"\} 2$" "Prometheus: a list of every section: to_anchor empty"
echo "# the lists of the configuration (expected_phones), as the metrics timer reads them"
phonecert_conf=$R/mods-enabled/phonecert
cp --remove-destination "$(readlink -f "$phonecert_conf")" "$phonecert_conf"
sed -i '$d' "$phonecert_conf"
cat >>"$phonecert_conf" <<EOF
	expected_phones {
		list $NEW {
			file = $LIST
		}
		waivers = $WAIVERS
		since = "$START"
	}
}
EOF
run report --db "$DB" --config "$R" --format prometheus
expect_rc 0 "no --expected: expected_phones' list, waivers and since"
expect_out "^phonecert_waived_phones\{list=\"$LIST\",to_anchor=\"$NEW\"\} 1$" "Prometheus from the configuration: the waived phone"
run report --db "$DB" --config "$R" --expected "$EXTRA/none.csv"
expect_rc 2 "--expected replaces the configuration's lists"
expect_err "cannot read the phone list .*none.csv: No such file" "the missing list is named"

echo "# a waiver of a phone still on the retiring anchor is refused"
eap_tls lsc-old-rsa.pem lsc-old-rsa.key
expect_result accept "SEP001122334455, an LSC of the old CAPF"
inventory_flush
cucm_list "$EXTRA/cucm-old.csv" "$(cucm_row SEP001122334455 'Warehouse' DP_Harbour 'Cisco 7841')" \
	"$(cucm_row SEP2C3124C9F8E1 '"Reception, front desk"' DP_Harbour 'Cisco 8845')"
printf 'name\nSEP001122334455\n' >"$EXTRA/retire-old.csv"
run report --db "$DB" --config "$R" --expected "$NEW=$EXTRA/cucm-old.csv" --waivers "$EXTRA/retire-old.csv" --format json
expect_rc 1 "a waived phone still on the old CAPF"
expect_json '[.expected.waived[] | [.device_name, (.waiver | startswith("refused"))]] == [["SEP001122334455", true]]' "the waiver is refused"
expect_json "[.anchors[] | select(.name == \"$OLD\")][0] | .phones == 1 and .safe_to_remove == false" "the verdict stays NOT safe"

server_stop

#
#	PostgreSQL: the same fleet, the same three cases
#
echo "# PostgreSQL: the same fleet through a server writing into PostgreSQL"
if ! pg_start; then
	fail "PostgreSQL did not start"
	it_finish
	exit 1
fi
pg_create_inventory && pass "PostgreSQL inventory created from the shipped schema" || fail "cannot create the PostgreSQL inventory"
server_prepare report-cucm-pg && pg_configure_run && server_start || exit 1
R=$IT_RUN/raddb
PG_URL="postgresql://phonecert@127.0.0.1:$PG_PORT/phonecert"
rotation_and_three_phones "PostgreSQL: "
three_cases "$PG_URL" "PostgreSQL"
if [ "$(expected_summary "$CASE_NOT_SAFE")" = "$(expected_summary "$SQLITE_NOT_SAFE")" ] &&
   [ "$(expected_summary "$CASE_WAIVED")" = "$(expected_summary "$SQLITE_WAIVED")" ] && [ -n "$(expected_summary "$CASE_WAIVED")" ]; then
	pass "PostgreSQL and SQLite give the same lists' sections and verdicts"
else
	fail "PostgreSQL and SQLite differ:"; diff <(expected_summary "$SQLITE_NOT_SAFE") <(expected_summary "$CASE_NOT_SAFE") | head -n 20 | sed 's/^/#   /'
fi
server_stop
pg_stop

it_finish

#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# phonecert report on the inventory the real server writes: phones of the old
# and the new CAPF authenticate through the real freeradius (eapol_test), the
# report says the old CAPF is NOT safe to remove; the old-CAPF phone gets a new
# LSC from the new CAPF, and the report says it is safe; a forged LSC with
# that phone's CN, rejected, does not change the verdict. Text, JSON, CSV, the
# HTML page (rendered in headless Chromium), --now, the exit codes, and the
# same verdicts from PostgreSQL as from SQLite.
set -u
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/pg.sh"
it_init

PHONECERT=$IT_BUILD/phonecert
[ -x "$PHONECERT" ] || { echo "it: $PHONECERT missing: run make first" >&2; exit 2; }
it_need jq sqlite3 openssl

EXTRA=$IT_BUILD/it/report-extra	# files made by this suite
rm -rf "$EXTRA"
mkdir -p "$EXTRA"
OLD=demo-cluster-2021	# the shipped config's retiring CAPF (capf-old, accept_until 2030-01-01)
SEEN_ONLY=" (of the phones seen on 802.1X only: no phone list, see --expected)"	# what a safe verdict without a phone list says
NEW=demo-cluster-2025	# its current CAPF (capf-new)

cleanup_all() {
	it_cleanup
	pg_remove
}
trap cleanup_all EXIT

source "$(dirname "$0")/cli-lib.sh"


anchor_json() {	# NAME FILTER LABEL: FILTER on the anchor object named NAME
	expect_json "[.anchors[] | select(.name == \$n)] | length == 1 and (.[0] | $2)" "$3" --arg n "$1"
}

# The fleet: phones of both CAPF generations, two MICs (one expired), a phone of another cluster.
authenticate_fleet() {
	eap_tls lsc-new-rsa.pem lsc-new-rsa.key
	expect_result accept "LSC of the new CAPF (2C-31-24-C9-F8-E1)"
	eap_tls lsc-new-ec.pem lsc-new-ec.key
	expect_result accept "EC LSC of the new CAPF (00-AA-BB-CC-DD-EE)"
	eap_tls lsc-old-rsa.pem lsc-old-rsa.key
	expect_result accept "LSC of the old CAPF (SEP001122334455)"
	eap_tls mic-expired.pem mic-expired.key
	expect_result reject "an expired MIC (00-00-0A-0B-0C-0D): refused in the handshake, an unproven claim"
	eap_tls mic-only.pem mic-only.key
	expect_result accept "a MIC of a phone that never had an LSC (00-00-AB-CD-EF-01)"
	# The same phone as lsc-new-rsa presenting its MIC: its latest certificate is a MIC, but it was seen with an LSC.
	eap_tls mic.pem mic.key
	expect_result accept "the MIC of the phone that also has a new-CAPF LSC (2C-31-24-C9-F8-E1)"
	eap_tls lsc-other.pem lsc-other.key
	expect_result reject "an LSC of another cluster (no anchor)"
	# Last: a stranger's LSC with the old-CAPF phone's CN. Rejected, it must not move that phone off the old CAPF.
	eap_tls "$FORGED.pem" "$FORGED.key"
	expect_result reject "a forged LSC claiming SEP001122334455 (a self-made CAPF with the old CAPF's DN)"
	inventory_flush
}

# The old-CAPF phone after CUCM's "Install/Upgrade": a new key and LSC for the
# same device (same subject), signed by the new CAPF, extensions as
# tests/pki/make-pki.sh's lsc_ext gives a CAPF LSC.
ROTATED=$EXTRA/lsc-rotated
cat > "$EXTRA/lsc.ext" <<'EOF'
[lsc]
basicConstraints       = critical, CA:FALSE
keyUsage               = critical, digitalSignature, keyEncipherment
extendedKeyUsage       = serverAuth, clientAuth, 1.3.6.1.5.5.7.3.5
subjectAltName         = URI:SEP001122334455
subjectKeyIdentifier   = none
authorityKeyIdentifier = none
EOF
if openssl req -new -newkey rsa:2048 -nodes -keyout "$ROTATED.key" -out "$ROTATED.csr" \
	-subj "/serialNumber=PID:CP-7841 SN:FCH1111BBBB/C=MX/O=Cisco/OU=Voice/CN=CP-7841-SEP001122334455" \
	>"$EXTRA/openssl.log" 2>&1 &&
   openssl x509 -req -in "$ROTATED.csr" -CA "$IT_PKI/capf-new.pem" -CAkey "$IT_PKI/capf-new.key" \
	-set_serial "0x$(openssl rand -hex 12)" -days 3650 -sha256 -extfile "$EXTRA/lsc.ext" -extensions lsc \
	-out "$ROTATED.pem" >>"$EXTRA/openssl.log" 2>&1 &&
   openssl verify -partial_chain -CAfile "$IT_PKI/capf-new.pem" "$ROTATED.pem" >/dev/null 2>&1; then
	pass "a new LSC for SEP001122334455 issued by the new CAPF (openssl)"
else
	fail "cannot issue the new LSC:"; sed 's/^/#   /' "$EXTRA/openssl.log"
fi
# Both LSCs of the phone have the same subject: only the signer differs.
if [ "$(openssl x509 -in "$ROTATED.pem" -noout -subject -nameopt RFC2253)" = \
     "$(openssl x509 -in "$IT_PKI/lsc-old-rsa.pem" -noout -subject -nameopt RFC2253)" ]; then
	pass "the new LSC has the old one's subject"
else
	fail "the new LSC's subject differs from lsc-old-rsa's"
fi

# A stranger's CAPF: the old CAPF's DN, another key; an LSC from it with the old-CAPF phone's subject.
FORGED=$EXTRA/lsc-forged
if openssl req -x509 -newkey rsa:2048 -nodes -keyout "$EXTRA/capf-forged.key" -out "$EXTRA/capf-forged.pem" -days 3650 \
	-subj "$(openssl x509 -in "$IT_PKI/capf-old.pem" -noout -subject -nameopt compat | sed 's/^subject=//')" \
	-addext "basicConstraints=critical,CA:TRUE,pathlen:0" -addext "keyUsage=critical,keyCertSign,cRLSign" \
	>>"$EXTRA/openssl.log" 2>&1 &&
   openssl req -new -newkey rsa:2048 -nodes -keyout "$FORGED.key" -out "$FORGED.csr" \
	-subj "/serialNumber=PID:CP-7841 SN:FCH1111BBBB/C=MX/O=Cisco/OU=Voice/CN=CP-7841-SEP001122334455" \
	>>"$EXTRA/openssl.log" 2>&1 &&
   openssl x509 -req -in "$FORGED.csr" -CA "$EXTRA/capf-forged.pem" -CAkey "$EXTRA/capf-forged.key" \
	-set_serial "0x$(openssl rand -hex 12)" -days 3650 -sha256 -extfile "$EXTRA/lsc.ext" -extensions lsc \
	-out "$FORGED.pem" >>"$EXTRA/openssl.log" 2>&1 &&
   [ "$(openssl x509 -in "$FORGED.pem" -noout -issuer -nameopt RFC2253 | sed 's/^issuer=//')" = \
     "$(openssl x509 -in "$IT_PKI/capf-old.pem" -noout -subject -nameopt RFC2253 | sed 's/^subject=//')" ]; then
	pass "a forged LSC for SEP001122334455, issued under the old CAPF's DN by another key (openssl)"
else
	fail "cannot forge the LSC:"; sed 's/^/#   /' "$EXTRA/openssl.log"
fi

#
#	SQLite (the default inventory)
#
echo "# SQLite: the fleet authenticates through the real server"
server_prepare report && server_start || exit 1
DB=$IT_RUN/db/phonecert-inventory.sqlite
R=$IT_RUN/raddb
authenticate_fleet

# The days the server recorded (UTC; read back so that midnight during the run changes nothing).
day_of() {	# DB ANCHOR -> YYYY-MM-DD of its last use
	date -u -d "@$(( $(sqlite3 "$1" "SELECT max(day) FROM phonecert_phone_day WHERE anchor = '$2'") * 86400 ))" +%Y-%m-%d
}
OLD_DAY=$(day_of "$DB" "$OLD")
NEW_DAY=$(day_of "$DB" "$NEW")

echo "# text"
run report --db "sqlite:$DB" --config "$R"
expect_rc 1 "report while an old-CAPF phone remains (a forged LSC with its CN rejected last)"
expect_out "^  capf $OLD, retiring: accept_until 2030-01-01T00:00:00Z$" "the old CAPF is listed as retiring"
expect_out "verdict: +NOT safe: 1 phone still uses it \(list with --phones\)$" "verdict: NOT safe, 1 phone"
expect_out "^Result: NOT safe to remove: $OLD \(1 phone\)$" "the result line names the anchor"
expect_out "^MIC-only phones .*: 1$" "one MIC-only phone"
expect_out "^Phones rejected in the last 24 hours: 3$" "three rejects in the last 24 hours (three claimed MACs)"
expect_out "^ +1  certificate expired on 2025-01-01T00:00:00Z \[" "a reject reason with its count"
expect_out "^ +1  signature not verified: .* \[unverified: no anchor signed the certificate, its phone identity is only claimed\]$" \
	"the forged LSC's reject is shown, marked unverified"
# rlm_sql stored "=28capf =27demo-cluster-2025=27=2C ...": the report shows what the server had.
FORGED_REASON="signature not verified: no key of the anchors named $(openssl x509 -in "$IT_PKI/capf-old.pem" -noout -subject -nameopt multiline | sed -n 's/^ *commonName *= *//p') (capf '$NEW', capf '$OLD') signed this certificate"
if [ "$(sqlite3 "$DB" "SELECT last_reason FROM phonecert_unverified WHERE mac = '00-11-22-33-44-55'")" = \
     "$(sed "s/(/=28/g; s/)/=29/g; s/'/=27/g; s/,/=2C/g" <<<"$FORGED_REASON")" ]; then
	pass "rlm_sql stored the forged LSC's reason escaped: ( ) ' , as =28 =29 =27 =2C"
else
	fail "the stored reason is not rlm_sql's escaping of '$FORGED_REASON': $(sqlite3 "$DB" "SELECT last_reason FROM phonecert_unverified WHERE mac = '00-11-22-33-44-55'")"
fi
expect_out "^ +1  $(sed 's/[().]/\\&/g' <<<"$FORGED_REASON") \[unverified: " "text: the reason decoded, as the server had it"
expect_no_out '=2[0-9A-F]' "text: no =XX escape of rlm_sql's left"
expect_no_out "SEP001122334455" "without --phones no phone is listed"

run report --db "sqlite:$DB" --config "$R" --phones
expect_rc 1 "report --phones"
expect_out "^ +SEP001122334455 +00-11-22-33-44-55 +CP-7841 +$OLD_DAY" "--phones lists the phone still on the old CAPF"
expect_out "verdict: +NOT safe: 1 phone still uses it$" "with --phones the verdict does not point to --phones"
expect_out "^  Unverified claims \(certificates no anchor signed: the identities are only claimed\)$" "--phones: the unverified claims, marked so"
expect_out "^    SEP001122334455 +00-11-22-33-44-55 +1 +${OLD_DAY}T[0-9:]{8}Z +signature not verified" "--phones: the forged LSC's claimed identity among them"

echo "# JSON"
run report --db "sqlite:$DB" --config "$R" --format json --phones
expect_rc 1 "report --format json"
SQLITE_BEFORE=$OUT
expect_json '.now | test("^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:]{8}Z$")' "JSON: now in RFC 3339"
expect_json '.phones == 4' "JSON: 4 phones in the inventory (proven authentications only)"
anchor_json "$OLD" '.kind == "capf" and .retiring and .accept_until == "2030-01-01T00:00:00Z" and .phones == 1
	and .safe_to_remove == false and .verdict == "NOT safe: 1 phone still uses it"' "JSON: old CAPF NOT safe, 1 phone"
anchor_json "$OLD" '[.phone_list[] | .device_name] == ["SEP001122334455"] and .phone_list[0].mac == "00-11-22-33-44-55"
	and .phone_list[0].model == "CP-7841" and .phone_list[0].last_result == "accept"' "JSON: its phone list"
anchor_json "$OLD" ".last_used == \"$OLD_DAY\"" "JSON: the day the old CAPF was last used"
anchor_json "$NEW" '.retiring == false and .safe_to_remove == null and .verdict == null and .phones == 1' \
	"JSON: the new CAPF: 1 phone (the other one's latest is its MIC), no verdict"
anchor_json manufacturing '.kind == "manufacturing" and .phones == 2' "JSON: manufacturing: 2 phones"
expect_json '.mic_only.count == 1 and [.mic_only.phones[].mac] == ["00-00-AB-CD-EF-01"]' \
	"JSON: MIC-only: the phone that never had an LSC, not the phone also seen with an LSC"
expect_json '.mic_expiring.count == 0' "JSON: no MIC expiring within 180 days (the expired one was refused, unproven)"
expect_json '.rejected_24h.count == 3 and ([.rejected_24h.reasons[] | select(.reason == "certificate expired on 2025-01-01T00:00:00Z")
	| [.phones, .verified]] == [[1, false]]) and ([.rejected_24h.reasons[] | select(.reason | test("^LSC from another cluster"))
	| [.phones, .verified]] == [[1, false]]) and ([.rejected_24h.reasons[] | select(.reason | test("^signature not verified"))
	| [.phones, .verified]] == [[1, false]])' \
	"JSON: rejects grouped by reason, verified or not"
expect_json '[.rejected_24h.unverified_claims[] | .mac] == ["00-00-0A-0B-0C-0D", "00-11-22-33-44-55", "B0-00-B4-BA-0A-EE"]
	and ([.rejected_24h.unverified_claims[] | .verified] | all(. == false))' "JSON --phones: the unverified claims, verified false"
expect_json '.summary == {"retiring_anchors": 1, "not_safe": 1, "all_safe": false, "verdicts_count": "phones seen on 802.1X"}' "JSON: summary (the verdicts count the phones seen: no list)"

echo "# --now"
run report --db "sqlite:$DB" --config "$R" --format json --now "$(date -u -d '+2 days' +%Y-%m-%dT%H:%M:%SZ)"
expect_json '.rejected_24h.count == 0 and .rejected_24h.reasons == []' "--now two days on: no reject in the last 24 hours"
run report --db "sqlite:$DB" --config "$R" --format json --now 2034-12-01T00:00:00Z
expect_json '.now == "2034-12-01T00:00:00Z" and .mic_expiring.count == 2 and
	([.mic_expiring.phones[] | select(.mac == "2C-31-24-C9-F8-E1")] | .[0].days_left == 31 and .[0].expired == false)' \
	"--now 2034-12-01: the MIC ending 2035-01-01 expires within 180 days (31 days left)"
run report --db "sqlite:$DB" --config "$R" --now 31/12/2026
expect_rc 2 "--now not RFC 3339"

echo "# CSV"
run report --db "sqlite:$DB" --config "$R" --format csv --phones
expect_rc 1 "report --format csv"
CSV=$(tr -d '\r' <<<"$OUT")
if [ "$(head -n 1 <<<"$CSV")" = "section,anchor,kind,configured,retiring,accept_until,phones,last_used,safe_to_remove,verdict" ]; then
	pass "CSV: the anchors table's header line"
else
	fail "CSV: header line is '$(head -n 1 <<<"$CSV")'"
fi
OUT=$CSV
expect_out "^anchor,$OLD,capf,true,true,2030-01-01T00:00:00Z,1,$OLD_DAY,false,NOT safe: 1 phone still uses it$" "CSV: the old CAPF's row"
expect_out "^anchor,$NEW,capf,true,false,,1,$NEW_DAY,,$" "CSV: the new CAPF's row"
expect_out "^section,anchor,device_name,mac,model,last_seen,last_result$" "CSV: the phones table (--phones)"
expect_out "^anchor_phone,$OLD,SEP001122334455,00-11-22-33-44-55,CP-7841,${OLD_DAY}T[0-9:]{8}Z,accept$" "CSV: the old-CAPF phone"
expect_out "^mic_only,SEP0000ABCDEF01,00-00-AB-CD-EF-01,CP-8841,manufacturing,2035-01-01T00:00:00Z,.*,accept$" "CSV: the MIC-only row"
expect_out "^section,device_name,mac,model,not_after,days_left,expired,last_seen,last_result$" "CSV: the expiring MICs header"
expect_out "^section,reason,phones,verified$" "CSV: the rejects header"
expect_out "^rejected_24h,certificate expired on 2025-01-01T00:00:00Z,1,false$" "CSV: a reject reason row"
expect_out "^rejected_24h,LSC from another cluster: issuer CAPF-a7fb32bf is not a configured CAPF,1,false$" "CSV: an unverified reject row"
expect_out "^section,device_name,mac,verified,rejects,last_seen,reason$" "CSV --phones: the unverified claims header"
expect_out "^unverified_claim,SEP001122334455,00-11-22-33-44-55,false,1,${OLD_DAY}T[0-9:]{8}Z,\"signature not verified" "CSV --phones: the forged LSC's claim (its reason has commas: quoted)"
tables=$(grep -c '^section,' <<<"$CSV")
rows_ok=$(grep -v '^$' <<<"$CSV" | awk -F, '$1 !~ /^(section|anchor|anchor_phone|mic_only|mic_expiring|rejected_24h|unverified_claim)$/' | wc -l)
if [ "$tables" -eq 6 ] && [ "$rows_ok" -eq 0 ]; then pass "CSV: 6 tables, every row starts with its section"
else fail "CSV: $tables header lines, $rows_ok rows without a known section"; fi

echo "# HTML"
HTML=$EXTRA/report.html
run report --db "sqlite:$DB" --config "$R" --phones --html "$HTML"
expect_rc 1 "report --html"
if [ -s "$HTML" ] && grep -q '<svg' "$HTML" && head -n 1 "$HTML" | grep -qx '<!DOCTYPE html>'; then
	pass "HTML: an HTML5 page with an inline SVG chart"
else
	fail "HTML: $HTML missing, empty or without <svg"
fi
if grep -qiE '<script|<link|src=|url\(|@import|https?://[^"]*"' <(grep -v 'xmlns="http://www.w3.org/2000/svg"' "$HTML"); then
	fail "HTML: the page refers to something outside itself or has a script"
else
	pass "HTML: self-contained (no script, no external resource)"
fi
if grep -q "<g><title>$OLD (retiring)</title>" "$HTML" && grep -q "<g><title>$NEW</title>" "$HTML" &&
   grep -q "<g><title>manufacturing</title>" "$HTML" && grep -q ">$OLD (retiring)</text>" "$HTML"; then
	pass "HTML: a chart layer per anchor and the legend"
else
	fail "HTML: no chart layer or legend entry for an anchor"
fi
if grep -q '<h3>Unverified claims (certificates no anchor signed: the identities are only claimed)</h3>' "$HTML" &&
   grep -q '<td class="mono">SEP001122334455</td><td class="mono">00-11-22-33-44-55</td><td class="num">1</td>' "$HTML"; then
	pass "HTML --phones: the unverified claims table with the forged LSC's claim"
else
	fail "HTML --phones: no unverified claims table"
fi

chromium_run() {	# OUTPUT-OPTION... : chromium headless on the page; stdout to $EXTRA/dom.html, stderr to $EXTRA/chromium.err
	local profile
	profile=$(mktemp -d "$EXTRA/chromium-profile.XXXXXX")
	timeout 60 chromium --headless --no-sandbox --disable-gpu --disable-dev-shm-usage --no-first-run \
		--disable-background-networking --disable-component-update --disable-sync \
		--user-data-dir="$profile" "$@" "file://$HTML" >"$EXTRA/dom.html" 2>"$EXTRA/chromium.err"
}
if command -v chromium >/dev/null; then
	chromium_run --dump-dom
	rc=$?
	if [ $rc -eq 0 ] && grep -q '<svg' "$EXTRA/dom.html" && grep -q "$OLD" "$EXTRA/dom.html" &&
	   grep -q "$NEW" "$EXTRA/dom.html" && grep -q "manufacturing" "$EXTRA/dom.html"; then
		pass "HTML: Chromium renders the page: the DOM has the chart and every anchor"
	else
		fail "HTML: Chromium --dump-dom (exit $rc) lacks the svg or an anchor name"; tail -n 5 "$EXTRA/chromium.err" | sed 's/^/#   /'
	fi
	if grep -qE 'Uncaught|ERROR:.*Syntax' "$EXTRA/chromium.err"; then
		fail "HTML: Chromium reports errors:"; grep -E 'Uncaught|ERROR:.*Syntax' "$EXTRA/chromium.err" | head -n 5 | sed 's/^/#   /'
	else
		pass "HTML: no script or syntax error from Chromium"
	fi
	rm -f "$EXTRA/report.png"
	chromium_run --window-size=1200,1600 --screenshot="$EXTRA/report.png"
	rc=$?
	if [ $rc -eq 0 ] && [ -s "$EXTRA/report.png" ] && [ "$(head -c 8 "$EXTRA/report.png" | od -An -tx1 | tr -d ' \n')" = 89504e470d0a1a0a ]; then
		pass "HTML: Chromium takes a screenshot (a non-empty PNG)"
	else
		fail "HTML: no screenshot (exit $rc)"; tail -n 5 "$EXTRA/chromium.err" | sed 's/^/#   /'
	fi
	if grep -qE 'Uncaught|ERROR:.*Syntax' "$EXTRA/chromium.err"; then fail "HTML: Chromium errors while taking the screenshot"
	else pass "HTML: no error from Chromium while taking the screenshot"; fi
	rm -rf "$EXTRA"/chromium-profile.*
else
	fail "HTML: chromium is not installed (scripts/install-deps.sh test installs it)"
fi

echo "# hostile strings: escaped in JSON, CSV and HTML"
# A consistent copy: the server still has the inventory open, in write-ahead-log mode.
sqlite3 "$DB" ".backup '$EXTRA/hostile.sqlite'"
sqlite3 "$EXTRA/hostile.sqlite" "UPDATE phonecert_unverified SET last_reason = 'bad \"quote\", back\\slash <script>alert(1)</script> & '
	|| char(1) WHERE mac = 'B0-00-B4-BA-0A-EE'"
run report --db "sqlite:$EXTRA/hostile.sqlite" --config "$R" --format json --html "$EXTRA/hostile.html"
expect_json '[.rejected_24h.reasons[] | select(.reason | startswith("bad \"quote\", back\\slash <script>"))] | length == 1' \
	"JSON stays valid and keeps the string"
if grep -q '<script' "$EXTRA/hostile.html" || ! grep -qF 'bad &quot;quote&quot;, back\slash &lt;script&gt;alert(1)&lt;/script&gt; &amp; \x01' "$EXTRA/hostile.html"; then
	fail "HTML: the reason is not escaped"
else
	pass "HTML: the reason is escaped (no <script>, control character as \\x01)"
fi
run report --db "sqlite:$EXTRA/hostile.sqlite" --config "$R" --format csv
expect_out '^rejected_24h,"bad ""quote"", back\\slash <script>alert\(1\)</script> & \\x01",1' "CSV: the field is quoted, its control as \\x01"

echo "# errors: exit 2"
run report --db "sqlite:$EXTRA/missing.sqlite" --config "$R"
expect_rc 2 "a missing SQLite file"
expect_err "cannot open the SQLite inventory" "the missing file is named"
if [ ! -e "$EXTRA/missing.sqlite" ]; then pass "the report creates no database file"; else fail "the report created $EXTRA/missing.sqlite"; fi
run report --db "mysql://phonecert@127.0.0.1/phonecert" --config "$R"
expect_rc 2 "a bad --db"
expect_err "neither sqlite:PATH nor a postgresql://" "the bad --db is explained"
run report --db "sqlite:" --config "$R"
expect_rc 2 "--db sqlite: without a path"
run report --db "postgresql://phonecert@[::1/phonecert" --config "$R"
expect_rc 2 "a malformed PostgreSQL URL"
run report --config "$R"
expect_rc 2 "no --db"
run report --db "sqlite:$DB" --config "$R" --format xml
expect_rc 2 "--format xml"
sqlite3 "$EXTRA/empty.sqlite" "CREATE TABLE other (x INTEGER)"
run report --db "sqlite:$EXTRA/empty.sqlite" --config "$R"
expect_rc 2 "a database without the inventory tables"
expect_err "not a phonecert inventory.*no such table: phonecert_phone" "the missing table is named"
run report --db "sqlite:$DB" --config "$EXTRA/no-raddb" --format json
expect_rc 2 "an unreadable configuration"
expect_err "cannot read the phonecert configuration" "stderr says the configuration cannot be read"
expect_json ".config_error != null and .summary.all_safe == null and ([.anchors[] | .safe_to_remove] | all(. == null))
	and ([.anchors[].name] | index(\"$OLD\") != null)" "without the configuration: the database's anchors, no verdicts"
run report --help
expect_rc 0 "report --help"
expect_out "^Usage: phonecert report --db" "report --help shows its usage"

echo "# the rotation: the old-CAPF phone gets a new LSC from the new CAPF"
eap_tls "$ROTATED.pem" "$ROTATED.key"
expect_result accept "the phone with its new LSC"
inventory_flush
expect_log "phonecert: accept device=SEP001122334455 .* anchor=$NEW " "the server names the new CAPF for it"
run report --db "sqlite:$DB" --config "$R"
expect_rc 0 "report after the rotation"
expect_out "verdict: +safe to remove: no phone has used $OLD since $OLD_DAY \(of the phones seen on 802.1X only: no phone list, see --expected\)$" \
	"verdict: safe to remove, of the phones seen (no phone list)"
expect_out "^Result: every retiring anchor is safe to remove \(of the phones seen on 802.1X\)$" "the result line"
run report --db "sqlite:$DB" --config "$R" --format json --phones
expect_rc 0 "report --format json after the rotation"
SQLITE_AFTER=$OUT
anchor_json "$OLD" ".phones == 0 and .safe_to_remove == true and .verdict == \"safe to remove: no phone has used $OLD since $OLD_DAY$SEEN_ONLY\"
	and .phone_list == []" "JSON: the old CAPF is safe to remove"
anchor_json "$NEW" '.phones == 2 and ([.phone_list[].device_name] | index("SEP001122334455") != null)' \
	"JSON: the phone now counts for the new CAPF"
expect_json '.summary.all_safe == true and .summary.not_safe == 0' "JSON: all safe"
run report --db "sqlite:$DB" --config "$R" --format csv
expect_out "^anchor,$OLD,capf,true,true,2030-01-01T00:00:00Z,0,$OLD_DAY,true,\"safe to remove: no phone has used $OLD since $OLD_DAY \(of the phones seen on 802.1X only: no phone list, see --expected\)\".?$" \
	"CSV: the old CAPF's row says safe"
server_stop

echo "# crafted certificates through the server: formulas, C1 and bidi controls, quotes in every format"
source "$(dirname "$0")/hostile-certs.sh"
CRAFTED=$EXTRA/crafted
make_hostile_certs "$CRAFTED" && pass "crafted certificates (openssl)" || fail "cannot make the crafted certificates"
server_prepare report-hostile && server_start || exit 1
HDB=$IT_RUN/db/phonecert-inventory.sqlite
eap_tls "$CRAFTED/formula-lsc.pem" "$CRAFTED/formula-lsc.key"
expect_result accept "an LSC whose PID is a formula"
eap_tls "$CRAFTED/bidi-lsc.pem" "$CRAFTED/bidi-lsc.key"
expect_result accept "an LSC whose PID holds U+202E and U+009B"
eap_tls "$CRAFTED/forged-issuer-lsc.pem" "$CRAFTED/forged-issuer-lsc.key"
expect_result reject "a certificate of an issuer whose CN holds quotes and a newline"
# What rlm_sql writes as =XX, written as the text =XX itself: the report must show it as typed, not decode it twice.
TYPED="=28 (capf 'x',) =3D caf"$'\xc3\xa9'
eap_tls -i "$TYPED" lsc-new-ec.pem lsc-new-ec.key
expect_result reject "an EAP identity (User-Name) holding =28, =3D, ( ' , and UTF-8, not the certificate's CN"
inventory_flush
server_stop
IDENTITY_REASON="identity mismatch: User-Name '$TYPED' is not the certificate CN 'CP-8845-SEP00AABBCCDDEE'"
STORED_IDENTITY=$(sqlite3 "$HDB" "SELECT last_reason FROM phonecert_phone WHERE mac = '00-AA-BB-CC-DD-EE' UNION ALL
	SELECT last_reason FROM phonecert_unverified WHERE mac = '00-AA-BB-CC-DD-EE'")
if [ "$STORED_IDENTITY" = "identity mismatch: User-Name =27=3D28 =28capf =27x=27=2C=29 =3D3D caf"$'\xc3\xa9'"=27 is not the certificate CN =27CP-8845-SEP00AABBCCDDEE=27" ]; then
	pass "rlm_sql stored the identity's =28 as =3D28 and its ( as =28"
else
	fail "rlm_sql stored the identity's reason as '$STORED_IDENTITY'"
fi
ISSUER_REASON=$(sqlite3 "$HDB" "SELECT last_reason FROM phonecert_unverified WHERE mac = '0A-1B-2C-3D-4E-5F'")
# phonecert hands the inventory unsafe characters as \xHH (FreeRADIUS' rlm_sql misreads a value ending in a newline), and rlm_sql writes \ as =5C.
if grep -qF '=5Cx0a=28' <<<"$ISSUER_REASON"; then pass "the issuer CN's newline stored as \\x0a (rlm_sql's =5Cx0a), the ( after it as =28"
else fail "the issuer CN's newline is not stored as \\x0a: '$ISSUER_REASON'"; fi

echo "# every format shows values decoded: what the server had, escaped for that format"
run report --db "sqlite:$HDB" --config "$IT_RUN/raddb" --format json --phones
expect_json '[.rejected_24h.reasons[].reason] | index($r) != null' "JSON: the identity's reason exactly as the server had it" --arg r "$IDENTITY_REASON"
expect_json '[.rejected_24h.reasons[].reason | select(contains($cn))] | length == 1' \
	"JSON: the issuer CN with its quotes, its newline as the server escaped it" --arg cn "${HOSTILE_ISSUER_CN//$'\n'/\\x0a}"
expect_no_out '=2[79C]|=5C' "JSON: no escape of rlm_sql's left (=28 and =3D are the identity's own text)"
run report --db "sqlite:$HDB" --config "$IT_RUN/raddb"
expect_out "^ +1  identity mismatch: User-Name '=28 \(capf 'x',\) =3D caf"$'\xc3\xa9'"' is not the certificate CN" \
	"text: =28 and =3D as typed, ( ' , decoded"
expect_out "^ +1  .*x\" reason=\"-\"\\\\x0a\(9\) phonecert: accept" \
	"text: the issuer CN decoded, its newline shown as \\x0a on the reason's line"
run report --db "sqlite:$HDB" --config "$IT_RUN/raddb" --format csv
expect_out "^rejected_24h,\"identity mismatch: User-Name '=28 \(capf 'x',\) =3D caf"$'\xc3\xa9'"' is not the certificate CN 'CP-8845-SEP00AABBCCDDEE'\"," \
	"CSV: the identity's reason decoded (quoted: it has commas)"
run report --db "sqlite:$HDB" --config "$IT_RUN/raddb" --format prometheus
expect_out "^phonecert_rejected_phones\{reason=\"identity mismatch: User-Name '=28 \(capf 'x',\) =3D caf"$'\xc3\xa9'"' is not the certificate CN 'CP-8845-SEP00AABBCCDDEE'\"\} 1$" \
	"Prometheus: the reason label decoded"
expect_out '^phonecert_rejected_phones\{reason=".*x\\" reason=\\"-\\"\\\\x0a\(9\) phonecert: accept' \
	"Prometheus: the issuer CN decoded, its quotes and the \\ of the server's \\x0a escaped as a label's"
run report --db "sqlite:$HDB" --config "$IT_RUN/raddb" --html "$EXTRA/decoded.html"
if grep -qF "identity mismatch: User-Name &#39;=28 (capf &#39;x&#39;,) =3D caf"$'\xc3\xa9'"&#39; is not" "$EXTRA/decoded.html"; then
	pass "HTML: the identity's reason decoded"
else
	fail "HTML: the identity's reason is not shown decoded"; grep -o 'identity mismatch[^<]*' "$EXTRA/decoded.html" | sed 's/^/#   /'
fi
sqlite3 "$HDB" "SELECT mac, model, last_reason FROM phonecert_phone ORDER BY mac" | sed 's/^/#   stored: /'
FORMULA_MODEL=$(sqlite3 "$HDB" "SELECT model FROM phonecert_phone WHERE mac = '0A-1B-2C-3D-4E-62'")
case $FORMULA_MODEL in
=3D*) pass "the inventory holds the formula PID as the phone's model, escaped by rlm_sql ($FORMULA_MODEL)" ;;
*) fail "the formula phone's model is '$FORMULA_MODEL'" ;;
esac
run report --db "sqlite:$HDB" --config "$IT_RUN/raddb" --format csv --phones
OUT=$(tr -d '\r' <<<"$OUT")
expect_out "^anchor_phone,$NEW,SEP0A1B2C3D4E62,0A-1B-2C-3D-4E-62,\"'=[^\"]*\"," "CSV: the formula cell quoted and prefixed with '"
if grep -qE '(^|,)([=+@]|-[^0-9])' <<<"$OUT"; then
	fail "CSV: a cell starts with = + - or @ unneutralised:"; grep -E '(^|,)([=+@]|-[^0-9])' <<<"$OUT" | sed 's/^/#   /'
else
	pass "CSV: no cell starts with = + - or @ (but negative numbers)"
fi
run report --db "sqlite:$HDB" --config "$IT_RUN/raddb" --format json --phones
expect_json '[.anchors[] | select(.name == $n) | .phone_list[] | select(.mac == "0A-1B-2C-3D-4E-62") | .model] == [$m]' \
	"JSON: the formula model as the certificate had it, decoded from rlm_sql's escaping" --arg n "$NEW" --arg m "$HOSTILE_FORMULA_PID"

# The server hands the inventory the PID's controls as \xHH (rlm_sql writes the \ as =5C).
BIDI_MODEL='CP-8861\xe2\x80\xaegpj.exe\xc2\x9b2J'
if [ "$(sqlite3 "$HDB" "SELECT model FROM phonecert_phone WHERE mac = '0A-1B-2C-3D-4E-61'")" = "${BIDI_MODEL//\\/=5C}" ]; then
	pass "the inventory holds the PID with U+202E and U+009B as \\xHH, as the phone's model"
else
	fail "the bidi phone's model is not its escaped PID in the inventory"
fi
# It writes other characters of a reason as =XX; a database written by hand, or with other safe_characters, holds any.
# The forged-issuer certificate was verified by no anchor: its reject is in phonecert_unverified.
sqlite3 "$HDB" "UPDATE phonecert_unverified SET last_reason = '=HYPERLINK(\"x\")' || char(8238) || char(155)
	|| char(10) || 'Phones rejected: 0' WHERE mac = '0A-1B-2C-3D-4E-5F'"
no_raw_controls() {	# LABEL FILE|-: no raw U+202E, U+009B or C0 control but LF (and CR for CSV) in OUT or FILE
	local text=$OUT
	[ "$2" = - ] || text=$(cat "$2")
	if LC_ALL=C grep -qF -e "$RLO" -e "$CSI" <<<"$text" || LC_ALL=C grep -qP '[\x00-\x09\x0b\x0c\x0e-\x1f\x7f]' <<<"$text"; then
		fail "$1: a raw control character in the output"
	else
		pass "$1: no raw control character"
	fi
}
run report --db "sqlite:$HDB" --config "$IT_RUN/raddb" --phones --html "$EXTRA/crafted.html"
expect_out '^ +SEP0A1B2C3D4E61 +0A-1B-2C-3D-4E-61 +CP-8861\\xe2\\x80\\xaegpj\.exe\\xc2\\x9b2J ' "text: the model's controls as \\xHH"
expect_out '^ +1  =HYPERLINK\("x"\)\\xe2\\x80\\xae\\xc2\\x9b\\x0aPhones rejected: 0 \[unverified: ' "text: the reason on one line, its controls as \\xHH, marked unverified"
expect_no_out '^Phones rejected: 0' "text: no line of the reason's own"
no_raw_controls "text" -
if grep -qF 'CP-8861\xe2\x80\xaegpj.exe\xc2\x9b2J' "$EXTRA/crafted.html" &&
   grep -qF '=HYPERLINK(&quot;x&quot;)\xe2\x80\xae\xc2\x9b\x0aPhones rejected: 0' "$EXTRA/crafted.html"; then
	pass "HTML: the controls shown as \\xHH, quotes as entities"
else
	fail "HTML: the model or the reason is not escaped as expected"
fi
no_raw_controls "HTML" "$EXTRA/crafted.html"
run report --db "sqlite:$HDB" --config "$IT_RUN/raddb" --format json --phones
expect_json '([.anchors[] | select(.name == $n) | .phone_list[] | select(.mac == "0A-1B-2C-3D-4E-61") | .model] == [$m])
	and ([.rejected_24h.reasons[].reason] | index("=HYPERLINK(\"x\")" + $rlo + $csi + "\nPhones rejected: 0") != null)' \
	"JSON: valid, model and reason read back exactly" --arg n "$NEW" --arg m "$BIDI_MODEL" --arg rlo "$RLO" --arg csi "$CSI"
expect_out '"model":"CP-8861\\\\xe2\\\\x80\\\\xaegpj\.exe\\\\xc2\\\\x9b2J"' "JSON: the server's \\xHH, its \\ escaped"
no_raw_controls "JSON" -
run report --db "sqlite:$HDB" --config "$IT_RUN/raddb" --format csv --phones
expect_out '^anchor_phone,'"$NEW"',SEP0A1B2C3D4E61,0A-1B-2C-3D-4E-61,CP-8861\\xe2\\x80\\xaegpj\.exe\\xc2\\x9b2J,' "CSV: the model's controls as \\xHH"
expect_out '^rejected_24h,"'"'"'=HYPERLINK\(""x""\)\\xe2\\x80\\xae\\xc2\\x9b\\x0aPhones rejected: 0",1' \
	"CSV: the formula reason quoted, prefixed with ', its controls as \\xHH"
no_raw_controls "CSV" -

#
#	PostgreSQL (several servers): the same fleet, the same verdicts
#
echo "# PostgreSQL: the same fleet through a server writing into PostgreSQL"
if ! pg_start; then
	fail "PostgreSQL did not start"
	it_finish
	exit 1
fi
pg_create_inventory && pass "PostgreSQL inventory created from the shipped schema" || fail "cannot create the PostgreSQL inventory"
server_prepare report-pg && pg_configure_run && server_start || exit 1
PG_URL="postgresql://phonecert@127.0.0.1:$PG_PORT/phonecert"
authenticate_fleet
rows=$(pg_sql phonecert "SELECT count(*) FROM phonecert_phone")
if [ "$rows" = 4 ]; then pass "the server wrote 4 verified phones into PostgreSQL"; else fail "PostgreSQL has '$rows' phones, expected 4"; fi
rows=$(pg_sql phonecert "SELECT mac, rejects FROM phonecert_unverified ORDER BY mac")
if [ "$rows" = "00-00-0A-0B-0C-0D|1
00-11-22-33-44-55|1
B0-00-B4-BA-0A-EE|1" ]; then pass "PostgreSQL: the three refused in the handshake, apart"; else fail "PostgreSQL: phonecert_unverified has '$rows'"; fi

run report --db "$PG_URL" --config "$IT_RUN/raddb"
expect_rc 1 "PostgreSQL: report while the old-CAPF phone remains (a forged LSC with its CN rejected last)"
expect_out "verdict: +NOT safe: 1 phone still uses it" "PostgreSQL: NOT safe, 1 phone"
expect_out "^  database: +postgresql://phonecert@127.0.0.1:$PG_PORT/phonecert$" "PostgreSQL: the database is named"
run report --db "$PG_URL" --config "$IT_RUN/raddb" --format json --phones
expect_rc 1 "PostgreSQL: report --format json"
if [ -n "$(report_summary "$OUT")" ] && [ "$(report_summary "$OUT")" = "$(report_summary "$SQLITE_BEFORE")" ]; then
	pass "PostgreSQL and SQLite give the same report (anchors, verdicts, MICs, rejects)"
else
	fail "PostgreSQL and SQLite differ:"; diff <(report_summary "$SQLITE_BEFORE") <(report_summary "$OUT") | head -n 20 | sed 's/^/#   /'
fi
anchor_json "$OLD" '[.phone_list[].device_name] == ["SEP001122334455"]' "PostgreSQL: --phones lists SEP001122334455"
run report --db "$PG_URL" --config "$IT_RUN/raddb" --format csv
expect_out "^anchor,$OLD,capf,true,true,2030-01-01T00:00:00Z,1,$OLD_DAY,false," "PostgreSQL: CSV"
run report --db "$PG_URL" --config "$IT_RUN/raddb" --html "$EXTRA/report-pg.html"
if grep -q '<svg' "$EXTRA/report-pg.html" && grep -q "<g><title>$OLD (retiring)</title>" "$EXTRA/report-pg.html"; then
	pass "PostgreSQL: the HTML chart"
else fail "PostgreSQL: no chart in the HTML page"; fi

eap_tls "$ROTATED.pem" "$ROTATED.key"
expect_result accept "PostgreSQL: the phone with its new LSC"
inventory_flush
run report --db "$PG_URL" --config "$IT_RUN/raddb" --format json --phones
expect_rc 0 "PostgreSQL: report after the rotation"
if [ -n "$(report_summary "$OUT")" ] && [ "$(report_summary "$OUT")" = "$(report_summary "$SQLITE_AFTER")" ]; then
	pass "PostgreSQL and SQLite agree after the rotation: safe to remove"
else
	fail "PostgreSQL and SQLite differ after the rotation:"; diff <(report_summary "$SQLITE_AFTER") <(report_summary "$OUT") | head -n 20 | sed 's/^/#   /'
fi

run report --db "postgresql://nobody@127.0.0.1:$PG_PORT/phonecert" --config "$IT_RUN/raddb"
expect_rc 2 "PostgreSQL: an unknown role"
pg_sql postgres "CREATE DATABASE empty OWNER phonecert" >/dev/null
run report --db "postgresql://phonecert@127.0.0.1:$PG_PORT/empty" --config "$IT_RUN/raddb"
expect_rc 2 "PostgreSQL: a database without the inventory tables"
expect_err 'not a phonecert inventory.*relation "phonecert_phone" does not exist' "PostgreSQL: the missing table is named"
server_stop
pg_stop
run report --db "$PG_URL" --config "$IT_RUN/raddb"
expect_rc 2 "PostgreSQL down"
expect_err "cannot connect to the PostgreSQL inventory" "PostgreSQL down: said on stderr"

it_finish

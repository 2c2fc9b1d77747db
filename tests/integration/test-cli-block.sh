#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# phonecert block / unblock: the block list is edited safely (atomic replace,
# mode and owner kept, never into a file the module refuses, one edit at a
# time), found through the configuration, and what it writes the real
# freeradius accepts.
set -u
source "$(dirname "$0")/lib.sh"
it_init

PHONECERT=$IT_BUILD/phonecert
[ -x "$PHONECERT" ] || { echo "it: $PHONECERT missing: run make first" >&2; exit 2; }
EXTRA=$IT_BUILD/it/cli-block-extra
rm -rf "$EXTRA"
mkdir -p "$EXTRA"
source "$(dirname "$0")/cli-lib.sh"

F=$EXTRA/blocked
expect_file() {	# $1: the expected content, $2: label
	if [ "$(cat "$F")" = "$1" ]; then pass "$2"; else fail "$2"; sed 's/^/#   /' "$F"; fi
}
no_temp_files() {
	if ls "$(dirname "$F")" | grep -q '\.[A-Za-z0-9]\{6\}$'; then fail "$1 (temporary file left)"; else pass "$1"; fi
}

echo "# block and unblock with --file"
printf '# phones refused\nmac 00-11-22-33-44-55\n' > "$F"
chmod 0604 "$F"
chown nobody:nogroup "$F" 2>/dev/null
owner=$(stat -c '%U:%G %a' "$F")
inode=$(stat -c %i "$F")
run block mac 2c:31:24:c9:f8:e1 --comment "stolen from reception" --file "$F"
expect_rc 0 "block a MAC"
expect_out "^blocked mac 2C-31-24-C9-F8-E1 in $F" "says what it blocked, normalised"
expect_out 'radmin -e "hup phonecert"' "says how to reload"
expect_file "$(printf '# phones refused\nmac 00-11-22-33-44-55\nmac 2C-31-24-C9-F8-E1  # stolen from reception')" "the entry is appended, the rest kept"
[ "$(stat -c '%U:%G %a' "$F")" = "$owner" ] && pass "mode and owner kept ($owner)" || fail "mode and owner changed: $(stat -c '%U:%G %a' "$F"), was $owner"
[ "$(stat -c %i "$F")" != "$inode" ] && pass "the file was replaced, not rewritten in place" || fail "the file was rewritten in place"
no_temp_files "no temporary file left"

run block device SEP2C3124C9F8E1 --file "$F"
expect_rc 0 "block a phone blocked already"
expect_out "is blocked already: $F\[3\]" "says where it is blocked"
expect_file "$(printf '# phones refused\nmac 00-11-22-33-44-55\nmac 2C-31-24-C9-F8-E1  # stolen from reception')" "the file is unchanged"

run block serial demo-cluster-2025:00AB12 --file "$F"
expect_rc 0 "block a serial"
expect_out "^blocked serial demo-cluster-2025:ab12 in" "serial normalised"

run unblock device sep2c3124c9f8e1 --file "$F"
expect_rc 0 "unblock by device name the phone blocked by MAC"
expect_file "$(printf '# phones refused\nmac 00-11-22-33-44-55\nserial demo-cluster-2025:ab12')" "only its line is removed"
run unblock mac 2C-31-24-C9-F8-E1 --file "$F"
expect_rc 1 "unblock a phone not in the list"
expect_out "is not in" "says so"

echo "# nothing the module would refuse is written"
before=$(cat "$F")
run block mac 2c:31:24:c9:f8:e1 --comment 'say "accept"' --file "$F"
expect_rc 2 "a comment with a quote"
expect_err "^phonecert: --comment: the comment has a control character, a quote or a backslash \(U\+0022 at character 5\); nothing was changed$" "says why"
expect_file "$before" "the file is unchanged"

echo "# a comment stays one line of text: the rule the module's reader applies"
refused_comment() {	# COMMENT PATTERN LABEL
	run block mac 2c:31:24:c9:f8:e1 --comment "$1" --file "$F"
	expect_rc 2 "$3"
	expect_err "$2" "$3: says why"
	expect_file "$before" "$3: the file is unchanged"
}
refused_comment $'line1\nmac 00-11-22-33-44-66' 'U\+000A at character 6' "a newline in the comment (it would add an entry)"
refused_comment $'line1\rmac 00-11-22-33-44-66' 'U\+000D at character 6' "a carriage return"
refused_comment $'lost\xc2\x85mac 00-11-22-33-44-66' 'U\+0085 at character 5' "U+0085 (NEL)"
refused_comment $'a\xe2\x80\xa8b' 'U\+2028 at character 2' "U+2028 (line separator)"
refused_comment $'a\xe2\x80\xa9b' 'U\+2029 at character 2' "U+2029 (paragraph separator)"
refused_comment $'esc\x1b[2J' 'U\+001B at character 4' "an escape sequence"
refused_comment $'del\x7f' 'U\+007F at character 4' "DEL"
refused_comment $'caf\xe9' 'the comment is not valid UTF-8 \(byte 0xe9 at byte 4\)' "Latin-1, not UTF-8"
refused_comment $'\xed\xa0\x80' 'not valid UTF-8' "a UTF-16 surrogate in UTF-8"
refused_comment "$(printf 'x%.0s' $(seq 1 161))" 'the comment has 161 characters, more than 160' "161 characters"
long_utf8=$(printf '\xc3\xa9%.0s' $(seq 1 100))	# 100 characters, 200 bytes
run block mac 2c:31:24:c9:f8:e1 --comment "$long_utf8" --file "$F"
expect_rc 0 "100 accented characters (200 bytes) are 100 characters: accepted"
if [ "$(grep -c '^mac' "$F")" = 2 ] && grep -qF "mac 2C-31-24-C9-F8-E1  # $long_utf8" "$F"; then
	pass "one line added, the comment whole"
else
	fail "the file after a long UTF-8 comment:"; sed 's/^/#   /' "$F"
fi
run unblock mac 2c:31:24:c9:f8:e1 --file "$F"
expect_rc 0 "and unblocked again"
run block ip 10.0.0.1 --file "$F"
expect_rc 2 "an unknown kind"
expect_err "unknown entry 'ip': expected mac, device or serial" "names the kinds"
run block mac 2c:31:24:c9:f8 --file "$F"
expect_rc 2 "a bad MAC"
printf 'mac 00-11-22-33-44-55\nmca 2c:31:24:c9:f8:e1\n' > "$F"
run block device SEP001122334466 --file "$F"
expect_rc 2 "a block list that does not parse now"
expect_err "$F\[2\]: unknown entry 'mca'.*fix the block list first" "names its file and line"
expect_file "$(printf 'mac 00-11-22-33-44-55\nmca 2c:31:24:c9:f8:e1')" "and leaves it alone"

echo "# a new file; a symlinked file"
rm -f "$F"
run block mac 2c:31:24:c9:f8:e1 --file "$F"
expect_rc 0 "block into a file that does not exist yet"
[ "$(stat -c %a "$F")" = 640 ] && pass "a new file is 0640" || fail "a new file is $(stat -c %a "$F")"
mv "$F" "$EXTRA/real-blocked"
ln -s real-blocked "$F"
run block mac 00:11:22:33:44:55 --file "$F"
expect_rc 0 "block through a symlink"
[ -L "$F" ] && grep -q '^mac 00-11-22-33-44-55$' "$EXTRA/real-blocked" && pass "the link stays, its target is edited" || fail "the symlink was replaced"

echo "# one edit at a time"
L=$EXTRA/locking
mkdir -p "$L"
G=$L/blocked
: > "$G"
# Ten edits at once, each a MAC of its own: none renames its text over another's.
for i in 0 1 2 3 4 5 6 7 8 9; do "$PHONECERT" block mac "00:11:22:33:44:1$i" --file "$G" > /dev/null 2>&1 & done
wait
added=$(grep -c '^mac 00-11-22-33-44-1[0-9]$' "$G")
[ "$added" = 10 ] && pass "ten blocks at once: all ten entries are in the file" || fail "ten blocks at once: $added entries in the file"
# Another edit holds the directory's lock (flock -o: only flock itself holds it) for longer than block waits.
flock -o "$L" sleep 15 &
holder=$!
for _ in $(seq 50); do flock -n "$L" true || break; sleep 0.1; done
before=$(cat "$G")
run block mac 00:11:22:33:44:20 --file "$G"
expect_rc 2 "block while another edit holds the lock"
expect_err "another phonecert block or unblock has held the lock on $L for 10 s; nothing was changed, try again" "says so, and that nothing changed"
[ "$(cat "$G")" = "$before" ] && pass "the file is unchanged" || fail "the file changed while another edit held the lock"
kill "$holder"; wait "$holder" 2>/dev/null	# its sleep, holding nothing, ends by itself
run block mac 00:11:22:33:44:20 --file "$G"
expect_rc 0 "block once the lock is released"

echo "# the configuration's block_file, and the server reads what was written"
server_prepare cli-block "$(phonecert_with_options '	block_file = ${confdir}/phonecert-blocked')"
run block device SEP2C3124C9F8E1 --comment "lost in transit" --config "$IT_RUN/raddb"
expect_rc 0 "block with --config, the file not there yet"
expect_out "in $IT_RUN/raddb/phonecert-blocked" "edits the block_file of the phonecert section"
run block serial demo-cluster-2025:0a1b2c --config "$IT_RUN/raddb"
expect_rc 0 "block a serial with --config"
if server_check && grep -q '2 blocked' <<<"$IT_CHECK_OUT"; then pass "freeradius -C reads the edited block list"; else fail "freeradius -C: $(tail -n 3 <<<"$IT_CHECK_OUT")"; fi
run inspect --config "$IT_RUN/raddb" "$IT_PKI/lsc-new-rsa.pem"
expect_rc 1 "inspect --config: a blocked phone"
expect_out "blocked: lost in transit" "inspect gives the server's reason"
# Edited by hand: a comment with a line break of its own (U+0085) is refused at start-up with the file and line.
cp "$IT_RUN/raddb/phonecert-blocked" "$EXTRA/blocked.good"
printf 'mac 00-11-22-33-44-66  # lost\xc2\x85mac 00-11-22-33-44-77\n' >> "$IT_RUN/raddb/phonecert-blocked"
expect_check_refused "phonecert-blocked\[3\]: the comment has a control character, a quote or a backslash \(U\+0085 at character 5\)" \
	"freeradius -C refuses a hand-edited comment with U+0085, naming the file and line"
run block mac 00:11:22:33:44:88 --config "$IT_RUN/raddb"
expect_rc 2 "phonecert block leaves that file alone"
expect_err "phonecert-blocked\[3\]: the comment has a control character.*fix the block list first" "and says where"
cp "$EXTRA/blocked.good" "$IT_RUN/raddb/phonecert-blocked"
run lint --json "$IT_RUN/raddb"
expect_json '[.findings[] | select(.check == "block-file")] | length == 0' "lint: entries of configured anchors are fine"
echo "serial no-such-anchor:01" >> "$IT_RUN/raddb/phonecert-blocked"
run lint --json "$IT_RUN/raddb"
expect_json '[.findings[] | select(.check == "block-file" and .severity == "warning" and (.message | test("line 3: serial no-such-anchor:1 blocks nothing: no anchor is called .no-such-anchor.")))] | length == 1' "lint: a serial entry naming no anchor blocks nothing"
# ca=: the CA certificate counts, not the section name.
capf_new_fp=$(openssl x509 -in "$IT_PKI/capf-new.pem" -noout -fingerprint -sha256 | sed 's/.*=//; s/://g')
printf 'serial named-otherwise:01 ca=%s\nserial demo-cluster-2025:02 ca=%064d\n' "$capf_new_fp" 0 >> "$IT_RUN/raddb/phonecert-blocked"
run lint --json "$IT_RUN/raddb"
expect_json '[.findings[] | select(.check == "block-file" and (.message | test("line 4:")))] | length == 0' \
	"lint: a serial entry whose ca= a configured anchor holds blocks, whatever its section name"
expect_json '[.findings[] | select(.check == "block-file" and (.message | test("line 5: serial demo-cluster-2025:2 ca=0+ blocks nothing: no anchor holds the CA certificate of that fingerprint")))] | length == 1' \
	"lint: one whose ca= no anchor holds blocks nothing"
printf 'mac 2C-31-24-C9-F8-E1 # ok\nmca 00-11-22-33-44-55\n' > "$IT_RUN/raddb/phonecert-blocked"
run lint "$IT_RUN/raddb"
expect_rc 2 "lint: a block list the module would refuse"
expect_err "mods-enabled/phonecert\[[0-9]+\]: block_file .*phonecert-blocked\[2\]: unknown entry 'mca'" "lint names the file and the line"
run block mac 00:11:22:33:44:55 --file "$F" --config "$IT_RUN/raddb"
expect_rc 2 "--file and --config together"
server_prepare cli-block-none
run block mac 00:11:22:33:44:55 --config "$IT_RUN/raddb"
expect_rc 2 "a configuration without block_file"
expect_err "has no block_file: add e.g. 'block_file = \\$\\{confdir\\}/phonecert-blocked'" "says what to add"

echo "# usage"
run block mac
expect_rc 2 "KIND without VALUE"
run unblock mac 00:11:22:33:44:55 --comment x --file "$F"
expect_rc 2 "unblock takes no --comment"
run block --help
expect_rc 0 "block --help"
expect_out "^Usage: phonecert block KIND VALUE" "block --help shows its usage"

it_finish

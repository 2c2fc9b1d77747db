# SPDX-License-Identifier: GPL-2.0-or-later
# The inventory's helpers for the suites and the bench (source after lib.sh).
#
# Synthetic entries of the inventory's spool, for what feeds the writer site
# (sites-available/phonecert-inventory) without
# authenticating: what policy phonecert_inventory would have spooled, as
# rlm_detail writes it (a date line, then one attribute a line, then a
# blank line), with the authentication's time as the entry's Timestamp,
# which the writer reads back as Packet-Original-Timestamp.
#
# spool_entries < LINES > FILE: one entry per input line of
# whitespace-separated fields
#
#   TIME MAC ANCHOR RESULT TYPE
#
# TIME in Unix seconds; MAC as AA-BB-CC-DD-EE-FF; ANCHOR the anchor's
# section name, for an authentication whose handshake finished (the module
# set Phonecert-Key-Proven = yes: the writer puts it in phonecert_phone and
# the days), or - for a certificate no anchor verified (no Phonecert-Anchor,
# key unproven: the writer puts it in phonecert_unverified); RESULT accept or
# reject; TYPE LSC, MIC or - (none). A reject carries a reason.
#
# spool_deliver FILE SPOOL: hand a copy of FILE to the writer as its spool
# (renamed in the spool's directory, so the writer never reads half an
# entry); waits, bounded, until the writer has taken the spool it had before.

spool_entries() {
	awk '
	function field(name, value) { if (value != "" && value != "-") printf "\t%s = \"%s\"\n", name, value }
	NF >= 5 {
		device = "SEP" $2; gsub(/-/, "", device)
		print strftime("%a %b %e %H:%M:%S %Y", $1, 1)
		print "\tNAS-IP-Address = 127.0.0.1"
		field("Phonecert-MAC", $2)
		field("Phonecert-Device-Name", device)
		field("Phonecert-Model", "CP-8861")
		field("Phonecert-Anchor", $3)
		field("Phonecert-Certificate-Type", $5)
		field("Phonecert-Certificate-Serial", sprintf("%x", NR))
		field("Phonecert-Result", $4)
		if ($3 != "-") print "\tPhonecert-Key-Proven = yes"
		if ($4 == "reject") field("Phonecert-Reason", $3 == "-" ? "signature not verified: made up" : "blocked: test")
		field("Phonecert-Inventory-State", int($1 / 3600) " " $4 " " $5 " " $3 " " NR)
		print "\tTimestamp = " $1
		print ""
	}'
}

spool_deliver() {
	local file=$1 spool=$2
	mkdir -p "$(dirname "$spool")"
	for _ in $(seq 1 300); do
		[ -e "$spool" ] || break
		sleep 0.1
	done
	[ ! -e "$spool" ] || { echo "spool: $spool was not taken within 30 s" >&2; return 1; }
	cp "$file" "$spool.incoming" && mv "$spool.incoming" "$spool"
}

# previous_schema DIALECT: the inventory's schema.sql from before it had a
# version (previous-schema.sh), or the copy test-other-release saved in
# PHONECERT_PREVIOUS_SCHEMA_DIR; nothing when neither is here.
previous_schema() {
	if [ -n "${PHONECERT_PREVIOUS_SCHEMA_DIR:-}" ]; then
		cat "$PHONECERT_PREVIOUS_SCHEMA_DIR/$1.sql" 2>/dev/null
	else
		bash "$IT_REPO/tests/integration/previous-schema.sh" "$IT_REPO" "$1"
	fi
}

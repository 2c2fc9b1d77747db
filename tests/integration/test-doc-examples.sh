#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The documentation's examples are true: every example command of README.md,
# doc/*.md and bench/README.md (code blocks and inline code that start with
# phonecert, phonecert-test, make, radmin, freeradius, eapol_test, radclient
# or radtest; doc-examples.py finds them) names subcommands, options and make
# targets that exist, in the program's --help and in its man page; the links
# between the pages lead to files and headings that exist; every page of
# doc/ is in its index; every option of doc/configuration.md is in the
# commented raddb/mods-available/phonecert and in phonecert(5).
#
# Every command's options are the same in its --help (the options it lists
# and its Usage line), in its SYNOPSIS in phonecert(1), and in what the
# program takes.
#
# Examples that are safe on loopback run: phonecert inspect, lint, block and
# unblock on a demo configuration in build/it (scripts/demo-raddb.sh; the
# pages' /etc/freeradius/3.0 and build/demo/raddb stand for it, build/demo-pki
# for the test PKI), freeradius -C on it, and phonecert-test, radclient and
# radmin against a demo server on a random loopback port. phonecert-test's
# first line must be the one the page shows after its "$ " prompt; the
# others must exit with an answer (phonecert: 0 or 1, never 2, a usage,
# file or configuration error). Examples naming a file that is not at hand
# (a capture, an inventory, /tmp/...) have their names checked only.
set -u
source "$(dirname "$0")/lib.sh"
it_init

cd "$IT_REPO" || exit 2
PAGES=(README.md doc/*.md bench/README.md)
EXTRACT=(/usr/bin/python3 "$IT_REPO/tests/integration/doc-examples.py")
PHONECERT=$IT_BUILD/phonecert
PHONECERT_TEST=$IT_REPO/scripts/phonecert-test
[ -x "$PHONECERT" ] || { echo "it: $PHONECERT missing: run make first" >&2; exit 2; }

# ---- the pages themselves ----------------------------------------------------

links=0
while read -r verdict rest; do
	if [ "$verdict" = ok ]; then links=$((links + 1)); else fail "link: $rest"; fi
done < <("${EXTRACT[@]}" links "${PAGES[@]}")
if [ "$links" -gt 0 ]; then pass "$links links between the pages lead to files and headings that exist"
else fail "no link found between the pages"; fi

for page in doc/*.md; do
	[ "$page" = doc/README.md ] && continue
	if grep -qF "](${page#doc/})" doc/README.md; then pass "$page is in the index doc/README.md"
	else fail "$page is not linked from the index doc/README.md"; fi
done

# A man page as text: roff's \- is a -.
man_text() { sed 's/\\-/-/g' "$1"; }
MAN_MODULE=$(man_text rlm_phonecert/module/phonecert.5)
MAN_PHONECERT=$(man_text rlm_phonecert/cli/phonecert.1)
MAN_PHONECERT_TEST=$(man_text scripts/phonecert-test.1)

# Each option in the commented module configuration, with its default: on its
# line, "option = DEFAULT" or "(default DEFAULT)".
options=0
while read -r option default; do
	options=$((options + 1))
	lines=$(grep -E "^[[:space:]]*#?[[:space:]]*$option = " raddb/mods-available/phonecert)
	if [ -z "$lines" ]; then
		fail "option $option of doc/configuration.md is not in raddb/mods-available/phonecert"
	elif [ "$default" != - ] && ! grep -qE "$option = $default( |$)|\(default $default\)" <<<"$lines"; then
		fail "raddb/mods-available/phonecert does not give option $option its default $default: $lines"
	elif [ "$default" = - ]; then pass "option $option is in raddb/mods-available/phonecert"
	else pass "option $option is in raddb/mods-available/phonecert with its default $default"; fi
	if grep -qE "^\.B[IR]? $option( |$)" <<<"$MAN_MODULE"; then pass "option $option is in phonecert(5)"
	else fail "option $option of doc/configuration.md is not in phonecert(5)"; fi
done < <("${EXTRACT[@]}" options doc/configuration.md)
[ "$options" -ge 10 ] || fail "doc/configuration.md: only $options options found in its option tables"

# ---- each command's options: its --help, phonecert(1), the program -----------

# The long options a text names, one a line, sorted; --help goes without saying.
long_options() { grep -oE -- '--[a-z][a-z-]*' | grep -vx -- --help | sort -u; }

# phonecert(1)'s SYNOPSIS of a command: from ".B phonecert COMMAND" to the next .br.
synopsis_of() {
	awk -v start=".B phonecert $1" '/^\.SH DESCRIPTION/ { exit } $0 == start { on = 1; next } on && /^\.br/ { on = 0 } on' <<<"$MAN_PHONECERT"
}

# Of a command's --help: its Usage lines (until the description), and the options it lists ("  --x ...").
help_usage() { awk 'NR > 1 && !/^ / { exit } { print }' <<<"$1"; }
help_listed() { grep -E -- '^  (-h, )?--' <<<"$1"; }

# Does phonecert WORDS... take OPTION? It is parsed (with a value if the
# command's --help gives it one) before an option no command has, which
# stops the command before it reads anything; taken when the complaint is
# not about OPTION itself.
takes_option() {	# HELP OPTION WORDS...
	local help=$1 option=$2 err value=(); shift 2
	grep -qE -- "^  (-h, )?$option [A-Za-z]" <<<"$help" && value=(x)
	err=$("$PHONECERT" "$@" "$option" "${value[@]}" --no-such-option 2>&1 >/dev/null)
	! grep -qE -- "unknown option '$option'|option '$option' needs a value" <<<"$err"
}

ALL_OPTIONS=$("$PHONECERT" --help; for c in inspect capture lint report block inventory fleet; do "$PHONECERT" "$c" --help; done)
ALL_OPTIONS=$(help_listed "$ALL_OPTIONS" | long_options)
for words in inspect capture lint report block unblock "inventory migrate" "fleet status"; do
	help=$("$PHONECERT" $words --help)
	synopsis=$(synopsis_of "$words" | long_options)
	[ -n "$synopsis" ] || fail "phonecert(1) has no SYNOPSIS line for phonecert $words"
	# block and unblock share one --help, which lists the options of both.
	[ "$words" = block ] && synopsis=$( (echo "$synopsis"; synopsis_of unblock | long_options) | sort -u)
	if [ "$words" != unblock ]; then
		if [ "$(help_listed "$help" | long_options)" = "$synopsis" ]; then
			pass "phonecert $words: --help lists the options of its phonecert(1) SYNOPSIS: $(tr '\n' ' ' <<<"$synopsis")"
		else
			fail "phonecert $words: --help lists $(help_listed "$help" | long_options | tr '\n' ' '), its SYNOPSIS $(tr '\n' ' ' <<<"$synopsis")"
		fi
		if [ "$(help_usage "$help" | long_options)" = "$synopsis" ]; then pass "phonecert $words: --help's Usage names the same"
		else fail "phonecert $words: --help's Usage names $(help_usage "$help" | long_options | tr '\n' ' ')"; fi
	fi
	[ "$words" = block ] && synopsis=$(synopsis_of block | long_options)
	wrong=
	for option in $ALL_OPTIONS; do
		if grep -qx -- "$option" <<<"$synopsis"; then
			takes_option "$help" "$option" $words || wrong+=" $option (refused)"
		elif ! grep -q -- "^$option" <<<"$synopsis"; then	# a prefix of one it takes is an abbreviation of it
			takes_option "$help" "$option" $words && wrong+=" $option (taken, not in its SYNOPSIS)"
		fi
	done
	if [ -z "$wrong" ]; then pass "phonecert $words takes the options of its SYNOPSIS, and no other"
	else fail "phonecert $words:$wrong"; fi
done

# ---- names: subcommands, options, targets ------------------------------------

# Does TEXT ($2) name option $1 (-x or --long), as a word of its own?
names_option() {
	grep -qE -- "(^|[^A-Za-z0-9_-])$1([^A-Za-z0-9_-]|$)" <<<"$2"
}

# The options of WORDS... one a line: --long (before any =value), and each
# letter of a short cluster such as -CX (digits after a letter are its value:
# -j2).
options_of() {
	local word letters
	for word in "$@"; do
		word=${word#[}; word=${word%]}
		case $word in
		--?*) echo "${word%%=*}" ;;
		-[A-Za-z]*)
			letters=${word#-}; letters=${letters%%[!A-Za-z]*}
			grep -o . <<<"$letters" | sed 's/^/-/' ;;
		esac
	done
}

declare -A HELP
# The usage text of a program (cached): $1 the key, then the command that prints it.
usage_of() {
	local key=$1; shift
	[ -n "${HELP[$key]+set}" ] || HELP[$key]=$("$@" 2>&1)
	printf '%s' "${HELP[$key]}"
}

# Every option of an example of PROGRAM must be in HELP (its --help) and, if
# given, in MAN. Prints what is missing.
missing_options() {
	local help=$1 man=$2 option; shift 2
	for option in $(options_of "$@"); do
		names_option "$option" "$help" || echo "$option (not in --help)"
		[ -z "$man" ] || names_option "$option" "$man" || echo "$option (not in the man page)"
	done
}

check_options() {	# WHERE PROGRAM USAGE MAN WORDS...
	local where=$1 program=$2 usage=$3 man=$4 missing; shift 4
	missing=$(missing_options "$usage" "$man" "$@")
	if [ -n "$missing" ]; then fail "$where: $program: unknown option $(tr '\n' ' ' <<<"$missing")"
	else pass "$where: $program $(options_of "$@" | tr '\n' ' ')exist"; fi
}

# phonecert: its subcommand (in --help and a section of phonecert(1)), then
# the subcommand's options.
check_phonecert() {
	local where=$1 sub=${2:-}
	if [ -z "$sub" ] || [ "${sub#-}" != "$sub" ]; then
		check_options "$where" phonecert "$(usage_of phonecert "$PHONECERT" --help)" "$MAN_PHONECERT" "${@:2}"
	elif ! grep -qE "^  $sub " <<<"$(usage_of phonecert "$PHONECERT" --help)"; then
		fail "$where: phonecert has no subcommand '$sub'"
	elif ! grep -qE "^\.SS (.*[ ,])?$sub(,| |$)" <<<"$MAN_PHONECERT"; then
		fail "$where: phonecert(1) has no section for '$sub'"
	else
		check_options "$where" "phonecert $sub" "$(usage_of "phonecert $sub" "$PHONECERT" "$sub" --help)" \
			"$MAN_PHONECERT" "${@:3}"
	fi
}

declare -A MAKE_TARGET
# make: each target exists (make -n), each VAR=value names a variable that the
# Makefile or a script it runs reads.
check_make() {
	local where=$1; shift
	local word bad=
	for word in "$@"; do
		case $word in
		-*) names_option "$(options_of "$word" | head -n 1)" "$(usage_of make make --help)" || bad+=" option $word" ;;
		*=*)
			grep -rqw --exclude='*.md' -- "${word%%=*}" Makefile scripts bench docker tests/fuzz ||
				bad+=" variable ${word%%=*}" ;;
		*)
			if [ -z "${MAKE_TARGET[$word]+set}" ]; then
				make -n -C "$IT_REPO" "$word" >/dev/null 2>&1 && MAKE_TARGET[$word]=yes || MAKE_TARGET[$word]=no
			fi
			[ "${MAKE_TARGET[$word]}" = yes ] || bad+=" target $word" ;;
		esac
	done
	if [ -n "$bad" ]; then fail "$where: make:$bad: unknown to the Makefile and its scripts"
	else pass "$where: make $* exists"; fi
}

# ---- running what is safe ----------------------------------------------------

# The pages' stand-ins: the offline tool's configuration (with a block list,
# for block and unblock) and the server's.
TOOL_RUN=$IT_BUILD/it/doc-examples-tool
"$IT_REPO/scripts/demo-raddb.sh" "$TOOL_RUN" "$IT_PKI" "$IT_BUILD" $((20000 + RANDOM % 40000)) 0
TOOL_RADDB=$TOOL_RUN/raddb
sed -i 's|^\([[:space:]]*\)#\(block_file = \)|\1\2|' "$TOOL_RADDB/mods-available/phonecert"
: > "$TOOL_RADDB/phonecert-blocked"
grep -qE '^[[:space:]]*block_file = ' "$TOOL_RADDB/mods-available/phonecert" ||
	fail "no commented block_file in raddb/mods-available/phonecert to enable"

IT_INVENTORY=0 server_prepare doc-examples
if server_start; then SERVER=yes; pass "the demo server started on 127.0.0.1:$IT_PORT"
else SERVER=no; fail "the demo server did not start: the examples that need it are not run"; fi

# A word of a page as it is here: the pages' paths become the stand-ins.
local_word() {
	local word=$1
	case $word in
	/etc/freeradius/3.0 | build/demo/raddb) echo "$TOOL_RADDB" ;;
	build/demo-pki/*) echo "$IT_PKI/${word#build/demo-pki/}" ;;
	sqlite:*) echo "sqlite:$(local_word "${word#sqlite:}")" ;;
	*) echo "$word" ;;
	esac
}

# Can an example's words run here (as local_word makes them)? Not with a
# placeholder (KIND, <file>, ...), nor with a file that is not at hand, nor
# anywhere near the machine's own configuration.
runnable() {
	local word path
	for word in "$@"; do
		word=$(local_word "$word")
		case $word in
		*...* | *…* | *'<'* | *'>'*) return 1 ;;
		*/etc/freeradius*) return 1 ;;
		esac
		[[ $word =~ ^[A-Z][A-Z_]{2,}$ ]] && return 1
		path=${word#sqlite:}
		if [[ $path == */* || $path =~ \.(pem|der|key|pcap|pcapng|crl|sqlite|html|json)$ ]]; then
			[ -e "$path" ] || return 1
		fi
	done
	return 0
}

# Run an example ($1 where it is, $2 what the page shows it prints, then the
# command): with that line, the first line it prints must be it (the port
# made the page's); without, its exit status must be one of OK_STATUS.
run_example() {
	local where=$1 expect=$2 out rc first; shift 2
	out=$(cd "$IT_BUILD/it" && timeout 60 "$@" </dev/null 2>"$IT_BUILD/it/doc-example.err")
	rc=$?
	if [ -n "$expect" ]; then
		first=$(head -n 1 <<<"$out" | sed "s/127\.0\.0\.1:$IT_PORT\b/127.0.0.1:1812/g")
		if [ "$first" = "$expect" ]; then pass "$where: ran, printed what the page shows: $expect"
		else fail "$where: ran ($*), printed '$first', the page shows '$expect'"; fi
	elif [[ " $OK_STATUS " == *" $rc "* ]]; then
		pass "$where: ran, exit $rc"
	else
		fail "$where: ran ($*): exit $rc, expected one of $OK_STATUS"
		sed 's/^/#   /' "$IT_BUILD/it/doc-example.err" | tail -n 4
	fi
}

run_phonecert() {	# WHERE WORDS... (after the program)
	local where=$1; shift
	local sub=$1 word args=() config=no positional=no
	case $sub in inspect | lint | block | unblock | capture | report) ;; *) return ;; esac
	runnable "$@" || return 0
	for word in "$@"; do
		word=$(local_word "$word")
		args+=("$word")
		case $word in --config | --file) config=yes ;; "$TOOL_RADDB") positional=yes ;; esac
	done
	# Never the machine's /etc/freeradius/3.0, the tools' default.
	case $sub in
	block | unblock | report | lint) [ $config = yes ] || [ $positional = yes ] || args+=(--config "$TOOL_RADDB") ;;
	esac
	OK_STATUS="0 1" run_example "$where" "" "$PHONECERT" "${args[@]}"
}

run_phonecert_test() {	# WHERE EXPECT WORDS...
	local where=$1 expect=$2 word args=(); shift 2
	[ "$SERVER" = yes ] && runnable "$@" || return 0
	for word in "$@"; do args+=("$(local_word "$word")"); done
	[[ " ${args[*]} " == *" -p "* ]] || args=(-p "$IT_PORT" "${args[@]}")
	OK_STATUS="0 1" run_example "$where" "$expect" "$PHONECERT_TEST" "${args[@]}"
}

# ---- the examples ------------------------------------------------------------

declare -A SEEN
while IFS=$'\x1f' read -r -a record; do
	where=${record[0]}; kind=${record[1]}; expect=${record[2]}; raw=${record[3]}
	words=("${record[@]:4}")
	assignments=()
	while [[ ${words[0]:-} =~ ^[A-Za-z_][A-Za-z0-9_]*= ]]; do	# VAR=value before the program
		assignments+=("${words[0]}"); words=("${words[@]:1}")
	done
	program=${words[0]}; args=("${words[@]:1}")
	key="$kind ${words[*]}"
	# The same inline example twice is checked once.
	if [ "$kind" != block ] && [ -n "${SEEN[$key]+set}" ]; then continue; fi
	SEEN[$key]=1
	case $program in
	phonecert | build/phonecert)
		check_phonecert "$where" "${args[@]}"
		[ "$kind" = block ] && [[ $raw != *[\|\;\&]* ]] && run_phonecert "$where" "${args[@]}" ;;
	phonecert-test | scripts/phonecert-test)
		check_options "$where" phonecert-test "$(usage_of phonecert-test "$PHONECERT_TEST" --help)" \
			"$MAN_PHONECERT_TEST" "${args[@]}"
		[ "$kind" = block ] && run_phonecert_test "$where" "$expect" "${args[@]}" ;;
	make)
		check_make "$where" "${assignments[@]}" "${args[@]}" ;;
	radmin)
		check_options "$where" radmin "$(usage_of radmin radmin -h)" "" "${args[@]}"
		[ "$kind" = block ] && [ "$SERVER" = yes ] && runnable "${args[@]}" &&
			OK_STATUS=0 run_example "$where" "" radmin -d "$IT_RUN/raddb" "${args[@]}" ;;
	freeradius)
		check_options "$where" freeradius "$(usage_of freeradius freeradius -h)" "" "${args[@]}"
		# Only a configuration check (-C) runs: it starts no server.
		[ "$kind" = block ] && [[ " $(options_of "${args[@]}" | tr '\n' ' ')" == *" -C "* ]] &&
			OK_STATUS=0 run_example "$where" "" freeradius "${args[@]}" -d "$TOOL_RADDB" ;;
	radclient)
		check_options "$where" radclient "$(usage_of radclient radclient -h)" "" "${args[@]}"
		[ "$kind" = block ] && [ "$SERVER" = yes ] && [[ $raw == "echo "*"| radclient "* ]] &&
			OK_STATUS=0 run_example "$where" "" bash -c "${raw//127.0.0.1:1812/127.0.0.1:$IT_PORT}" ;;
	eapol_test)
		check_options "$where" eapol_test "$(usage_of eapol_test eapol_test -h)" "" "${args[@]}" ;;
	radtest)
		check_options "$where" radtest "$(usage_of radtest radtest)" "" "${args[@]}" ;;
	esac
done < <("${EXTRACT[@]}" commands "${PAGES[@]}")

it_finish

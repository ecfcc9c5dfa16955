#!/usr/bin/env bats
# kpatch's help, version and usage errors, and man/kpatch.1 against them.

bats_require_minimum_version 1.5.0
# shellcheck source=helpers.bash
source "$BATS_TEST_DIRNAME/helpers.bash"

commands="load unload replace list verify info install uninstall version help"

@test "--help lists every command and exits 0" {
	run --separate-stderr "$KPATCH" --help
	[ "$status" -eq 0 ]
	[ -z "$stderr" ]
	[[ "${lines[0]}" == "Usage: kpatch "* ]]
	for c in $commands; do
		printf '%s\n' "${lines[@]}" | grep -q "^  $c\b" || { echo "no $c"; false; }
	done
}

@test "help without a command is --help" {
	run "$KPATCH" help
	[ "$status" -eq 0 ]
	[ "$output" = "$("$KPATCH" --help)" ]
}

@test "help COMMAND and COMMAND --help show that command's usage" {
	for c in $commands; do
		run --separate-stderr "$KPATCH" help "$c"
		[ "$status" -eq 0 ]
		[[ "${lines[0]}" == "Usage: kpatch $c"* ]] || { echo "$c: ${lines[0]}"; false; }
		help=$output
		run --separate-stderr "$KPATCH" "$c" --help
		[ "$status" -eq 0 ]
		[ "$output" = "$help" ]
		run --separate-stderr "$KPATCH" "$c" -h
		[ "$output" = "$help" ]
	done
}

@test "no command is a usage error" {
	run --separate-stderr "$KPATCH"
	fails_with 2 "no command given" "kpatch --help"
}

@test "an unknown command is a usage error" {
	run --separate-stderr "$KPATCH" frobnicate
	fails_with 2 "unknown command 'frobnicate'"
	run --separate-stderr "$KPATCH" help frobnicate
	fails_with 2 "unknown command 'frobnicate'"
}

@test "an unknown option is a usage error, before or after the command" {
	run --separate-stderr "$KPATCH" --frobnicate list
	fails_with 2 "unknown option '--frobnicate'"
	run --separate-stderr "$KPATCH" list --frobnicate
	fails_with 2 "list: unknown option '--frobnicate'" "kpatch help list"
	run --separate-stderr "$KPATCH" load -z x.ko
	fails_with 2 "load: unknown option '-z'"
	run --separate-stderr "$KPATCH" version --all
	fails_with 2 "version: unknown option '--all'"
}

@test "an option without its argument is a usage error" {
	run --separate-stderr "$KPATCH" install -k
	fails_with 2 "option '-k' needs an argument"
	run --separate-stderr "$KPATCH" --root
	fails_with 2 "option '--root' needs an argument"
}

@test "a missing or extra argument is a usage error" {
	for c in load unload replace info install uninstall; do
		run --separate-stderr "$KPATCH" "$c"
		fails_with 2 "$c: no module given"
		run --separate-stderr "$KPATCH" "$c" a.ko b.ko
		fails_with 2 "$c: too many arguments"
	done
	run --separate-stderr "$KPATCH" load --all a.ko
	fails_with 2 "give either a module or --all"
	run --separate-stderr "$KPATCH" list extra
	fails_with 2 "unexpected argument 'extra'"
	run --separate-stderr "$KPATCH" version extra
	fails_with 2 "unexpected argument 'extra'"
}

@test "version names the version and the ABI version of kpatch-abi.h" {
	abi=$(awk '$2 == "KPATCH_ABI_VERSION" { print $3 }' "$TOP/include/kpatch-abi.h")
	[ -n "$abi" ]
	run --separate-stderr "$KPATCH" version
	[ "$status" -eq 0 ]
	[[ "$output" =~ ^kpatch\ [0-9]+\.[0-9]+\.[0-9]+\ \(patch\ module\ ABI\ version\ $abi\)$ ]]
}

@test "--version and -v are 'kpatch version', as upstream kpatch has them" {
	want=$("$KPATCH" version)
	for v in --version -v; do
		run --separate-stderr "$KPATCH" "$v"
		[ "$status" -eq 0 ]
		[ -z "$stderr" ]
		[ "$output" = "$want" ]
	done
}

@test "man/kpatch.1 renders without warnings (groff -ww)" {
	run --separate-stderr groff -ww -man -Tutf8 "$TOP/man/kpatch.1"
	[ "$status" -eq 0 ]
	[ -z "$stderr" ] || { echo "$stderr"; false; }
	[[ "$output" == *"kpatch - load, list, replace and remove live patch modules"* ]]
}

@test "man/kpatch.1 renders without warnings (man --warnings)" {
	command -v man >/dev/null || skip "man is not installed"
	run --separate-stderr env MANWIDTH=80 man --warnings -l "$TOP/man/kpatch.1"
	[ "$status" -eq 0 ]
	[ -z "$stderr" ] || { echo "$stderr"; false; }
}

# The commands of --help: the first word of each line of its "Commands:".
help_commands() {
	"$KPATCH" --help | sed -n '/^Commands:/,/^$/p' | awk '/^  [a-z]/ { print $1 }' | sort -u
}

# The commands of the man page: the bold word opening each item of its
# COMMANDS section.
man_commands() {
	awk '/^\.SH/ { in_cmds = ($2 == "COMMANDS") } in_cmds && prev == ".TP" { print } { prev = $0 }' \
		"$TOP/man/kpatch.1" | sed -n 's/^\\fB\([a-z]*\).*/\1/p' | sort -u
}

# Options: in --help, a word starting with - or -- after a space, bracket or
# comma; in the man page, the escaped \- that mark options in its SYNOPSIS,
# COMMANDS and OPTIONS sections.
help_options() {
	"$KPATCH" --help | grep -oE '(^|[][ ,(|])--?[a-zA-Z][-a-zA-Z]*' | sed 's/^[^-]*//' | sort -u
}

man_options() {
	awk '/^\.SH/ { keep = ($2 == "SYNOPSIS" || $2 == "COMMANDS" || $2 == "OPTIONS"); next } keep' \
		"$TOP/man/kpatch.1" | grep -oE '(\\-){1,2}[a-zA-Z]([a-zA-Z]|\\-)*' | sed 's/\\-/-/g' | sort -u
}

@test "the commands of --help and of the man page are the same" {
	[ "$(help_commands | wc -l)" -ge 9 ]
	diff <(help_commands) <(man_commands)
}

@test "the options of --help and of the man page are the same" {
	[ "$(help_options | wc -l)" -ge 5 ]
	diff <(help_options) <(man_options)
}

@test "each command's own help names only options of the man page" {
	for c in $commands; do
		"$KPATCH" help "$c" | grep -oE '(^|[][ ,(|])--?[a-zA-Z][-a-zA-Z]*' | sed 's/^[^-]*//'
	done | sort -u > "$BATS_TEST_TMPDIR/cmd-options"
	comm -23 "$BATS_TEST_TMPDIR/cmd-options" <(man_options) > "$BATS_TEST_TMPDIR/extra"
	[ ! -s "$BATS_TEST_TMPDIR/extra" ] || { cat "$BATS_TEST_TMPDIR/extra"; false; }
}

#!/usr/bin/env bats
# bash completion of kpatch-build (kpatch-build/kpatch-build.bash-completion).

setup() {
	TOP=$(cd "$BATS_TEST_DIRNAME/../.." && pwd)
	# shellcheck source=/dev/null
	source "$TOP/kpatch-build/kpatch-build.bash-completion"
	mkdir -p "$BATS_TEST_TMPDIR/cwd/srcdir"
	cd "$BATS_TEST_TMPDIR/cwd" || return 1
	: > fix.patch; : > other.diff; : > notes.txt; : > config-6.1
}

# complete_line WORD...: what completing the last word offers, sorted, one line.
complete_line() {
	COMP_WORDS=("$TOP/kpatch-build/kpatch-build" "$@")
	COMP_CWORD=$#
	COMPREPLY=()
	_kpatch_build
	[ ${#COMPREPLY[@]} -eq 0 ] || printf "%s\n" "${COMPREPLY[@]}" | sort | tr "\n" " "
}

@test "patches are .patch and .diff files, and directories" {
	[ "$(complete_line '')" = "fix.patch other.diff srcdir " ]
}

@test "the options are those of --help" {
	want=$("$TOP/kpatch-build/kpatch-build" --help | grep -oE -- '--[a-z][a-z-]*' | sort -u | tr '\n' ' ')
	[ "$(complete_line --)" = "$want" ]
	[ "$(complete_line --sign)" = "--sign-cert --sign-key " ]
}

@test "an option's argument: directories, files, or nothing to guess" {
	[ "$(complete_line -s '')" = "srcdir " ]
	[ "$(complete_line --config con)" = "config-6.1 " ]
	[ "$(complete_line -n '')" = "" ]
	[ "$(complete_line --prune --keep '')" = "" ]
	[ "$(complete_line --prune --max-size '')" = "" ]
}

@test "--oot-module offers modules and directories, --oot-module-src directories" {
	: > foo.ko; : > bar.ko.xz
	[ "$(complete_line --oot-module '')" = "bar.ko.xz foo.ko srcdir " ]
	[ "$(complete_line --oot-module-src '')" = "srcdir " ]
}

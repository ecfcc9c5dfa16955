#!/usr/bin/env bats
# bash completion of kpatch (kpatch/kpatch.bash-completion): commands,
# options, and the names kpatch itself would find under a fake root.

setup() {
	# shellcheck source=/dev/null
	source "$BATS_TEST_DIRNAME/../../kpatch/kpatch.bash-completion"
	root=$BATS_TEST_TMPDIR/root
	mkdir -p "$root/proc/sys/kernel" "$root/sys/kernel/kpatch/kpatch_fix" \
		"$root/sys/kernel/kpatch/kpatch_other" \
		"$root/var/lib/kpatch/6.1.0-test" "$root/var/lib/kpatch/6.1.0-older"
	echo 6.1.0-test > "$root/proc/sys/kernel/osrelease"
	: > "$root/sys/kernel/kpatch/last_error"
	: > "$root/var/lib/kpatch/6.1.0-test/kpatch-fix.ko"
	: > "$root/var/lib/kpatch/6.1.0-older/kpatch-old.ko"
	mkdir "$BATS_TEST_TMPDIR/cwd"
	cd "$BATS_TEST_TMPDIR/cwd" || return 1
	: > patch-a.ko
	: > notes.txt
}

# complete_line WORD...: what completing the last word offers, sorted, one line.
complete_line() {
	COMP_WORDS=(kpatch "$@")
	COMP_CWORD=$#
	COMPREPLY=()
	_kpatch
	[ ${#COMPREPLY[@]} -eq 0 ] || printf "%s\n" "${COMPREPLY[@]}" | sort | tr "\n" " "
}

@test "the first word is a command or a general option" {
	[ "$(complete_line '')" = "--help --root --version help info install list load replace uninstall unload verify version " ]
	[ "$(complete_line un)" = "uninstall unload " ]
}

@test "load, replace and info offer .ko files and directories, not other files" {
	mkdir sub
	[ "$(complete_line load '')" = "patch-a.ko sub " ]
	[ "$(complete_line replace p)" = "patch-a.ko " ]
	[ "$(complete_line info n)" = "" ]
	[ "$(complete_line load --)" = "--all --boot --help --wait " ]
}

@test "load also offers the names of the modules installed for the running release" {
	[ "$(KPATCH_ROOT=$root complete_line load '')" = "kpatch-fix patch-a.ko " ]
	[ "$(KPATCH_ROOT=$root complete_line load --wait '')" = "" ]
	[ "$(complete_line install --)" = "--force --help --kernel-version " ]
}

@test "unload offers the patches the core has registered, under --root" {
	[ "$(complete_line --root "$root" unload '')" = "kpatch_fix kpatch_other " ]
	[ "$(complete_line --root "$root" unload kpatch_f)" = "kpatch_fix " ]
}

@test "verify offers the registered patches, not the core's files" {
	: > "$root/sys/kernel/kpatch/ftrace"
	[ "$(complete_line --root "$root" verify '')" = "kpatch_fix kpatch_other " ]
	[ "$(complete_line --root "$root" verify --)" = "--help " ]
}

@test "uninstall offers what is installed for the running release, or for -k's" {
	export KPATCH_ROOT=$root
	[ "$(complete_line uninstall '')" = "kpatch-fix " ]
	[ "$(complete_line uninstall -k 6.1.0-older '')" = "kpatch-old " ]
	[ "$(complete_line uninstall -k '')" = "6.1.0-older 6.1.0-test " ]
}

@test "compressed modules are offered too; info completes --format and its values" {
	: > patch-b.ko.xz
	: > patch-c.ko.zst
	: > patch-d.ko.gz
	[ "$(complete_line load p)" = "patch-a.ko patch-b.ko.xz patch-c.ko.zst " ]
	[ "$(complete_line info --)" = "--format --help " ]
	[ "$(complete_line info --format '')" = "keyvalue text " ]
	[ "$(complete_line info -f k)" = "keyvalue " ]
	: > "$root/var/lib/kpatch/6.1.0-test/kpatch-new.ko.zst"
	[ "$(KPATCH_ROOT=$root complete_line uninstall '')" = "kpatch-fix kpatch-new " ]
}

@test "help completes command names" {
	[ "$(complete_line help l)" = "list load " ]
}

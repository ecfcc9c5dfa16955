#!/usr/bin/env bats
# kpatch list against a fake root: loaded patches with their state and
# functions, then installed ones.

bats_require_minimum_version 1.5.0
# shellcheck source=helpers.bash
source "$BATS_TEST_DIRNAME/helpers.bash"

setup() {
	fake_root
}

teardown() {
	cleanup_public
}

@test "list with nothing loaded or installed" {
	run --separate-stderr "$KPATCH" list
	[ "$status" -eq 0 ]
	[ -z "$stderr" ]
	[ "$output" = "Loaded patch modules:

Installed patch modules:" ]
}

@test "list shows each loaded patch, its state and its functions" {
	fake_core
	fake_patch kpatch_fix 1 vmlinux/cmdline_proc_show,0 vmlinux/show_val,2 isofs/isofs_fill_super,0
	echo 0 > "$root/sys/kernel/kpatch/kpatch_fix/isofs/loaded"
	fake_patch kpatch_old 0 vmlinux/version_proc_show,0
	run --separate-stderr "$KPATCH" list
	[ "$status" -eq 0 ]
	[ -z "$stderr" ]
	[ "$output" = "Loaded patch modules:
kpatch_fix [enabled]
    isofs_fill_super (isofs, not loaded)
    cmdline_proc_show (vmlinux)
    show_val,2 (vmlinux)
kpatch_old [disabled]
    version_proc_show (vmlinux)

Installed patch modules:" ]
}

@test "list says no patch is live once ftrace has shut itself down, and fails" {
	fake_core
	fake_patch kpatch_fix 1 vmlinux/cmdline_proc_show,0
	fake_patch kpatch_old 0 vmlinux/version_proc_show,0
	# What the core shows after ftrace_kill() (kmod/core sysfs.c).
	echo dead > "$root/sys/kernel/kpatch/ftrace"
	run --separate-stderr "$KPATCH" list
	[ "$status" -eq 1 ]
	[ "$output" = "Loaded patch modules:
(ftrace has shut itself down after an internal error, see the kernel log: no patch is live until reboot)
kpatch_fix [enabled, NOT live: ftrace is dead]
    cmdline_proc_show (vmlinux)
kpatch_old [disabled]
    version_proc_show (vmlinux)

Installed patch modules:" ]
	echo running > "$root/sys/kernel/kpatch/ftrace"
	run --separate-stderr "$KPATCH" list
	[ "$status" -eq 0 ]
	[[ "$output" == *"kpatch_fix [enabled]"* ]]
}

@test "list shows the modules installed for every kernel, each with its release" {
	mkdir -p "$root/var/lib/kpatch/$release" "$root/var/lib/kpatch/5.10.0-old"
	cp "$FIXTURES/kpatch-fix.ko" "$root/var/lib/kpatch/$release/"
	cp "$FIXTURES/kpatch-replace.ko" "$root/var/lib/kpatch/$release/"
	cp "$FIXTURES/kpatch-fix.ko" "$root/var/lib/kpatch/5.10.0-old/kpatch-ancient.ko"
	# Left by an interrupted install: never a module.
	touch "$root/var/lib/kpatch/$release/.kpatch-new.ko.Ab12Cd"
	run --separate-stderr "$KPATCH" list
	[ "$status" -eq 0 ]
	[ "$output" = "Loaded patch modules:

Installed patch modules:
kpatch_ancient (5.10.0-old)
kpatch_fix ($release)
kpatch_replace ($release)" ]
	# -a, which used to add the other kernels, is kept for scripts.
	for a in -a --all; do
		run --separate-stderr "$KPATCH" list "$a"
		[ "$status" -eq 0 ]
		[ "${#lines[@]}" -eq 5 ]
	done
}

@test "list needs no root" {
	fake_core
	fake_patch kpatch_fix 1 vmlinux/cmdline_proc_show,0
	public_dir
	cp -r "$root" "$pub/root"
	chmod -R a+rX "$pub"
	run --separate-stderr as_nobody env KPATCH_ROOT="$pub/root" "$KPATCH" list
	[ "$status" -eq 0 ]
	[[ "$output" == *"kpatch_fix [enabled]"* ]]
}

@test "--root takes precedence over KPATCH_ROOT" {
	fake_core
	fake_patch kpatch_fix 1 vmlinux/cmdline_proc_show,0
	mkdir -p "$BATS_TEST_TMPDIR/other/proc/sys/kernel"
	echo "$release" > "$BATS_TEST_TMPDIR/other/proc/sys/kernel/osrelease"
	run --separate-stderr "$KPATCH" --root "$BATS_TEST_TMPDIR/other" list
	[ "$status" -eq 0 ]
	[[ "$output" != *kpatch_fix* ]]
	run --separate-stderr env KPATCH_ROOT="$BATS_TEST_TMPDIR/other" "$KPATCH" --root "$root/" list
	[[ "$output" == *"kpatch_fix [enabled]"* ]]
}

@test "list does not need the running release: it shows every kernel's" {
	mkdir -p "$root/var/lib/kpatch/$release"
	cp "$FIXTURES/kpatch-fix.ko" "$root/var/lib/kpatch/$release/"
	rm "$root/proc/sys/kernel/osrelease"
	run --separate-stderr "$KPATCH" list
	[ "$status" -eq 0 ]
	[ -z "$stderr" ]
	[ "${lines[-1]}" = "kpatch_fix ($release)" ]
}

@test "list fails when /var/lib/kpatch cannot be read" {
	mkdir -p "$root/var/lib"
	echo "not a directory" > "$root/var/lib/kpatch"
	run --separate-stderr "$KPATCH" list
	[ "$status" -eq 1 ]
	[ "$stderr" = "kpatch: cannot read $root/var/lib/kpatch: Not a directory" ]
}

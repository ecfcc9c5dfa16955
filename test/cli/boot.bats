#!/usr/bin/env bats
# load --all --boot, as kpatch.service and the initramfs scripts run it,
# against a fake root: kpatch.enable=0 on the kernel command line, and the
# boot guard /var/lib/kpatch/boot-guard.  The crash the guard is for is in
# the boot-guard boots of suite vm-cli (test/cli/vm/guard/).

bats_require_minimum_version 1.5.0
# shellcheck source=helpers.bash
source "$BATS_TEST_DIRNAME/helpers.bash"

setup() {
	fake_root
	fix=$FIXTURES/kpatch-fix.ko
	dir=$root/var/lib/kpatch/$release
	guard=$root/var/lib/kpatch/boot-guard
	mkdir -p "$dir" "$root/proc/sys/kernel/random"
	cp "$fix" "$dir/"
	echo "console=ttyS0 quiet" > "$root/proc/cmdline"
	echo 11111111-2222-3333-4444-555555555555 > "$root/proc/sys/kernel/random/boot_id"
}

@test "kpatch.enable=0 on the kernel command line: load --all --boot loads nothing and says so" {
	echo "console=ttyS0 kpatch.enable=0 quiet" > "$root/proc/cmdline"
	run --separate-stderr "$KPATCH" load --all --boot
	[ "$status" -eq 0 ]
	[ -z "$stderr" ]
	[ "$output" = "kpatch.enable=0 is on the kernel command line: no live patch is loaded at this boot" ]
	[ ! -e "$guard" ]
}

@test "only the word kpatch.enable=0 disables loading" {
	fake_core
	for cmdline in "kpatch.enable=1" "kpatch.enable=00 x" "xkpatch.enable=0" "" "kpatch.enable"; do
		echo "$cmdline" > "$root/proc/cmdline"
		run --separate-stderr "$KPATCH" load --all --boot
		[ "$status" -eq 1 ]
		[ "$stderr" = "kpatch: not loading $dir/kpatch-fix.ko: $root is not the running kernel (--root or KPATCH_ROOT is set)" ] ||
			{ echo "$cmdline: $stderr"; false; }
	done
}

@test "load --all by hand ignores kpatch.enable=0 and the boot guard" {
	fake_core
	echo "kpatch.enable=0" > "$root/proc/cmdline"
	echo 99999999-0000-0000-0000-000000000000 > "$guard"
	run --separate-stderr "$KPATCH" load --all
	[ "$status" -eq 1 ]
	[[ "$stderr" == "kpatch: not loading $dir/kpatch-fix.ko"* ]]
}

@test "a boot guard left by another boot: nothing loads, the reason and the way to re-arm are said" {
	fake_core
	echo 99999999-0000-0000-0000-000000000000 > "$guard"
	run --separate-stderr "$KPATCH" load --all --boot
	fails_with 1 "the boot guard $guard is set: the boot 99999999-0000-0000-0000-000000000000 began loading live patches and never confirmed them" \
		"no live patch is loaded at this boot" "re-arm with 'rm $guard'"
	[ "$(cat "$guard")" = 99999999-0000-0000-0000-000000000000 ]
	# list shows it, and it stays until removed.
	run --separate-stderr "$KPATCH" list
	[ "$status" -eq 0 ]
	[ "${lines[-1]}" = "Boot guard: the boot 99999999-0000-0000-0000-000000000000 began loading live patches and never confirmed them; no boot loads any until 'rm $guard'" ]
	echo 66666666-0000-0000-0000-000000000000 > "$root/proc/sys/kernel/random/boot_id"
	run --separate-stderr "$KPATCH" load --all --boot
	fails_with 1 "the boot guard $guard is set"
	rm "$guard"
	run --separate-stderr "$KPATCH" load --all --boot
	[ "$status" -eq 1 ]
	[[ "$stderr" == "kpatch: not loading $dir/kpatch-fix.ko"* ]]
}

@test "a boot guard of this very boot does not stop loading (kpatch.service started again)" {
	fake_core
	cp "$root/proc/sys/kernel/random/boot_id" "$guard"
	run --separate-stderr "$KPATCH" load --all --boot
	[ "$status" -eq 1 ]
	[[ "$stderr" == "kpatch: not loading $dir/kpatch-fix.ko"* ]]
	run --separate-stderr "$KPATCH" list
	[[ "$output" != *"Boot guard"* ]]
}

@test "load --all --boot clears the guard once the loads are done and checked" {
	fake_core
	fake_patch kpatch_fix 1 vmlinux/cmdline_proc_show,0
	loaded_from kpatch_fix "$fix"
	run --separate-stderr "$KPATCH" load --all --boot
	[ "$status" -eq 0 ]
	[ "$output" = "kpatch_fix is already loaded and enabled
enabled live patches: kpatch_fix" ]
	# Nothing left of it, not even its temporary file.
	[ "$(ls -A "$root/var/lib/kpatch")" = "$release" ]
}

@test "load --all --boot with nothing installed sets no guard" {
	rm "$dir/kpatch-fix.ko"
	run --separate-stderr "$KPATCH" load --all --boot
	[ "$status" -eq 0 ]
	[ "$output" = "no patch module is installed for kernel $release" ]
	[ ! -e "$guard" ]
}

@test "a guard that cannot be set is warned about, and the patches load" {
	fake_core
	mount -t tmpfs tmpfs "$root/var/lib/kpatch" 2>/dev/null || skip "cannot mount a tmpfs here"
	mkdir "$dir"
	cp "$fix" "$dir/"
	mount -o remount,ro "$root/var/lib/kpatch"
	run --separate-stderr "$KPATCH" load --all --boot
	umount "$root/var/lib/kpatch"
	[ "$status" -eq 1 ]
	[ "${stderr_lines[0]}" = "kpatch: warning: cannot set the boot guard $guard: Read-only file system; the patches load without it" ]
	[[ "${stderr_lines[1]}" == "kpatch: not loading $dir/kpatch-fix.ko"* ]]
}

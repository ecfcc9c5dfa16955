#!/usr/bin/env bats
# Each @test runs in its own subshell: a test that points fix at another
# fixture does so for itself only, as intended.
# shellcheck disable=SC2030,SC2031
# kpatch load, unload and replace against a fake root: every check that
# comes before a system call.  Under a fake root kpatch stops short of
# finit_module and delete_module, saying so; reaching that message proves
# that every check passed.  The real loads are in test/suites/vm-cli.

bats_require_minimum_version 1.5.0
# shellcheck source=helpers.bash
source "$BATS_TEST_DIRNAME/helpers.bash"

setup() {
	fake_root
	fix=$FIXTURES/kpatch-fix.ko
}

teardown() {
	cleanup_public
}

@test "load of a good module passes every check, up to the system call" {
	fake_core
	run --separate-stderr "$KPATCH" load "$fix"
	fails_with 1 "not loading $fix: $root is not the running kernel"
}

@test "load as a user other than root" {
	for c in load unload replace; do
		run --separate-stderr as_nobody "$KPATCH" "$c" "$fix"
		fails_with 1 "'kpatch $c' must be run as root"
	done
	run --separate-stderr as_nobody "$KPATCH" load --all
	fails_with 1 "'kpatch load' must be run as root"
}

@test "load of a missing file" {
	run --separate-stderr "$KPATCH" load "$BATS_TEST_TMPDIR/nope.ko"
	fails_with 1 "cannot open $BATS_TEST_TMPDIR/nope.ko: No such file or directory"
}

@test "load of a file that is not ELF" {
	run --separate-stderr "$KPATCH" load "$FIXTURES/not-elf.ko"
	fails_with 1 "$FIXTURES/not-elf.ko is not an ELF file"
}

@test "load of an ELF file that is not a kernel module" {
	run --separate-stderr "$KPATCH" load "$FIXTURES/not-a-module.ko"
	fails_with 1 "$FIXTURES/not-a-module.ko is not a kernel module"
}

@test "load of a kernel module that is not a kpatch patch module" {
	run --separate-stderr "$KPATCH" load "$FIXTURES/plain-module.ko"
	fails_with 1 "$FIXTURES/plain-module.ko is a kernel module but not a kpatch patch module"
}

@test "load of a module built for another kernel release names both" {
	fake_core
	run --separate-stderr "$KPATCH" load "$FIXTURES/kpatch-fix-other-release.ko"
	fails_with 1 "kpatch-fix-other-release.ko is built for kernel 6.1.0-other-kpatch-test, but the running kernel is $release"
}

@test "load of a module of another ABI version names both" {
	fake_core
	run --separate-stderr "$KPATCH" load "$FIXTURES/kpatch-abi99.ko"
	fails_with 1 "kpatch-abi99.ko has kpatch ABI version 99, but this kpatch supports version 2"
}

@test "load of a module built against another build of the same release" {
	fake_core
	build_id=$(cat "$FIXTURES/build-id")
	other_id=0123456789abcdef0123456789abcdef01234567
	[ "$build_id" != "$other_id" ]
	gnu_build_id_note "$other_id" > "$root/sys/kernel/notes"
	run --separate-stderr "$KPATCH" load "$fix"
	fails_with 1 "$fix is built for another build of kernel $release: vmlinux build ID $build_id, running $other_id"
}

@test "load finds the build ID among other notes" {
	fake_core
	build_id=$(cat "$FIXTURES/build-id")
	{ note_hex Xen 18 0102030405; note_hex GNU 3 "$build_id"; } | unhex \
		> "$root/sys/kernel/notes"
	run --separate-stderr "$KPATCH" load "$fix"
	fails_with 1 "not loading $fix"
}

@test "load checks the build ID of each patched module that is loaded" {
	fake_core
	fix=$FIXTURES/kpatch-fix-objid.ko
	# not loaded: nothing to check yet
	run --separate-stderr "$KPATCH" load "$fix"
	fails_with 1 "not loading $fix: $root is not the running kernel"
	# loaded, the build the patch was made against
	mkdir -p "$root/sys/module/kpf_target/notes"
	gnu_build_id_note 0123456789abcdef > "$root/sys/module/kpf_target/notes/.note.gnu.build-id"
	run --separate-stderr "$KPATCH" load "$fix"
	fails_with 1 "not loading $fix: $root is not the running kernel"
	# loaded, another build
	gnu_build_id_note 00112233 > "$root/sys/module/kpf_target/notes/.note.gnu.build-id"
	run --separate-stderr "$KPATCH" load "$fix"
	fails_with 1 "$fix is built for another build of module kpf_target: build ID 0123456789abcdef, loaded 00112233"
}

@test "load when the running kernel's notes hold no build ID" {
	fake_core
	: > "$root/sys/kernel/notes"
	run --separate-stderr "$KPATCH" load "$fix"
	fails_with 1 "$root/sys/kernel/notes holds no GNU build ID note"
}

@test "load of a module that records no build ID" {
	fake_core
	run --separate-stderr "$KPATCH" load "$FIXTURES/kpatch-nobuildid.ko"
	fails_with 1 "kpatch-nobuildid.ko records no vmlinux build ID"
}

@test "load of a patch loaded and enabled already succeeds and changes nothing" {
	fake_core
	fake_patch kpatch_fix 1 vmlinux/cmdline_proc_show,0
	loaded_from kpatch_fix "$fix"
	run --separate-stderr "$KPATCH" load "$fix"
	[ "$status" -eq 0 ]
	[ -z "$stderr" ]
	[ "$output" = "kpatch_fix is already loaded and enabled" ]
}

@test "load of a patch loaded but disabled enables it again" {
	fake_core
	fake_patch kpatch_fix 0 vmlinux/cmdline_proc_show,0
	loaded_from kpatch_fix "$fix"
	run --separate-stderr "$KPATCH" load "$fix"
	[ "$status" -eq 0 ]
	[ -z "$stderr" ]
	[ "$output" = "enabled kpatch_fix again" ]
	[ "$(cat "$root/sys/kernel/kpatch/kpatch_fix/enabled")" = 1 ]
}

@test "load of a patch loaded from another build is refused" {
	fake_core
	fake_patch kpatch_fix 0 vmlinux/cmdline_proc_show,0
	mkdir -p "$root/sys/module/kpatch_fix/notes"
	gnu_build_id_note 00112233 > "$root/sys/module/kpatch_fix/notes/.note.gnu.build-id"
	run --separate-stderr "$KPATCH" load "$fix"
	fails_with 1 "kpatch_fix is loaded from another build (build ID 00112233, $fix has " \
		"unload it first with 'kpatch unload kpatch_fix'"
	[ "$(cat "$root/sys/kernel/kpatch/kpatch_fix/enabled")" = 0 ]
}

@test "load of a patch loaded already, when the core cannot enable it again" {
	fake_core
	fake_patch kpatch_fix 0 vmlinux/cmdline_proc_show,0
	loaded_from kpatch_fix "$fix"
	echo "kpatch_fix: a task is inside cmdline_proc_show; first: pid 42 (sleeper) inside cmdline_proc_show" \
		> "$root/sys/kernel/kpatch/last_error"
	rm "$root/sys/kernel/kpatch/kpatch_fix/enabled"
	mkdir "$root/sys/kernel/kpatch/kpatch_fix/enabled"
	run --separate-stderr "$KPATCH" load "$fix"
	fails_with 1 "cannot enable kpatch_fix again: a task is inside cmdline_proc_show; first: pid 42 (sleeper)"
}

@test "load NAME takes the module installed for the running kernel" {
	fake_core
	dir=$root/var/lib/kpatch/$release
	mkdir -p "$dir"
	cp "$fix" "$dir/"
	for name in kpatch-fix kpatch_fix; do
		run --separate-stderr "$KPATCH" load "$name"
		fails_with 1 "not loading $dir/kpatch-fix.ko: $root is not the running kernel"
	done
}

@test "load NAME of a patch loaded but not installed enables it again" {
	fake_core
	fake_patch kpatch_fix 0 vmlinux/cmdline_proc_show,0
	run --separate-stderr "$KPATCH" load kpatch-fix
	[ "$status" -eq 0 ]
	[ "$output" = "enabled kpatch_fix again" ]
	run --separate-stderr "$KPATCH" load kpatch_fix
	[ "$output" = "kpatch_fix is already loaded and enabled" ]
}

@test "load NAME of a patch neither installed nor loaded" {
	fake_core
	run --separate-stderr "$KPATCH" load kpatch-nothing
	fails_with 1 "kpatch-nothing is neither a module file nor a patch module installed for kernel $release or loaded"
}

@test "load --wait takes a number of seconds; --boot goes with --all" {
	for w in x -1 1.5 86401 ''; do
		run --separate-stderr "$KPATCH" load --wait "$w" "$fix"
		fails_with 2 "load: '$w' is not a number of seconds from 0 to 86400"
	done
	run --separate-stderr "$KPATCH" load --boot "$fix"
	fails_with 2 "load: --boot goes with --all"
}

@test "load when the core module is neither loaded nor installed" {
	run --separate-stderr "$KPATCH" load "$fix"
	# The top-level Makefile exports where make install puts the core.
	core=${MODULEDIR:-/usr/local/lib/kpatch}/$release/kpatch.ko
	fails_with 1 "the core module is not loaded and $root$core does not exist" \
		"build and install it for kernel $release with 'make -C ${DATADIR:-/usr/local/share/kpatch}/core KDIR=/lib/modules/$release/build all install'"
}

@test "load takes the core module DKMS installed when make install's is missing" {
	for d in updates/dkms extra; do
		rm -rf "$root/lib/modules"
		mkdir -p "$root/lib/modules/$release/$d"
		cp "$FIXTURES/plain-module.ko" "$root/lib/modules/$release/$d/kpatch.ko"
		run --separate-stderr "$KPATCH" load "$fix"
		fails_with 1 "not loading $root/lib/modules/$release/$d/kpatch.ko: $root is not the running kernel"
	done
}

@test "load takes the core module from KPATCH_CORE_MODULE" {
	KPATCH_CORE_MODULE=$BATS_TEST_TMPDIR/missing-core.ko run --separate-stderr "$KPATCH" load "$fix"
	fails_with 1 "$BATS_TEST_TMPDIR/missing-core.ko does not exist"
	# A core that exists gets as far as the system call.
	KPATCH_CORE_MODULE=$FIXTURES/plain-module.ko run --separate-stderr "$KPATCH" load "$fix"
	fails_with 1 "not loading $FIXTURES/plain-module.ko: $root is not the running kernel"
}

@test "load refuses a core module built for another kernel release" {
	KPATCH_CORE_MODULE=$FIXTURES/kpatch-fix-other-release.ko run --separate-stderr "$KPATCH" load "$fix"
	fails_with 1 "the core module $FIXTURES/kpatch-fix-other-release.ko is built for kernel 6.1.0-other-kpatch-test, but the running kernel is $release"
}

@test "load --all tries every installed module and fails if one did" {
	fake_core
	dir=$root/var/lib/kpatch/$release
	mkdir -p "$dir"
	cp "$FIXTURES/kpatch-abi99.ko" "$FIXTURES/kpatch-fix.ko" "$FIXTURES/kpatch-replace.ko" "$dir/"
	run --separate-stderr "$KPATCH" load --all
	[ "$status" -eq 1 ]
	[ "${#stderr_lines[@]}" -eq 3 ]
	[[ "${stderr_lines[0]}" == *"kpatch-abi99.ko has kpatch ABI version 99"* ]]
	[[ "${stderr_lines[1]}" == *"not loading $dir/kpatch-fix.ko"* ]]
	[[ "${stderr_lines[2]}" == *"not loading $dir/kpatch-replace.ko"* ]]
}

@test "load --all only mentions a module that is loaded already, then what is enabled" {
	fake_core
	fake_patch kpatch_fix 1 vmlinux/cmdline_proc_show,0
	loaded_from kpatch_fix "$fix"
	mkdir -p "$root/var/lib/kpatch/$release"
	cp "$fix" "$root/var/lib/kpatch/$release/"
	run --separate-stderr "$KPATCH" load --all
	[ "$status" -eq 0 ]
	[ "$output" = "kpatch_fix is already loaded and enabled
enabled live patches: kpatch_fix" ]
	[ -z "$stderr" ]
}

@test "load --all fails when an installed patch did not end up enabled, naming what replaced it" {
	fake_core
	fake_patch kpatch_fix 0 vmlinux/cmdline_proc_show,0
	loaded_from kpatch_fix "$fix"
	fake_patch kpatch_replace 1 vmlinux/cmdline_proc_show,0
	echo 1 > "$root/sys/kernel/kpatch/kpatch_replace/replace"
	loaded_from kpatch_replace "$FIXTURES/kpatch-replace.ko"
	mkdir -p "$root/var/lib/kpatch/$release"
	cp "$fix" "$FIXTURES/kpatch-replace.ko" "$root/var/lib/kpatch/$release/"
	run --separate-stderr "$KPATCH" load --all
	[ "$status" -eq 1 ]
	[ "$output" = "kpatch_fix is already loaded
kpatch_replace is already loaded and enabled
enabled live patches: kpatch_replace" ]
	[ "$stderr" = "kpatch: kpatch_fix is installed but not enabled: kpatch_replace, loaded after it, replaced it; uninstall one of them" ]
	# load --all leaves it as a boot would; load enables it again.
	[ "$(cat "$root/sys/kernel/kpatch/kpatch_fix/enabled")" = 0 ]
}

@test "load --all with nothing installed" {
	run --separate-stderr "$KPATCH" load --all
	[ "$status" -eq 0 ]
	[ "$output" = "no patch module is installed for kernel $release" ]
}

@test "replace refuses a module that is not built to replace" {
	fake_core
	run --separate-stderr "$KPATCH" replace "$fix"
	fails_with 1 "$fix does not replace other patches" "kpatch_replace"
}

@test "replace of a replacing module passes every check" {
	fake_core
	fake_patch kpatch_fix 1 vmlinux/cmdline_proc_show,0
	run --separate-stderr "$KPATCH" replace "$FIXTURES/kpatch-replace.ko"
	fails_with 1 "not loading $FIXTURES/kpatch-replace.ko"
	# Nothing was disabled: the switch is the core's, at load.
	[ "$(cat "$root/sys/kernel/kpatch/kpatch_fix/enabled")" = 1 ]
}

@test "replace applies the same checks as load" {
	fake_core
	run --separate-stderr "$KPATCH" replace "$FIXTURES/kpatch-fix-other-release.ko"
	fails_with 1 "is built for kernel 6.1.0-other-kpatch-test"
}

@test "unload of a module that is not loaded" {
	fake_core
	run --separate-stderr "$KPATCH" unload kpatch-fix
	fails_with 1 "kpatch_fix is not loaded"
	run --separate-stderr "$KPATCH" unload "$fix"
	fails_with 1 "kpatch_fix is not loaded"
}

@test "unload of a loaded module that is not a kpatch patch module" {
	fake_core
	fake_module isofs
	run --separate-stderr "$KPATCH" unload isofs
	fails_with 1 "isofs is loaded but is not a kpatch patch module"
}

@test "unload disables the patch through sysfs before removing it" {
	fake_core
	fake_patch kpatch_fix 1 vmlinux/cmdline_proc_show,0
	run --separate-stderr "$KPATCH" unload "$fix"
	fails_with 1 "not removing kpatch_fix: $root is not the running kernel"
	[ "$(cat "$root/sys/kernel/kpatch/kpatch_fix/enabled")" = 0 ]
}

@test "unload shows the core's reason when it cannot disable the patch" {
	fake_core
	fake_patch kpatch_fix 1 vmlinux/cmdline_proc_show,0
	echo "kpatch_fix: task 42 (sleeper) is sleeping in cmdline_proc_show" > "$root/sys/kernel/kpatch/last_error"
	# A directory where the attribute was: the write fails, as the core's would.
	rm "$root/sys/kernel/kpatch/kpatch_fix/enabled"
	mkdir "$root/sys/kernel/kpatch/kpatch_fix/enabled"
	run --separate-stderr "$KPATCH" unload kpatch_fix
	fails_with 1 "cannot disable kpatch_fix: task 42 (sleeper) is sleeping in cmdline_proc_show"
}

@test "unload ignores a last_error about another patch" {
	fake_core
	fake_patch kpatch_fix 1 vmlinux/cmdline_proc_show,0
	echo "kpatch_other: task 42 (sleeper) is sleeping in foo" > "$root/sys/kernel/kpatch/last_error"
	rm "$root/sys/kernel/kpatch/kpatch_fix/enabled"
	mkdir "$root/sys/kernel/kpatch/kpatch_fix/enabled"
	run --separate-stderr "$KPATCH" unload kpatch_fix
	fails_with 1 "cannot disable kpatch_fix: "
	[[ "$stderr" != *sleeper* ]]
}

@test "unload --all goes newest first" {
	fake_core
	fake_patch kpatch_a 1 vmlinux/a,0
	fake_module isofs
	fake_patch kpatch_c 0 vmlinux/c,0
	fake_patch kpatch_b 1 vmlinux/b,0
	run --separate-stderr "$KPATCH" unload --all
	[ "$status" -eq 1 ]
	[ "${#stderr_lines[@]}" -eq 3 ]
	[[ "${stderr_lines[0]}" == *"not removing kpatch_b"* ]]
	[[ "${stderr_lines[1]}" == *"not removing kpatch_c"* ]]
	[[ "${stderr_lines[2]}" == *"not removing kpatch_a"* ]]
	for p in a b c; do
		[ "$(cat "$root/sys/kernel/kpatch/kpatch_$p/enabled")" = 0 ]
	done
}

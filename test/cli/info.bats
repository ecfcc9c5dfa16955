#!/usr/bin/env bats
# kpatch info: what a module file says, read without loading it, and the
# refusals of files that are not patch modules.

bats_require_minimum_version 1.5.0
# shellcheck source=helpers.bash
source "$BATS_TEST_DIRNAME/helpers.bash"

setup() {
	release=$(cat "$FIXTURES/release")
	build_id=$(cat "$FIXTURES/build-id")
}

teardown() {
	cleanup_public
}

@test "info shows name, kernel, ABI, replace, hash, build ID and functions" {
	run --separate-stderr "$KPATCH" info "$FIXTURES/kpatch-fix.ko"
	[ "$status" -eq 0 ]
	[ -z "$stderr" ]
	# Expected values come from test/cli/fixtures/kpatch-fix.c and the tree.
	[ "${lines[0]}" = "file:         $FIXTURES/kpatch-fix.ko" ]
	[ "${lines[1]}" = "name:         kpatch_fix" ]
	[ "${lines[2]}" = "patch name:   fix" ]
	[ "${lines[3]}" = "kernel:       $release" ]
	[ "${lines[4]}" = "ABI version:  2" ]
	[ "${lines[5]}" = "replaces:     no" ]
	[ "${lines[6]}" = "patch sha256: 5d1a0c8bd0b6a3e9d3c4b2a1f0e9d8c7b6a5f4e3d2c1b0a9f8e7d6c5b4a39281" ]
	[ "${lines[7]}" = "build ID:     $build_id" ]
	[ "${lines[8]}" = "functions:    3" ]
	[ "${lines[9]}" = "    cmdline_proc_show (vmlinux)" ]
	[ "${lines[10]}" = "    show_val,2 (vmlinux)" ]
	[ "${lines[11]}" = "    isofs_fill_super (isofs)" ]
	[ "${#lines[@]}" -eq 12 ]
}

@test "info says when a module replaces all others" {
	run --separate-stderr "$KPATCH" info "$FIXTURES/kpatch-replace.ko"
	[ "$status" -eq 0 ]
	[[ "$output" == *"replaces:     yes (all other patches)"* ]]
	[[ "$output" == *"    version_proc_show (vmlinux)"* ]]
	[[ "$output" == *"    isofs_lookup (isofs)"* ]]
}

@test "info works for a module of another kernel release" {
	run --separate-stderr "$KPATCH" info "$FIXTURES/kpatch-fix-other-release.ko"
	[ "$status" -eq 0 ]
	[[ "$output" == *"kernel:       6.1.0-other-kpatch-test"* ]]
}

@test "info does not guess the functions of another ABI version" {
	run --separate-stderr "$KPATCH" info "$FIXTURES/kpatch-abi99.ko"
	[ "$status" -eq 0 ]
	[[ "$output" == *"ABI version:  99"* ]]
	[[ "$output" == *"functions:    unknown (ABI version 99; this kpatch reads version 2)"* ]]
	[[ "$output" != *cmdline_proc_show* ]]
}

@test "info reads the functions through the relocations, not the section bytes" {
	# The name slots hold zero in the file; only the relocations say more.
	run readelf -r "$FIXTURES/kpatch-fix.ko"
	[[ "$output" == *".rela.kpatch.funcs"* ]]
	[[ "$output" == *"R_X86_64_64"*".kpatch.strings"* ]]
}

@test "info on a missing file" {
	run --separate-stderr "$KPATCH" info "$BATS_TEST_TMPDIR/nope.ko"
	fails_with 1 "cannot open $BATS_TEST_TMPDIR/nope.ko: No such file or directory"
}

@test "info on an unreadable file" {
	public_dir
	cp "$FIXTURES/kpatch-fix.ko" "$pub/secret.ko"
	cp "$FIXTURES/kpatch-fix.ko" "$pub/public.ko"
	chmod 600 "$pub/secret.ko"
	chmod 644 "$pub/public.ko"
	run --separate-stderr as_nobody "$KPATCH" info "$pub/public.ko"
	[ "$status" -eq 0 ]
	run --separate-stderr as_nobody "$KPATCH" info "$pub/secret.ko"
	fails_with 1 "cannot open $pub/secret.ko: Permission denied"
}

@test "info on a directory" {
	run --separate-stderr "$KPATCH" info "$BATS_TEST_TMPDIR"
	fails_with 1 "$BATS_TEST_TMPDIR is not a regular file"
}

@test "info on a file that is not ELF" {
	run --separate-stderr "$KPATCH" info "$FIXTURES/not-elf.ko"
	fails_with 1 "$FIXTURES/not-elf.ko is not an ELF file"
}

@test "info on an ELF object that is not a kernel module" {
	run --separate-stderr "$KPATCH" info "$FIXTURES/not-a-module.ko"
	fails_with 1 "$FIXTURES/not-a-module.ko is not a kernel module"
}

@test "info on an ELF executable" {
	run --separate-stderr "$KPATCH" info "$KPATCH_BIN"
	fails_with 1 "is not a kernel module (not an x86-64 relocatable object)"
}

@test "info on a truncated module" {
	run --separate-stderr "$KPATCH" info "$FIXTURES/truncated.ko"
	fails_with 1 "$FIXTURES/truncated.ko is truncated"
}

@test "info on a kernel module that is not a kpatch patch module" {
	run --separate-stderr "$KPATCH" info "$FIXTURES/plain-module.ko"
	fails_with 1 "$FIXTURES/plain-module.ko is a kernel module but not a kpatch patch module" "kpatch_abi"
}

@test "info NAME takes the module installed for the running kernel" {
	fake_root
	dir=$root/var/lib/kpatch/$release
	mkdir -p "$dir"
	cp "$FIXTURES/kpatch-fix.ko" "$dir/"
	for name in kpatch-fix kpatch_fix; do
		run --separate-stderr "$KPATCH" info "$name"
		[ "$status" -eq 0 ]
		[ "${lines[0]}" = "file:         $dir/kpatch-fix.ko" ]
		[ "${lines[1]}" = "name:         kpatch_fix" ]
	done
	run --separate-stderr "$KPATCH" info kpatch-nothing
	fails_with 1 "kpatch-nothing is neither a module file nor a patch module installed for kernel $release"
}

#!/usr/bin/env bats
# run-vm: argument handling and set-up errors (no VM is booted here).

setup() {
	RUN_VM="$BATS_TEST_DIRNAME/../vm/run-vm"
	scratch=$(mktemp -d)
	printf '#!/bin/sh\nexit 0\n' > "$scratch/t.sh"
	mkdir -p "$scratch/fake-kernel"
}

teardown() {
	rm -rf "$scratch"
}

@test "no test script is a usage error" {
	run "$RUN_VM" -k "$scratch/fake-kernel"
	[ "$status" -eq 2 ]
	[[ "$output" == *"no test script given"* ]]
}

@test "an unknown option is named" {
	run "$RUN_VM" --frobnicate "$scratch/t.sh"
	[ "$status" -eq 2 ]
	[[ "$output" == *"unknown option '--frobnicate'"* ]]
}

@test "a missing test script is named" {
	run "$RUN_VM" -k "$scratch/fake-kernel" "$scratch/nope.sh"
	[ "$status" -eq 2 ]
	[[ "$output" == *"test script '$scratch/nope.sh' does not exist"* ]]
}

@test "a payload that is not a directory is named" {
	run "$RUN_VM" -k "$scratch/fake-kernel" -p "$scratch/missing" "$scratch/t.sh"
	[ "$status" -eq 2 ]
	[[ "$output" == *"payload '$scratch/missing' is not a directory"* ]]
}

@test "a timeout that is not a number is refused" {
	run "$RUN_VM" -k "$scratch/fake-kernel" -t soon "$scratch/t.sh"
	[ "$status" -eq 2 ]
	[[ "$output" == *"timeout must be a whole number of seconds, not 'soon'"* ]]
}

@test "an option missing its value is named" {
	run "$RUN_VM" "$scratch/t.sh" --payload
	[ "$status" -eq 2 ]
	[[ "$output" == *"--payload needs a directory"* ]]
}

@test "a kernel tree without an image says how to build one" {
	run "$RUN_VM" -k "$scratch/fake-kernel" "$scratch/t.sh"
	[ "$status" -eq 2 ]
	[[ "$output" == *"no kernel image at $scratch/fake-kernel/arch/x86/boot/bzImage"* ]]
	[[ "$output" == *"make test-kernel"* ]]
}

@test "no cached kernel at all says how to build one" {
	KPATCH_TEST_CACHE="$scratch/empty-cache" run "$RUN_VM" "$scratch/t.sh"
	[ "$status" -eq 2 ]
	[[ "$output" == *"no test kernel is built; build it with 'make test-kernel'"* ]]
}

@test "missing qemu is named with its package" {
	mkdir -p "$scratch/fake-kernel/arch/x86/boot" "$scratch/bin"
	touch "$scratch/fake-kernel/arch/x86/boot/bzImage"
	for tool in dirname basename mktemp; do ln -s "$(command -v $tool)" "$scratch/bin/"; done
	PATH="$scratch/bin" run /bin/bash "$RUN_VM" -k "$scratch/fake-kernel" "$scratch/t.sh"
	[ "$status" -eq 2 ]
	[[ "$output" == *"qemu-system-x86_64 is missing; install qemu-system-x86"* ]]
}

@test "--help shows the usage" {
	run "$RUN_VM" --help
	[ "$status" -eq 0 ]
	[[ "$output" == *"Usage: run-vm [options] TEST..."* ]]
}

@test "a set-up error records every test it kept from running as failed" {
	run "$RUN_VM" -k "$scratch/fake-kernel" -r "$scratch/results" "$scratch/t.sh" "$scratch/t.sh"
	[ "$status" -eq 2 ]
	[ "$(grep -c "^FAIL t.sh: not run: no kernel image at $scratch/fake-kernel/arch/x86/boot/bzImage" "$scratch/results")" -eq 2 ]
}

@test "an image without a tree to read its taint flags from is refused before the boot" {
	touch "$scratch/vmlinuz"
	KPATCH_TEST_CACHE="$scratch/empty-cache" run "$RUN_VM" -i "$scratch/vmlinuz" -r "$scratch/results" "$scratch/t.sh"
	[ "$status" -eq 2 ]
	[[ "$output" == *"--image needs -k: a tree or headers of that kernel"* ]]
	grep -q '^FAIL t.sh: not run: --image needs -k' "$scratch/results"
}

#!/usr/bin/env bats
# run-vm against the real test kernel: crashes, warnings and hangs are
# failures, with the console log kept, and a crash never passes a later test.
# Needs KERNEL_TREE and PAYLOAD (see test/suites/vm-foundation).

setup() {
	RUN_VM="$BATS_TEST_DIRNAME/../vm/run-vm"
	NEG="$BATS_TEST_DIRNAME/negative"
	logs=$(mktemp -d)
}

teardown() {
	rm -rf "$logs"
}

@test "a module that oopses on load fails its test and every later one" {
	run "$RUN_VM" -k "$KERNEL_TREE" -p "$PAYLOAD" -l "$logs" "$NEG/crash.sh" "$NEG/true.sh"
	[ "$status" -eq 1 ]
	[[ "$output" == *"FAIL crash.sh: did not finish (the kernel died during it)"* ]]
	[[ "$output" == *"FAIL true.sh: never started"* ]]
	[[ "$output" == *"console log kept at $logs/console.log"* ]]
	grep -q 'BUG: kernel NULL pointer dereference' "$logs/console.log"
	if grep -q 'still alive after the oops' "$logs/console.log"; then
		echo "the script went on after the oops"; return 1
	fi
}

@test "a WARN fails the test that caused it, not the one before" {
	run "$RUN_VM" -k "$KERNEL_TREE" -p "$PAYLOAD" -l "$logs" "$NEG/true.sh" "$NEG/warn.sh"
	[ "$status" -eq 1 ]
	[[ "$output" == *"PASS true.sh"* ]]
	[[ "$output" == *"FAIL warn.sh: kernel splat: "*"WARNING:"* ]]
	grep -q 'kpatch test fixture warning' "$logs/console.log"
}

@test "a test that never ends is stopped by the timeout" {
	run "$RUN_VM" -k "$KERNEL_TREE" -p "$PAYLOAD" -l "$logs" -t 30 "$NEG/hang.sh"
	[ "$status" -eq 1 ]
	[[ "$output" == *"FAIL hang.sh: timed out after 30s"* ]]
}

@test "a test that taints the kernel fails, naming the flag" {
	run "$RUN_VM" -k "$KERNEL_TREE" -p "$PAYLOAD" -l "$logs" "$NEG/true.sh" "$NEG/taint.sh"
	[ "$status" -eq 1 ]
	[[ "$output" == *"PASS true.sh"* ]]
	[[ "$output" == *"FAIL taint.sh: tainted the kernel: TAINT_WARN (mask 512)"* ]]
}

#!/usr/bin/env bats
# run-vm against the real test kernel: crashes, warnings, hangs, RCU
# stalls, lockdep and KFENCE reports are failures, with the console log
# kept, and a crash never passes a later test; a taint after the tests or
# a VM that does not power off fails them all.  Needs KERNEL_TREE and
# PAYLOAD, and for lockdep and KFENCE DEBUG_TREE and DEBUG_PAYLOAD (the
# debug kernel's; empty: skipped) (see test/suites/vm-foundation).

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

@test "the guest runs on every CPU asked for" {
	run "$RUN_VM" -k "$KERNEL_TREE" -p "$PAYLOAD" -l "$logs" -c 3 "$NEG/cpus.sh"
	[ "$status" -eq 0 ]
	[[ "$output" == *"PASS cpus.sh"* ]]
	grep -q 'cpus-online=0-2' "$logs/console.log"
}

@test "a guest that brings up fewer CPUs than asked for fails every test" {
	run "$RUN_VM" -k "$KERNEL_TREE" -p "$PAYLOAD" -l "$logs" -c 2 -a maxcpus=1 "$NEG/true.sh"
	[ "$status" -eq 1 ]
	[[ "$output" == *"FAIL true.sh: the guest brought up 1 of the 2 CPUs asked for"* ]]
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

@test "an RCU stall fails the test, though it taints nothing" {
	run "$RUN_VM" -k "$KERNEL_TREE" -p "$PAYLOAD" -l "$logs" -a "preempt=full rcupdate.rcu_cpu_stall_timeout=3" \
		"$NEG/true.sh" "$NEG/rcu-stall.sh"
	[ "$status" -eq 1 ]
	[[ "$output" == *"PASS true.sh"* ]]
	[[ "$output" == *"FAIL rcu-stall.sh: kernel splat: "*"rcu_preempt detected stalls"* ]]
}

@test "a lockdep report fails the test" {
	[ -n "$DEBUG_TREE" ] || skip "no debug kernel on $KPATCH_TEST_SERIES (test/README.md)"
	run "$RUN_VM" -k "$DEBUG_TREE" -p "$DEBUG_PAYLOAD" -l "$logs" "$NEG/true.sh" "$NEG/lockdep.sh"
	[ "$status" -eq 1 ]
	[[ "$output" == *"PASS true.sh"* ]]
	[[ "$output" == *"FAIL lockdep.sh: kernel splat: "*"possible circular locking dependency"* ]]
}

@test "a KFENCE report fails the test" {
	[ -n "$DEBUG_TREE" ] || skip "no debug kernel on $KPATCH_TEST_SERIES (test/README.md)"
	run "$RUN_VM" -k "$DEBUG_TREE" -p "$DEBUG_PAYLOAD" -l "$logs" "$NEG/true.sh" "$NEG/kfence.sh"
	[ "$status" -eq 1 ]
	[[ "$output" == *"PASS true.sh"* ]]
	[[ "$output" == *"FAIL kfence.sh: kernel splat: "*"BUG: KFENCE: use-after-free read"* ]]
}

@test "a taint after the last test fails every test" {
	run "$RUN_VM" -k "$KERNEL_TREE" -p "$PAYLOAD" -l "$logs" "$NEG/true.sh" "$NEG/late-taint.sh"
	[ "$status" -eq 1 ]
	[[ "$output" == *"FAIL true.sh: tainted the kernel outside any test: TAINT_WARN (mask 512)"* ]]
	[[ "$output" == *"FAIL late-taint.sh: tainted the kernel outside any test: TAINT_WARN (mask 512)"* ]]
}

@test "a VM that does not power off after its tests fails every test" {
	run "$RUN_VM" -k "$KERNEL_TREE" -p "$PAYLOAD" -l "$logs" -t 60 "$NEG/true.sh" "$NEG/hang-at-reboot.sh"
	[ "$status" -eq 1 ]
	[[ "$output" == *"FAIL true.sh: the VM did not power off after its tests (timed out after 60s)"* ]]
	[[ "$output" == *"FAIL hang-at-reboot.sh: the VM did not power off after its tests"* ]]
}

@test "a SLUB report fails the test" {
	[ -n "$DEBUG_TREE" ] || skip "no debug kernel on $KPATCH_TEST_SERIES (test/README.md)"
	run "$RUN_VM" -k "$DEBUG_TREE" -p "$DEBUG_PAYLOAD" -l "$logs" "$NEG/true.sh" "$NEG/slub.sh"
	[ "$status" -eq 1 ]
	[[ "$output" == *"PASS true.sh"* ]]
	[[ "$output" == *"FAIL slub.sh: kernel splat: "*"BUG slub_fixture ("*"): Poison overwritten"* ]]
}

#!/usr/bin/env bats
# The plumbing of make check (run-bats, run-suite, summarize) on broken
# input: whatever dies or goes unreported counts as a failure.

setup() {
	TEST_DIR=$BATS_TEST_DIRNAME/..
	NEG=$BATS_TEST_DIRNAME/negative
	export KPATCH_RESULTS=$BATS_TEST_TMPDIR/results
	: > "$KPATCH_RESULTS"
}

@test "run-bats: a test killed mid-file fails, and the tests around it count" {
	run "$TEST_DIR/run-bats" "$NEG/bats/killed.bats"
	[ "$status" -eq 0 ]
	[ "$(grep -c '^PASS killed: ' "$KPATCH_RESULTS")" -eq 2 ]
	grep -qx 'FAIL killed: test 2 of 3 never reported (bats exit status 1)' "$KPATCH_RESULTS"
	[ "$(grep -c '^FAIL' "$KPATCH_RESULTS")" -eq 1 ]
}

@test "run-bats: bats failing after every test passed is a failure" {
	run "$TEST_DIR/run-bats" "$NEG/bats/teardown-killed.bats"
	grep -qx 'PASS teardown-killed: passes' "$KPATCH_RESULTS"
	grep -qx 'FAIL teardown-killed: bats exited with status 1, every test passing' "$KPATCH_RESULTS"
}

@test "run-bats: a file bats cannot run at all is a failure" {
	run "$TEST_DIR/run-bats" "$BATS_TEST_TMPDIR/missing.bats"
	grep -q '^FAIL missing: ' "$KPATCH_RESULTS"
}

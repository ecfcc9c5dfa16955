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

# An object of 3000 sections: readelf writes far more than a pipe holds,
# and is still writing when grep finds the early line it looks for.
many_sections() {
	local i
	for ((i = 0; i < 3000; i++)); do
		echo "int f$i(int x) { return x + $i; }"
	done > "$BATS_TEST_TMPDIR/many.c"
	gcc -O2 -ffunction-sections -c -o "$BATS_TEST_TMPDIR/many.o" "$BATS_TEST_TMPDIR/many.c"
}

@test "cdo checks: a negated check fails when what it denies comes early in a long listing" {
	many_sections
	run bash -c 'set -uo pipefail; . "$1"; out=$2
		for check in "no-section .text.f0" "no-section .text.f2999"; do
			why=; check_one "$check"; echo "$check: ${why:-passed}"
		done' _ "$TEST_DIR/cdo/lib/check.sh" "$BATS_TEST_TMPDIR/many.o"
	[ "$status" -eq 0 ]
	[[ "$output" == *"no-section .text.f0: section .text.f0 is present"* ]]
	[[ "$output" == *"no-section .text.f2999: section .text.f2999 is present"* ]]
}

@test "make check: a suite name KPATCH_SUITES_<SERIES> does not know stops it before anything runs" {
	run make -n -C "$TEST_DIR/.." check-integration KPATCH_SERIES=6.12 \
		KPATCH_SUITES_6.12="vm-core vm-cor" RESULTS_DIR="$BATS_TEST_TMPDIR/results-dir"
	[ "$status" -ne 0 ]
	[[ "$output" == *"KPATCH_SUITES_6.12 names vm-cor, which test/suites does not hold"* ]]
	[[ "$output" != *run-suite* ]]
}

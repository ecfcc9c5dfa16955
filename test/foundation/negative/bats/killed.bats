#!/usr/bin/env bats
# Negative fixture (run only by harness.bats): the second test's process is
# killed, as the OOM killer would, before it can report.
@test "before the kill" { true; }
@test "killed" { kill -KILL $$; }
@test "after the kill" { true; }

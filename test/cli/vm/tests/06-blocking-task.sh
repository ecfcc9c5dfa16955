#!/bin/sh
# The core refuses to switch while a task sleeps in the function being
# patched; the user sees the core's reason, naming the task.
. /payload/lib.sh
insmod $M/kpatch-cli-sleeper.ko || fail "cannot load the sleeper module"
cat /proc/kpatch_cli_sleeper > /tmp/sleeper.out &
sleeper=$!
sleep 1
grep -q sleeper_wait /proc/$sleeper/stack 2>/dev/null ||
	echo "# (no /proc/PID/stack to confirm where $sleeper sleeps)"

k load $M/kpatch-cli-s.ko
fails 1 "cannot load kpatch_cli_s: " "pid $sleeper (cat)"
loaded kpatch_cli_s && fail "kpatch_cli_s is loaded"

echo go > /proc/kpatch_cli_sleeper
wait $sleeper
expect_file /tmp/sleeper.out released

k load $M/kpatch-cli-s.ko
succeeds
enabled kpatch_cli_s || fail "kpatch_cli_s is not enabled"
k unload kpatch_cli_s
succeeds
rmmod kpatch_cli_sleeper || fail "cannot remove the sleeper module"

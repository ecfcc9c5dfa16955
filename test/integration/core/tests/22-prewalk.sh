#!/bin/sh
# Test 22: the stack check walks the tasks that are not running before the
# pause and, inside it, only those that ran since (issue 16, the pause with
# many tasks): with 200 sleeping processes most stacks are walked outside
# stop_machine(), and the patch still switches.
# shellcheck source=../lib.sh
. /payload/lib.sh
setup

i=0 sleepers=""
while [ $i -lt 200 ]; do
	sleep 1000 &
	sleepers="$sleepers $!"
	i=$((i + 1))
done
# Let them all reach their sleep.
sleep 2

insmod "$P"/kpf_p1.ko || fail "insmod kpf_p1"
expect_eq "$(cat /proc/cmdline)" "kpf_p1 $ORIG_CMDLINE" "patched /proc/cmdline"
d=$K/kpf_p1
checked=$(cat "$d"/tasks_checked) walks=$(cat "$d"/pause_walks)
[ "$checked" -ge 200 ] || fail "tasks_checked is $checked with 200 sleepers"
# The walks left for the pause: the idle tasks, the tasks that ran between
# the pre-walk and the pause (insmod itself, some kthreads).
{ [ "$walks" -gt 0 ] && [ $((walks * 4)) -lt "$checked" ]; } ||
	fail "$walks of $checked stacks walked inside the pause"
ok "$checked tasks checked, $walks of them walked inside the pause"

echo 0 > "$d"/enabled || fail "disabling kpf_p1"
expect_eq "$(cat /proc/cmdline)" "$ORIG_CMDLINE" "original /proc/cmdline"
walks=$(cat "$d"/pause_walks)
[ $((walks * 4)) -lt "$(cat "$d"/tasks_checked)" ] ||
	fail "disable: $walks of $(cat "$d"/tasks_checked) stacks walked inside the pause"
rmmod kpf_p1 || fail "rmmod kpf_p1"
# shellcheck disable=SC2086 # a list of pids
kill $sleepers
ok "pre-walk"

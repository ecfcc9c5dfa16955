#!/bin/sh
# Test 98 (issue 24): kpatch.ko's exit unregisters a handler ops still
# parked on an anchor (27-handler-keep.sh), before the handler's text goes.
# In the second boot, with 99-direct-stuck.sh: it removes kpatch.ko, which
# a patch pinned in the first boot (04-busy.sh) keeps loaded there.
# shellcheck source=../lib.sh
. /payload/lib.sh
setup
T=/sys/kernel/tracing
keep=/sys/module/kpatch/parameters/handler_keep_ms

nr_anchors() { grep -A1 '^kpatch_anchor_' $T/enabled_functions | grep -c kpatch_ftrace_handler; }
unheld() { [ "$(cat /sys/module/kpatch/refcnt)" = 0 ]; }

echo 0 > /sys/module/kpatch/parameters/direct_calls
echo 60000 > $keep || fail "setting handler_keep_ms"
insmod "$P"/kpf_p1.ko || fail "insmod kpf_p1"
echo 0 > "$K"/kpf_p1/enabled || fail "disabling kpf_p1"
rmmod kpf_p1 || fail "rmmod kpf_p1"
expect_eq "$(nr_anchors)" 1 "parked before rmmod kpatch"
wait_until "nothing holds kpatch.ko" unheld
rmmod kpatch || fail "rmmod kpatch with an ops parked"
expect_eq "$(grep -c '^kpatch_anchor_' $T/enabled_functions)" 0 "anchors in ftrace after rmmod kpatch"
expect_eq "$(cat /proc/cmdline)" "$ORIG_CMDLINE" "the original at the end"

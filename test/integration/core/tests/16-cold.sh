#!/bin/sh
# Test 16 (issue 12, defect 6): a thread asleep in the cold part of a
# function ("f.cold", placed apart from f) blocks the switch, for the old
# function and for a patch's version alike.
# shellcheck source=../lib.sh
. /payload/lib.sh
setup

insmod "$P"/kpf_target.ko || fail "insmod kpf_target"
echo coldsleep > /proc/kpf_target || fail "starting the sleeper"
wait_sleeping
mark
insmod "$P"/kpf_coldp.ko 2>/tmp/err && fail "patched while a thread sleeps in the old function's cold part"
expect_log "kpf_coldp: blocked by pid $pid \(kpf_sleeper\): it is inside kpf_target_coldwait \(kpf_target_coldwait\.cold\+0x"
echo wake > /proc/kpf_target || fail "waking the sleeper"

insmod "$P"/kpf_coldp.ko || fail "insmod kpf_coldp once the thread left: $(cat "$K"/last_error)"
echo coldsleep > /proc/kpf_target || fail "starting the sleeper again"
wait_sleeping
mark
echo 0 2>/tmp/err > "$K"/kpf_coldp/enabled && fail "disabled while a thread sleeps in the replacement's cold part"
expect_log "kpf_coldp: blocked by pid $pid \(kpf_sleeper\): it is inside kpf_target_coldwait \(a patched version\) \(kpf_coldp_wait\.cold\+0x"
echo wake > /proc/kpf_target || fail "waking the sleeper again"
echo 0 > "$K"/kpf_coldp/enabled || fail "disabling kpf_coldp"
rmmod kpf_coldp kpf_target || fail "rmmod"

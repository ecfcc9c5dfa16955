#!/bin/sh
# Test 12 (issue 12, defect 2): disabling a patch checks every function it
# takes away, not only those whose caller-visible version changes.
# kpf_tail replaces the sleeper thread's function and kpf_target_wait(),
# and its thread function reaches its own wait by a sibling call; kpf_mod,
# on top, replaces kpf_target_wait() again.  A thread asleep in kpf_tail's
# wait (under kpf_mod's) must block kpf_tail's disable: its module would
# otherwise be removable while the thread runs its code.
# shellcheck source=../lib.sh
. /payload/lib.sh
setup

insmod "$P"/kpf_target.ko || fail "insmod kpf_target"
insmod "$P"/kpf_tail.ko || fail "insmod kpf_tail"
insmod "$P"/kpf_mod.ko || fail "insmod kpf_mod"
start_sleeper

mark
echo 0 2>/tmp/err > "$K"/kpf_tail/enabled && fail "disabled kpf_tail while a thread sleeps in its kpf_target_wait"
ok "disable refused: $(cat /tmp/err)"
expect_log "kpf_tail: blocked by pid $pid \(kpf_sleeper\): it is inside kpf_target_wait \(a patched version\) \(kpf_tail_wait\+"
expect_eq "$(cat "$K"/kpf_tail/enabled)" 1 "still enabled"

echo wake > /proc/kpf_target || fail "waking the sleeper"
echo 0 > "$K"/kpf_tail/enabled || fail "disabling kpf_tail once the thread left"
echo 0 > "$K"/kpf_mod/enabled || fail "disabling kpf_mod"
rmmod kpf_tail kpf_mod kpf_target || fail "rmmod"

#!/bin/sh
# Test 4: a kthread sleeping in the target function blocks the patch with
# -EBUSY, named in the log; once it leaves, the same load succeeds.  A
# function marked unsafe to check (forced) loads regardless, and its
# module can then never be removed.
# shellcheck source=../lib.sh
. /payload/lib.sh
setup

insmod "$P"/kpf_target.ko || fail "insmod kpf_target"
start_sleeper

mark
insmod "$P"/kpf_mod.ko 2>/tmp/err && fail "patched while a thread sleeps in the target"
grep -q "Device or resource busy" /tmp/err || fail "insmod said: $(cat /tmp/err)"
ok "insmod: $(cat /tmp/err)"
expect_log "kpf_mod: blocked by pid $pid \(kpf_sleeper\): it is inside kpf_target_wait \(kpf_target_wait\+0x[0-9a-f]+/0x[0-9a-f]+ \[kpf_target\]\)"
grep -q "^kpf_mod: .*pid $pid (kpf_sleeper) inside kpf_target_wait$" "$K"/last_error || fail "last_error: $(cat "$K"/last_error)"
[ -d "$K"/kpf_mod ] && fail "a refused patch left its sysfs directory"
loaded kpf_mod && fail "a refused patch module stayed loaded"
expect_eq "$(sed -n 's/value=//p' /proc/kpf_target)" 1 "old behaviour intact"

mark
insmod "$P"/kpf_force.ko || fail "a forced function was refused"
expect_log "kpf_force: kpf_target_wait is marked unsafe to check"
expect_eq "$(cat "$K"/kpf_force/kpf_target/kpf_target_wait,0/forced)" 1 "forced"
expect_eq "$(cat "$K"/kpf_force/pinned)" 1 "a patch with forced functions is pinned"
expect_log "kpf_force: the patch module stays loaded until reboot"
echo 0 > "$K"/kpf_force/enabled || fail "disabling kpf_force"
# The sleeper may be inside the forced replacement: its module must never
# be freed (issue 12, defect 1).
rmmod kpf_force 2>/tmp/err && fail "a patch with forced functions was removed after its disable"
ok "rmmod kpf_force refused: $(cat /tmp/err)"
loaded kpf_force || fail "kpf_force is gone"

echo wake > /proc/kpf_target || fail "waking the sleeper"
insmod "$P"/kpf_mod.ko || fail "the same load after the thread left"
expect_eq "$(sed -n 's/value=//p' /proc/kpf_target)" 2 "patched value"

# Unpatching checks the active replacement: a thread asleep in the new
# kpf_target_wait() blocks the disable, and the patch stays whole.
echo sleep > /proc/kpf_target || fail "starting the sleeper again"
pid=$(sed -n 's/sleeper_pid=//p' /proc/kpf_target)
# Until it sleeps in kpf_mod's version (which does not say so in
# /proc/kpf_target): wchan names where a task sleeps.
i=0
until [ "$(cat /proc/"$pid"/wchan 2>/dev/null)" = kpf_mod_wait ]; do
	i=$((i + 1))
	[ $i -lt 100 ] || fail "the sleeper never slept in kpf_mod_wait (wchan: $(cat /proc/"$pid"/wchan 2>&1))"
	sleep 0.1
done
mark
echo 0 2>/tmp/err > "$K"/kpf_mod/enabled && fail "disabled while a thread sleeps in the replacement"
expect_log "kpf_mod: blocked by pid $pid \(kpf_sleeper\): it is inside kpf_target_wait \(a patched version\)"
expect_eq "$(cat "$K"/kpf_mod/enabled)" 1 "enabled after a refused disable"
expect_eq "$(sed -n 's/value=//p' /proc/kpf_target)" 2 "patched value after a refused disable"
echo wake > /proc/kpf_target || fail "waking the sleeper again"

echo 0 > "$K"/kpf_mod/enabled || fail "disabling kpf_mod"
rmmod kpf_mod kpf_target || fail "rmmod"

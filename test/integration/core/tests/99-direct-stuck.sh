#!/bin/sh
# Test 99 (issue 24 item 5): a direct call ftrace will not let go of.  The
# test-only debugfs file fail_direct_unregister makes every unregistration
# of a direct call fail, as ftrace's would once it is dead.  The core must
# keep the direct call and its slot, with calls running the original, and
# kpatch.ko itself: `rmmod kpatch` is refused, since the slot's text is
# still reachable, and the kernel log says why, once.  It leaves kpatch.ko
# loaded until reboot, so vm-core runs it in a boot of its own, where
# nothing else holds kpatch.ko (04-busy pins a patch, and with it
# kpatch.ko); in a shared boot it counts the references.
# shellcheck source=../lib.sh
. /payload/lib.sh
setup
T=/sys/kernel/tracing
F=$K/kpf_p1/vmlinux/cmdline_proc_show,0/redirect
knob=/sys/kernel/debug/kpatch/fail_direct_unregister
new="kpf_p1 $ORIG_CMDLINE"
why="cannot unregister the direct call of a function at cmdline_proc_show"

site() { grep -A1 '^cmdline_proc_show ' $T/enabled_functions; }
redirect_is() { [ "$(cat "$F")" = "$1" ]; }
said() { since_mark | grep -c "$why"; }
said_once() { [ "$(said)" -ge 1 ]; }
no_direct_call() { ! grep -q 'direct-->kpatch_slots' $T/enabled_functions; }

[ -e $knob ] || fail "no $knob"
echo 0 > /sys/module/kpatch/parameters/direct_keep_ms || fail "setting direct_keep_ms"
wait_until "no direct call of an earlier test is left" no_direct_call
refs=$(cat /sys/module/kpatch/refcnt)
insmod "$P"/kpf_p1.ko || fail "insmod kpf_p1"
wait_until "cmdline_proc_show moves to its direct call" redirect_is direct
expect_eq "$(cat /proc/cmdline)" "$new" "patched through the direct call"

echo Y > $knob || fail "turning $knob on"
mark
echo 0 > "$K"/kpf_p1/enabled || fail "disabling kpf_p1"
rmmod kpf_p1 || fail "rmmod kpf_p1"
wait_until "the core says it keeps the direct call" said_once
for n in 1 2 3; do
	expect_eq "$(cat /proc/cmdline)" "$ORIG_CMDLINE" "the original through the kept slot ($n)"
done
site | grep -q 'direct-->kpatch_slots' || fail "the direct call left the site: $(site)"
ok "ftrace still shows it: $(site)"

expect_eq "$(cat /sys/module/kpatch/refcnt)" $((refs + 1)) "kpatch.ko's references, its own on itself included"
rmmod kpatch 2>/tmp/rmmod.err && fail "rmmod kpatch succeeded with a direct call registered"
ok "rmmod kpatch refused: $(cat /tmp/rmmod.err)"
loaded kpatch || fail "kpatch.ko is gone"

# The function can still be patched: the handler arms it beside the kept
# direct call, which defers to it; nothing is said again.
insmod "$P"/kpf_p1.ko || fail "insmod kpf_p1 beside the kept direct call"
expect_eq "$(cat /proc/cmdline)" "$new" "patched through the handler"
echo 0 > "$K"/kpf_p1/enabled || fail "disabling kpf_p1"
rmmod kpf_p1 || fail "rmmod kpf_p1"
expect_eq "$(cat /proc/cmdline)" "$ORIG_CMDLINE" "the original again"
sleep 1
rmmod kpatch 2>/dev/null && fail "rmmod kpatch succeeded the second time"
ok "rmmod kpatch refused again"
expect_eq "$(said)" 1 "times the kernel log says why"
expect_no_log "WARNING|BUG"
echo N > $knob

#!/bin/sh
# KPATCH_FORCE_UNSAFE: a reader sleeps in fifo_open (waiting for a
# writer); the forced patch loads anyway, the core logs the forced
# function, sysfs shows it forced, and new FIFO opens run the patched
# fifo_open (KPATCH_PRINTK); unload disables it but the module stays
# (pinned until reboot).  05-force-control shows the same thread
# blocks the same change when it is not forced.
# shellcheck source=../../lib.sh
. /payload/lib.sh
P=force
opens() { count_log 'kpatch-force: fifo_open by'; }
fifo_sleeper /tmp/kf1
[ "$(opens)" = 0 ] || fail "patched before loading"
load $P
dmesg | grep -q "$(modname $P): fifo_open is marked unsafe to check" ||
	fail "the core did not log the forced function"
f=$(ls -d "/sys/kernel/kpatch/$(modname $P)/vmlinux/fifo_open,"*)
[ "$(cat "$f/forced")" = 1 ] || fail "fifo_open is not forced in sysfs"
[ "$(cat "$f/active")" = 1 ] || fail "fifo_open is not active"
kill -0 "$sleeper" || fail "the sleeping reader is gone"
# a new FIFO, opened by both ends while patched
rm -f /tmp/kf2; mkfifo /tmp/kf2
cat /tmp/kf2 > /tmp/kf2.out & r=$!
echo two > /tmp/kf2; wait $r
[ "$(cat /tmp/kf2.out)" = two ] || fail "the FIFO does not work while patched"
n=$(opens); echo "patched opens logged: $n"
[ "$n" -ge 2 ] || fail "the patched fifo_open did not run for both ends ($n)"
# wake the old reader: it finishes the old fifo_open it slept in
echo one > /tmp/kf1; wait "$sleeper"
[ "$(cat /tmp/kf1.out)" = one ] || fail "the reader that slept in fifo_open got '$(cat /tmp/kf1.out)'"
# A forced function was switched without a stack check, so a task may
# still run the patch's code: unload disables the patch but keeps its
# module until reboot, and says so (as kpatch's and livepatch's cores do).
note "kpatch unload $(modname $P) (must disable it and keep the module)"
if kpatch unload "$(modname $P)" 2> /tmp/unload.err; then
	fail "the module of a forced patch was removed"
fi
cat /tmp/unload.err
grep -q "stays loaded until reboot" /tmp/unload.err || fail "unload did not say why the module stays"
[ "$(cat "/sys/kernel/kpatch/$(modname $P)/enabled")" = 0 ] || fail "the forced patch is still enabled"
lsmod | grep -q "^$(modname $P) " || fail "the pinned module is gone"
n=$(opens)
echo three > /tmp/kf1 & w=$!; cat /tmp/kf1 >/dev/null; wait $w
[ "$(opens)" = "$n" ] || fail "fifo_open still patched after the patch was disabled"
note ok

#!/bin/sh
# The control of 04-force: the same change without KPATCH_FORCE_UNSAFE is
# refused while a thread sleeps in fifo_open, naming that thread; once it
# has left, the same module loads.
# shellcheck source=../../lib.sh
. /payload/lib.sh
P=force-control
opens() { count_log 'kpatch-force-control: fifo_open by'; }
fifo_sleeper /tmp/kc1
note "kpatch load kpatch-$P.ko (must be refused: pid $sleeper sleeps in fifo_open)"
kpatch load "$MODDIR/kpatch-$P.ko" && fail "an unforced fifo_open was patched while a thread sleeps in it"
echo "last_error: $(cat /sys/kernel/kpatch/last_error)"
grep -q "pid $sleeper (cat) inside fifo_open$" /sys/kernel/kpatch/last_error || fail "last_error does not name pid $sleeper inside fifo_open"
lsmod | grep -q "^$(modname $P) " && fail "the refused patch module stayed loaded"
echo one > /tmp/kc1; wait "$sleeper"
[ "$(cat /tmp/kc1.out)" = one ] || fail "the reader got '$(cat /tmp/kc1.out)'"
load $P
echo two > /tmp/kc1 & w=$!; cat /tmp/kc1 >/dev/null; wait $w
[ "$(opens)" -ge 2 ] || fail "the patched fifo_open did not run"
unload $P
note ok

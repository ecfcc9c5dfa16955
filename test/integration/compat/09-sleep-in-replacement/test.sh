#!/bin/sh
# A task sleeping inside a replacement function (kpatch-force-control's
# fifo_open, built by 05-force-control) must have a reliable stack: the
# unload is refused because the task is inside fifo_open, named as such,
# not because its stack cannot be walked (which would block every later
# transition of every patch too).  Once it has left, the unload succeeds.
# The replacement needs ORC data in the patch module for this.
# shellcheck source=../../lib.sh
. /payload/lib.sh
P=force-control
load $P
fifo_sleeper /tmp/ks1
note "kpatch unload kpatch-$P (must be refused: pid $sleeper sleeps in the patched fifo_open)"
kpatch unload "kpatch-$P" && unloaded=1 || unloaded=0
why=$(dmesg | grep "blocked by pid $sleeper " | tail -n 1)
echo "$why"
# wake the reader before judging, so that nothing stays patched
echo one > /tmp/ks1; wait "$sleeper"
[ "$unloaded" = 0 ] || fail "unpatched fifo_open while a task sleeps in its replacement"
echo "$why" | grep -q "blocked by pid $sleeper (cat): it is inside fifo_open" ||
	fail "the sleeping task was not found inside fifo_open: $why"
[ "$(cat /tmp/ks1.out)" = one ] || fail "the reader got '$(cat /tmp/ks1.out)'"
unload $P
note ok

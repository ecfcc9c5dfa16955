#!/bin/sh
# The core refuses to switch while a task sleeps in the function being
# patched; the user sees the core's reason, naming the task; load --wait
# tries again until the task has left.
# shellcheck source=../lib.sh
. /payload/lib.sh
insmod "$M/kpatch-cli-sleeper.ko" || fail "cannot load the sleeper module"
cat /proc/kpatch_cli_sleeper > /tmp/sleeper.out &
sleeper=$!
# Until it sleeps in sleeper_wait (wchan: where a task sleeps, past the
# scheduler's own functions).
i=0
until [ "$(cat /proc/$sleeper/wchan 2>/dev/null)" = sleeper_wait ]; do
	i=$((i + 1))
	[ $i -lt 100 ] || fail "the reader $sleeper never slept in sleeper_wait (wchan: $(cat /proc/$sleeper/wchan 2>&1))"
	sleep 0.1
done

k load "$M/kpatch-cli-s.ko"
[ "$rc" = 1 ] || fail "status $rc, expected 1"
[ -z "$out" ] || fail "unexpected output"
# The core's reason (last_error), then its log of each blocking task.
first=$(sed -n 1p /tmp/k.err)
case "$first" in
"kpatch: cannot load kpatch_cli_s: "*"pid $sleeper (cat)"*) ;;
*) fail "the first line is not the core's reason naming the task" ;;
esac
grep -q "^kpatch: kpatch_cli_s: blocked by pid $sleeper (cat): it is inside sleeper_wait" /tmp/k.err ||
	fail "the function the task is in is not named"
loaded kpatch_cli_s && fail "kpatch_cli_s is loaded"

# load --wait tries again while the task sleeps there, says once which
# task blocks it, and loads once it is released (3 s from now).
(sleep 3; echo go > /proc/kpatch_cli_sleeper) &
k load --wait 60 "$M/kpatch-cli-s.ko"
succeeds
[ "$(grep -c 'is blocked' /tmp/k.out)" = 1 ] || fail "the block is not said exactly once"
grep -q "^kpatch_cli_s is blocked (.*pid $sleeper (cat).*); trying again for up to 60 s$" /tmp/k.out ||
	fail "the blocking task is not named"
has_line "loaded kpatch_cli_s"
wait $sleeper
expect_file /tmp/sleeper.out released
enabled kpatch_cli_s || fail "kpatch_cli_s is not enabled"
k unload kpatch_cli_s
succeeds
rmmod kpatch_cli_sleeper || fail "cannot remove the sleeper module"

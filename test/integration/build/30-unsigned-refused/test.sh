#!/bin/sh
# Booted with module.sig_enforce=1: a module built with --no-sign is refused
# with a message that says why and what to do, and /proc/meminfo stays.
# shellcheck source=../../lib.sh
. /payload/lib.sh
[ "$(cat /sys/module/module/parameters/sig_enforce)" = Y ] || fail "module signatures are not enforced"
[ "$(tail -c 28 "$MODDIR/kpatch-unsigned-refused.ko")" != "~Module signature appended~" ] ||
	fail "kpatch-build signed the module despite --no-sign"
if kpatch load "$MODDIR/kpatch-unsigned-refused.ko" 2> /tmp/err; then
	fail "an unsigned module loaded under enforced signatures"
fi
cat /tmp/err
grep -q "the kernel enforces module signatures and the module is not signed" /tmp/err ||
	fail "the refusal does not say the module is unsigned"
grep -q '^VmallocChunk:' /proc/meminfo || fail "/proc/meminfo changed"
lsmod | grep -q '^kpatch_unsigned_refused ' && fail "the module is loaded"
note ok

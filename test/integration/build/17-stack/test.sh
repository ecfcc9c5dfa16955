#!/bin/sh
# Stacking: kpatch-stack is built with -R (non-replace), so it adds to the
# loaded kpatch-proc-version instead of replacing it.
# shellcheck source=../../lib.sh
. /payload/lib.sh
load proc-version
load stack
grep -q "live patched by kpatch" /proc/version || fail "proc-version was replaced"
grep -q '^VMALLOCUSED:' /proc/meminfo || fail "stack is not live"
[ "$(cat "/sys/kernel/kpatch/$(modname stack)/replace")" = 0 ] || fail "stack says it replaces"
unload stack
grep -q '^VMALLOCUSED:' /proc/meminfo && fail "stack still live"
grep -q "live patched by kpatch" /proc/version || fail "unloading stack undid proc-version"
unload proc-version
note ok

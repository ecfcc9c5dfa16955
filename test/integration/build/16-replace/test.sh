#!/bin/sh
# Atomic replace: kpatch-proc-version then kpatch-cmdline-string, both built
# replacing (the default): loading the second removes the first.
. /payload/lib.sh
load proc-version
grep -q "live patched by kpatch" /proc/version || fail "proc-version not live"
load cmdline-string
grep -q ' kpatch_cmdline=1$' /proc/cmdline || fail "cmdline-string not live"
grep -q "live patched by kpatch" /proc/version && fail "proc-version still live after the replace"
is_loaded proc-version && fail "proc-version still enabled after the replace"
lsmod | grep -q "^$(modname proc-version) " && fail "proc-version's module is still loaded"
unload cmdline-string
grep -q 'kpatch_cmdline' /proc/cmdline && fail "cmdline still patched"
note ok

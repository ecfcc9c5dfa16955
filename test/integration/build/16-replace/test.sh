#!/bin/sh
# Atomic replace: kpatch-proc-version then kpatch-cmdline-string, both built
# replacing (the default): loading the second disables the first (its
# module may stay loaded, disabled, until it is unloaded).
# shellcheck source=../../lib.sh
. /payload/lib.sh
load proc-version
grep -q "live patched by kpatch" /proc/version || fail "proc-version not live"
load cmdline-string
grep -q ' kpatch_cmdline=1$' /proc/cmdline || fail "cmdline-string not live"
grep -q "live patched by kpatch" /proc/version && fail "proc-version still live after the replace"
is_loaded proc-version && fail "proc-version still enabled after the replace"
if lsmod | grep -q "^$(modname proc-version) "; then
	unload proc-version
fi
is_loaded cmdline-string || fail "unloading the replaced module disabled the new one"
grep -q ' kpatch_cmdline=1$' /proc/cmdline || fail "cmdline-string no longer live"
unload cmdline-string
grep -q 'kpatch_cmdline' /proc/cmdline && fail "cmdline still patched"
note ok

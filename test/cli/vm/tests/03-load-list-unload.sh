#!/bin/sh
# load brings the core module in first, the patch takes effect, list shows
# it with its function, unload takes it out again.
# shellcheck source=../lib.sh
. /payload/lib.sh
cmdline=$(cat /proc/cmdline)
# A module made with the real template reads as its source says.
k info "$M/kpatch-cli-a.ko"
succeeds
has_line "name:         kpatch_cli_a"
has_line "kernel:       $release"
has_line "replaces:     no"
has_line "functions:    1"
has_line "    cmdline_proc_show (vmlinux)"
k info "$M/kpatch-cli-r.ko"
has_line "replaces:     yes (all other patches)"

k load "$M/kpatch-cli-a.ko"
succeeds
has_line "loaded kpatch_cli_a"
loaded kpatch ||  fail "the core module is not loaded"
loaded kpatch_cli_a || fail "kpatch_cli_a is not loaded"
enabled kpatch_cli_a || fail "kpatch_cli_a is not enabled"
expect_file /proc/cmdline kpatch-cli-a

k list
succeeds
[ "$out" = "Loaded patch modules:
kpatch_cli_a [enabled]
    cmdline_proc_show (vmlinux)

Installed patch modules:" ] || fail "unexpected list output"

k load "$M/kpatch-cli-a.ko"
succeeds
[ "$out" = "kpatch_cli_a is already loaded and enabled" ] || fail "loading it again did not say it is loaded"

k unload kpatch-cli-a
succeeds
has_line "unloaded kpatch_cli_a"
loaded kpatch_cli_a && fail "kpatch_cli_a is still loaded"
expect_file /proc/cmdline "$cmdline"

k unload "$M/kpatch-cli-a.ko"
fails 1 "kpatch_cli_a is not loaded"
k unload kpatch
fails 1 "kpatch is loaded but is not a kpatch patch module"
loaded kpatch || fail "the core module was removed"

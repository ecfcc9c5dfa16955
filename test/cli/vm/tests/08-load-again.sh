#!/bin/sh
# Loading a patch that is loaded already succeeds, as scripts written for
# kpatch expect: left alone when enabled, enabled again (as the newest)
# when a replacing patch disabled it; by file or by name.
# shellcheck source=../lib.sh
. /payload/lib.sh
cmdline=$(cat /proc/cmdline)
k load "$M/kpatch-cli-a.ko"
succeeds
k load "$M/kpatch-cli-r.ko"
succeeds
[ "$out" = "loaded kpatch_cli_r, replacing kpatch_cli_a" ] || fail "the replaced patch is not named"
enabled kpatch_cli_a && fail "kpatch_cli_a is still enabled"
expect_file /proc/cmdline kpatch-cli-r

k load kpatch_cli_a
succeeds
[ "$out" = "enabled kpatch_cli_a again" ] || fail "kpatch_cli_a was not enabled again"
enabled kpatch_cli_a || fail "kpatch_cli_a is not enabled"
expect_file /proc/cmdline kpatch-cli-a

k load "$M/kpatch-cli-a.ko"
succeeds
[ "$out" = "kpatch_cli_a is already loaded and enabled" ] || fail "loading it again changed something"

k unload kpatch_cli_a
succeeds
expect_file /proc/cmdline kpatch-cli-r
k unload kpatch_cli_r
succeeds
expect_file /proc/cmdline "$cmdline"

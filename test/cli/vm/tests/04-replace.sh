#!/bin/sh
# replace switches from every loaded patch to one cumulative patch and
# removes the modules it replaced; unload --all goes newest first.
# shellcheck source=../lib.sh
. /payload/lib.sh
cmdline=$(cat /proc/cmdline)
version=$(cat /proc/version)
k load "$M/kpatch-cli-a.ko"
succeeds
k load "$M/kpatch-cli-b.ko"
succeeds
expect_file /proc/version kpatch-cli-b

k replace "$M/kpatch-cli-b.ko"
fails 1 "kpatch-cli-b.ko does not replace other patches"

k replace "$M/kpatch-cli-r.ko"
succeeds
has_line "loaded kpatch_cli_r, replacing kpatch_cli_a, kpatch_cli_b"
has_line "unloaded kpatch_cli_a"
has_line "unloaded kpatch_cli_b"
loaded kpatch_cli_a && fail "kpatch_cli_a is still loaded"
loaded kpatch_cli_b && fail "kpatch_cli_b is still loaded"
enabled kpatch_cli_r || fail "kpatch_cli_r is not enabled"
expect_file /proc/cmdline kpatch-cli-r
expect_file /proc/version "$version"

k unload --all
succeeds
expect_file /proc/cmdline "$cmdline"

k load "$M/kpatch-cli-a.ko"
k load "$M/kpatch-cli-b.ko"
k unload --all
succeeds
[ "$out" = "unloaded kpatch_cli_b
unloaded kpatch_cli_a" ] || fail "unload --all did not go newest first"
expect_file /proc/cmdline "$cmdline"
expect_file /proc/version "$version"

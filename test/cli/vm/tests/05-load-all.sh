#!/bin/sh
# What kpatch.service runs at boot: every installed module is loaded, and a
# bad one is reported without keeping the others out.
# shellcheck source=../lib.sh
. /payload/lib.sh
cmdline=$(cat /proc/cmdline)
k install "$M/kpatch-cli-a.ko"
succeeds
k install "$M/kpatch-cli-b.ko"
succeeds
# Installed by hand for this release, built for another: refused at boot.
cp "$M/kpatch-fix-other-release.ko" "/var/lib/kpatch/$release/kpatch-bad.ko"

k load --all
[ "$rc" = 1 ] || fail "status $rc, expected 1"
[ "$(wc -l < /tmp/k.err)" -eq 1 ] || fail "expected one line on stderr"
case "$err" in *"kpatch-bad.ko is built for kernel 6.1.0-other-kpatch-test"*) ;; *) fail "the bad module is not named" ;; esac
has_line "loaded kpatch_cli_a"
has_line "loaded kpatch_cli_b"
has_line "enabled live patches: kpatch_cli_a, kpatch_cli_b"
enabled kpatch_cli_a || fail "kpatch_cli_a is not enabled"
enabled kpatch_cli_b || fail "kpatch_cli_b is not enabled"
expect_file /proc/cmdline kpatch-cli-a

k list
succeeds
has_line "kpatch_cli_a [enabled]"
has_line "kpatch_cli_b [enabled]"
has_line "kpatch_bad ($release)"
has_line "kpatch_cli_a ($release)"

rm "/var/lib/kpatch/$release/kpatch-bad.ko"
k load --all
succeeds
has_line "kpatch_cli_a is already loaded and enabled"
has_line "enabled live patches: kpatch_cli_a, kpatch_cli_b"

k unload --all
succeeds
k uninstall kpatch-cli-a
succeeds
k uninstall kpatch_cli_b
succeeds
expect_file /proc/cmdline "$cmdline"

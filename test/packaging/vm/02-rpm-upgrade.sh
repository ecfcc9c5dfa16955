#!/bin/sh
# rpm upgrade 1 -> 2: the new %post replaces v1 by v2 in one step; the old
# %preun (1) leaves it.  A reader of /proc/cmdline never sees it unpatched.
# shellcheck source=lib.sh
. /payload/lib.sh
expect_live v1
pm_step_hook() { check_live_hook "$1"; }
sampler_start
rpm_upgrade "$PKGS/rpm1" "$PKGS/rpm2" > /tmp/out 2>&1 || { cat /tmp/out; fail "rpm_upgrade failed"; }
sampler_stop
cat /tmp/out
expect_live v2
grep -q "unloaded kpatch_pkg_v1" /tmp/out || fail "kpatch replace did not unload kpatch_pkg_v1"
[ "$(ls "$D")" = kpatch-pkg-v2.ko ] || fail "$D holds $(ls "$D")"

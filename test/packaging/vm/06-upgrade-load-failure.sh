#!/bin/sh
# An upgrade whose new module cannot be loaded (truncated) is reported and
# keeps the old one live; erasing the package then unloads the old one.
# shellcheck source=lib.sh
. /payload/lib.sh
expect_unpatched
rpm_install "$PKGS/rpm1" > /tmp/out 2>&1 || { cat /tmp/out; fail "rpm_install failed"; }
expect_live v1
# v2's module made unloadable: a copy of its package with a truncated module
cp -r "$PKGS/rpm2" /tmp/rpm2bad
head -c 1000 "$PKGS/rpm2/root$D/kpatch-pkg-v2.ko" > "/tmp/rpm2bad/root$D/kpatch-pkg-v2.ko"
pm_step_hook() { check_live_hook "$1"; }
rpm_upgrade "$PKGS/rpm1" /tmp/rpm2bad > /tmp/out 2>&1 || { cat /tmp/out; fail "rpm_upgrade failed on a load failure"; }
cat /tmp/out
grep -q "could not load kpatch_pkg_v2 (reason above); the patches loaded before stay loaded; the fix is NOT live" /tmp/out ||
	fail "no 'could not load' line"
expect_live v1
pm_step_hook() { :; }
rpm_erase /tmp/rpm2bad > /tmp/out 2>&1 || { cat /tmp/out; fail "rpm_erase failed"; }
cat /tmp/out
expect_unpatched

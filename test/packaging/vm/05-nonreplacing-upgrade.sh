#!/bin/sh
# An upgrade to a module that does not replace (kpatch_replace=N): loaded
# next to the old one, which is then unloaded, still never unpatched.
# shellcheck source=lib.sh
. /payload/lib.sh
expect_unpatched
rpm_install "$PKGS/rpm1" > /tmp/out 2>&1 || { cat /tmp/out; fail "rpm_install failed"; }
expect_live v1
pm_step_hook() { check_live_hook "$1"; }
sampler_start
rpm_upgrade "$PKGS/rpm1" "$PKGS/rpm3" > /tmp/out 2>&1 || { cat /tmp/out; fail "rpm_upgrade failed"; }
sampler_stop
cat /tmp/out
grep -q "kpatch_pkg_v3 is not a replacing patch (kpatch_replace=N): loaded it next to kpatch_pkg_v1, now unloading kpatch_pkg_v1" /tmp/out ||
	fail "no line about the fallback"
expect_live v3
pm_step_hook() { :; }
rpm_erase "$PKGS/rpm3" > /tmp/out 2>&1 || { cat /tmp/out; fail "rpm_erase failed"; }
cat /tmp/out
expect_unpatched

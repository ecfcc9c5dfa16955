#!/bin/sh
# Runs first, before anything loads the core: a patch that cannot be loaded
# (here: no core module) is reported with kpatch's reason, the install still
# succeeds and the module is installed; erase then has nothing to unload.
# shellcheck source=lib.sh
. /payload/lib.sh
grep -q '^kpatch ' /proc/modules && fail "the core module is loaded already"
export KPATCH_CORE_MODULE=/nonexistent/kpatch.ko
rpm_install "$PKGS/rpm1" > /tmp/out 2>&1 || { cat /tmp/out; fail "rpm_install failed on a load failure"; }
cat /tmp/out
grep -q "kpatch: .*/nonexistent/kpatch.ko" /tmp/out || fail "kpatch's reason is not shown"
grep -q "could not load kpatch_pkg_v1 (reason above)" /tmp/out || fail "no 'could not load' line"
[ -z "$(patches)" ] || fail "something got loaded: $(patches)"
[ -f "$D/kpatch-pkg-v1.ko" ] || fail "the module is not installed"
rpm_erase "$PKGS/rpm1" > /tmp/out 2>&1 || { cat /tmp/out; fail "rpm_erase failed"; }
cat /tmp/out
expect_unpatched

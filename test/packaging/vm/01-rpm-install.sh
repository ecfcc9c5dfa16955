#!/bin/sh
# rpm install: %post records the module and loads it, with the core module
# the package carries.
# shellcheck source=lib.sh
. /payload/lib.sh
rpm_install "$PKGS/rpm1" > /tmp/out 2>&1 || { cat /tmp/out; fail "rpm_install failed"; }
cat /tmp/out
expect_live v1
[ -f "$D/kpatch-pkg-v1.ko" ] || fail "no $D/kpatch-pkg-v1.ko"
cmp "$D/kpatch-pkg-v1.ko" "$PKGS/rpm1/root$D/kpatch-pkg-v1.ko" || fail "the installed module differs"
grep -q "loaded kpatch_pkg_v1" /tmp/out || fail "no 'loaded kpatch_pkg_v1' in the output"
kpatch list > /tmp/list
cat /tmp/list
grep -qx "kpatch_pkg_v1 \[enabled\]" /tmp/list || fail "kpatch list does not show kpatch_pkg_v1 enabled"
grep -qx "kpatch_pkg_v1 ($KVER)" /tmp/list || fail "kpatch list does not show kpatch_pkg_v1 installed"
grep -q '^kpatch ' /proc/modules || fail "the core module is not loaded"
cmp "/usr/lib/kpatch/$KVER/kpatch.ko" /payload/core/kpatch.ko || fail "the packaged core is not at /usr/lib/kpatch/$KVER/kpatch.ko"

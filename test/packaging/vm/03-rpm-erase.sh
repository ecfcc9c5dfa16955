#!/bin/sh
# rpm erase: %preun (0) unloads; the original function is back.
# shellcheck source=lib.sh
. /payload/lib.sh
expect_live v2
rpm_erase "$PKGS/rpm2" > /tmp/out 2>&1 || { cat /tmp/out; fail "rpm_erase failed"; }
cat /tmp/out
expect_unpatched
[ "$(cmdline)" = "$(cat /tmp/cmdline.orig)" ] || fail "/proc/cmdline is '$(cmdline)', not the original"

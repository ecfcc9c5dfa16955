#!/bin/sh
# dpkg: install loads v1, upgrade replaces it by v2 without a moment
# unpatched (old prerm upgrade, files, new postinst configure), remove
# unloads.
# shellcheck source=lib.sh
. /payload/lib.sh
expect_unpatched
deb_install "$PKGS/deb1" > /tmp/out 2>&1 || { cat /tmp/out; fail "deb_install failed"; }
cat /tmp/out
expect_live v1
pm_step_hook() { check_live_hook "$1"; }
sampler_start
deb_upgrade "$PKGS/deb1" "$PKGS/deb2" > /tmp/out 2>&1 || { cat /tmp/out; fail "deb_upgrade failed"; }
sampler_stop
cat /tmp/out
expect_live v2
pm_step_hook() { :; }
deb_erase "$PKGS/deb2" > /tmp/out 2>&1 || { cat /tmp/out; fail "deb_erase failed"; }
cat /tmp/out
expect_unpatched

#!/bin/sh
# rpm itself installs, upgrades and erases the patch package and runs its
# scriptlets, which call the real kpatch: rpm -i of version 1 loads
# kpatch_pkg_v1, rpm -U to version 2 replaces it by kpatch_pkg_v2 without a
# moment unpatched (a reader of /proc/cmdline checks), rpm -e unloads it
# and removes the files.
# shellcheck source=lib.sh
. /payload/lib.sh
real_pm_setup
expect_unpatched
rpm1=$(echo "$PKGS"/*-1-1.x86_64.rpm) rpm2=$(echo "$PKGS"/*-2-1.x86_64.rpm)
{ [ -f "$rpm1" ] && [ -f "$rpm2" ]; } || fail "the RPMs are not in $PKGS"
rpm_db() { /usr/bin/rpm --dbpath /tmp/rpmdb "$@"; }
name=$(rpm_db -qp --qf '%{NAME}' "$rpm1" 2>/dev/null) || fail "rpm cannot read $rpm1"
version() { rpm_db -q --qf '%{VERSION}-%{RELEASE}' "$name" 2>/dev/null; }
pm_cmd rpm_db --initdb
# --nodeps: the packages require kpatch, the tools package, which is not
# installed through rpm here (real_pm_setup copies the command to /usr/sbin).
pm_cmd rpm_db -i --nodeps "$rpm1"
said "$name: replacing the loaded patches with kpatch_pkg_v1"
said "loaded kpatch_pkg_v1"
expect_live v1
[ "$(version)" = 1-1 ] || fail "rpm -q says '$(version)', not 1-1"
cmp "$D/kpatch-pkg-v1.ko" "$PKGS/rpm1/root$D/kpatch-pkg-v1.ko" || fail "the installed module differs"
# kpatch install left the package's files as rpm put them
pm_cmd rpm_db -V --nodeps "$name"
kpatch list > /tmp/list
grep -qx "kpatch_pkg_v1 ($KVER)" /tmp/list || { cat /tmp/list; fail "kpatch list does not show kpatch_pkg_v1 installed"; }

sampler_start
pm_cmd rpm_db -U --nodeps "$rpm2"
sampler_stop
said "$name: replacing the loaded patches with kpatch_pkg_v2"
said "unloaded kpatch_pkg_v1"
expect_live v2
[ "$(version)" = 2-1 ] || fail "rpm -q says '$(version)', not 2-1"
[ "$(ls "$D")" = kpatch-pkg-v2.ko ] || fail "$D holds $(ls "$D")"

pm_cmd rpm_db -e "$name"
said "unloaded kpatch_pkg_v2"
expect_unpatched
[ "$(cmdline)" = "$(cat /tmp/cmdline.orig)" ] || fail "/proc/cmdline is '$(cmdline)', not the original"
rpm_db -q "$name" > /dev/null 2>&1 && fail "rpm still has $name installed"
exit 0

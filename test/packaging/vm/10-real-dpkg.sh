#!/bin/sh
# Debian's dpkg itself installs, upgrades and removes the patch package and
# runs its maintainer scripts, which call the real kpatch: dpkg -i of
# version 1 loads kpatch_pkg_v1, dpkg -i of version 2 replaces it by
# kpatch_pkg_v2 without a moment unpatched (a reader of /proc/cmdline
# checks), dpkg -r unloads it and removes the files.
# shellcheck source=lib.sh
. /payload/lib.sh
real_pm_setup
expect_unpatched
deb1=$(echo "$PKGS"/*_1-1_amd64.deb) deb2=$(echo "$PKGS"/*_2-1_amd64.deb)
{ [ -f "$deb1" ] && [ -f "$deb2" ]; } || fail "the debs are not in $PKGS"
name=$(/usr/bin/dpkg-deb -f "$deb1" Package) || fail "dpkg-deb cannot read $deb1"
# The packages depend on kpatch, the tools package, which is not installed
# through dpkg here (real_pm_setup copies the command to /usr/sbin).
dpkg_i() { pm_cmd /usr/bin/dpkg --force-depends -i "$1"; }
status() { /usr/bin/dpkg-query -W -f='${db:Status-Status} ${Version}' "$name" 2>/dev/null; }

dpkg_i "$deb1"
said "$name: replacing the loaded patches with kpatch_pkg_v1"
said "loaded kpatch_pkg_v1"
expect_live v1
[ "$(status)" = "installed 1-1" ] || fail "dpkg says '$(status)', not 'installed 1-1'"
cmp "$D/kpatch-pkg-v1.ko" "$PKGS/deb1/root$D/kpatch-pkg-v1.ko" || fail "the installed module differs"
# kpatch install left the package's files as dpkg put them
pm_cmd /usr/bin/dpkg --verify "$name"
kpatch list > /tmp/list
grep -qx "kpatch_pkg_v1 ($KVER)" /tmp/list || { cat /tmp/list; fail "kpatch list does not show kpatch_pkg_v1 installed"; }

sampler_start
dpkg_i "$deb2"
sampler_stop
said "$name: replacing the loaded patches with kpatch_pkg_v2"
said "unloaded kpatch_pkg_v1"
expect_live v2
[ "$(status)" = "installed 2-1" ] || fail "dpkg says '$(status)', not 'installed 2-1'"
[ "$(ls "$D")" = kpatch-pkg-v2.ko ] || fail "$D holds $(ls "$D")"

pm_cmd /usr/bin/dpkg -r "$name"
said "unloaded kpatch_pkg_v2"
expect_unpatched
[ "$(cmdline)" = "$(cat /tmp/cmdline.orig)" ] || fail "/proc/cmdline is '$(cmdline)', not the original"
case "$(status)" in installed*) fail "dpkg still has $name installed" ;; esac

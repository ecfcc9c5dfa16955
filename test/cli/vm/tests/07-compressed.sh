#!/bin/sh
# Compressed patch modules, as Debian 13 ships modules: info reads a .ko.xz
# and a .ko.zst, load inserts what libkmod decompressed and the patches
# take effect, list and unload know them by name, and kpatch.service's
# load --all takes an installed .ko.zst.
# shellcheck source=../lib.sh
. /payload/lib.sh
cmdline=$(cat /proc/cmdline)
version=$(cat /proc/version)

k info "$M/kpatch-cli-a.ko.xz"
succeeds
has_line "name:         kpatch_cli_a"
has_line "    cmdline_proc_show (vmlinux)"
k info --format keyvalue "$M/kpatch-cli-b.ko.zst"
succeeds
has_line "name=kpatch_cli_b"
has_line "kernel=$release"
has_line "func=version_proc_show,0,vmlinux"

k load "$M/kpatch-cli-a.ko.xz"
succeeds
has_line "loaded kpatch_cli_a"
enabled kpatch_cli_a || fail "kpatch_cli_a is not enabled"
expect_file /proc/cmdline kpatch-cli-a
k load "$M/kpatch-cli-b.ko.zst"
succeeds
enabled kpatch_cli_b || fail "kpatch_cli_b is not enabled"
expect_file /proc/version kpatch-cli-b

k list
succeeds
has_line "kpatch_cli_a [enabled]"
has_line "kpatch_cli_b [enabled]"
k load "$M/kpatch-cli-a.ko.xz"
succeeds
has_line "kpatch_cli_a is already loaded and enabled"

k unload "$M/kpatch-cli-b.ko.zst"
succeeds
has_line "unloaded kpatch_cli_b"
expect_file /proc/version "$version"
k unload kpatch-cli-a
succeeds
expect_file /proc/cmdline "$cmdline"

k install "$M/kpatch-cli-b.ko.zst"
succeeds
[ -f "/var/lib/kpatch/$release/kpatch-cli-b.ko.zst" ] || fail "kpatch-cli-b.ko.zst is not installed"
k load --all
succeeds
has_line "loaded kpatch_cli_b"
expect_file /proc/version kpatch-cli-b
k unload --all
succeeds
k uninstall kpatch-cli-b
succeeds
expect_file /proc/version "$version"

#!/bin/sh
# Issue 13 item 14: a global function new in fs/proc/version.c (vmlinux),
# called from isofs_mount (isofs_get_tree in 6.12; the isofs module) in the
# same patch: the call is resolved inside the patch module, and runs once
# isofs is loaded.
# shellcheck source=../../lib.sh
. /payload/lib.sh
mkdir -p /mnt/iso
try_mount() { mount -t iso9660 /dev/kpatch-none /mnt/iso 2>/dev/null; true; }
msgs() { count_log 'isofs: kpatch: tag 77 for /dev/kpatch-none'; }

insmod /payload/isofs.ko || fail "insmod isofs.ko"
try_mount; [ "$(msgs)" = 0 ] || fail "patched before loading"
load new-global-vmlinux-to-module
fn=$(isofs_mount_fn)
patched_functions new-global-vmlinux-to-module isofs | grep -qx "$fn" || fail "$fn is not patched"
try_mount; [ "$(msgs)" = 1 ] || fail "the patched $fn did not call the new vmlinux function"
unload new-global-vmlinux-to-module
try_mount; [ "$(msgs)" = 1 ] || fail "still patched after unloading"
rmmod isofs || fail "rmmod isofs"
note ok

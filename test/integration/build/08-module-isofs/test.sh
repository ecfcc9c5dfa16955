#!/bin/sh
# A change in a loadable module (isofs, CONFIG_ISO9660_FS=m): isofs_mount
# (isofs_get_tree in 6.12) logs every mount attempt while patched.  The VM
# has no block device, so the mount itself fails; the attempt is enough.
# 1) isofs loaded before the patch; 2) isofs loaded after the patch.
# shellcheck source=../../lib.sh
. /payload/lib.sh
mkdir -p /mnt/iso
try_mount() { mount -t iso9660 /dev/kpatch-none /mnt/iso 2>/dev/null; true; }
msgs() { count_log 'isofs: kpatch: mount of /dev/kpatch-none'; }

note "1: isofs loaded before the patch"
insmod /payload/isofs.ko || fail "insmod isofs.ko"
try_mount; [ "$(msgs)" = 0 ] || fail "patched before loading"
load module-isofs
fn=$(isofs_mount_fn)
patched_functions module-isofs isofs | grep -qx "$fn" || fail "$fn is not patched"
try_mount; [ "$(msgs)" = 1 ] || fail "the patched $fn did not run"
unload module-isofs
try_mount; [ "$(msgs)" = 1 ] || fail "still patched after unloading"
rmmod isofs || fail "rmmod isofs"

note "2: isofs loaded after the patch"
load module-isofs
insmod /payload/isofs.ko || fail "insmod isofs.ko while patched"
[ "$(cat "/sys/kernel/kpatch/$(modname module-isofs)/isofs/loaded" 2>/dev/null)" = 1 ] ||
	fail "the core did not see isofs arrive"
try_mount; [ "$(msgs)" = 2 ] || fail "isofs loaded after the patch is not patched"
unload module-isofs
try_mount; [ "$(msgs)" = 2 ] || fail "still patched after unloading"
rmmod isofs || fail "rmmod isofs"
note ok

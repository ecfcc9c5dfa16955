#!/bin/sh
# A pre-patch callback returning an error refuses the load and leaves
# nothing patched; the callbacks that run are only the pre-patch ones and
# the post-unpatch of an object whose pre-patch had succeeded.
# shellcheck source=../../lib.sh
. /payload/lib.sh
P=pre-patch-fails
mkdir -p /mnt/iso
rmmod isofs 2>/dev/null	# whatever an earlier test left
try_mount() { mount -t iso9660 /dev/kpatch-none /mnt/iso 2>/dev/null; true; }
cbs() { dmesg | sed -n 's/.*kpatch-prefail: \([a-z_]* [a-z]*\)$/\1/p' | grep -v "^$fn " | tr '\n' ',' ; }
# the patched mount entry logs its name: isofs_mount, isofs_get_tree on 6.12
mounts() { count_log "kpatch-prefail: $fn /dev/kpatch-none"; }

insmod /payload/isofs.ko || fail "insmod isofs.ko"
fn=$(isofs_mount_fn)
grep -q kpatch-prefail /proc/version && fail "patched before loading"
note "kpatch load kpatch-$P.ko (must be refused)"
kpatch load "$MODDIR/kpatch-$P.ko" && fail "kpatch load succeeded although a pre-patch callback failed"
echo "callbacks: $(cbs)"
case "$(cbs)" in
"pre_patch vmlinux,") ;;			# vmlinux first: isofs never started
"pre_patch isofs,pre_patch vmlinux,post_unpatch isofs,") ;;
*) fail "callbacks: '$(cbs)'" ;;
esac
[ -d "/sys/kernel/kpatch/$(modname $P)" ] && fail "the refused patch left its sysfs directory"
lsmod | grep -q "^$(modname $P) " && fail "the refused patch module stayed loaded"
grep -q "$(modname $P).*pre-patch callback" /sys/kernel/kpatch/last_error ||
	fail "last_error does not name the pre-patch callback: $(cat /sys/kernel/kpatch/last_error)"
echo "last_error: $(cat /sys/kernel/kpatch/last_error)"
grep -q kpatch-prefail /proc/version && fail "version_proc_show is patched after the refusal"
try_mount; [ "$(mounts)" = 0 ] || fail "$fn is patched after the refusal"
# and the core is still usable: the same module is refused again, cleanly
kpatch load "$MODDIR/kpatch-$P.ko" && fail "the second load succeeded"
[ "$(dmesg | grep -c 'kpatch-prefail: pre_patch vmlinux')" = 2 ] || fail "pre_patch vmlinux did not run once per load"
rmmod isofs || fail "rmmod isofs"
note ok

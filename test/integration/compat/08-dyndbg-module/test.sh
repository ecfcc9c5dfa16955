#!/bin/sh
# pr_debug in a patched module function, enabled through dynamic debug
# ("file fs/isofs/inode.c +p") and seen in the log; off again with -p.
# shellcheck source=../../lib.sh
. /payload/lib.sh
P=dyndbg-module
C=/sys/kernel/debug/dynamic_debug/control
mkdir -p /mnt/iso
rmmod isofs 2>/dev/null	# whatever an earlier test left
try_mount() { mount -t iso9660 /dev/kpatch-none /mnt/iso 2>/dev/null; true; }
# the patched mount entry logs its name: isofs_mount, isofs_get_tree on 6.12
msgs() { count_log "kpatch-dyndbg: $fn /dev/kpatch-none"; }
[ -f $C ] || fail "no $C (debugfs, CONFIG_DYNAMIC_DEBUG)"

insmod /payload/isofs.ko || fail "insmod isofs.ko"
fn=$(isofs_mount_fn)
grep -q kpatch-dyndbg $C && fail "the descriptor exists before loading"
load $P
grep kpatch-dyndbg $C
grep -q "^fs/isofs/inode.c:[0-9]* .*$fn =_ \"kpatch-dyndbg: $fn %s\\\\n\"" $C ||
	fail "no disabled descriptor of fs/isofs/inode.c for the patched $fn"
try_mount; [ "$(msgs)" = 0 ] || fail "pr_debug printed while disabled"
note "echo 'file fs/isofs/inode.c +p' > $C"
echo 'file fs/isofs/inode.c +p' > $C || fail "writing the control file"
grep -q "$fn =p \"kpatch-dyndbg" $C || fail "the descriptor is not enabled: $(grep kpatch-dyndbg $C)"
try_mount; [ "$(msgs)" = 1 ] || fail "the enabled pr_debug did not print ($(msgs))"
try_mount; [ "$(msgs)" = 2 ] || fail "the enabled pr_debug did not print twice ($(msgs))"
echo 'file fs/isofs/inode.c -p' > $C || fail "writing the control file"
try_mount; [ "$(msgs)" = 2 ] || fail "pr_debug printed after -p"
unload $P
grep -q kpatch-dyndbg $C && fail "the descriptor stayed after unloading"
echo 'file fs/isofs/inode.c +p' > $C
try_mount; [ "$(msgs)" = 2 ] || fail "pr_debug printed after unloading"
echo 'file fs/isofs/inode.c -p' > $C
rmmod isofs || fail "rmmod isofs"
note ok

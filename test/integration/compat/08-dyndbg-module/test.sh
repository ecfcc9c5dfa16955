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
msgs() { count_log 'kpatch-dyndbg: isofs_mount /dev/kpatch-none'; }
[ -f $C ] || fail "no $C (debugfs, CONFIG_DYNAMIC_DEBUG)"

insmod /payload/isofs.ko || fail "insmod isofs.ko"
grep -q kpatch-dyndbg $C && fail "the descriptor exists before loading"
load $P
grep kpatch-dyndbg $C
grep -q '^fs/isofs/inode.c:[0-9]* .*isofs_mount =_ "kpatch-dyndbg: isofs_mount %s\\n"' $C ||
	fail "no disabled descriptor of fs/isofs/inode.c for the patched isofs_mount"
try_mount; [ "$(msgs)" = 0 ] || fail "pr_debug printed while disabled"
note "echo 'file fs/isofs/inode.c +p' > $C"
echo 'file fs/isofs/inode.c +p' > $C || fail "writing the control file"
grep -q 'isofs_mount =p "kpatch-dyndbg' $C || fail "the descriptor is not enabled: $(grep kpatch-dyndbg $C)"
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

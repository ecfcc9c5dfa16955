#!/bin/sh
# A change in Debian's dm-mod.ko (CONFIG_BLK_DEV_DM=m), the module dm_mod:
# its file name is not its module name, so kpatch-build finds the .ko by
# the installed modules.order (a distribution's headers have no .mod
# files).  Patched, dm_open() logs the pid that opens /dev/mapper/control.
# The shell opens it itself (the redirection of a builtin), so the pid
# is this shell's: each check opens it once, and the patched code logs
# only while the patch is loaded.
# shellcheck source=../../../integration/lib.sh
. /payload/lib.sh
insmod /payload/dm-mod.ko || fail "insmod dm-mod.ko"
ctl=/dev/mapper/control
[ -c $ctl ] || fail "no $ctl after insmod dm-mod.ko"
# open_ctl N: open the control node; the patched dm_open has logged this
# shell's pid N times since the test began.
open_ctl() {
	: < $ctl || fail "cannot open $ctl"
	n=$(count_log "device-mapper: ioctl: kpatch: control opened by pid $$\$")
	echo "$ctl opened; logged $n times"
	[ "$n" = "$1" ]
}
before()   { open_ctl 0; }
loaded()   { open_ctl 1; }
unloaded() { open_ctl 1; }
standard_flow dm-control-open
rmmod dm_mod || fail "rmmod dm_mod"

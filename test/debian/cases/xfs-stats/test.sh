#!/bin/sh
# A change in Debian's xfs module (CONFIG_XFS_FS=m): a line of
# /sys/fs/xfs/stats/stats is renamed while patched.  xfs needs libcrc32c;
# both come from Debian's module tree.
# shellcheck source=../../../integration/lib.sh
. /payload/lib.sh
insmod /payload/libcrc32c.ko || fail "insmod libcrc32c.ko"
insmod /payload/xfs.ko || fail "insmod xfs.ko"
stats=/sys/fs/xfs/stats/stats
before()   { grep -q '^xpc ' $stats && ! grep -q '^XPC-kpatch ' $stats; }
loaded()   { grep '^XPC-kpatch ' $stats && ! grep -q '^xpc ' $stats; }
unloaded() { before; }
standard_flow xfs-stats
rmmod xfs || fail "rmmod xfs"

#!/bin/sh
# A boot with kpatch.enable=0 on the kernel command line: with the patch
# that crashes the kernel installed, neither load --all --boot (what
# kpatch.service runs) nor the initramfs-tools boot script nor the dracut
# hook loads anything; each says why.  Were one to load it, this boot
# would crash.
# shellcheck source=../lib.sh
. /payload/lib.sh
grep -qw kpatch.enable=0 /proc/cmdline || fail "kpatch.enable=0 is not on the command line"
mkdir -p "$moduledir/$release" "/var/lib/kpatch/$release" /sbin
cp /payload/core/kpatch.ko "$core_dest"
cp "$M/kpatch-cli-p.ko" "/var/lib/kpatch/$release/"
disabled="kpatch.enable=0 is on the kernel command line: no live patch is loaded at this boot"

k load --all --boot
succeeds
[ "$out" = "$disabled" ] || fail "load --all --boot did not say why it loads nothing"

# The initramfs scripts run /sbin/kpatch, as the hooks install it.
ln -sf /payload/bin/kpatch /sbin/kpatch
sh /payload/initramfs/init-top > /tmp/init-top.out 2>&1 || fail "init-top failed"
cat /tmp/init-top.out
[ "$(cat /tmp/init-top.out)" = "$disabled" ] || fail "init-top did not say why it loads nothing"
sh -c '. /payload/initramfs/kpatch-load.sh' > /tmp/dracut.out 2>&1 || fail "the dracut hook failed"
cat /tmp/dracut.out
[ "$(cat /tmp/dracut.out)" = "$disabled" ] || fail "the dracut hook did not say why it loads nothing"

[ ! -d /sys/kernel/kpatch ] || fail "the core module got loaded"
loaded kpatch_cli_p && fail "the crashing patch got loaded"
[ ! -e /var/lib/kpatch/boot-guard ] || fail "a guard was set though nothing loads"

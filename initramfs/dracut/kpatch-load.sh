#!/bin/sh
# dracut pre-udev hook: load the live patches carried in the initramfs.
# --boot: kpatch.enable=0 on the kernel command line loads nothing.
[ -x /sbin/kpatch ] || return 0
/sbin/kpatch load --all --boot || echo "kpatch: some live patches did not load in the initramfs" >&2

#!/bin/sh
# dracut pre-udev hook: load the live patches carried in the initramfs.
[ -x /sbin/kpatch ] || return 0
/sbin/kpatch load --all || echo "kpatch: some live patches did not load in the initramfs" >&2

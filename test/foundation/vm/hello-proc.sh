#!/bin/sh
# A module built against the cached kernel loads and takes effect.
set -e
[ ! -e /proc/kpatch_hello ]
insmod /payload/modules/hello_proc.ko
grep -qx 'hello from a test module' /proc/kpatch_hello
rmmod hello_proc
[ ! -e /proc/kpatch_hello ]

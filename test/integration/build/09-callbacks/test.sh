#!/bin/sh
# Pre/post patch and unpatch callbacks, in order in the kernel log.
# shellcheck source=../../lib.sh
. /payload/lib.sh
callbacks() { dmesg | sed -n 's/.*kpatch-callback: \([a-z_]*\) \(.*\)$/\1 \2/p' | tr '\n' ' '; }
before()   { [ -z "$(callbacks)" ] && ! grep -q kpatch /proc/loadavg; }
loaded() {
	echo "callbacks: $(callbacks)"
	[ "$(callbacks)" = "pre_patch vmlinux post_patch vmlinux " ] && grep -q ' kpatch$' /proc/loadavg
}
unloaded() {
	echo "callbacks: $(callbacks)"
	[ "$(callbacks)" = "pre_patch vmlinux post_patch vmlinux pre_unpatch vmlinux post_unpatch vmlinux " ] &&
		! grep -q kpatch /proc/loadavg
}
standard_flow callbacks

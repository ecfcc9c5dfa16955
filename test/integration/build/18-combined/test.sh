#!/bin/sh
# Several patches in one module: /proc/version, /proc/cmdline, meminfo,
# umask(2) and the drop_caches static local.
# shellcheck source=../../lib.sh
. /payload/lib.sh
before() {
	! grep -q "live patched" /proc/version && ! grep -q kpatch_cmdline /proc/cmdline &&
	grep -q '^VmallocChunk:' /proc/meminfo && [ "$(umask 000; umask)" = 0000 ]
}
loaded() {
	grep -q "live patched" /proc/version || { echo "version"; return 1; }
	grep -q ' kpatch_cmdline=1$' /proc/cmdline || { echo "cmdline"; return 1; }
	grep -q '^VMALLOCCHUNK:' /proc/meminfo || { echo "meminfo"; return 1; }
	[ "$(umask 000; umask)" = 0002 ] || { echo "umask"; return 1; }
	echo 1 > /proc/sys/vm/drop_caches
	dmesg | grep -q 'kpatch: stfu is' || { echo "drop_caches"; return 1; }
	patched_functions combined vmlinux
}
unloaded() { before; }
standard_flow combined

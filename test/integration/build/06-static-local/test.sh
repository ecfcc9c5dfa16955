#!/bin/sh
# drop_caches_sysctl_handler() has a static local, stfu, that the running
# kernel sets to 4 when 4 is written.  The patched function prints stfu: it
# must be the running kernel's variable (4), not a fresh copy (0).
# shellcheck source=../../lib.sh
. /payload/lib.sh
before() {
	echo 4 > /proc/sys/vm/drop_caches	# stfu = 4 from now on
	echo 1 > /proc/sys/vm/drop_caches
	[ "$(count_log 'kpatch: stfu is')" = 0 ]
}
loaded() {
	echo 1 > /proc/sys/vm/drop_caches
	dmesg | grep 'kpatch: stfu is' | tail -n 1
	dmesg | grep 'kpatch: stfu is' | tail -n 1 | grep -q 'kpatch: stfu is 4$'
}
unloaded() {
	n=$(count_log 'kpatch: stfu is')
	echo 1 > /proc/sys/vm/drop_caches
	[ "$(count_log 'kpatch: stfu is')" = "$n" ]
}
standard_flow static-local

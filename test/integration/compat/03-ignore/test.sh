#!/bin/sh
# Ignored function and section: only version_proc_show is patched;
# /proc/meminfo never shows the ignored change.
# shellcheck source=../../lib.sh
. /payload/lib.sh
before()   { ! grep -q kpatch-ignore /proc/version && ! grep -q KpatchIgnored /proc/meminfo; }
loaded() {
	echo "patched: $(patched_functions ignore vmlinux | tr '\n' ' ')"
	grep -q ' kpatch-ignore$' /proc/version || { echo "version_proc_show is not patched"; return 1; }
	grep -q KpatchIgnored /proc/meminfo && { echo "the ignored meminfo_proc_show is patched"; return 1; }
	[ "$(patched_functions ignore vmlinux)" = version_proc_show ]
}
unloaded() { before; }
standard_flow ignore

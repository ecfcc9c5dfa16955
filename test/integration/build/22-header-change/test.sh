#!/bin/sh
# A header change (fs/proc/internal.h) used by /proc/cmdline: only
# cmdline_proc_show is patched although every fs/proc object was rebuilt.
# shellcheck source=../../lib.sh
. /payload/lib.sh
before()   { ! grep -q kpatch_header /proc/cmdline; }
loaded() {
	cat /proc/cmdline
	grep -q ' kpatch_header=1$' /proc/cmdline || return 1
	funcs=$(patched_functions header-change vmlinux); echo "patched functions: $funcs"
	[ "$funcs" = cmdline_proc_show ]
}
unloaded() { before; }
standard_flow header-change

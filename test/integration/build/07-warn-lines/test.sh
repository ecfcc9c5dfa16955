#!/bin/sh
# The patch adds lines above proc_readdir() and so above every function
# below it in fs/proc/generic.c, one of which (proc_create_reg) uses
# WARN_ON_ONCE, whose bug table records its line.  Thanks to the #line
# rewriting only proc_readdir changes.
# shellcheck source=../../lib.sh
. /payload/lib.sh
before()   { ls /proc/fs >/dev/null; [ "$(count_log 'kpatch: proc_readdir of')" = 0 ]; }
loaded() {
	funcs=$(patched_functions warn-lines vmlinux)
	echo "patched functions: $funcs"
	[ "$funcs" = proc_readdir ] || return 1
	ls /proc/fs >/dev/null
	[ "$(count_log 'kpatch: proc_readdir of')" -ge 1 ]
}
unloaded() {
	n=$(count_log 'kpatch: proc_readdir of')
	ls /proc/fs >/dev/null
	[ "$(count_log 'kpatch: proc_readdir of')" = "$n" ]
}
standard_flow warn-lines

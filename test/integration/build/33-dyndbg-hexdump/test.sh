#!/bin/sh
# print_hex_dump_debug() added to cmdline_proc_show: its dynamic debug
# descriptor, which only the jump label uses, is the patch module's own.
# Off by default; "file fs/proc/cmdline.c +p" through dynamic_debug/control
# turns it on while the patch is live (a hex dump line per read of
# /proc/cmdline), -p off again; unloading removes the descriptor.
# shellcheck source=../../lib.sh
. /payload/lib.sh
C=/sys/kernel/debug/dynamic_debug/control
msgs() { count_log "kpatch-hexdump: "; }
[ -f $C ] || mount -t debugfs none /sys/kernel/debug
[ -f $C ] || fail "no $C (debugfs, CONFIG_DYNAMIC_DEBUG)"
before() { ! grep -q kpatch-hexdump $C && [ "$(msgs)" = 0 ]; }
loaded() {
	grep kpatch-hexdump $C
	grep -q '^fs/proc/cmdline.c:[0-9]* .*cmdline_proc_show =_ "kpatch-hexdump: "' $C ||
		{ echo "no disabled descriptor of the patched cmdline_proc_show"; return 1; }
	cat /proc/cmdline >/dev/null
	[ "$(msgs)" = 0 ] || { echo "the hex dump printed while disabled"; return 1; }
	echo 'file fs/proc/cmdline.c +p' > $C || { echo "writing $C"; return 1; }
	grep -q 'cmdline_proc_show =p "kpatch-hexdump: "' $C ||
		{ echo "the descriptor is not enabled: $(grep kpatch-hexdump $C)"; return 1; }
	cat /proc/cmdline >/dev/null
	dmesg | grep "kpatch-hexdump: "
	[ "$(msgs)" = 1 ] || { echo "the enabled hex dump did not print once ($(msgs))"; return 1; }
	echo 'file fs/proc/cmdline.c -p' > $C || { echo "writing $C"; return 1; }
	cat /proc/cmdline >/dev/null
	[ "$(msgs)" = 1 ] || { echo "the hex dump printed after -p ($(msgs))"; return 1; }
}
unloaded() { ! grep -q kpatch-hexdump $C; }
standard_flow dyndbg-hexdump

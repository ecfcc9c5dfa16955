#!/bin/sh
# __set_task_comm() patched to fire the tracepoint task_rename twice, the
# second time with newcomm=kpatch-tp.  The tracepoint is not exported: its
# jump label and static call site reach vmlinux through livepatch
# relocations (without them the jump label is dropped and the patched
# tracepoint never fires).  The event is off at boot; enabled through
# tracefs while the patch is live, a rename (writing /proc/PID/comm) logs
# the patched function's event, and disabled again it logs nothing.
# shellcheck source=../../lib.sh
. /payload/lib.sh
T=/sys/kernel/tracing
[ -d $T/events ] || mount -t tracefs nodev $T
E=$T/events/task/task_rename/enable
[ -f $E ] || fail "no $E (tracefs, CONFIG_EVENT_TRACING)"
# Only shell builtins run while the event is on: an exec renames too.
# No newline in the name: the trace would print it.
rename() { printf %s "$1" > /proc/$$/comm; }
event() { echo "$1" > $E || { echo "writing $1 to $E"; return 1; }; }
# traced NAME: rename to NAME with the event on, off again
traced() { : > $T/trace; event 1 && rename "$1" && event 0; }
# events NAME: how many task_rename events say newcomm=NAME
events() { grep -cE "task_rename: .* newcomm=$1( |$)" $T/trace; }
# expect NAME PATCHED: one event for NAME, PATCHED with kpatch-tp
expect() {
	if [ "$(events "$1")" != 1 ] || [ "$(events kpatch-tp)" != "$2" ]; then
		echo "want one event for $1 and $2 for kpatch-tp:"; grep task_rename $T/trace
		return 1
	fi
	grep task_rename $T/trace
}
before() { traced kpatch-before && expect kpatch-before 0; }
loaded() {
	traced kpatch-on && expect kpatch-on 1 || return 1
	: > $T/trace
	rename kpatch-off
	if grep task_rename $T/trace; then echo "events while the event is off"; return 1; fi
}
unloaded() { traced kpatch-after && expect kpatch-after 0; }
standard_flow tracepoint-vmlinux

#!/bin/sh
# Shadow variables: tasks forked while patched carry a sequence number,
# shown in /proc/PID/status; this shell (older) has none.
# shellcheck source=../../lib.sh
. /payload/lib.sh
before()   { ! sh -c 'grep -q KpatchForkSeq /proc/self/status'; }
loaded() {
	grep -q KpatchForkSeq /proc/$$/status && { echo "an old task has a shadow"; return 1; }
	a=$(sh -c 'sed -n "s/^KpatchForkSeq:\t//p" /proc/self/status')
	b=$(sh -c 'sed -n "s/^KpatchForkSeq:\t//p" /proc/self/status')
	echo "fork sequence numbers: $a $b"
	[ -n "$a" ] && [ -n "$b" ] && [ "$b" -gt "$a" ]
}
unloaded() { before; }
standard_flow shadow

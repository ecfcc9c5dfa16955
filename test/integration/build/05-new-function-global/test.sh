#!/bin/sh
# A new function and a new global variable: every read of /proc/version
# counts up in the patch module's own variable.
# shellcheck source=../../lib.sh
. /payload/lib.sh
reads() { sed -n 's/^kpatch: read \([0-9]*\)$/\1/p' /proc/version; }
before()   { ! grep -q '^kpatch: read' /proc/version; }
loaded() {
	a=$(reads); b=$(reads); c=$(reads)
	echo "reads: $a $b $c"
	[ -n "$a" ] && [ "$b" = $((a + 1)) ] && [ "$c" = $((a + 2)) ]
}
unloaded() { before; }
standard_flow new-function-global

#!/bin/sh
# Issue 12, defect 0: a change in copy_process(), which reaches the static
# per-CPU array cached_stacks through an inlined helper.  The core used to
# refuse the load; patched, a fork by a task named kpforkprobe says so.
# shellcheck source=../../lib.sh
. /payload/lib.sh
probe() { ( printf %s kpforkprobe > /proc/self/comm; /bin/busybox true; /bin/busybox true ); }
hits() { count_log "kpatch-test: copy_process patched"; }
before()   { n=$(hits); probe; [ "$(hits)" = "$n" ]; }
loaded()   { n=$(hits); probe; echo "$(hits) lines (were $n)"; [ "$(hits)" -gt "$n" ]; }
unloaded() { before; }
standard_flow percpu-copy-process

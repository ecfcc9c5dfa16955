#!/bin/sh
# Issue 12, defect 0: a change in do_exit(), whose code uses the per-CPU
# variable dirty_throttle_leaks (not exported: a kpatch relocation whose
# value is an offset into the per-CPU area).  The core used to refuse the
# load; patched, a task named kpexitprobe says so as it exits.
# shellcheck source=../../lib.sh
. /payload/lib.sh
probe() { ( printf %s kpexitprobe > /proc/self/comm; exit 0 ); }
hits() { count_log "kpatch-test: do_exit of"; }
before()   { n=$(hits); probe; [ "$(hits)" = "$n" ]; }
loaded()   { n=$(hits); probe; sleep 0.2; echo "$(hits) lines (were $n)"; [ "$(hits)" -gt "$n" ]; }
unloaded() { before; }
standard_flow percpu-do-exit

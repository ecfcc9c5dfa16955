#!/bin/sh
# The classic example: /proc/version gains a line while the patch is live.
# shellcheck source=../../lib.sh
. /payload/lib.sh
before()   { cat /proc/version; ! grep -q "live patched by kpatch" /proc/version; }
loaded()   { cat /proc/version; grep -q "This kernel has been live patched by kpatch." /proc/version; }
unloaded() { before; }
standard_flow proc-version

#!/bin/sh
# Issue 13 item 14: a global function new in fs/proc/cmdline.c, called from
# fs/proc/version.c of the same patch (both vmlinux): the call is resolved
# inside the patch module.
# shellcheck source=../../lib.sh
. /payload/lib.sh
before()   { ! grep -q '^kpatch: cross' /proc/version; }
loaded()   { grep '^kpatch: cross' /proc/version; grep -q '^kpatch: cross 4242$' /proc/version; }
unloaded() { before; }
standard_flow new-global-across-files

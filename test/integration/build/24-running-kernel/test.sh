#!/bin/sh
# Built without -s/-c/-v, from what a Debian system has for its running
# kernel (the host's fake root describes this very kernel): it loads here.
# shellcheck source=../../lib.sh
. /payload/lib.sh
before()   { cat /proc/version; ! grep -q "found this kernel by itself" /proc/version; }
loaded()   { cat /proc/version; grep -q "Patched by a kpatch-build that found this kernel by itself." /proc/version; }
unloaded() { before; }
standard_flow running-kernel

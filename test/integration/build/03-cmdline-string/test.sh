#!/bin/sh
# A string in /proc/cmdline.
# shellcheck source=../../lib.sh
. /payload/lib.sh
before()   { cat /proc/cmdline; ! grep -q 'kpatch_cmdline=1' /proc/cmdline; }
loaded()   { cat /proc/cmdline; grep -q ' kpatch_cmdline=1$' /proc/cmdline; }
unloaded() { before; }
standard_flow cmdline-string

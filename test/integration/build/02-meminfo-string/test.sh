#!/bin/sh
# A string in /proc/meminfo: VmallocChunk in capitals.
# shellcheck source=../../lib.sh
. /payload/lib.sh
before()   { grep -q '^VmallocChunk:' /proc/meminfo && ! grep -q '^VMALLOCCHUNK:' /proc/meminfo; }
loaded()   { grep '^VMALLOCCHUNK:' /proc/meminfo && ! grep -q '^VmallocChunk:' /proc/meminfo; }
unloaded() { before; }
standard_flow meminfo-string

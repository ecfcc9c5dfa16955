#!/bin/sh
# A system call: uname(2) reports the machine as "kpatched" while patched.
. /payload/lib.sh
before()   { [ "$(uname -m)" = x86_64 ]; }
loaded()   { uname -a; [ "$(uname -m)" = kpatched ]; }
unloaded() { before; }
standard_flow syscall-uname

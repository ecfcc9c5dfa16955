#!/bin/sh
# KPATCH_SYSCALL_DEFINEx, seen from a static user-space program (kpsys):
# uname(2) reports machine "x86_64-kpatch" and the wait4(2) probe returns
# the fourth argument's low bits (0x123 = 291) and stores pid + 1 (42)
# while patched; before and after, the kernel's own answers.
. /payload/lib.sh
out() { kpsys | tr '\n' ' '; }
orig="machine=x86_64 wait4=-1 errno=22 status=-1 "
before()   { echo "kpsys: $(out)"; [ "$(out)" = "$orig" ]; }
loaded() {
	echo "kpsys: $(out)"
	[ "$(out)" = "machine=x86_64-kpatch wait4=291 errno=0 status=42 " ] || return 1
	patched_functions syscall-define vmlinux | tr '\n' ' ' | grep -qx '__x64_sys_newuname __x64_sys_wait4 ' ||
		{ echo "patched: $(patched_functions syscall-define vmlinux | tr '\n' ' ')"; return 1; }
	[ "$(uname -m)" = x86_64-kpatch ]
}
unloaded() { before; }
standard_flow syscall-define

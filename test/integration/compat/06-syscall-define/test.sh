#!/bin/sh
# KPATCH_SYSCALL_DEFINEx, seen from a static user-space program (kpsys):
# uname(2) reports machine "x86_64-kpatch" and the reboot(2) probe returns
# cmd (291) and stores magic2 + 1 (42)
# while patched; before and after, the kernel's own answers.
# shellcheck source=../../lib.sh
. /payload/lib.sh
out() { kpsys | tr '\n' ' '; }
orig="machine=x86_64 reboot=-1 errno=22 status=-1 "
before()   { echo "kpsys: $(out)"; [ "$(out)" = "$orig" ]; }
loaded() {
	echo "kpsys: $(out)"
	[ "$(out)" = "machine=x86_64-kpatch reboot=291 errno=0 status=42 " ] || return 1
	patched_functions syscall-define vmlinux | tr '\n' ' ' | grep -qx '__x64_sys_newuname __x64_sys_reboot ' ||
		{ echo "patched: $(patched_functions syscall-define vmlinux | tr '\n' ' ')"; return 1; }
	[ "$(uname -m)" = x86_64-kpatch ]
}
unloaded() { before; }
standard_flow syscall-define

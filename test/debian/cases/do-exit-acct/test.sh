#!/bin/sh
# Issue 26, item 5, on Debian's kernel: a change in do_exit(), which calls
# acct_process.  The -dbg vmlinux the patch was built against gives
# acct_process its ELF size (6.1.0-57: 298 bytes); kallsyms measures it
# to the next symbol, past code no symbol names (6.1.0-57: 368).  vmlinux's
# build ID matched, so the core must accept the longer extent for a
# function the patch only calls.  Patched, a task named kpexitacct that
# is the last of its group logs its pid as it exits past acct_process.
# The suite writes acct_process's st_size in the -dbg vmlinux to
# /payload/acct_process.size.
# shellcheck source=../../../integration/lib.sh
. /payload/lib.sh
size=$(cat /payload/acct_process.size) || fail "no /payload/acct_process.size"

# The premise, from the running kernel: kallsyms (in address order) gives
# acct_process more bytes than its st_size, by more than the core grants
# a symbol that is not a function (64, or the next symbol's alignment).
next=$(awk '$3 == "acct_process" { found = 1; addr = $1; next }
	found && $1 != addr { print addr, $1; exit }' /proc/kallsyms)
[ -n "$next" ] || fail "acct_process is not in /proc/kallsyms"
# the low 32 bits: vmlinux lies within one 4 GiB range
addr=$((0x$(echo "${next% *}" | cut -c9-16)))
end=$((0x$(echo "${next#* }" | cut -c9-16)))
[ "$addr" != 0 ] || fail "/proc/kallsyms hides the addresses"
extent=$((end - addr))
align=1
while [ $align -lt 2147483648 ] && [ $((end % (align * 2))) = 0 ]; do align=$((align * 2)); done
[ $align -gt 64 ] || align=64
echo "acct_process: st_size $size, kallsyms $extent"
[ $((extent - size)) -ge $align ] ||
	fail "premise: kallsyms measures acct_process as $extent bytes, within $align of its $size: a size check for data would accept it too"

# probe: the pid of a process named kpexitacct that has exited.
probe() { sh -c 'printf %s kpexitacct > /proc/self/comm; echo $$'; }
logged() { dmesg | grep -q "kpatch-test: $1 exits past acct_process$"; }
before() { pid=$(probe); sleep 0.2; ! logged "$pid"; }
loaded() {
	patched_functions do-exit-acct vmlinux | grep -qx do_exit ||
		{ echo "do_exit is not among the patched functions"; return 1; }
	pid=$(probe); sleep 0.2
	logged "$pid" || { echo "no log line for pid $pid's exit"; return 1; }
	echo "pid $pid exited through the patched do_exit"
}
unloaded() { before; }
standard_flow do-exit-acct

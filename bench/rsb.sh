#!/bin/bash
# The return stack buffer on this machine's own CPU, which TCG does not
# model: ns per call of a patched function at the bottom of a chain of D
# callers, reached through each fast path of the slot (bench/rsb/paths.S):
# unpatched (ftrace's nop), jump (drop the return address, jmp: kpatch's
# fast path until issue 29), ret (the target over the return address,
# RET: since) and ideal (a jmp at the fentry site, no call; no ftrace API
# offers it).  User-space code run natively: the instruction sequences of
# kmod/core/slots.S without the kernel around them, best of R interleaved
# runs, which other load on the machine still disturbs.
# Usage: bench/rsb.sh   (also run by 'make bench')
# Environment: KPATCH_BENCH_RSB_CALLS (200000), KPATCH_BENCH_RSB_REPEAT (60).
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
out=$top/build/bench-rsb
calls=${KPATCH_BENCH_RSB_CALLS:-200000}
repeat=${KPATCH_BENCH_RSB_REPEAT:-60}

mkdir -p "$out"
gcc -O2 -Wall -Wextra -Werror -o "$out/rsb" "$top/bench/rsb/rsb.c" "$top/bench/rsb/paths.S"
echo "Per call through each path at the bottom of D callers (best of $repeat runs of $calls calls, ns, $(grep -m1 'model name' /proc/cpuinfo | sed 's/.*: //'))"
"$out/rsb" "$calls" "$repeat" 0 1 2 4 8 12 16 24 32 | awk '
BEGIN { printf "%4s | %9s %9s %9s %9s | %9s %9s %9s\n", "D", "unpatched", "jump", "ret", "ideal", "jump/unp.", "ret/unp.", "jump/ret" }
{ printf "%4d | %9.2f %9.2f %9.2f %9.2f | %8.2fx %8.2fx %8.2fx\n", $1, $2, $3, $4, $5, $3 / $2, $4 / $2, $3 / $4 }' |
	tee "$out/table.txt"

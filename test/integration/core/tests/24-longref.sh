#!/bin/sh
# Test 24 (issue 26, item 5): a patch refers to a vmlinux function that
# kallsyms measures longer than its ELF size, because code no symbol names
# follows it (Debian's 6.1.0-57 acct_process: 298 bytes, 368 in kallsyms).
# vmlinux's build ID matched, so only a shorter size disproves a function,
# one the patch merely refers to as much as one it replaces.
# shellcheck source=../lib.sh
. /payload/lib.sh
setup
value() { sed -n 's/value=//p' /proc/kpf_target; }

[ -f "$P"/kpf_longref.function ] ||
	fail "the build found no function of vmlinux followed by code no symbol names: nothing to test"
fn=$(cat "$P"/kpf_longref.function)
size=$(cat "$P"/kpf_longref.size)

# The premise, from the running kernel: kallsyms (in address order) gives
# fn more bytes than its st_size, by more than the core grants data
# (64, or the next symbol's alignment).
next=$(awk -v f="$fn" '$3 == f { found = 1; addr = $1; next }
	found && $1 != addr { print addr, $1; exit }' /proc/kallsyms)
[ -n "$next" ] || fail "$fn is not in /proc/kallsyms"
# the low 32 bits: vmlinux lies within one 4 GiB range
addr=$((0x$(echo "${next% *}" | cut -c9-16)))
end=$((0x$(echo "${next#* }" | cut -c9-16)))
extent=$((end - addr))
align=1
while [ $align -lt 2147483648 ] && [ $((end % (align * 2))) = 0 ]; do align=$((align * 2)); done
[ $align -gt 64 ] || align=64
echo "$fn: st_size $size, kallsyms $extent"
[ $((extent - size)) -ge $align ] ||
	fail "premise: kallsyms measures $fn as $extent bytes, within $align of its $size: the old rule would accept it too"

insmod "$P"/kpf_target.ko || fail "insmod kpf_target"
insmod "$P"/kpf_longref.ko ||
	fail "a patch referring to $fn was refused: $(cat "$K"/last_error)"
expect_eq "$(value)" 7 "the patch's pointer is $fn as kallsyms describes it"
echo 0 > "$K"/kpf_longref/enabled || fail "disabling kpf_longref"
expect_eq "$(value)" 1 "unpatched"
rmmod kpf_longref kpf_target || fail "rmmod"

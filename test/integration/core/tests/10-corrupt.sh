#!/bin/sh
# Test 10: a patch for another ABI version and corrupt descriptions are
# refused with messages that say what is wrong; nothing is left behind.
# shellcheck source=../lib.sh
. /payload/lib.sh
setup

try() { # MODE PATTERN
	mark
	expect_insmod_fails "$P"/kpf_bad.ko mode="$1"
	expect_log "kpatch: kpf_bad: $2"
	[ -d "$K"/kpf_bad ] && fail "mode=$1 left a sysfs directory"
	loaded kpf_bad && fail "mode=$1 left the module loaded"
	expect_eq "$(cat /proc/cmdline)" "$ORIG_CMDLINE" "mode=$1: nothing patched"
}

try abi "patch built for kpatch ABI version 3, but this kpatch core implements ABI version 2; refusing it"
try funcs-misaligned "corrupt patch description: the function table is malformed"
try func-noname "corrupt patch description: function record 0 has no valid name"
try func-outside "corrupt patch description: the replacement of cmdline_proc_show is not inside the patch module"
try func-flags "corrupt patch description: function cmdline_proc_show has unknown flags 0x80"
try reloc-type "corrupt patch description: relocation record 0 \(saved_command_line\) has unsupported type 99"
try reloc-dest "corrupt patch description: relocation record 0 \(saved_command_line\) writes outside the patch module"
try symbol "symbol kpf_no_such_symbol not found in vmlinux"
try sympos "symbol saved_command_line,3 not found in vmlinux: it has only 1 of that name"
try size "symbol saved_command_line,0 in vmlinux has size [0-9]+ in the running kernel, the patch was built against size 4096"
grep -q "^kpf_bad: symbol saved_command_line,0 in vmlinux has size" "$K"/last_error ||
	fail "last_error: $(cat "$K"/last_error)"

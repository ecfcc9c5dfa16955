#!/bin/sh
# Test 11 (issue 12, defect 0): a patch that uses a per-CPU variable vmlinux
# does not export (process_counts) loads; its value is an offset into the
# per-CPU area, which kallsyms cannot describe by address.
# shellcheck source=../lib.sh
. /payload/lib.sh
setup
value() { sed -n 's/value=//p' /proc/kpf_target; }

insmod "$P"/kpf_target.ko || fail "insmod kpf_target"
insmod "$P"/kpf_pcpu.ko || fail "a patch using a per-CPU variable was refused: $(cat "$K"/last_error)"
expect_eq "$(value)" 5 "both per-CPU reads agree"
echo 0 > "$K"/kpf_pcpu/enabled || fail "disabling kpf_pcpu"
expect_eq "$(value)" 1 "unpatched"
rmmod kpf_pcpu kpf_target || fail "rmmod"

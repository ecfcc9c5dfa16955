#!/bin/sh
# Test 15 (issue 12, defect 7): only an enabled patch refuses the load of
# a module its part for which cannot be resolved; a disabled one lets it
# load, and then cannot be enabled while that module is there.
# shellcheck source=../lib.sh
. /payload/lib.sh
setup
value() { sed -n 's/value=//p' /proc/kpf_target; }

insmod "$P"/kpf_stale.ko || fail "insmod kpf_stale without its target"
mark
expect_insmod_fails "$P"/kpf_target.ko
expect_log "kpf_stale: refusing to let module kpf_target load"

echo 0 > "$K"/kpf_stale/enabled || fail "disabling kpf_stale"
mark
insmod "$P"/kpf_target.ko || fail "a disabled patch refused its target's load"
expect_log "kpf_stale: disabled, so module kpf_target loads"
expect_eq "$(value)" 1 "unpatched"
expect_eq "$(cat "$K"/kpf_stale/kpf_target/loaded)" 0 "unresolved"
echo 1 2>/tmp/err > "$K"/kpf_stale/enabled && fail "enabled a patch whose part for a loaded module does not resolve"
grep -q "has size" "$K"/last_error || fail "last_error: $(cat "$K"/last_error)"
expect_eq "$(cat "$K"/kpf_stale/enabled)" 0 "still disabled"
expect_eq "$(value)" 1 "still unpatched"
rmmod kpf_stale kpf_target || fail "rmmod"

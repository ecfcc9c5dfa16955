#!/bin/sh
# Test 7: patching a module: already loaded; then loaded after the patch
# (deferred), removed and loaded again; the patch never pins the target.
# shellcheck source=../lib.sh
. /payload/lib.sh
setup
value() { sed -n 's/value=//p' /proc/kpf_target; }
d=$K/kpf_mod

# The target is loaded first.
insmod "$P"/kpf_target.ko || fail "insmod kpf_target"
expect_eq "$(value)" 1 "unpatched value"
insmod "$P"/kpf_mod.ko || fail "insmod kpf_mod"
expect_eq "$(value)" 2 "patched value"
expect_eq "$(cat "$d"/kpf_target/loaded)" 1 "loaded"
old=$(grep ' kpf_target_value	\[kpf_target\]' /proc/kallsyms | cut -d' ' -f1)
expect_eq "$(cat "$d"/kpf_target/kpf_target_value,0/old_addr)" "0x$old" "old_addr"
echo 0 > "$d"/enabled || fail "disabling kpf_mod"
expect_eq "$(value)" 1 "unpatched again"
rmmod kpf_mod || fail "rmmod kpf_mod"

# Deferred: the patch first, then the target.
rmmod kpf_target || fail "rmmod kpf_target"
insmod "$P"/kpf_mod.ko || fail "insmod kpf_mod without its target"
expect_eq "$(cat "$d"/kpf_target/loaded)" 0 "not loaded"
expect_eq "$(cat "$d"/kpf_target/kpf_target_value,0/old_addr)" "0" "unresolved old_addr"
expect_eq "$(cat "$d"/kpf_target/kpf_target_value,0/active)" 0 "inactive"
mark
insmod "$P"/kpf_target.ko || fail "insmod kpf_target under the patch"
expect_log "kpf_mod: patched module kpf_target as it loads"
expect_eq "$(value)" 2 "patched as it loads"
expect_eq "$(cat "$d"/kpf_target/loaded)" 1 "loaded"
expect_eq "$(cat "$d"/kpf_target/kpf_target_value,0/active)" 1 "active"

# The patch holds no reference on the target.
mark
rmmod kpf_target || fail "the patch pins its target"
expect_log "kpf_mod: unpatched module kpf_target as it goes"
expect_eq "$(cat "$d"/kpf_target/loaded)" 0 "unloaded"
expect_eq "$(cat "$d"/enabled)" 1 "still enabled"
insmod "$P"/kpf_target.ko || fail "reloading kpf_target"
expect_eq "$(value)" 2 "patched after reload"

# Disable with the target loaded, then it loads unpatched.
echo 0 > "$d"/enabled || fail "disabling kpf_mod"
expect_eq "$(value)" 1 "unpatched"
rmmod kpf_target || fail "rmmod kpf_target"
insmod "$P"/kpf_target.ko || fail "insmod kpf_target"
expect_eq "$(value)" 1 "a disabled patch leaves a new load alone"
rmmod kpf_mod kpf_target || fail "rmmod"

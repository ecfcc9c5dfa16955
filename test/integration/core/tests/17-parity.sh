#!/bin/sh
# Test 17: cases of the kernel's livepatch selftests (6.1) that the other
# tests do not cover, rewritten for the core (the list is in
# kmod/core/README.md): "sysfs test" (rights and values), "sysfs test
# object/patched" and "multiple target modules" with the callbacks of
# each object as its module comes and goes.
# shellcheck source=../lib.sh
. /payload/lib.sh
setup
# shellcheck disable=SC2012 # one known sysfs path, no odd names
rights() { ls -ld "$1" | cut -d' ' -f1; }
tv() { sed -n 's/value=//p' /proc/kpf_target; }
sv() { sed -n 's/value=//p' /proc/kpf_slow; }

insmod "$P"/kpf_p1.ko || fail "insmod kpf_p1"
expect_eq "$(rights "$K"/kpf_p1)" drwxr-xr-x "patch directory"
expect_eq "$(rights "$K"/kpf_p1/enabled)" -rw-r--r-- "enabled"
for f in replace pinned stop_machine_ns check_ns tasks_checked pause_walks retries vmlinux/loaded \
	vmlinux/cmdline_proc_show,0/active vmlinux/cmdline_proc_show,0/forced \
	vmlinux/cmdline_proc_show,0/old_addr vmlinux/cmdline_proc_show,0/new_addr \
	vmlinux/cmdline_proc_show,0/sympos; do
	expect_eq "$(rights "$K"/kpf_p1/$f)" -r--r--r-- "$f"
done
expect_eq "$(rights "$K"/last_error)" -r--r--r-- "last_error"
expect_eq "$(cat "$K"/kpf_p1/vmlinux/loaded)" 1 "vmlinux/loaded"
echo 2 > "$K"/kpf_p1/enabled 2>/dev/null && fail "enabled accepted 2"
ok "enabled refuses 2"
{ echo 0 > "$K"/kpf_p1/enabled && rmmod kpf_p1; } || fail "unloading kpf_p1"

# One patch, two target modules: one loaded before, one after.
insmod "$P"/kpf_target.ko || fail "insmod kpf_target"
mark
insmod "$P"/kpf_multi.ko || fail "insmod kpf_multi"
expect_eq "$(tv)" 3 "kpf_target patched"
expect_eq "$(cat "$K"/kpf_multi/kpf_slow/loaded)" 0 "kpf_slow/loaded before it loads"
expect_log "kpf_multi: pre_patch kpf_target live"
expect_log "kpf_multi: post_patch kpf_target live"
expect_no_log "kpf_multi: pre_patch kpf_slow"
mark
insmod "$P"/kpf_slow.ko & slow=$!
i=0
until [ -e /proc/kpf_slow ]; do
	i=$((i + 1)); [ $i -lt 100 ] || fail "kpf_slow's init never started"; sleep 0.1
done
expect_eq "$(sv)" 3 "kpf_slow patched as it loads"
expect_eq "$(cat "$K"/kpf_multi/kpf_slow/loaded)" 1 "kpf_slow/loaded"
expect_log "kpf_multi: pre_patch kpf_slow coming"
expect_log "kpf_multi: post_patch kpf_slow coming"
echo go > /proc/kpf_slow; wait $slow || fail "insmod kpf_slow"
mark
rmmod kpf_slow || fail "rmmod kpf_slow"
expect_log "kpf_multi: pre_unpatch kpf_slow going"
expect_log "kpf_multi: post_unpatch kpf_slow going"
expect_eq "$(cat "$K"/kpf_multi/kpf_slow/loaded)" 0 "kpf_slow/loaded after it went"
mark
echo 0 > "$K"/kpf_multi/enabled || fail "disabling kpf_multi"
expect_log "kpf_multi: pre_unpatch kpf_target live"
expect_log "kpf_multi: post_unpatch kpf_target live"
expect_no_log "kpf_multi: (pre|post)_unpatch kpf_slow"
expect_eq "$(tv)" 1 "kpf_target unpatched"
rmmod kpf_multi kpf_target || fail "rmmod"

#!/bin/sh
# Test 2: two patches of one function: the newest wins; disabling it
# reveals the first, not the original.
# shellcheck source=../lib.sh
. /payload/lib.sh
setup

insmod "$P"/kpf_p1.ko || fail "insmod kpf_p1"
insmod "$P"/kpf_p2.ko || fail "insmod kpf_p2"
expect_eq "$(cat /proc/cmdline)" "kpf_p2" "newest wins"
expect_eq "$(cat "$K"/kpf_p1/vmlinux/cmdline_proc_show,0/active)" 1 "p1 active"
expect_eq "$(cat "$K"/kpf_p2/vmlinux/cmdline_proc_show,0/active)" 1 "p2 active"

echo 0 > "$K"/kpf_p2/enabled || fail "disabling kpf_p2"
expect_eq "$(cat /proc/cmdline)" "kpf_p1 $ORIG_CMDLINE" "falls back to p1"

echo 1 > "$K"/kpf_p2/enabled || fail "re-enabling kpf_p2"
expect_eq "$(cat /proc/cmdline)" "kpf_p2" "re-enabled p2 is the newest"

echo 0 > "$K"/kpf_p1/enabled || fail "disabling the lower kpf_p1"
expect_eq "$(cat /proc/cmdline)" "kpf_p2" "p2 still wins"
echo 0 > "$K"/kpf_p2/enabled || fail "disabling kpf_p2"
expect_eq "$(cat /proc/cmdline)" "$ORIG_CMDLINE" "original"
rmmod kpf_p2 kpf_p1 || fail "rmmod"

#!/bin/sh
# Test 3: a replacing patch disables all others in one transition.
# shellcheck source=../lib.sh
. /payload/lib.sh
setup

insmod "$P"/kpf_p1.ko || fail "insmod kpf_p1"
insmod "$P"/kpf_p2.ko || fail "insmod kpf_p2"
mark
insmod "$P"/kpf_p3.ko || fail "insmod kpf_p3"
expect_eq "$(cat /proc/cmdline)" "kpf_p3" "the replacing patch wins"
expect_eq "$(cat "$K"/kpf_p3/replace)" 1 "p3 replace"
expect_eq "$(cat "$K"/kpf_p1/enabled)" 0 "p1 disabled"
expect_eq "$(cat "$K"/kpf_p2/enabled)" 0 "p2 disabled"
expect_log "kpf_p1: disabled: replaced by kpf_p3"
expect_log "kpf_p2: disabled: replaced by kpf_p3"
[ "$(since_mark | grep -c 'kpf_p3: enabled, replacing all others')" = 1 ] ||
	fail "not exactly one transition"
rmmod kpf_p1 kpf_p2 || fail "replaced patches cannot be removed"
expect_eq "$(cat /proc/cmdline)" "kpf_p3" "p3 after removing the others"
echo 0 > "$K"/kpf_p3/enabled || fail "disabling kpf_p3"
expect_eq "$(cat /proc/cmdline)" "$ORIG_CMDLINE" "original, not a replaced patch"
rmmod kpf_p3 || fail "rmmod kpf_p3"

#!/bin/sh
# Test 14 (issue 12, defect 7; the selftest test-ftrace.sh): with the sysctl
# kernel.ftrace_enabled at 0 a patch is refused with a message saying so,
# not as a conflict with another IPMODIFY user; while a patch is enabled
# the sysctl cannot be turned off (the ops are PERMANENT), and the patch
# stays in effect.
# shellcheck source=../lib.sh
. /payload/lib.sh
setup
sysctl=/proc/sys/kernel/ftrace_enabled

echo 0 > $sysctl || fail "turning ftrace off"
mark
insmod "$P"/kpf_p1.ko 2>/tmp/err && fail "a patch loaded with ftrace off"
echo 1 > $sysctl || fail "turning ftrace on"
grep -q "function tracing is turned off (sysctl kernel.ftrace_enabled is 0)" "$K"/last_error ||
	fail "last_error: $(cat "$K"/last_error)"
expect_no_log "another ftrace IPMODIFY user"
expect_eq "$(cat /proc/cmdline)" "$ORIG_CMDLINE" "unpatched"

insmod "$P"/kpf_p1.ko || fail "insmod kpf_p1 with ftrace on"
echo 0 2>/tmp/err > $sysctl && fail "ftrace turned off under an enabled patch"
ok "sysctl refused: $(cat /tmp/err)"
expect_eq "$(cat $sysctl)" 1 "ftrace_enabled"
expect_eq "$(cat /proc/cmdline)" "kpf_p1 $ORIG_CMDLINE" "still patched"
{ echo 0 > "$K"/kpf_p1/enabled && rmmod kpf_p1; } || fail "unloading kpf_p1"

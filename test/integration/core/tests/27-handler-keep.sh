#!/bin/sh
# Test 27 (issue 24): a disable does not wait for ftrace to unregister the
# handler's ops.  The ops whose last function leaves is parked instead: its
# filter switched to one of kpatch.ko's anchor functions (kpatch_anchor_N,
# which nothing calls), and unregistered by the worker after
# handler_keep_ms.  The function itself is let go of at once: ftrace no
# longer shows the handler on it, a kprobe that may change the ip and the
# kernel's livepatch take it right after the disable, and the sysctl
# kernel.ftrace_enabled can be turned off (a parked ops is not PERMANENT).
# With every anchor taken, a disable unregisters at once and says so once.
# A parked ops goes when its time is up (with kpatch.ko: 98-handler-exit.sh).
# shellcheck source=../lib.sh
. /payload/lib.sh
setup
T=/sys/kernel/tracing
keep=/sys/module/kpatch/parameters/handler_keep_ms
new="kpf_p1 $ORIG_CMDLINE"
klp=/sys/kernel/livepatch/livepatch_sample

site() { grep -A1 '^cmdline_proc_show ' $T/enabled_functions; }
# The anchors ftrace calls the handler for, one a line.
anchors() { grep -A1 '^kpatch_anchor_' $T/enabled_functions | grep -B1 kpatch_ftrace_handler | grep -o '^kpatch_anchor_[0-9]*'; }
nr_anchors() { anchors | grep -c . ; }
no_anchor() { [ "$(nr_anchors)" = 0 ]; }

# On the handler only, and nothing parked from earlier tests.
echo 0 > /sys/module/kpatch/parameters/direct_calls
echo 0 > $keep || fail "setting handler_keep_ms"
wait_until "no parked handler ops from earlier tests" no_anchor
echo 60000 > $keep || fail "setting handler_keep_ms"

insmod "$P"/kpf_p1.ko || fail "insmod kpf_p1"
expect_eq "$(cat /proc/cmdline)" "$new" "patched"
site | grep -q kpatch_ftrace_handler || fail "the handler is not on the site: $(site)"
echo 0 > "$K"/kpf_p1/enabled || fail "disabling kpf_p1"
# No waiting from here on: each of these holds right after the disable.
expect_eq "$(cat /proc/cmdline)" "$ORIG_CMDLINE" "disabled"
site > /dev/null && fail "ftrace still shows the site after the disable: $(site)"
ok "the site is let go of at once"
expect_eq "$(nr_anchors)" 1 "handler ops parked on an anchor"
ok "parked on $(anchors)"

insmod "$P"/kpf_kprobe.ko symbol=cmdline_proc_show || fail "the kprobe was kept off the just-disabled function"
expect_eq "$(cat /proc/cmdline)" "$ORIG_CMDLINE" "the original under the kprobe"
[ "$(cat /sys/module/kpf_kprobe/parameters/hits)" -ge 1 ] || fail "the kprobe missed the call"
ok "the kprobe took the site and saw the call"
rmmod kpf_kprobe || fail "rmmod kpf_kprobe"

sysctl=/proc/sys/kernel/ftrace_enabled
echo 0 > $sysctl || fail "a parked handler ops kept ftrace from being turned off"
echo 1 > $sysctl || fail "turning ftrace on again"
ok "kernel.ftrace_enabled turned off and on with an ops parked"

# Enabled again: a new ops holds the function (a parked one is not reused:
# adding a function to a registered ops would not ask a BPF trampoline on
# it to share the site), and a second disable parks that one too.
echo 1 > "$K"/kpf_p1/enabled || fail "enabling kpf_p1 again"
expect_eq "$(cat /proc/cmdline)" "$new" "enabled again"
echo 0 > "$K"/kpf_p1/enabled || fail "disabling kpf_p1 again"
expect_eq "$(nr_anchors)" 2 "handler ops parked after the second disable"

# With every anchor taken, a disable unregisters the emptied ops at once,
# still lets go of the function, and the kernel log says so once.
all=$(grep -c ' kpatch_anchor_[0-9]*[[:space:]]*\[kpatch\]$' /proc/kallsyms)
cycle() {
	echo 1 > "$K"/kpf_p1/enabled || fail "enabling kpf_p1 ($1)"
	echo 0 > "$K"/kpf_p1/enabled || fail "disabling kpf_p1 ($1)"
	site > /dev/null && fail "ftrace still shows the site after disable $1: $(site)"
}
n=$(nr_anchors)
while [ "$n" -lt "$all" ]; do
	cycle "$n"
	n=$((n + 1))
done
expect_eq "$(nr_anchors)" "$all" "every anchor taken"
cycle "$all"
cycle "$((all + 1))"
expect_eq "$(nr_anchors)" "$all" "parked ops once every anchor is taken"
expect_eq "$(dmesg | grep -c 'every anchor holds an emptied ftrace_ops')" 1 "kernel log lines on running out of anchors"
expect_eq "$(cat /proc/cmdline)" "$ORIG_CMDLINE" "disabled, with no anchor left"
ok "with all $all anchors taken, disables unregister at once (said once)"
rmmod kpf_p1 || fail "rmmod kpf_p1"

insmod "$P"/livepatch-sample.ko || fail "the livepatch was kept off the just-disabled function"
grep -q "this has been live patched" /proc/cmdline || fail "livepatch-sample did not patch: $(cat /proc/cmdline)"
ok "the kernel's livepatch took the function"
echo 0 > $klp/enabled || fail "disabling livepatch_sample"
klp_done() { [ "$(cat $klp/transition 2>/dev/null)" != 1 ] && rmmod livepatch_sample 2>/dev/null; }
wait_until "livepatch_sample leaves" klp_done

echo 0 > $keep || fail "setting handler_keep_ms"
wait_until "the worker unregisters the parked ops" no_anchor
echo 1000 > $keep

expect_eq "$(cat /proc/cmdline)" "$ORIG_CMDLINE" "the original at the end"

#!/bin/sh
# Test 28 (issue 24): a kprobe that may change the ip (one with a
# post_handler) joining ftrace through kprobe_ipmodify_ops when that ops
# is already registered for another function.  Such a join is a filter
# change, about which ftrace asks nobody: on a function the core moved to
# a direct call (direct_calls=1) it is not refused, and ftrace's
# trampoline runs the kprobe and then enters the slot.  The slot must not
# overwrite the ip the kprobe chose: a kprobe that diverts the call wins
# (it would have been refused on the handler), one that does not sees the
# call while the patch stays in force.
# shellcheck source=../lib.sh
. /payload/lib.sh
setup
T=/sys/kernel/tracing
F=$K/kpf_p1/vmlinux/cmdline_proc_show,0/redirect
new="kpf_p1 $ORIG_CMDLINE"
hits=/sys/module/kpf_kprobe/parameters/hits

site() { grep -A1 '^cmdline_proc_show ' $T/enabled_functions; }
redirect_is() { [ "$(cat "$F")" = "$1" ]; }
no_site() { ! site > /dev/null; }

insmod "$P"/kpf_p1.ko || fail "insmod kpf_p1"
wait_until "cmdline_proc_show moves to its direct call" redirect_is direct
expect_eq "$(cat /proc/cmdline)" "$new" "patched through the direct call"

# The probe of version_proc_show registers kprobe_ipmodify_ops; the
# probe of cmdline_proc_show then joins it and diverts every call.
insmod "$P"/kpf_kprobe.ko first=version_proc_show symbol=cmdline_proc_show divert=1 ||
	fail "insmod kpf_kprobe (diverting)"
ok "joined: $(site | tr '\n' ' ')"
expect_eq "$(cat /proc/cmdline)" kpf_kprobe "the kprobe's diversion, not the slot's target"
[ "$(cat $hits)" -ge 1 ] || fail "the kprobe missed the call"
ok "the kprobe diverted $(cat $hits) calls"
expect_eq "$(cat "$F")" direct "redirect under the diverting kprobe"
rmmod kpf_kprobe || fail "rmmod kpf_kprobe"
expect_eq "$(cat /proc/cmdline)" "$new" "patched again once the kprobe left"

# One that leaves the ip alone sees the calls, and the patch runs.
insmod "$P"/kpf_kprobe.ko first=version_proc_show symbol=cmdline_proc_show ||
	fail "insmod kpf_kprobe"
expect_eq "$(cat /proc/cmdline)" "$new" "patched under the kprobe"
[ "$(cat $hits)" -ge 1 ] || fail "the kprobe missed the call"
ok "the kprobe saw $(cat $hits) calls"
rmmod kpf_kprobe || fail "rmmod kpf_kprobe"

echo 0 > "$K"/kpf_p1/enabled || fail "disabling kpf_p1"
rmmod kpf_p1 || fail "rmmod kpf_p1"
wait_until "ftrace lets go of the site" no_site
expect_eq "$(cat /proc/cmdline)" "$ORIG_CMDLINE" "the original at the end"

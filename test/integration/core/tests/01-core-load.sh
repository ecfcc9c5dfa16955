#!/bin/sh
# Test 01-core-load (issue 24): what kpatch.ko does of itself, tested while
# it can still be removed (04-busy pins a patch, and with it kpatch.ko,
# until reboot).  A fresh kpatch.ko keeps patched functions on its ftrace
# handler (direct_calls=0); one loaded with direct_calls=1 moves them (the
# parameter given at load is applied once its init is done); while a
# direct call of its is registered it holds a reference on itself, and
# once the last one is let go of it can be removed.
# shellcheck source=../lib.sh
. /payload/lib.sh
setup
T=/sys/kernel/tracing
F=$K/kpf_p1/vmlinux/cmdline_proc_show,0/redirect
new="kpf_p1 $ORIG_CMDLINE"

redirect_is() { [ "$(cat "$F")" = "$1" ]; }
no_site() { ! grep -q '^cmdline_proc_show ' $T/enabled_functions; }
core_gone() {
	rmmod kpatch 2>/dev/null && return
	[ $i -lt 199 ] && return 1
	echo "kpatch.ko: refcnt $(cat /sys/module/kpatch/refcnt), holders: $(ls /sys/module/kpatch/holders)"
	cat $T/enabled_functions
	return 1
}
reload_core() { # [ARGS]
	wait_until "kpatch.ko unloads" core_gone
	insmod "$P"/kpatch.ko "$@" || fail "insmod kpatch.ko $*"
}

reload_core
expect_eq "$(cat /sys/module/kpatch/parameters/direct_calls)" N "direct_calls of a fresh kpatch.ko"
expect_eq "$(cat "$K"/ftrace)" running "ftrace as the core sees it"
insmod "$P"/kpf_p1.ko || fail "insmod kpf_p1"
expect_eq "$(cat /proc/cmdline)" "$new" "patched"
# A move takes the worker well under a second (23-direct.sh): none comes.
sleep 1
expect_eq "$(cat "$F")" ftrace "redirect with direct_calls=0"
echo 0 > "$K"/kpf_p1/enabled || fail "disable kpf_p1"
rmmod kpf_p1 || fail "rmmod kpf_p1"
wait_until "ftrace lets go of the site" no_site

reload_core direct_calls=1
insmod "$P"/kpf_p1.ko || fail "insmod kpf_p1"
wait_until "cmdline_proc_show moves with direct_calls=1 given at load" redirect_is direct
expect_eq "$(cat /proc/cmdline)" "$new" "patched through the direct call"
# kpf_p1 holds kpatch.ko, and kpatch.ko itself while a direct call of its
# is registered: no rmmod can take the slot's text away.
expect_eq "$(cat /sys/module/kpatch/refcnt)" 2 "kpatch.ko's references with a direct call"
echo 0 > "$K"/kpf_p1/enabled || fail "disable kpf_p1"
rmmod kpf_p1 || fail "rmmod kpf_p1"
wait_until "ftrace lets go of the site" no_site
expect_eq "$(cat /proc/cmdline)" "$ORIG_CMDLINE" "the original again"
reload_core

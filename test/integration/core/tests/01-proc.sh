#!/bin/sh
# Test 1: patch cmdline_proc_show, see the new output, disable, unload.
# shellcheck source=../lib.sh
. /payload/lib.sh
setup

insmod "$P"/kpf_p1.ko || fail "insmod kpf_p1"
expect_eq "$(cat /proc/cmdline)" "kpf_p1 $ORIG_CMDLINE" "patched /proc/cmdline"

d=$K/kpf_p1
f=$d/vmlinux/cmdline_proc_show,0
expect_eq "$(cat "$d"/enabled)" 1 "enabled"
expect_eq "$(cat "$d"/replace)" 0 "replace"
expect_eq "$(cat "$d"/vmlinux/loaded)" 1 "vmlinux loaded"
expect_eq "$(cat "$f"/active)" 1 "active"
expect_eq "$(cat "$f"/forced)" 0 "forced"
expect_eq "$(cat "$f"/sympos)" 0 "sympos"
old=$(grep ' cmdline_proc_show$' /proc/kallsyms | cut -d' ' -f1)
expect_eq "$(cat "$f"/old_addr)" "0x$old" "old_addr"
new=$(grep ' kpf_p1_cmdline_proc_show	\[kpf_p1\]' /proc/kallsyms | cut -d' ' -f1)
expect_eq "$(cat "$f"/new_addr)" "0x$new" "new_addr"
# A pause is never 0: a number of ns, or "<1 tick" when the guest's clock
# is jiffies-based (issue 16).
for x in stop_machine_ns check_ns; do
	v=$(cat "$d"/$x)
	{ [ "$v" = "<1 tick" ] || [ "$v" -gt 0 ]; } 2>/dev/null || fail "$x is '$v'"
done
[ "$(cat "$d"/stop_machine_ns)" = "<1 tick" ] || [ "$(cat "$d"/check_ns)" = "<1 tick" ] ||
	[ "$(cat "$d"/stop_machine_ns)" -ge "$(cat "$d"/check_ns)" ] ||
	fail "stop_machine_ns $(cat "$d"/stop_machine_ns) is below check_ns $(cat "$d"/check_ns)"
[ "$(cat "$d"/tasks_checked)" -gt 5 ] || fail "tasks_checked is $(cat "$d"/tasks_checked)"
[ "$(cat "$d"/retries)" -ge 0 ] || fail "retries is $(cat "$d"/retries)"
ok "figures (ns): stop_machine $(cat "$d"/stop_machine_ns), check $(cat "$d"/check_ns), $(cat "$d"/tasks_checked) tasks, $(cat "$d"/retries) retries"
expect_eq "$(cat "$K"/last_error)" "" "last_error"
# ftrace calls the handler from a trampoline of the core's ops alone, or,
# once the function has moved (23-direct.sh), calls its slot directly.
site=$(grep -A1 '^cmdline_proc_show ' /sys/kernel/tracing/enabled_functions)
case "$(cat "$f"/redirect)" in
ftrace) echo "$site" | grep -qE "^cmdline_proc_show .* R I .*tramp: .*->kpatch_ftrace_handler\+" ;;
direct|slot) echo "$site" | grep -q "direct-->kpatch_slots+" ;;
*) false ;;
esac || fail "redirect $(cat "$f"/redirect), ftrace: $site"
ok "redirect $(cat "$f"/redirect): $site"

rmmod kpf_p1 2>/dev/null && fail "an enabled patch module could be removed"
expect_eq "$(cat /proc/cmdline)" "kpf_p1 $ORIG_CMDLINE" "still patched after a refused rmmod"

echo 0 > "$d"/enabled || fail "disabling through sysfs"
expect_eq "$(cat /proc/cmdline)" "$ORIG_CMDLINE" "original /proc/cmdline"
expect_eq "$(cat "$d"/enabled)" 0 "enabled after disable"
expect_eq "$(cat "$f"/active)" 0 "active after disable"
rmmod kpf_p1 || fail "rmmod of a disabled patch"
[ -d "$d" ] && fail "$d still exists"
expect_eq "$(cat /proc/cmdline)" "$ORIG_CMDLINE" "original after unload"

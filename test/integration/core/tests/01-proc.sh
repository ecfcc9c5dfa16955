#!/bin/sh
# Test 1: patch cmdline_proc_show, see the new output, disable, unload.
# shellcheck source=../lib.sh
. /payload/lib.sh
setup

# On the ftrace handler first: no function moves to a direct call in the
# background until the handler's site is checked below.
echo 0 > /sys/module/kpatch/parameters/direct_calls
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
# ftrace calls the handler from a trampoline of the core's ops alone (one
# ops on the site: ftrace names a trampoline only then); once the function
# has moved (23-direct.sh), the site calls its slot directly.
site() { grep -A1 '^cmdline_proc_show ' /sys/kernel/tracing/enabled_functions; }
expect_eq "$(cat "$f"/redirect)" ftrace "redirect with direct_calls=0"
site | grep -qE "^cmdline_proc_show \(1\) +R +I .*tramp: .*->kpatch_ftrace_handler\+" ||
	fail "ftrace does not show the handler alone on the site: $(site)"
ok "ftrace: $(site)"
echo 1 > /sys/module/kpatch/parameters/direct_calls
i=0
until [ "$(cat "$f"/redirect)" = direct ]; do
	i=$((i + 1)); [ $i -lt 100 ] || fail "redirect stayed $(cat "$f"/redirect), not direct"
	sleep 0.1
done
case "$(site)" in
"cmdline_proc_show (1) "*"direct-->kpatch_slots+"*) ;;
*) fail "ftrace does not show the direct call alone on the site: $(site)" ;;
esac
ok "redirect direct after $i polls; ftrace: $(site)"

rmmod kpf_p1 2>/dev/null && fail "an enabled patch module could be removed"
expect_eq "$(cat /proc/cmdline)" "kpf_p1 $ORIG_CMDLINE" "still patched after a refused rmmod"

echo 0 > "$d"/enabled || fail "disabling through sysfs"
expect_eq "$(cat /proc/cmdline)" "$ORIG_CMDLINE" "original /proc/cmdline"
expect_eq "$(cat "$d"/enabled)" 0 "enabled after disable"
expect_eq "$(cat "$f"/active)" 0 "active after disable"
rmmod kpf_p1 || fail "rmmod of a disabled patch"
[ -d "$d" ] && fail "$d still exists"
expect_eq "$(cat /proc/cmdline)" "$ORIG_CMDLINE" "original after unload"

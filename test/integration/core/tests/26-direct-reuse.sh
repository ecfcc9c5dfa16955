#!/bin/sh
# Test 26 (issue 24 item 3, issue 29 goal 3): with direct_calls=1 a direct
# call that no patch needs any more is kept idle for direct_keep_ms, its
# slot running the original, and a patch that comes back to the function
# within that time reuses it: no ftrace update, the same slot, the handler
# never armed.  Meanwhile another IPMODIFY user takes the site at once (a
# kprobe with a post_handler, the kernel's livepatch): the idle direct call
# gives it up and is let go of.  Once the time is up it is let go of too.
# shellcheck source=../lib.sh
. /payload/lib.sh
setup
T=/sys/kernel/tracing
F=$K/kpf_p1/vmlinux/cmdline_proc_show,0/redirect
keep=/sys/module/kpatch/parameters/direct_keep_ms
new="kpf_p1 $ORIG_CMDLINE"
klp=/sys/kernel/livepatch/livepatch_sample

site() { grep -A1 '^cmdline_proc_show ' $T/enabled_functions; }
redirect_is() { [ "$(cat "$F")" = "$1" ]; }
no_site() { ! site > /dev/null; }
no_direct() { ! site | grep -q 'direct-->kpatch_slots'; }
# The slot the site's direct call goes to, as ftrace shows it.
slot_of_site() { site | sed -n 's/.*direct-->\(kpatch_slots+0x[0-9a-f]*\).*/\1/p'; }
# The direct call alone on the site (with the handler's ops too: "(2)").
direct_alone() { # WHAT
	case "$(site)" in
	"cmdline_proc_show (1) "*"direct-->$slot"*) ok "$1: $(site)" ;;
	*) fail "$1: ftrace does not show the direct call to $slot alone: $(site)" ;;
	esac
}

# Nothing expires while the reuse is checked.
echo 60000 > $keep || fail "setting direct_keep_ms"
insmod "$P"/kpf_p1.ko || fail "insmod kpf_p1"
wait_until "cmdline_proc_show moves to its direct call" redirect_is direct
slot=$(slot_of_site)
[ -n "$slot" ] || fail "no slot on the site: $(site)"
ok "on $slot"

echo 0 > "$K"/kpf_p1/enabled || fail "disabling kpf_p1"
expect_eq "$(cat /proc/cmdline)" "$ORIG_CMDLINE" "disabled: the idle slot runs the original"
sleep 1
direct_alone "kept idle after the disable"
expect_eq "$(cat /proc/cmdline)" "$ORIG_CMDLINE" "still the original through the idle slot"
echo 1 > "$K"/kpf_p1/enabled || fail "enabling kpf_p1 again"
expect_eq "$(cat /proc/cmdline)" "$new" "enabled again, through the reused slot"
direct_alone "reused at once: no handler armed"
wait_until "the reused slot's jump opens" redirect_is direct
expect_eq "$(cat /proc/cmdline)" "$new" "through the reused slot's jump"

# An unload and a load of the patch module reuse it as well.
echo 0 > "$K"/kpf_p1/enabled || fail "disabling kpf_p1"
rmmod kpf_p1 || fail "rmmod kpf_p1"
expect_eq "$(cat /proc/cmdline)" "$ORIG_CMDLINE" "unloaded: the original"
insmod "$P"/kpf_p1.ko || fail "insmod kpf_p1 again"
expect_eq "$(cat /proc/cmdline)" "$new" "loaded again"
direct_alone "reused by a new load"
wait_until "the reused slot's jump opens" redirect_is direct

# A kprobe that may change the ip takes the idle site at once.
echo 0 > "$K"/kpf_p1/enabled || fail "disabling kpf_p1"
rmmod kpf_p1 || fail "rmmod kpf_p1"
insmod "$P"/kpf_kprobe.ko symbol=cmdline_proc_show || fail "the kprobe was kept off the idle direct call's site"
expect_eq "$(cat /proc/cmdline)" "$ORIG_CMDLINE" "the original under the kprobe"
[ "$(cat /sys/module/kpf_kprobe/parameters/hits)" -ge 1 ] || fail "the kprobe missed the call"
ok "the kprobe saw the call"
wait_until "the given-up direct call is let go of" no_direct
expect_insmod_fails "$P"/kpf_p1.ko
rmmod kpf_kprobe || fail "rmmod kpf_kprobe"
wait_until "ftrace lets go of the site" no_site

# So does the kernel's livepatch.
insmod "$P"/kpf_p1.ko || fail "insmod kpf_p1"
wait_until "cmdline_proc_show moves to its direct call" redirect_is direct
slot=$(slot_of_site)
echo 0 > "$K"/kpf_p1/enabled || fail "disabling kpf_p1"
rmmod kpf_p1 || fail "rmmod kpf_p1"
insmod "$P"/livepatch-sample.ko || fail "the livepatch was kept off the idle direct call's site"
grep -q "this has been live patched" /proc/cmdline || fail "livepatch-sample did not patch: $(cat /proc/cmdline)"
ok "the livepatch is in force"
wait_until "the given-up direct call is let go of" no_direct
grep -q "this has been live patched" /proc/cmdline || fail "livepatch-sample broke: $(cat /proc/cmdline)"
echo 0 > $klp/enabled || fail "disabling livepatch_sample"
klp_done() { [ "$(cat $klp/transition 2>/dev/null)" != 1 ] && rmmod livepatch_sample 2>/dev/null; }
wait_until "livepatch_sample leaves" klp_done
expect_eq "$(cat /proc/cmdline)" "$ORIG_CMDLINE" "the original after the livepatch left"

# Unused for direct_keep_ms: let go of.
echo 300 > $keep || fail "setting direct_keep_ms"
insmod "$P"/kpf_p1.ko || fail "insmod kpf_p1"
wait_until "cmdline_proc_show moves to its direct call" redirect_is direct
echo 0 > "$K"/kpf_p1/enabled || fail "disabling kpf_p1"
rmmod kpf_p1 || fail "rmmod kpf_p1"
wait_until "the unused direct call is let go of" no_site
expect_eq "$(cat /proc/cmdline)" "$ORIG_CMDLINE" "the original at the end"
echo 1000 > $keep

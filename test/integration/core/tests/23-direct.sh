#!/bin/sh
# Test 23 (issue 16): a settled function moves from the ftrace handler to a
# direct call to its slot (kmod/core/direct.c), and everything a patched
# function must do still works there: the call reaches the patch, the
# function tracer shares the site, the kernel's livepatch is refused, a
# patch stacked on top and a replace switch it through the slot, a disable
# sends it back to the original, and once no patch holds it ftrace lets go
# of the site.
# shellcheck source=../lib.sh
. /payload/lib.sh
setup
T=/sys/kernel/tracing
F=$K/kpf_p1/vmlinux/cmdline_proc_show,0/redirect
new="kpf_p1 $ORIG_CMDLINE"

# How ftrace sees cmdline_proc_show: its lines in enabled_functions.
site() { grep -A1 '^cmdline_proc_show ' $T/enabled_functions; }
wait_redirect() { # FILE EXPECTED
	i=0
	until [ "$(cat "$1")" = "$2" ]; do
		i=$((i + 1))
		[ $i -lt 100 ] || fail "$1 stayed '$(cat "$1")', not '$2'"
		sleep 0.1
	done
	ok "$1 = $2 after $i polls"
}

insmod "$P"/kpf_p1.ko || fail "insmod kpf_p1"
expect_eq "$(cat /proc/cmdline)" "$new" "patched"
wait_redirect "$F" direct
expect_eq "$(cat /proc/cmdline)" "$new" "patched through the direct call"
# One ops on the site, the direct call's: with the handler's ops there too
# ftrace would show (2) (and name no trampoline).
direct_alone() {
	case "$(site)" in
	"cmdline_proc_show (1) "*"direct-->kpatch_slots+"*) ;;
	*) fail "ftrace does not show the direct call alone on the site: $(site)" ;;
	esac
}
direct_alone
ok "the handler left the site: $(site)"

# Another live patcher is refused on a moved function, as on one the
# handler holds (the direct call's answer to ftrace's sharing question).
mark
expect_insmod_fails "$P"/livepatch-sample.ko
expect_log "livepatch: failed to register ftrace handler for function 'cmdline_proc_show'"
expect_eq "$(cat /proc/cmdline)" "$new" "still patched through the direct call"
expect_eq "$(cat "$F")" direct "still direct after the refusal"

# The function tracer shares the site with the direct call.
echo cmdline_proc_show > $T/set_ftrace_filter || fail "filtering on cmdline_proc_show"
echo function > $T/current_tracer || fail "starting the function tracer"
: > $T/trace
expect_eq "$(cat /proc/cmdline)" "$new" "patched under the function tracer"
expect_eq "$(cat /proc/cmdline)" "$new" "patched again"
[ "$(grep -c 'cmdline_proc_show <-' $T/trace)" -ge 2 ] || { cat $T/trace; fail "the function tracer missed the calls"; }
ok "the function tracer saw the calls"
echo nop > $T/current_tracer
: > $T/set_ftrace_filter
expect_eq "$(cat /proc/cmdline)" "$new" "patched after the tracer left"
expect_eq "$(cat "$F")" direct "still direct"

# A patch on top: the flip retargets the slot; no ftrace update needed.
# The flip closed the slot's jump to p1 (had it not, p1 would still run),
# and the worker opens it again to p2.  Had the function gone back to the
# handler, p2's redirect would read ftrace, and the site would show the
# handler's ops or another slot.
before=$(site)
insmod "$P"/kpf_p2.ko || fail "insmod kpf_p2"
case "$(cat "$K"/kpf_p2/vmlinux/cmdline_proc_show,0/redirect)" in
slot|direct) ;;
*) fail "p2's function went back to ftrace: redirect $(cat "$K"/kpf_p2/vmlinux/cmdline_proc_show,0/redirect)" ;;
esac
expect_eq "$(site)" "$before" "the site after p2's load"
expect_eq "$(cat /proc/cmdline)" "kpf_p2" "p2 on top, through the slot"
wait_redirect "$K"/kpf_p2/vmlinux/cmdline_proc_show,0/redirect direct
expect_eq "$(cat /proc/cmdline)" "kpf_p2" "p2 through the slot's jump"
echo 0 > "$K"/kpf_p2/enabled || fail "disabling kpf_p2"
expect_eq "$(cat /proc/cmdline)" "$new" "p1 again"
wait_redirect "$F" direct
expect_eq "$(cat /proc/cmdline)" "$new" "p1 through the slot's jump again"
rmmod kpf_p2 || fail "rmmod kpf_p2"
expect_eq "$(cat /proc/cmdline)" "$new" "p1 after p2 left"

# A replacing patch, then nothing: the slot runs the original.
insmod "$P"/kpf_p3.ko || fail "insmod kpf_p3"
expect_eq "$(cat /proc/cmdline)" "kpf_p3" "the replacing patch, through the slot"
wait_redirect "$K"/kpf_p3/vmlinux/cmdline_proc_show,0/redirect direct
rmmod kpf_p1 || fail "rmmod kpf_p1 (replaced)"
expect_eq "$(cat /proc/cmdline)" "kpf_p3" "the replacing patch through the slot's jump"
echo 0 > "$K"/kpf_p3/enabled || fail "disabling kpf_p3"
expect_eq "$(cat /proc/cmdline)" "$ORIG_CMDLINE" "unpatched"
rmmod kpf_p3 || fail "rmmod kpf_p3"
expect_eq "$(cat /proc/cmdline)" "$ORIG_CMDLINE" "unpatched once the patches are gone"

# ftrace lets go of the site in the background (an RCU-tasks wait).
i=0
while site > /dev/null; do
	i=$((i + 1)); [ $i -lt 100 ] || { site; fail "the direct call stayed on the site"; }
	sleep 0.1
done
ok "the site is free after $i polls"
expect_eq "$(cat /proc/cmdline)" "$ORIG_CMDLINE" "unpatched with the site free"

# A module's function moves once the module is live, and its direct call
# goes before the module's text does.
value() { sed -n 's/value=//p' /proc/kpf_target; }
M=$K/kpf_mod/kpf_target/kpf_target_value,0/redirect
insmod "$P"/kpf_target.ko || fail "insmod kpf_target"
insmod "$P"/kpf_mod.ko || fail "insmod kpf_mod"
wait_redirect "$M" direct
expect_eq "$(value)" 2 "the module's function, patched through the direct call"
mark
rmmod kpf_target || fail "rmmod kpf_target under a direct call"
expect_no_log "WARNING|BUG|stays on the ftrace handler"
# A direct call left behind would keep ftrace from giving the function a
# new one if the module came back at the same address.
insmod "$P"/kpf_target.ko || fail "insmod kpf_target again"
expect_eq "$(value)" 2 "patched as it loads again"
wait_redirect "$M" direct
expect_no_log "WARNING|BUG|stays on the ftrace handler"
expect_eq "$(value)" 2 "patched through the direct call again"
echo 0 > "$K"/kpf_mod/enabled || fail "disabling kpf_mod"
expect_eq "$(value)" 1 "unpatched"
rmmod kpf_mod || fail "rmmod kpf_mod"
rmmod kpf_target || fail "rmmod kpf_target"

#!/bin/sh
# Test 25 (issue 24): the core among ftrace's other users.  On the ftrace
# handler (direct_calls=0) a kprobe that may change the ip is refused as
# another live patcher is, and a kprobe event shares the site.  With
# direct_calls=1 the function moves to a direct call, and kpatch.ko holds
# itself; writing 0 hands it back to the handler while the patch stays in
# force on every call, and the direct call is let go of.
# shellcheck source=../lib.sh
. /payload/lib.sh
setup
T=/sys/kernel/tracing
F=$K/kpf_p1/vmlinux/cmdline_proc_show,0/redirect
new="kpf_p1 $ORIG_CMDLINE"

site() { grep -A1 '^cmdline_proc_show ' $T/enabled_functions; }
redirect_is() { [ "$(cat "$F")" = "$1" ]; }
site_has_slot() { site | grep -q 'direct-->kpatch_slots'; }
no_site() { ! grep -q '^cmdline_proc_show ' $T/enabled_functions; }
expect_eq "$(cat "$K"/ftrace)" running "ftrace as the core sees it"

echo 0 > /sys/module/kpatch/parameters/direct_calls
refs=$(cat /sys/module/kpatch/refcnt)
insmod "$P"/kpf_p1.ko || fail "insmod kpf_p1"
expect_eq "$(cat /proc/cmdline)" "$new" "patched"
expect_eq "$(cat "$F")" ftrace "redirect with direct_calls=0"
ok "ftrace: $(site)"

# A kprobe with a post_handler is an IPMODIFY user of ftrace: refused.
expect_insmod_fails "$P"/kpf_kprobe.ko symbol=cmdline_proc_show
expect_eq "$(cat /proc/cmdline)" "$new" "patched after the refused kprobe"
# A kprobe event (no post_handler) shares the site and sees the calls.
echo 'p:kpf_probe cmdline_proc_show' > $T/kprobe_events || fail "adding a kprobe event"
echo 1 > $T/events/kprobes/kpf_probe/enable || fail "enabling the kprobe event"
: > $T/trace
expect_eq "$(cat /proc/cmdline)" "$new" "patched under the kprobe event"
grep -q 'kpf_probe:' $T/trace || { cat $T/trace; fail "the kprobe event missed the call"; }
ok "the kprobe event saw the call"
echo 0 > $T/events/kprobes/kpf_probe/enable
echo '-:kpf_probe' >> $T/kprobe_events || fail "removing the kprobe event"

# Moved to a direct call, and handed back.
echo 1 > /sys/module/kpatch/parameters/direct_calls
wait_until "cmdline_proc_show moves to its direct call" redirect_is direct
expect_eq "$(cat /proc/cmdline)" "$new" "patched through the direct call"
# kpf_p1 holds kpatch.ko, and kpatch.ko itself while a direct call of its
# is registered: no rmmod can take the slot's text away.
expect_eq "$(cat /sys/module/kpatch/refcnt)" $((refs + 2)) "kpatch.ko's references with kpf_p1 and a direct call"
expect_insmod_fails "$P"/kpf_kprobe.ko symbol=cmdline_proc_show
# Every read while the function goes back must be patched.
: > /tmp/kpf24.bad
rm -f /tmp/kpf24.stop
(
	while [ ! -e /tmp/kpf24.stop ]; do
		read -r l < /proc/cmdline
		[ "$l" = "$new" ] || echo "$l" >> /tmp/kpf24.bad
	done
) &
reader=$!
echo 0 > /sys/module/kpatch/parameters/direct_calls
wait_until "cmdline_proc_show is back on the handler" redirect_is ftrace
wait_until "the direct call is let go of" sh -c "! grep -A1 '^cmdline_proc_show ' $T/enabled_functions | grep -q direct--"
touch /tmp/kpf24.stop
wait $reader
[ -s /tmp/kpf24.bad ] && fail "reads saw the original while the function went back: $(sort /tmp/kpf24.bad | uniq -c | head -n 3)"
ok "every read was patched while the function went back"
expect_eq "$(cat /proc/cmdline)" "$new" "patched through the handler again"
expect_eq "$(cat /sys/module/kpatch/refcnt)" $((refs + 1)) "kpatch.ko's references with kpf_p1 alone"
site | grep -q 'kpatch_ftrace_handler' || { site; fail "the handler does not hold the site alone"; }
ok "ftrace: $(site)"
expect_insmod_fails "$P"/kpf_kprobe.ko symbol=cmdline_proc_show

echo 0 > "$K"/kpf_p1/enabled || fail "disable kpf_p1"
rmmod kpf_p1 || fail "rmmod kpf_p1"
wait_until "ftrace lets go of the site" no_site

expect_eq "$(cat /proc/cmdline)" "$ORIG_CMDLINE" "the original again"

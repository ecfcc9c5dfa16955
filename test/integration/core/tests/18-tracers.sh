#!/bin/sh
# Test 18 (issue 18): the function tracer and a kprobe on a patched
# function, while it is patched: both see their hits, the patch keeps
# redirecting, and disabling and enabling the patch under them works.
# kprobes on an ftrace site share it through ftrace ops of their own, as
# does the function tracer; none of them may take the patch's place.
# shellcheck source=../lib.sh
. /payload/lib.sh
setup
T=/sys/kernel/tracing
[ -w $T/current_tracer ] || fail "tracefs is not mounted at $T"
new="kpf_p1 $ORIG_CMDLINE"
tracers_off() {
	echo 0 > $T/events/kprobes/kpf_cmdline/enable 2>/dev/null
	echo '-:kpf_cmdline' >> $T/kprobe_events 2>/dev/null
	echo nop > $T/current_tracer
	: > $T/set_ftrace_filter
	: > $T/trace
}
hits() { grep -c "$1" $T/trace; }
kprobe_hits() { awk '$1 == "kpf_cmdline" { print $2 }' $T/kprobe_profile; }
tracers_off

insmod "$P"/kpf_p1.ko || fail "insmod kpf_p1"
expect_eq "$(cat /proc/cmdline)" "$new" "patched"

echo cmdline_proc_show > $T/set_ftrace_filter || fail "filtering on cmdline_proc_show"
echo function > $T/current_tracer || fail "starting the function tracer"
echo 'p:kpf_cmdline cmdline_proc_show' >> $T/kprobe_events || fail "adding the kprobe"
echo 1 > $T/events/kprobes/kpf_cmdline/enable || fail "enabling the kprobe"
: > $T/trace
expect_eq "$(cat /proc/cmdline)" "$new" "patched under the tracer and the kprobe"
expect_eq "$(cat /proc/cmdline)" "$new" "patched again"
[ "$(hits 'cmdline_proc_show <-')" -ge 2 ] || { cat $T/trace; fail "the function tracer missed the calls"; }
ok "the function tracer saw cmdline_proc_show"
[ "$(hits 'kpf_cmdline:')" -ge 2 ] || { cat $T/trace; fail "the kprobe event missed the calls"; }
ok "the kprobe saw cmdline_proc_show"
before=$(kprobe_hits)

echo 0 > "$K"/kpf_p1/enabled || fail "disabling kpf_p1 under the tracers"
expect_eq "$(cat /proc/cmdline)" "$ORIG_CMDLINE" "unpatched under the tracers"
echo 1 > "$K"/kpf_p1/enabled || fail "enabling kpf_p1 under the tracers"
expect_eq "$(cat /proc/cmdline)" "$new" "patched again under the tracers"
after=$(kprobe_hits)
[ "$after" -ge $((before + 2)) ] || fail "the kprobe stopped counting: $before, then $after"
ok "the kprobe still counts ($before, then $after)"

# A kpatch load while the function is traced and probed.
echo 0 > "$K"/kpf_p1/enabled || fail "disabling kpf_p1"
rmmod kpf_p1 || fail "rmmod kpf_p1"
expect_eq "$(cat /proc/cmdline)" "$ORIG_CMDLINE" "unpatched"
insmod "$P"/kpf_p1.ko || fail "a patch refused while its function is traced: $(cat "$K"/last_error)"
expect_eq "$(cat /proc/cmdline)" "$new" "patched while traced"

# The tracers go away first; the patch stays.
tracers_off
expect_eq "$(cat /proc/cmdline)" "$new" "patched after the tracers left"
echo 0 > "$K"/kpf_p1/enabled || fail "disabling kpf_p1"
rmmod kpf_p1 || fail "rmmod kpf_p1"
expect_eq "$(cat /proc/cmdline)" "$ORIG_CMDLINE" "unpatched at the end"

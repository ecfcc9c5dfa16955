#!/bin/sh
# kpatch verify against what the real kernel shows: a loaded patch is
# reached through the core's ftrace handler and, once moved, through a
# direct call to the core's slot; the function tracer and a kprobe on the
# patched function are named, in vmlinux and in a module; tracefs mounted
# nowhere is mounted.  Each enabled_functions is printed whole ("#   | ")
# for test/cli/verify.bats' fixtures (test/cli/ftrace/).
# shellcheck source=../lib.sh
. /payload/lib.sh
T=/sys/kernel/tracing
F=/sys/kernel/kpatch/kpatch_cli_a/vmlinux/cmdline_proc_show,0
params=/sys/module/kpatch/parameters

show() {
	echo "# $1:"
	sed 's/^/#   | /' "$1"
}

# wait_redirect VALUE: the core says VALUE within 20 s.
wait_redirect() {
	i=0
	while [ "$(cat "$F/redirect")" != "$1" ]; do
		i=$((i + 1))
		[ $i -lt 200 ] || fail "redirect stays '$(cat "$F/redirect")', expected '$1'"
		sleep 0.1
	done
}

verify_line() {
	k verify
	succeeds
	line=$(printf '%s\n' "$out" | grep '^kpatch_cli_a vmlinux/cmdline_proc_show: ')
	[ "$(printf '%s\n' "$out" | wc -l)" = 1 ] || fail "expected one line"
	case "$line" in *"$1"*) ;; *) fail "the line lacks '$1'" ;; esac
}

# The line of a site only the core is on names nobody else.
alone() {
	case "$line" in *"on the site"*) fail "another user named on a site only the core is on" ;; esac
}

tracer_on() {
	echo cmdline_proc_show > $T/set_ftrace_filter
	echo function > $T/current_tracer
}

tracer_off() {
	echo nop > $T/current_tracer
	echo > $T/set_ftrace_filter
}

kprobe_on() {
	echo 'p:kpatch_verify cmdline_proc_show' >> $T/kprobe_events
	echo 1 > $T/events/kprobes/kpatch_verify/enable
}

kprobe_off() {
	echo 0 > $T/events/kprobes/kpatch_verify/enable
	echo '-:kpatch_verify' >> $T/kprobe_events
}

k verify
succeeds
has_line "No patch module is loaded."

# On the handler: the core module loaded first, moving nothing.
if loaded kpatch; then rmmod kpatch || fail "cannot remove the core module"; fi
insmod "$core_dest" direct_calls=0 || fail "cannot load the core module"
k load "$M/kpatch-cli-a.ko"
succeeds
expect_file /proc/cmdline kpatch-cli-a
expect_file "$F/redirect" ftrace
show $T/enabled_functions
verify_line "reached through the core's ftrace handler"
alone

tracer_on
show $T/enabled_functions
verify_line "; also on the site: the function tracer"
expect_file /proc/cmdline kpatch-cli-a
kprobe_on
show $T/enabled_functions
show /sys/kernel/debug/kprobes/list
verify_line "; also on the site: a kprobe, the function tracer"
tracer_off
kprobe_off

# Moved to a direct call to its slot.
echo 1 > $params/direct_calls
wait_redirect direct
show $T/enabled_functions
verify_line "reached through a direct call to the core's slot (kpatch_slots+"
alone
tracer_on
kprobe_on
show $T/enabled_functions
verify_line "; also on the site: a kprobe, the function tracer"
expect_file /proc/cmdline kpatch-cli-a
tracer_off
kprobe_off

# Neither tracefs nor debugfs mounted: verify mounts tracefs itself.
umount $T || fail "cannot unmount tracefs"
umount /sys/kernel/debug || fail "cannot unmount debugfs"
verify_line "reached through a direct call to the core's slot"
alone
grep -q "^tracefs $T tracefs" /proc/mounts || fail "verify did not mount tracefs on $T"
mount -t debugfs debugfs /sys/kernel/debug || fail "cannot mount debugfs again"

# A disabled patch is not checked.
echo 0 > /sys/kernel/kpatch/kpatch_cli_a/enabled || fail "cannot disable kpatch_cli_a"
verify_line "not checked: the patch is disabled"
k unload kpatch_cli_a
succeeds

# A function of a module, on the handler again, with a kprobe on it: the
# record and the kprobe name their module.
echo 0 > $params/direct_calls
insmod "$M/kpatch-cli-sleeper.ko" || fail "cannot load the sleeper module"
k load "$M/kpatch-cli-s.ko"
succeeds
echo 'p:kpatch_verify_s kpatch_cli_sleeper:sleeper_wait' >> $T/kprobe_events
echo 1 > $T/events/kprobes/kpatch_verify_s/enable
show $T/enabled_functions
show /sys/kernel/debug/kprobes/list
k verify kpatch_cli_s
succeeds
case "$out" in
"kpatch_cli_s kpatch_cli_sleeper/sleeper_wait: reached through ftrace, the ip set by one of its 2 users (I flag); also on the site: a kprobe") ;;
*) fail "unexpected verify output" ;;
esac
echo 0 > $T/events/kprobes/kpatch_verify_s/enable
echo '-:kpatch_verify_s' >> $T/kprobe_events
k unload kpatch_cli_s
succeeds
rmmod kpatch_cli_sleeper || fail "cannot remove the sleeper module"

# Two functions of one module named twin: with twin,2 patched, one of the
# two records is the core's and nothing says which, so verify cannot tell;
# with twin,1 patched too, both are, and each patch is reached.
insmod "$M/kpatch-cli-twins.ko" || fail "cannot load the twins module"
k load "$M/kpatch-cli-t.ko"
succeeds
show $T/enabled_functions
echo "# available_filter_functions, the lines of twin:"
grep -x 'twin \[kpatch_cli_twins\]' $T/available_filter_functions | sed 's/^/#   | /'
k verify kpatch_cli_t
[ "$rc" = 1 ] || fail "status $rc, expected 1"
case "$out" in
"kpatch_cli_t kpatch_cli_twins/twin,2: NOT verified: twin is not unique in kpatch_cli_twins: 1 of its 2 ftrace records are reached"*) ;;
*) fail "unexpected verify output" ;;
esac
k load "$M/kpatch-cli-u.ko"
succeeds
show $T/enabled_functions
k verify
succeeds
has_line "kpatch_cli_t kpatch_cli_twins/twin,2: reached through ftrace: all 2 functions named twin are reached"
has_line "kpatch_cli_u kpatch_cli_twins/twin,1: reached through ftrace: all 2 functions named twin are reached"
k unload --all
succeeds
rmmod kpatch_cli_twins || fail "cannot remove the twins module"

# The kernel's livepatch on the same function: its handler, for the
# fixture of a site another IPMODIFY user owns.
insmod /payload/modules/livepatch-sample.ko || fail "cannot load livepatch-sample"
i=0
while [ "$(cat /sys/kernel/livepatch/livepatch_sample/transition)" != 0 ]; do
	i=$((i + 1))
	[ $i -lt 200 ] || fail "livepatch_sample does not finish its transition"
	sleep 0.1
done
show $T/enabled_functions
echo 0 > /sys/kernel/livepatch/livepatch_sample/enabled
i=0
while [ -d /sys/kernel/livepatch/livepatch_sample ]; do
	i=$((i + 1))
	[ $i -lt 200 ] || fail "livepatch_sample stays registered"
	sleep 0.1
done
rmmod livepatch_sample || fail "cannot remove livepatch_sample"

# Somebody else's direct call, for the fixture of a direct target that is
# not the core's slot.
insmod /payload/modules/ftrace-direct.ko || fail "cannot load ftrace-direct"
show $T/enabled_functions
rmmod ftrace_direct || fail "cannot remove ftrace-direct"

# A name several functions of vmlinux share, traced, for the fixture of a
# name enabled_functions cannot tell apart.
# (__ftrace_invalid_address___N are the records of discarded weak
# functions, which nobody can trace.)
dup=$(grep -v -e ' \[' -e '^__ftrace_invalid_address' $T/available_filter_functions |
	sort | uniq -d | head -n 1)
[ -n "$dup" ] || fail "no two functions of vmlinux share a name"
echo "$dup" > $T/set_ftrace_filter || fail "cannot trace $dup"
echo function > $T/current_tracer
show $T/enabled_functions
echo "# available_filter_functions, the lines of $dup:"
grep -x "$dup" $T/available_filter_functions | sed 's/^/#   | /'
tracer_off
rmmod kpatch || fail "cannot remove the core module"

#!/bin/sh
# Test 9: the kernel's livepatch sample and kpatch both patch
# cmdline_proc_show: whichever comes second is refused with a message
# naming the function, and the first keeps working.  Patching different
# functions, both load at once and each leaves without disturbing the other.
# shellcheck source=../lib.sh
. /payload/lib.sh
setup
klp=/sys/kernel/livepatch/livepatch_sample
klp_off() {
	echo 0 > $klp/enabled || fail "disabling livepatch_sample"
	i=0
	while [ "$(cat $klp/transition 2>/dev/null)" = 1 ]; do
		i=$((i + 1)); [ $i -lt 100 ] || fail "the livepatch transition never ended"; sleep 0.1
	done
	i=0
	until rmmod livepatch_sample 2>/dev/null; do
		i=$((i + 1)); [ $i -lt 50 ] || fail "rmmod livepatch_sample"; sleep 0.1
	done
}

# livepatch first.
insmod "$P"/livepatch-sample.ko || fail "insmod livepatch-sample"
grep -q "this has been live patched" /proc/cmdline || fail "livepatch-sample did not patch: $(cat /proc/cmdline)"
mark
expect_insmod_fails "$P"/kpf_p1.ko
expect_log "kpatch: kpf_p1: function cmdline_proc_show is already modified by another ftrace IPMODIFY user: the kernel livepatch module livepatch_sample"
grep -q "cmdline_proc_show.*livepatch_sample" "$K"/last_error || fail "last_error: $(cat "$K"/last_error)"
[ -d "$K"/kpf_p1 ] && fail "a refused patch left its sysfs directory"
grep -q "this has been live patched" /proc/cmdline || fail "livepatch-sample broke: $(cat /proc/cmdline)"
klp_off
expect_eq "$(cat /proc/cmdline)" "$ORIG_CMDLINE" "original after the livepatch left"

# kpatch first.
insmod "$P"/kpf_p1.ko || fail "insmod kpf_p1"
mark
expect_insmod_fails "$P"/livepatch-sample.ko
expect_log "livepatch: failed to register ftrace handler for function 'cmdline_proc_show'"
expect_eq "$(cat /proc/cmdline)" "kpf_p1 $ORIG_CMDLINE" "kpatch still in force"
loaded livepatch_sample && fail "livepatch_sample stayed loaded"
echo 0 > "$K"/kpf_p1/enabled || fail "disabling kpf_p1"
rmmod kpf_p1 || fail "rmmod kpf_p1"
expect_eq "$(cat /proc/cmdline)" "$ORIG_CMDLINE" "original at the end"

# Different functions at once: livepatch_sample on cmdline_proc_show,
# kpf_mod on kpf_target_value, loaded at the same time.
value() { sed -n 's/value=//p' /proc/kpf_target; }
insmod "$P"/kpf_target.ko || fail "insmod kpf_target"
insmod "$P"/livepatch-sample.ko 2>/tmp/klp.err & a=$!
insmod "$P"/kpf_mod.ko 2>/tmp/kpf.err & b=$!
wait $a || fail "insmod livepatch-sample beside kpf_mod: $(cat /tmp/klp.err)"
wait $b || fail "insmod kpf_mod beside livepatch-sample: $(cat /tmp/kpf.err) $(cat "$K"/last_error)"
grep -q "this has been live patched" /proc/cmdline || fail "livepatch-sample did not patch: $(cat /proc/cmdline)"
expect_eq "$(value)" 2 "kpf_mod in force beside the livepatch"
echo 0 > "$K"/kpf_mod/enabled || fail "disabling kpf_mod beside the livepatch"
expect_eq "$(value)" 1 "kpf_mod off"
grep -q "this has been live patched" /proc/cmdline || fail "the livepatch left with kpf_mod: $(cat /proc/cmdline)"
echo 1 > "$K"/kpf_mod/enabled || fail "enabling kpf_mod beside the livepatch"
klp_off
expect_eq "$(cat /proc/cmdline)" "$ORIG_CMDLINE" "original after the livepatch left"
expect_eq "$(value)" 2 "kpf_mod still in force"
echo 0 > "$K"/kpf_mod/enabled || fail "disabling kpf_mod"
rmmod kpf_mod kpf_target || fail "rmmod"

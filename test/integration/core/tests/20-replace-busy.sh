#!/bin/sh
# Test 20 (issue 18): a replace blocked by a thread asleep in the new code
# of the patch it replaces.  kpf_modr replaces kpf_mod and has no
# kpf_target_wait(), so kpf_mod's version of it is retired; while the
# sleeper is inside that version the replace is refused after its retries,
# naming the thread, and nothing changes; once the thread has left the
# same load succeeds and kpf_mod can go.  Then the patched module itself
# is removed while its thread sleeps in kpf_mod's version: its exit wakes
# the thread, the patch lets the module go and patches it when it comes back.
# shellcheck source=../lib.sh
. /payload/lib.sh
setup
value() { sed -n 's/value=//p' /proc/kpf_target; }
# kpf_mod's version of kpf_target_wait() does not set sleeping=1: look for
# it on the sleeper's stack.
sleeping_in_kpf_mod() {
	pid=$(sed -n 's/sleeper_pid=//p' /proc/kpf_target)
	i=0
	until grep -q "kpf_mod_wait.*\[kpf_mod\]" /proc/"$pid"/stack 2>/dev/null; do
		i=$((i + 1)); [ $i -lt 50 ] || fail "the sleeper never slept in kpf_mod_wait: $(cat /proc/"$pid"/stack)"; sleep 0.1
	done
	ok "pid $pid sleeps in kpf_mod_wait"
}

insmod "$P"/kpf_target.ko || fail "insmod kpf_target"
insmod "$P"/kpf_mod.ko || fail "insmod kpf_mod"
echo sleep > /proc/kpf_target || fail "starting the sleeper"
sleeping_in_kpf_mod

mark
insmod "$P"/kpf_modr.ko 2>/tmp/err && fail "replaced while a thread sleeps in the replaced patch's code"
grep -q "Device or resource busy" /tmp/err || fail "insmod said: $(cat /tmp/err)"
ok "insmod kpf_modr: $(cat /tmp/err)"
expect_log "kpf_modr: blocked by pid $pid \(kpf_sleeper\): it is inside kpf_target_wait \(a patched version\)"
grep -q "^kpf_modr: busy: .* after [0-9]* tries; first: pid $pid (kpf_sleeper)" "$K"/last_error ||
	fail "last_error: $(cat "$K"/last_error)"
ok "last_error: $(cat "$K"/last_error)"
loaded kpf_modr && fail "the refused replace stayed loaded"
expect_eq "$(cat "$K"/kpf_mod/enabled)" 1 "kpf_mod still enabled"
expect_eq "$(value)" 2 "kpf_mod still in force"
rmmod kpf_mod 2>/dev/null && fail "kpf_mod removed while enabled"

echo wake > /proc/kpf_target || fail "waking the sleeper"
i=0
while grep -q "sleeper_pid=[1-9]" /proc/kpf_target; do
	i=$((i + 1)); [ $i -lt 50 ] || fail "the sleeper never left"; sleep 0.1
done
mark
insmod "$P"/kpf_modr.ko || fail "the same replace after the thread left: $(cat "$K"/last_error)"
expect_log "kpf_mod: disabled: replaced by kpf_modr"
expect_eq "$(value)" 10 "the replacing patch in force"
expect_eq "$(cat "$K"/kpf_mod/enabled)" 0 "kpf_mod disabled"
rmmod kpf_mod || fail "rmmod the replaced kpf_mod"
echo 0 > "$K"/kpf_modr/enabled || fail "disabling kpf_modr"
expect_eq "$(value)" 1 "unpatched"
rmmod kpf_modr kpf_target || fail "rmmod"

insmod "$P"/kpf_target.ko || fail "insmod kpf_target"
insmod "$P"/kpf_mod.ko || fail "insmod kpf_mod"
echo sleep > /proc/kpf_target || fail "starting the sleeper"
sleeping_in_kpf_mod
mark
rmmod kpf_target || fail "rmmod kpf_target while its thread sleeps in the patched function"
expect_log "kpf_mod: unpatched module kpf_target as it goes"
expect_eq "$(cat "$K"/kpf_mod/enabled)" 1 "kpf_mod still enabled"
expect_eq "$(cat "$K"/kpf_mod/kpf_target/loaded)" 0 "object unloaded"
insmod "$P"/kpf_target.ko || fail "reloading kpf_target"
expect_eq "$(value)" 2 "patched again as it loads"
echo 0 > "$K"/kpf_mod/enabled || fail "disabling kpf_mod"
rmmod kpf_mod kpf_target || fail "rmmod"

#!/bin/sh
# Test 0 (issue 12, defect 3): a module that is still loading is patched
# only once the core's own COMING notifier has seen it; the kernel marks it
# COMING before it enables its ftrace records.  It runs first in the boot:
# kpf_slow must start loading before kpatch.ko, so that the core has not
# seen it.
# shellcheck source=../lib.sh
. /payload/lib.sh
value() { sed -n 's/value=//p' /proc/kpf_slow; }
wait_proc() {
	i=0
	until [ -e /proc/kpf_slow ]; do
		i=$((i + 1)); [ $i -lt 100 ] || fail "kpf_slow's init never started"; sleep 0.1
	done
}
[ -d "$K" ] && fail "kpatch.ko is already loaded: this test must run first in its boot"

insmod "$P"/kpf_slow.ko & slow=$!
wait_proc
setup
mark
insmod "$P"/kpf_slowp.ko 2>/tmp/err && fail "patched a coming module the core had not seen"
expect_log "kpf_slowp: module kpf_slow is still loading"
grep -q "still loading" "$K"/last_error || fail "last_error: $(cat "$K"/last_error)"
echo go > /proc/kpf_slow || fail "releasing kpf_slow's init"
wait $slow || fail "insmod kpf_slow"
expect_eq "$(value)" 1 "unpatched"
insmod "$P"/kpf_slowp.ko || fail "the patch once the module is live"
expect_eq "$(value)" 2 "patched once live"
{ echo 0 > "$K"/kpf_slowp/enabled && rmmod kpf_slowp kpf_slow; } || fail "rmmod"

# A coming module the core has seen is patched while its init sleeps.
insmod "$P"/kpf_slow.ko & slow=$!
wait_proc
insmod "$P"/kpf_slowp.ko || fail "patching a module whose init sleeps: $(cat "$K"/last_error)"
expect_eq "$(cat "$K"/kpf_slowp/kpf_slow/loaded)" 1 "loaded while coming"
expect_eq "$(value)" 2 "patched while its init sleeps"
echo go > /proc/kpf_slow || fail "releasing kpf_slow's init"
wait $slow || fail "insmod kpf_slow"
expect_eq "$(value)" 2 "patched once live"
{ echo 0 > "$K"/kpf_slowp/enabled && rmmod kpf_slowp kpf_slow; } || fail "rmmod"

#!/bin/sh
# Test 5: callbacks run in order around the switch, per object; a failing
# pre-patch callback leaves nothing loaded or patched.
# shellcheck source=../lib.sh
. /payload/lib.sh
setup

mark
insmod "$P"/kpf_cb.ko || fail "insmod kpf_cb"
expect_eq "$(cat /proc/cmdline)" "kpf_cb" "patched"
echo 0 > "$K"/kpf_cb/enabled || fail "disabling kpf_cb"
expect_eq "$(cat /proc/cmdline)" "$ORIG_CMDLINE" "unpatched"
since_mark | grep -E 'kpf_cb' > /tmp/cb.log
cat /tmp/cb.log
pre=$(log_line 'kpf_cb: pre_patch vmlinux')
sw1=$(log_line 'kpf_cb: enabled')
post=$(log_line 'kpf_cb: post_patch vmlinux')
preu=$(log_line 'kpf_cb: pre_unpatch vmlinux')
sw2=$(log_line 'kpf_cb: disabled')
postu=$(log_line 'kpf_cb: post_unpatch vmlinux')
for v in "$pre" "$sw1" "$post" "$preu" "$sw2" "$postu"; do
	[ -n "$v" ] || fail "a callback or switch is missing from the log"
done
{ [ "$pre" -lt "$sw1" ] && [ "$sw1" -lt "$post" ] && [ "$post" -lt "$preu" ] &&
	[ "$preu" -lt "$sw2" ] && [ "$sw2" -lt "$postu" ]; } ||
	fail "callback order: pre=$pre switch=$sw1 post=$post pre_unpatch=$preu switch=$sw2 post_unpatch=$postu"
ok "pre_patch < switch < post_patch < pre_unpatch < switch < post_unpatch"
expect_no_log "kpf_cb: pre_patch kpf_target"

# The module object's callbacks run when the module comes and goes.
echo 1 > "$K"/kpf_cb/enabled || fail "re-enabling kpf_cb"
mark
insmod "$P"/kpf_target.ko || fail "insmod kpf_target"
expect_log "kpf_cb: pre_patch kpf_target mod=kpf_target"
rmmod kpf_target || fail "rmmod kpf_target"
expect_log "kpf_cb: post_unpatch kpf_target"
echo 0 > "$K"/kpf_cb/enabled || fail "disabling kpf_cb"
rmmod kpf_cb || fail "rmmod kpf_cb"

mark
expect_insmod_fails "$P"/kpf_cbfail.ko
expect_log "kpf_cbfail: pre_patch vmlinux refuses"
expect_log "kpf_cbfail: the pre-patch callback kpf_cbfail_pre_patch.* of vmlinux failed \(-1\)"
expect_no_log "kpf_cbfail: post_patch"
expect_no_log "kpf_cbfail: post_unpatch"
[ -d "$K"/kpf_cbfail ] && fail "sysfs directory left behind"
loaded kpf_cbfail && fail "module left loaded"
expect_eq "$(cat /proc/cmdline)" "$ORIG_CMDLINE" "nothing patched"
grep -q "^kpf_cbfail: the pre-patch callback" "$K"/last_error || fail "last_error: $(cat "$K"/last_error)"
ok "last_error: $(cat "$K"/last_error)"

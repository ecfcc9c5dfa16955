#!/bin/sh
# Test 13 (issue 12, defect 5): a write to a patch's `enabled` that waits
# while the registration fails must find the patch going: it must neither
# enable it nor touch what is being freed.  kpf_cbslow's pre-patch
# callback sleeps 3 s, then refuses.
# shellcheck source=../lib.sh
. /payload/lib.sh
setup

mark
insmod "$P"/kpf_cbslow.ko 2>/tmp/insmod.err & ins=$!
i=0
until [ -e "$K"/kpf_cbslow/enabled ]; do
	i=$((i + 1)); [ $i -lt 100 ] || fail "kpf_cbslow never registered"; sleep 0.05
done
(echo 1 > "$K"/kpf_cbslow/enabled) 2>/tmp/write.err & wr=$!
wait $ins && fail "kpf_cbslow loaded although its pre-patch refused"
wait $wr && fail "the write enabled a patch whose registration failed"
ok "write: $(cat /tmp/write.err)"
grep -q "No such device" /tmp/write.err || fail "the write said: $(cat /tmp/write.err)"
# busybox insmod tries finit_module, then init_module: the registration
# runs twice, the write must run it never.
expect_log "kpf_cbslow: pre_patch vmlinux run by insmod"
expect_no_log "kpf_cbslow: pre_patch vmlinux run by sh"
expect_eq "$(cat /proc/cmdline)" "$ORIG_CMDLINE" "unpatched"
[ -d "$K"/kpf_cbslow ] && fail "the refused patch left its directory"
loaded kpf_cbslow && fail "kpf_cbslow stayed loaded"
ok "nothing left"

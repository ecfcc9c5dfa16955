#!/bin/sh
# A module whose file name has '-': samples/livepatch/livepatch-shadow-mod.ko,
# known to the kernel as livepatch_shadow_mod.  Its work allocates in
# dummy_alloc() every second, which logs a line more while patched.
# 1) the module loaded before the patch; 2) loaded after it.
# shellcheck source=../../lib.sh
. /payload/lib.sh
ko=/payload/livepatch-shadow-mod.ko
mod=livepatch_shadow_mod
allocs() { count_log 'dummy_alloc: dummy @'; }
patched() { count_log 'dummy_alloc: kpatch: leaking'; }
# wait_for COUNTER N: until COUNTER reaches N (20 s: a slow TCG guest)
wait_for() {
	i=0
	until [ "$($1)" -ge "$2" ]; do
		i=$((i + 1)); [ $i -le 200 ] || fail "$1: $($1) after 20 s, expected $2"
		sleep 0.1
	done
}
# two allocations more: the work ran, patched or not
two_more_allocs() { wait_for allocs $(($(allocs) + 2)); }

note "1: $mod loaded before the patch"
insmod "$ko" || fail "insmod $ko"
[ -d "/sys/module/$mod" ] || fail "no /sys/module/$mod"
two_more_allocs
[ "$(patched)" = 0 ] || fail "patched before loading"
load module-dash-name
patched_functions module-dash-name "$mod" | grep -qx dummy_alloc ||
	fail "dummy_alloc is not patched in $mod: $(patched_functions module-dash-name "$mod")"
wait_for patched 1
unload module-dash-name
n=$(patched)
two_more_allocs
[ "$(patched)" = "$n" ] || fail "still patched after unloading"
rmmod "$mod" || fail "rmmod $mod"

note "2: $mod loaded after the patch"
load module-dash-name
insmod "$ko" || fail "insmod $ko while patched"
[ "$(cat "/sys/kernel/kpatch/$(modname module-dash-name)/$mod/loaded" 2>/dev/null)" = 1 ] ||
	fail "the core did not see $mod arrive"
wait_for patched $((n + 1))
unload module-dash-name
n=$(patched)
two_more_allocs
[ "$(patched)" = "$n" ] || fail "still patched after unloading"
rmmod "$mod" || fail "rmmod $mod"
note ok

#!/bin/sh
# An out-of-tree module (test/fixtures/oot-module, built for the test
# kernel outside its tree), patched with kpatch-build --oot-module:
# /proc/kpatch_oot says "patched" while the patch is live, its read counter
# (a static of the module) going on.
# 1) module loaded before the patch; 2) module unloaded and reloaded while
# the patch is live; 3) the patch disabled and enabled again; 4) patch
# loaded before the module.
# shellcheck source=../../lib.sh
. /payload/lib.sh
ko=/payload/oot/kpatch_oot.ko
loaded_file=/sys/kernel/kpatch/$(modname oot-module)/kpatch_oot/loaded
enabled_file=/sys/kernel/kpatch/$(modname oot-module)/enabled
# expect TEXT: what /proc/kpatch_oot says now (the read counts too)
expect() {
	got=$(cat /proc/kpatch_oot 2>&1)
	[ "$got" = "kpatch_oot: $1" ] || fail "/proc/kpatch_oot says '$got', expected 'kpatch_oot: $1'"
	echo "/proc/kpatch_oot: $got"
}

note "1: the module loaded before the patch"
insmod "$ko" || fail "insmod kpatch_oot.ko"
expect "original, read 1"
load oot-module
patched_functions oot-module kpatch_oot | grep -qx kpatch_oot_show ||
	fail "kpatch_oot_show is not patched: $(patched_functions oot-module kpatch_oot)"
[ "$(cat "$loaded_file")" = 1 ] || fail "the core does not see kpatch_oot loaded"
expect "patched, read 2"

note "2: the module unloaded and loaded again while the patch is live"
rmmod kpatch_oot || fail "rmmod kpatch_oot while patched"
[ ! -e /proc/kpatch_oot ] || fail "/proc/kpatch_oot is still there"
[ "$(cat "$loaded_file")" = 0 ] || fail "the core did not see kpatch_oot go"
insmod "$ko" || fail "insmod kpatch_oot.ko while patched"
[ "$(cat "$loaded_file")" = 1 ] || fail "the core did not see kpatch_oot come back"
expect "patched, read 1"

note "3: the patch disabled, then enabled again"
echo 0 > "$enabled_file" || fail "cannot disable the patch"
expect "original, read 2"
echo 1 > "$enabled_file" || fail "cannot enable the patch again"
expect "patched, read 3"
unload oot-module
expect "original, read 4"
rmmod kpatch_oot || fail "rmmod kpatch_oot"

note "4: the patch loaded before the module"
load oot-module
[ "$(cat "$loaded_file")" = 0 ] || fail "the core says kpatch_oot is loaded before it is"
insmod "$ko" || fail "insmod kpatch_oot.ko after the patch"
[ "$(cat "$loaded_file")" = 1 ] || fail "the core did not see kpatch_oot arrive"
expect "patched, read 1"
unload oot-module
expect "original, read 2"
rmmod kpatch_oot || fail "rmmod kpatch_oot"
note ok

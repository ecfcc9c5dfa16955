#!/bin/sh
# Second boot of the boot guard's test: the guard the crashed boot left
# (from the suite, in /payload/guard) stops load --all --boot, which says
# why and how to re-arm; once re-armed, the next load at boot works and
# clears it.
# shellcheck source=../lib.sh
. /payload/lib.sh
guard=/var/lib/kpatch/boot-guard
crashed=$(cat /payload/guard/boot-id)
mkdir -p "$moduledir/$release" "/var/lib/kpatch/$release"
cp /payload/core/kpatch.ko "$core_dest"
cp "$M/kpatch-cli-p.ko" "/var/lib/kpatch/$release/"
cp /payload/guard/boot-guard "$guard"
[ "$(cat /proc/sys/kernel/random/boot_id)" != "$crashed" ] || fail "the boot ID did not change"

k load --all --boot
fails 1 "the boot guard $guard is set: the boot $crashed began loading live patches and never confirmed them" \
	"no live patch is loaded at this boot" "re-arm with 'rm $guard'"
[ -z "$out" ] || fail "unexpected output"
[ ! -d /sys/kernel/kpatch ] || fail "the core module got loaded"
loaded kpatch_cli_p && fail "the crashing patch got loaded"
[ "$(cat "$guard")" = "$crashed" ] || fail "the guard changed"

k list
succeeds
has_line "Boot guard: the boot $crashed began loading live patches and never confirmed them; no boot loads any until 'rm $guard'"

# What the administrator does: remove the faulty patch, re-arm.
k uninstall kpatch-cli-p
succeeds
k install "$M/kpatch-cli-a.ko"
succeeds
rm "$guard"
k load --all --boot
succeeds
has_line "loaded kpatch_cli_a"
has_line "enabled live patches: kpatch_cli_a"
enabled kpatch_cli_a || fail "kpatch_cli_a is not enabled"
[ ! -e "$guard" ] || fail "the guard is still set after a boot that loaded its patches"
k unload --all
succeeds

#!/bin/sh
# Booted with module.sig_enforce=1: the core and a patch signed with the
# kernel's key load, and the patch works; an unsigned patch and one signed
# with a key the kernel does not trust are refused, each with a message
# that says which and what to do, and nothing else changes.
# shellcheck source=../lib.sh
. /payload/lib.sh
S=/payload/signed
[ "$(cat /sys/module/module/parameters/sig_enforce)" = Y ] ||
	fail "module signatures are not enforced in this boot"
mkdir -p "$moduledir/$release"

# An unsigned core is refused before any patch is tried.
cp /payload/core/kpatch.ko "$core_dest"
k load $S/kpatch-cli-a.ko
fails 1 "cannot load $core_dest: the kernel enforces module signatures and the module is not signed" \
	"kpatch-build --sign-key"
loaded kpatch && fail "an unsigned core module got loaded"

cp $S/kpatch.ko "$core_dest"
k load $S/kpatch-cli-b.ko
fails 1 "cannot load $S/kpatch-cli-b.ko: the kernel enforces module signatures and the module is not signed"
loaded kpatch || fail "the signed core module was not loaded"
loaded kpatch_cli_b && fail "the unsigned patch got loaded"

k load $S/kpatch-cli-s.ko
fails 1 "cannot load $S/kpatch-cli-s.ko: the kernel enforces module signatures and does not trust the key it is signed with"
loaded kpatch_cli_s && fail "the patch signed with an unknown key got loaded"

cmdline=$(cat /proc/cmdline)
k load $S/kpatch-cli-a.ko
succeeds
enabled kpatch_cli_a || fail "the signed patch is not enabled"
expect_file /proc/cmdline kpatch-cli-a
k unload kpatch_cli_a
succeeds
expect_file /proc/cmdline "$cmdline"

# Signed, then compressed (as Debian ships modules): libkmod finds the
# signature inside, and the kernel checks the image libkmod decompressed.
k info $S/kpatch-cli-a.ko.xz
succeeds
case "$out" in *"signed by:    "?*) ;; *) fail "info shows no signer" ;; esac
k load $S/kpatch-cli-a.ko.xz
succeeds
enabled kpatch_cli_a || fail "the signed compressed patch is not enabled"
expect_file /proc/cmdline kpatch-cli-a
k unload kpatch_cli_a
succeeds
k load $S/kpatch-cli-b.ko.zst
fails 1 "cannot load $S/kpatch-cli-b.ko.zst: the kernel enforces module signatures and the module is not signed"
loaded kpatch_cli_b && fail "the unsigned compressed patch got loaded"
expect_file /proc/cmdline "$cmdline"

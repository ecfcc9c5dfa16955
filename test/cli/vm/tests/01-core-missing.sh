#!/bin/sh
# Without the core module loaded or installed, load says where it looked
# and how to get it, and changes nothing.
# shellcheck source=../lib.sh
. /payload/lib.sh
[ ! -e "$core_dest" ] || fail "$core_dest exists before the test"
k load "$M/kpatch-cli-a.ko"
fails 1 "the core module is not loaded and $core_dest does not exist" \
	"build and install it for kernel $release"
[ ! -d /sys/kernel/kpatch ] || fail "the core module got loaded"
loaded kpatch_cli_a && fail "the patch module got loaded"
# What make install does, for the tests that follow.
mkdir -p "$moduledir/$release"
cp /payload/core/kpatch.ko "$core_dest"

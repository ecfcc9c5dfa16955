#!/bin/sh
# A patch module built for another kernel release is refused before any
# system call: not even the core module gets loaded.
# shellcheck source=../lib.sh
. /payload/lib.sh
before=$(cat /proc/modules)
k load "$M/kpatch-fix-other-release.ko"
fails 1 "kpatch-fix-other-release.ko is built for kernel 6.1.0-other-kpatch-test, but the running kernel is $release"
[ "$(cat /proc/modules)" = "$before" ] || fail "/proc/modules changed"
[ ! -d /sys/kernel/kpatch ] || fail "the core module got loaded"
# Installed, it would never load: refused, unless forced.
k install "$M/kpatch-fix-other-release.ko"
fails 1 "is built for kernel 6.1.0-other-kpatch-test, which is neither running nor installed"
k install --force "$M/kpatch-fix-other-release.ko"
succeeds
k replace "$M/kpatch-fix-other-release.ko"
fails 1 "is built for kernel 6.1.0-other-kpatch-test"
[ "$(cat /proc/modules)" = "$before" ] || fail "/proc/modules changed"
k uninstall "$M/kpatch-fix-other-release.ko"
succeeds

#!/bin/sh
# Booted with module.sig_enforce=1: kpatch-build signed the module with the
# build tree's own key (certs/signing_key.pem) by default, so it loads, and
# the core resolves the meminfo patch's non-exported symbols (kpatch
# relocations written after the signature was checked) without breaking it.
# shellcheck source=../../lib.sh
. /payload/lib.sh
[ "$(cat /sys/module/module/parameters/sig_enforce)" = Y ] || fail "module signatures are not enforced"
[ "$(tail -c 28 "$MODDIR/kpatch-signed-enforced.ko")" = "~Module signature appended~" ] ||
	fail "kpatch-build did not sign the module"
before()   { grep -q '^VmallocChunk:' /proc/meminfo && ! grep -q '^VMALLOCCHUNK:' /proc/meminfo; }
loaded()   { grep '^VMALLOCCHUNK:' /proc/meminfo && ! grep -q '^VmallocChunk:' /proc/meminfo; }
unloaded() { before; }
standard_flow signed-enforced

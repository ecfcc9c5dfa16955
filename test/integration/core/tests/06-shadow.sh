#!/bin/sh
# Test 6: shadow variables: alloc, get, get-or-alloc, free, free-all with
# a destructor, and every constructed variable destroyed exactly once.
# shellcheck source=../lib.sh
. /payload/lib.sh
setup

mark
insmod "$P"/kpf_shadow.ko || { since_mark; fail "the shadow checks failed"; }
expect_log "kpf_shadow: all checks passed \(([0-9]+) constructed, [0-9]+ destroyed\)"
expect_no_log "kpf_shadow: FAIL"
rmmod kpf_shadow || fail "rmmod kpf_shadow"

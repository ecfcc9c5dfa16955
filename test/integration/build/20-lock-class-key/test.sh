#!/bin/sh
# kernel_clone() (which refers to a zero-size lock_class_key) can be
# patched: every fork logs a line while patched.
# shellcheck source=../../lib.sh
. /payload/lib.sh
forks() { count_log 'kpatch: kernel_clone: .* forked'; }
before()   { sh -c true; [ "$(forks)" = 0 ]; }
loaded() {
	patched_functions lock-class-key vmlinux | grep -qx kernel_clone || return 1
	n=$(forks); sh -c true; [ "$(forks)" -gt "$n" ]
}
unloaded() { n=$(forks); sh -c true; [ "$(forks)" = "$n" ]; }
standard_flow lock-class-key

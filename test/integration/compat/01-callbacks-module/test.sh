#!/bin/sh
# Callbacks on vmlinux and on a module (isofs), the module loaded before
# the patch and after it: the kernel log shows each callback once, in
# order, with obj->mod and the module's state.  Between marks, the
# callbacks' lines are compared with what kpatch's semantics say.
# shellcheck source=../../lib.sh
. /payload/lib.sh
P=callbacks-module
mkdir -p /mnt/iso
rmmod isofs 2>/dev/null	# whatever an earlier test left
try_mount() { mount -t iso9660 /dev/kpatch-none /mnt/iso 2>/dev/null; true; }
mark() { echo "kpatch-compat-mark $P-$1" > /dev/kmsg; }
# since MARK: the callback lines logged after MARK, one "kind obj mod state" a line
since() {
	dmesg | sed -n "/kpatch-compat-mark $P-$1\$/,\$p" |
		sed -n 's/.*kpatch-cbmod: \([a-z_]* [a-z]* mod=[a-z]* state=[A-Za-z]*\)$/\1/p'
}
# expect MARK OBJ "kind state, ..." : OBJ's callbacks since MARK, in order
expect() {
	got=$(since "$1" | grep " $2 " | awk '{printf "%s%s %s", (NR > 1 ? ", " : ""), $1, substr($4, 7)}')
	echo "  $2 since $1: $got"
	[ "$got" = "$3" ] || fail "$2 callbacks since $1: got '$got', expected '$3'"
}
# phases MARK: every pre_X callback comes before every post_X one
phases() {
	since "$1" | awk '
		/^pre_patch/    { if (pp) bad = 1 } /^post_patch/   { pp = 1 }
		/^pre_unpatch/  { if (pu) bad = 1 } /^post_unpatch/ { pu = 1 }
		END { exit bad }' || fail "a post- callback ran before a pre- callback since $1: $(since "$1" | tr '\n' ';')"
}
# the patched mount entry logs its name: isofs_mount, isofs_get_tree on 6.12
mounts() { count_log "kpatch-cbmod: $fn /dev/kpatch-none"; }

note "1: isofs loaded before the patch"
insmod /payload/isofs.ko || fail "insmod isofs.ko"
fn=$(isofs_mount_fn)
try_mount; [ "$(mounts)" = 0 ] || fail "$fn patched before loading"
mark a1
load $P
expect a1 vmlinux "pre_patch none, post_patch none"
expect a1 isofs "pre_patch LIVE, post_patch LIVE"
since a1 | grep -q 'vmlinux mod=none' || fail "obj->mod of vmlinux is not NULL"
since a1 | grep -q 'isofs mod=isofs' || fail "obj->mod of isofs is not the isofs module"
phases a1
try_mount; [ "$(mounts)" = 1 ] || fail "the patched $fn did not run (KPATCH_PRINTK)"
mark a2
unload $P
expect a2 vmlinux "pre_unpatch none, post_unpatch none"
expect a2 isofs "pre_unpatch LIVE, post_unpatch LIVE"
phases a2
try_mount; [ "$(mounts)" = 1 ] || fail "still patched after unloading"
mark a3
rmmod isofs || fail "rmmod isofs"
[ -z "$(since a3)" ] || fail "callbacks ran when isofs went after the patch: $(since a3)"

note "2: isofs loaded after the patch"
mark b1
load $P
expect b1 vmlinux "pre_patch none, post_patch none"
expect b1 isofs ""
mark b2
insmod /payload/isofs.ko || fail "insmod isofs.ko while patched"
expect b2 isofs "pre_patch COMING, post_patch COMING"
expect b2 vmlinux ""
try_mount; [ "$(mounts)" = 2 ] || fail "isofs loaded after the patch is not patched"
mark b3
rmmod isofs || fail "rmmod isofs while patched"
expect b3 isofs "pre_unpatch GOING, post_unpatch GOING"
expect b3 vmlinux ""
mark b4
insmod /payload/isofs.ko || fail "insmod isofs.ko again while patched"
expect b4 isofs "pre_patch COMING, post_patch COMING"
try_mount; [ "$(mounts)" = 3 ] || fail "isofs loaded again after the patch is not patched"
mark b5
unload $P
expect b5 vmlinux "pre_unpatch none, post_unpatch none"
expect b5 isofs "pre_unpatch LIVE, post_unpatch LIVE"
try_mount; [ "$(mounts)" = 3 ] || fail "still patched after unloading"
rmmod isofs || fail "rmmod isofs"
note ok

#!/bin/sh
# sched_feat_show() patched to print HRTICK and WAKEUP_PREEMPTION as its
# jump labels see them; their keys are entries of sched_feat_keys[], not
# exported by vmlinux, so the module carries livepatch relocations
# (.klp.rela.vmlinux.__jump_table) that the module loader applies before
# jump label init.  While the patch is live each feature is toggled
# through debugfs' sched/features: the patched code must follow its key
# both ways, which it does only if the loader registered its jump labels
# with the right keys.
# shellcheck source=../../lib.sh
. /payload/lib.sh
F=/sys/kernel/debug/sched/features
[ -f $F ] || mount -t debugfs none /sys/kernel/debug
[ -f $F ] || fail "no $F (debugfs, CONFIG_SCHED_DEBUG)"
keys() { grep '^kpatch-keys:' $F; }
# expect HRTICK WAKEUP_PREEMPTION: the patched line must say so
expect() {
	want="kpatch-keys: HRTICK=$1 WAKEUP_PREEMPTION=$2"
	[ "$(keys)" = "$want" ] || { echo "want '$want', $F says '$(keys)' ($(cat $F | head -n1))"; return 1; }
	echo "$want"
}
feature() { echo "$1" > $F || { echo "writing $1 to $F"; return 1; }; }
before() { ! keys && grep -q 'NO_HRTICK' $F && grep -q ' WAKEUP_PREEMPTION' $F; }
loaded() {
	# the loader took it for a livepatch module (livepatch=Y): taint K
	t=$(cat "/sys/module/$(modname static-key-vmlinux)/taint")
	case $t in *K*) ;; *) echo "the module's taint is '$t', not K (livepatch)"; return 1 ;; esac
	expect off on &&
	feature HRTICK && expect on on &&
	feature NO_WAKEUP_PREEMPTION && expect on off &&
	feature NO_HRTICK && expect off off &&
	feature WAKEUP_PREEMPTION && expect off on
}
unloaded() { ! keys && grep -q 'NO_HRTICK' $F && grep -q ' WAKEUP_PREEMPTION' $F; }
standard_flow static-key-vmlinux

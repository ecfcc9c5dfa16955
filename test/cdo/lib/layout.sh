# shellcheck shell=bash
# The layout file of a prepared kernel tree (sourced by tree.sh and
# stored/regenerate): kpatch-build's own probe (LAYOUT_PROBE in
# kpatch-build/kpatch-build), compiled in the tree, so the tests use the
# sizes and offsets kpatch-build would pass.
#
# cdo_layout TREE OUT [MAKE ARGS...]: write the layout of TREE to OUT.
# With CDO_CHROOT set (stored/regenerate's gcc13/gcc14 builds), make runs
# in that chroot; TREE and TMPDIR are then under its root, where paths are
# the same inside and outside (stored/trixie-chroot).
cdo_layout() {
	local tree=$1 out=$2 dir kb run=()
	shift 2
	[ -n "${CDO_CHROOT:-}" ] && run=(env -C "$CDO_CHROOT" chroot "$CDO_CHROOT")
	kb=$(cd "$(dirname "${BASH_SOURCE[0]}")/../../../kpatch-build" && pwd)/kpatch-build
	dir=$(mktemp -d)
	sed -n "/^LAYOUT_PROBE='/,/^'/p" "$kb" | sed '1d;$d' >"$dir/layout.c"
	echo 'obj-m := layout.o' >"$dir/Kbuild"
	if ! "${run[@]}" make -s -C "$tree" "$@" M="$dir" layout.s >"$dir/log" 2>&1; then
		echo "cdo_layout: the layout probe does not build in $tree:" >&2
		grep -m5 error "$dir/log" >&2
		rm -rf "$dir"
		return 1
	fi
	sed -n 's/.*"->\([A-Z_]*\) [$#]*\([0-9]*\) .*/\1=\2/p' "$dir/layout.s" >"$out"
	rm -rf "$dir"
	grep -q '^EX_STRUCT_SIZE=' "$out"
}

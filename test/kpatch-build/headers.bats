#!/usr/bin/env bats
# A patch of headers (kpatch-build/headers.sh): the objects it rebuilds are
# those whose kbuild dependency file (.cmd) lists a patched header, read
# from the real .cmd files of the test kernel's build tree
# (KPATCH_TEST_TREE, set by the suite unit-kpatch-build).  The whole
# kpatch-build of a header patch, cold and warm, is the suite full-header
# (make check-full): it needs a whole original build.

load helpers

need_tree() {
	if [ -z "${KPATCH_TEST_TREE:-}" ] || [ ! -f "$KPATCH_TEST_TREE/fs/proc/.base.o.cmd" ]; then
		echo "no built test kernel tree: set KPATCH_TEST_TREE (test/kernel/build-kernel)"
		return 1
	fi
}

# refute COMMAND...: fails when COMMAND succeeds (a bare "! COMMAND" does
# not fail a bats test).
refute() {
	if "$@"; then
		echo "should not hold: $*"
		return 1
	fi
}

# includers HEADER...: header_includers of headers.sh on the test kernel's
# tree, its build directories limited to fs/ and arch/x86/.
includers() {
	mkdir -p "$T/key"
	printf '%s\n' fs/ arch/x86/ > "$T/key/build-dirs"
	(
		# shellcheck source=/dev/null
		. "$TOP/kpatch-build/headers.sh"
		TREE=$KPATCH_TEST_TREE KEYDIR=$T/key header_includers "$@"
	)
}

@test "the objects of a header are those whose .cmd lists it, no more, no fewer" {
	need_tree
	run includers fs/proc/internal.h
	[ "$status" -eq 0 ]
	# The oracle: grep for the literal path (this header is written only
	# so in this tree, as the check below shows).
	expected=$(cd "$KPATCH_TEST_TREE" && grep -rlF --include='.*.o.cmd' 'fs/proc/internal.h' fs arch/x86 |
		sed 's|/\.\([^/]*\)\.cmd$|/\1|' | LC_ALL=C sort)
	refute grep -rqE --include='.*.o.cmd' '\.\./(proc/)?internal\.h' "$KPATCH_TEST_TREE/fs/proc" "$KPATCH_TEST_TREE/fs/.proc_namespace.o.cmd"
	echo "got: $output"
	echo "expected: $expected"
	[ "$output" = "$expected" ]
	[ "$(grep -c . <<<"$output")" -gt 10 ]
	# fs/proc_namespace.c includes it as "proc/internal.h".
	grep -qx fs/proc_namespace.o <<<"$output"
	# mm/ has an internal.h of its own, and is not among the build
	# directories given.
	refute grep -q '^mm/' <<<"$output"
}

@test "a dependency written through .. is the header it names, and only that one" {
	need_tree
	# fs/proc/fd.c includes "../mount.h": its .cmd says fs/proc/../mount.h.
	grep -qxF "  fs/proc/../mount.h \\" "$KPATCH_TEST_TREE/fs/proc/.fd.o.cmd"
	run includers fs/mount.h
	[ "$status" -eq 0 ]
	grep -qx fs/proc/fd.o <<<"$output"
	grep -qx fs/namespace.o <<<"$output"
	# include/linux/mount.h has the same file name; objects that include
	# only that one (fs/proc/base.o) are not listed.
	grep -qxF "  include/linux/mount.h \\" "$KPATCH_TEST_TREE/fs/proc/.base.o.cmd"
	refute grep -qF 'fs/mount.h' "$KPATCH_TEST_TREE/fs/proc/.base.o.cmd"
	refute grep -qx fs/proc/base.o <<<"$output"
}

@test "a header this configuration compiles into no object reaches none" {
	need_tree
	# XFS is not configured in the test kernel.
	refute grep -q '^CONFIG_XFS_FS=' "$KPATCH_TEST_TREE/.config"
	[ -f "$KPATCH_TEST_SRC/fs/xfs/xfs_inode.h" ]
	run includers fs/xfs/xfs_inode.h
	[ "$status" -eq 0 ]
	[ -z "$output" ]
}

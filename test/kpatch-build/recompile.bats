#!/usr/bin/env bats
# kpatch-build/recompile.sh: the patched build of .c objects by the
# commands kbuild saved in their .cmd files.  On a real kbuild: the
# fixture module test/fixtures/oot-module built for the test kernel
# (KPATCH_TEST_TREE, which the suite unit-kpatch-build sets from
# test/kernel/build-kernel), with a define holding '$' and '#', which
# kbuild writes into the .cmd file escaped.  (vm-build's
# build-saved-commands-as-make compares whole kpatch-builds both ways.)

load helpers

need_tree() {
	if [ -z "${KPATCH_TEST_TREE:-}" ] || [ ! -f "$KPATCH_TEST_TREE/vmlinux" ]; then
		echo "no test kernel build tree: set KPATCH_TEST_TREE (test/kernel/build-kernel)"
		return 1
	fi
}

# The fixture in $T/mod, built by kbuild, with KPATCH_TEST_DEFINE="a$b#c".
fixture_built() {
	mkdir -p "$T/mod"
	cp -a "$TOP/test/fixtures/oot-module/." "$T/mod/"
	echo "ccflags-y += '-DKPATCH_TEST_DEFINE=\"a\$\$b\#c\"'" >> "$T/mod/Kbuild"
	make -C "$KPATCH_TEST_TREE" M="$T/mod" modules > "$T/mod.log" 2>&1 || { cat "$T/mod.log"; return 1; }
}

# recompile.sh as kpatch-build sources it, its make run in the test tree.
load_recompile() {
	TREE=$KPATCH_TEST_TREE KEYDIR=$T/key TMP=$T/tmp LOG=$T/log
	mkdir -p "$KEYDIR" "$TMP"
	# shellcheck source=../../kpatch-build/recompile.sh
	. "$TOP/kpatch-build/recompile.sh"
	kmake() { make -C "$TREE" "$@"; }
}

@test "kbuild's saved command, read back, compiles the very object kbuild compiled" {
	need_tree
	fixture_built
	load_recompile
	local o c
	for o in "$T/mod/main.o" "$T/mod/show.o"; do
		c=$(saved_command "$o")
		echo "$c"
		[[ "$c" == *" -c -o $o $T/mod/"* ]]
		[[ "$c" == *"-DKPATCH_TEST_DEFINE=\"a\$b#c\""* ]]
		cp "$o" "$o.kbuild"
		rm "$o"
		(cd "$TREE" && sh -c "set -e; $c")
		cmp "$o" "$o.kbuild"
	done
}

@test "an object without a .cmd file has no saved command" {
	need_tree
	load_recompile
	run saved_command "$T/none.o"
	[ "$status" -ne 0 ]
}

@test "kbuild's rule for C objects is asked from the kernel's kbuild; a step that rewrites the object is named" {
	need_tree
	load_recompile
	run cc_rule_objects_untouched
	echo "$output"
	[ "$status" -eq 0 ]
	grep -q 'call cmd_and_fixdep,cc_o_c' "$KEYDIR/cc-rule"
	grep -q '^set: .*cmd_cc_o_c' "$KEYDIR/cc-rule"
	# As a kernel whose config has recordmcount run on every object
	# (CONFIG_FTRACE_MCOUNT_USE_RECORDMCOUNT) would print it:
	grep -q 'call cmd,record_mcount' "$KEYDIR/cc-rule"
	sed -i 's/^set: /set: cmd_record_mcount /' "$KEYDIR/cc-rule"
	run cc_rule_objects_untouched
	[ "$status" -ne 0 ]
	[ "$output" = "kbuild's rule for C objects runs record_mcount on the object after compiling it" ]
}

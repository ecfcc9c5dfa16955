#!/usr/bin/env bats
# kpatch-build --oot-module: what it refuses, with one clear message each,
# before a patch module is made.  The out-of-tree module is the fixture
# test/fixtures/oot-module compiled for the test kernel
# (KPATCH_TEST_TREE, which the suite unit-kpatch-build sets from
# test/kernel/build-kernel): a real module, real kbuild.

load helpers

# The test kernel's build tree; a test that needs one fails without it.
need_tree() {
	if [ -z "${KPATCH_TEST_TREE:-}" ] || [ ! -f "$KPATCH_TEST_TREE/vmlinux" ]; then
		echo "no test kernel build tree: set KPATCH_TEST_TREE (test/kernel/build-kernel)"
		return 1
	fi
}

# fixture_module DIR [SED-SCRIPT]: the fixture's source in DIR, edited by
# the sed script (every .c and .h file), and built for the test kernel.
fixture_module() {
	mkdir -p "$1"
	cp -a "$TOP/test/fixtures/oot-module/." "$1/"
	[ -z "${2:-}" ] || sed -i "$2" "$1"/*.[ch]
	make -C "$KPATCH_TEST_TREE" M="$1" modules > "$1.log" 2>&1 || { cat "$1.log"; return 1; }
}

# refused_once MESSAGE: the last run failed with status 1 and one ERROR
# line, MESSAGE.
refused_once() {
	echo "$output"
	[ "$status" -eq 1 ]
	[ "$(grep -c 'ERROR:' <<< "$output")" -eq 1 ]
	[[ "$output" == *"ERROR: $1"* ]]
}

kb_oot() {	# KO SRC PATCH [OPTION...]
	local ko=$1 src=$2 patch=$3
	shift 3
	"$KB" -c "$KPATCH_TEST_TREE/.config" -v "$KPATCH_TEST_TREE/vmlinux" -o "$T/out" \
		--oot-module "$ko" --oot-module-src "$src" "$@" "$patch"
}

# the state of a directory: files, checksums, modification times
dir_state() { (cd "$1" && find . -type f -printf '%p %T@ ' -exec sha256sum {} \; | sort); }

@test "--oot-module and --oot-module-src go together, and not with --sourcedir" {
	fake_kernel
	unapplicable_patch
	run "$KB" --oot-module "$T/x.ko" "$T/bad.patch"
	[ "$status" -eq 2 ]
	[[ "$output" == *"--oot-module and --oot-module-src go together"* ]]
	run kb_fake --oot-module "$T/x.ko" --oot-module-src "$T" "$T/bad.patch"
	[ "$status" -eq 2 ]
	[[ "$output" == *"with --oot-module the patches are against --oot-module-src"* ]]
}

@test "a missing module, and a file that is not a module, are named" {
	fake_kernel
	mkdir -p "$T/mod"; : > "$T/mod/Kbuild"
	run "$KB" -c "$T/config" -v "$T/build/vmlinux" --oot-module "$T/none.ko" --oot-module-src "$T/mod" \
		"$TOP/test/integration/build/40-oot-module/oot-module.patch"
	refused_once "module missing: cannot read $T/none.ko (--oot-module)"
	run "$KB" -c "$T/config" -v "$T/build/vmlinux" --oot-module "$T/build/vmlinux" --oot-module-src "$T/mod" \
		"$TOP/test/integration/build/40-oot-module/oot-module.patch"
	refused_once "$T/build/vmlinux (--oot-module) is not a kernel module: it has no module name in .modinfo"
}

@test "a missing module source directory is named, and nothing is built" {
	need_tree
	fixture_module "$T/mod"
	run kb_oot "$T/mod/kpatch_oot.ko" "$T/nowhere" "$TOP/test/integration/build/40-oot-module/oot-module.patch"
	refused_once "module source missing: $T/nowhere (--oot-module-src) is not a directory"
	[ ! -e "$T/out/kpatch-oot-module.ko" ]
	[ ! -e "$KPATCH_CACHE/oot-logs" ]
}

@test "a config that is not the build tree's is refused, the option named" {
	need_tree
	fixture_module "$T/mod"
	sed 's/^CONFIG_PROC_SYSCTL=y$/# CONFIG_PROC_SYSCTL is not set/' "$KPATCH_TEST_TREE/.config" > "$T/config"
	run cmp -s "$T/config" "$KPATCH_TEST_TREE/.config"
	[ "$status" -eq 1 ]
	run "$KB" -c "$T/config" -v "$KPATCH_TEST_TREE/vmlinux" --oot-module "$T/mod/kpatch_oot.ko" --oot-module-src "$T/mod" \
		"$TOP/test/integration/build/40-oot-module/oot-module.patch"
	refused_once "the config $T/config is not the one of the build tree $KPATCH_TEST_TREE, with which kbuild builds the module: CONFIG_PROC_SYSCTL: n in the given config, y in the build tree"
}

@test "a module built for another kernel is refused before anything is built" {
	need_tree
	fake_kernel
	fixture_module "$T/mod"
	run "$KB" -c "$T/config" -v "$T/build/vmlinux" --oot-module "$T/mod/kpatch_oot.ko" --oot-module-src "$T/mod" \
		"$TOP/test/integration/build/40-oot-module/oot-module.patch"
	refused_once "$T/mod/kpatch_oot.ko (--oot-module) was built for kernel $(cat "$KPATCH_TEST_TREE/include/config/kernel.release"), not for the target kernel 6.1.192-test"
}

@test "a module that was not built from the given source is refused by its srcversion" {
	need_tree
	fixture_module "$T/mod"
	fixture_module "$T/other" 's/0444/0400/'
	before=$(dir_state "$T/other")
	run kb_oot "$T/mod/kpatch_oot.ko" "$T/other" "$TOP/test/integration/build/40-oot-module/oot-module.patch"
	refused_once "$T/mod/kpatch_oot.ko was not built from the module source $T/other: its srcversion is $(modinfo -F srcversion "$T/mod/kpatch_oot.ko"), the source's is $(modinfo -F srcversion "$T/other/kpatch_oot.ko")"
	[ ! -e "$T/out/kpatch-oot-module.ko" ]
	# the user's directory as it was; no kernel cache made
	[ "$(dir_state "$T/other")" = "$before" ]
	[ -z "$(find "$KPATCH_CACHE" -mindepth 1 -maxdepth 1 ! -name lock ! -name oot-logs)" ]
}

@test "without a srcversion, a module whose functions are not the source's is refused" {
	need_tree
	fixture_module "$T/mod" '/MODULE_VERSION/d'
	fixture_module "$T/other" '/MODULE_VERSION/d; s/kpatch_oot_init/kpatch_oot_start/g'
	[ -z "$(modinfo -F srcversion "$T/mod/kpatch_oot.ko")" ]
	run kb_oot "$T/mod/kpatch_oot.ko" "$T/other" "$TOP/test/integration/build/40-oot-module/oot-module.patch"
	refused_once "$T/mod/kpatch_oot.ko was not built from the module source $T/other: they differ in the functions kpatch_oot_init kpatch_oot_start"
}

@test "a patch of the kernel's own files is refused, naming them" {
	need_tree
	fixture_module "$T/mod"
	cat "$TOP/test/integration/build/40-oot-module/oot-module.patch" \
		"$TOP/test/integration/build/01-proc-version/proc-version.patch" > "$T/mixed.patch"
	run kb_oot "$T/mod/kpatch_oot.ko" "$T/mod" "$T/mixed.patch"
	refused_once "mixed.patch patches files that are not in the module source $T/mod: fs/proc/version.c; with --oot-module the patches are against the module's source only"
	[ ! -e "$T/out/kpatch-oot-module.ko" ]
}

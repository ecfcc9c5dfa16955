#!/usr/bin/env bats
# The compiler kpatch-build builds with is the one the target kernel's
# config records (toolchain.sh): clang for a config kbuild wrote with
# CC=clang, and a clang the system lacks is one refusal naming its
# package.  The config is a real one: kbuild's tinyconfig of the pristine
# 6.1 source (KPATCH_TEST_SRC, which unit-kpatch-build sets) configured
# with Debian's clang, in a build directory of its own (O=).  The vmlinux
# beside it is a small program compiled by that clang or by gcc, whose
# .comment is the compiler's own.  The kernel built with clang-16 and
# LLVM's linker, end to end, is test/suites/full-clang.

load helpers

setup_file() {
	[ -n "${KPATCH_TEST_SRC:-}" ] || { echo "KPATCH_TEST_SRC is not set (test/integration/pristine-source)" >&2; return 1; }
	make -s -C "$KPATCH_TEST_SRC" O="$BATS_FILE_TMPDIR/kconfig" CC=clang tinyconfig \
		> "$BATS_FILE_TMPDIR/kconfig.log" 2>&1 || { cat "$BATS_FILE_TMPDIR/kconfig.log" >&2; return 1; }
}

# $T/clang.config: the clang config; CLANG: the clang it names (clang-14).
clang_config() {
	cp "$BATS_FILE_TMPDIR/kconfig/.config" "$T/clang.config"
	grep -qx 'CONFIG_CC_IS_CLANG=y' "$T/clang.config"
	local ver
	ver=$(sed -n 's/^CONFIG_CLANG_VERSION=//p' "$T/clang.config")
	CLANG=clang-$((ver / 10000))
	command -v "$CLANG"
}

# A fake kernel of the pristine source's version with the config given
# (default: the clang one) and a vmlinux COMPILER built.  Linked without
# the C library's start files, as a kernel is: theirs carry gcc's .comment.
kernel_by() {	# COMPILER [CONFIG]
	fake_kernel
	local lv
	cp "${2:-$T/clang.config}" "$T/config"
	cp "$KPATCH_TEST_SRC/Makefile" "$T/src/Makefile"
	lv=$(sed -n 's/^CONFIG_LOCALVERSION="\(.*\)"$/\1/p' "$T/config")
	printf 'const char b[] = "Linux version %s%s (me@here) (cc)";\nvoid _start(void) { }\n' \
		"$(make -s -C "$KPATCH_TEST_SRC" kernelversion)" "$lv" > "$T/v.c"
	"$1" -no-pie -nostdlib -o "$T/build/vmlinux" "$T/v.c"
	readelf -p .comment "$T/build/vmlinux"
}

# A PATH with every command of this one but those named.
path_without() {	# NAME...
	local d f
	mkdir -p "$T/bin"
	IFS=: read -ra dirs <<<"$PATH"
	for d in "${dirs[@]}"; do
		for f in "$d"/*; do
			[[ " $* " == *" ${f##*/} "* ]] || [ -e "$T/bin/${f##*/}" ] || ln -s "$f" "$T/bin/${f##*/}"
		done
	done
	echo "$T/bin"
}

refused_once() {	# MESSAGE: status 1, one ERROR line, MESSAGE
	echo "$output"
	[ "$status" -eq 1 ]
	[ "$(grep -c 'ERROR:' <<< "$output")" -eq 1 ]
	[[ "$output" == *"ERROR: $1"* ]]
}

@test "a kernel configured with clang is built with that clang, in a cache of its own" {
	clang_config
	kernel_by "$CLANG"
	unapplicable_patch
	run kb_fake "$T/bad.patch"
	echo "$output"
	# it got past the prerequisites, to the patch
	[ "$status" -eq 1 ]
	[[ "$output" == *"ERROR: patch does not apply"* ]]
	[[ "$output" == *"kpatch-build: compiler $CLANG $("$CLANG" -dumpversion), make CC=$CLANG (the kernel's config: CONFIG_CC_IS_CLANG=y)"* ]]
	[[ "$output" == *"kpatch-build: cache $KPATCH_CACHE/"*"-clang$("$CLANG" -dumpversion); log"* ]]
}

@test "a kernel configured with clang, and no such clang here: one refusal naming the package" {
	clang_config
	kernel_by "$CLANG"
	unapplicable_patch
	local ver
	ver=$(sed -n 's/^CONFIG_CLANG_VERSION=//p' "$T/clang.config")
	run env PATH="$(path_without "$CLANG" clang)" "$KB" -s "$T/src" -c "$T/config" -v "$T/build/vmlinux" "$T/bad.patch"
	refused_once "the kernel was built by clang ${CLANG#clang-} (CONFIG_CC_IS_CLANG=y, CONFIG_CLANG_VERSION=$ver), and this system has no $CLANG: apt-get install $CLANG"
	[ ! -e "$KPATCH_CACHE" ]
}

@test "a config of clang beside a vmlinux gcc built: refused, naming both compilers" {
	clang_config
	kernel_by gcc
	unapplicable_patch
	run kb_fake "$T/bad.patch"
	refused_once "the compiler is not the one that built the target kernel: $CLANG is '$("$CLANG" --version | head -n1)', the kernel was built by 'GCC: $(gcc --version | head -n1 | sed 's/^[^ ]* //')'"
	[ ! -e "$KPATCH_CACHE" ]
}

@test "a config of gcc (the test kernel's) beside a vmlinux clang built: refused, naming both compilers" {
	[ -f "${KPATCH_TEST_TREE:-}/.config" ] || { echo "KPATCH_TEST_TREE is not set (test/kernel/build-kernel)"; return 1; }
	clang_config
	kernel_by "$CLANG" "$KPATCH_TEST_TREE/.config"
	unapplicable_patch
	run kb_fake "$T/bad.patch"
	refused_once "the compiler is not the one that built the target kernel: gcc is '$(gcc --version | head -n1 | sed 's/^[^ ]* //')', the kernel was built by '$("$CLANG" --version | head -n1)'"
}

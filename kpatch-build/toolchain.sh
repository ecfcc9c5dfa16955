# shellcheck shell=bash
# kpatch-build: the compiler and tools that built the target kernel, as its
# config records them, and how every make against that kernel selects them.
# Sourced by kpatch-build (installed in LIBEXECDIR).
#
# kbuild writes the toolchain it was configured with into the config:
# CONFIG_CC_IS_GCC or CONFIG_CC_IS_CLANG with CONFIG_CLANG_VERSION (160006
# for 16.0.6), CONFIG_LD_IS_BFD or CONFIG_LD_IS_LLD, CONFIG_AS_IS_GNU or
# CONFIG_AS_IS_LLVM.  The original and patched objects must come from the
# same compiler as the kernel's (another one generates other code, and
# Kconfig turns options on or off by compiler), and the M= builds against
# the build tree (layout probe, patch module, out-of-tree module) get the
# compiler flags kbuild chose for that compiler, which another rejects.
#
# Sets:
#   TOOLCHAIN          gcc or clang
#   TOOLCHAIN_CC       the compiler kpatch-cc runs (gcc, clang-16, clang)
#   TOOLCHAIN_VERSION  its version, part of the cache key (12.2.0, 16.0.6)
#   TOOLCHAIN_ARGS     make arguments for every make against the kernel:
#                      none for gcc; LLVM=-16 for clang with LLVM's linker
#                      (kbuild puts LLVM=-N after the name of each LLVM
#                      tool: clang-16, ld.lld-16, llvm-ar-16..., Debian's
#                      versioned names; LLVM=1 for unversioned ones);
#                      CC=clang-16 for clang with GNU ld; LLVM_IAS=0 when
#                      the kernel used GNU as.
# A clang the system lacks, clang LTO and clang CFI are recorded with need.

# The LLVM tools kbuild runs with LLVM= (the top Makefile's list).
LLVM_TOOLS=(clang ld.lld llvm-ar llvm-nm llvm-objcopy llvm-objdump llvm-readelf llvm-strip)

config_is_set() {	# OPTION: CONFIG_OPTION=y in the target's config
	grep -q "^CONFIG_$1=y\$" "$CONFIG"
}

kernel_toolchain() {
	TOOLCHAIN=gcc TOOLCHAIN_CC=gcc TOOLCHAIN_ARGS=() TOOLCHAIN_VERSION=
	[ -n "$CONFIG" ] && config_is_set CC_IS_CLANG || return 0
	TOOLCHAIN=clang
	local ver major lld=0 tools suffix t missing=() said what
	ver=$(sed -n 's/^CONFIG_CLANG_VERSION=\([0-9][0-9]*\)$/\1/p' "$CONFIG")
	if [ -z "$ver" ]; then
		need "the config says the kernel was built by clang (CONFIG_CC_IS_CLANG=y) but not which version (no CONFIG_CLANG_VERSION): it is not a config kbuild wrote"
		return 0
	fi
	major=$((ver / 10000))
	said="CONFIG_CC_IS_CLANG=y, CONFIG_CLANG_VERSION=$ver" what="clang $major"
	if config_is_set LD_IS_LLD; then
		lld=1 said+=", CONFIG_LD_IS_LLD=y" what+=" with LLVM's linker and tools"
	fi
	# Clang LTO compiles to LLVM bitcode and generates code only at the
	# link: there is no machine code in the objects to compare.
	if config_is_set LTO_CLANG; then
		need "the kernel is built with clang LTO ($(grep -o -m1 '^CONFIG_LTO_CLANG_[A-Z]*' "$CONFIG" || echo CONFIG_LTO_CLANG)=y): its objects are LLVM bitcode, whose code exists only after the link, so create-diff-object has nothing to compare; kpatch-build cannot patch it"
	fi
	# kCFI puts a type hash before every function whose address is taken,
	# outside its symbol: create-diff-object would copy functions without
	# it, and a call through a pointer to one would fail the check.
	if config_is_set CFI_CLANG; then
		need "the kernel is built with clang's control-flow integrity (CONFIG_CFI_CLANG=y): create-diff-object does not carry the type hashes before functions, so kpatch-build cannot patch it"
	fi
	tools=(clang)
	[ "$lld" = 0 ] || tools=("${LLVM_TOOLS[@]}")
	# Debian names them clang-16, ld.lld-16...; other systems install one
	# clang under the plain names.  Its major version must be the kernel's.
	for suffix in "-$major" ""; do
		missing=()
		for t in "${tools[@]}"; do
			command -v "$t$suffix" >/dev/null || missing+=("$t$suffix")
		done
		[ ${#missing[@]} -eq 0 ] || continue
		[ "$("clang$suffix" -dumpversion 2>/dev/null | cut -d. -f1)" = "$major" ] || continue
		TOOLCHAIN_CC=clang$suffix
		# shellcheck disable=SC2034 # kpatch-build's cache key
		TOOLCHAIN_VERSION=$("$TOOLCHAIN_CC" -dumpversion)
		if [ "$lld" = 1 ]; then
			TOOLCHAIN_ARGS=("LLVM=${suffix:-1}")
		else
			TOOLCHAIN_ARGS=("CC=$TOOLCHAIN_CC")
		fi
		config_is_set AS_IS_LLVM || ! config_is_set AS_IS_GNU || TOOLCHAIN_ARGS+=(LLVM_IAS=0)
		return 0
	done
	# Not installed: check_compiler has nothing to compare.
	TOOLCHAIN_CC=clang-$major
	missing=()
	for t in "${tools[@]}"; do
		command -v "$t-$major" >/dev/null || missing+=("$t-$major")
	done
	need "the kernel was built by $what ($said), and this system has no ${missing[*]:-clang $major}: $(distro_install_hint "$(distro_llvm_packages "$major" "$lld")")"
}

# For the log: "clang-16 16.0.6, make LLVM=-16 (the kernel's config:
# CONFIG_CC_IS_CLANG=y)", "gcc 12.2.0".
toolchain_summary() {
	local s="$TOOLCHAIN_CC $TOOLCHAIN_VERSION"
	[ ${#TOOLCHAIN_ARGS[@]} -eq 0 ] || s+=", make ${TOOLCHAIN_ARGS[*]}"
	[ "$TOOLCHAIN" = gcc ] || s+=" (the kernel's config: CONFIG_CC_IS_CLANG=y)"
	echo "$s"
}

# The compiler's identity as the kernel records it (the vmlinux's
# .comment, /proc/version, CONFIG_CC_VERSION_TEXT) and as --version prints
# it: gcc "(Debian 12.2.0-14) 12.2.0", clang "Debian clang version 16.0.6
# (15~deb12u1)".
compiler_identity() {
	if [ "$TOOLCHAIN" = clang ]; then
		"$TOOLCHAIN_CC" --version | head -n1
	else
		gcc --version | head -n1 | sed 's/^[^ ]* //'
	fi
}

kernel_compiler_identity() {
	local comment theirs
	# A vmlinux built by the other compiler says so in its .comment: that
	# is what it was built by, whatever the config claims.
	comment=$(readelf -p .comment "$VMLINUX" 2>/dev/null | sed -n 's/^ *\[ *[0-9a-f]*\] *//p')
	if [ "$TOOLCHAIN" = clang ]; then
		theirs=$(grep -m1 'clang version ' <<<"$comment") ||
			theirs=$(grep -m1 '^GCC: ' <<<"$comment") || true
		if [ -z "$theirs" ] && [ "$RELEASE" = "$(running_release)" ]; then
			theirs=$(sed -n 's/.*(\([^(]*clang version [^,]*\), .*/\1/p' "$SYSROOT/proc/version")
		fi
		[ -n "$theirs" ] || theirs=$(sed -n 's/^CONFIG_CC_VERSION_TEXT="\(.*\)"$/\1/p' "$CONFIG")
	else
		theirs=$(sed -n 's/^GCC: //p' <<<"$comment" | sort -u | head -n1)
		[ -n "$theirs" ] || theirs=$(grep -m1 'clang version ' <<<"$comment") || true
		if [ -z "$theirs" ] && [ "$RELEASE" = "$(running_release)" ]; then
			theirs=$(sed -n 's/.*(gcc[^ ]* \(([^)]*) [0-9.]*\).*/\1/p' "$SYSROOT/proc/version")
		fi
		[ -n "$theirs" ] || theirs=$(sed -n 's/^CONFIG_CC_VERSION_TEXT="[^ ]* \(.*\)"$/\1/p' "$CONFIG")
	fi
	echo "$theirs"
}

check_compiler() {
	local mine theirs
	command -v "$TOOLCHAIN_CC" >/dev/null || return 0
	mine=$(compiler_identity)
	theirs=$(kernel_compiler_identity)
	if [ "$mine" != "$theirs" ]; then
		[ "$SKIP_CC_CHECK" = 1 ] && { warn "compiler differs from the kernel's: '$mine' vs '$theirs' (--skip-compiler-check)"; return 0; }
		need "the compiler is not the one that built the target kernel: $TOOLCHAIN_CC is '$mine', the kernel was built by '${theirs:-an unknown compiler}'; install that compiler, or use --skip-compiler-check"
	fi
}

# The toolchain options olddefconfig must keep: kbuild sets them from the
# compiler, linker and assembler it finds, so a change means the cache tree
# is not built with the kernel's toolchain.  (CONFIG_NO_CODE leaves them
# out of the comparison of every other option.)  Only those the given
# config has: older kernels have no AS_IS_ or LD_IS_ options.
toolchain_changes() {	# GIVEN RESULT
	local opt lost=()
	while IFS= read -r opt; do
		grep -qxF "$opt" "$2" || lost+=("$opt")
	done < <(grep -E '^CONFIG_(CC|LD|AS)_IS_[A-Z]+=y$' "$1")
	[ ${#lost[@]} -eq 0 ] ||
		echo "the config says ${lost[*]}, which kbuild with $TOOLCHAIN_CC${TOOLCHAIN_ARGS[*]:+ ${TOOLCHAIN_ARGS[*]}} does not set ($(grep -E '^CONFIG_(CC|LD|AS)_IS_[A-Z]+=y$' "$2" | paste -sd' '))"
}

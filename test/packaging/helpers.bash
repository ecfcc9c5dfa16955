# Shared by the packaging bats files.  unit-packaging builds the modules
# (build-modules) into $PKG_MODULES first; $TOP is the checkout.
TOP=${TOP:-$(cd "$BATS_TEST_DIRNAME/../.." && pwd)}
# KPKG and MODS are for the bats files that source this one.
# shellcheck disable=SC2034
KPKG=$TOP/packaging/kpatch-package
PKG_BUILD=${PKG_BUILD:-$TOP/build/packaging/modules}
# shellcheck disable=SC2034
MODS=$PKG_BUILD/payload/modules
KVER=$(cat "$PKG_BUILD/payload/release" 2>/dev/null || echo unknown)
# RHEL's scheme ('.' as '_'); Debian's (the release as it is, in lower case).
RPMNAME=kpatch-patch-$(echo "$KVER" | tr '.' '_')
DEBNAME=kpatch-patch-$KVER
export KPATCH_PACKAGER="Packaging Tests <tests@example.org>"
# kpatch-package reads modules with the kpatch command: build-modules' copy.
export KPATCH_PACKAGE_KPATCH=${KPATCH_PACKAGE_KPATCH:-$PKG_BUILD/src/kpatch/kpatch}

# The patch module ABI, as the tree defines it.
# shellcheck disable=SC2034
ABI=$(sed -n 's/^#define KPATCH_ABI_VERSION[[:space:]]*\([0-9]*\)$/\1/p' "$TOP/include/kpatch-abi.h")

rpm_of() { echo "$RPMNAME-$1.x86_64.rpm"; }		# VERSION-RELEASE
deb_of() { echo "${DEBNAME}_$1_amd64.deb"; }

# Fail with what was seen: bats shows it.
fail() {
	echo "$*" >&2
	return 1
}

# One line on stderr, starting "kpatch-package: ", holding each argument.
# lines and output are set by bats' run.
# shellcheck disable=SC2154
one_error_line() {
	local line
	[ "${#lines[@]}" -eq 1 ] || fail "expected one line of output, got ${#lines[@]}: $output"
	line=${lines[0]}
	[[ "$line" == "kpatch-package: "* ]] || fail "not a kpatch-package error: $line"
	for part in "$@"; do
		[[ "$line" == *"$part"* ]] || fail "the error lacks '$part': $line"
	done
}

# The directory holds nothing at all (no package, no scratch directory).
empty_dir() {
	local left
	left=$(ls -A "$1")
	[ -z "$left" ] || fail "$1 is not empty: $left"
}

# The tools' packages in DIR: those the suite built (TOOL_PKGS), copied, or
# built here when the file runs alone; DIR/rpm.log and DIR/deb.log hold
# build-tool-package's output.
tool_packages() { # DIR
	local format
	mkdir -p "$1"
	if [ -n "${TOOL_PKGS:-}" ] && [ -d "$TOOL_PKGS" ]; then
		find "$TOOL_PKGS" -maxdepth 1 -type f -exec cp -p -t "$1" {} +
		return
	fi
	for format in rpm deb; do
		"$TOP/packaging/build-tool-package" $format "$1" > "$1/$format.log" 2>&1 || true
	done
}

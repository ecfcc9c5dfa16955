# shellcheck shell=bash
# Shared by the create-diff-object corpus harness and bench/cdo.sh (sourced).
#
# cdo_tree TEST_TREE: print the path of a prepared copy of the kernel source
# (the test kernel's .config, 'make olddefconfig prepare'), in which single
# objects are built with the flags kpatch-build uses.  Built in a temporary
# directory and renamed into place when complete, keyed by the test tree's
# key and the flags, so a half-prepared tree is never used.

CDO_KCFLAGS='-ffunction-sections -fdata-sections'
CDO_CACHE=${KPATCH_TEST_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/kpatch-test}
CDO_TARBALL=${KPATCH_KERNEL_TARBALL:-/usr/src/linux-source-6.1.tar.xz}

# shellcheck source=layout.sh
source "$(dirname "${BASH_SOURCE[0]}")/layout.sh"

# cdo_use_layout SRC: the layout of the prepared tree SRC (what kpatch-build
# passes as --layout), made once: sets CDO_LAYOUT and exports its values as
# the environment variables create-diff-object falls back to.
cdo_use_layout() {
	CDO_LAYOUT=$1/.cdo-layout
	if [ ! -s "$CDO_LAYOUT" ]; then
		cdo_layout "$1" "$CDO_LAYOUT.tmp" && mv "$CDO_LAYOUT.tmp" "$CDO_LAYOUT" || return 1
	fi
	set -a
	# shellcheck disable=SC1090
	source "$CDO_LAYOUT"
	set +a
}

cdo_tree_key() {
	local test_tree=$1
	echo "$(basename "$test_tree")-$(echo "$CDO_KCFLAGS" | sha256sum | cut -c1-8)"
}

cdo_tree() {
	local test_tree=$1 config=${2:-$1/.config}
	local key dir tmp
	key=$(cdo_tree_key "$test_tree")
	dir=$CDO_CACHE/cdo-tree/$key
	if [ -f "$dir/.cdo-prepared" ]; then
		echo "$dir"
		return 0
	fi
	mkdir -p "$CDO_CACHE/cdo-tree"
	tmp=$(mktemp -d "$CDO_CACHE/cdo-tree/.$key.XXXXXX") || return 1
	echo "cdo: preparing source tree $dir" >&2
	if ! (tar -xf "$CDO_TARBALL" -C "$tmp" --strip-components=1 &&
		cp "$config" "$tmp/.config" &&
		cd "$tmp" && PATH=/usr/lib/ccache:$PATH make -s olddefconfig &&
		PATH=/usr/lib/ccache:$PATH make -s -j"$(nproc)" prepare) \
		>"$CDO_CACHE/cdo-tree/prepare.log" 2>&1; then
		echo "cdo: preparing the source tree failed; see $CDO_CACHE/cdo-tree/prepare.log" >&2
		rm -rf "$tmp"
		return 1
	fi
	touch "$tmp/.cdo-prepared"
	if ! mv -T "$tmp" "$dir" 2>/dev/null; then
		rm -rf "$tmp"	# another run won the race
	fi
	echo "$dir"
}

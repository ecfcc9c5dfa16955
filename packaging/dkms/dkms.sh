# shellcheck shell=sh
# The kpatch-dkms package's scripts (POSIX sh), after "set -- add" (after
# install) or "set -- remove" (before removal).  Under dpkg's chrootless
# mode (DPKG_ROOT) every DKMS path is put under that root, where
# /lib/modules/*/build names each kernel's build tree, and depmod runs
# there too (dkms's own would run on this system's /lib/modules).
set -e
V=@VERSION@
R=${DPKG_ROOT:-}
if ! command -v dkms >/dev/null 2>&1; then
	echo "kpatch-dkms: dkms is missing; the core module is not built" >&2
	exit 0
fi
mkdir -p "$R/var/lib/dkms"
nodepmod=
[ -z "$R" ] || nodepmod=--no-depmod
set -- "$1" --dkmstree "$R/var/lib/dkms" --sourcetree "$R/usr/src" --installtree "$R/lib/modules" $nodepmod
case "$1" in
add)
	shift
	dkms status -m kpatch -v "$V" "$@" 2>/dev/null | grep -q . || dkms add -m kpatch -v "$V" "$@"
	# Every kernel with a build tree; one that fails does not stop the rest.
	for b in "$R"/lib/modules/*/build; do
		[ -e "$b/Makefile" ] || continue
		k=$(basename "$(dirname "$b")")
		if dkms install -m kpatch -v "$V" -k "$k" --kernelsourcedir "$b" "$@"; then
			[ -z "$R" ] || depmod -b "$R" -a "$k" ||
				echo "kpatch-dkms: depmod failed in $R for $k" >&2
		else
			echo "kpatch-dkms: DKMS could not build the core for $k" >&2
		fi
	done ;;
remove)
	shift
	dkms remove -m kpatch -v "$V" --all "$@" >/dev/null 2>&1 || true ;;
esac
exit 0

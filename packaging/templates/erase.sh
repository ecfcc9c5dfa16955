# shellcheck shell=sh
# Before erase of @PKG@ (not on upgrade; kpatch-package).  Unload this
# package's patch module, and any earlier version's still loaded.  A patch
# that cannot be unloaded is reported and does not stop the erase.
kpatch_package_erase() {
	kver='@KVER@'
	mod='@MODNAME@'
	root=${KPATCH_ROOT-}
	state="$root/var/lib/kpatch/$kver/.@PKG@.modules"

	# The state file is one line of space-separated names (post.sh).
	mods=$mod old=
	[ -r "$state" ] && old=$(cat "$state")
	for o in $old; do
		[ "$o" = "$mod" ] || mods="$mods $o"
	done
	rm -f "$state"

	# Only the target kernel can have this package's modules loaded.
	running=$(cat "$root/proc/sys/kernel/osrelease" 2>/dev/null)
	[ "$running" = "$kver" ] || return 0
	for m in $mods; do
		[ -d "$root/sys/module/$m" ] || continue
		if ! command -v kpatch >/dev/null 2>&1; then
			echo "@PKG@: kpatch is not installed: $m stays loaded until the next boot" >&2
		elif ! kpatch unload "$m"; then
			echo "@PKG@: could not unload $m (reason above): it stays loaded until the next boot, or run 'kpatch unload $m'" >&2
		fi
	done
	return 0
}
kpatch_package_erase

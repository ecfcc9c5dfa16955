# shellcheck shell=sh
# After install or upgrade of @PKG@ @PKGVERSION@ (kpatch-package).
# Record the module for loading at boot; when the running kernel is the
# target, load it now.  A replacing patch goes in with 'kpatch replace',
# which switches from every loaded patch (an earlier version of this
# package included) in one step, so there is never a moment unpatched.
# Nothing here fails the package transaction: a patch that cannot be
# loaded is reported, and the patches loaded before stay loaded.
# The one line a failed load gets, after kpatch's own reason: the package
# stays installed (the transaction must not fail half-way, and the module
# is recorded for the next boot), so the terminal must say the fix is not
# live.
not_live() {
	echo "@PKG@: could not load $1 (reason above); the patches loaded before stay loaded; the fix is NOT live, though the package is installed (man kpatch-package, EXIT STATUS)" >&2
}

kpatch_package_post() {
	kver='@KVER@'
	mod='@MODNAME@'
	replace='@REPLACE@'
	root=${KPATCH_ROOT-}
	file="/var/lib/kpatch/$kver/@FILE@"
	state="$root/var/lib/kpatch/$kver/.@PKG@.modules"

	if ! command -v kpatch >/dev/null 2>&1; then
		echo "@PKG@: kpatch is not installed: $mod is not loaded, the fix is NOT live" >&2
		return 0
	fi
	# The file is already in place: kpatch install leaves it as packaged
	# and does the rest of the bookkeeping (kpatch.service).
	kpatch install -k "$kver" "$root$file" ||
		echo "@PKG@: warning: could not record $mod for loading at boot ('kpatch install' failed above)" >&2

	running=$(cat "$root/proc/sys/kernel/osrelease" 2>/dev/null)
	if [ "$running" != "$kver" ]; then
		echo "@PKG@: the running kernel is ${running:-unknown}, not $kver: $mod will be loaded when $kver boots"
		echo "$mod" > "$state" 2>/dev/null
		return 0
	fi

	# This package's modules loaded before (an earlier version's).
	old=
	[ -r "$state" ] && old=$(cat "$state")

	if [ -d "$root/sys/module/$mod" ]; then
		echo "@PKG@: $mod is loaded already; if that is an earlier build of the same name, this build takes effect at the next boot (each version needs its own module name to be replaced live)" >&2
	elif [ "$replace" = Y ]; then
		echo "@PKG@: replacing the loaded patches with $mod"
		kpatch replace "$root$file" || not_live "$mod"
	elif kpatch load "$root$file"; then
		for o in $old; do
			{ [ "$o" != "$mod" ] && [ -d "$root/sys/module/$o" ]; } || continue
			echo "@PKG@: $mod is not a replacing patch (kpatch_replace=N): loaded it next to $o, now unloading $o"
			kpatch unload "$o" ||
				echo "@PKG@: could not unload $o (reason above): it stays loaded next to $mod" >&2
		done
	else
		not_live "$mod"
	fi

	# Remember which of this package's modules may be loaded now.
	new=$mod
	for o in $old; do
		[ "$o" != "$mod" ] && [ -d "$root/sys/module/$o" ] && new="$new $o"
	done
	echo "$new" > "$state" 2>/dev/null
	return 0
}
kpatch_package_post

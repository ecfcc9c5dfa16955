# shellcheck shell=sh
# pm.sh: the steps of rpm and dpkg around a patch package's scriptlets, in
# their order, for POSIX sh (busybox in the test VM).  A package is a
# directory made by test/packaging/extract.  Files go under $KPATCH_ROOT
# (empty in the VM: the real /).  After every step, pm_step_hook runs
# (define it to check the state between steps); pm_log gets each step.
#
#   rpm upgrade: new files, new %post 2, old %preun 1, old files removed
#   dpkg upgrade: old prerm upgrade, new files, old files removed,
#                 new postinst configure OLDVERSION

pm_step_hook() { :; }
pm_log=${PM_LOG:-/dev/null}

pm_run() { # PKGDIR SCRIPT ARG...
	_d=$1 _s=$2
	shift 2
	echo "$(basename "$_d") $_s $*" >> "$pm_log"
	if [ -f "$_d/$_s" ]; then
		sh "$_d/$_s" "$@" || return 1
	fi
	pm_step_hook "$(basename "$_d") $_s $*"
}

pm_files_in() { # PKGDIR
	while read -r _f; do
		mkdir -p "$(dirname "${KPATCH_ROOT-}$_f")"
		cp "$1/root$_f" "${KPATCH_ROOT-}$_f"
	done < "$1/files"
	echo "$(basename "$1") files in" >> "$pm_log"
	pm_step_hook "$(basename "$1") files in"
}

pm_files_out() { # PKGDIR [NEWPKGDIR]: remove files the new one lacks
	while read -r _f; do
		[ -n "${2:-}" ] && grep -qxF "$_f" "$2/files" && continue
		rm -f "${KPATCH_ROOT-}$_f"
	done < "$1/files"
	echo "$(basename "$1") files out" >> "$pm_log"
	pm_step_hook "$(basename "$1") files out"
}

rpm_install() { pm_files_in "$1" && pm_run "$1" post 1; }
rpm_upgrade() { # OLD NEW
	pm_files_in "$2" && pm_run "$2" post 2 && pm_run "$1" preun 1 &&
		pm_files_out "$1" "$2" && pm_run "$1" postun 1
}
rpm_erase() { pm_run "$1" preun 0 && pm_files_out "$1" && pm_run "$1" postun 0; }

deb_install() { pm_files_in "$1" && pm_run "$1" postinst configure; }
deb_upgrade() { # OLD NEW
	pm_run "$1" prerm upgrade "$(cat "$2/version")" && pm_files_in "$2" &&
		pm_files_out "$1" "$2" &&
		pm_run "$1" postrm upgrade "$(cat "$2/version")" &&
		pm_run "$2" postinst configure "$(cat "$1/version")"
}
deb_erase() {
	pm_run "$1" prerm remove && pm_files_out "$1" && pm_run "$1" postrm remove
}

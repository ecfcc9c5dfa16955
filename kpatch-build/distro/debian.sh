# shellcheck shell=bash
# kpatch-build: where Debian (and its derivatives) keep a kernel's pieces.
# Sourced by kpatch-build; see distro/README.md for the interface.  Paths
# are those of the target system (kpatch-build puts KPATCH_ROOT in front).
#
# Debian names a kernel 6.1.0-57-cloud-amd64 (ABI number and flavour); the
# kernel's upstream version and the package version are only in
# /proc/version: "... #1 SMP PREEMPT_DYNAMIC Debian 6.1.192-3 (2026-11-26)".
# (The compiler's "(Debian 12.2.0-14)" comes before the "#1" and is not it.)

distro_name() { echo Debian; }

distro_claims() {
	[ -e "$SYSROOT/etc/debian_version" ] ||
		grep -q '[ #]SMP.* Debian [0-9]' "$SYSROOT/proc/version" 2>/dev/null
}

# The package version of the running kernel (6.1.192-3), or nothing for a
# kernel that is not Debian's.
distro_package_version() {	# RELEASE
	sed -n 's/.*#[0-9].* Debian \([0-9][0-9.]*-[^ ]*\).*/\1/p' "$SYSROOT/proc/version" 2>/dev/null | head -n1
}

distro_upstream_version() {	# RELEASE
	local v
	v=$(distro_package_version "$1")
	v=${v%%-*}
	[ -n "$v" ] || v=$(echo "$1" | grep -o '^[0-9]*\.[0-9]*\(\.[0-9]*\)\?')
	echo "$v"
}

# The source: linux-source-X.Y ships the patched tree as a tarball.
distro_source() {	# RELEASE UPSTREAM
	local series
	series=$(echo "$2" | cut -d. -f1,2)
	echo "/usr/src/linux-source-$series.tar.xz"
}

distro_source_package() {	# RELEASE UPSTREAM
	echo "linux-source-$(echo "$2" | cut -d. -f1,2)"
}

# The version of the source package installed, from dpkg's database.
distro_installed_version() {	# PACKAGE RELEASE
	local status=$SYSROOT/var/lib/dpkg/status
	[ -r "$status" ] || return 0
	awk -v p="$1" '
		/^Package: / { inp = ($2 == p); ok = 0 }
		inp && /^Status: .* installed$/ { ok = 1 }
		inp && /^Version: / { v = $2 }
		/^$/ { if (inp && ok) { found = v; exit } inp = 0 }
		END { if (found == "" && inp && ok) found = v; if (found != "") print found }' "$status"
}

# How to get version VERSION of package PACKAGE.
distro_install_hint() {	# PACKAGE [VERSION]
	if [ -n "${2:-}" ]; then
		echo "apt-get install $1=$2 (if the archive no longer has it: https://snapshot.debian.org/package/linux/$2/)"
	else
		echo "apt-get install $1"
	fi
}

# The core module as a package: kpatch-dkms is built from kpatch's source
# tree (packaging/build-dkms-package), no archive has it.
distro_dkms_hint() {
	echo "packaging/build-dkms-package deb /tmp/kpatch-dkms && apt-get install /tmp/kpatch-dkms/kpatch-dkms_*_all.deb"
}

distro_config() { echo "/boot/config-$1"; }
distro_config_package() { echo "linux-image-$1"; }

distro_vmlinux() {	# RELEASE: the candidates, best first
	echo "/usr/lib/debug/boot/vmlinux-$1"
	echo "/usr/lib/debug/lib/modules/$1/vmlinux"
	echo "/boot/vmlinux-$1"
}
distro_vmlinux_package() { echo "linux-image-$1-dbg"; }

distro_build_tree() { echo "/lib/modules/$1/build"; }
distro_build_tree_package() { echo "linux-headers-$1"; }

# Is RELEASE (from the vmlinux banner) Debian's build of upstream KVER?
distro_release_matches() {	# RELEASE KVER VMLINUX
	grep -a -q -m1 "Debian $2-" "$3"
}

# A module's symbol table: the -dbg package's copy first (the modules
# Debian ships are stripped of their file symbols), then the module itself.
distro_module_symtabs() {	# RELEASE KOPATH (fs/isofs/isofs.ko)
	local k
	for k in "/usr/lib/debug/lib/modules/$1/kernel/$2" "/lib/modules/$1/kernel/$2" \
		 "/lib/modules/$1/kernel/$2.xz" "/lib/modules/$1/kernel/$2.zst"; do
		echo "$k"
	done
}

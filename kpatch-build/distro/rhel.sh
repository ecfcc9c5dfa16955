# shellcheck shell=bash
# kpatch-build: where RHEL and its rebuilds (CentOS Stream, Alma, Rocky,
# Fedora) keep a kernel's pieces.  Sourced by kpatch-build; see
# distro/README.md for the interface.  Paths are those of the target
# system (kpatch-build puts KPATCH_ROOT in front).
#
# A release is 5.14.0-427.13.1.el9_4.x86_64: the upstream version, the
# package release and the architecture.  Every piece is versioned by
# "5.14.0-427.13.1.el9_4", and several versions can be installed at once.

distro_name() { echo RHEL; }

distro_claims() {
	[ -e "$SYSROOT/etc/redhat-release" ] ||
		grep -Eq '\.(el[0-9]+|fc[0-9]+)' "$SYSROOT/proc/sys/kernel/osrelease" 2>/dev/null
}

distro_arch() { echo "${1##*.}"; }	# RELEASE

distro_package_version() { echo "${1%.*}"; }	# RELEASE

distro_upstream_version() { echo "${1%%-*}"; }	# RELEASE

# The source: kernel-debuginfo-common-ARCH installs the tree the kernel was
# built from under /usr/src/debug.
distro_source() {	# RELEASE UPSTREAM
	echo "/usr/src/debug/kernel-$(distro_package_version "$1")/linux-$1"
}

distro_source_package() { echo "kernel-debuginfo-common-$(distro_arch "$1")"; }	# RELEASE UPSTREAM

# The versions of the source installed: the wanted one if it is there,
# otherwise all that are.
distro_installed_version() {	# PACKAGE RELEASE
	local want d have=()
	want=$(distro_package_version "$2")
	for d in "$SYSROOT"/usr/src/debug/kernel-*/; do
		d=$(basename "$d"); d=${d#kernel-}
		[ "$d" != "$want" ] || { echo "$want"; return 0; }
		have+=("$d")
	done
	[ ${#have[@]} -eq 0 ] || echo "${have[*]}"
}

distro_install_hint() {	# PACKAGE [VERSION]
	local p=$1${2:+-$2}
	case "$p" in
	*debuginfo*) echo "dnf --enablerepo='*debuginfo*' install $p" ;;
	*)	echo "dnf install $p" ;;
	esac
}

# The core module as a package: kpatch-dkms is built from kpatch's source
# tree (packaging/build-dkms-package), no repository has it.
distro_dkms_hint() {
	echo "packaging/build-dkms-package rpm /tmp/kpatch-dkms && dnf install /tmp/kpatch-dkms/kpatch-dkms-*.noarch.rpm"
}

# The packages of clang (and with LLD=1 its linker and tools): one LLVM
# release at a time, under the plain names.
distro_llvm_packages() {	# MAJOR LLD
	if [ "$2" = 1 ]; then echo "clang lld llvm"; else echo clang; fi
}

distro_config() { echo "/boot/config-$1"; }
distro_config_package() { echo "kernel-core-$(distro_package_version "$1")"; }

distro_vmlinux() { echo "/usr/lib/debug/lib/modules/$1/vmlinux"; }
distro_vmlinux_package() { echo "kernel-debuginfo-$(distro_package_version "$1")"; }

distro_build_tree() {	# RELEASE
	echo "/usr/src/kernels/$1"
}
distro_build_tree_package() { echo "kernel-devel-$(distro_package_version "$1")"; }

# Is RELEASE (from the vmlinux banner) a RHEL build of upstream KVER?
distro_release_matches() {	# RELEASE KVER VMLINUX
	case "$1" in "$2"-*.el[0-9]*|"$2"-*.fc[0-9]*) return 0 ;; esac
	return 1
}

# A module's symbol table: kernel-debuginfo's .debug file (it keeps the
# symbol table), then the module itself (RHEL compresses them with xz).
distro_module_symtabs() {	# RELEASE KOPATH (fs/isofs/isofs.ko)
	echo "/usr/lib/debug/lib/modules/$1/kernel/$2.debug"
	echo "/lib/modules/$1/kernel/$2.xz"
	echo "/lib/modules/$1/kernel/$2"
}

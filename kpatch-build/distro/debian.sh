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

# The packages of clang MAJOR (and with LLD=1 its linker and tools, which
# LLVM=-MAJOR runs): Debian versions each LLVM release's package names.
distro_llvm_packages() {	# MAJOR LLD
	if [ "$2" = 1 ]; then echo "clang-$1 lld-$1 llvm-$1"; else echo "clang-$1"; fi
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

# --- kpatch-build-fleet: kernels fetched from the archive -----------------
# A kernel the fleet runs is laid out as a root for KPATCH_ROOT from the
# packages apt's lists name, fetched with 'apt-get download' (no root
# needed, nothing installed on this machine).

# apt with its package cache in FLEET_CACHE when kpatch-build-fleet sets
# it: systems that disable apt's own (Debian's docker images) would parse
# every list again at each call, seconds each.
debian_apt() {	# apt-cache|apt-get ARG...
	local cmd=$1
	shift
	if [ -n "${FLEET_CACHE:-}" ]; then
		"$cmd" -o Dir::Cache::pkgcache="$FLEET_CACHE/apt-pkgcache.bin" \
			-o Dir::Cache::srcpkgcache="$FLEET_CACHE/apt-srcpkgcache.bin" "$@"
	else
		"$cmd" "$@"
	fi
}

# The releases of SERIES (6.1, 6.12) and FLAVOUR (cloud-amd64) whose image
# the archive holds, oldest first.
distro_fleet_releases() {	# SERIES FLAVOUR
	local s=${1//./\\.}
	debian_apt apt-cache pkgnames "linux-image-$1" 2>/dev/null |
		grep -E "^linux-image-$s\.[0-9]+(-[0-9]+)?(\+deb[0-9]+)?-$2\$" |
		sed 's/^linux-image-//' | sort -V
}

# The candidate version of PACKAGE in apt's lists, or nothing.
debian_candidate() {	# PACKAGE
	debian_apt apt-cache show --no-all-versions "$1" 2>/dev/null | sed -n 's/^Version: //p' | head -n1
}

# A dependency "NAME (OP VERSION)" as NAME=VERSION apt-get can download:
# the version for "=", else the candidate when it satisfies the relation
# (linux-kbuild-6.1 is one package for every 6.1 ABI, and the archive keeps
# only its newest versions: the headers of 6.1.192-2 take 6.1.192-3's).
debian_dependency() {	# "NAME (OP VERSION)" or NAME
	local name=${1%% *} op ver cand
	op=$(sed -n 's/.*(\([<>=]*\) .*/\1/p' <<<"$1")
	ver=$(sed -n 's/.*([<>=]* \([^)]*\)).*/\1/p' <<<"$1")
	if [ "$op" = "=" ]; then
		echo "$name=$ver"
		return 0
	fi
	cand=$(debian_candidate "$name")
	if [ -n "$cand" ] && { [ -z "$op" ] || dpkg --compare-versions "$cand" "$op" "$ver"; }; then
		echo "$name=$cand"
	else
		echo "$name=${ver:-none}"
	fi
}

# The packages (PACKAGE=VERSION, one a line) a root for RELEASE needs: the
# image (config, modules), its headers with their -common and linux-kbuild
# packages, the -dbg package (vmlinux and module symbol tables) and the
# linux-source-X.Y of the version the image was built from (its
# Built-Using, which for the signed images is the version of the unsigned
# build).  Each one the archive lacks at that version is named on stderr
# and the status is 1: a kernel is never built against another version's
# source.
distro_fleet_packages() {	# RELEASE
	local rel=$1 meta ver src series hdrs p have missing=() out=()
	# apt-cache can take seconds per call: a few calls, each asking for
	# several packages.
	meta=$(debian_apt apt-cache show --no-all-versions "linux-image-$rel" 2>/dev/null)
	ver=$(sed -n 's/^Version: //p' <<<"$meta" | head -n1)
	if [ -z "$ver" ]; then
		echo "the archive has no linux-image-$rel (apt-get update?)" >&2
		return 1
	fi
	src=$(sed -n 's/^Built-Using:.*\blinux[-0-9.]* (= \([^)]*\)).*/\1/p' <<<"$meta" | head -n1)
	src=${src:-$ver}
	series=$(echo "$rel" | cut -d. -f1,2)
	out+=("linux-image-$rel=$ver" "linux-source-$series=$src" "linux-image-$rel-dbg=$ver")
	hdrs=$(debian_apt apt-cache show "linux-headers-$rel=$ver" 2>/dev/null | sed -n 's/^Depends: //p' | head -n1)
	if [ -n "$hdrs" ]; then
		out+=("linux-headers-$rel=$ver")
		while read -r p; do
			out+=("$(debian_dependency "$p")")
		done < <(echo "$hdrs" | tr ',' '\n' | grep -oE 'linux-(headers-[^ ]*-common|kbuild-[^ ]*)( \([<>=]+ [^)]*\))?')
	else
		out+=("linux-headers-$rel=$ver")
	fi
	# (apt-cache show skips, silently, a version it lacks)
	have=$(debian_apt apt-cache show "${out[@]}" 2>/dev/null | awk '/^Package: /{p=$2} /^Version: /{print p "=" $2}')
	for p in "${out[@]}"; do
		grep -qxF "$p" <<<"$have" || missing+=("${p%%=*} ${p#*=}")
	done
	if [ ${#missing[@]} -gt 0 ]; then
		echo "the archive has no $(printf '%s, ' "${missing[@]}" | sed 's/, $//') (linux-image-$rel is $ver)" >&2
		return 1
	fi
	printf '%s\n' "${out[@]}"
}

# Lay out DIR/root for RELEASE from the packages above, downloaded into
# DIR/debs (removed once the root is complete): the image, headers and
# kbuild files, the source tarball, from the -dbg package the vmlinux and
# the modules' symbol tables without DWARF (1.7 GB of module debug info
# becomes tens of MB), /proc/sys/kernel/osrelease, /proc/version (with the
# package version kpatch-build checks the source against), dpkg's status
# for linux-source-X.Y.  Built in DIR/root.tmp and renamed: an interrupted
# run leaves no half-made root.  Messages on stderr, the last one the
# reason when it fails.
distro_fleet_root() {	# RELEASE DIR
	local rel=$1 dir=$2 pkgs p ver src cc tmp
	[ ! -f "$dir/root/.complete" ] || return 0
	pkgs=$(distro_fleet_packages "$rel") || return 1
	ver=$(sed -n "s/^linux-image-$rel=//p" <<<"$pkgs")
	src=$(sed -n 's/^linux-source-[0-9.]*=//p' <<<"$pkgs")
	mkdir -p "$dir/debs"
	local need=()
	for p in $pkgs; do
		compgen -G "$dir/debs/${p%%=*}_*.deb" >/dev/null || need+=("$p")
	done
	if [ ${#need[@]} -gt 0 ]; then
		echo "apt-get download ${need[*]}" >&2
		(cd "$dir/debs" && debian_apt apt-get download -q "${need[@]}" > "$dir/apt.log" 2>&1) || {
			echo "apt-get download failed: $(tail -n 1 "$dir/apt.log")" >&2
			return 1
		}
	fi
	tmp=$dir/root.tmp
	rm -rf "$tmp" "$dir/dbg"
	mkdir -p "$tmp"
	for p in "$dir"/debs/*.deb; do
		case "$p" in *-dbg_*) continue ;; esac
		dpkg-deb -x "$p" "$tmp" || { echo "cannot unpack $p" >&2; return 1; }
	done
	mkdir -p "$dir/dbg"
	dpkg-deb --fsys-tarfile "$dir/debs/linux-image-$rel-dbg_"*.deb |
		tar -x -C "$dir/dbg" --wildcards "./usr/lib/debug/boot/vmlinux-$rel" \
			"./usr/lib/debug/lib/modules/$rel/*.ko" || {
		echo "cannot unpack linux-image-$rel-dbg" >&2
		return 1
	}
	(cd "$dir/dbg" && find usr -type f) | while IFS= read -r p; do
		mkdir -p "$(dirname "$tmp/$p")"
		objcopy --remove-section='.debug_*' "$dir/dbg/$p" "$tmp/$p" || exit 1
	done || { echo "objcopy failed on the -dbg package's files" >&2; return 1; }
	rm -rf "$dir/dbg"
	mkdir -p "$tmp/proc/sys/kernel" "$tmp/var/lib/dpkg" "$tmp/etc"
	echo "$rel" > "$tmp/proc/sys/kernel/osrelease"
	cc=$(sed -n 's/^CONFIG_CC_VERSION_TEXT="\(.*\)"$/\1/p' "$tmp/boot/config-$rel")
	echo "Linux version $rel (debian-kernel@lists.debian.org) ($cc) #1 SMP PREEMPT_DYNAMIC Debian $ver" > "$tmp/proc/version"
	echo 12 > "$tmp/etc/debian_version"
	printf 'Package: linux-source-%s\nStatus: install ok installed\nVersion: %s\n\n' \
		"$(echo "$rel" | cut -d. -f1,2)" "$src" > "$tmp/var/lib/dpkg/status"
	touch "$tmp/.complete"
	rm -rf "$dir/root"
	mv -T "$tmp" "$dir/root"
	rm -rf "$dir/debs"
}

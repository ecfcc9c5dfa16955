#!/usr/bin/env bats
# The fleet round trip through YUM: kpatch-publish puts the tools' RPM, a
# kernel RPM of the test kernel and version 1 of a patch RPM into a signed
# YUM repository; Debian's dnf, with --installroot on a clean Debian 12 root
# (fleet-root) and the repository as its only one (gpgcheck=1,
# repo_gpgcheck=1, the published key), installs the patch package and what
# it requires, upgrades it to version 2 once that is published, and removes
# it.  As in fleet.bats, the running kernel is this machine's, not the
# patch's target: the scriptlets record the patch for the target's boot.
#
# The root's C library, libelf, kmod and shell are Debian's, installed by
# dpkg: rpm's database knows nothing of them.  A Fedora root gets them from
# glibc, elfutils-libs, kmod and bash; here one stand-in RPM (debian-base)
# declares them, each Provides checked against the root's files first, so
# dnf resolves every requirement of kpatch-tools without any dependency
# check turned off.
# shellcheck source=helpers.bash
source "$BATS_TEST_DIRNAME/helpers.bash"

# The kernel RPM's name: the test kernel's release has two '-', so it
# cannot be a version of RHEL's kernel-uname-r; the patch RPMs name the
# package with --kernel-package, as that option is for.
KERNEL_RPM=kernel-$KVER

setup_file() {
	# shellcheck source=helpers.bash
	source "$BATS_TEST_DIRNAME/helpers.bash"
	[ "$(id -u)" -eq 0 ] || skip "rpm's chrooted scriptlets and mmdebstrap's root mode need root"
	command -v dnf > /dev/null || skip "dnf is missing; install Debian's dnf package (make deps)"
	local f=$BATS_FILE_TMPDIR
	mkdir -p "$f/pkgs" "$f/gnupg"
	chmod 700 "$f/gnupg"
	export GNUPGHOME=$f/gnupg
	gpg --batch --passphrase '' --quick-gen-key 'kpatch dnf test <dnf@kpatch.invalid>' \
		rsa2048 sign never > "$f/gpg.log" 2>&1
	tool_packages "$f/pkgs"
	local v
	for v in 1 2; do
		"$KPKG" -V $v -f rpm --kernel-package "$KERNEL_RPM" --core "$PKG_BUILD/payload/core/kpatch.ko" \
			-o "$f/pkgs" "$MODS/kpatch-pkg-v$v.ko" > /dev/null
	done
	kernel_rpm "$f/pkgs"
}

# rpmbuild SPEC into OUTDIR, in a scratch tree; no post-install step (no
# stripping, no debuginfo) and a light payload compression: the bzImage is
# compressed already.
build_rpm() { # SPEC OUTDIR
	local t
	t=$(mktemp -d "$BATS_FILE_TMPDIR/rpmbuild.XXXXXX")
	rpmbuild --quiet -bb --define "_topdir $t" --define "_rpmdir $t/out" \
		--define '_build_name_fmt %%{NAME}-%%{VERSION}-%%{RELEASE}.%%{ARCH}.rpm' \
		--define '__os_install_post %{nil}' --define 'debug_package %{nil}' \
		--define '_binary_payload w1.gzdio' "$1" > "$t/log" 2>&1 ||
		fail "rpmbuild $1: $(tail -n 5 "$t/log")"
	mv "$t"/out/*.rpm "$2/"
}

# The test kernel as an RPM, as fleet.bats's kernel_package makes the deb:
# its bzImage, System.map and configuration under /boot.
kernel_rpm() { # OUTDIR
	local s=$BATS_FILE_TMPDIR/kernel.spec
	cat > "$s" <<-EOF
	Name:		$KERNEL_RPM
	Version:	1
	Release:	1
	Summary:	Linux $KVER, the kpatch test kernel
	License:	GPL-2.0-only
	Packager:	$KPATCH_PACKAGER
	ExclusiveArch:	x86_64
	AutoReqProv:	no

	%description
	The kernel the patch packages of the dnf fleet test are built for.

	%install
	install -D -m 644 $KERNEL_TREE/arch/x86/boot/bzImage %{buildroot}/boot/vmlinuz-$KVER
	install -D -m 644 $KERNEL_TREE/System.map %{buildroot}/boot/System.map-$KVER
	install -D -m 644 $KERNEL_TREE/.config %{buildroot}/boot/config-$KVER

	%files
	/boot/vmlinuz-$KVER
	/boot/System.map-$KVER
	/boot/config-$KVER
	EOF
	build_rpm "$s" "$1"
}

setup() {
	F=$BATS_FILE_TMPDIR
	export GNUPGHOME=$F/gnupg
	ROOT=$F/root
	REPO=$F/repo-yum
	PKG=$RPMNAME
	TOOLS_RPM=$(find "$F/pkgs" -maxdepth 1 -name 'kpatch-tools-[0-9]*.x86_64.rpm' -print -quit)
}

# dnf on the root, with its own /proc in a mount namespace of its own, as
# fleet.bats's in_root has: rpm runs the scriptlets chrooted there, and
# they read the running kernel's release from it.  The configuration and
# the repository file are this test's (paths given on the command line
# are the host's, whatever --installroot says); --releasever because the
# root has no RPM naming its release.
dnf_root() {
	# shellcheck disable=SC2016
	unshare --mount --propagation private sh -c \
		'r=$1; shift; mount -t proc proc "$r/proc" && exec dnf --installroot="$r" "$@"' sh "$ROOT" \
		-y --config "$F/dnf.conf" --setopt=reposdir="$F/repos.d" --releasever=12 "$@"
}
# The installed versions of a package, as the root's rpm database has them.
versions_of() { rpm --root "$ROOT" -q --qf '%{VERSION}-%{RELEASE}\n' "$1"; }

@test "a clean Debian 12 root; debian-base declares to rpm what its dpkg installed" {
	[ -n "$TOOLS_RPM" ] || fail "no kpatch-tools RPM: $(cat "$F/pkgs/rpm.log")"
	v=$(sed -n 's/^VERSION[[:space:]]*=[[:space:]]*//p' "$TOP/kpatch/Makefile")
	deb=$F/pkgs/kpatch-tools_${v}-1_amd64.deb
	[ -f "$deb" ] || fail "no kpatch-tools deb: $(cat "$F/pkgs/deb.log")"
	# the Debian packages that hold what kpatch-tools links and runs: the
	# same root fleet.bats installs the deb into (fleet-root's cache)
	read -ra needs < <(dpkg-deb --field "$deb" Depends | sed -e 's/([^)]*)//g' -e 's/,/ /g')
	"$TOP/test/packaging/fleet-root" "$ROOT" "${needs[@]}"
	grep -qx 'VERSION_CODENAME=bookworm' "$ROOT/etc/os-release"
	# What kpatch-tools' RPM requires of the system: each checked in the
	# root (a library by its soname file, a path as a file, a command's
	# package by dpkg), then provided.  The rpmlib() features are rpm's own.
	provides=()
	# (dpkg-query's format, not the shell's)
	# shellcheck disable=SC2016
	while read -r req; do
		case "$req" in
		rpmlib\(*|kpatch-*) continue ;;
		lib*.so.*)	so=${req%%(*}
				[ -e "$ROOT/usr/lib/x86_64-linux-gnu/$so" ] || [ -e "$ROOT/lib/x86_64-linux-gnu/$so" ] ||
					fail "the root has no $so for '$req'" ;;
		/*)		[ -e "$ROOT$req" ] || fail "the root has no $req" ;;
		rtld\(GNU_HASH\)) [ -e "$ROOT/lib64/ld-linux-x86-64.so.2" ] || fail "the root has no dynamic linker" ;;
		*)		chroot "$ROOT" dpkg-query -W -f='${db:Status-Status}' "$req" 2>/dev/null | grep -qx installed ||
					fail "the root has no Debian package $req for '$req'" ;;
		esac
		provides+=("Provides:	$req")
	done < <(rpm -qp --requires "$TOOLS_RPM" | sort -u)
	[ "${#provides[@]}" -gt 3 ]
	s=$F/debian-base.spec
	{
		cat <<-EOF
		Name:		debian-base
		Version:	12
		Release:	1
		Summary:	The Debian 12 system of the dnf fleet test's root
		License:	MIT
		Packager:	$KPATCH_PACKAGER
		BuildArch:	noarch
		EOF
		printf '%s\n' "${provides[@]}"
		cat <<-EOF

		%description
		Declares to rpm the libraries and commands the root's dpkg installed.

		%files
		EOF
	} > "$s"
	build_rpm "$s" "$F/pkgs"
	rpm -qp --provides "$F/pkgs/debian-base-12-1.noarch.rpm" | grep -qx 'libc.so.6()(64bit)'
}

@test "kpatch-publish yum --sign: the tools, the kernel, debian-base and version 1" {
	run "$TOP/packaging/kpatch-publish" --sign dnf@kpatch.invalid yum "$REPO" \
		"$TOOLS_RPM" "$F/pkgs/$KERNEL_RPM-1-1.x86_64.rpm" "$F/pkgs/debian-base-12-1.noarch.rpm" \
		"$F/pkgs/$(rpm_of 1-1)"
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "$output" == *"4 package(s) added"* ]]
	gpg --batch --verify "$REPO/repodata/repomd.xml.asc" "$REPO/repodata/repomd.xml" 2>/dev/null
	mkdir -p "$F/repos.d"
	# remove takes only what it names, as apt-get remove does: dnf's
	# default would also take the kernel and the tools, installed here as
	# the patch's requirements (a server's kernel was installed for itself)
	cat > "$F/dnf.conf" <<-EOF
	[main]
	best=True
	skip_if_unavailable=False
	install_weak_deps=False
	clean_requirements_on_remove=False
	EOF
	cat > "$F/repos.d/kpatch.repo" <<-EOF
	[kpatch]
	name=kpatch live patches
	baseurl=file://$REPO
	gpgcheck=1
	repo_gpgcheck=1
	gpgkey=file://$REPO/RPM-GPG-KEY-kpatch
	EOF
}

@test "dnf install of the patch package brings the kernel and the tools, and records the patch" {
	run dnf_root install "$PKG"
	echo "$output"
	[ "$status" -eq 0 ]
	[ "$(versions_of "$PKG")" = "1-1" ]
	[ "$(versions_of "$KERNEL_RPM")" = "1-1" ]
	versions_of kpatch-tools
	versions_of debian-base
	# the packages were checked against the imported key, not let through
	rpm --root "$ROOT" -q gpg-pubkey
	[[ "$(rpm --root "$ROOT" -q --qf '%{RSAHEADER:pgpsig}' "$PKG")" == RSA/* ]]
	[ -f "$ROOT/var/lib/kpatch/$KVER/kpatch-pkg-v1.ko" ]
	[ -f "$ROOT/usr/lib/kpatch/$KVER/kpatch.ko" ]
	[ -f "$ROOT/boot/vmlinuz-$KVER" ]
	# the target kernel is not running here: said, and left for its boot
	[[ "$output" == *"$PKG: the running kernel is $(uname -r), not $KVER: kpatch_pkg_v1 will be loaded when $KVER boots"* ]]
	run chroot "$ROOT" kpatch list --all
	echo "$output"
	[[ "$output" == *kpatch_pkg_v1* ]]
}

@test "version 2 published, dnf upgrade replaces version 1" {
	run "$TOP/packaging/kpatch-publish" --sign dnf@kpatch.invalid yum "$REPO" "$F/pkgs/$(rpm_of 2-1)"
	[ "$status" -eq 0 ]
	run dnf_root --refresh upgrade
	echo "$output"
	[ "$status" -eq 0 ]
	# only version 2 is installed, its module in place of version 1's
	[ "$(versions_of "$PKG")" = "2-1" ]
	[ -f "$ROOT/var/lib/kpatch/$KVER/kpatch-pkg-v2.ko" ]
	[ ! -e "$ROOT/var/lib/kpatch/$KVER/kpatch-pkg-v1.ko" ]
	[[ "$output" == *"kpatch_pkg_v2 will be loaded when $KVER boots"* ]]
	run chroot "$ROOT" kpatch list --all
	echo "$output"
	[[ "$output" == *kpatch_pkg_v2* ]]
	[[ "$output" != *kpatch_pkg_v1* ]]
	# both versions stay in the repository for a way back
	[ -f "$REPO/Packages/$(rpm_of 1-1)" ] && [ -f "$REPO/Packages/$(rpm_of 2-1)" ]
}

@test "dnf remove takes the patch away, the kernel and the tools stay" {
	run dnf_root remove "$PKG"
	echo "$output"
	[ "$status" -eq 0 ]
	run rpm --root "$ROOT" -q "$PKG"
	[ "$status" -ne 0 ]
	[ ! -e "$ROOT/var/lib/kpatch/$KVER/kpatch-pkg-v2.ko" ]
	[ "$(versions_of "$KERNEL_RPM")" = "1-1" ]
	versions_of kpatch-tools
}

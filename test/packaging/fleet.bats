#!/usr/bin/env bats
# The fleet round trip: kpatch-publish puts the tools, the test kernel's
# package and version 1 of a patch package into a signed APT repository; a
# clean Debian 12 root (fleet-root: mmdebstrap from this machine's mirror)
# gets it as a file:// source with signed-by, apt-get install of the patch
# package installs it with what it depends on, version 2 is published and
# apt-get upgrade replaces version 1, apt-get remove takes it away.  The
# same packages go into a YUM repository that createrepo_c indexes and
# whose signatures gpg and rpm check (dnf.bats installs from one with
# dnf).  The running kernel is this machine's, not the patches' target:
# the scripts record the patch for the target's next boot (vm-packaging
# loads patches through dpkg and rpm).
# shellcheck source=helpers.bash
source "$BATS_TEST_DIRNAME/helpers.bash"

setup_file() {
	# shellcheck source=helpers.bash
	source "$BATS_TEST_DIRNAME/helpers.bash"
	[ "$(id -u)" -eq 0 ] || skip "the chroot and mmdebstrap's root mode need root"
	local f=$BATS_FILE_TMPDIR
	mkdir -p "$f/pkgs" "$f/gnupg"
	chmod 700 "$f/gnupg"
	export GNUPGHOME=$f/gnupg
	gpg --batch --passphrase '' --quick-gen-key 'kpatch fleet test <fleet@kpatch.invalid>' \
		rsa2048 sign never > "$f/gpg.log" 2>&1
	tool_packages "$f/pkgs"
	"$KPKG" -V 1 -f deb --core "$PKG_BUILD/payload/core/kpatch.ko" -o "$f/pkgs" "$MODS/kpatch-pkg-v1.ko" > /dev/null
	"$KPKG" -V 2 -f deb --core "$PKG_BUILD/payload/core/kpatch.ko" -o "$f/pkgs" "$MODS/kpatch-pkg-v2.ko" > /dev/null
	kernel_package "$f/pkgs"
}

# The test kernel as the package the patch packages depend on:
# linux-image-RELEASE with its bzImage, System.map and configuration.
kernel_package() { # OUTDIR
	local r=$BATS_FILE_TMPDIR/kernel-deb
	mkdir -p "$r/DEBIAN" "$r/boot"
	cp "$KERNEL_TREE/arch/x86/boot/bzImage" "$r/boot/vmlinuz-$KVER"
	cp "$KERNEL_TREE/System.map" "$r/boot/System.map-$KVER"
	cp "$KERNEL_TREE/.config" "$r/boot/config-$KVER"
	cat > "$r/DEBIAN/control" <<-EOF
	Package: linux-image-$KVER
	Version: 1
	Architecture: amd64
	Maintainer: $KPATCH_PACKAGER
	Section: kernel
	Priority: optional
	Description: Linux $KVER, the kpatch test kernel
	 The kernel the patch packages of the fleet test are built for.
	EOF
	dpkg-deb --root-owner-group --build "$r" "$1/linux-image-${KVER}_1_amd64.deb" > /dev/null
}

setup() {
	F=$BATS_FILE_TMPDIR
	export GNUPGHOME=$F/gnupg
	ROOT=$F/root
	REPO=$F/repo-apt
	PKG=$DEBNAME
}

# A command in the root, with its own /proc in a mount namespace of its
# own (gone when it exits): the running kernel is this machine's.
in_root() {
	# shellcheck disable=SC2016
	unshare --mount --propagation private sh -c 'mount -t proc proc "$0/proc" && exec chroot "$0" "$@"' \
		"$ROOT" env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin DEBIAN_FRONTEND=noninteractive "$@"
}
# dpkg-query's format, not the shell's.
# shellcheck disable=SC2016
status_of() { in_root dpkg-query -W -f='${db:Status-Status} ${Version}' "$1" 2>/dev/null; }

@test "kpatch-publish apt --sign: the tools, the kernel and version 1 in a signed repository" {
	v=$(sed -n 's/^VERSION[[:space:]]*=[[:space:]]*//p' "$TOP/kpatch/Makefile")
	[ -f "$F/pkgs/kpatch-tools_${v}-1_amd64.deb" ] || fail "$(cat "$F/pkgs/deb.log")"
	run "$TOP/packaging/kpatch-publish" --sign fleet@kpatch.invalid apt "$REPO" \
		"$F/pkgs/kpatch-tools_${v}-1_amd64.deb" "$F/pkgs/linux-image-${KVER}_1_amd64.deb" \
		"$F/pkgs/$(deb_of 1-1)"
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "$output" == *"3 package(s) added"* ]]
	gpg --batch --verify "$REPO/dists/stable/InRelease" 2>/dev/null
	gpg --batch --verify "$REPO/dists/stable/Release.gpg" "$REPO/dists/stable/Release" 2>/dev/null
	# the Release file names the indexes as they are
	sum=$(sha256sum < "$REPO/dists/stable/main/binary-amd64/Packages" | cut -d' ' -f1)
	grep -q " $sum .* main/binary-amd64/Packages$" "$REPO/dists/stable/Release"
	grep -qx "Package: $PKG" "$REPO/dists/stable/main/binary-amd64/Packages"
}

@test "a clean Debian 12 root from the mirror, the repository as its only apt source" {
	v=$(sed -n 's/^VERSION[[:space:]]*=[[:space:]]*//p' "$TOP/kpatch/Makefile")
	# what kpatch-tools needs from Debian comes with the root: the test
	# reads no mirror after this
	read -ra needs < <(dpkg-deb --field "$F/pkgs/kpatch-tools_${v}-1_amd64.deb" Depends |
		sed -e 's/([^)]*)//g' -e 's/,/ /g')
	start=$SECONDS
	"$TOP/test/packaging/fleet-root" "$ROOT" "${needs[@]}"
	echo "fleet-root: $((SECONDS - start)) s"
	[ -x "$ROOT/usr/bin/apt-get" ]
	grep -qx 'VERSION_CODENAME=bookworm' "$ROOT/etc/os-release"
	rm -f "$ROOT"/etc/apt/sources.list "$ROOT"/etc/apt/sources.list.d/*
	mkdir -p "$ROOT/srv" "$ROOT/etc/apt/keyrings"
	cp -a "$REPO" "$ROOT/srv/repo"
	install -m 644 "$REPO/kpatch-archive-keyring.gpg" "$ROOT/etc/apt/keyrings/"
	echo "deb [signed-by=/etc/apt/keyrings/kpatch-archive-keyring.gpg] file:///srv/repo stable main" \
		> "$ROOT/etc/apt/sources.list.d/kpatch.list"
	run in_root apt-get update
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "$output" != *"NO_PUBKEY"* ]] && [[ "$output" != *"not signed"* ]]
}

@test "apt-get install of the patch package brings the kernel and the tools, and records the patch" {
	run in_root apt-get install -y "$PKG"
	echo "$output"
	[ "$status" -eq 0 ]
	[ "$(status_of "$PKG")" = "installed 1-1" ]
	[ "$(status_of linux-image-"$KVER")" = "installed 1" ]
	[[ "$(status_of kpatch-tools)" == "installed "* ]]
	[ -f "$ROOT/var/lib/kpatch/$KVER/kpatch-pkg-v1.ko" ]
	[ -f "$ROOT/usr/lib/kpatch/$KVER/kpatch.ko" ]
	# the target kernel is not running here: said, and left for its boot
	[[ "$output" == *"$PKG: the running kernel is $(uname -r), not $KVER: kpatch_pkg_v1 will be loaded when $KVER boots"* ]]
	run in_root kpatch list --all
	echo "$output"
	[[ "$output" == *kpatch_pkg_v1* ]]
}

@test "version 2 published, apt-get upgrade replaces version 1" {
	run "$TOP/packaging/kpatch-publish" --sign fleet@kpatch.invalid apt "$REPO" "$F/pkgs/$(deb_of 2-1)"
	[ "$status" -eq 0 ]
	rm -rf "$ROOT/srv/repo"
	cp -a "$REPO" "$ROOT/srv/repo"
	in_root apt-get update > /dev/null
	run in_root apt-get upgrade -y
	echo "$output"
	[ "$status" -eq 0 ]
	[ "$(status_of "$PKG")" = "installed 2-1" ]
	[ -f "$ROOT/var/lib/kpatch/$KVER/kpatch-pkg-v2.ko" ]
	[ ! -e "$ROOT/var/lib/kpatch/$KVER/kpatch-pkg-v1.ko" ]
	run in_root kpatch list --all
	echo "$output"
	[[ "$output" == *kpatch_pkg_v2* ]]
	[[ "$output" != *kpatch_pkg_v1* ]]
	# both versions stay in the pool for a way back
	[ -f "$REPO/pool/main/$(deb_of 1-1)" ] && [ -f "$REPO/pool/main/$(deb_of 2-1)" ]
}

@test "apt-get remove takes the patch away, the kernel and the tools stay" {
	run in_root apt-get remove -y "$PKG"
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "$(status_of "$PKG")" != installed* ]]
	[ ! -e "$ROOT/var/lib/kpatch/$KVER/kpatch-pkg-v2.ko" ]
	[ "$(status_of linux-image-"$KVER")" = "installed 1" ]
}

@test "kpatch-publish yum --sign: signed RPMs and repomd.xml that rpm and gpg accept" {
	y=$F/repo-yum
	o=$F/rpms
	mkdir -p "$o"
	"$KPKG" -V 1 -f rpm --core "$PKG_BUILD/payload/core/kpatch.ko" -o "$o" "$MODS/kpatch-pkg-v1.ko" > /dev/null
	"$KPKG" -V 2 -f rpm --core "$PKG_BUILD/payload/core/kpatch.ko" -o "$o" "$MODS/kpatch-pkg-v2.ko" > /dev/null
	run "$TOP/packaging/kpatch-publish" --sign fleet@kpatch.invalid yum "$y" "$o/$(rpm_of 1-1)"
	echo "$output"
	[ "$status" -eq 0 ]
	run "$TOP/packaging/kpatch-publish" --sign fleet@kpatch.invalid yum "$y" "$o/$(rpm_of 2-1)"
	[ "$status" -eq 0 ]
	gpg --batch --verify "$y/repodata/repomd.xml.asc" "$y/repodata/repomd.xml" 2>/dev/null
	# primary.xml lists both versions, at the paths they have
	primary=$(sed -n 's|.*<location href="\(repodata/[^"]*-primary.xml.gz\)"/>.*|\1|p' "$y/repodata/repomd.xml")
	[ -n "$primary" ]
	list=$(zcat "$y/$primary")
	for v in 1-1 2-1; do
		[[ "$list" == *"<location href=\"Packages/$(rpm_of "$v")\"/>"* ]] || fail "no $(rpm_of "$v") in $primary"
	done
	# rpm checks the packages' signatures against the published key
	db=$BATS_TEST_TMPDIR/rpmdb
	rpm --dbpath "$db" --initdb
	rpm --dbpath "$db" --import "$y/RPM-GPG-KEY-kpatch"
	run rpm --dbpath "$db" -K "$y/Packages/$(rpm_of 2-1)"
	[[ "$output" == *"digests signatures OK"* ]] || fail "$output"
}

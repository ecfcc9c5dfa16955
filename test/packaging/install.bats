#!/usr/bin/env bats
# The packages installed by the real rpm and dpkg into scratch roots: where
# every file lands, and, in a scratch root that holds busybox as /bin/sh
# and a stand-in kpatch, what the scriptlets ask of kpatch when rpm and
# dpkg run them (chrooted) at install, upgrade and erase.
# shellcheck source=helpers.bash
source "$BATS_TEST_DIRNAME/helpers.bash"

setup_file() {
	# shellcheck source=helpers.bash
	source "$BATS_TEST_DIRNAME/helpers.bash"
	local o=$BATS_FILE_TMPDIR/pkgs
	mkdir -p "$o"
	"$KPKG" -V 1 -o "$o" "$MODS/kpatch-pkg-v1.ko" > /dev/null
	"$KPKG" -V 2 -o "$o" "$MODS/kpatch-pkg-v2.ko" > /dev/null
}

setup() {
	unset KPATCH_ROOT STUB_LOG STUB_FAIL
	P=$BATS_FILE_TMPDIR/pkgs
	R=$BATS_TEST_TMPDIR/root
	D=/var/lib/kpatch/$KVER
	mkdir -p "$R"
}

# Debian's rpm keeps its database in ~/.rpmdb, under --root too.
rpm_root() {
	rpm --root "$R" --dbpath /var/lib/rpm "$@" 2> >(grep -v -e 'should not be used directly' -e 'assuming you know what' >&2)
}

dpkg_root() {
	mkdir -p "$R/var/lib/dpkg/info" "$R/var/lib/dpkg/updates"
	touch "$R/var/lib/dpkg/status"
	dpkg --root="$R" --force-depends "$@"
}

# A root where scriptlets can run: busybox as /bin/sh, /dev/null, the
# stand-in kpatch, a kernel release in /proc and modules in /sys/module.
scriptable_root() {
	local a
	mkdir -p "$R/bin" "$R/usr/sbin" "$R/dev" "$R/tmp" "$R/proc/sys/kernel" "$R/sys/module"
	cp "$(command -v busybox)" "$R/bin/busybox"
	for a in sh basename dirname tr mkdir rmdir sed cat ls rm echo grep touch; do
		ln -s busybox "$R/bin/$a"
	done
	mknod -m 666 "$R/dev/null" c 1 3
	cp "$TOP/test/packaging/stub-kpatch" "$R/usr/sbin/kpatch"
	echo "$KVER" > "$R/proc/sys/kernel/osrelease"
	: > "$R/kpatch.log"
}

# The real kpatch in $R, with the loader and the shared libraries it
# links (libkmod has no static library in Debian).
real_kpatch() {
	local lib libs
	cp "$PKG_BUILD/payload/bin/kpatch" "$R/usr/sbin/kpatch"
	libs=$(ldd "$R/usr/sbin/kpatch")
	while read -r lib; do
		cp -L --parents "$lib" "$R"
	done < <(grep -oE '/[^ ]+' <<<"$libs")
}

# Every file and directory under the root but the package databases.
landed() {
	(cd "$R" && find . -path ./var/lib/rpm -prune -o -path ./var/lib/dpkg -prune -o -print |
		grep -vxE '\.|\./var|\./var/lib|\./var/lib/(rpm|dpkg)' | sort)
}

loaded() {
	local m names=()
	for m in "$R/sys/module"/*; do [ -e "$m" ] && names+=("${m##*/}"); done
	echo "${names[*]}"
}

@test "rpm --root: the module lands in /var/lib/kpatch/RELEASE/, nothing else" {
	rpm_root --initdb
	rpm_root -i --nodeps --noscripts "$P/$(rpm_of 1-1)"
	[ "$(landed)" = "./var/lib/kpatch
./var/lib/kpatch/$KVER
./var/lib/kpatch/$KVER/kpatch-pkg-v1.ko" ]
	cmp "$R$D/kpatch-pkg-v1.ko" "$MODS/kpatch-pkg-v1.ko"
	[ "$(stat -c '%a %U %G' "$R$D/kpatch-pkg-v1.ko")" = "644 root root" ]
	[ "$(rpm_root -q --qf '%{NAME}-%{VERSION}-%{RELEASE}' "$RPMNAME")" = "$RPMNAME-1-1" ]
	rpm_root -V --nodeps "$RPMNAME"
}

@test "rpm --root: erase removes the module and its directory" {
	rpm_root --initdb
	rpm_root -i --nodeps --noscripts "$P/$(rpm_of 1-1)"
	rpm_root -e --noscripts "$RPMNAME"
	[ "$(landed)" = "./var/lib/kpatch" ]
}

@test "dpkg --root --unpack: the module lands in the same place, nothing else but Debian's copyright and changelog" {
	dpkg_root --unpack "$P/$(deb_of 1-1)" > /dev/null
	[ "$(landed | grep -v '^\./usr')" = "./var/lib/kpatch
./var/lib/kpatch/$KVER
./var/lib/kpatch/$KVER/kpatch-pkg-v1.ko" ]
	[ "$(cd "$R" && find ./usr | sort)" = "./usr
./usr/share
./usr/share/doc
./usr/share/doc/$DEBNAME
./usr/share/doc/$DEBNAME/changelog.Debian.gz
./usr/share/doc/$DEBNAME/copyright" ]
	cmp "$R$D/kpatch-pkg-v1.ko" "$MODS/kpatch-pkg-v1.ko"
	[ "$(stat -c '%a %U %G' "$R$D/kpatch-pkg-v1.ko")" = "644 root root" ]
	[ "$(dpkg-query --admindir="$R/var/lib/dpkg" -W -f='${Package} ${Version}' "$DEBNAME")" = "$DEBNAME 1-1" ]
}

@test "unpacking the RPM and the deb gives the same tree" {
	mkdir -p "$R/rpm" "$R/deb"
	(cd "$R/rpm" && rpm2cpio "$P/$(rpm_of 1-1)" | cpio -idm --quiet)
	dpkg-deb -x "$P/$(deb_of 1-1)" "$R/deb"
	# (the deb's copyright and changelog are the RPM's header fields)
	rm -r "$R/deb/usr"
	diff -r "$R/rpm" "$R/deb"
	[ -f "$R/deb$D/kpatch-pkg-v1.ko" ]
}

@test "rpm in a scratch root runs the scriptlets: install loads, upgrade replaces, erase unloads" {
	scriptable_root
	rpm_root --initdb
	rpm_root -i --nodeps "$P/$(rpm_of 1-1)"
	[ "$(cat "$R/kpatch.log")" = "kpatch install -k $KVER $D/kpatch-pkg-v1.ko
kpatch replace $D/kpatch-pkg-v1.ko" ]
	[ "$(loaded)" = kpatch_pkg_v1 ]

	: > "$R/kpatch.log"
	rpm_root -U --nodeps "$P/$(rpm_of 2-1)"
	[ "$(cat "$R/kpatch.log")" = "kpatch install -k $KVER $D/kpatch-pkg-v2.ko
kpatch replace $D/kpatch-pkg-v2.ko" ]
	[ "$(loaded)" = kpatch_pkg_v2 ]
	[ "$(ls "$R$D")" = kpatch-pkg-v2.ko ]
	[ "$(rpm_root -q --qf '%{VERSION}' "$RPMNAME")" = 2 ]

	: > "$R/kpatch.log"
	rpm_root -e "$RPMNAME"
	[ "$(cat "$R/kpatch.log")" = "kpatch unload kpatch_pkg_v2" ]
	[ -z "$(loaded)" ]
	[ ! -e "$R$D" ]
}

@test "dpkg in a scratch root runs the scripts: install loads, upgrade replaces, remove unloads" {
	scriptable_root
	dpkg_root -i "$P/$(deb_of 1-1)" > /dev/null 2>&1
	[ "$(cat "$R/kpatch.log")" = "kpatch install -k $KVER $D/kpatch-pkg-v1.ko
kpatch replace $D/kpatch-pkg-v1.ko" ]
	[ "$(loaded)" = kpatch_pkg_v1 ]

	: > "$R/kpatch.log"
	dpkg_root -i "$P/$(deb_of 2-1)" > /dev/null 2>&1
	[ "$(cat "$R/kpatch.log")" = "kpatch install -k $KVER $D/kpatch-pkg-v2.ko
kpatch replace $D/kpatch-pkg-v2.ko" ]
	[ "$(loaded)" = kpatch_pkg_v2 ]
	[ "$(ls "$R$D")" = kpatch-pkg-v2.ko ]

	: > "$R/kpatch.log"
	dpkg_root -r "$DEBNAME" > /dev/null 2>&1
	[ "$(cat "$R/kpatch.log")" = "kpatch unload kpatch_pkg_v2" ]
	[ -z "$(loaded)" ]
	[ ! -e "$R$D" ]
}

@test "a load failure under the real rpm and dpkg leaves the transaction successful" {
	scriptable_root
	# the stand-in fails every replace
	sed -i '2i STUB_FAIL=replace' "$R/usr/sbin/kpatch"
	rpm_root --initdb
	run rpm_root -i --nodeps "$P/$(rpm_of 1-1)"
	[ "$status" -eq 0 ]
	[[ "$output" == *"$RPMNAME: could not load kpatch_pkg_v1 (reason above); the patches loaded before stay loaded; the fix is NOT live, though the package is installed"* ]]
	rpm_root -q "$RPMNAME"
	run dpkg_root -i "$P/$(deb_of 1-1)"
	[ "$status" -eq 0 ]
	# said plainly, on the terminal dpkg and rpm give the scripts
	[[ "$output" == *"$DEBNAME: could not load kpatch_pkg_v1 (reason above); the patches loaded before stay loaded; the fix is NOT live, though the package is installed (man kpatch-package, EXIT STATUS)"* ]]
	[ "$(dpkg-query --admindir="$R/var/lib/dpkg" -W -f='${Status}' "$DEBNAME")" = "install ok installed" ]
}

@test "with the real kpatch (for another running kernel): installed as packaged, rpm -V and dpkg --verify clean" {
	scriptable_root
	real_kpatch
	echo 6.1.0-other > "$R/proc/sys/kernel/osrelease"
	rpm_root --initdb
	run rpm_root -i --nodeps "$P/$(rpm_of 1-1)"
	[ "$status" -eq 0 ]
	[[ "$output" == *"kpatch-pkg-v1.ko is already installed for kernel $KVER"* ]]
	[[ "$output" == *"the running kernel is 6.1.0-other, not $KVER: kpatch_pkg_v1 will be loaded when $KVER boots"* ]]
	sleep 1
	rpm_root -V --nodeps "$RPMNAME"
	R=$BATS_TEST_TMPDIR/root2; mkdir -p "$R"; scriptable_root
	real_kpatch
	echo 6.1.0-other > "$R/proc/sys/kernel/osrelease"
	run dpkg_root -i "$P/$(deb_of 1-1)"
	[ "$status" -eq 0 ]
	[[ "$output" == *"kpatch-pkg-v1.ko is already installed for kernel $KVER"* ]]
	dpkg --root="$R" --verify "$DEBNAME"
	cmp "$R$D/kpatch-pkg-v1.ko" "$MODS/kpatch-pkg-v1.ko"
	# and the real kpatch lists it as installed for that kernel
	run chroot "$R" /usr/sbin/kpatch list -a
	[[ "$output" == *"kpatch_pkg_v1 ($KVER)"* ]]
}

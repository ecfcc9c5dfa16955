#!/usr/bin/env bats
# The scriptlets' own shell code is matched literally, in single quotes.
# shellcheck disable=SC2016
# What kpatch-package writes: names, file lists, dependencies, metadata and
# scriptlets, read back with rpm -qp and dpkg-deb.
# shellcheck source=helpers.bash
source "$BATS_TEST_DIRNAME/helpers.bash"

setup_file() {
	# shellcheck source=helpers.bash
	source "$BATS_TEST_DIRNAME/helpers.bash"
	out=$BATS_FILE_TMPDIR/out
	mkdir -p "$out"
	"$KPKG" -V 1 -r 3 -c CVE-2024-1086 -c cve-2023-0001 \
		-p "$TOP/test/packaging/modules/fix.patch" \
		-o "$out" "$MODS/kpatch-pkg-v1.ko" > "$BATS_FILE_TMPDIR/stdout"
	"$KPKG" -V 3 -o "$out" "$MODS/kpatch-pkg-v3.ko" > /dev/null
}

setup() {
	out=$BATS_FILE_TMPDIR/out
	rpm1=$out/$(rpm_of 1-3)
	deb1=$out/$(deb_of 1-3)
}

@test "the RPM and the deb are named like distributions' kpatch-patch packages" {
	[ "$KVER" = 6.1.192-kpatch-test ]
	[ "$(basename "$rpm1")" = kpatch-patch-6_1_192-kpatch-test-1-3.x86_64.rpm ]
	[ "$(basename "$deb1")" = kpatch-patch-6.1.192-kpatch-test_1-3_amd64.deb ]
	[ -f "$rpm1" ]
	[ -f "$deb1" ]
	# and it prints the two paths, nothing else
	[ "$(cat "$BATS_FILE_TMPDIR/stdout")" = "$out/$(basename "$rpm1")
$out/$(basename "$deb1")" ]
}

@test "rpm -qp: name, version, release, architecture" {
	run rpm -qp --qf '%{NAME} %{VERSION} %{RELEASE} %{ARCH}\n' "$rpm1"
	[ "$status" -eq 0 ]
	[ "$output" = "$RPMNAME 1 3 x86_64" ]
}

@test "rpm -qp --list: the module under /var/lib/kpatch/RELEASE/, nothing else" {
	run rpm -qp --list "$rpm1"
	[ "$status" -eq 0 ]
	[ "$output" = "/var/lib/kpatch/$KVER
/var/lib/kpatch/$KVER/kpatch-pkg-v1.ko" ]
}

@test "rpm -qp --requires: the tools of the module's ABI, the core, also for the scriptlets" {
	abi=$("$KPATCH_PACKAGE_KPATCH" info --format keyvalue "$MODS/kpatch-pkg-v1.ko" | sed -n 's/^abi=//p')
	[ -n "$abi" ] && [ "$abi" = "$ABI" ]
	run rpm -qp --requires "$rpm1"
	[ "$status" -eq 0 ]
	# (the test kernel's release, 6.1.192-kpatch-test, is no RPM version:
	# no kernel-uname-r = RELEASE; the deb depends on linux-image-RELEASE)
	want="kpatch-abi = $abi
kpatch-abi = $abi
kpatch-core-abi = $abi
kpatch-tools"
	# (rpm adds /bin/sh for the scriptlets, and its own rpmlib() features)
	got=$(printf '%s\n' "${lines[@]}" | grep -v -e '^rpmlib(' -e '^/bin/sh$' | sort)
	[ "$got" = "$want" ] || fail "Requires: $got"
	run rpm -qp --qf '[%{REQUIREFLAGS:deptype} %{REQUIRENAME}\n]' "$rpm1"
	[[ "$output" == *"post kpatch-abi"* ]]
	[[ "$output" == *"preun kpatch-tools"* ]]
}

@test "--core: no dependency on a core; --kernel-package names the kernel's package, or none" {
	o=$BATS_TEST_TMPDIR/o
	mkdir -p "$o"
	"$KPKG" -V 1 --core "$PKG_BUILD/payload/core/kpatch.ko" --kernel-package linux-image-test \
		-o "$o" "$MODS/kpatch-pkg-v1.ko" > /dev/null
	run dpkg-deb --field "$o/$(deb_of 1-1)" Depends
	[ "$output" = "kpatch-abi (= $ABI), linux-image-test" ]
	run rpm -qp --requires "$o/$(rpm_of 1-1)"
	[[ "$output" == *"linux-image-test"* ]]
	[[ "$output" != *core-abi* ]]
	[[ "$output" != *uname-r* ]]
	"$KPKG" -V 2 --kernel-package none -f deb -o "$o" "$MODS/kpatch-pkg-v2.ko" > /dev/null
	run dpkg-deb --field "$o/$(deb_of 2-1)" Depends
	[ "$output" = "kpatch-abi (= $ABI), kpatch-core-abi (= $ABI)" ]
}

@test "rpm -qp --scripts: %post installs and loads, %preun unloads on erase only" {
	run rpm -qp --scripts "$rpm1"
	[ "$status" -eq 0 ]
	[[ "$output" == *"postinstall scriptlet (using /bin/sh):"* ]]
	[[ "$output" == *"preuninstall scriptlet (using /bin/sh):"* ]]
	[[ "$output" == *'kpatch install -k "$kver" "$root$file"'* ]]
	[[ "$output" == *'kpatch replace "$root$file"'* ]]
	[[ "$output" == *'kpatch unload "$m"'* ]]
	[[ "$output" == *"mod='kpatch_pkg_v1'"* ]]
	[[ "$output" == *"kver='$KVER'"* ]]
	[[ "$output" == *'file="/var/lib/kpatch/$kver/kpatch-pkg-v1.ko"'* ]]
	run rpm -qp --qf '%{PREUN}' "$rpm1"
	[ "${lines[0]}" = 'if [ "$1" -eq 0 ]; then' ]
}

@test "rpm metadata: summary and description name the kernel, the CVEs and the patch" {
	run rpm -qp --qf '%{SUMMARY}\n' "$rpm1"
	[ "$output" = "Live patch for Linux kernel $KVER: CVE-2024-1086 CVE-2023-0001" ]
	run rpm -qp --qf '%{DESCRIPTION}\n' "$rpm1"
	[[ "$output" == *"kernel $KVER"* ]]
	[[ "$output" == *"Fixes: CVE-2024-1086 CVE-2023-0001"* ]]
	[[ "$output" == *"Source patches: fix.patch"* ]]
	[[ "$output" == *"$(sha256sum < "$TOP/test/packaging/modules/fix.patch" | cut -d' ' -f1)"* ]]
	[[ "$(tr -s ' \t\n' ' ' <<<"$output")" == *"replaces every patch loaded before it"* ]]
	run rpm -qp --qf '%{PACKAGER} %{LICENSE}\n' "$rpm1"
	[ "$output" = "Packaging Tests <tests@example.org> GPL-2.0-only" ]
}

@test "the packaged module is the module, byte for byte, mode 0644" {
	run rpm -qp --qf '[%{FILEMODES:perms} %{FILEUSERNAME} %{FILEDIGESTS} %{FILENAMES}\n]' "$rpm1"
	[ "$status" -eq 0 ]
	want=$(sha256sum < "$MODS/kpatch-pkg-v1.ko" | cut -d' ' -f1)
	[[ "$output" == *"-rw-r--r-- root $want /var/lib/kpatch/$KVER/kpatch-pkg-v1.ko"* ]]
}

@test "dpkg-deb --info: name, version, dependency, description, scripts" {
	run dpkg-deb --info "$deb1"
	[ "$status" -eq 0 ]
	[[ "$output" == *" Package: $DEBNAME"* ]]
	[[ "$output" == *" Version: 1-3"* ]]
	[[ "$output" == *" Architecture: amd64"* ]]
	[[ "$output" == *" Depends: kpatch-abi (= $ABI), linux-image-$KVER, kpatch-core-abi (= $ABI), linux-headers-$KVER"* ]]
	[[ "$output" == *" Description: Live patch for Linux kernel $KVER: CVE-2024-1086 CVE-2023-0001"* ]]
	[[ "$output" == *"  Fixes: CVE-2024-1086 CVE-2023-0001"* ]]
	[[ "$output" == *"  Source patches: fix.patch"* ]]
	[[ "$output" =~ postinst[[:space:]]+#!/bin/sh ]]
	[[ "$output" =~ prerm[[:space:]]+#!/bin/sh ]]
	[[ "$output" != *preinst* ]]
	[[ "$output" != *postrm* ]]
}

@test "dpkg-deb --contents: the same module in the same place" {
	run dpkg-deb --contents "$deb1"
	[ "$status" -eq 0 ]
	files=$(printf '%s\n' "${lines[@]}" | grep -v '^d' | awk '{ print $1, $2, $6 }')
	[ "$files" = "-rw-r--r-- root/root ./usr/share/doc/$DEBNAME/changelog.Debian.gz
-rw-r--r-- root/root ./usr/share/doc/$DEBNAME/copyright
-rw-r--r-- root/root ./var/lib/kpatch/$KVER/kpatch-pkg-v1.ko" ] || fail "$files"
	dpkg-deb --fsys-tarfile "$deb1" | tar -xO "./var/lib/kpatch/$KVER/kpatch-pkg-v1.ko" |
		cmp - "$MODS/kpatch-pkg-v1.ko"
}

@test "the deb's scripts carry the same steps as the RPM's" {
	dpkg-deb -e "$deb1" "$BATS_TEST_TMPDIR/control"
	post_rpm=$(rpm -qp --qf '%{POSTIN}' "$rpm1" | sed -e 's/kpatch-patch-[^ :]*test/PKG/g' | grep -v '^#')
	post_deb=$(sed -e 's/kpatch-patch-[^ :]*test/PKG/g' "$BATS_TEST_TMPDIR/control/postinst" | grep -v '^#')
	[[ "$post_deb" == *"$post_rpm"* ]]
	grep -q '^configure|abort-upgrade|abort-remove|abort-deconfigure)$' "$BATS_TEST_TMPDIR/control/postinst"
	grep -q '^remove)$' "$BATS_TEST_TMPDIR/control/prerm"
	dpkg-deb -f "$deb1" Installed-Size | grep -qE '^[0-9]+$'
	grep -qxF "$(md5sum < "$MODS/kpatch-pkg-v1.ko" | cut -d' ' -f1)  var/lib/kpatch/$KVER/kpatch-pkg-v1.ko" \
		"$BATS_TEST_TMPDIR/control/md5sums"
	[ "$(wc -l < "$BATS_TEST_TMPDIR/control/md5sums")" -eq 3 ]
}

@test "the scriptlets are POSIX sh: dash and busybox sh parse them" {
	dpkg-deb -e "$deb1" "$BATS_TEST_TMPDIR/control"
	rpm -qp --qf '%{POSTIN}' "$rpm1" > "$BATS_TEST_TMPDIR/post"
	rpm -qp --qf '%{PREUN}' "$rpm1" > "$BATS_TEST_TMPDIR/preun"
	for s in "$BATS_TEST_TMPDIR"/post "$BATS_TEST_TMPDIR"/preun \
		"$BATS_TEST_TMPDIR"/control/postinst "$BATS_TEST_TMPDIR"/control/prerm; do
		dash -n "$s"
		busybox sh -n "$s"
	done
}

@test "a non-replacing module: the description says it stacks, kpatch load in %post" {
	rpm3=$out/$(rpm_of 3-1)
	run rpm -qp --qf '%{SUMMARY}\n%{DESCRIPTION}\n' "$rpm3"
	[ "${lines[0]}" = "Live patch for Linux kernel $KVER" ]
	[[ "$(tr -s ' \t\n' ' ' <<<"$output")" == *"stacks on the patches loaded before it"* ]]
	run rpm -qp --qf '%{POSTIN}' "$rpm3"
	[[ "$output" == *"replace='N'"* ]]
	[[ "$output" == *'elif kpatch load "$root$file"; then'* ]]
	run rpm -qp --list "$rpm3"
	[ "${lines[1]}" = "/var/lib/kpatch/$KVER/kpatch-pkg-v3.ko" ]
}

@test "--format rpm and --format deb write one package each" {
	o=$BATS_TEST_TMPDIR/o
	mkdir -p "$o/rpm" "$o/deb"
	"$KPKG" -V 2 -f rpm -o "$o/rpm" "$MODS/kpatch-pkg-v2.ko"
	"$KPKG" -V 2 -f deb -o "$o/deb" "$MODS/kpatch-pkg-v2.ko"
	[ "$(ls -A "$o/rpm")" = "$(rpm_of 2-1)" ]
	[ "$(ls -A "$o/deb")" = "$(deb_of 2-1)" ]
}

@test "a module file not named after its module is packaged under its module name" {
	cp "$MODS/kpatch-pkg-v2.ko" "$BATS_TEST_TMPDIR/renamed.ko"
	o=$BATS_TEST_TMPDIR/o
	mkdir -p "$o"
	"$KPKG" -V 2 -f rpm -o "$o" "$BATS_TEST_TMPDIR/renamed.ko"
	run rpm -qp --list "$o/$(rpm_of 2-1)"
	[ "${lines[1]}" = "/var/lib/kpatch/$KVER/kpatch_pkg_v2.ko" ]
}

@test "a compressed module (.ko.xz, .ko.zst) is packaged as it is, under its own name" {
	o=$BATS_TEST_TMPDIR/o
	mkdir -p "$o"
	xz -c "$MODS/kpatch-pkg-v2.ko" > "$BATS_TEST_TMPDIR/kpatch-pkg-v2.ko.xz"
	"$KPKG" -V 2 -f rpm -o "$o" "$BATS_TEST_TMPDIR/kpatch-pkg-v2.ko.xz"
	run rpm -qp --list "$o/$(rpm_of 2-1)"
	[ "${lines[1]}" = "/var/lib/kpatch/$KVER/kpatch-pkg-v2.ko.xz" ]
	zstd -q -c "$MODS/kpatch-pkg-v2.ko" > "$BATS_TEST_TMPDIR/renamed.ko.zst"
	"$KPKG" -V 2 -f deb -o "$o" "$BATS_TEST_TMPDIR/renamed.ko.zst"
	run dpkg-deb --contents "$o/$(deb_of 2-1)"
	[[ "$output" == *" ./var/lib/kpatch/$KVER/kpatch_pkg_v2.ko.zst"* ]]
}

@test "--core: the core module for the same kernel, where the packaged tools look for it" {
	o=$BATS_TEST_TMPDIR/o
	mkdir -p "$o"
	"$KPKG" -V 1 -k "$PKG_BUILD/payload/core/kpatch.ko" -o "$o" "$MODS/kpatch-pkg-v1.ko"
	run rpm -qp --list "$o/$(rpm_of 1-1)"
	[ "$output" = "/usr/lib/kpatch/$KVER
/usr/lib/kpatch/$KVER/kpatch.ko
/var/lib/kpatch/$KVER
/var/lib/kpatch/$KVER/kpatch-pkg-v1.ko" ]
	run dpkg-deb --contents "$o/$(deb_of 1-1)"
	[[ "$output" == *" ./usr/lib/kpatch/$KVER/kpatch.ko"* ]]
	dpkg-deb --fsys-tarfile "$o/$(deb_of 1-1)" | tar -xO "./usr/lib/kpatch/$KVER/kpatch.ko" |
		cmp - "$PKG_BUILD/payload/core/kpatch.ko"
	run rpm -qp --qf '%{DESCRIPTION}' "$o/$(rpm_of 1-1)"
	[[ "$(tr -s ' \t\n' ' ' <<<"$output")" == *"It carries the kpatch core module for $KVER, as /usr/lib/kpatch/$KVER/kpatch.ko."* ]]
	# --core-dir for tools installed elsewhere
	rm "$o"/*
	"$KPKG" -V 1 -k "$PKG_BUILD/payload/core/kpatch.ko" --core-dir /usr/local/lib/kpatch/ -f rpm -o "$o" "$MODS/kpatch-pkg-v1.ko"
	run rpm -qp --list "$o/$(rpm_of 1-1)"
	[ "${lines[1]}" = "/usr/local/lib/kpatch/$KVER/kpatch.ko" ]
}

@test "with no -o the packages land in the current directory; a relative -o works too" {
	mkdir -p "$BATS_TEST_TMPDIR/here/rel"
	cd "$BATS_TEST_TMPDIR/here" || return 1
	run "$KPKG" -V 1 "$MODS/kpatch-pkg-v1.ko"
	[ "$status" -eq 0 ] || fail "$output"
	[ -f "$(rpm_of 1-1)" ] && [ -f "$(deb_of 1-1)" ] || fail "not in $PWD: $(ls)"
	run "$KPKG" -V 2 -f rpm -o rel "$MODS/kpatch-pkg-v1.ko"
	[ "$status" -eq 0 ] || fail "$output"
	[ -f "rel/$(rpm_of 2-1)" ] || fail "not in rel/: $(ls rel)"
}

@test "a signed module keeps its signature, byte for byte, in the RPM and the deb" {
	[ -x "${KERNEL_TREE:-}/scripts/sign-file" ] || fail "KERNEL_TREE (the test kernel) is not set"
	o=$BATS_TEST_TMPDIR/o
	mkdir -p "$o" "$BATS_TEST_TMPDIR/rpm" "$BATS_TEST_TMPDIR/deb"
	ko=$BATS_TEST_TMPDIR/kpatch-pkg-v1.ko
	"$KERNEL_TREE/scripts/sign-file" sha256 "$KERNEL_TREE/certs/signing_key.pem" \
		"$KERNEL_TREE/certs/signing_key.x509" "$MODS/kpatch-pkg-v1.ko" "$ko"
	[ "$(tail -c 28 "$ko")" = "~Module signature appended~" ]
	"$KPKG" -V 1 -o "$o" "$ko" > /dev/null
	(cd "$BATS_TEST_TMPDIR/rpm" && rpm2cpio "$o/$(rpm_of 1-1)" | cpio -id --quiet)
	dpkg-deb -x "$o/$(deb_of 1-1)" "$BATS_TEST_TMPDIR/deb"
	cmp "$ko" "$BATS_TEST_TMPDIR/rpm/var/lib/kpatch/$KVER/kpatch-pkg-v1.ko"
	cmp "$ko" "$BATS_TEST_TMPDIR/deb/var/lib/kpatch/$KVER/kpatch-pkg-v1.ko"
}

@test "a RHEL kernel release: RHEL's kpatch-patch name, Requires: kernel-uname-r and kernel-devel-uname-r" {
	# The release as RHEL's kernels have it, from a stand-in for the kpatch
	# command (no RHEL kernel to build a module against here).
	cat > "$BATS_TEST_TMPDIR/kpatch" <<-EOF
	#!/bin/sh
	[ "\$1" != version ] || { echo "kpatch 0.1.0 (patch module ABI version $ABI)"; exit 0; }
	printf '%s\\n' name=kpatch_stand_in kernel=5.14.0-70.13.1.el9_0.x86_64 abi=$ABI replace=yes build_id=abcd
	EOF
	chmod +x "$BATS_TEST_TMPDIR/kpatch"
	o=$BATS_TEST_TMPDIR/o
	mkdir -p "$o"
	KPATCH_PACKAGE_KPATCH=$BATS_TEST_TMPDIR/kpatch run "$KPKG" -V 1 -o "$o" "$MODS/kpatch-pkg-v1.ko"
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "$o/kpatch-patch-5_14_0-70_13_1-1-1.x86_64.rpm" ]
	[ "${lines[1]}" = "$o/kpatch-patch-5.14.0-70.13.1.el9-0.x86-64_1-1_amd64.deb" ]
	run rpm -qp --requires "${lines[0]}"
	[[ "$output" == *"kernel-uname-r = 5.14.0-70.13.1.el9_0.x86_64"* ]]
	[[ "$output" == *"kernel-devel-uname-r = 5.14.0-70.13.1.el9_0.x86_64"* ]]
}

#!/usr/bin/env bats
# Bad input: one clear line on stderr, a non-zero status, and nothing left
# in the output directory.
# shellcheck source=helpers.bash
source "$BATS_TEST_DIRNAME/helpers.bash"

setup() {
	o=$BATS_TEST_TMPDIR/out
	mkdir -p "$o"
}

@test "a file that is not an ELF file" {
	echo "not a module" > "$BATS_TEST_TMPDIR/fix.ko"
	run "$KPKG" -V 1 -o "$o" "$BATS_TEST_TMPDIR/fix.ko"
	[ "$status" -eq 1 ]
	one_error_line "fix.ko is not an ELF file"
	empty_dir "$o"
}

@test "an ELF file that is not a kernel module" {
	run "$KPKG" -V 1 -o "$o" "$(command -v busybox)"
	[ "$status" -eq 1 ]
	one_error_line "is not a kernel module (not an x86-64 relocatable object)"
	printf 'int f(void) { return 0; }\n' > "$BATS_TEST_TMPDIR/f.c"
	gcc -c -o "$BATS_TEST_TMPDIR/f.ko" "$BATS_TEST_TMPDIR/f.c"
	run "$KPKG" -V 1 -o "$o" "$BATS_TEST_TMPDIR/f.ko"
	[ "$status" -eq 1 ]
	one_error_line "f.ko is not a kernel module (no .modinfo or .gnu.linkonce.this_module section)"
	empty_dir "$o"
}

@test "a kernel module that is not a kpatch patch module (the core module)" {
	run "$KPKG" -V 1 -o "$o" "$PKG_BUILD/payload/core/kpatch.ko"
	[ "$status" -eq 1 ]
	one_error_line "kpatch.ko is a kernel module but not a kpatch patch module (no kpatch_abi in its .modinfo)"
	empty_dir "$o"
}

@test "the module is read by the kpatch command (kpatch info --format keyvalue)" {
	cat > "$BATS_TEST_TMPDIR/kpatch" <<'EOF2'
#!/bin/sh
[ "$1" != version ] || { echo "kpatch 0.1.0 (patch module ABI version 2)"; exit 0; }
[ "$1 $2 $3" = "info --format keyvalue" ] || exit 9
printf '%s\n' name=kpatch_stand_in kernel=9.9.9-stand-in abi=2 replace=yes build_id=abcd
EOF2
	chmod +x "$BATS_TEST_TMPDIR/kpatch"
	KPATCH_PACKAGE_KPATCH=$BATS_TEST_TMPDIR/kpatch run "$KPKG" -V 1 -f deb -o "$o" "$MODS/kpatch-pkg-v1.ko"
	[ "$status" -eq 0 ]
	run dpkg-deb -f "$o/kpatch-patch-9.9.9-stand-in_1-1_amd64.deb" Description
	[[ "$output" == *"Live patch module kpatch_stand_in for Linux kernel 9.9.9-stand-in"* ]]
	[[ "$output" == *"atomically replaces"* ]]
}

@test "without the kpatch command, it says how to get one" {
	KPATCH_PACKAGE_KPATCH=$BATS_TEST_TMPDIR/none run "$KPKG" -V 1 -o "$o" "$MODS/kpatch-pkg-v1.ko"
	[ "$status" -eq 1 ]
	one_error_line "the kpatch command ($BATS_TEST_TMPDIR/none) is missing"
	empty_dir "$o"
}

@test "a patch module without a vmlinux build ID" {
	run "$KPKG" -V 1 -o "$o" "$MODS/kpatch-pkg-nobuildid.ko"
	[ "$status" -eq 1 ]
	one_error_line "kpatch-pkg-nobuildid.ko records no vmlinux build ID"
	empty_dir "$o"
}

@test "a patch module of another kpatch ABI version, which kpatch load would refuse" {
	run "$KPKG" -V 1 -o "$o" "$PKG_BUILD/kpatch-pkg-otherabi.ko"
	[ "$status" -eq 1 ]
	one_error_line "kpatch-pkg-otherabi.ko has kpatch ABI version $((ABI + 1)), but kpatch supports version $ABI, so kpatch would refuse to load it"
	empty_dir "$o"
}

@test "--kernel-package, --copyright and --license are checked" {
	run "$KPKG" -V 1 --kernel-package 'Linux Image' -o "$o" "$MODS/kpatch-pkg-v1.ko"
	[ "$status" -eq 2 ]
	[ "${lines[0]}" = "kpatch-package: 'Linux Image' is not a package name (lower case letters, digits, + . -)" ]
	run "$KPKG" -V 1 --license 'GPL 2' -o "$o" "$MODS/kpatch-pkg-v1.ko"
	[ "$status" -eq 2 ]
	[ "${lines[0]}" = "kpatch-package: 'GPL 2' is not an SPDX license expression (e.g. GPL-2.0-only)" ]
	run "$KPKG" -V 1 --copyright '100% mine' -o "$o" "$MODS/kpatch-pkg-v1.ko"
	[ "$status" -eq 2 ]
	[[ "${lines[0]}" == "kpatch-package: copyright '100% mine' must be one line"* ]]
	empty_dir "$o"
}

@test "a missing module file" {
	run "$KPKG" -V 1 -o "$o" "$BATS_TEST_TMPDIR/nonexistent.ko"
	[ "$status" -eq 1 ]
	one_error_line "nonexistent.ko does not exist"
	run "$KPKG" -V 1 -o "$o" "$BATS_TEST_TMPDIR"
	[ "$status" -eq 1 ]
	one_error_line "is not a regular file"
	empty_dir "$o"
}

@test "no version: a usage error that says how to give one" {
	run "$KPKG" -o "$o" "$MODS/kpatch-pkg-v1.ko"
	[ "$status" -eq 2 ]
	[ "${lines[0]}" = "kpatch-package: no package version given: use -V VERSION (e.g. -V 1; each update of the patch gets a higher one)" ]
	[ "${lines[1]}" = "Try 'kpatch-package --help'." ]
	[ "${#lines[@]}" -eq 2 ]
	run "$KPKG" -V '' -o "$o" "$MODS/kpatch-pkg-v1.ko"
	[ "$status" -eq 2 ]
	[[ "${lines[0]}" == "kpatch-package: no package version given"* ]]
	empty_dir "$o"
}

@test "a version, release, CVE id or format that cannot be used" {
	for args in "-V 1-2" "-V v1" "-V 1 -r 1-2" "-V 1 -r ''" "-V 1 -c CVE-24-1" "-V 1 -f tar" "-V 1 -p 'a/b&c'" "-V"; do
		eval "run \"\$KPKG\" $args -o \"\$o\" \"\$MODS/kpatch-pkg-v1.ko\""
		[ "$status" -eq 2 ] || fail "$args: status $status"
		[[ "${lines[0]}" == "kpatch-package: "* ]] || fail "$args: $output"
		[ "${lines[1]}" = "Try 'kpatch-package --help'." ] || fail "$args: $output"
	done
	run "$KPKG" -V 1-2 -o "$o" "$MODS/kpatch-pkg-v1.ko"
	[ "${lines[0]}" = "kpatch-package: '1-2' is not a package version: use digits, letters, '.', '+' and '~', starting with a digit" ]
	run "$KPKG" -V 1 -c CVE-24-1 -o "$o" "$MODS/kpatch-pkg-v1.ko"
	[ "${lines[0]}" = "kpatch-package: 'CVE-24-1' is not a CVE id (CVE-YYYY-NNNN)" ]
	empty_dir "$o"
}

@test "no module, two modules, an unknown option" {
	run "$KPKG" -V 1 -o "$o"
	[ "$status" -eq 2 ]
	[ "${lines[0]}" = "kpatch-package: no patch module given" ]
	run "$KPKG" -V 1 -o "$o" "$MODS/kpatch-pkg-v1.ko" "$MODS/kpatch-pkg-v2.ko"
	[ "$status" -eq 2 ]
	[[ "${lines[0]}" == "kpatch-package: one patch module at a time"* ]]
	run "$KPKG" -V 1 --frobnicate -o "$o" "$MODS/kpatch-pkg-v1.ko"
	[ "$status" -eq 2 ]
	[ "${lines[0]}" = "kpatch-package: unknown option '--frobnicate'" ]
	run "$KPKG" -V 1 -o "$o" "$MODS/kpatch-pkg-v1.ko" -V
	[ "$status" -eq 2 ]
	[ "${lines[0]}" = "kpatch-package: option -V needs an argument" ]
	run "$KPKG" -o "$o" "$MODS/kpatch-pkg-v1.ko" --cve
	[ "$status" -eq 2 ]
	[ "${lines[0]}" = "kpatch-package: option --cve needs an argument" ]
	empty_dir "$o"
}

@test "source patches that are not the module's" {
	echo "another patch" > "$BATS_TEST_TMPDIR/other.patch"
	run "$KPKG" -V 1 -p "$BATS_TEST_TMPDIR/other.patch" -o "$o" "$MODS/kpatch-pkg-v1.ko"
	[ "$status" -eq 1 ]
	one_error_line "the patches given (other.patch) are not the ones" "kpatch-pkg-v1.ko was built from"
	empty_dir "$o"
	# the right one, and a name that is not a file, are fine
	"$KPKG" -V 1 -p "$TOP/test/packaging/modules/fix.patch" -f rpm -o "$o" "$MODS/kpatch-pkg-v1.ko"
	"$KPKG" -V 1 -p fix-cve.patch -f deb -o "$o" "$MODS/kpatch-pkg-v1.ko"
	[ "$(compgen -G "$o/*" | wc -l)" -eq 2 ]
}

@test "an output directory that does not exist" {
	run "$KPKG" -V 1 -o "$BATS_TEST_TMPDIR/nowhere" "$MODS/kpatch-pkg-v1.ko"
	[ "$status" -eq 1 ]
	one_error_line "output directory $BATS_TEST_TMPDIR/nowhere does not exist"
}

@test "rpmbuild failing after the deb could be built leaves nothing half-built" {
	mkdir -p "$BATS_TEST_TMPDIR/bin"
	printf '#!/bin/sh\necho "error: out of disk space" >&2\nexit 1\n' > "$BATS_TEST_TMPDIR/bin/rpmbuild"
	chmod +x "$BATS_TEST_TMPDIR/bin/rpmbuild"
	PATH=$BATS_TEST_TMPDIR/bin:$PATH run "$KPKG" -V 1 -o "$o" "$MODS/kpatch-pkg-v1.ko"
	[ "$status" -eq 1 ]
	[[ "$output" == *"error: out of disk space"* ]]
	[ "${lines[-1]}" = "kpatch-package: could not build $(rpm_of 1-1); nothing was written" ]
	empty_dir "$o"
}

@test "dpkg-deb failing after the RPM was built leaves nothing half-built" {
	mkdir -p "$BATS_TEST_TMPDIR/bin"
	printf '#!/bin/sh\necho "dpkg-deb: error: failed" >&2\nexit 2\n' > "$BATS_TEST_TMPDIR/bin/dpkg-deb"
	chmod +x "$BATS_TEST_TMPDIR/bin/dpkg-deb"
	PATH=$BATS_TEST_TMPDIR/bin:$PATH run "$KPKG" -V 1 -o "$o" "$MODS/kpatch-pkg-v1.ko"
	[ "$status" -eq 1 ]
	[ "${lines[-1]}" = "kpatch-package: could not build $(deb_of 1-1); nothing was written" ]
	empty_dir "$o"
}

@test "rpmbuild missing: a clear line naming Debian's rpm package" {
	mkdir -p "$BATS_TEST_TMPDIR/bin"
	for t in bash getopt modinfo tr head cut basename readlink dirname sha256sum sed date; do
		ln -s "$(command -v $t)" "$BATS_TEST_TMPDIR/bin/$t"
	done
	PATH=$BATS_TEST_TMPDIR/bin run "$KPKG" -V 1 -o "$o" "$MODS/kpatch-pkg-v1.ko"
	[ "$status" -eq 1 ]
	one_error_line "rpmbuild is missing; install Debian's rpm package"
	empty_dir "$o"
}

@test "--core: not the core module, or the core of another kernel" {
	run "$KPKG" -V 1 -k "$MODS/kpatch-pkg-v2.ko" -o "$o" "$MODS/kpatch-pkg-v1.ko"
	[ "$status" -eq 1 ]
	one_error_line "kpatch-pkg-v2.ko is not the kpatch core module (its module name is not kpatch)"
	run "$KPKG" -V 1 -k "$PKG_BUILD/kpatch-other.ko" -o "$o" "$MODS/kpatch-pkg-v1.ko"
	[ "$status" -eq 1 ]
	one_error_line "the core module $PKG_BUILD/kpatch-other.ko is built for kernel 6.1.0-other, but $MODS/kpatch-pkg-v1.ko is for $KVER"
	run "$KPKG" -V 1 -k "$BATS_TEST_TMPDIR/none.ko" -o "$o" "$MODS/kpatch-pkg-v1.ko"
	[ "$status" -eq 1 ]
	one_error_line "core module $BATS_TEST_TMPDIR/none.ko does not exist"
	run "$KPKG" -V 1 -k "$PKG_BUILD/payload/core/kpatch.ko" --core-dir lib/kpatch -o "$o" "$MODS/kpatch-pkg-v1.ko"
	[ "$status" -eq 2 ]
	[ "${lines[0]}" = "kpatch-package: 'lib/kpatch' is not an absolute directory path for the core module" ]
	empty_dir "$o"
}

#!/usr/bin/env bats
# make rpm and make deb: the tools' own packages, kpatch-tools (what a
# server runs) and kpatch-buildtools (what a build machine needs), from a
# 'make install' of a copy of the tree, read back and unpacked into a
# scratch root.  lint.bats runs lintian and rpmlint on them.
# shellcheck source=helpers.bash
source "$BATS_TEST_DIRNAME/helpers.bash"

setup_file() {
	# shellcheck source=helpers.bash
	source "$BATS_TEST_DIRNAME/helpers.bash"
	export TOOLS_OUT=$BATS_FILE_TMPDIR/tools
	tool_packages "$TOOLS_OUT"
}

setup() {
	version=$(sed -n 's/^VERSION[[:space:]]*=[[:space:]]*//p' "$TOP/kpatch/Makefile")
	rpm_tools=$TOOLS_OUT/kpatch-tools-$version-1.x86_64.rpm
	rpm_build=$TOOLS_OUT/kpatch-buildtools-$version-1.x86_64.rpm
	deb_tools=$TOOLS_OUT/kpatch-tools_${version}-1_amd64.deb
	deb_build=$TOOLS_OUT/kpatch-buildtools_${version}-1_amd64.deb
}

# The tests after the build tests need its packages; the build test fails.
need() {
	local f
	for f in "$@"; do
		[ -f "$f" ] || skip "$(basename "$f") was not built (see the make ${f##*.} test)"
	done
}

# What a server needs, in kpatch-tools (the unit file's directory aside).
RUNTIME="/usr/sbin/kpatch
/usr/share/initramfs-tools/hooks/kpatch
/usr/share/initramfs-tools/scripts/init-top/kpatch
/usr/lib/dracut/modules.d/90kpatch/module-setup.sh
/usr/share/bash-completion/completions/kpatch
/usr/share/man/man1/kpatch.1.gz"
# What a build machine needs on top, in kpatch-buildtools.
BUILD="/usr/bin/kpatch-build
/usr/bin/kpatch-package
/usr/bin/kpatch-publish
/usr/libexec/kpatch/create-diff-object
/usr/share/kpatch/patch/Kbuild
/usr/share/kpatch/patch/kpatch.lds
/usr/share/kpatch/patch/patch-hook.c
/usr/share/kpatch/core/Kbuild
/usr/share/kpatch/core/core.c
/usr/share/kpatch/include/kpatch-abi.h
/usr/share/kpatch/packaging/patch.spec.in
/usr/share/kpatch/packaging/post.sh
/usr/share/man/man1/kpatch-build.1.gz
/usr/share/man/man1/kpatch-package.1.gz
/usr/share/man/man1/kpatch-publish.1.gz
/usr/share/bash-completion/completions/kpatch-build"

has_all() { # LIST WANTED WHAT
	local f
	while read -r f; do
		grep -qxF "$f" <<< "$1" || fail "$f is not in $3"
	done <<< "$2"
}

@test "make rpm builds kpatch-tools and kpatch-buildtools RPMs" {
	[ -f "$rpm_tools" ] && [ -f "$rpm_build" ] || fail "$(tail -n 20 "$TOOLS_OUT/rpm.log")"
	[ "$(tail -n 2 "$TOOLS_OUT/rpm.log" | xargs -n1 basename)" = "$(basename "$rpm_tools")
$(basename "$rpm_build")" ]
	run rpm -qp --qf '%{NAME} %{VERSION} %{RELEASE} %{ARCH}\n' "$rpm_tools" "$rpm_build"
	[ "$output" = "kpatch-tools $version 1 x86_64
kpatch-buildtools $version 1 x86_64" ]
}

@test "the RPMs split the files: the server's in kpatch-tools, the builder's in kpatch-buildtools" {
	need "$rpm_tools" "$rpm_build"
	tools=$(rpm -qp --list "$rpm_tools")
	build=$(rpm -qp --list "$rpm_build")
	has_all "$tools" "$RUNTIME
/usr/lib/systemd/system/kpatch.service
/var/lib/kpatch" kpatch-tools
	has_all "$build" "$BUILD" kpatch-buildtools
	both=$(comm -12 <(sort <<< "$tools") <(sort <<< "$build") | grep -v '^/usr/share/licenses$') &&
		fail "in both: $both"
	# no build output, no path of the build machine
	leaked=$(grep -E '\.(o|ko|cmd)$|/build/|/work/' <<< "$tools$build") && fail "build output in the RPMs: $leaked"
	run rpm -qp --qf '[%{FILEMODES:perms} %{FILENAMES}\n]' "$rpm_tools" "$rpm_build"
	[[ "$output" == *"-rwxr-xr-x /usr/sbin/kpatch"* ]]
	[[ "$output" == *"-rwxr-xr-x /usr/bin/kpatch-package"* ]]
	[[ "$output" == *"-rwxr-xr-x /usr/bin/kpatch-publish"* ]]
}

@test "kpatch-tools RPM: no compiler, the libraries found by rpm, kpatch-abi, Conflicts: kpatch, %license" {
	need "$rpm_tools"
	requires=$(rpm -qp --requires "$rpm_tools")
	for r in gcc make binutils dwarves; do
		grep -qx "$r" <<< "$requires" && fail "kpatch-tools requires $r"
	done
	grep -q '^libelf.so.1' <<< "$requires"
	grep -q '^libkmod.so.2' <<< "$requires"
	# no Debian package names
	debian=$(grep -E '^(libelf1|libkmod2|libzydis4\.0|zlib1g)' <<< "$requires") && fail "Debian names: $debian"
	abi=$(sed -n 's/^#define KPATCH_ABI_VERSION[[:space:]]*\([0-9]*\)$/\1/p' "$TOP/include/kpatch-abi.h")
	rpm -qp --provides "$rpm_tools" | grep -qx "kpatch-abi = $abi"
	[ "$(rpm -qp --conflicts "$rpm_tools")" = kpatch ]
	# (Fedora's licensedir is .../kpatch-tools, Debian's rpm's
	# .../kpatch-tools-VERSION)
	[[ "$(rpm -qp --qf '[%{FILEFLAGS:fflags} %{FILENAMES}\n]' "$rpm_tools" | grep '/licenses/.*/')" =~ \
		^l\ /usr/share/licenses/kpatch-tools(-$version)?/COPYING$ ]]
	rpm -qp --qf '%{PACKAGER}\n' "$rpm_tools" | grep -q '<.*@.*>'
	rpm -qp --changelog "$rpm_tools" | grep -q "$version-1"
}

@test "kpatch-tools RPM: the %systemd_* scriptlets on kpatch.service" {
	need "$rpm_tools"
	run rpm -qp --scripts "$rpm_tools"
	[[ "$output" == *"postinstall scriptlet"*"kpatch.service"* ]]
	[[ "$output" == *"preuninstall scriptlet"*"disable kpatch.service"* ]]
	[[ "$output" == *"postuninstall scriptlet"*"daemon-reload"* ]]
}

@test "kpatch-buildtools RPM: the compiler, kpatch-tools of the same version, Conflicts: kpatch-build" {
	need "$rpm_build"
	requires=$(rpm -qp --requires "$rpm_build")
	for r in gcc make binutils dwarves "kpatch-tools = $version-1"; do
		grep -qx "$r" <<< "$requires" || fail "no Requires: $r"
	done
	[ "$(rpm -qp --conflicts "$rpm_build")" = kpatch-build ]
}

@test "make deb builds kpatch-tools and kpatch-buildtools .debs with the RPMs' files" {
	[ -f "$deb_tools" ] && [ -f "$deb_build" ] || fail "$(tail -n 20 "$TOOLS_OUT/deb.log")"
	[ "$(tail -n 2 "$TOOLS_OUT/deb.log" | xargs -n1 basename)" = "$(basename "$deb_tools")
$(basename "$deb_build")" ]
	need "$rpm_tools" "$rpm_build"
	# the same files but for where each distribution keeps units, licenses
	# and the changelog
	files() { grep -vE '^/(usr/)?lib/systemd/|^/usr/share/(doc|licenses)/' | sort; }
	for p in tools build; do
		rpm=rpm_$p deb=deb_$p
		deb_files=$(dpkg-deb --contents "${!deb}" | awk '$1 !~ /^d/ { print substr($6, 2) }' | files)
		rpm_files=$(rpm -qp --qf '[%{FILEMODES:perms} %{FILENAMES}\n]' "${!rpm}" | awk '$1 !~ /^d/ { print $2 }' | files)
		[ "$deb_files" = "$rpm_files" ] || fail "$(diff <(echo "$rpm_files") <(echo "$deb_files"))"
	done
}

@test "kpatch-tools deb: dependencies from dpkg-shlibdeps, no compiler, kpatch-abi, Conflicts: kpatch" {
	need "$deb_tools"
	depends=$(dpkg-deb --field "$deb_tools" Depends)
	# versioned by dpkg-shlibdeps from the libraries' symbols files
	[[ "$depends" =~ libc6\ \(\>=\ [0-9] ]] || fail "Depends: $depends"
	[[ "$depends" =~ libelf1\ \(\>=\ [0-9] ]] || fail "Depends: $depends"
	[[ "$depends" == *kmod* ]]
	for p in gcc make binutils bash; do
		[[ ", $depends," == *", $p"[,\ ]* ]] && fail "kpatch-tools depends on $p: $depends"
	done
	abi=$(sed -n 's/^#define KPATCH_ABI_VERSION[[:space:]]*\([0-9]*\)$/\1/p' "$TOP/include/kpatch-abi.h")
	[ "$(dpkg-deb --field "$deb_tools" Provides)" = "kpatch-abi (= $abi)" ]
	[ "$(dpkg-deb --field "$deb_tools" Conflicts)" = kpatch ]
	[ -z "$(dpkg-deb --field "$deb_tools" Homepage)" ]
	dpkg-deb --contents "$deb_tools" | grep -q ' ./usr/share/doc/kpatch-tools/copyright$'
	dpkg-deb --contents "$deb_tools" | grep -q ' ./usr/share/doc/kpatch-tools/changelog.Debian.gz$'
}

@test "kpatch-buildtools deb: the compiler, kpatch-tools of the same version, Conflicts: kpatch-build" {
	need "$deb_build"
	depends=$(dpkg-deb --field "$deb_build" Depends)
	for p in gcc make binutils dwarves "kpatch-tools (= $version-1)"; do
		[[ "$depends" == *"$p"* ]] || fail "no $p in Depends: $depends"
	done
	[ "$(dpkg-deb --field "$deb_build" Conflicts)" = kpatch-build ]
}

@test "the Maintainer comes from KPATCH_MAINTAINER, and a bad one is refused before building" {
	o=$BATS_TEST_TMPDIR/o
	KPATCH_MAINTAINER="Fleet Ops <ops@example.net>" "$TOP/packaging/build-tool-package" deb "$o" > /dev/null 2>&1
	[ "$(dpkg-deb --field "$o/kpatch-tools_${version}-1_amd64.deb" Maintainer)" = "Fleet Ops <ops@example.net>" ]
	dpkg-deb --fsys-tarfile "$o/kpatch-tools_${version}-1_amd64.deb" |
		tar -xO ./usr/share/doc/kpatch-tools/copyright | grep -q '^Copyright: [0-9]* Fleet Ops$'
	rm -rf "$o"
	KPATCH_MAINTAINER="nobody" run "$TOP/packaging/build-tool-package" deb "$o"
	[ "$status" -eq 1 ]
	[ "$output" = "build-tool-package: no maintainer 'Name <email>' (got 'nobody'): set KPATCH_MAINTAINER, or DEBFULLNAME and DEBEMAIL" ]
	[ ! -e "$o/tools" ]
}

@test "the binaries are stripped" {
	need "$deb_tools" "$deb_build"
	r=$BATS_TEST_TMPDIR/x
	dpkg-deb -x "$deb_tools" "$r"
	dpkg-deb -x "$deb_build" "$r"
	for f in usr/sbin/kpatch usr/libexec/kpatch/create-diff-object; do
		run file "$r/$f"
		[[ "$output" == *", stripped"* ]] || fail "$output"
	done
}

@test "the tools debs unpack into a scratch root where everything runs from its place" {
	need "$deb_tools" "$deb_build"
	r=$BATS_TEST_TMPDIR/root
	mkdir -p "$r/var/lib/dpkg/info" "$r/var/lib/dpkg/updates"
	touch "$r/var/lib/dpkg/status"
	dpkg --root="$r" --force-depends --unpack "$deb_tools" "$deb_build" > /dev/null
	has_all "$(cd "$r" && find . | sed 's|^\.||')" "$RUNTIME
$BUILD
/lib/systemd/system/kpatch.service
/var/lib/kpatch" "the scratch root"
	"$r/usr/sbin/kpatch" version
	grep -q "ExecStart=/usr/sbin/kpatch load --all" "$r/lib/systemd/system/kpatch.service"
	grep -qx 'INSTALLED_TEMPLATEDIR=/usr/share/kpatch/packaging' "$r/usr/bin/kpatch-package"
	KPATCH_PACKAGE_TEMPLATES=$r/usr/share/kpatch/packaging "$r/usr/bin/kpatch-package" --help > /dev/null
	"$r/usr/bin/kpatch-publish" --help > /dev/null
}

@test "the patch packages' dependencies on the tools are what kpatch-tools provides" {
	need "$rpm_tools"
	o=$BATS_TEST_TMPDIR/o
	mkdir -p "$o"
	"$KPKG" -V 1 -f rpm --core "$PKG_BUILD/payload/core/kpatch.ko" --kernel-package none \
		-o "$o" "$MODS/kpatch-pkg-v1.ko" > /dev/null
	r=$BATS_TEST_TMPDIR/root
	mkdir -p "$r"
	rpm --root "$r" --dbpath /var/lib/rpm --initdb
	# the tools need libc and friends from the host system: only the
	# patch package's own dependencies on kpatch-tools are checked
	rpm --root "$r" --dbpath /var/lib/rpm -i --nodeps --noscripts "$rpm_tools" 2>/dev/null
	run rpm --root "$r" --dbpath /var/lib/rpm -i --test "$o/$(rpm_of 1-1)"
	# The scratch root has no shell, so the scriptlets' /bin/sh is the one
	# dependency left unmet (and rpm fails for it): nothing else may be.
	if [ "$status" -ne 0 ]; then
		needed=$(awk '$2 == "is" && $3 == "needed" { print $1 }' <<< "$output" | sort -u | tr '\n' ' ')
		errors=$(grep '^error:' <<< "$output" | grep -vx 'error: Failed dependencies:' || true)
		[ "$needed" = "/bin/sh " ] && [ -z "$errors" ] || fail "rpm -i --test: $output"
	fi
}

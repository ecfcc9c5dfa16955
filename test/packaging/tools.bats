#!/usr/bin/env bats
# make rpm and make deb: the tools' own packages, from a 'make install' of a
# copy of the tree, read back and unpacked into a scratch root.
# shellcheck source=helpers.bash
source "$BATS_TEST_DIRNAME/helpers.bash"

setup_file() {
	# shellcheck source=helpers.bash
	source "$BATS_TEST_DIRNAME/helpers.bash"
	export TOOLS_OUT=$BATS_FILE_TMPDIR/tools
	mkdir -p "$TOOLS_OUT"
	"$TOP/packaging/build-tool-package" rpm "$TOOLS_OUT" > "$TOOLS_OUT/rpm.log" 2>&1 || true
	"$TOP/packaging/build-tool-package" deb "$TOOLS_OUT" > "$TOOLS_OUT/deb.log" 2>&1 || true
}

setup() {
	version=$(sed -n 's/^VERSION[[:space:]]*=[[:space:]]*//p' "$TOP/kpatch/Makefile")
	rpm=$TOOLS_OUT/kpatch-$version-1.x86_64.rpm
	deb=$TOOLS_OUT/kpatch_$version-1_amd64.deb
}

# The tests after the build tests need its package; the build test fails.
need() { [ -f "$1" ] || skip "$(basename "$1") was not built (see the make ${1##*.} test)"; }

# What the tools package must hold, wherever the file list says so.
WANT="/usr/sbin/kpatch
/usr/bin/kpatch-build
/usr/bin/kpatch-package
/usr/libexec/kpatch/create-diff-object
/usr/share/kpatch/patch/Kbuild
/usr/share/kpatch/patch/kpatch.lds
/usr/share/kpatch/patch/patch-hook.c
/usr/share/kpatch/core/Kbuild
/usr/share/kpatch/core/core.c
/usr/share/kpatch/include/kpatch-abi.h
/usr/share/kpatch/packaging/patch.spec.in
/usr/share/kpatch/packaging/post.sh
/usr/share/man/man1/kpatch.1.gz
/usr/share/man/man1/kpatch-build.1.gz
/usr/share/man/man1/kpatch-package.1.gz
/lib/systemd/system/kpatch.service
/usr/share/bash-completion/completions/kpatch
/usr/share/bash-completion/completions/kpatch-build
/var/lib/kpatch"

@test "make rpm builds kpatch-VERSION-1.x86_64.rpm" {
	[ -f "$rpm" ] || fail "$(tail -n 20 "$TOOLS_OUT/rpm.log")"
	[ "$(tail -n 1 "$TOOLS_OUT/rpm.log")" = "$rpm" ]
	run rpm -qp --qf '%{NAME} %{VERSION} %{RELEASE} %{ARCH}\n' "$rpm"
	[ "$output" = "kpatch $version 1 x86_64" ]
}

@test "the tools RPM holds the commands, template, core sources, headers, man pages, kpatch.service" {
	need "$rpm"
	list=$(rpm -qp --list "$rpm")
	while read -r f; do
		grep -qxF "$f" <<< "$list" || fail "$f is not in the RPM"
	done <<< "$WANT"
	# no build output, no path of the build machine
	leaked=$(grep -E '\.(o|ko|cmd)$|/build/|/work/' <<< "$list") && fail "build output in the RPM: $leaked"
	run rpm -qp --qf '[%{FILEMODES:perms} %{FILENAMES}\n]' "$rpm"
	[[ "$output" == *"-rwxr-xr-x /usr/sbin/kpatch"* ]]
	[[ "$output" == *"-rwxr-xr-x /usr/bin/kpatch-package"* ]]
}

@test "the tools RPM requires what kpatch-build and kpatch run" {
	need "$rpm"
	run rpm -qp --requires "$rpm"
	for r in bash gcc make binutils kmod; do
		printf '%s\n' "${lines[@]}" | grep -qx "$r" || fail "no Requires: $r"
	done
	printf '%s\n' "${lines[@]}" | grep -q '^libelf.so.1'
	printf '%s\n' "${lines[@]}" | grep -q '^libZydis.so.4.0'
}

@test "make deb builds kpatch_VERSION-1_amd64.deb with the same files" {
	[ -f "$deb" ] || fail "$(tail -n 20 "$TOOLS_OUT/deb.log")"
	run dpkg-deb --info "$deb"
	[[ "$output" == *" Package: kpatch"* ]]
	[[ "$output" == *" Version: $version-1"* ]]
	[[ "$output" == *" Depends: libc6, libelf1, zlib1g, libkmod2, liblzma5, libzstd1, libzydis4.0, bash, kmod, gcc, make, binutils"* ]]
	need "$rpm"
	deb_files=$(dpkg-deb --contents "$deb" | awk '$1 !~ /^d/ { print substr($6, 2) }' | sort)
	rpm_files=$(rpm -qp --qf '[%{FILEMODES:perms} %{FILENAMES}\n]' "$rpm" | awk '$1 !~ /^d/ { print $2 }' | sort)
	[ "$deb_files" = "$rpm_files" ] || fail "$(diff <(echo "$rpm_files") <(echo "$deb_files"))"
}

@test "the tools deb unpacks into a scratch root where everything runs from its place" {
	need "$deb"
	r=$BATS_TEST_TMPDIR/root
	mkdir -p "$r/var/lib/dpkg/info" "$r/var/lib/dpkg/updates"
	touch "$r/var/lib/dpkg/status"
	dpkg --root="$r" --force-depends --unpack "$deb" > /dev/null
	while read -r f; do
		[ -e "$r$f" ] || fail "$f did not land"
	done <<< "$WANT"
	"$r/usr/sbin/kpatch" version
	grep -q "ExecStart=/usr/sbin/kpatch load --all" "$r/lib/systemd/system/kpatch.service"
	grep -qx 'INSTALLED_TEMPLATEDIR=/usr/share/kpatch/packaging' "$r/usr/bin/kpatch-package"
	KPATCH_PACKAGE_TEMPLATES=$r/usr/share/kpatch/packaging "$r/usr/bin/kpatch-package" --help > /dev/null
}

@test "the patch packages' dependency is satisfied by the tools package" {
	need "$rpm"
	o=$BATS_TEST_TMPDIR/o
	mkdir -p "$o"
	"$KPKG" -V 1 -f rpm -o "$o" "$MODS/kpatch-pkg-v1.ko" > /dev/null
	r=$BATS_TEST_TMPDIR/root
	mkdir -p "$r"
	rpm --root "$r" --dbpath /var/lib/rpm --initdb
	# the tools need libc and friends from the host system: only the
	# patch package's own dependency on kpatch is checked
	rpm --root "$r" --dbpath /var/lib/rpm -i --nodeps --noscripts "$rpm" 2>/dev/null
	run rpm --root "$r" --dbpath /var/lib/rpm -i --test "$o/$(rpm_of 1-1)"
	# The scratch root has no shell, so the scriptlets' /bin/sh is the one
	# dependency left unmet (and rpm fails for it): nothing else may be.
	if [ "$status" -ne 0 ]; then
		needed=$(awk '$2 == "is" && $3 == "needed" { print $1 }' <<< "$output" | sort -u | tr '\n' ' ')
		errors=$(grep '^error:' <<< "$output" | grep -vx 'error: Failed dependencies:' || true)
		[ "$needed" = "/bin/sh " ] && [ -z "$errors" ] || fail "rpm -i --test: $output"
	fi
}

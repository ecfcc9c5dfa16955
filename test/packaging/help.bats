#!/usr/bin/env bats
# kpatch-package's help, version and man page.
# shellcheck source=helpers.bash
source "$BATS_TEST_DIRNAME/helpers.bash"

@test "--help: usage on stdout, status 0" {
	run "$KPKG" --help
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "Usage: kpatch-package -V VERSION [options] MODULE.ko" ]
	[[ "$output" == *"--package-version"* ]]
	[[ "$output" == *"kpatch-build -n"* ]]
}

@test "--version" {
	run "$KPKG" --version
	[ "$status" -eq 0 ]
	[[ "$output" =~ ^kpatch-package\ [0-9]+\.[0-9]+\.[0-9]+$ ]]
}

@test "every option in --help is in the man page" {
	opts=$("$KPKG" --help | grep -oE -- '--[a-z-]+' | sort -u)
	[ -n "$opts" ]
	for o in $opts; do
		grep -qF -- "${o//-/\\-}" "$TOP/man/kpatch-package.1" || fail "$o is not in the man page"
	done
}

@test "the man page renders without a warning (groff -ww)" {
	run groff -ww -man -Tutf8 "$TOP/man/kpatch-package.1"
	[ "$status" -eq 0 ]
	[[ "$output" != *warning* ]]
	[[ "$output" == *KPATCH-PACKAGE* ]]
	man -l "$TOP/man/kpatch-package.1" > /dev/null 2>&1 || true
	err=$(groff -ww -man -Tutf8 "$TOP/man/kpatch-package.1" 2>&1 >/dev/null)
	[ -z "$err" ] || fail "$err"
}

@test "make -C packaging install puts the command and its templates in place, and it runs from there" {
	d=$BATS_TEST_TMPDIR/inst
	make -s -C "$TOP/packaging" install PREFIX=/usr BINDIR=/usr/bin DATADIR=/usr/share/kpatch DESTDIR="$d"
	[ -x "$d/usr/bin/kpatch-package" ]
	for t in patch.spec.in control.in postinst.in prerm.in post.sh erase.sh; do
		[ -f "$d/usr/share/kpatch/packaging/$t" ] || fail "no $t"
	done
	grep -qx 'INSTALLED_TEMPLATEDIR=/usr/share/kpatch/packaging' "$d/usr/bin/kpatch-package"
	# the installed command, pointed at the staged templates, builds packages
	mkdir "$BATS_TEST_TMPDIR/o"
	KPATCH_PACKAGE_TEMPLATES=$d/usr/share/kpatch/packaging \
		"$d/usr/bin/kpatch-package" -V 1 -o "$BATS_TEST_TMPDIR/o" "$MODS/kpatch-pkg-v1.ko"
	[ "$(compgen -G "$BATS_TEST_TMPDIR/o/*" | wc -l)" -eq 2 ]
}

@test "the installed command names the template it misses where it was installed to look" {
	# A DATADIR no host has, staged elsewhere: the command looks there.
	d=$BATS_TEST_TMPDIR/inst nowhere=$BATS_TEST_TMPDIR/nowhere/share/kpatch
	make -s -C "$TOP/packaging" install PREFIX=/usr BINDIR=/usr/bin DATADIR="$nowhere" DESTDIR="$d"
	[ ! -e "$nowhere" ]
	mkdir "$BATS_TEST_TMPDIR/o"
	run "$d/usr/bin/kpatch-package" -V 1 -o "$BATS_TEST_TMPDIR/o" "$MODS/kpatch-pkg-v1.ko"
	[ "$status" -eq 1 ]
	[ "$output" = "kpatch-package: template $nowhere/packaging/patch.spec.in is missing (KPATCH_PACKAGE_TEMPLATES)" ]
	[ -z "$(ls -A "$BATS_TEST_TMPDIR/o")" ]
}

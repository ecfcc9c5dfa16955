#!/usr/bin/env bats
# lintian and rpmlint on every package the project builds: the tools'
# (kpatch-tools, kpatch-buildtools), kpatch-dkms, and patch packages in
# their variants (CVEs and patches named, not replacing, carrying the
# core).  No error may remain, and every warning left must be one that
# packaging/README.md lists with its reason.  The RPMs are signed with a
# throwaway key first, as kpatch-publish signs them, and rpmlint checks
# the signatures against it.
# shellcheck source=helpers.bash
source "$BATS_TEST_DIRNAME/helpers.bash"

setup_file() {
	# shellcheck source=helpers.bash
	source "$BATS_TEST_DIRNAME/helpers.bash"
	local f=$BATS_FILE_TMPDIR p
	mkdir -p "$f/pkgs" "$f/gnupg" "$f/home"
	chmod 700 "$f/gnupg"
	export GNUPGHOME=$f/gnupg
	tool_packages "$f/pkgs"
	{
		"$TOP/packaging/build-dkms-package" deb "$f/pkgs"
		"$TOP/packaging/build-dkms-package" rpm "$f/pkgs"
		"$KPKG" -V 1 -c CVE-2024-1086 -p "$TOP/test/packaging/modules/fix.patch" \
			-o "$f/pkgs" "$MODS/kpatch-pkg-v1.ko"
		"$KPKG" -V 2 --core "$PKG_BUILD/payload/core/kpatch.ko" -o "$f/pkgs" "$MODS/kpatch-pkg-v2.ko"
		"$KPKG" -V 3 --kernel-package none -o "$f/pkgs" "$MODS/kpatch-pkg-v3.ko"
	} > "$f/build.log" 2>&1
	# The key, and an rpm database that trusts it, for rpmlint (which
	# reads the database of ~/.rpmmacros' %_dbpath).
	gpg --batch --passphrase '' --quick-gen-key 'kpatch lint test <lint@kpatch.invalid>' \
		rsa2048 sign never > "$f/gpg.log" 2>&1
	gpg --batch --armor --export lint@kpatch.invalid > "$f/key.asc"
	rpm --dbpath "$f/rpmdb" --initdb
	rpm --dbpath "$f/rpmdb" --import "$f/key.asc"
	echo "%_dbpath $f/rpmdb" > "$f/home/.rpmmacros"
	for p in "$f"/pkgs/*.rpm; do
		rpmsign --define "_gpg_name lint@kpatch.invalid" --define "__gpg $(command -v gpg)" \
			--addsign "$p" >> "$f/gpg.log" 2>&1
	done
}

setup() {
	F=$BATS_FILE_TMPDIR
}

# The tags packaging/README.md's table of remaining warnings names.
documented() {
	# shellcheck disable=SC2016
	sed -n 's/^| `\([^`]*\)` | \(lintian\|rpmlint\) |.*/\1/p' "$TOP/packaging/README.md" | sort -u
}

# TOOL OUTPUT: fail on an error, or on a warning README does not list.
judge() {
	local tool=$1 out=$2 errors tags undocumented
	echo "$out"
	case $tool in
	lintian) errors=$(grep '^E: ' <<< "$out" || true)
		 tags=$(sed -n 's/^W: [^:]*: \([^ ]*\).*/\1/p' <<< "$out" | sort -u) ;;
	rpmlint) errors=$(grep ': E: ' <<< "$out" || true)
		 tags=$(sed -n 's/^[^ ]*: W: \([^ ]*\).*/\1/p' <<< "$out" | sort -u) ;;
	esac
	[ -z "$errors" ] || { fail "$tool errors: $errors"; return; }
	undocumented=$(comm -23 <(echo "$tags" | sed '/^$/d') <(documented))
	[ -z "$undocumented" ] || { fail "$tool warnings not listed in packaging/README.md: $undocumented"; return; }
}

@test "every package was built" {
	v=$(sed -n 's/^VERSION[[:space:]]*=[[:space:]]*//p' "$TOP/kpatch/Makefile")
	for p in "kpatch-tools_${v}-1_amd64.deb" "kpatch-buildtools_${v}-1_amd64.deb" "kpatch-dkms_${v}-1_all.deb" \
		"kpatch-tools-${v}-1.x86_64.rpm" "kpatch-buildtools-${v}-1.x86_64.rpm" "kpatch-dkms-${v}-1.noarch.rpm" \
		"$(deb_of 1-1)" "$(deb_of 2-1)" "$(deb_of 3-1)" "$(rpm_of 1-1)" "$(rpm_of 2-1)" "$(rpm_of 3-1)"; do
		[ -f "$F/pkgs/$p" ] || fail "$p was not built: $(cat "$F/build.log")"
	done
	# and every RPM is signed by the key rpmlint checks against
	for p in "$F"/pkgs/*.rpm; do
		run rpm --dbpath "$F/rpmdb" -K "$p"
		[[ "$output" == *"digests signatures OK"* ]] || fail "$output"
	done
}

@test "lintian: no error on the tools' .debs and kpatch-dkms, only the warnings README lists" {
	command -v lintian >/dev/null || fail "lintian is missing (make deps)"
	out=$(lintian --tag-display-limit 0 "$F"/pkgs/kpatch-tools_*.deb "$F"/pkgs/kpatch-buildtools_*.deb \
		"$F"/pkgs/kpatch-dkms_*.deb 2>&1) || true
	judge lintian "$out"
}

@test "lintian: no error on the patch packages, only the warnings README lists" {
	command -v lintian >/dev/null || fail "lintian is missing (make deps)"
	out=$(lintian --tag-display-limit 0 "$F"/pkgs/kpatch-patch-*.deb 2>&1) || true
	judge lintian "$out"
}

@test "rpmlint: no error on the tools' RPMs and kpatch-dkms, only the warnings README lists" {
	command -v rpmlint >/dev/null || fail "rpmlint is missing (make deps)"
	out=$(HOME=$F/home rpmlint "$F"/pkgs/kpatch-tools-*.rpm "$F"/pkgs/kpatch-buildtools-*.rpm \
		"$F"/pkgs/kpatch-dkms-*.rpm 2>&1) || true
	judge rpmlint "$out"
}

@test "rpmlint: no error on the patch packages, only the warnings README lists" {
	command -v rpmlint >/dev/null || fail "rpmlint is missing (make deps)"
	# (kpatch-patch.rpmlintrc: rpmlint takes kernel modules outside
	# /lib/modules for programs)
	out=$(HOME=$F/home rpmlint -r "$TOP/packaging/kpatch-patch.rpmlintrc" "$F"/pkgs/kpatch-patch-*.rpm 2>&1) || true
	judge rpmlint "$out"
}

@test "the judge fails an error and an unlisted warning" {
	run judge lintian "E: kpatch-tools: no-copyright-file"
	[ "$status" -ne 0 ]
	run judge lintian "W: kpatch-tools: some-new-warning [x]"
	[ "$status" -ne 0 ]
	run judge rpmlint "kpatch-tools.x86_64: E: no-signature"
	[ "$status" -ne 0 ]
	run judge rpmlint "kpatch-tools.x86_64: W: some-new-warning"
	[ "$status" -ne 0 ]
}

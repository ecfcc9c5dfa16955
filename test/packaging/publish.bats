#!/usr/bin/env bats
# kpatch-publish's bad input: each refused with one line, the repository as
# its clients saw it.  (fleet.bats has the round trips.)
# shellcheck source=helpers.bash
source "$BATS_TEST_DIRNAME/helpers.bash"

PUBLISH=$TOP/packaging/kpatch-publish

setup_file() {
	# shellcheck source=helpers.bash
	source "$BATS_TEST_DIRNAME/helpers.bash"
	local f=$BATS_FILE_TMPDIR
	mkdir -p "$f/a" "$f/b" "$f/gnupg"
	chmod 700 "$f/gnupg"
	"$KPKG" -V 1 -o "$f/a" "$MODS/kpatch-pkg-v1.ko" > /dev/null 2>&1
	"$KPKG" -V 2 -f deb -o "$f/a" "$MODS/kpatch-pkg-v2.ko" > /dev/null
	# the same file name, other contents
	"$KPKG" -V 1 -c CVE-2024-0001 -f deb -o "$f/b" "$MODS/kpatch-pkg-v1.ko" > /dev/null
	GNUPGHOME=$f/gnupg gpg --batch --passphrase '' --quick-gen-key 'publish test <publish@kpatch.invalid>' \
		rsa2048 sign never > /dev/null 2>&1
}

setup() {
	F=$BATS_FILE_TMPDIR
	export GNUPGHOME=$F/gnupg
	R=$BATS_TEST_TMPDIR/repo
	deb=$F/a/$(deb_of 1-1)
	rpm=$F/a/$(rpm_of 1-1)
}

# The repository's files and their checksums: what its clients see.
snapshot() { (cd "$R" && find . -type f -print0 | sort -z | xargs -0 sha256sum); }

@test "usage errors: status 2 and a pointer to --help" {
	run "$PUBLISH"
	[ "$status" -eq 2 ]
	[ "${lines[0]}" = "kpatch-publish: no repository format given: apt or yum" ]
	[ "${lines[1]}" = "Try 'kpatch-publish --help'." ]
	run "$PUBLISH" zypper "$R" "$deb"
	[ "$status" -eq 2 ]
	[ "${lines[0]}" = "kpatch-publish: unknown repository format 'zypper': apt or yum" ]
	run "$PUBLISH" apt "$R"
	[ "$status" -eq 2 ]
	[ "${lines[0]}" = "kpatch-publish: no package given" ]
	[ ! -e "$R" ]
}

@test "a package of the other format is refused before the repository is touched" {
	run "$PUBLISH" apt "$R" "$rpm"
	[ "$status" -eq 1 ]
	[ "$output" = "kpatch-publish: $rpm is not a Debian package (.deb)" ]
	run "$PUBLISH" yum "$R" "$deb"
	[ "$status" -eq 1 ]
	[ "$output" = "kpatch-publish: $deb is not an RPM package (.rpm)" ]
	[ ! -e "$R" ]
}

@test "the same package again is no change; another file under its name is refused" {
	"$PUBLISH" apt "$R" "$deb" > /dev/null
	before=$(snapshot)
	# (a rewritten Release would carry a later Date)
	sleep 1
	run "$PUBLISH" apt "$R" "$deb"
	[ "$status" -eq 0 ]
	[[ "$output" == *"$(basename "$deb") is in the repository already"* ]]
	[[ "$output" == *"no package added; the repository is unchanged"* ]]
	[ "$(snapshot)" = "$before" ]
	run "$PUBLISH" apt "$R" "$F/b/$(deb_of 1-1)"
	[ "$status" -eq 1 ]
	[ "$output" = "kpatch-publish: $R/pool/main/$(deb_of 1-1) exists and differs from $F/b/$(deb_of 1-1): publish a changed package under a new version" ]
	[ "$(snapshot)" = "$before" ]
	[ -z "$(find "$R" -name '.kpatch-publish.*')" ]
}

@test "a signed repository is refused an unsigned update; an unknown key is refused" {
	"$PUBLISH" --sign publish@kpatch.invalid apt "$R" "$deb" > /dev/null
	before=$(snapshot)
	run "$PUBLISH" apt "$R" "$F/b/$(deb_of 1-1)"
	[ "$status" -eq 1 ]
	[ "$output" = "kpatch-publish: $R is signed, and its clients check that: publish with --sign KEY" ]
	run "$PUBLISH" --sign nobody@kpatch.invalid apt "$R" "$deb"
	[ "$status" -eq 1 ]
	[[ "$output" == "kpatch-publish: GnuPG has no secret key 'nobody@kpatch.invalid'"* ]]
	[ "$(snapshot)" = "$before" ]
}

@test "an index that cannot be built leaves the repository as it was" {
	"$PUBLISH" apt "$R" "$deb" > /dev/null
	before=$(snapshot)
	# apt-ftparchive failing, as on a full disk
	mkdir -p "$BATS_TEST_TMPDIR/bin"
	printf '#!/bin/sh\necho "apt-ftparchive: failing for the test" >&2\nexit 1\n' > "$BATS_TEST_TMPDIR/bin/apt-ftparchive"
	chmod +x "$BATS_TEST_TMPDIR/bin/apt-ftparchive"
	PATH=$BATS_TEST_TMPDIR/bin:$PATH run "$PUBLISH" apt "$R" "$F/a/$(deb_of 2-1)"
	[ "$status" -eq 1 ]
	[ "$output" = "kpatch-publish: apt-ftparchive packages failed: apt-ftparchive: failing for the test" ]
	[ "$(snapshot)" = "$before" ]
	[ ! -e "$R/pool/main/$(deb_of 2-1)" ]
	[ -z "$(find "$R" -name '.kpatch-publish.*')" ]
}

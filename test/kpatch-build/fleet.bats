#!/usr/bin/env bats
# kpatch-build-fleet's command line, man page and the kernels it cannot
# build, without downloading or building anything (apt's lists answer);
# the suite full-fleet fetches and builds real Debian kernels.

MAN=$BATS_TEST_DIRNAME/../../man/kpatch-build-fleet.1

setup() {
	TOP=$(cd "$BATS_TEST_DIRNAME/../.." && pwd)
	KBF=$TOP/kpatch-build/kpatch-build-fleet
	T=$(mktemp -d)
	export KPATCH_FLEET_CACHE=$T/fleet KPATCH_CACHE=$T/cache
	printf -- '--- a/x.c\n+++ b/x.c\n@@ -1 +1 @@\n-a\n+b\n' > "$T/p.patch"
}
teardown() { rm -rf "$T"; }

@test "fleet: --help and the man page list the same options" {
	help=$("$KBF" --help | grep -oE -- '--[a-z][a-z-]*' | sort -u)
	man=$(sed 's/\\-/-/g' "$MAN" | grep -oE -- '--[a-z][a-z-]*' | sort -u)
	echo "help: $help"; echo "man: $man"
	[ "$help" = "$man" ]
	hs=$("$KBF" --help | grep -oE '^  -[a-zA-Z],' | tr -d ' ,' | sort -u)
	ms=$(sed -n 's/^\.B[IR] \\-\([a-zA-Z]\) ".*/-\1/p' "$MAN" | sort -u)
	echo "help: $hs"; echo "man: $ms"
	[ "$hs" = "$ms" ]
}

@test "fleet: the man page is groff -ww clean" {
	command -v groff >/dev/null || skip "groff is missing"
	out=$(LC_ALL=C groff -ww -man -Tutf8 "$MAN" 2>&1 >/dev/null)
	echo "$out"
	[ -z "$out" ]
}

@test "fleet: no kernel, no patch, a bad --parallel are usage errors" {
	run "$KBF" "$T/p.patch"
	[ "$status" -eq 2 ]
	[[ "$output" == *"no kernel given"* ]]
	run "$KBF" -k 6.1.0-57-cloud-amd64
	[ "$status" -eq 2 ]
	[[ "$output" == *"no patch given"* ]]
	run "$KBF" -P 0 -k 6.1.0-57-cloud-amd64 "$T/p.patch"
	[ "$status" -eq 2 ]
	[[ "$output" == *"--parallel wants a positive number"* ]]
	run "$KBF" -c CVE-2024-1 -k 6.1.0-57-cloud-amd64 "$T/p.patch"
	[ "$status" -eq 2 ]
	[[ "$output" == *"--cve is for --package"* ]]
	[ ! -e "$T/fleet" ]
}

@test "fleet: an unreadable patch is named before anything is fetched" {
	run "$KBF" -o "$T/out" -k 6.1.0-57-cloud-amd64 "$T/nope.patch"
	[ "$status" -eq 1 ]
	[[ "$output" == *"ERROR: cannot read the patch $T/nope.patch"* ]]
	[ ! -e "$T/fleet" ]
}

@test "fleet: a distribution that cannot fetch kernels is refused" {
	KPATCH_DISTRO=rhel run "$KBF" -o "$T/out" -k 5.14.0-427.el9.x86_64 "$T/p.patch"
	[ "$status" -eq 1 ]
	[[ "$output" == *"RHEL kernels cannot be fetched"* ]]
}

@test "fleet: a release the archive does not have is unavailable, in the table and the report" {
	command -v apt-cache >/dev/null || skip "not a Debian system"
	run "$KBF" -o "$T/out" -k 6.1.0-999-cloud-amd64 "$T/p.patch"
	echo "$output"
	[ "$status" -eq 1 ]
	[[ "$output" == *"6.1.0-999-cloud-amd64            unavailable    the archive has no linux-image-6.1.0-999-cloud-amd64"* ]]
	[[ "$output" == *"0 built, 1 failed, 0 skipped"* ]]
	[ "$(cut -f1,2 "$T/out/report")" = "$(printf '6.1.0-999-cloud-amd64\tunavailable')" ]
	# nothing was downloaded for it
	[ -z "$(find "$T/fleet" -name '*.deb')" ]
	[ ! -e "$T/fleet/6.1.0-999-cloud-amd64/root" ]
}

#!/usr/bin/env bats
# build-kernel: bad input never leaves a cache entry that looks finished.

setup() {
	BUILD="$BATS_TEST_DIRNAME/../kernel/build-kernel"
	scratch=$(mktemp -d)
	export KPATCH_TEST_CACHE="$scratch/cache"
}

teardown() {
	rm -rf "$scratch"
}

@test "a missing source tarball names the package" {
	KPATCH_KERNEL_TARBALL="$scratch/none.tar.xz" run "$BUILD"
	[ "$status" -eq 1 ]
	[[ "$output" == *"kernel source $scratch/none.tar.xz is missing"* ]]
	[[ "$output" == *"apt-get install linux-source-6.1"* ]]
}

@test "a corrupt tarball stops with one line and leaves no cache entry" {
	head -c 100000 /usr/src/linux-source-6.1.tar.xz > "$scratch/broken.tar.xz"
	KPATCH_KERNEL_TARBALL="$scratch/broken.tar.xz" run "$BUILD"
	[ "$status" -eq 1 ]
	[[ "$output" == *"cannot extract $scratch/broken.tar.xz (corrupt or truncated?)"* ]]
	[ -z "$(find "$KPATCH_TEST_CACHE/kernel" -mindepth 1 -maxdepth 1 -type d)" ]
}

@test "--query on an empty cache builds nothing and fails" {
	run "$BUILD" --query
	[ "$status" -eq 1 ]
	[ -z "$(find "$KPATCH_TEST_CACHE" -mindepth 2 -maxdepth 2 -type d 2>/dev/null)" ]
}

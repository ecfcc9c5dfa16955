#!/usr/bin/env bats
# build-kernel: bad input never leaves a cache entry that looks finished,
# and concurrent callers for one kernel build it once (the lock per cache
# entry that make check's background builds rely on); prebuild, which
# runs those, stops all of a build when the run ends.

setup() {
	BUILD="$BATS_TEST_DIRNAME/../kernel/build-kernel"
	PREBUILD="$BATS_TEST_DIRNAME/../kernel/prebuild"
	# The 6.1 test kernel of the caller's cache, if built: a real finished
	# tree for the waiter to find (make check builds it in unit-cdo).
	real_tree=$("$BUILD" --query 2>/dev/null) || real_tree=
	scratch=$(mktemp -d)
	export KPATCH_TEST_CACHE="$scratch/cache"
	head -c 100000 /usr/src/linux-source-6.1.tar.xz > "$scratch/broken.tar.xz"
	holder=
}

teardown() {
	[ -z "$holder" ] || kill "$holder" 2>/dev/null || true
	rm -rf "$scratch"
}

# The lock of the 6.1 kernel's cache entry, as build-kernel names it: a
# first call, which fails on the truncated tarball, creates it.
lock_path() {
	KPATCH_KERNEL_TARBALL="$scratch/broken.tar.xz" "$BUILD" 2>/dev/null && return 1
	local locks=("$KPATCH_TEST_CACHE"/kernel/*.lock)
	[ ${#locks[@]} -eq 1 ] && [ -f "${locks[0]}" ] && echo "${locks[0]}"
}

# Hold LOCK in a process of its own (another build, as far as build-kernel
# can tell) until the test kills it; return once it is held.
hold_lock() {
	bash -c 'exec 8>"$1" && flock 8 && exec sleep 600' _ "$1" >/dev/null 2>&1 3>&- &
	holder=$!
	for _ in $(seq 50); do
		flock -n "$1" true || return 0
		sleep 0.1
	done
	return 1
}

# Start build-kernel in the background with the truncated tarball (a caller
# that gets to extracting fails at once instead of building), its stderr
# in $scratch/err.
start_waiter() {
	KPATCH_KERNEL_TARBALL="$scratch/broken.tar.xz" "$BUILD" \
		>"$scratch/out" 2>"$scratch/err" 3>&- &
	waiter=$!
}

# Wait up to 10 s until the build logging to $1 has started to extract
# the source; fails if it has not.
until_extracting() {
	for _ in $(seq 100); do
		grep -q extracting "$1" && return 0
		sleep 0.1
	done
	return 1
}

# Let go of the held lock; the waiter must then end within 20 s: its exit
# status in $status.
release_lock() {
	kill "$holder"
	status=0
	timeout 20 tail --pid="$waiter" -f /dev/null || status=$?
	[ "$status" -eq 0 ]
	wait "$waiter" || status=$?
}

@test "a missing source tarball names the package" {
	KPATCH_KERNEL_TARBALL="$scratch/none.tar.xz" run "$BUILD"
	[ "$status" -eq 1 ]
	[[ "$output" == *"kernel source $scratch/none.tar.xz is missing"* ]]
	[[ "$output" == *"apt-get install linux-source-6.1"* ]]
}

@test "a corrupt tarball stops with one line and leaves no cache entry" {
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

@test "a caller waits while another build of its kernel holds the lock, then builds it itself if that one left no tree" {
	lock=$(lock_path)
	hold_lock "$lock"
	start_waiter
	sleep 2
	# Still waiting: it has not started to extract.
	kill -0 "$waiter"
	[[ "$(cat "$scratch/err")" == *"waiting for another build of $(basename "$lock" .lock)"* ]]
	[[ "$(cat "$scratch/err")" != *extracting* ]]
	release_lock
	[ "$status" -eq 1 ]
	[[ "$(cat "$scratch/err")" == *"did not finish; building it here"* ]]
	[[ "$(cat "$scratch/err")" == *"cannot extract"* ]]
}

@test "a caller that waited takes the tree the other build finished" {
	[ -n "$real_tree" ] || skip "no built 6.1 test kernel to finish the build with (test/kernel/build-kernel)"
	lock=$(lock_path)
	key=$(basename "$lock" .lock)
	[ "$key" = "$(basename "$real_tree")" ]
	hold_lock "$lock"
	start_waiter
	sleep 1
	kill -0 "$waiter"
	# What the other build does last: its finished tree into place (here
	# the real one, linked), then its lock goes with its process.
	ln -s "$real_tree" "$KPATCH_TEST_CACHE/kernel/.$key.done"
	mv -T "$KPATCH_TEST_CACHE/kernel/.$key.done" "$KPATCH_TEST_CACHE/kernel/$key"
	release_lock
	[ "$status" -eq 0 ]
	[ "$(cat "$scratch/out")" = "$KPATCH_TEST_CACHE/kernel/$key" ]
	[[ "$(cat "$scratch/err")" == *"waited "*" s for the other build"* ]]
	[[ "$(cat "$scratch/err")" != *extracting* ]]
}

@test "a held lock blocks neither --query nor another kernel's build" {
	lock=$(lock_path)
	hold_lock "$lock"
	run timeout 20 "$BUILD" --query
	[ "$status" -eq 1 ]
	KPATCH_KERNEL_TARBALL="$scratch/broken.tar.xz" run timeout 20 "$BUILD" --debug
	[ "$status" -eq 1 ]
	[[ "$output" == *"cannot extract"* ]]
	[[ "$output" != *waiting* ]]
}

@test "a build killed outright leaves no lock behind" {
	# A real build of the 6.1 kernel, in a process group of its own so
	# that all of it dies at once, as on Ctrl-C or a killed CI job.
	setsid "$BUILD" >/dev/null 2>"$scratch/first" 3>&- &
	first=$!
	until_extracting "$scratch/first"
	kill -KILL -- "-$first"
	wait "$first" || true
	KPATCH_KERNEL_TARBALL="$scratch/broken.tar.xz" run timeout 20 "$BUILD"
	[ "$status" -eq 1 ]
	[[ "$output" == *"cannot extract"* ]]
	[[ "$output" != *waiting* ]]
}

@test "prebuild stops the build in progress, all its processes, on SIGTERM" {
	"$PREBUILD" 6.1 >/dev/null 2>"$scratch/prebuild" 3>&- &
	prebuild=$!
	until_extracting "$scratch/prebuild"
	# build-kernel, the leader of the build's process group.
	build=$(pgrep -P "$prebuild")
	kill -TERM "$prebuild"
	# At once, not once tar has extracted the whole source.
	status=0
	timeout 10 tail --pid="$prebuild" -f /dev/null || status=$?
	[ "$status" -eq 0 ]
	wait "$prebuild" || status=$?
	[ "$status" -eq 143 ]
	# None of its group is left but the dead (a zombie xz that tar, killed,
	# left to init to reap).
	[ -z "$(ps -eo pgid=,stat=,args= | awk -v g="$build" '$1 == g && $2 !~ /^Z/')" ]
	[ -z "$(find "$KPATCH_TEST_CACHE/kernel" -mindepth 1 -maxdepth 1 -type d)" ]
	grep -q "stopped (was building 6.1)" "$scratch/prebuild"
}

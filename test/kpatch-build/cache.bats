#!/usr/bin/env bats
# kpatch-build --prune: the caches of kernels not installed, the least
# recently used beyond --keep N or over --max-size, and stale extracted
# sources go; a cache a build is using is never touched.  The caches are
# made by kpatch-build itself, on the fake kernels (each run stops at the
# original build's configuration, after copying the source into its
# cache).

load helpers

good_patch() {
	printf -- '--- a/fs/proc/x.c\n+++ b/fs/proc/x.c\n@@ -1,4 +1,4 @@\n int f(void)\n {\n-\treturn 1;\n+\treturn 2;\n }\n' > "$T/fix.patch"
}

# Two kernel caches: the fake root's running kernel 6.1.0-99-amd64
# (installed there) and the fake 6.1.192-test (not installed), and the
# extracted linux-source tarball.
two_caches() {
	fake_debian_root
	good_patch
	run env KPATCH_ROOT="$R" "$KB" --skip-compiler-check "$T/fix.patch"
	[[ "$output" == *"ERROR: configuring the original kernel failed"* ]]
	run kb_fake "$T/fix.patch"
	[[ "$output" == *"ERROR: configuring the original kernel failed"* ]]
	INSTALLED=$(compgen -G "$KPATCH_CACHE/6.1.0-99-amd64-*")
	OTHER=$(compgen -G "$KPATCH_CACHE/6.1.192-test-*")
	SRC=$(compgen -G "$KPATCH_CACHE/src/linux-source-6.1-*")
	[ -f "$INSTALLED/linux/Makefile" ] && [ -f "$OTHER/linux/Makefile" ] && [ -f "$SRC/Makefile" ]
}

@test "--prune removes the caches of kernels that are not installed" {
	two_caches
	run env KPATCH_ROOT="$R" "$KB" --prune
	echo "$output"
	[ "$status" -eq 0 ]
	[ ! -e "$OTHER" ]
	[ -f "$INSTALLED/linux/Makefile" ]
	[ -f "$SRC/Makefile" ]
	[[ "$output" == *"removed ${OTHER##*/} ("*"B): kernel 6.1.192-test is not installed (no $R/lib/modules/6.1.192-test)"* ]]
	[[ "$output" == *"kept ${INSTALLED##*/} ("* ]]
	[[ "$output" == *"the cache $KPATCH_CACHE now uses "* ]]
}

@test "--prune --keep N keeps the N most recently used kernels' caches" {
	two_caches
	touch -d '2 days ago' "$OTHER/last-used"
	run env KPATCH_ROOT="$R" "$KB" --prune --keep 1
	echo "$output"
	[ "$status" -eq 0 ]
	[ ! -e "$OTHER" ] && [ -d "$INSTALLED" ]
	[[ "$output" == *"removed ${OTHER##*/} ("*"): not among the 1 most recently used"* ]]
	# the one used last survives, installed or not
	run kb_fake "$T/fix.patch"
	[ -d "$OTHER" ]
	touch -d '2 days ago' "$INSTALLED/last-used"
	run env KPATCH_ROOT="$R" "$KB" --prune --keep 1
	[ ! -e "$INSTALLED" ] && [ -d "$OTHER" ]
}

@test "--prune --max-size removes extracted sources first, then the least recently used" {
	two_caches
	touch -d '2 days ago' "$OTHER/last-used"
	# room for the most recently used kernel's cache only
	size=$(( $(du -sb "$INSTALLED" | cut -f1) + $(du -sb "$KPATCH_CACHE" --exclude='6.1*' --exclude='linux-source-*' | cut -f1) ))
	run env KPATCH_ROOT="$R" "$KB" --prune --max-size "$size"
	echo "$output"
	[ "$status" -eq 0 ]
	[ ! -e "$SRC" ] && [ ! -e "$OTHER" ] && [ -d "$INSTALLED" ]
	[ "$(du -sb "$KPATCH_CACHE" | cut -f1)" -le "$size" ]
	[ "$(grep -n 'removed src/' <<<"$output" | cut -d: -f1)" -lt "$(grep -n "removed ${OTHER##*/}" <<<"$output" | cut -d: -f1)" ]
	run env KPATCH_ROOT="$R" "$KB" --prune --max-size 0
	[ ! -e "$INSTALLED" ]
}

@test "--prune removes an extracted source whose tarball has changed" {
	two_caches
	touch -d '1 hour ago' "$R/usr/src/linux-source-6.1.tar.xz"
	run env KPATCH_ROOT="$R" "$KB" --prune
	echo "$output"
	[ ! -e "$SRC" ]
	[[ "$output" == *"removed src/${SRC##*/} ("*"): no source tarball in $R/usr/src matches it"* ]]
	[ -d "$INSTALLED" ]
}

@test "--prune refuses while a build uses the cache" {
	two_caches
	# the lock as a build holds it, from its start to its end
	exec 7>>"$KPATCH_CACHE/lock"
	flock -s 7
	run env KPATCH_ROOT="$R" "$KB" --prune
	exec 7>&-
	echo "$output"
	[ "$status" -eq 1 ]
	[[ "$output" == *"ERROR: kpatch-build is building with $KPATCH_CACHE; prune it when the build is done"* ]]
	[ -d "$OTHER" ]
}

@test "--prune's options are checked" {
	run "$KB" --keep 2
	[ "$status" -eq 2 ]
	[[ "$output" == *"--keep and --max-size go with --prune"* ]]
	run "$KB" --prune --max-size lots
	[ "$status" -eq 2 ]
	[[ "$output" == *"--max-size needs a size such as 20G, not 'lots'"* ]]
	run "$KB" --prune --keep -1
	[ "$status" -eq 2 ]
	run "$KB" --prune "$T/x.patch"
	[ "$status" -eq 2 ]
	[[ "$output" == *"--prune takes no patch"* ]]
}

@test "--prune of a cache that does not exist says so" {
	run "$KB" --prune
	[ "$status" -eq 0 ]
	[[ "$output" == *"there is no cache at $KPATCH_CACHE"* ]]
}

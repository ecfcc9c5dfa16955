#!/usr/bin/env bats
# kpatch-build's messages say what is wrong, not what a later step makes of
# it: the patch is judged before the kernel, a CRLF patch applies as with
# patch(1), a wrong --build-tree is named as such, nothing is said to be
# cached on a cold run, and a fuzzy patch is refused unless accepted.

load helpers

# $T/fix.patch: a patch of the fake source that applies cleanly.
good_patch() {
	printf -- '--- a/fs/proc/x.c\n+++ b/fs/proc/x.c\n@@ -1,4 +1,4 @@\n int f(void)\n {\n-\treturn 1;\n+\treturn 2;\n }\n' > "$T/fix.patch"
}

# A running kernel whose source, config and debug vmlinux are all missing.
bare_debian_root() {
	fake_debian_root
	rm "$R/usr/src/linux-source-6.1.tar.xz" "$R/boot/config-6.1.0-99-amd64" \
		"$R/usr/lib/debug/boot/vmlinux-6.1.0-99-amd64"
}

@test "an empty patch is named first, before the missing kernel pieces" {
	bare_debian_root
	: > "$T/empty.patch"
	run env KPATCH_ROOT="$R" "$KB" "$T/empty.patch"
	echo "$output"
	[ "$status" -eq 1 ]
	[ "$(grep -m1 ERROR <<<"$output")" = "kpatch-build: ERROR: empty.patch is empty" ]
}

@test "a patch that is not a unified diff is named first, before the missing kernel pieces" {
	bare_debian_root
	printf 'Subject: [PATCH] fix\n\nSome words, and no hunk.\n--- \n2.39\n' > "$T/words.patch"
	run env KPATCH_ROOT="$R" "$KB" "$T/words.patch"
	echo "$output"
	[ "$status" -eq 1 ]
	[ "$(grep -m1 ERROR <<<"$output")" = "kpatch-build: ERROR: words.patch is not a unified diff: it has no '--- a/FILE', '+++ b/FILE', '@@ -N,N +N,N @@' lines" ]
	# with a usable patch the same root fails on the kernel pieces only
	good_patch
	run env KPATCH_ROOT="$R" "$KB" "$T/fix.patch"
	[ "$status" -eq 1 ]
	[[ "$output" != *"fix.patch"* ]]
	[[ "$output" == *"ERROR: kernel source for the running kernel (6.1.0-99-amd64) is missing"* ]]
}

@test "a patch with CRLF line ends applies as it does with patch(1)" {
	fake_kernel
	good_patch
	sed 's/$/\r/' "$T/fix.patch" > "$T/crlf.patch"
	(cd "$T/src" && patch -p1 --dry-run < "$T/crlf.patch")
	run kb_fake "$T/crlf.patch"
	echo "$output"
	[ "$status" -eq 1 ]
	[[ "$output" == *"done in "*": Checking that the patch applies"* ]]
	[[ "$output" == *"done in "*": Rewriting the patch to keep line numbers"* ]]
	[[ "$output" != *"does not apply"* ]]
	# the fake kernel stops at the original build's configuration
	[[ "$output" == *"ERROR: configuring the original kernel failed"* ]]
}

@test "an explicit --build-tree that is not a build tree is named as such" {
	fake_kernel
	good_patch
	mkdir "$T/headers"
	: > "$T/headers/Makefile"
	run kb_fake -b "$T/headers" "$T/fix.patch"
	echo "$output"
	[ "$status" -eq 1 ]
	[[ "$output" == *"ERROR: --build-tree $T/headers is not a kernel build tree: it has no Module.symvers"* ]]
	[[ "$output" != *"give --build-tree"* ]]
	run kb_fake -b "$T/nowhere" "$T/fix.patch"
	[[ "$output" == *"ERROR: --build-tree $T/nowhere is not a kernel build tree: it has no Makefile and Module.symvers"* ]]
}

@test "a cold cache is not called cached" {
	fake_kernel
	good_patch
	run kb_fake "$T/fix.patch"
	echo "$output"
	[[ "$output" == *"[3/9] Building the original kernel"* ]]
	[[ "$output" != *cached* ]]
	[[ "$output" == *"copying the source and configuring the original kernel"* ]]
}

# The fake source with a first line that the patch's context does not
# have: patch(1) applies the hunk with fuzz 1, ignoring that line.
drifted_source() {
	printf '/* one */\nint f(void)\n{\n\tint a = 0;\n\treturn a;\n}\n' > "$T/src/fs/proc/x.c"
	printf -- '--- a/fs/proc/x.c\n+++ b/fs/proc/x.c\n@@ -1,6 +1,6 @@\n /* other */\n int f(void)\n {\n-\tint a = 0;\n+\tint a = 1;\n \treturn a;\n }\n' > "$T/fuzzy.patch"
	(cd "$T/src" && patch -p1 --dry-run < "$T/fuzzy.patch") | grep -q 'with fuzz 1'
}

@test "a patch that applies only with fuzz is refused, naming the hunk" {
	fake_kernel
	drifted_source
	run kb_fake "$T/fuzzy.patch"
	echo "$output"
	[ "$status" -eq 1 ]
	[[ "$output" == *"ERROR: fuzzy.patch applies only with fuzz: "*"refresh the patch against this source, or give --accept-fuzz"* ]]
	[[ "$output" == *"fs/proc/x.c hunk #1 at line 1 with fuzz 1"* ]]
	[[ "$output" != *"[2/9]"* ]]
}

@test "--accept-fuzz builds a fuzzy patch, with a warning" {
	fake_kernel
	drifted_source
	run kb_fake --accept-fuzz "$T/fuzzy.patch"
	echo "$output"
	[[ "$output" == *"warning: fuzzy.patch applies only with fuzz (--accept-fuzz): fs/proc/x.c hunk #1 at line 1 with fuzz 1"* ]]
	[[ "$output" == *"done in "*": Rewriting the patch to keep line numbers"* ]]
	[[ "$output" == *"ERROR: configuring the original kernel failed"* ]]
}

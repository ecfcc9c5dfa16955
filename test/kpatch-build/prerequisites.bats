#!/usr/bin/env bats
# Everything kpatch-build needs is checked before it extracts or builds
# anything, and every missing piece is reported at once, each with a
# command that provides it.

load helpers

# A PATH with every command of this one but pahole.
path_without_pahole() {
	local d f
	mkdir -p "$T/bin"
	IFS=: read -ra dirs <<<"$PATH"
	for d in "${dirs[@]}"; do
		for f in "$d"/*; do
			[ "${f##*/}" = pahole ] || [ -e "$T/bin/${f##*/}" ] || ln -s "$f" "$T/bin/${f##*/}"
		done
	done
	echo "$T/bin"
}

@test "every missing prerequisite is named at once, and nothing is extracted or built" {
	fake_debian_root
	local rel=6.1.0-99-amd64
	rm "$R/usr/lib/debug/boot/vmlinux-$rel"
	rm -r "$R/lib/modules/$rel/build"
	echo 'CONFIG_DEBUG_INFO_BTF=y' >> "$R/boot/config-$rel"
	dpkg_status 6.1.192-3
	unset KPATCH_CORE_SYMVERS
	printf -- '--- a/fs/proc/x.c\n+++ b/fs/proc/x.c\n@@ -1,4 +1,4 @@\n int f(void)\n {\n-\treturn 1;\n+\treturn 2;\n }\n' > "$T/fix.patch"
	run env KPATCH_ROOT="$R" PATH="$(path_without_pahole)" "$KB" -o /proc/kpatch-out "$T/fix.patch"
	echo "$output"
	[ "$status" -eq 1 ]
	[[ "$output" == *"ERROR: the kernel source installed is not the running kernel's: $rel is Debian 6.1.192-1, but linux-source-6.1 is 6.1.192-3; kpatch-build needs linux-source-6.1 6.1.192-1: apt-get install linux-source-6.1=6.1.192-1"* ]]
	[[ "$output" == *"ERROR: the running kernel's vmlinux with symbols is missing: it comes with the package linux-image-$rel-dbg (apt-get install linux-image-$rel-dbg)"* ]]
	[[ "$output" == *"ERROR: no kernel build tree for $rel at $R/lib/modules/$rel/build"*"linux-headers-$rel (apt-get install linux-headers-$rel)"* ]]
	[[ "$output" == *"ERROR: the kpatch core module (kpatch.ko) for $rel is not installed"* ]]
	[[ "$output" == *"ERROR: pahole is missing, and the config has CONFIG_DEBUG_INFO_BTF=y: apt-get install dwarves"* ]]
	[[ "$output" == *"ERROR: cannot write the module into /proc/kpatch-out (--output): /proc is not writable"* ]]
	[[ "$output" == *"6 problems, found before building anything; nothing was built"* ]]
	# each once
	[ "$(grep -c 'ERROR: ' <<<"$output")" -eq 6 ]
	[[ "$output" != *extracting* ]]
	[ ! -e "$KPATCH_CACHE" ]
}

@test "the commands named for a missing core module exist and build it" {
	fake_kernel
	unset KPATCH_CORE_SYMVERS
	unapplicable_patch
	run kb_fake "$T/bad.patch"
	echo "$output"
	[ "$status" -eq 1 ]
	line=$(grep 'ERROR: the kpatch core module' <<<"$output")
	# no archive has kpatch-dkms: never "install the package kpatch-dkms"
	[[ "$line" != *"install the package kpatch-dkms"* ]]
	# the core's sources, built with make -C DIR KDIR=BUILDTREE
	dir=$(sed -n "s/.*'make -C \([^ ]*\) KDIR=\([^ ]*\) all install'.*/\1/p" <<<"$line")
	[ -f "$dir/Makefile" ] && [ -f "$dir/core.c" ]
	[[ "$line" == *"KDIR=$T/build all install"* ]]
	# the package, built by the script named, into the directory named
	read -r script format out pkg < <(sed -n 's/.*: \(packaging\/build-dkms-package\) \([a-z]*\) \([^ ]*\) && apt-get install \([^ ]*\) .*/\1 \2 \3 \4/p' <<<"$line")
	[ "$format" = deb ]
	[ "${pkg%/*}" = "$out" ]
	(cd "$TOP" && "$script" "$format" "$T/dkms") > /dev/null
	mapfile -t debs < <(compgen -G "$T/dkms/${pkg##*/}")
	[ ${#debs[@]} -eq 1 ] && [ -f "${debs[0]}" ]
	[ "$(dpkg-deb -f "${debs[0]}" Package)" = kpatch-dkms ]
}

@test "an --output that cannot be a directory, and a cache that cannot be written, are named before the build" {
	fake_kernel
	: > "$T/file"
	unapplicable_patch
	run kb_fake -o "$T/file/out" "$T/bad.patch"
	echo "$output"
	[ "$status" -eq 1 ]
	[[ "$output" == *"ERROR: cannot write the module into $T/file/out (--output): $T/file is not a directory"* ]]
	[ ! -e "$KPATCH_CACHE" ]
	run env KPATCH_CACHE=/proc/kpatch-cache "$KB" -s "$T/src" -c "$T/config" -v "$T/build/vmlinux" "$T/bad.patch"
	echo "$output"
	[ "$status" -eq 1 ]
	[ "$(grep ERROR <<<"$output")" = "kpatch-build: ERROR: cannot write the cache /proc/kpatch-cache (KPATCH_CACHE): /proc is not writable" ]
}

@test "an unreadable KPATCH_CORE_SYMVERS is named" {
	fake_kernel
	unapplicable_patch
	run env KPATCH_CORE_SYMVERS="$T/none.symvers" "$KB" -s "$T/src" -c "$T/config" -v "$T/build/vmlinux" "$T/bad.patch"
	echo "$output"
	[ "$status" -eq 1 ]
	[[ "$output" == *"ERROR: cannot read the core module's exports $T/none.symvers (KPATCH_CORE_SYMVERS)"* ]]
}

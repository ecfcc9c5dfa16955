#!/usr/bin/env bats
# kpatch-build's command line, man page and early errors, without building
# a kernel: a fake kernel (source tree, config, vmlinux, build tree) is
# enough for everything before the original build.

load helpers
MAN=$BATS_TEST_DIRNAME/../../man/kpatch-build.1

@test "--help and the man page list the same options" {
	help=$("$KB" --help | grep -oE -- '--[a-z][a-z-]*' | sort -u)
	man=$(sed 's/\\-/-/g' "$MAN" | grep -oE -- '--[a-z][a-z-]*' | sort -u)
	echo "help: $help"; echo "man: $man"
	[ "$help" = "$man" ]
	# and the short options
	hs=$("$KB" --help | grep -oE '^  -[a-zA-Z],' | tr -d ' ,' | sort -u)
	ms=$(sed -n 's/^\.BR \\-\([a-zA-Z]\) ".*/-\1/p' "$MAN" | sort -u)
	[ "$hs" = "$ms" ]
}

@test "the man page is groff -ww clean" {
	command -v groff >/dev/null || skip "groff is missing"
	out=$(LC_ALL=C groff -ww -man -Tutf8 "$MAN" 2>&1 >/dev/null)
	[ -z "$out" ]
}

@test "no patch is a usage error" {
	run "$KB"
	[ "$status" -eq 2 ]
	[[ "$output" == *"no patch given"* ]]
}

@test "an unknown option is a usage error" {
	run "$KB" --frobnicate x.patch
	[ "$status" -eq 2 ]
}

@test "a missing vmlinux is named" {
	fake_kernel
	echo x > "$T/p.patch"
	run "$KB" -s "$T/src" -c "$T/config" -v "$T/nope" "$T/p.patch"
	[ "$status" -eq 1 ]
	[[ "$output" == *"ERROR: vmlinux missing"*"$T/nope"* ]]
}

@test "a missing source tree is named" {
	fake_kernel
	echo x > "$T/p.patch"
	run "$KB" -s "$T/nowhere" -c "$T/config" -v "$T/build/vmlinux" "$T/p.patch"
	[ "$status" -eq 1 ]
	[[ "$output" == *"ERROR: kernel source missing"* ]]
}

@test "a vmlinux of another release is refused" {
	fake_kernel
	printf 'CONFIG_LOCALVERSION="-other"\n' > "$T/config"
	echo x > "$T/p.patch"
	run kb_fake "$T/p.patch"
	[ "$status" -eq 1 ]
	[[ "$output" == *"vmlinux does not match the source/config"* ]]
}

@test "a different compiler is refused unless --skip-compiler-check" {
	fake_kernel
	objcopy --remove-section .comment "$T/build/vmlinux"
	printf 'CONFIG_LOCALVERSION="-test"\nCONFIG_CC_VERSION_TEXT="gcc (Other) 1.0"\n' > "$T/config"
	printf -- '--- a/fs/proc/x.c\n+++ b/fs/proc/x.c\n@@ -1,4 +1,4 @@\n int f(void)\n {\n-\treturn 1;\n+\treturn 2;\n }\n' > "$T/p.patch"
	run kb_fake "$T/p.patch"
	[ "$status" -eq 1 ]
	[[ "$output" == *"compiler is not the one that built the target kernel"*"(Other) 1.0"* ]]
}

@test "a patch that does not apply names the file and hunk" {
	fake_kernel
	unapplicable_patch
	run kb_fake "$T/bad.patch"
	echo "$output"
	[ "$status" -eq 1 ]
	[[ "$output" == *"ERROR: patch does not apply: bad.patch: fs/proc/x.c hunk #1 does not apply (at line 1)"* ]]
	[[ "$output" == *"full log: $KPATCH_CACHE/"* ]]
	# nothing left in the cache that looks like a patched tree
	[ -z "$(compgen -G "$KPATCH_CACHE/*/restore")" ]
}

@test "a patch of a file that does not exist is named" {
	fake_kernel
	printf -- '--- a/fs/proc/nothere.c\n+++ b/fs/proc/nothere.c\n@@ -1,1 +1,1 @@\n-a\n+b\n' > "$T/bad.patch"
	run kb_fake "$T/bad.patch"
	[ "$status" -eq 1 ]
	[[ "$output" == *"patch does not apply: bad.patch: a file it patches does not exist"* ]]
}

@test "the module name is sanitised and defaults to the patch name" {
	fake_kernel
	unapplicable_patch
	mv "$T/bad.patch" "$T/My fix!.patch"
	run kb_fake -d "$T/My fix!.patch"
	[ "$status" -eq 1 ]
	[ -n "$(compgen -G "$KPATCH_CACHE/6.1.192-test-*/logs/kpatch-My-fix.log")" ]
}

@test "without -s/-c/-v the running kernel's missing pieces are named by package" {
	run env KPATCH_CACHE="$T/cache" "$KB" "$BATS_TEST_DIRNAME/../../examples/proc-version.patch"
	[ "$status" -eq 1 ]
	# this machine may lack the source, the config or the debug vmlinux of
	# its running kernel: whichever comes first is named with its package
	[[ "$output" == *"ERROR: "*"package "* ]] || [[ "$output" == *"ERROR: "*"install"* ]]
	[[ "$output" == *"$(uname -r)"* ]] || [[ "$output" == *"linux-source-"* ]]
}

@test "without -s/-c/-v the running kernel is found as on Debian (KPATCH_ROOT)" {
	fake_debian_root
	unapplicable_patch
	run env KPATCH_ROOT="$R" "$KB" --skip-compiler-check "$T/bad.patch"
	echo "$output"
	# it gets as far as the patch, with every piece from the root (the
	# build tree too: beside the vmlinux there is none)
	[[ "$output" == *"extracting $R/usr/src/linux-source-6.1.tar.xz"* ]]
	[[ "$output" == *"kernel 6.1.0-99-amd64 (source $KPATCH_CACHE/src/linux-source-6.1-"*", config $R/boot/config-6.1.0-99-amd64, vmlinux $R/usr/lib/debug/boot/vmlinux-6.1.0-99-amd64)"* ]]
	[[ "$output" == *"ERROR: patch does not apply: bad.patch"* ]]
	[ -n "$(compgen -G "$KPATCH_CACHE/src/linux-source-6.1-*/fs/proc/x.c")" ]
}

@test "a self-built kernel on Debian: the version is the release's, not the compiler's" {
	fake_debian_root
	rel=6.1.192-test
	echo "$rel" > "$R/proc/sys/kernel/osrelease"
	echo "Linux version $rel (me@here) (gcc (Debian 12.2.0-14) 12.2.0, GNU ld (GNU Binutils for Debian) 2.40) #1 SMP PREEMPT_DYNAMIC Sat Nov 28 07:57:05 UTC 2026" > "$R/proc/version"
	cp "$T/config" "$R/boot/config-$rel"
	cp "$T/build/vmlinux" "$R/usr/lib/debug/boot/vmlinux-$rel"
	mkdir -p "$R/lib/modules/$rel"
	cp -r "$R/lib/modules/6.1.0-99-amd64/build" "$R/lib/modules/$rel/"
	unapplicable_patch
	run env KPATCH_ROOT="$R" "$KB" --skip-compiler-check "$T/bad.patch"
	echo "$output"
	[[ "$output" == *"kernel $rel (source $KPATCH_CACHE/src/linux-source-6.1-"* ]]
	[[ "$output" == *"ERROR: patch does not apply: bad.patch"* ]]
}

@test "a linux-source that is not the running kernel's version is refused" {
	fake_debian_root 6.1.150
	unapplicable_patch
	run env KPATCH_ROOT="$R" "$KB" "$T/bad.patch"
	echo "$output"
	[ "$status" -eq 1 ]
	[[ "$output" == *"ERROR: the kernel source installed is not the running kernel's: linux-source-6.1 holds 6.1.192 but 6.1.0-99-amd64 is 6.1.150-1; kpatch-build needs linux-source-6.1 6.1.150-1: apt-get install linux-source-6.1=6.1.150-1"* ]]
}

@test "after a security update the source package version needed is named before anything is extracted" {
	fake_debian_root
	dpkg_status 6.1.192-3
	echo x > "$T/p.patch"
	run env KPATCH_ROOT="$R" "$KB" "$T/p.patch"
	echo "$output"
	[ "$status" -eq 1 ]
	[[ "$output" == *"ERROR: the kernel source installed is not the running kernel's: 6.1.0-99-amd64 is Debian 6.1.192-1, but linux-source-6.1 is 6.1.192-3; kpatch-build needs linux-source-6.1 6.1.192-1: apt-get install linux-source-6.1=6.1.192-1 (if the archive no longer has it: https://snapshot.debian.org/package/linux/6.1.192-1/)"* ]]
	[[ "$output" != *extracting* ]]
	[ ! -d "$KPATCH_CACHE/src" ]
}

@test "the source package of the running kernel's version is used" {
	fake_debian_root
	dpkg_status 6.1.192-1
	unapplicable_patch
	run env KPATCH_ROOT="$R" "$KB" --skip-compiler-check "$T/bad.patch"
	echo "$output"
	[[ "$output" == *"extracting $R/usr/src/linux-source-6.1.tar.xz"* ]]
	[[ "$output" == *"ERROR: patch does not apply: bad.patch"* ]]
}

@test "without the debug vmlinux its package is named, with the command that installs it" {
	fake_debian_root
	rm "$R/usr/lib/debug/boot/vmlinux-6.1.0-99-amd64"
	echo x > "$T/p.patch"
	run env KPATCH_ROOT="$R" "$KB" -s "$T/src" "$T/p.patch"
	[ "$status" -eq 1 ]
	[[ "$output" == *"ERROR: the running kernel's vmlinux with symbols is missing: it comes with the package linux-image-6.1.0-99-amd64-dbg (apt-get install linux-image-6.1.0-99-amd64-dbg)"* ]]
	[[ "$output" != *"debug archive"* ]]
}

@test "under KPATCH_ROOT absolute links and the headers' absolute include stay inside the root" {
	fake_debian_root
	local rel=6.1.0-99-amd64 h
	h=$R/usr/src/linux-headers-$rel
	mkdir -p "$h" "$R/usr/src/linux-headers-6.1.0-99-common"
	echo "include /usr/src/linux-headers-6.1.0-99-common/Makefile" > "$h/Makefile"
	: > "$h/Module.symvers"
	: > "$R/usr/src/linux-headers-6.1.0-99-common/Makefile"
	rm -r "$R/lib/modules/$rel/build"
	ln -s "/usr/src/linux-headers-$rel" "$R/lib/modules/$rel/build"
	unapplicable_patch
	run env KPATCH_ROOT="$R" "$KB" --skip-compiler-check "$T/bad.patch"
	echo "$output"
	[[ "$output" == *"ERROR: patch does not apply: bad.patch"* ]]
	grep -qx "include $R/usr/src/linux-headers-6.1.0-99-common/Makefile" "$KPATCH_CACHE"/roots/*/Makefile
	[ "$(readlink "$KPATCH_CACHE"/roots/*/Module.symvers)" = "$h/Module.symvers" ]
}

@test "under KPATCH_ROOT a link to a path that is not in the root is a link to this system" {
	fake_debian_root
	local rel=6.1.0-99-amd64
	mv "$R/lib/modules/$rel/build" "$T/hostbuild"
	ln -s "$T/hostbuild" "$R/lib/modules/$rel/build"
	mv "$R/usr/src/linux-source-6.1.tar.xz" "$T/"
	ln -s "$T/linux-source-6.1.tar.xz" "$R/usr/src/linux-source-6.1.tar.xz"
	unapplicable_patch
	run env KPATCH_ROOT="$R" "$KB" --skip-compiler-check "$T/bad.patch"
	echo "$output"
	[[ "$output" == *"extracting $T/linux-source-6.1.tar.xz"* ]]
	[[ "$output" == *"ERROR: patch does not apply: bad.patch"* ]]
}

# A fake root laid out as RHEL 9 running 5.14.0-427.13.1.el9_4.x86_64, with
# kernel-debuginfo-common's source, kernel-debuginfo's vmlinux, the config
# and kernel-devel's build tree (and the absolute link to it).
fake_rhel_root() {
	local rel=5.14.0-427.13.1.el9_4.x86_64 ver=5.14.0-427.13.1.el9_4 s
	R=$T/root
	s=$R/usr/src/debug/kernel-$ver/linux-$rel
	mkdir -p "$R/etc" "$R/proc/sys/kernel" "$R/boot" "$R/usr/lib/debug/lib/modules/$rel" \
		"$R/usr/src/kernels/$rel" "$R/lib/modules/$rel" "$s/fs/proc"
	echo "Red Hat Enterprise Linux release 9.4 (Plow)" > "$R/etc/redhat-release"
	echo "$rel" > "$R/proc/sys/kernel/osrelease"
	echo "Linux version $rel (mockbuild@example.com) (gcc (GCC) 11.4.1) #1 SMP PREEMPT_DYNAMIC Fri Apr 12 2024" > "$R/proc/version"
	printf 'VERSION = 5\nPATCHLEVEL = 14\nSUBLEVEL = 0\nEXTRAVERSION =\n' > "$s/Makefile"
	: > "$s/Kbuild"
	printf 'int f(void)\n{\n\treturn 1;\n}\n' > "$s/fs/proc/x.c"
	printf 'CONFIG_LOCALVERSION=""\nCONFIG_MODULES=y\n' > "$R/boot/config-$rel"
	printf 'const char b[] = "Linux version %s (mockbuild@example.com) (gcc)";\nint main(void) { return b[0]; }\n' "$rel" > "$T/rv.c"
	gcc -no-pie -o "$R/usr/lib/debug/lib/modules/$rel/vmlinux" "$T/rv.c"
	: > "$R/usr/src/kernels/$rel/Makefile"; : > "$R/usr/src/kernels/$rel/Module.symvers"
	ln -s "/usr/src/kernels/$rel" "$R/lib/modules/$rel/build"
}

@test "a RHEL-style system: source, config, vmlinux and build tree from its packages' paths" {
	fake_rhel_root
	unapplicable_patch
	run env KPATCH_ROOT="$R" "$KB" --skip-compiler-check "$T/bad.patch"
	echo "$output"
	rel=5.14.0-427.13.1.el9_4.x86_64
	[[ "$output" == *"kernel $rel (source $R/usr/src/debug/kernel-5.14.0-427.13.1.el9_4/linux-$rel, config $R/boot/config-$rel, vmlinux $R/usr/lib/debug/lib/modules/$rel/vmlinux)"* ]]
	[[ "$output" == *"ERROR: patch does not apply: bad.patch"* ]]
}

@test "a RHEL-style system: missing debuginfo and another version's source are named by package" {
	fake_rhel_root
	echo x > "$T/p.patch"
	rm "$R/usr/lib/debug/lib/modules/5.14.0-427.13.1.el9_4.x86_64/vmlinux"
	run env KPATCH_ROOT="$R" "$KB" "$T/p.patch"
	echo "$output"
	[[ "$output" == *"ERROR: the running kernel's vmlinux with symbols is missing: it comes with the package kernel-debuginfo-5.14.0-427.13.1.el9_4"* ]]
	mv "$R/usr/src/debug/kernel-5.14.0-427.13.1.el9_4" "$R/usr/src/debug/kernel-5.14.0-362.8.1.el9_3"
	run env KPATCH_ROOT="$R" "$KB" "$T/p.patch"
	echo "$output"
	[[ "$output" == *"ERROR: the kernel source installed is not the running kernel's: 5.14.0-427.13.1.el9_4.x86_64 is RHEL 5.14.0-427.13.1.el9_4, but kernel-debuginfo-common-x86_64 is 5.14.0-362.8.1.el9_3; kpatch-build needs kernel-debuginfo-common-x86_64 5.14.0-427.13.1.el9_4: dnf"* ]]
}

@test "an unreadable running release is named" {
	mkdir -p "$T/empty"
	echo x > "$T/p.patch"
	run env KPATCH_ROOT="$T/empty" "$KB" "$T/p.patch"
	[ "$status" -eq 1 ]
	[[ "$output" == *"ERROR: cannot read $T/empty/proc/sys/kernel/osrelease"* ]]
}

@test "--version prints the version" {
	run "$KB" --version
	[ "$status" -eq 0 ]
	[[ "$output" == "kpatch-build "[0-9]* ]]
}

@test "--sign-key and --sign-cert go together, and not with --no-sign" {
	echo x > "$T/p.patch"
	run "$KB" --sign-key "$T/k.pem" "$T/p.patch"
	[ "$status" -eq 2 ]
	[[ "$output" == *"--sign-key and --sign-cert go together"* ]]
	run "$KB" --sign-key "$T/k.pem" --sign-cert "$T/c.x509" --no-sign "$T/p.patch"
	[ "$status" -eq 2 ]
	[[ "$output" == *"--no-sign contradicts --sign-key"* ]]
}

@test "an unreadable signing key is named before anything is built" {
	fake_kernel
	echo x > "$T/p.patch"
	: > "$T/c.x509"
	run kb_fake --sign-key "$T/none.pem" --sign-cert "$T/c.x509" "$T/p.patch"
	[ "$status" -eq 1 ]
	[[ "$output" == *"cannot read the signing key $T/none.pem"* ]]
	[ ! -e "$KPATCH_CACHE" ] || [ -z "$(find "$KPATCH_CACHE" -name linux -type d)" ]
}

@test "signing needs the build tree's scripts/sign-file, or --no-sign" {
	fake_kernel
	echo x > "$T/p.patch"
	: > "$T/k.pem"; : > "$T/c.x509"
	run kb_fake --sign-key "$T/k.pem" --sign-cert "$T/c.x509" "$T/p.patch"
	[ "$status" -eq 1 ]
	[[ "$output" == *"has no scripts/sign-file"*"--no-sign"* ]]
}

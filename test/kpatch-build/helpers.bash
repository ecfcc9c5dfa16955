# shellcheck shell=bash
# Shared set-up of kpatch-build's bats tests: a fake kernel (source tree,
# config, vmlinux, build tree) and a fake Debian root, enough for
# everything before the original build.

setup() {
	TOP=$(cd "$BATS_TEST_DIRNAME/../.." && pwd)
	KB=$TOP/kpatch-build/kpatch-build
	T=$(mktemp -d)
	export KPATCH_CACHE=$T/cache
	# The exports of a kpatch core for the fake kernels: present unless a
	# test takes them away.
	: > "$T/core.symvers"
	export KPATCH_CORE_SYMVERS=$T/core.symvers
}
teardown() { rm -rf "$T"; }

# A fake 6.1.192-test kernel built by this machine's gcc.
fake_kernel() {
	mkdir -p "$T/src/fs/proc" "$T/build"
	printf 'VERSION = 6\nPATCHLEVEL = 1\nSUBLEVEL = 192\nEXTRAVERSION =\n' > "$T/src/Makefile"
	: > "$T/src/Kbuild"
	printf 'int f(void)\n{\n\treturn 1;\n}\n' > "$T/src/fs/proc/x.c"
	printf 'CONFIG_LOCALVERSION="-test"\nCONFIG_MODULES=y\n' > "$T/config"
	printf 'const char b[] = "Linux version 6.1.192-test (me@here) (gcc)";\nint main(void) { return b[0]; }\n' > "$T/v.c"
	gcc -no-pie -o "$T/build/vmlinux" "$T/v.c"
	: > "$T/build/Makefile"; : > "$T/build/Module.symvers"
}
kb_fake() { "$KB" -s "$T/src" -c "$T/config" -v "$T/build/vmlinux" "$@"; }

# $T/bad.patch: a patch of the fake source whose hunk does not apply.
unapplicable_patch() {
	printf -- '--- a/fs/proc/x.c\n+++ b/fs/proc/x.c\n@@ -1,4 +1,4 @@\n int f(void)\n {\n-\treturn 7;\n+\treturn 2;\n }\n' > "$T/bad.patch"
}

# A fake root laid out as a Debian 12 system running 6.1.0-99-amd64
# (upstream 6.1.192, as /proc/version tells), whose linux-source tarball
# holds the fake kernel's source.
fake_debian_root() {	# [UPSTREAM of the running kernel]
	local rel=6.1.0-99-amd64 up=${1:-6.1.192}
	R=$T/root
	fake_kernel
	mkdir -p "$R/proc/sys/kernel" "$R/usr/src" "$R/boot" "$R/usr/lib/debug/boot" "$R/lib/modules/$rel/build"
	echo "$rel" > "$R/proc/sys/kernel/osrelease"
	echo "Linux version $rel (debian-kernel@lists.debian.org) (gcc-12 (Debian 12.2.0-14) 12.2.0) #1 SMP PREEMPT_DYNAMIC Debian $up-1 (2026-11-01)" > "$R/proc/version"
	tar -cJf "$R/usr/src/linux-source-6.1.tar.xz" -C "$T" --transform 's,^src,linux-source-6.1,' src
	printf 'CONFIG_LOCALVERSION=""\nCONFIG_MODULES=y\n' > "$R/boot/config-$rel"
	printf 'const char b[] = "Linux version %s (debian-kernel@lists.debian.org) (gcc) #1 SMP Debian 6.1.192-1";\nint main(void) { return b[0]; }\n' "$rel" > "$T/dv.c"
	gcc -no-pie -o "$R/usr/lib/debug/boot/vmlinux-$rel" "$T/dv.c"
	: > "$R/lib/modules/$rel/build/Makefile"; : > "$R/lib/modules/$rel/build/Module.symvers"
}

# dpkg's record of linux-source-6.1 in the fake root.
dpkg_status() {	# VERSION
	mkdir -p "$R/var/lib/dpkg"
	printf 'Package: linux-source-6.1\nStatus: install ok installed\nVersion: %s\n\n' "$1" > "$R/var/lib/dpkg/status"
}

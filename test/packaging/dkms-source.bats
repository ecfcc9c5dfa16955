#!/usr/bin/env bats
# kpatch-dkms ships the core's sources: DKMS builds them on the machine,
# where a missing file turns into a package that installs and a core that
# never builds (anchor.c, left out of kmod/core/Makefile's hand-kept list,
# did exactly that).  The .deb's sources, unpacked, must build kpatch.ko
# against the test kernel as DKMS would; the list comes from Kbuild's
# kpatch-y, and an object there without a source stops the install.
# shellcheck source=helpers.bash
source "$BATS_TEST_DIRNAME/helpers.bash"

setup_file() {
	local f=$BATS_FILE_TMPDIR
	"$TOP/packaging/build-dkms-package" deb "$f/pkgs" > "$f/build.log" 2>&1
	dpkg-deb -x "$f"/pkgs/kpatch-dkms_*_all.deb "$f/root"
}

@test "kpatch-dkms: the core built from the package's sources, as DKMS builds it" {
	local src
	src=$(echo "$BATS_FILE_TMPDIR"/root/usr/src/kpatch-*)
	[ -f "$src/dkms.conf" ] || fail "no dkms.conf in the package: $(ls -R "$BATS_FILE_TMPDIR/root")"
	run make -C "$KERNEL_TREE" M="$src/core" modules
	[ "$status" -eq 0 ] || fail "the packaged core does not build: $output"
	[ -f "$src/core/kpatch.ko" ] || fail "no kpatch.ko after the build: $output"
}

@test "kmod/core: an object of kpatch-y without its source stops make install, naming it" {
	local copy=$BATS_TEST_TMPDIR/core
	cp -r "$TOP/kmod/core" "$copy"
	rm "$copy/anchor.c"
	run make -s -C "$copy" install DESTDIR="$BATS_TEST_TMPDIR/dest" KDIR=/nonexistent
	[ "$status" -ne 0 ] || fail "make install went on without anchor.c: $output"
	[[ "$output" == *"kpatch-y names anchor.o, which has no .c or .S source"* ]] ||
		fail "the error does not name anchor.o: $output"
	[ ! -e "$BATS_TEST_TMPDIR/dest" ] || fail "make install wrote files: $(find "$BATS_TEST_TMPDIR/dest")"
}

#!/usr/bin/env bats
# kpatch install and uninstall against a fake root.

bats_require_minimum_version 1.5.0
# shellcheck source=helpers.bash
source "$BATS_TEST_DIRNAME/helpers.bash"

setup() {
	fake_root
	dir=$root/var/lib/kpatch/$release
	# A systemctl that only records how it was called.
	mkdir -p "$BATS_TEST_TMPDIR/bin"
	cat > "$BATS_TEST_TMPDIR/bin/systemctl" <<-EOS
	#!/bin/sh
	echo "\$*" >> "$BATS_TEST_TMPDIR/systemctl.calls"
	exit \${FAKE_SYSTEMCTL_STATUS:-0}
	EOS
	chmod +x "$BATS_TEST_TMPDIR/bin/systemctl"
	export PATH=$BATS_TEST_TMPDIR/bin:$PATH
}

teardown() {
	umount "$root/var/lib/kpatch" 2>/dev/null || true
}

no_temporary_files() {
	[ -z "$(find "$root/var/lib/kpatch" -name '.*' 2>/dev/null)" ]
}

@test "install creates the release directory and copies the module" {
	[ ! -e "$dir" ]
	run --separate-stderr "$KPATCH" install "$FIXTURES/kpatch-fix.ko"
	[ "$status" -eq 0 ]
	[ -z "$stderr" ]
	[ "$output" = "installed kpatch-fix.ko for kernel $release" ]
	cmp "$FIXTURES/kpatch-fix.ko" "$dir/kpatch-fix.ko"
	[ "$(stat -c %a "$dir/kpatch-fix.ko")" = 644 ]
	no_temporary_files
}

@test "install refuses to overwrite another installed module of the same name" {
	mkdir -p "$dir"
	echo old > "$dir/kpatch-fix.ko"
	run --separate-stderr "$KPATCH" install "$FIXTURES/kpatch-fix.ko"
	fails_with 1 "another file of module kpatch_fix is installed for kernel $release (kpatch-fix.ko); give --force to replace it"
	[ "$(cat "$dir/kpatch-fix.ko")" = old ]
}

@test "install --force replaces an installed module of the same name whole" {
	mkdir -p "$dir"
	echo old > "$dir/kpatch-fix.ko"
	run --separate-stderr "$KPATCH" install --force "$FIXTURES/kpatch-fix.ko"
	[ "$status" -eq 0 ]
	cmp "$FIXTURES/kpatch-fix.ko" "$dir/kpatch-fix.ko"
	no_temporary_files
}

@test "install refuses the same module under another spelling, --force removes it" {
	mkdir -p "$dir"
	cp "$FIXTURES/kpatch-fix.ko" "$dir/kpatch_fix.ko.xz"
	run --separate-stderr "$KPATCH" install "$FIXTURES/kpatch-fix.ko"
	fails_with 1 "another file of module kpatch_fix is installed for kernel $release (kpatch_fix.ko.xz)"
	run --separate-stderr "$KPATCH" install -f "$FIXTURES/kpatch-fix.ko"
	[ "$status" -eq 0 ]
	[ "${lines[1]}" = "removed kpatch_fix.ko.xz, which it replaces" ]
	[ "$(ls "$dir")" = kpatch-fix.ko ]
}

@test "install of the same bytes again says it is installed already" {
	mkdir -p "$dir"
	cp "$FIXTURES/kpatch-fix.ko" "$dir/"
	run --separate-stderr "$KPATCH" install "$FIXTURES/kpatch-fix.ko"
	[ "$status" -eq 0 ]
	[ "$output" = "kpatch-fix.ko is already installed for kernel $release" ]
}

@test "install of a file named so that load --all would not see it installs it under the module's name" {
	for name in fixmod.bin kpatch-fix.ko.1 other-name.ko .hidden.ko; do
		rm -rf "$root/var/lib/kpatch"
		cp "$FIXTURES/kpatch-fix.ko" "$BATS_TEST_TMPDIR/$name"
		run --separate-stderr "$KPATCH" install "$BATS_TEST_TMPDIR/$name"
		[ "$status" -eq 0 ]
		[ "$output" = "installed $name as kpatch_fix.ko for kernel $release" ]
		cmp "$FIXTURES/kpatch-fix.ko" "$dir/kpatch_fix.ko"
		run "$KPATCH" list
		[ "${lines[-1]}" = "kpatch_fix ($release)" ]
		run "$KPATCH" uninstall kpatch-fix
		[ "$status" -eq 0 ]
	done
}

@test "install of a compressed module keeps its suffix, whatever its name" {
	xz -c --check=crc32 "$FIXTURES/kpatch-fix.ko" > "$BATS_TEST_TMPDIR/fix.bin"
	run --separate-stderr "$KPATCH" install "$BATS_TEST_TMPDIR/fix.bin"
	[ "$status" -eq 0 ]
	[ "$output" = "installed fix.bin as kpatch_fix.ko.xz for kernel $release" ]
	# A .ko name on xz contents would not be read as xz by every tool.
	cp "$BATS_TEST_TMPDIR/fix.bin" "$BATS_TEST_TMPDIR/kpatch_fix.ko"
	run --separate-stderr "$KPATCH" install "$BATS_TEST_TMPDIR/kpatch_fix.ko"
	[ "$status" -eq 0 ]
	[ "$output" = "kpatch_fix.ko.xz is already installed for kernel $release" ]
}

@test "install of a replacing patch warns about the patches it would leave disabled at boot" {
	run --separate-stderr "$KPATCH" install "$FIXTURES/kpatch-fix.ko"
	[ -z "$stderr" ]
	run --separate-stderr "$KPATCH" install "$FIXTURES/kpatch-replace.ko"
	[ "$status" -eq 0 ]
	[ "$output" = "installed kpatch-replace.ko for kernel $release" ]
	[ "$stderr" = "kpatch: warning: at boot kpatch-fix.ko will not end up enabled: kpatch-replace.ko, loaded after it (file names in order), replaces every other patch; uninstall one of them" ]
	# The other way round: the patch being installed is the one left out.
	"$KPATCH" uninstall kpatch-fix
	run --separate-stderr "$KPATCH" install "$FIXTURES/kpatch-fix.ko"
	[ "$status" -eq 0 ]
	[[ "$stderr" == "kpatch: warning: at boot kpatch-fix.ko will not end up enabled: kpatch-replace.ko"* ]]
}

@test "install of the installed file itself leaves it untouched" {
	mkdir -p "$dir"
	cp "$FIXTURES/kpatch-fix.ko" "$dir/"
	touch -d '2001-01-01 00:00' "$dir/kpatch-fix.ko"
	run --separate-stderr "$KPATCH" install "$dir/kpatch-fix.ko"
	[ "$status" -eq 0 ]
	[ "$output" = "kpatch-fix.ko is already installed for kernel $release" ]
	[ "$(stat -c %Y "$dir/kpatch-fix.ko")" = "$(date -d '2001-01-01 00:00' +%s)" ]
	no_temporary_files
}

@test "install refuses a module built for a kernel neither running nor installed" {
	run --separate-stderr "$KPATCH" install "$FIXTURES/kpatch-fix-other-release.ko"
	fails_with 1 "kpatch-fix-other-release.ko is built for kernel 6.1.0-other-kpatch-test, which is neither running nor installed (no /lib/modules/6.1.0-other-kpatch-test)" "--force"
	[ ! -e "$root/var/lib/kpatch" ]
	run --separate-stderr "$KPATCH" install --force "$FIXTURES/kpatch-fix-other-release.ko"
	[ "$status" -eq 0 ]
	# Its module is kpatch_fix: the name load --all and uninstall know it by.
	[ "$output" = "installed kpatch-fix-other-release.ko as kpatch_fix.ko for kernel 6.1.0-other-kpatch-test" ]
	cmp "$FIXTURES/kpatch-fix-other-release.ko" "$root/var/lib/kpatch/6.1.0-other-kpatch-test/kpatch_fix.ko"
}

@test "install reads the release from the module, not the running kernel" {
	mkdir -p "$root/lib/modules/6.1.0-other-kpatch-test"
	run --separate-stderr "$KPATCH" install "$FIXTURES/kpatch-fix-other-release.ko"
	[ "$status" -eq 0 ]
	cmp "$FIXTURES/kpatch-fix-other-release.ko" \
		"$root/var/lib/kpatch/6.1.0-other-kpatch-test/kpatch_fix.ko"
	[ ! -e "$dir" ]
}

@test "install -k with the module's release" {
	run --separate-stderr "$KPATCH" install -k "$release" "$FIXTURES/kpatch-fix.ko"
	[ "$status" -eq 0 ]
	[ -f "$dir/kpatch-fix.ko" ]
	run --separate-stderr "$KPATCH" install --kernel-version="$release" "$FIXTURES/kpatch-replace.ko"
	[ "$status" -eq 0 ]
	[ -f "$dir/kpatch-replace.ko" ]
}

@test "install -k with another release is refused" {
	run --separate-stderr "$KPATCH" install -k 5.10.0-old "$FIXTURES/kpatch-fix.ko"
	fails_with 1 "kpatch-fix.ko is built for kernel $release, not 5.10.0-old"
	[ ! -e "$root/var/lib/kpatch/5.10.0-old" ]
}

@test "install -k with a path is a usage error" {
	run --separate-stderr "$KPATCH" install -k ../../etc "$FIXTURES/kpatch-fix.ko"
	fails_with 2 "'../../etc' is not a kernel release"
}

@test "install enables kpatch.service where systemd runs" {
	mkdir -p "$root/run/systemd/system"
	run --separate-stderr "$KPATCH" install "$FIXTURES/kpatch-fix.ko"
	[ "$status" -eq 0 ]
	[ "$(cat "$BATS_TEST_TMPDIR/systemctl.calls")" = "--quiet --root=$root enable kpatch.service" ]
}

@test "install does not run systemctl without systemd" {
	run --separate-stderr "$KPATCH" install "$FIXTURES/kpatch-fix.ko"
	[ "$status" -eq 0 ]
	[ ! -e "$BATS_TEST_TMPDIR/systemctl.calls" ]
}

@test "install warns when kpatch.service cannot be enabled, but installs" {
	mkdir -p "$root/run/systemd/system"
	FAKE_SYSTEMCTL_STATUS=1 run --separate-stderr "$KPATCH" install "$FIXTURES/kpatch-fix.ko"
	[ "$status" -eq 0 ]
	[[ "$stderr" == "kpatch: warning: could not enable kpatch.service"* ]]
	[ -f "$dir/kpatch-fix.ko" ]
}

@test "install as a user other than root" {
	run --separate-stderr as_nobody "$KPATCH" install "$FIXTURES/kpatch-fix.ko"
	fails_with 1 "'kpatch install' must be run as root"
	run --separate-stderr as_nobody "$KPATCH" uninstall kpatch-fix
	fails_with 1 "'kpatch uninstall' must be run as root"
}

@test "install of a missing file" {
	run --separate-stderr "$KPATCH" install "$BATS_TEST_TMPDIR/nope.ko"
	fails_with 1 "cannot open $BATS_TEST_TMPDIR/nope.ko"
}

@test "install of a file that is not ELF, or not a module" {
	run --separate-stderr "$KPATCH" install "$FIXTURES/not-elf.ko"
	fails_with 1 "not-elf.ko is not an ELF file"
	run --separate-stderr "$KPATCH" install "$FIXTURES/not-a-module.ko"
	fails_with 1 "not-a-module.ko is not a kernel module"
	[ ! -e "$root/var/lib/kpatch" ]
}

@test "install of a kernel module that is not a kpatch patch module" {
	run --separate-stderr "$KPATCH" install "$FIXTURES/plain-module.ko"
	fails_with 1 "plain-module.ko is a kernel module but not a kpatch patch module"
	[ ! -e "$root/var/lib/kpatch" ]
}

@test "install into a full /var/lib leaves nothing behind" {
	mkdir -p "$root/var/lib/kpatch"
	mount -t tmpfs -o size=4k tmpfs "$root/var/lib/kpatch" 2>/dev/null ||
		skip "cannot mount a tmpfs here"
	[ "$(stat -c %s "$FIXTURES/kpatch-fix.ko")" -gt 4096 ]
	run --separate-stderr "$KPATCH" install "$FIXTURES/kpatch-fix.ko"
	fails_with 1 "cannot install $FIXTURES/kpatch-fix.ko into $dir: No space left on device"
	[ -z "$(ls -A "$root/var/lib/kpatch")" ]
}

@test "install into a full /var/lib keeps the module installed before" {
	mkdir -p "$root/var/lib/kpatch"
	mount -t tmpfs -o size=4k tmpfs "$root/var/lib/kpatch" 2>/dev/null ||
		skip "cannot mount a tmpfs here"
	mkdir "$dir"
	echo "the previous version" > "$dir/kpatch-fix.ko"
	run --separate-stderr "$KPATCH" install --force "$FIXTURES/kpatch-fix.ko"
	fails_with 1 "No space left on device"
	[ "$(cat "$dir/kpatch-fix.ko")" = "the previous version" ]
	[ "$(ls -A "$dir")" = kpatch-fix.ko ]
}

@test "install into a read-only /var/lib" {
	mkdir -p "$root/var/lib/kpatch"
	mount -t tmpfs -o ro tmpfs "$root/var/lib/kpatch" 2>/dev/null ||
		skip "cannot mount a tmpfs here"
	run --separate-stderr "$KPATCH" install "$FIXTURES/kpatch-fix.ko"
	fails_with 1 "cannot create $dir: Read-only file system"
	[ -z "$(ls -A "$root/var/lib/kpatch")" ]
}

@test "uninstall by module name, with dashes or underscores" {
	mkdir -p "$dir"
	cp "$FIXTURES/kpatch-fix.ko" "$FIXTURES/kpatch-replace.ko" "$dir/"
	run --separate-stderr "$KPATCH" uninstall kpatch_fix
	[ "$status" -eq 0 ]
	[ "$output" = "uninstalled kpatch-fix.ko for kernel $release" ]
	[ ! -e "$dir/kpatch-fix.ko" ]
	[ -e "$dir/kpatch-replace.ko" ]
	run --separate-stderr "$KPATCH" uninstall kpatch-replace
	[ "$status" -eq 0 ]
	[ -z "$(ls -A "$dir")" ]
}

@test "uninstall by file reads the release from the module" {
	other=$root/var/lib/kpatch/6.1.0-other-kpatch-test
	mkdir -p "$other"
	cp "$FIXTURES/kpatch-fix-other-release.ko" "$other/"
	run --separate-stderr "$KPATCH" uninstall "$FIXTURES/kpatch-fix-other-release.ko"
	[ "$status" -eq 0 ]
	[ ! -e "$other/kpatch-fix-other-release.ko" ]
}

@test "uninstall -k names the release" {
	mkdir -p "$root/var/lib/kpatch/5.10.0-old"
	cp "$FIXTURES/kpatch-fix.ko" "$root/var/lib/kpatch/5.10.0-old/"
	run --separate-stderr "$KPATCH" uninstall kpatch-fix
	fails_with 1 "kpatch-fix is not installed for kernel $release"
	run --separate-stderr "$KPATCH" uninstall -k 5.10.0-old kpatch-fix
	[ "$status" -eq 0 ]
	[ ! -e "$root/var/lib/kpatch/5.10.0-old/kpatch-fix.ko" ]
}

@test "uninstall of a module that is not installed" {
	run --separate-stderr "$KPATCH" uninstall kpatch-nothing
	fails_with 1 "kpatch-nothing is not installed for kernel $release"
}

@test "install, list, uninstall round trip" {
	"$KPATCH" install "$FIXTURES/kpatch-fix.ko"
	run "$KPATCH" list
	[ "${lines[-1]}" = "kpatch_fix ($release)" ]
	"$KPATCH" uninstall "$FIXTURES/kpatch-fix.ko"
	run "$KPATCH" list
	[ "${lines[-1]}" = "Installed patch modules:" ]
}

@test "uninstall from a read-only /var/lib" {
	mkdir -p "$root/var/lib/kpatch"
	mount -t tmpfs tmpfs "$root/var/lib/kpatch" 2>/dev/null ||
		skip "cannot mount a tmpfs here"
	mkdir "$dir"
	cp "$FIXTURES/kpatch-fix.ko" "$dir/"
	mount -o remount,ro "$root/var/lib/kpatch"
	run --separate-stderr "$KPATCH" uninstall kpatch-fix
	fails_with 1 "cannot remove $dir/kpatch-fix.ko: Read-only file system"
	cmp "$FIXTURES/kpatch-fix.ko" "$dir/kpatch-fix.ko"
}

@test "uninstall by file finds the module under the name install gave it" {
	cp "$FIXTURES/kpatch-fix.ko" "$BATS_TEST_TMPDIR/fixmod.bin"
	"$KPATCH" install "$BATS_TEST_TMPDIR/fixmod.bin"
	[ -f "$dir/kpatch_fix.ko" ]
	run --separate-stderr "$KPATCH" uninstall "$BATS_TEST_TMPDIR/fixmod.bin"
	[ "$status" -eq 0 ]
	[ "$output" = "uninstalled kpatch_fix.ko for kernel $release" ]
	[ ! -e "$dir/kpatch_fix.ko" ]
}

@test "install of a module a package put in place is accepted for any kernel" {
	other=$root/var/lib/kpatch/6.1.0-other-kpatch-test
	mkdir -p "$other"
	cp "$FIXTURES/kpatch-fix-other-release.ko" "$other/kpatch_fix.ko"
	run --separate-stderr "$KPATCH" install "$other/kpatch_fix.ko"
	[ "$status" -eq 0 ]
	[ "$output" = "kpatch_fix.ko is already installed for kernel 6.1.0-other-kpatch-test" ]
}

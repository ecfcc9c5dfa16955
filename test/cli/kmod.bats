#!/usr/bin/env bats
# Each @test runs in its own subshell: compress sets z for its test only,
# as intended.
# shellcheck disable=SC2030,SC2031
# What kpatch reads through libkmod: compressed patch modules (.ko.xz and
# .ko.zst, as Debian 13 ships modules) inspected, loaded (every check up to
# the system call), installed, listed and uninstalled; the module states
# of /sys/module/NAME/initstate; and the machine-readable form of info.

bats_require_minimum_version 1.5.0
# shellcheck source=helpers.bash
source "$BATS_TEST_DIRNAME/helpers.bash"

setup() {
	fake_root
	fix=$FIXTURES/kpatch-fix.ko
}

teardown() {
	cleanup_public
}

# compress xz|zst: $fix compressed, as $BATS_TEST_TMPDIR/kpatch-fix.ko.xz|zst
compress() {
	z=$BATS_TEST_TMPDIR/kpatch-fix.ko.$1
	case $1 in
	xz) xz -c --check=crc32 "$fix" > "$z" ;;
	zst) zstd -q -c "$fix" > "$z" ;;
	esac
}

@test "info reads .ko.xz and .ko.zst as the .ko" {
	run --separate-stderr "$KPATCH" info "$fix"
	[ "$status" -eq 0 ]
	plain=${output#*$'\n'}
	for c in xz zst; do
		compress "$c"
		run --separate-stderr "$KPATCH" info "$z"
		[ "$status" -eq 0 ]
		[ -z "$stderr" ]
		[ "${lines[0]}" = "file:         $z" ]
		[ "${output#*$'\n'}" = "$plain" ]
		[[ "$output" == *"functions:    3"* ]]
	done
}

@test "a corrupt .ko.xz is refused" {
	compress xz
	head -c 200 "$z" > "$BATS_TEST_TMPDIR/bad.ko.xz"
	run --separate-stderr "$KPATCH" info "$BATS_TEST_TMPDIR/bad.ko.xz"
	fails_with 1 "bad.ko.xz is corrupt: it does not decompress"
}

@test "load of a .ko.xz and a .ko.zst passes every check, up to the system call" {
	fake_core
	for c in xz zst; do
		compress "$c"
		run --separate-stderr "$KPATCH" load "$z"
		fails_with 1 "not loading $z: $root is not the running kernel"
	done
}

@test "load of a compressed module of another release is refused before any system call" {
	fake_core
	z=$BATS_TEST_TMPDIR/kpatch-fix-other-release.ko.zst
	zstd -q -c "$FIXTURES/kpatch-fix-other-release.ko" > "$z"
	run --separate-stderr "$KPATCH" load "$z"
	fails_with 1 "$z is built for kernel 6.1.0-other"
}

@test "install, list and uninstall a .ko.zst" {
	compress zst
	run --separate-stderr "$KPATCH" install "$z"
	[ "$status" -eq 0 ]
	[ -f "$root/var/lib/kpatch/$release/kpatch-fix.ko.zst" ]
	run --separate-stderr "$KPATCH" list
	[ "$status" -eq 0 ]
	[ "${lines[-1]}" = "kpatch_fix ($release)" ]
	run --separate-stderr "$KPATCH" uninstall kpatch-fix
	[ "$status" -eq 0 ]
	[ ! -e "$root/var/lib/kpatch/$release/kpatch-fix.ko.zst" ]
}

@test "load --all loads an installed .ko.xz" {
	fake_core
	compress xz
	mkdir -p "$root/var/lib/kpatch/$release"
	cp "$z" "$root/var/lib/kpatch/$release/"
	run --separate-stderr "$KPATCH" load --all
	[ "$status" -eq 1 ]
	[ "$stderr" = "kpatch: not loading $root/var/lib/kpatch/$release/kpatch-fix.ko.xz: $root is not the running kernel (--root or KPATCH_ROOT is set)" ]
	[ "$output" = "no live patch is enabled" ]
}

@test "info --format keyvalue" {
	run --separate-stderr "$KPATCH" info --format keyvalue "$fix"
	[ "$status" -eq 0 ]
	[ -z "$stderr" ]
	[ "$output" = "file=$fix
name=kpatch_fix
patch_name=fix
kernel=$release
abi=2
replace=no
patch_sha256=$(modinfo -F kpatch_patch_sha256 "$fix")
build_id=$(cat "$FIXTURES/build-id")
signed=no
functions=3
func=cmdline_proc_show,0,vmlinux
func=show_val,2,vmlinux
func=isofs_fill_super,0,isofs" ]
	run --separate-stderr "$KPATCH" info -f keyvalue "$FIXTURES/kpatch-replace.ko"
	[[ "$output" == *$'\nreplace=yes\n'* ]]
	run --separate-stderr "$KPATCH" info --format=text "$fix"
	[ "${lines[0]}" = "file:         $fix" ]
}

@test "info --format keyvalue of another ABI leaves the functions out" {
	run --separate-stderr "$KPATCH" info --format keyvalue "$FIXTURES/kpatch-abi99.ko"
	[ "$status" -eq 0 ]
	[[ "$output" == *$'\nabi=99\n'* ]]
	[[ "$output" != *func* ]]
}

@test "info --format keyvalue refuses what is not a patch module, as info does" {
	run --separate-stderr "$KPATCH" info --format keyvalue "$FIXTURES/plain-module.ko"
	fails_with 1 "is a kernel module but not a kpatch patch module"
}

@test "info with an unknown format is a usage error" {
	run --separate-stderr "$KPATCH" info --format json "$fix"
	[ "$status" -eq 2 ]
	[ -z "$output" ]
	[[ "${stderr_lines[0]}" == "kpatch: info: unknown format 'json': use text or keyvalue"* ]]
}

@test "list shows a patch module being removed or still loading" {
	fake_core
	fake_patch kpatch_fix 0 vmlinux/cmdline_proc_show,0
	fake_patch kpatch_new 1 vmlinux/show_val,0
	echo going > "$root/sys/module/kpatch_fix/initstate"
	echo coming > "$root/sys/module/kpatch_new/initstate"
	run --separate-stderr "$KPATCH" list
	[ "$status" -eq 0 ]
	[[ "$output" == *"kpatch_fix [disabled, module going]"* ]]
	[[ "$output" == *"kpatch_new [enabled, module coming]"* ]]
}

@test "unload of a patch module being removed says so" {
	fake_core
	fake_patch kpatch_fix 0 vmlinux/cmdline_proc_show,0
	echo going > "$root/sys/module/kpatch_fix/initstate"
	run --separate-stderr "$KPATCH" unload kpatch-fix
	fails_with 1 "kpatch_fix is already being removed (module state going)"
}

@test "load of a module whose name is still loading says so" {
	fake_core
	fake_module kpatch_fix coming
	run --separate-stderr "$KPATCH" load "$fix"
	fails_with 1 "kpatch_fix is being loaded (module state coming); try again when it is done"
}

@test "a module directory without initstate yet is still loading (libkmod's reading)" {
	fake_core
	mkdir -p "$root/sys/module/kpatch_fix"
	run --separate-stderr "$KPATCH" load "$fix"
	fails_with 1 "kpatch_fix is being loaded (module state coming)"
}

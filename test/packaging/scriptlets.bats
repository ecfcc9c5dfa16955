#!/usr/bin/env bats
# The scripts given to busybox sh -c are single-quoted on purpose: they
# expand their variables themselves.
# shellcheck disable=SC2016
# The scriptlets, taken out of the packages, run by busybox sh in rpm's and
# dpkg's order (pm.sh) against a fake tree and a stand-in kpatch that logs
# its calls: what they ask of kpatch at install, upgrade and erase.  The
# VM suite (vm-packaging) runs the same steps with the real kpatch.
# shellcheck source=helpers.bash
source "$BATS_TEST_DIRNAME/helpers.bash"

setup_file() {
	# shellcheck source=helpers.bash
	source "$BATS_TEST_DIRNAME/helpers.bash"
	local o=$BATS_FILE_TMPDIR/pkgs
	mkdir -p "$o"
	"$KPKG" -V 1 -o "$o" "$MODS/kpatch-pkg-v1.ko" > /dev/null
	"$KPKG" -V 2 -o "$o" "$MODS/kpatch-pkg-v2.ko" > /dev/null
	"$KPKG" -V 3 -o "$o" "$MODS/kpatch-pkg-v3.ko" > /dev/null
	# the same module (the same module name) again as version 4
	"$KPKG" -V 4 -o "$o" "$MODS/kpatch-pkg-v2.ko" > /dev/null
	for v in 1 2 3 4; do
		"$TOP/test/packaging/extract" "$o/$(rpm_of $v-1)" "$BATS_FILE_TMPDIR/rpm$v"
		"$TOP/test/packaging/extract" "$o/$(deb_of $v-1)" "$BATS_FILE_TMPDIR/deb$v"
	done
}

setup() {
	P=$BATS_FILE_TMPDIR
	export KPATCH_ROOT=$BATS_TEST_TMPDIR/root STUB_LOG=$BATS_TEST_TMPDIR/kpatch.log
	export PM_LOG=$BATS_TEST_TMPDIR/pm.log
	mkdir -p "$KPATCH_ROOT/proc/sys/kernel" "$KPATCH_ROOT/sys/module" "$BATS_TEST_TMPDIR/bin"
	echo "$KVER" > "$KPATCH_ROOT/proc/sys/kernel/osrelease"
	cp "$TOP/test/packaging/stub-kpatch" "$BATS_TEST_TMPDIR/bin/kpatch"
	: > "$STUB_LOG"
	D=/var/lib/kpatch/$KVER
}

# pm STEPS...: run pm.sh functions in busybox sh; kpatch is the stub.
# The hook checks after every step that a patch of the package is loaded
# when CHECK_LOADED is set.
pm() {
	run busybox sh -c '
		PATH=$BIN:$PATH
		. "$TOP/test/packaging/pm.sh"
		pm_step_hook() {
			[ -z "${CHECK_LOADED:-}" ] && return 0
			ls "$KPATCH_ROOT/sys/module" | grep -q kpatch_pkg || {
				echo "UNPATCHED after: $1"
				exit 1
			}
		}
		'"$*" sh
	echo "$output"
	cat "$STUB_LOG"
}
export BIN TOP

loaded() { # the fake kernel's modules, sorted, on one line
	local m names=()
	for m in "$KPATCH_ROOT/sys/module"/*; do [ -e "$m" ] && names+=("${m##*/}"); done
	echo "${names[*]}"
}

@test "rpm install: kpatch install, then kpatch replace of a replacing module" {
	BIN=$BATS_TEST_TMPDIR/bin pm rpm_install "$P/rpm1"
	[ "$status" -eq 0 ]
	[ "$(cat "$STUB_LOG")" = "kpatch install -k $KVER $D/kpatch-pkg-v1.ko
kpatch replace $D/kpatch-pkg-v1.ko" ]
	[ "$(loaded)" = kpatch_pkg_v1 ]
	cmp "$KPATCH_ROOT$D/kpatch-pkg-v1.ko" "$MODS/kpatch-pkg-v1.ko"
}

@test "rpm upgrade 1 -> 2: the new %post replaces, the old %preun leaves it, never unpatched" {
	BIN=$BATS_TEST_TMPDIR/bin pm rpm_install "$P/rpm1"
	[ "$status" -eq 0 ]
	BIN=$BATS_TEST_TMPDIR/bin CHECK_LOADED=1 pm rpm_upgrade "$P/rpm1" "$P/rpm2"
	[ "$status" -eq 0 ]
	[ "$(cat "$STUB_LOG")" = "kpatch install -k $KVER $D/kpatch-pkg-v1.ko
kpatch replace $D/kpatch-pkg-v1.ko
kpatch install -k $KVER $D/kpatch-pkg-v2.ko
kpatch replace $D/kpatch-pkg-v2.ko" ]
	[ "$(loaded)" = kpatch_pkg_v2 ]
	[ "$(ls "$KPATCH_ROOT$D")" = kpatch-pkg-v2.ko ]
	[[ "$output" == *"loaded kpatch_pkg_v2"*"unloaded kpatch_pkg_v1"* ]]
}

@test "rpm erase: %preun with 0 unloads the module and forgets the package" {
	BIN=$BATS_TEST_TMPDIR/bin pm rpm_install "$P/rpm2" '&&' rpm_erase "$P/rpm2"
	[ "$status" -eq 0 ]
	[ "$(tail -n 1 "$STUB_LOG")" = "kpatch unload kpatch_pkg_v2" ]
	[ -z "$(loaded)" ]
	[ -z "$(ls -A "$KPATCH_ROOT$D")" ]
}

@test "deb install, upgrade 1 -> 2 and remove, in dpkg's order" {
	BIN=$BATS_TEST_TMPDIR/bin pm deb_install "$P/deb1"
	[ "$status" -eq 0 ]
	BIN=$BATS_TEST_TMPDIR/bin CHECK_LOADED=1 pm deb_upgrade "$P/deb1" "$P/deb2"
	[ "$status" -eq 0 ]
	[ "$(cat "$STUB_LOG")" = "kpatch install -k $KVER $D/kpatch-pkg-v1.ko
kpatch replace $D/kpatch-pkg-v1.ko
kpatch install -k $KVER $D/kpatch-pkg-v2.ko
kpatch replace $D/kpatch-pkg-v2.ko" ]
	grep -qx "deb1 prerm upgrade 2-1" "$PM_LOG"
	grep -qx "deb2 postinst configure 1-1" "$PM_LOG"
	[ "$(loaded)" = kpatch_pkg_v2 ]
	: > "$STUB_LOG"
	BIN=$BATS_TEST_TMPDIR/bin pm deb_erase "$P/deb2"
	[ "$status" -eq 0 ]
	[ "$(cat "$STUB_LOG")" = "kpatch unload kpatch_pkg_v2" ]
	[ -z "$(loaded)" ]
	[ -z "$(ls -A "$KPATCH_ROOT$D")" ]
}

@test "a load that fails is reported and does not fail the transaction" {
	STUB_FAIL=replace BIN=$BATS_TEST_TMPDIR/bin pm rpm_install "$P/rpm1"
	[ "$status" -eq 0 ]
	[[ "$output" == *"kpatch: cannot replace kpatch_pkg_v1: stub failure"* ]]
	[[ "$output" == *"$RPMNAME: could not load kpatch_pkg_v1 (reason above)"* ]]
	[ -z "$(loaded)" ]
	STUB_FAIL=replace BIN=$BATS_TEST_TMPDIR/bin pm deb_install "$P/deb1"
	[ "$status" -eq 0 ]
	[[ "$output" == *"$DEBNAME: could not load kpatch_pkg_v1 (reason above)"* ]]
}

@test "an upgrade whose new module fails to load keeps the old one loaded" {
	BIN=$BATS_TEST_TMPDIR/bin pm rpm_install "$P/rpm1"
	STUB_FAIL=replace BIN=$BATS_TEST_TMPDIR/bin CHECK_LOADED=1 pm rpm_upgrade "$P/rpm1" "$P/rpm2"
	[ "$status" -eq 0 ]
	[ "$(loaded)" = kpatch_pkg_v1 ]
	# and erasing the package later unloads the old module still loaded
	: > "$STUB_LOG"
	BIN=$BATS_TEST_TMPDIR/bin pm rpm_erase "$P/rpm2"
	[ "$status" -eq 0 ]
	[ "$(cat "$STUB_LOG")" = "kpatch unload kpatch_pkg_v1" ]
	[ -z "$(loaded)" ]
}

@test "an unload that fails at erase is reported and does not fail the erase" {
	BIN=$BATS_TEST_TMPDIR/bin pm rpm_install "$P/rpm1"
	STUB_FAIL=unload BIN=$BATS_TEST_TMPDIR/bin pm rpm_erase "$P/rpm1"
	[ "$status" -eq 0 ]
	[[ "$output" == *"$RPMNAME: could not unload kpatch_pkg_v1 (reason above): it stays loaded until the next boot, or run 'kpatch unload kpatch_pkg_v1'"* ]]
	[ ! -e "$KPATCH_ROOT$D/kpatch-pkg-v1.ko" ]
}

@test "another running kernel: recorded for its next boot, nothing loaded or unloaded" {
	echo 6.1.0-other > "$KPATCH_ROOT/proc/sys/kernel/osrelease"
	mkdir "$KPATCH_ROOT/sys/module/kpatch_pkg_v1"	# the other kernel's own
	BIN=$BATS_TEST_TMPDIR/bin pm rpm_install "$P/rpm1" '&&' rpm_erase "$P/rpm1"
	[ "$status" -eq 0 ]
	[ "$(cat "$STUB_LOG")" = "kpatch install -k $KVER $D/kpatch-pkg-v1.ko" ]
	[[ "$output" == *"the running kernel is 6.1.0-other, not $KVER: kpatch_pkg_v1 will be loaded when $KVER boots"* ]]
	[ "$(loaded)" = kpatch_pkg_v1 ]
}

@test "a non-replacing new version: loaded next to the old one, then the old one unloaded" {
	BIN=$BATS_TEST_TMPDIR/bin pm rpm_install "$P/rpm1"
	: > "$STUB_LOG"
	BIN=$BATS_TEST_TMPDIR/bin CHECK_LOADED=1 pm rpm_upgrade "$P/rpm1" "$P/rpm3"
	[ "$status" -eq 0 ]
	[ "$(cat "$STUB_LOG")" = "kpatch install -k $KVER $D/kpatch-pkg-v3.ko
kpatch load $D/kpatch-pkg-v3.ko
kpatch unload kpatch_pkg_v1" ]
	[[ "$output" == *"kpatch_pkg_v3 is not a replacing patch (kpatch_replace=N): loaded it next to kpatch_pkg_v1, now unloading kpatch_pkg_v1"* ]]
	[ "$(loaded)" = kpatch_pkg_v3 ]
	# the same in dpkg's order
	rm -rf "${KPATCH_ROOT:?}/sys/module"/* "${KPATCH_ROOT:?}/var"
	BIN=$BATS_TEST_TMPDIR/bin pm deb_install "$P/deb1"
	: > "$STUB_LOG"
	BIN=$BATS_TEST_TMPDIR/bin CHECK_LOADED=1 pm deb_upgrade "$P/deb1" "$P/deb3"
	[ "$status" -eq 0 ]
	[ "$(tail -n 2 "$STUB_LOG")" = "kpatch load $D/kpatch-pkg-v3.ko
kpatch unload kpatch_pkg_v1" ]
	[ "$(loaded)" = kpatch_pkg_v3 ]
}

@test "a new version with the same module name: the loaded one stays, with a clear message" {
	BIN=$BATS_TEST_TMPDIR/bin pm rpm_install "$P/rpm2"
	: > "$STUB_LOG"
	BIN=$BATS_TEST_TMPDIR/bin CHECK_LOADED=1 pm rpm_upgrade "$P/rpm2" "$P/rpm4"
	[ "$status" -eq 0 ]
	[ "$(cat "$STUB_LOG")" = "kpatch install -k $KVER $D/kpatch-pkg-v2.ko" ]
	[[ "$output" == *"kpatch_pkg_v2 is loaded already; if that is an earlier build of the same name, this build takes effect at the next boot"* ]]
	[ "$(loaded)" = kpatch_pkg_v2 ]
	# the file both versions own stays
	[ -f "$KPATCH_ROOT$D/kpatch-pkg-v2.ko" ]
}

@test "kpatch missing: the scriptlets say so and succeed" {
	rm "$BATS_TEST_TMPDIR/bin/kpatch"
	run busybox sh -c 'PATH=/nonexistent; . "$TOP/test/packaging/pm.sh"; rpm_install "$0"' "$P/rpm1"
	[ "$status" -eq 0 ]
	[[ "$output" == *"$RPMNAME: kpatch is not installed: kpatch_pkg_v1 is not loaded"* ]]
}

#!/usr/bin/env bats
# make install of the kpatch command, and kpatch.service as installed.

bats_require_minimum_version 1.5.0
# shellcheck source=helpers.bash
source "$BATS_TEST_DIRNAME/helpers.bash"

setup() {
	# A copy of the sources, so that building with other paths leaves the
	# checkout's build alone.
	src=$BATS_TEST_TMPDIR/src
	mkdir -p "$src/kpatch" "$src/include" "$src/lib"
	cp "$TOP"/kpatch/*.c "$TOP"/kpatch/*.h "$TOP/kpatch/Makefile" \
		"$TOP/kpatch/kpatch.service.in" "$TOP/kpatch/kpatch.bash-completion" "$src/kpatch/"
	cp "$TOP"/include/*.h "$src/include/"
	cp "$TOP"/lib/*.c "$TOP"/lib/*.h "$src/lib/"
	dest=$BATS_TEST_TMPDIR/dest
}

# make in the copy as a user would run it, without the variables the
# top-level Makefile exports to the suites.
standalone_make() {
	env -u PREFIX -u SBINDIR -u MODULEDIR -u DATADIR -u SYSTEMDDIR -u DESTDIR \
		make -s -C "$src/kpatch" "$@"
}

@test "make install puts kpatch and kpatch.service under PREFIX" {
	run standalone_make install DESTDIR="$dest" PREFIX=/opt/kp
	[ "$status" -eq 0 ]
	[ -x "$dest/opt/kp/sbin/kpatch" ]
	[ -f "$dest/opt/kp/lib/systemd/system/kpatch.service" ]
	cmp "$TOP/kpatch/kpatch.bash-completion" "$dest/opt/kp/share/bash-completion/completions/kpatch"
	grep -qx 'ExecStart=/opt/kp/sbin/kpatch load --all --boot' "$dest/opt/kp/lib/systemd/system/kpatch.service"
}

@test "the installed kpatch looks for the core module under PREFIX" {
	standalone_make install DESTDIR="$dest" PREFIX=/opt/kp
	fake_root
	run --separate-stderr "$dest/opt/kp/sbin/kpatch" load "$FIXTURES/kpatch-fix.ko"
	fails_with 1 "$root/opt/kp/lib/kpatch/$release/kpatch.ko does not exist" \
		"'make -C /opt/kp/share/kpatch/core KDIR=/lib/modules/$release/build all install'"
}

@test "SBINDIR and SYSTEMDDIR are followed" {
	run standalone_make install DESTDIR="$dest" PREFIX=/usr SBINDIR=/usr/sbin SYSTEMDDIR=/lib/systemd/system
	[ "$status" -eq 0 ]
	[ -x "$dest/usr/sbin/kpatch" ]
	grep -qx 'ExecStart=/usr/sbin/kpatch load --all --boot' "$dest/lib/systemd/system/kpatch.service"
	# Changing SBINDIR alone regenerates the unit.
	standalone_make install DESTDIR="$dest" SBINDIR=/srv/sbin SYSTEMDDIR=/lib/systemd/system
	grep -qx 'ExecStart=/srv/sbin/kpatch load --all --boot' "$dest/lib/systemd/system/kpatch.service"
}

@test "kpatch.service is a oneshot that stays active and runs before multi-user.target" {
	standalone_make install DESTDIR="$dest" PREFIX=/usr SBINDIR=/usr/sbin SYSTEMDDIR=/lib/systemd/system
	unit=$dest/lib/systemd/system/kpatch.service
	# Each key once, in its section.
	section_key() {
		awk -v s="[$1]" -v k="$2" '/^\[/ { in_s = ($0 == s) } in_s && index($0, k "=") == 1 { sub(/^[^=]*=/, ""); print }' "$unit"
	}
	[ "$(section_key Service Type)" = oneshot ]
	[ "$(section_key Service RemainAfterExit)" = yes ]
	[ "$(section_key Service ExecStart)" = "/usr/sbin/kpatch load --all --boot" ]
	# kpatch itself honours kpatch.enable=0, saying so in the journal; a
	# condition would skip the unit in silence.
	[ -z "$(section_key Unit ConditionKernelCommandLine)" ]
	[ "$(section_key Install WantedBy)" = multi-user.target ]
	[[ " $(section_key Unit Before) " == *" multi-user.target "* ]]
	[[ " $(section_key Unit Before) " == *" network-pre.target "* ]]
	# A failure must not be ignored ("-" would hide it from systemctl).
	[[ "$(section_key Service ExecStart)" != -* ]]
}

@test "kpatch.service passes systemd-analyze verify" {
	command -v systemd-analyze >/dev/null || skip "systemd-analyze is not installed"
	standalone_make install DESTDIR="$dest" PREFIX=/usr SBINDIR=/usr/sbin SYSTEMDDIR=/lib/systemd/system
	unit=$BATS_TEST_TMPDIR/kpatch.service
	# verify wants ExecStart's binary where the unit says; kpatch(1) is
	# checked by help.bats, not through an installed man database.
	sed "s|/usr/sbin/kpatch|$dest/usr/sbin/kpatch|" "$dest/lib/systemd/system/kpatch.service" > "$unit"
	run systemd-analyze verify --man=no "$unit"
	# Unknown keys are only warned about: any output is a failure.
	[ "$status" -eq 0 ] && [ -z "$output" ] || { echo "$output"; false; }
}

@test "make install of man/ installs kpatch.1" {
	run env -u MANDIR make -s -C "$TOP/man" install DESTDIR="$dest" PREFIX=/usr
	[ "$status" -eq 0 ]
	cmp "$TOP/man/kpatch.1" "$dest/usr/share/man/man1/kpatch.1"
}

#!/usr/bin/env bats
# The top-level make install and make uninstall: nothing outside PREFIX but
# the initramfs tools' directories (and, for PREFIX=/usr, the systemd unit
# directory), and uninstall takes away exactly what install put.

bats_require_minimum_version 1.5.0

setup() {
	: "${TOP:=$(cd "$BATS_TEST_DIRNAME/../.." && pwd)}"
	dest=$BATS_TEST_TMPDIR/dest
}

# make at the top, as a user would run it: without the variables the
# top-level Makefile exports to the suites.
top_make() {
	env -u PREFIX -u SBINDIR -u MODULEDIR -u DATADIR -u SYSTEMDDIR -u DESTDIR \
		-u BINDIR -u LIBEXECDIR -u MANDIR make -s -C "$TOP" "$@"
}

@test "make install puts nothing outside PREFIX but the initramfs tools' files" {
	run top_make install DESTDIR="$dest" PREFIX=/opt/kp
	[ "$status" -eq 0 ]
	[ -x "$dest/opt/kp/sbin/kpatch" ]
	outside=$(cd "$dest" && find . ! -type d ! -path './opt/kp/*' | sort)
	[ "$outside" = "./etc/initramfs-tools/hooks/kpatch
./etc/initramfs-tools/scripts/init-top/kpatch
./usr/lib/dracut/modules.d/90kpatch/kpatch-load.sh
./usr/lib/dracut/modules.d/90kpatch/module-setup.sh" ] || { echo "$outside"; false; }
}

@test "make uninstall removes what make install put, and nothing else" {
	for prefix in /opt/kp /usr; do
		rm -rf "$dest"
		mkdir -p "$dest$prefix/sbin" "$dest/etc/initramfs-tools/hooks"
		echo mine > "$dest$prefix/sbin/other-tool"
		echo mine > "$dest/etc/initramfs-tools/hooks/other-hook"
		before=$(cd "$dest" && find . ! -type d | sort)
		top_make install DESTDIR="$dest" PREFIX="$prefix"
		[ "$(cd "$dest" && find . ! -type d | wc -l)" -gt 20 ]
		run top_make uninstall DESTDIR="$dest" PREFIX="$prefix"
		[ "$status" -eq 0 ]
		[[ "$output" == *"removed $dest$prefix/sbin/kpatch"* ]]
		after=$(cd "$dest" && find . ! -type d | sort)
		[ "$after" = "$before" ] || { echo "$prefix: left $after"; false; }
		# kpatch's own directories are gone; shared ones stay.
		[ -z "$(cd "$dest" && find . -type d -name '*kpatch*')" ]
		[ -d "$dest$prefix/sbin" ]
	done
}

@test "make uninstall keeps the core modules built after the install, saying so" {
	top_make install DESTDIR="$dest" PREFIX=/opt/kp
	mkdir -p "$dest/opt/kp/lib/kpatch/6.1.0-test"
	echo core > "$dest/opt/kp/lib/kpatch/6.1.0-test/kpatch.ko"
	run top_make uninstall DESTDIR="$dest" PREFIX=/opt/kp
	[ "$status" -eq 0 ]
	[ "${lines[-1]}" = "kept $dest/opt/kp/lib/kpatch: core modules built after the install (remove them by hand)" ]
	[ -f "$dest/opt/kp/lib/kpatch/6.1.0-test/kpatch.ko" ]
	[ ! -e "$dest/opt/kp/sbin/kpatch" ]
}

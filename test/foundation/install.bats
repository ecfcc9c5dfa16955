#!/usr/bin/env bats
# make install lays files out as a distribution would, under DESTDIR.

setup_file() {
	export TOP="$BATS_TEST_DIRNAME/../.."
	STAGE=$(mktemp -d)
	export STAGE
	make -C "$TOP" --no-print-directory install PREFIX=/usr DESTDIR="$STAGE" > "$STAGE.log" 2>&1 ||
		{ cat "$STAGE.log" >&3; return 1; }
}

teardown_file() {
	rm -rf "$STAGE" "$STAGE.log"
}

@test "binaries land in sbin, bin and libexec" {
	[ -x "$STAGE/usr/sbin/kpatch" ]
	[ -x "$STAGE/usr/bin/kpatch-build" ]
	[ -x "$STAGE/usr/libexec/kpatch/create-diff-object" ]
}

@test "the template, core sources and headers land in /usr/share/kpatch" {
	[ -f "$STAGE/usr/share/kpatch/include/kpatch-abi.h" ]
	[ -f "$STAGE/usr/share/kpatch/include/kpatch-macros.h" ]
	compgen -G "$STAGE/usr/share/kpatch/patch/*.c" > /dev/null
	compgen -G "$STAGE/usr/share/kpatch/core/*.c" > /dev/null
}

@test "man pages land in /usr/share/man/man1" {
	for page in kpatch kpatch-build create-diff-object; do
		[ -f "$STAGE/usr/share/man/man1/$page.1" ] || { echo "no $page.1"; return 1; }
	done
}

@test "kpatch.service is a systemd unit that runs the installed kpatch" {
	unit="$STAGE/lib/systemd/system/kpatch.service"
	[ -f "$unit" ]
	grep -qx 'ExecStart=/usr/sbin/kpatch load --all --boot' "$unit"
}

@test "the installed kpatch-build uses the installed pieces, not the checkout" {
	if grep -q "$(cd "$TOP" && pwd)" "$STAGE/usr/bin/kpatch-build"; then
		echo "the installed kpatch-build names the checkout"; return 1
	fi
	grep -q '/usr/libexec/kpatch' "$STAGE/usr/bin/kpatch-build"
}

@test "nothing is installed outside DESTDIR's usr and lib" {
	run find "$STAGE" -mindepth 1 -maxdepth 1
	for entry in $output; do
		case "$entry" in "$STAGE/usr"|"$STAGE/lib") ;; *) echo "unexpected $entry"; return 1 ;; esac
	done
}

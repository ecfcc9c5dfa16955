# Shared set-up of the kpatch command's bats tests.
#
# KPATCH is the binary under test and FIXTURES the directory make-fixtures
# filled (test/suites/unit-cli sets both).  Each test gets a fake root in
# $root that passes for the test kernel, reached through KPATCH_ROOT.

: "${TOP:=$(cd "$BATS_TEST_DIRNAME/../.." && pwd)}"
: "${KPATCH_BIN:=$TOP/kpatch/kpatch}"
# Through in-root, which puts the fake root's /proc and /sys/module where
# libkmod reads them.
: "${KPATCH:=$TOP/test/cli/in-root}"
export KPATCH_BIN
: "${FIXTURES:=$TOP/build/cli-fixtures}"

fake_root() {
	root=$BATS_TEST_TMPDIR/root
	release=$(cat "$FIXTURES/release")
	mkdir -p "$root/proc/sys/kernel" "$root/sys/kernel" "$root/sys/module" \
		"$root/var/lib"
	echo "$release" > "$root/proc/sys/kernel/osrelease"
	cp "$FIXTURES/notes" "$root/sys/kernel/notes"
	: > "$root/proc/modules"
	export KPATCH_ROOT=$root
	unset KPATCH_CORE_MODULE
}

# A directory that users other than root can reach (bats' own are 0700),
# removed by cleanup_public.
public_dir() {
	pub=$(mktemp -d "${TMPDIR:-/tmp}/kpatch-cli.XXXXXX")
	chmod 755 "$pub"
}

cleanup_public() {
	[ -z "${pub:-}" ] || rm -rf "$pub"
}

# A module in /sys/module and at the head of /proc/modules (newest first),
# in state $2 (live, coming or going; default live).
fake_module() {
	local state=${2:-live} column
	mkdir -p "$root/sys/module/$1"
	echo "$state" > "$root/sys/module/$1/initstate"
	case $state in live) column=Live ;; coming) column=Loading ;; going) column=Unloading ;; esac
	{ echo "$1 16384 0 - $column 0xffffffffc0000000"; cat "$root/proc/modules"; } \
		> "$root/proc/modules.new"
	mv "$root/proc/modules.new" "$root/proc/modules"
}

fake_core() {
	fake_module kpatch
	mkdir -p "$root/sys/kernel/kpatch"
	: > "$root/sys/kernel/kpatch/last_error"
}

# fake_patch NAME ENABLED [OBJECT/FUNCTION,SYMPOS]...: a patch the core has.
fake_patch() {
	local name=$1 enabled=$2 f obj dir
	shift 2
	fake_module "$name"
	dir=$root/sys/kernel/kpatch/$name
	mkdir -p "$dir"
	echo "$enabled" > "$dir/enabled"
	echo 0 > "$dir/replace"
	echo 0 > "$dir/retries"
	for f in "$@"; do
		obj=${f%%/*}
		mkdir -p "$dir/$f"
		[ -e "$dir/$obj/loaded" ] || echo 1 > "$dir/$obj/loaded"
		echo "$enabled" > "$dir/$f/active"
		echo 0 > "$dir/$f/forced"
	done
}

# loaded_from NAME FILE: the loaded module NAME is the build of FILE, as
# /sys/module/NAME/notes/.note.gnu.build-id tells (its own build ID note).
loaded_from() {
	mkdir -p "$root/sys/module/$1/notes"
	objcopy -O binary --only-section=.note.gnu.build-id "$2" \
		"$root/sys/module/$1/notes/.note.gnu.build-id"
	[ -s "$root/sys/module/$1/notes/.note.gnu.build-id" ]
}

# ELF notes, as /sys/kernel/notes holds them, written in hex and turned
# into bytes by unhex: note_hex NAME TYPE DESC (NAME gets its NUL).
note_hex() {
	local name desc=$3
	name=$(printf '%s' "$1" | od -An -v -tx1 | tr -d ' \n')00
	le32_hex $(( ${#name} / 2 ))
	le32_hex $(( ${#desc} / 2 ))
	le32_hex "$2"
	pad_hex "$name"
	pad_hex "$desc"
}

le32_hex() {
	printf '%02x%02x%02x%02x' $(( $1 & 255 )) $(( ($1 >> 8) & 255 )) \
		$(( ($1 >> 16) & 255 )) $(( ($1 >> 24) & 255 ))
}

pad_hex() {
	local h=$1
	while (( ${#h} % 8 )); do h+=00; done
	printf '%s' "$h"
}

unhex() {
	printf '%b' "$(sed 's/../\\x&/g')"
}

# What /sys/kernel/notes holds for a kernel of build ID $1 (hex).
gnu_build_id_note() {
	note_hex GNU 3 "$1" | unhex
}

# "$KPATCH" (in-root) as nobody: in-root drops to nobody after its mounts.
as_nobody() {
	KPATCH_TEST_NOBODY=1 "$@"
}

# The failure contract (after run --separate-stderr): status $1, nothing
# on stdout, exactly one line on stderr, "kpatch: ..." and containing every
# further argument.
# status, output, stderr and stderr_lines are set by bats' run.
# shellcheck disable=SC2154
fails_with() {
	local want=$1 part
	shift
	if [ "$status" -ne "$want" ]; then
		echo "status $status, expected $want; stdout: $output; stderr: $stderr" >&2
		return 1
	fi
	if [ -n "$output" ]; then
		echo "expected nothing on stdout, got: $output" >&2
		return 1
	fi
	if [ "${#stderr_lines[@]}" -ne 1 ] || [[ "$stderr" != "kpatch: "* ]]; then
		echo "expected one 'kpatch: ' line on stderr, got: $stderr" >&2
		return 1
	fi
	for part in "$@"; do
		if [[ "$stderr" != *"$part"* ]]; then
			echo "stderr lacks '$part': $stderr" >&2
			return 1
		fi
	done
}

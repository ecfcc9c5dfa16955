# shellcheck shell=sh
# Helpers of the kpatch command's VM tests (busybox sh): each test sources
# /payload/lib.sh, runs kpatch through k and checks what the user saw.
release=$(cat /payload/release)
moduledir=$(cat /payload/moduledir)
# M and core_dest are for the tests that source this file.
# shellcheck disable=SC2034
M=/payload/modules
# shellcheck disable=SC2034
core_dest=$moduledir/$release/kpatch.ko

fail() {
	echo "FAIL: $*"
	exit 1
}

# k ARGS...: run kpatch, keeping $rc, $out and $err, and show it all.
k() {
	kpatch "$@" > /tmp/k.out 2> /tmp/k.err
	rc=$?
	out=$(cat /tmp/k.out)
	err=$(cat /tmp/k.err)
	echo "# kpatch $* -> $rc"
	sed 's/^/#   out: /' /tmp/k.out
	sed 's/^/#   err: /' /tmp/k.err
}

# Status $1 and one "kpatch: " line on stderr holding every further argument.
fails() {
	want=$1
	shift
	[ "$rc" = "$want" ] || fail "status $rc, expected $want"
	[ "$(wc -l < /tmp/k.err)" -eq 1 ] || fail "expected one line on stderr"
	case "$err" in "kpatch: "*) ;; *) fail "stderr does not start with 'kpatch: '" ;; esac
	for part in "$@"; do
		case "$err" in *"$part"*) ;; *) fail "stderr lacks '$part'" ;; esac
	done
}

succeeds() {
	[ "$rc" = 0 ] || fail "status $rc, expected 0"
	[ -z "$err" ] || fail "unexpected stderr"
}

has_line() {
	printf '%s\n' "$out" | grep -qxF "$1" || fail "no line '$1' in the output"
}

loaded() {
	grep -q "^$1 " /proc/modules
}

enabled() {
	[ "$(cat "/sys/kernel/kpatch/$1/enabled" 2>/dev/null)" = 1 ]
}

expect_file() {
	got=$(cat "$1")
	[ "$got" = "$2" ] || fail "$1 says '$got', expected '$2'"
}

# shellcheck shell=sh
# lib.sh - helpers for the core's VM tests (busybox sh), sourced by each.
P=/payload
K=/sys/kernel/kpatch

fail() { echo "FAIL: $*"; dmesg | tail -n 30; exit 1; }
ok() { echo "ok: $*"; }

# Load the core once per boot, clear what an earlier failed test left,
# and move functions to direct calls again if a test stopped that.
setup() {
	[ -d $K ] || insmod $P/kpatch.ko || fail "cannot load kpatch.ko"
	cleanup
	echo 1 > /sys/module/kpatch/parameters/direct_calls
	ORIG_CMDLINE=$(cat /proc/cmdline)
	case "$ORIG_CMDLINE" in kpf_*|*live*) fail "/proc/cmdline is still patched: $ORIG_CMDLINE";; esac
}

# Wait until kpf_target's sleeper thread sleeps in kpf_target_wait(); its
# pid in $pid.
wait_sleeping() {
	i=0
	until grep -q sleeping=1 /proc/kpf_target; do
		i=$((i + 1)); [ $i -lt 50 ] || fail "the sleeper never slept"; sleep 0.1
	done
	# shellcheck disable=SC2034 # the sleeper's PID, for the test that waits
	pid=$(sed -n 's/sleeper_pid=//p' /proc/kpf_target)
}

# Start that sleeper and wait until it sleeps.
start_sleeper() {
	echo sleep > /proc/kpf_target || fail "starting the sleeper"
	wait_sleeping
}

# Poll COMMAND every 0.1 s until it succeeds, 20 s at most; $i counts the
# polls (a COMMAND may use it to say more on its last one).
wait_until() { # WHAT COMMAND...
	what=$1
	shift
	i=0
	until "$@"; do
		i=$((i + 1))
		[ $i -lt 200 ] || fail "never: $what"
		sleep 0.1
	done
	ok "$what after $i polls"
}

expect_eq() { # ACTUAL EXPECTED WHAT
	[ "$1" = "$2" ] || fail "$3: expected '$2', got '$1'"
	ok "$3 = '$2'"
}

# Mark the kernel log, then look only at what follows the mark.
mark() {
	MARK="kpf-mark-$(cat /proc/sys/kernel/random/uuid)"
	echo "$MARK" > /dev/kmsg
}
since_mark() { dmesg | sed -n "/$MARK/,\$p"; }
expect_log() { # PATTERN (grep -E)
	since_mark | grep -qE -- "$1" || fail "the kernel log lacks /$1/"
	ok "log has /$1/"
}
expect_no_log() {
	since_mark | grep -qE -- "$1" && fail "the kernel log has /$1/"
	ok "log lacks /$1/"
}
# Line number of the first match after the mark.
log_line() { since_mark | grep -nE -- "$1" | head -n 1 | cut -d: -f1; }

expect_insmod_fails() { # KO [ARGS]
	insmod "$@" 2>/tmp/insmod.err && fail "insmod $* succeeded"
	ok "insmod $* failed: $(cat /tmp/insmod.err)"
}

loaded() { grep -q "^$1 " /proc/modules; }

# Remove every test patch and fixture a failed test may have left.
cleanup() {
	for d in "$K"/kpf_*; do
		[ -d "$d" ] && echo 0 > "$d/enabled" 2>/dev/null
	done
	for m in kpf_p1 kpf_p2 kpf_p3 kpf_cb kpf_modr kpf_mod kpf_force kpf_pcpu kpf_tail kpf_coldp kpf_multi kpf_stale kpf_slowp kpf_manya kpf_manyb kpf_manyr kpf_target kpf_slow kpf_many; do
		loaded $m && rmmod $m 2>/dev/null
	done
	true
}

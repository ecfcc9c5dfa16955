# shellcheck shell=sh
# Helpers for the tests of BPF and kprobes on patched functions, sourced
# inside the VM (busybox sh) after test/integration/lib.sh.  The payload
# has bpf/bpf-count, bpf/counter.bpf.o and bpf/kprobe_post.ko beside the
# core and the patch modules.
#
# The function under test is version_proc_show, which the proc-version
# patch changes: /proc/version shows which version ran.  meminfo-string
# patches another function, so that the core's ftrace_ops is registered
# before version_proc_show joins it.

BPF_DIR=/payload/bpf
FUNCTION=version_proc_show
PATCH=proc-version
# shellcheck disable=SC2034 # used by the tests that source this file
OTHER_PATCH=meminfo-string
BPF_OUT=/tmp/bpf-count.out
READS=10

# core_load 0|1: load the core with that direct_calls.
core_load() {
	note "insmod kpatch.ko direct_calls=$1"
	grep -q '^kpatch ' /proc/modules && fail "the core is loaded already"
	insmod "$KPATCH_CORE_MODULE" "direct_calls=$1" || fail "insmod kpatch.ko direct_calls=$1 failed"
	want=N; [ "$1" = 1 ] && want=Y
	[ "$(cat /sys/module/kpatch/parameters/direct_calls)" = $want ] ||
		fail "direct_calls reads $(cat /sys/module/kpatch/parameters/direct_calls), not $want"
}

# core_unload: rmmod the core once nothing holds it (a core that lets go
# of its direct calls in the background holds itself until it has).
core_unload() {
	note "rmmod kpatch"
	i=0
	until [ "$(cat /sys/module/kpatch/refcnt)" = 0 ]; do
		i=$((i + 1))
		[ $i -lt 100 ] || fail "kpatch is still in use (refcnt $(cat /sys/module/kpatch/refcnt)) 10 s after its last patch left"
		sleep 0.1
	done
	rmmod kpatch || fail "rmmod kpatch failed"
	grep -q '^kpatch ' /proc/modules && fail "kpatch is still loaded"
	return 0
}

set_direct_calls() {
	note "direct_calls=$1"
	echo "$1" > /sys/module/kpatch/parameters/direct_calls || fail "cannot write $1 to direct_calls"
}

# redirect: how calls to FUNCTION reach the proc-version patch (sysfs).
redirect() {
	cat "/sys/kernel/kpatch/$(modname $PATCH)/vmlinux/$FUNCTION",*/redirect 2>/dev/null
}

# wait_redirect VALUE: until sysfs redirect reads VALUE (10 s at most).
wait_redirect() {
	i=0
	until [ "$(redirect)" = "$1" ]; do
		i=$((i + 1))
		[ $i -lt 100 ] || fail "redirect of $FUNCTION reads '$(redirect)', not '$1', after 10 s"
		sleep 0.1
	done
	note "redirect of $FUNCTION reads $1"
}

# is_patched: /proc/version shows the patched version ran.
is_patched() { grep -q 'This kernel has been live patched by kpatch.' /proc/version; }

# expect_patched, expect_unpatched: what userspace sees, and what sysfs says.
expect_patched() {
	is_patched || fail "/proc/version is not patched: the old $FUNCTION ran ($1)"
	active=$(cat "/sys/kernel/kpatch/$(modname $PATCH)/vmlinux/$FUNCTION",*/active)
	[ "$active" = 1 ] || fail "/proc/version is patched but sysfs active is $active ($1)"
	note "patched code runs ($1; redirect '$(redirect)')"
}
expect_unpatched() {
	is_patched && fail "/proc/version is still patched ($1)"
	note "original code runs ($1)"
}

# expect_verified WHEN: kpatch verify, which reads the BPF trampoline's
# code on FUNCTION's site, says the patched version is reached and that
# the trampoline does not call the original itself.
expect_verified() {
	# The record verify read, whole (test/cli/ftrace/ keeps captures).
	grep -A1 "^$FUNCTION " /sys/kernel/tracing/enabled_functions | sed 's/^/#   | /'
	out=$(kpatch verify "kpatch-$PATCH")
	status=$?
	echo "$out"
	[ $status -eq 0 ] || fail "kpatch verify exited with $status ($1)"
	echo "$out" | grep -q "vmlinux/$FUNCTION: reached through .*; bpf_trampoline_[0-9]* does not call the original $FUNCTION itself" ||
		fail "kpatch verify did not check the BPF trampoline on $FUNCTION ($1)"
	note "kpatch verify: the BPF trampoline does not call the original ($1)"
}

# ftrace_running: ftrace has not shut itself down.  After ftrace_kill(),
# available_filter_functions fails to open (ENODEV); enabled_functions
# still opens on 6.1, and lists nothing.
ftrace_running() {
	head -n 1 /sys/kernel/tracing/available_filter_functions > /dev/null 2>&1
}

# ftrace_alive: ftrace is running, and the core says so where it can.
ftrace_alive() {
	ftrace_running || fail "available_filter_functions cannot be opened: ftrace shut itself down"
	if [ -e /sys/kernel/kpatch/ftrace ]; then
		[ "$(cat /sys/kernel/kpatch/ftrace)" = running ] ||
			fail "/sys/kernel/kpatch/ftrace reads $(cat /sys/kernel/kpatch/ftrace)"
	fi
}

# bpf_start KIND FUNCTION OUT: start bpf-count, its output in OUT, and
# wait until it has attached (return 0, its pid in $started) or given up
# (return 1).
bpf_start() {
	note "bpf-count: attach $1 to $2"
	want=1; [ "$1" = both ] && want=2
	"$BPF_DIR/bpf-count" "$BPF_DIR/counter.bpf.o" "$2" "$1" > "$3" 2>&1 &
	started=$!
	i=0
	until [ "$(grep -c '^bpf-count: attached ' "$3")" -eq $want ]; do
		if ! kill -0 $started 2>/dev/null; then
			wait $started
			cat "$3"
			return 1
		fi
		i=$((i + 1)); [ $i -lt 300 ] || fail "bpf-count did not attach in 30 s"
		sleep 0.1
	done
	cat "$3"
}

# bpf_attach fentry|fexit|both: bpf-count on FUNCTION (pid $bpf_pid,
# output $BPF_OUT); returns 1 if it could not attach.
bpf_attach() {
	bpf_reports=0
	bpf_pid=
	bpf_start "$1" $FUNCTION "$BPF_OUT" || return 1
	bpf_pid=$started
}

# bpf_hold FUNCTION: an fentry program on another function, so that its
# patch stays on the core's handler (a BPF trampoline keeps a function
# from moving to a direct call); bpf_release detaches it.
bpf_hold() {
	hold_pid=
	bpf_start fentry "$1" /tmp/bpf-hold.out || fail "bpf-count could not attach to $1"
	hold_pid=$started
}
bpf_release() {
	kill -TERM "$hold_pid" || fail "bpf-count is gone"
	wait "$hold_pid"
	status=$?
	hold_pid=
	[ $status -eq 0 ] || fail "bpf-count exited with $status on detach"
}

# bpf_counts: ask bpf-count for its counters; sets $fentry and $fexit.
bpf_counts() {
	bpf_reports=$((bpf_reports + 1))
	kill -USR1 "$bpf_pid" || fail "bpf-count is gone"
	i=0
	until line=$(grep "^counts $bpf_reports " "$BPF_OUT"); do
		i=$((i + 1)); [ $i -lt 100 ] || fail "bpf-count did not report its counters"
		sleep 0.1
	done
	fentry=$(echo "$line" | sed 's/.* fentry=\([0-9]*\).*/\1/')
	fexit=$(echo "$line" | sed 's/.* fexit=\([0-9]*\)$/\1/')
}

# expect_counted fentry|fexit|both WHEN: READS reads of /proc/version, each
# of which the attached programs must count.
expect_counted() {
	bpf_counts
	fentry0=$fentry fexit0=$fexit
	n=0
	while [ $n -lt $READS ]; do
		cat /proc/version > /dev/null
		n=$((n + 1))
	done
	bpf_counts
	note "BPF counted $((fentry - fentry0)) fentry, $((fexit - fexit0)) fexit calls in $READS reads ($2)"
	if [ "$1" != fexit ] && [ $((fentry - fentry0)) -lt $READS ]; then
		fail "the fentry program counted $((fentry - fentry0)) of $READS calls ($2)"
	fi
	if [ "$1" != fentry ] && [ $((fexit - fexit0)) -lt $READS ]; then
		fail "the fexit program counted $((fexit - fexit0)) of $READS calls ($2)"
	fi
	return 0
}

# bpf_detach: bpf-count detaches and exits 0.
bpf_detach() {
	note "bpf-count: detach"
	kill -TERM "$bpf_pid" || fail "bpf-count is gone"
	wait "$bpf_pid"
	status=$?
	bpf_pid=
	cat "$BPF_OUT"
	[ $status -eq 0 ] || fail "bpf-count exited with $status on detach"
	grep -q '^bpf-count: detached ' "$BPF_OUT" || fail "bpf-count did not say it detached"
}

# expect_kprobe_hits WHEN: READS reads of /proc/version, each of which
# kprobe_post's post_handler must count.
expect_kprobe_hits() {
	hits0=$(cat /sys/module/kprobe_post/parameters/hits)
	n=0
	while [ $n -lt $READS ]; do
		cat /proc/version > /dev/null
		n=$((n + 1))
	done
	hits=$(( $(cat /sys/module/kprobe_post/parameters/hits) - hits0 ))
	note "the kprobe's post_handler ran $hits times in $READS reads ($1)"
	[ $hits -ge $READS ] || fail "the kprobe's post_handler ran $hits times in $READS reads ($1)"
}

# Whatever happened, leave nothing attached or loaded for the next test.
cleanup() {
	for pid in "${bpf_pid:-}" "${hold_pid:-}"; do
		[ -n "$pid" ] && kill -TERM "$pid" 2>/dev/null && wait "$pid"
	done
	rmmod kprobe_post 2>/dev/null
	kpatch unload --all >/dev/null 2>&1
	rmmod kpatch 2>/dev/null
}
trap cleanup EXIT

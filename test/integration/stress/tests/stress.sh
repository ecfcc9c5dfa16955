#!/bin/sh
# The stress test (issue 12): CYCLES cycles of load kpf_s1, load kpf_s2
# (replacing kpf_s1), disable kpf_s2, unload both, while two readers
# hammer /proc/cmdline, one runs uname, a timer calls kpf_hot_tick() every
# jiffy on some CPU, two loops fork and exit, one reads ftrace's
# enabled_functions and the function tracer traces cmdline_proc_show;
# meanwhile the core moves functions to direct calls and back, and every
# fifth cycle hands them back to the handler (direct_calls=0); the other
# cycles keep an unused direct call for 0, 50 or 1000 ms (direct_keep_ms):
# let go of at once (a registration and an unregistration each cycle,
# under the function tracer and the enabled_functions reader), expiring
# while the next load claims it, or reused.  Every read
# must show the old output or one patch's whole output; no tick may mix
# versions; run-vm fails the test on any oops, WARN, lockdep or RCU splat.
# How long the cycles take is printed, not judged: a stuck cycle is caught
# by the VM's timeout (test/suites/vm-stress).
# shellcheck source=../../core/lib.sh
. /payload/lib.sh
setup
CYCLES=200	# unless the suite's stress.env says otherwise
[ ! -f /payload/stress.env ] || . /payload/stress.env
STOP=/tmp/stress.stop
BAD=/tmp/stress.bad
rm -f $STOP
: > $BAD

# vm-stress boots with preempt=full; a kernel that ignored it would run
# the whole test under voluntary preemption without saying so.
boot_log=$(dmesg)
case "$boot_log" in
*"Dynamic Preempt: full"*) ;;
*) fail "the kernel is not fully preemptible (no 'Dynamic Preempt: full' at boot)" ;;
esac

insmod $P/kpf_hot.ko || fail "insmod kpf_hot"
ORIG_M=$(uname -m)

read_cmdline() {
	while [ ! -e $STOP ]; do
		read -r l < /proc/cmdline
		case "$l" in
		"$ORIG_CMDLINE"|"kpf_s1 $ORIG_CMDLINE"|"kpf_s2 $ORIG_CMDLINE") ;;
		*) echo "cmdline: '$l'" >> $BAD ;;
		esac
	done
}
read_uname() {
	while [ ! -e $STOP ]; do
		m=$(uname -m)
		case "$m" in
		"$ORIG_M"|kpf_s1|kpf_s2) ;;
		*) echo "uname -m: '$m'" >> $BAD ;;
		esac
	done
}
storm() {
	while [ ! -e $STOP ]; do
		/bin/busybox true
		( : ) &
		wait
	done
}
# ftrace's view of the sites, read while direct calls come and go (on 6.1
# that read walks the kernel's direct-call table, which their
# unregistration frees entries of), and the function tracer on a moved
# function, whose calls then go through ftrace's list of ops.
read_enabled() {
	while [ ! -e $STOP ]; do
		cat /sys/kernel/tracing/enabled_functions > /dev/null
	done
}
echo cmdline_proc_show > /sys/kernel/tracing/set_ftrace_filter || fail "filtering on cmdline_proc_show"
echo function > /sys/kernel/tracing/current_tracer || fail "starting the function tracer"
read_cmdline & read_cmdline & read_uname & storm & storm & read_enabled &

busy=0
# Run "$@"; a refusal because a task was inside a function is retried.
try() {
	n=0
	until "$@" 2>/tmp/stress.err; do
		grep -q "busy" /tmp/stress.err || fail "$*: $(cat /tmp/stress.err)"
		n=$((n + 1)); busy=$((busy + 1))
		[ $n -lt 20 ] || fail "$*: still busy after $n tries"
	done
}
disable() { echo 0 > "$K/$1/enabled"; }

start=$(date +%s)
ticks0=$(sed -n 's/.*ticks=\([0-9]*\).*/\1/p' /proc/kpf_hot)
i=0 direct=0
while [ $i -lt $CYCLES ]; do
	try insmod $P/kpf_s1.ko
	try insmod $P/kpf_s2.ko
	[ "$(cat $K/kpf_s1/enabled)" = 0 ] || fail "cycle $i: kpf_s1 still enabled after the replace"
	# Functions move to direct calls in the background (kmod/core/direct.c).
	direct=$((direct + $(cat $K/kpf_s2/*/*/redirect | grep -cE '^(direct|slot)$')))
	# Every fifth cycle hands kpf_s2's moved functions back to the
	# handler (direct_calls=0) while it is disabled, under the same load;
	# the next cycle moves them again.
	case $((i % 5)) in
	0) echo 0 > /sys/module/kpatch/parameters/direct_calls ;;
	1) echo 1 > /sys/module/kpatch/parameters/direct_calls ;;
	esac
	case $((i % 3)) in
	0) keep=0 ;;
	1) keep=50 ;;
	2) keep=1000 ;;
	esac
	echo "$keep" > /sys/module/kpatch/parameters/direct_keep_ms
	try disable kpf_s2
	rmmod kpf_s2 kpf_s1 || fail "cycle $i: rmmod"
	i=$((i + 1))
done
elapsed=$(($(date +%s) - start))
echo 1000 > /sys/module/kpatch/parameters/direct_keep_ms
touch $STOP
wait
echo nop > /sys/kernel/tracing/current_tracer
: > /sys/kernel/tracing/set_ftrace_filter

hot=$(cat /proc/kpf_hot)
ticks=$(echo "$hot" | sed -n 's/.*ticks=\([0-9]*\).*/\1/p')
ok "$CYCLES cycles in ${elapsed}s, $busy busy retries, $direct functions seen on direct calls; kpf_hot: $hot"
[ "$direct" -gt 0 ] || fail "no function ever moved to a direct call during the cycles"
[ -s $BAD ] && fail "torn or unexpected reads: $(sort $BAD | uniq -c | head -n 5)"
ok "every read showed the old output or one patch's"
echo "$hot" | grep -q "torn=0$" || fail "ticks mixed versions: $hot"
[ "$ticks" -gt "$ticks0" ] || fail "the timer did not run: $hot"
ok "no tick mixed versions"
expect_eq "$(cat /proc/cmdline)" "$ORIG_CMDLINE" "unpatched at the end"
rmmod kpf_hot || fail "rmmod kpf_hot"

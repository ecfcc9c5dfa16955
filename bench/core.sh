#!/bin/bash
# Benchmark of the core module against the kernel's own livepatch, side
# by side in one boot of the test kernel (TCG: absolute figures are slow,
# compare the ratios):
#   (a) enabling and disabling a patch of 1, 10, 100 and 1000 functions:
#       total times for both, and each against 1 function;
#   (b) the pause: the core's stop_machine() call and the stack check and
#       flip inside it, for 1, 100 and 1000 functions, also with 10,000
#       sleeping kernel threads, next to a bare stop_machine() whose
#       callback does nothing (kpf_bench), timed with the same clock;
#   (c) ns per call of a patched function against the unpatched one,
#       from a tight loop in the module that defines it, through the
#       core's ftrace handler and through the direct call the core moves
#       a settled function to (kmod/core/direct.c);
#   (e) that move: from loading a patch of N functions until all of
#       them are on direct calls, enabling and disabling them there, and
#       from unloading it until ftrace has let go of every direct call;
#   (f) enabling a patch right after disabling it against a fresh enable
#       (once ftrace holds nothing of its functions), with direct_calls 0
#       and 1: an idle direct call is reused (direct_keep_ms);
#   (g) a target module with 100 and 1000 patched functions on direct
#       calls going (rmmod): its GOING notification unregisters each;
#   (d) the kernel's direct calls without the core (kpf_bench/direct.c):
#       a call through the smallest direct trampoline, through one that
#       returns into the replacement instead (issue 29) and through one
#       that looks the replacement up in a table, and arming and
#       disarming N functions with one direct ops (and trampoline) per
#       function, or with one ops and one trampoline for all of them.
# Usage: bench/core.sh   (also run by 'make bench')
# Environment: KPATCH_BENCH_REPS (5), KPATCH_BENCH_LOOPS, KPATCH_BENCH_THREADS;
# KPATCH_BENCH_BASELINE=REV: also (h) the core of git revision REV against
# this one in the same boot, alternating: enable and disable of 1, 10 and
# 100 functions, per call on the handler and on the direct call;
# KPATCH_BENCH_ONLY_BASELINE=1 (with a baseline): (h) alone, a short boot;
# KPATCH_BENCH_ONLY_CALLS=1: (i) alone, a short boot: every redirection of
# a call in turn in each round (unpatched, kpf_bench's trampolines, a copy
# of the core's slot in kpf_bench, the core's slot), best and median.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
here=$top/bench/core
out=$top/build/bench-core
reps=${KPATCH_BENCH_REPS:-5}
loops=${KPATCH_BENCH_LOOPS:-2000000}
threads=${KPATCH_BENCH_THREADS:-10000}
sizes="1 10 100 1000"

kdir=$("$top/test/kernel/build-kernel")
rm -rf "$out"
mkdir -p "$out/src"
mods="$here/kpf_bench" patches=""
for n in $sizes; do
	"$here/gen-patches" "$n" "$out/src"
	mods+=" $out/src/kpfb_l$n" patches+=" $out/src/kpfb_k$n"
done
echo "bench: building the core, fixtures and patches" >&2
KPF_EXTRA_ONLY=1 KPF_MODULE_DIRS="$mods" KPF_PATCH_DIRS="$patches" \
	"$top/test/integration/core/build" "$kdir" "$out/payload" > "$out/build.log" 2>&1 ||
	{ cat "$out/build.log"; exit 1; }
baseline=${KPATCH_BENCH_BASELINE:-}
only_baseline=${KPATCH_BENCH_ONLY_BASELINE:-0}
only_calls=${KPATCH_BENCH_ONLY_CALLS:-0}
[ "$only_baseline" != 1 ] || [ -n "$baseline" ] ||
	{ echo "bench: KPATCH_BENCH_ONLY_BASELINE=1 needs KPATCH_BENCH_BASELINE" >&2; exit 1; }
if [ -n "$baseline" ]; then
	echo "bench: building the core of $baseline" >&2
	mkdir -p "$out/base"
	git -C "$top" archive "$baseline" kmod/core include | tar -x -C "$out/base"
	make -s -C "$kdir" M="$out/base/kmod/core" KPATCH_INCLUDE="$out/base/include" \
		modules >> "$out/build.log" 2>&1 || { cat "$out/build.log"; exit 1; }
	cp "$out/base/kmod/core/kpatch.ko" "$out/payload/kpatch-base.ko"
fi

cat > "$out/bench.sh" <<GUEST
#!/bin/sh
P=/payload
reps=$reps
loops=$loops
threads=$threads
sizes="$sizes"
only_baseline=$only_baseline
only_calls=$only_calls
GUEST
cat >> "$out/bench.sh" <<'GUEST'
say() { echo "BENCH $*" > /dev/kmsg; }
# (h) Two cores alternating in this boot, each measured as the rest is.
compare_cores() {
	[ -e $P/kpatch-base.ko ] || return 0
	r=0
	while [ $r -lt $reps ]; do
		for core in base this; do
			ko=$P/kpatch.ko
			[ $core = this ] || ko=$P/kpatch-base.ko
			insmod $ko direct_calls=0 || fail "insmod $ko"
			for n in 1 10 100; do
				k=kpfb_k$n
				insmod $P/$k.ko || fail "insmod $k"
				t0=$(now); echo 0 > /sys/kernel/kpatch/$k/enabled; t1=$(now)
				say cmp $core $n disable $((t1 - t0))
				t0=$(now); echo 1 > /sys/kernel/kpatch/$k/enabled; t1=$(now)
				say cmp $core $n enable $((t1 - t0))
				echo 0 > /sys/kernel/kpatch/$k/enabled; rmmod $k
			done
			insmod $P/kpfb_k1.ko || fail "insmod kpfb_k1"
			say cmp $core call ftrace $(percall)
			echo 1 > /sys/module/kpatch/parameters/direct_calls
			until grep -qx direct /sys/kernel/kpatch/kpfb_k1/*/*/redirect; do sleep 0.02; done
			say cmp $core call direct $(percall)
			echo 0 > /sys/kernel/kpatch/kpfb_k1/enabled; rmmod kpfb_k1
			until rmmod kpatch 2>/dev/null; do sleep 0.1; done
		done
		r=$((r + 1))
	done
}
now() { cat /proc/kpf_bench_clock; }
fail() { echo "bench: $*"; exit 1; }
klp_wait() { # PATCH: until its transition is over (or, disabled, it is gone)
	while [ "$(cat /sys/kernel/livepatch/$1/transition 2>/dev/null)" = 1 ]; do :; done
}
percall() { echo "loop $loops" > /proc/kpf_bench && cat /proc/kpf_bench; }
sites() { grep -c '^kpfb_fn_' /sys/kernel/tracing/enabled_functions; }
wait_released() { while [ "$(sites)" -gt 0 ]; do sleep 0.02; done; }
# Functions whose slot's fast path is open (sysfs redirect "direct").
moved() { cat /sys/kernel/kpatch/$1/*/*/redirect | grep -cx direct; }
wait_moved() { # PATCH N
	until [ "$(moved $1)" -ge $2 ]; do sleep 0.02; done
}
# $1: a direct-call command; prints the ns it took.
direct() { echo "$1" > /proc/kpf_bench && cat /proc/kpf_bench; }
# One call through kpf_bench's direct trampoline $1 ("each": the jumping
# stub, "ret", "slot"), reported as $2.
direct_round() { # HOW LABEL
	direct "direct 1 $1" > /dev/null || fail "direct 1 $1"
	say round $2 $(percall)
	direct undirect > /dev/null || fail undirect
}
# (i) Every redirection of one call, in turn in each round, so that they
# share the host's load: unpatched, kpf_bench's trampolines, the core's
# slot (kpatch.ko loaded, direct_calls=1).
calls_rounds() {
	r=0
	while [ $r -lt $reps ]; do
		say round unpatched $(percall)
		direct_round each direct
		direct_round ret directret
		direct_round slot directslot
		insmod $P/kpfb_k1.ko || fail "insmod kpfb_k1"
		wait_moved kpfb_k1 1
		say round kdirect $(percall)
		echo 0 > /sys/kernel/kpatch/kpfb_k1/enabled; rmmod kpfb_k1
		wait_released
		r=$((r + 1))
	done
}

insmod $P/kpf_bench.ko || fail "kpf_bench.ko"
if [ "$only_calls" = 1 ]; then
	insmod $P/kpatch.ko direct_calls=1 || fail "kpatch.ko"
	calls_rounds
	say done
	exit 0
fi
compare_cores
if [ "$only_baseline" = 1 ]; then say done; exit 0; fi
# (a) to (c) on the ftrace handler: no function moves to a direct call
# in the background meanwhile.
insmod $P/kpatch.ko direct_calls=0 || fail "kpatch.ko"

# The cost of timing itself (two clock reads from the shell).
t0=$(now); t1=$(now); say overhead $((t1 - t0))

# The figures of the last transition of patch $1: "sm S check C tasks T
# walks W" (W: the stacks walked inside the pause);
# "<1 tick" (below the clock's resolution) becomes "<1tick".
figures() {
	echo "sm $(tr -d ' ' < /sys/kernel/kpatch/$1/stop_machine_ns)" \
		"check $(tr -d ' ' < /sys/kernel/kpatch/$1/check_ns)" \
		"tasks $(cat /sys/kernel/kpatch/$1/tasks_checked)" \
		"walks $(cat /sys/kernel/kpatch/$1/pause_walks)"
}
bare() { # LABEL: a stop_machine() that does nothing (0: below a tick)
	echo stop > /proc/kpf_bench || fail "bare stop_machine"
	ns=$(cut -d. -f1 /proc/kpf_bench)
	[ "$ns" -gt 0 ] || ns="<1tick"
	say bare "$1" "$ns"
}
# Patch $1 disabled and enabled through sysfs, both timed; the pause is
# the enable's.
toggle() { # N LABEL
	k=kpfb_k$1
	t0=$(now); echo 0 > /sys/kernel/kpatch/$k/enabled || fail "disable $k"; t1=$(now)
	say kpatch $1 disable $((t1 - t0)) $2
	t0=$(now); echo 1 > /sys/kernel/kpatch/$k/enabled || fail "enable $k"; t1=$(now)
	say kpatch $1 enable $((t1 - t0)) $2 $(figures $k)
}
# Patch $1 disabled, and once ftrace holds nothing of its functions
# (direct calls kept idle included), enabled afresh: timed.
fresh() { # N LABEL
	k=kpfb_k$1
	echo 0 > /sys/kernel/kpatch/$k/enabled || fail "disable $k"
	wait_released
	t0=$(now); echo 1 > /sys/kernel/kpatch/$k/enabled || fail "enable $k"; t1=$(now)
	say kpatch $1 enable $((t1 - t0)) $2
}

for n in $sizes; do
	k=kpfb_k$n l=kpfb_l$n
	r=0
	while [ $r -lt $reps ]; do
		t0=$(now); insmod $P/$k.ko || fail "insmod $k"; t1=$(now)
		say kpatch $n load $((t1 - t0)) idle $(figures $k)
		toggle $n idle
		fresh $n fresh-idle
		echo 0 > /sys/kernel/kpatch/$k/enabled; rmmod $k
		bare idle

		# The kernel's livepatch disables 1000 functions in minutes: once.
		r=$((r + 1))
		[ $n -lt 1000 ] || [ $r -eq 1 ] || continue
		t0=$(now); insmod $P/$l.ko || fail "insmod $l"; klp_wait $l; t1=$(now)
		say klp $n load $((t1 - t0))
		t0=$(now); echo 0 > /sys/kernel/livepatch/$l/enabled; klp_wait $l; t1=$(now)
		say klp $n disable $((t1 - t0))
		until rmmod $l 2>/dev/null; do sleep 0.1; done
	done
done

# The same pauses with many sleeping tasks to walk.
# tinyconfig (BASE_SMALL) starts with room for 4096 pids.
echo 32768 > /proc/sys/kernel/pid_max
echo $((threads * 2)) > /proc/sys/kernel/threads-max
echo "threads $threads" > /proc/kpf_bench || fail "starting $threads threads"
for n in 1 1000; do
	insmod $P/kpfb_k$n.ko || fail "insmod kpfb_k$n"
	r=0
	while [ $r -lt $reps ]; do
		toggle $n threads
		bare threads
		# A bare stop_machine() whose callback takes as long as the check.
		check=$(tr -d ' ' < /sys/kernel/kpatch/kpfb_k$n/check_ns)
		if [ "$check" != "<1tick" ]; then
			echo "stop $check" > /proc/kpf_bench || fail "stop $check"
			say spin "$n" "$(cut -d. -f1 /proc/kpf_bench)"
		fi
		r=$((r + 1))
	done
	echo 0 > /sys/kernel/kpatch/kpfb_k$n/enabled; rmmod kpfb_k$n
done
echo "threads 0" > /proc/kpf_bench

r=0
while [ $r -lt $reps ]; do
	say call unpatched $(percall)
	insmod $P/kpfb_k1.ko; say call kpatch $(percall)
	echo 0 > /sys/kernel/kpatch/kpfb_k1/enabled; rmmod kpfb_k1
	insmod $P/kpfb_l1.ko; klp_wait kpfb_l1; say call klp $(percall)
	echo 0 > /sys/kernel/livepatch/kpfb_l1/enabled; klp_wait kpfb_l1
	until rmmod kpfb_l1 2>/dev/null; do sleep 0.1; done
	r=$((r + 1))
done
# (c) and (e) with direct calls.
echo 1 > /sys/module/kpatch/parameters/direct_calls
r=0
while [ $r -lt $reps ]; do
	insmod $P/kpfb_k1.ko || fail "insmod kpfb_k1"
	wait_moved kpfb_k1 1
	say call kdirect $(percall)
	echo 0 > /sys/kernel/kpatch/kpfb_k1/enabled; rmmod kpfb_k1
	wait_released
	for n in $sizes; do
		# ftrace lets go of 1000 direct calls in minutes: once.
		[ $n -lt 1000 ] || [ $r -eq 0 ] || continue
		k=kpfb_k$n
		t0=$(now); insmod $P/$k.ko || fail "insmod $k"; wait_moved $k $n; t1=$(now)
		say move $n $((t1 - t0))
		toggle $n direct
		wait_moved $k $n
		fresh $n fresh-direct
		wait_moved $k $n
		echo 0 > /sys/kernel/kpatch/$k/enabled; rmmod $k
		t0=$(now); wait_released; t1=$(now)
		say release $n $((t1 - t0))
	done
	r=$((r + 1))
done

# (g) The target module goes with N patched functions on direct calls: its
# GOING notification lets go of them and unregisters each.  Once: 1000
# functions take minutes.  kpf_bench is the clock too: /proc/uptime here.
uptime_ms() {
	read -r up _ < /proc/uptime
	cs=${up#*.}
	echo $((${up%.*} * 1000 + 10 * ${cs#0}))
}
for n in 100 1000; do
	k=kpfb_k$n
	insmod $P/$k.ko || fail "insmod $k"
	wait_moved $k $n
	t0=$(uptime_ms); rmmod kpf_bench || fail "rmmod kpf_bench"; t1=$(uptime_ms)
	say going $n $((t1 - t0))
	insmod $P/kpf_bench.ko || fail "kpf_bench.ko again"
	echo 0 > /sys/kernel/kpatch/$k/enabled; rmmod $k
	wait_released
done

r=0
while [ $r -lt $reps ]; do
	direct "direct 1 each" > /dev/null || fail "direct 1 each"
	say call direct $(percall)
	direct undirect > /dev/null || fail undirect
	direct "direct 100 shared" > /dev/null || fail "direct 100 shared"
	say call shared $(percall)
	direct undirect > /dev/null || fail undirect
	for how in each one shared; do
		for n in $sizes; do
			# One code update per function: 1000 of them take minutes.
			[ "$how$n" != each1000 ] || continue
			a=$(direct "direct $n $how") || fail "direct $n $how"
			d=$(direct undirect) || fail undirect
			say direct "$how" "$n" "$a" "$d"
		done
	done
	r=$((r + 1))
done

# Issue 29: against "direct", "directret" shows what TCG charges for the
# RET of a paired path; against it the slot's copy what the slot's checks
# add, and against that the core's slot what its place in kpatch.ko adds.
calls_rounds
say done
GUEST
chmod +x "$out/bench.sh"

# run-vm tells the guest the host's TSC rate; a boot that still has only a
# jiffies clock, where a bare stop_machine() reads 0, is retried.  With a
# fine clock the core may still show a pause as "<1 tick" now and then (it
# compares each with the clock's step, measured just before, which a
# descheduled vCPU makes long): those are left out of the medians.
for _ in 1 2 3; do
	"$top/test/vm/run-vm" -k "$kdir" -p "$out/payload" -l "$out/logs" \
		-m 2048 -t 3600 "$out/bench.sh" >&2 || { echo "bench: the VM run failed; log in $out/logs" >&2; exit 1; }
	tr -d '\r' < "$out/logs/console.log" | sed -n 's/.*BENCH //p' > "$out/results"
	grep -q '^done' "$out/results" || { echo "bench: incomplete; log in $out/logs" >&2; exit 1; }
	grep -q '^bare .*<1tick' "$out/results" || break
	echo "bench: the guest has no fine clock this boot (TSC uncalibrated), retrying" >&2
done

awk -v reps="$reps" -v threads="$threads" '
function med(key,   n, i, j, t, a) {
	n = split(vals[key], a, " ")
	for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++)
		if (a[j] + 0 < a[i] + 0) { t = a[i]; a[i] = a[j]; a[j] = t }
	return n ? a[int((n + 1) / 2)] : -1
}
function best(key,   n, i, a, b) {
	n = split(vals[key], a, " ")
	b = n ? a[1] + 0 : -1
	for (i = 2; i <= n; i++) if (a[i] + 0 < b) b = a[i] + 0
	return b
}
function add(key, v) { if (v ~ /^</) { coarse++; return } vals[key] = vals[key] " " v }
function ms(v) { return (v - ovh) / 1e6 }
function us(v) { return v / 1e3 }
$1 == "overhead" { ovh = $2 }
$1 == "kpatch" && $3 == "load" { add("kl" $2, $4) }
$1 == "kpatch" && $3 == "disable" { add("kd" $2 $5, $4) }
$1 == "kpatch" && $3 == "enable" { add("ke" $2 $5, $4); add("sm" $2 $5, $7); add("ck" $2 $5, $9); add("tk" $2 $5, $11); add("wk" $2 $5, $13) }
$1 == "klp" && $3 == "load" { add("ll" $2, $4) }
$1 == "klp" && $3 == "disable" { add("ld" $2, $4) }
$1 == "bare" { add("bare" $2, $3) }
$1 == "spin" { add("spin" $2, $3) }
$1 == "call" { add("c" $2, $3) }
$1 == "round" && $2 == "unpatched" { ru = $3 }
$1 == "round" { add("r" $2, $3); if (ru > 0) add("q" $2, $3 / ru) }
$1 == "round" && $2 == "directslot" { rs = $3 }
$1 == "round" && $2 == "kdirect" && rs > 0 { add("qks", $3 / rs) }
$1 == "move" { add("mv" $2, $3) }
$1 == "release" { add("rl" $2, $3) }
$1 == "going" { add("go" $2, $3) }
$1 == "cmp" && $3 == "call" { add("cmp" $2 "call" $4, $5) }
$1 == "cmp" && $3 != "call" { add("cmp" $2 $3 $4, $5) }
$1 == "direct" { add("da" $2 $3, $4); add("dd" $2 $3, $5) }
END {
	if (coarse) printf "note: %d figures read <1 tick (below the clock step the core measured just before them), left out of the medians\n", coarse
	printf "Enable and disable a patch of N functions (median of %d, TCG guest, ms; shell timing overhead %.2f ms subtracted);\n", reps, ovh / 1e6
	printf "enab./1: against 1 function, whose goal for 100 functions is at most 3 x (one batched code update per transition)\n"
	printf "%5s | %9s %9s %9s %8s | %11s %11s %8s | %10s\n", "N", "kp insmod", "kp enable", "kp disab.", "enab./1", "klp ins+tr", "klp dis+tr", "klp/1", "klp/kp ins"
	split("1 10 100 1000", ns, " ")
	for (i = 1; i <= 4; i++) {
		n = ns[i]
		kl = ms(med("kl" n)); ke = ms(med("ke" n "idle")); kd = ms(med("kd" n "idle"))
		ll = ms(med("ll" n)); ld = ms(med("ld" n))
		if (n == 1) { ke1 = ke; ll1 = ll }
		printf "%5d | %9.2f %9.2f %9.2f %7.2fx | %11.2f %11.2f %7.2fx | %9.2fx\n", n, kl, ke, kd, (ke1 > 0 ? ke / ke1 : 0), ll, ld, (ll1 > 0 ? ll / ll1 : 0), (kl > 0 ? ll / kl : 0)
	}
	printf "\nThe pause (median of %d, us): the core'"'"'s stop_machine() call and the check and flip inside it,\nagainst a bare stop_machine() doing nothing (walked: the stacks walked inside it; the rest were walked\nbefore it); goal: stop_machine <= 1.5 x bare + check; bare+spin: a bare stop_machine() whose callback\nspins as long as the check took, to tell what a callback that long costs stop_machine() itself\n", reps
	printf "%22s | %7s %7s | %10s %10s %10s | %14s | %10s %16s\n", "case", "tasks", "walked", "bare", "kpatch", "check", "(kp-check)/bare", "bare+spin", "(kp-ck)/(sp-ck)"
	split("1 idle,100 idle,1000 idle,1 threads,1000 threads", cs, ",")
	for (i = 1; i <= 5; i++) {
		split(cs[i], c, " ")
		b = med("bare" c[2]); s = med("sm" c[1] c[2]); k = med("ck" c[1] c[2])
		label = c[1] " fn" (c[2] == "threads" ? " + " threads " thr." : "")
		sp = (c[2] == "threads") ? med("spin" c[1]) : -1
		spin = sp < 0 ? sprintf(" | %10s %16s", "-", "-") : sprintf(" | %10.1f %15.2fx", us(sp), (sp > k ? (s - k) / (sp - k) : 0))
		if (s ~ /^</ || b ~ /^</ || k ~ /^</)
			printf "%22s | %7d %7d | %10s %10s %10s | %14s%s\n", label, med("tk" c[1] c[2]), med("wk" c[1] c[2]), b, s, k, "n/a", spin
		else
			printf "%22s | %7d %7d | %10.1f %10.1f %10.1f | %13.2fx%s\n", label, med("tk" c[1] c[2]), med("wk" c[1] c[2]), us(b), us(s), us(k), (b > 0 ? (s - k) / b : 0), spin
	}
	u = med("cunpatched"); k = med("ckpatch"); kd = med("ckdirect"); l = med("cklp"); d = med("cdirect"); h = med("cshared")
	printf "\nPer call of the patched function (median of %d, ns): kpatch on the ftrace handler and on the direct call\nit moves a settled function to; without the core: direct, a direct call to the smallest trampoline\n(one per function); shared, to one that finds the target in a table (100 functions)\n", reps
	printf "%9s %9s %9s %9s %9s %9s | %9s %9s %9s %9s %9s\n", "unpatched", "kp ftrace", "kp direct", "klp", "direct", "shared", "kpf/unp.", "kpd/unp.", "klp/unp.", "dir/unp.", "sh/unp."
	printf "%9.2f %9.2f %9.2f %9.2f %9.2f %9.2f | %8.2fx %8.2fx %8.2fx %8.2fx %8.2fx\n", u, k, kd, l, d, h, (u > 0 ? k / u : 0), (u > 0 ? kd / u : 0), (u > 0 ? l / u : 0), (u > 0 ? d / u : 0), (u > 0 ? h / u : 0)
	printf "\nPer call, every redirection in turn in each of %d rounds (ns; ratio: the median of each round'"'"'s ratio to\nits unpatched call): kpf_bench'"'"'s direct trampolines (jmp: drops the return address and jumps; ret:\nreturns into the replacement, calls and returns paired; slot copy: the core'"'"'s slot in kpf_bench) and\nthe core'"'"'s own slot in kpatch.ko (kp direct); issue 29 goal 1: kp direct <= 1.3x unpatched\n", reps
	printf "%12s | %9s %9s | %9s\n", "path", "best", "median", "ratio"
	split("unpatched direct directret directslot kdirect", ps, " ")
	split("unpatched,jmp,ret,slot copy,kp direct", pl, ",")
	for (i = 1; i <= 5; i++)
		printf "%12s | %9.2f %9.2f | %8.2fx\n", pl[i], best("r" ps[i]), med("r" ps[i]), (i == 1 ? 1 : med("q" ps[i]))
	printf "kp direct against the slot copy, per round: %.2fx (the slot'"'"'s place in kpatch.ko)\n", med("qks")
	printf "\nThe core'"'"'s move to direct calls (median of %d, ms; 1000 functions once): from loading a patch until\nevery function is on a direct call (in the background), enabling and disabling it there, and from\nunloading it until ftrace has let go of every direct call (an RCU-tasks wait each, in the background)\n", reps
	printf "%5s | %10s %10s %10s %8s | %10s\n", "N", "load+move", "enable", "disable", "enab./1", "release"
	for (i = 1; i <= 4; i++) {
		n = ns[i]
		e = ms(med("ke" n "direct")); if (n == 1) e1 = e
		printf "%5d | %10.2f %10.2f %10.2f %7.2fx | %10.2f\n", n, ms(med("mv" n)), e, ms(med("kd" n "direct")), (e1 > 0 ? e / e1 : 0), ms(med("rl" n))
	}
	printf "\nRe-enabling right after a disable against a fresh enable (ftrace holds nothing of the functions then;\nmedian of %d, ms): direct_calls=1 reuses the direct calls kept idle; goal: re-enable <= 2 x fresh\n", reps
	printf "%5s | %12s %10s %8s | %12s %10s %8s\n", "N", "dc=0 re-en.", "fresh", "re/fr", "dc=1 re-en.", "fresh", "re/fr"
	for (i = 1; i <= 4; i++) {
		n = ns[i]
		r0 = ms(med("ke" n "idle")); f0 = ms(med("ke" n "fresh-idle"))
		r1 = ms(med("ke" n "direct")); f1 = ms(med("ke" n "fresh-direct"))
		printf "%5d | %12.2f %10.2f %7.2fx | %12.2f %10.2f %7.2fx\n", n, r0, f0, (f0 > 0 ? r0 / f0 : 0), r1, f1, (f1 > 0 ? r1 / f1 : 0)
	}
	printf "\nA target module going with N patched functions on direct calls (rmmod, once, ms; /proc/uptime, 10 ms)\n"
	printf "%5s | %10s %12s\n", "N", "rmmod", "per function"
	split("100 1000", gs, " ")
	for (i = 1; i <= 2; i++)
		printf "%5d | %10d %12.1f\n", gs[i], med("go" gs[i]), med("go" gs[i]) / gs[i]
	if (vals["cmpbasecallftrace"] != "") {
		printf "\nThe core of KPATCH_BENCH_BASELINE (base) against this one, alternating in this boot (median of %d;\nms, direct_calls=0; per call ns); klp: the kernel'"'"'s livepatch in the same boot\n", reps
		printf "%5s | %10s %10s %8s | %10s %10s %8s | %10s %10s\n", "N", "base en.", "this en.", "this/b", "base dis.", "this dis.", "this/b", "klp ins+tr", "klp dis+tr"
		for (i = 1; i <= 3; i++) {
			n = ns[i]
			be = ms(med("cmpbase" n "enable")); te = ms(med("cmpthis" n "enable"))
			bd = ms(med("cmpbase" n "disable")); td = ms(med("cmpthis" n "disable"))
			printf "%5d | %10.2f %10.2f %7.2fx | %10.2f %10.2f %7.2fx | %10.2f %10.2f\n", n, be, te, (be > 0 ? te / be : 0), bd, td, (bd > 0 ? td / bd : 0), ms(med("ll" n)), ms(med("ld" n))
		}
		split("ftrace direct", ws, " ")
		for (i = 1; i <= 2; i++) {
			b = med("cmpbasecall" ws[i]); t = med("cmpthiscall" ws[i])
			printf "per call, %s: base %.2f ns, this %.2f ns (%.2fx); klp %.2f ns, unpatched %.2f ns\n", ws[i], b, t, (b > 0 ? t / b : 0), l, u
		}
	}
	printf "\nThe kernel'"'"'s direct calls, arming and disarming N functions (median of %d, ms): a direct ops has one\ntrampoline for all its functions, so a trampoline per function costs an ops (a code update) each\n", reps
	printf "%5s | %10s %10s %8s | %10s %10s %8s | %10s %10s %8s\n", "N", "each: arm", "disarm", "arm/1", "one: arm", "disarm", "arm/1", "shared", "disarm", "arm/1"
	for (i = 1; i <= 4; i++) {
		n = ns[i]
		line = sprintf("%5d", n)
		split("each one shared", hs, " ")
		for (j = 1; j <= 3; j++) {
			a = med("da" hs[j] n) / 1e6; d = med("dd" hs[j] n) / 1e6
			if (n == 1) a1[j] = a
			if (a < 0)
				line = line sprintf(" | %10s %10s %8s", "-", "-", "-")
			else
				line = line sprintf(" | %10.2f %10.2f %7.2fx", a, d, (a1[j] > 0 ? a / a1[j] : 0))
		}
		print line
	}
}' "$out/results" > "$out/table.txt"
if [ "$only_baseline" = 1 ]; then
	sed -n '/^The core of KPATCH_BENCH_BASELINE/,/^per call, direct/p' "$out/table.txt"
elif [ "$only_calls" = 1 ]; then
	sed -n '/^Per call, every redirection/,/^kp direct against/p' "$out/table.txt"
else
	cat "$out/table.txt"
fi

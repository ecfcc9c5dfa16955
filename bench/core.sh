#!/bin/bash
# Benchmark of the core module against the kernel's own livepatch, side
# by side in one boot of the test kernel (TCG: absolute figures are slow,
# compare the ratios):
#   (a) enabling a patch of 1, 10 and 100 functions: time inside
#       stop_machine (kpatch only) and total enable time;
#   (b) ns per call of a patched function against the unpatched one,
#       from a tight loop in the module that defines it.
# Usage: bench/core.sh   (also run by 'make bench')
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
here=$top/bench/core
out=$top/build/bench-core
reps=${KPATCH_BENCH_REPS:-5}
loops=${KPATCH_BENCH_LOOPS:-2000000}

kdir=$("$top/test/kernel/build-kernel")
rm -rf "$out"
mkdir -p "$out/src"
for n in 1 10 100; do
	"$here/gen-patches" $n "$out/src"
done
echo "bench: building the core, fixtures and patches" >&2
KPF_MODULE_DIRS="$here/kpf_bench $out/src/kpfb_l1 $out/src/kpfb_l10 $out/src/kpfb_l100" \
KPF_PATCH_DIRS="$out/src/kpfb_k1 $out/src/kpfb_k10 $out/src/kpfb_k100" \
	"$top/test/integration/core/build" "$kdir" "$out/payload" > "$out/build.log" 2>&1 ||
	{ cat "$out/build.log"; exit 1; }

cat > "$out/bench.sh" <<GUEST
#!/bin/sh
P=/payload
reps=$reps
loops=$loops
GUEST
cat >> "$out/bench.sh" <<'GUEST'
say() { echo "BENCH $*" > /dev/kmsg; }
now() { cat /proc/kpf_bench_clock; }
fail() { echo "bench: $*"; exit 1; }
klp_wait() { # PATCH: until its transition is over
	while [ "$(cat /sys/kernel/livepatch/$1/transition)" = 1 ]; do :; done
}
percall() { echo "loop $loops" > /proc/kpf_bench && cat /proc/kpf_bench; }

dmesg | grep -q "Marking TSC unstable" && say clock coarse
insmod $P/kpatch.ko || fail "kpatch.ko"
insmod $P/kpf_bench.ko || fail "kpf_bench.ko"

# The cost of timing itself (two clock reads from the shell).
t0=$(now); t1=$(now); say overhead $((t1 - t0))

for n in 1 10 100; do
	k=kpfb_k$n l=kpfb_l$n
	r=0
	while [ $r -lt $reps ]; do
		t0=$(now); insmod $P/$k.ko || fail "insmod $k"; t1=$(now)
		say kpatch $n load $((t1 - t0)) sm $(cat /sys/kernel/kpatch/$k/stop_machine_ns) tasks $(cat /sys/kernel/kpatch/$k/tasks_checked)
		t0=$(now); echo 0 > /sys/kernel/kpatch/$k/enabled || fail "disable $k"; t1=$(now)
		t0=$(now); echo 1 > /sys/kernel/kpatch/$k/enabled || fail "enable $k"; t1=$(now)
		say kpatch $n enable $((t1 - t0)) sm $(cat /sys/kernel/kpatch/$k/stop_machine_ns)
		echo 0 > /sys/kernel/kpatch/$k/enabled; rmmod $k

		t0=$(now); insmod $P/$l.ko || fail "insmod $l"; klp_wait $l; t1=$(now)
		say klp $n load $((t1 - t0))
		echo 0 > /sys/kernel/livepatch/$l/enabled; klp_wait $l
		until rmmod $l 2>/dev/null; do sleep 0.1; done
		r=$((r + 1))
	done
done

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
say done
GUEST
chmod +x "$out/bench.sh"

# A boot whose TSC calibration failed only has a jiffies clock: retry.
for _ in 1 2 3; do
	"$top/test/vm/run-vm" -k "$kdir" -p "$out/payload" -l "$out/logs" \
		-t 1200 "$out/bench.sh" >&2 || { echo "bench: the VM run failed; log in $out/logs" >&2; exit 1; }
	tr -d '\r' < "$out/logs/console.log" | sed -n 's/.*BENCH //p' > "$out/results"
	grep -q '^done' "$out/results" || { echo "bench: incomplete; log in $out/logs" >&2; exit 1; }
	grep -q '^clock coarse' "$out/results" || break
	echo "bench: the guest has no fine clock this boot (TSC uncalibrated), retrying" >&2
done

awk -v reps="$reps" '
function med(key,   n, i, j, t, a) {
	n = split(vals[key], a, " ")
	for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++)
		if (a[j] + 0 < a[i] + 0) { t = a[i]; a[i] = a[j]; a[j] = t }
	return n ? a[int((n + 1) / 2)] : -1
}
function add(key, v) { vals[key] = vals[key] " " v }
$1 == "overhead" { ovh = $2 }
$1 == "kpatch" && $3 == "load" { add("kl" $2, $4); add("ksm" $2, $6) }
$1 == "kpatch" && $3 == "enable" { add("ke" $2, $4); add("kesm" $2, $6) }
$1 == "klp" { add("ll" $2, $4) }
$1 == "call" { add("c" $2, $3) }
$1 == "clock" { coarse = 1 }
END {
	if (coarse) print "warning: the guest clock is jiffies-based; times are coarse"
	printf "Enable a patch of N functions (median of %d, TCG guest, ms; shell timing overhead %.2f ms subtracted)\n", reps, ovh / 1e6
	printf "%5s | %14s %14s %14s | %14s | %12s\n", "N", "kpatch insmod", "kpatch sysfs", "stop_machine", "klp insmod+tr", "klp/kpatch"
	for (n = 1; n <= 100; n *= 10) {
		kl = (med("kl" n) - ovh) / 1e6; ke = (med("ke" n) - ovh) / 1e6
		sm = med("ksm" n) / 1e6; ll = (med("ll" n) - ovh) / 1e6
		printf "%5d | %14.2f %14.2f %14.3f | %14.2f | %11.2fx\n", n, kl, ke, sm, ll, (kl > 0 ? ll / kl : 0)
	}
	u = med("cunpatched"); k = med("ckpatch"); l = med("cklp")
	printf "\nPer call of the patched function (median of %d, ns)\n", reps
	printf "%12s %12s %12s | %14s %14s\n", "unpatched", "kpatch", "klp", "kpatch/unpat.", "klp/kpatch"
	printf "%12.2f %12.2f %12.2f | %13.2fx %13.2fx\n", u, k, l, (u > 0 ? k / u : 0), (k > 0 ? l / k : 0)
}' "$out/results" | tee "$out/table.txt"

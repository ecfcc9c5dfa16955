#!/bin/bash
# Benchmark on Debian's own cloud kernels (the packages vm-debian fetches
# and caches, test/debian/debian-root), beside the test kernel of the same
# line, each booted under QEMU (TCG) with the fixtures of bench/core.sh
# built against that kernel (Debian's: against its linux-headers):
#   ns per call of a patched function against the unpatched one: through
#       the core's ftrace handler, through the kernel's livepatch, and
#       through the direct call the core moves a settled function to;
#   the pause of enabling a one-function patch: the core's stop_machine()
#       call and the check and flip inside it, next to a bare
#       stop_machine() that does nothing, split into the time until its
#       callback runs, the callback, and the time from its end until the
#       call returns (kpf_bench, /proc/kpf_bench_stop).
# Debian's kernel boots three times: with the mitigations it chooses for
# the CPU QEMU emulates (listed from /sys/devices/system/cpu/vulnerabilities),
# with mitigations=off, to show their share, and with one CPU, to show what
# the rendezvous of two costs stop_machine() (the test kernel has no ACPI:
# it counts its CPUs from the BIOS's MP table, which has listed one of two
# in boots on a loaded host; the table says how many each boot had).
# Usage: bench/debian.sh [SERIES...]   (default: 6.1 6.12; also run by
# 'make bench').  Environment: KPATCH_BENCH_REPS, KPATCH_BENCH_LOOPS,
# KPATCH_TEST_CACHE (where Debian's packages are cached).
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
out=$top/build/bench-debian
reps=${KPATCH_BENCH_REPS:-5}
loops=${KPATCH_BENCH_LOOPS:-2000000}
[ $# -gt 0 ] || set -- 6.1 6.12

rm -rf "$out"
mkdir -p "$out/src"
"$top/bench/core/gen-patches" 1 "$out/src"

# build NAME KDIR [VMLINUX]: the core, kpf_bench and the two patches.
build() {
	echo "bench: building the core, fixtures and patches for $1" >&2
	KPF_VMLINUX=${3:-$2/vmlinux} KPF_EXTRA_ONLY=1 \
		KPF_MODULE_DIRS="$top/bench/core/kpf_bench $out/src/kpfb_l1" \
		KPF_PATCH_DIRS="$out/src/kpfb_k1" \
		"$top/test/integration/core/build" "$2" "$out/$1/payload" > "$out/$1.build.log" 2>&1 ||
		{ cat "$out/$1.build.log" >&2; exit 1; }
}

# debian_headers ROOT REL DIR: Debian's linux-headers as a kbuild tree.
# Their Makefile includes linux-headers-ABI-common by its absolute path,
# so the tree is links, with that include put inside the root.
debian_headers() {
	local hdir=$1/usr/src/linux-headers-$2 e
	mkdir -p "$3"
	for e in "$hdir"/* "$hdir"/.[!.]*; do
		[ "$(basename "$e")" = Makefile ] || ln -s "$(readlink -f "$e")" "$3/$(basename "$e")"
	done
	sed "s|^include /|include $1/|" "$hdir/Makefile" > "$3/Makefile"
}

cat > "$out/bench.sh" <<GUEST
#!/bin/sh
P=/payload
reps=$reps
loops=$loops
GUEST
cat >> "$out/bench.sh" <<'GUEST'
say() { echo "BENCH $*" > /dev/kmsg; }
fail() { echo "bench: $*"; exit 1; }
percall() { echo "loop $loops" > /proc/kpf_bench && cat /proc/kpf_bench; }
calls() { # KIND: three samples
	for _ in 1 2 3; do say call "$1" "$(percall)"; done
}
klp_wait() { # PATCH: until its transition is over (or, disabled, it is gone)
	while [ "$(cat /sys/kernel/livepatch/$1/transition 2>/dev/null)" = 1 ]; do :; done
}
K=/sys/kernel/kpatch/kpfb_k1
figures() {
	echo "$(tr -d ' ' < $K/stop_machine_ns) $(tr -d ' ' < $K/check_ns)" \
		"$(cat $K/tasks_checked) $(cat $K/pause_walks)"
}
say kernel "$(uname -r)" cpus "$(grep -c ^processor /proc/cpuinfo)" \
	ibt "$(grep -qw ibt /proc/cpuinfo && echo yes || echo no)"
for v in /sys/devices/system/cpu/vulnerabilities/*; do
	say vuln "$(basename "$v"):" "$(cat "$v")"
done
insmod $P/kpatch.ko direct_calls=0 || fail "kpatch.ko"
insmod $P/kpf_bench.ko || fail "kpf_bench.ko"
r=0
while [ $r -lt $reps ]; do
	echo stop > /proc/kpf_bench || fail "bare stop_machine"
	say bare "$(cut -d. -f1 /proc/kpf_bench)" "$(cat /proc/kpf_bench_stop)"
	insmod $P/kpfb_k1.ko || fail "insmod kpfb_k1"
	say pause $(figures)
	calls kpatch
	echo 0 > $K/enabled; rmmod kpfb_k1
	calls unpatched
	insmod $P/kpfb_l1.ko || fail "insmod kpfb_l1"; klp_wait kpfb_l1
	calls klp
	echo 0 > /sys/kernel/livepatch/kpfb_l1/enabled; klp_wait kpfb_l1
	until rmmod kpfb_l1 2>/dev/null; do sleep 0.1; done
	r=$((r + 1))
done
echo 1 > /sys/module/kpatch/parameters/direct_calls
r=0
while [ $r -lt $reps ]; do
	insmod $P/kpfb_k1.ko || fail "insmod kpfb_k1"
	until grep -qx direct $K/kpf_bench/kpfb_fn_0,0/redirect; do sleep 0.02; done
	calls kdirect
	echo 0 > $K/enabled; rmmod kpfb_k1
	while grep -q '^kpfb_fn_' /sys/kernel/tracing/enabled_functions; do sleep 0.02; done
	r=$((r + 1))
done
say done
GUEST
chmod +x "$out/bench.sh"

# boot NAME RUN-VM-ARGS...: the guest script; its BENCH lines into NAME.results.
# On a loaded host a boot may fail (an RCU stall report), have only a
# jiffies clock (a bare stop_machine() reads 0) or bring up one CPU of
# two: up to three boots; the last one counts with one CPU (the table
# says how many).  A pause the core shows as "<1 tick" (it measures the
# clock's step before each transition, and a descheduled vCPU makes that
# step long) is left out of the medians (the table says how many count).
boots=()
boot() {
	local name=$1 i ok
	shift
	for i in 1 2 3; do
		echo "bench: booting $name ($i)" >&2
		ok=1
		"$top/test/vm/run-vm" -c 2 "$@" -l "$out/$name.logs" -m 1024 -t 1800 "$out/bench.sh" >&2 || ok=0
		tr -d '\r' < "$out/$name.logs/console.log" | sed -n 's/.*BENCH //p' > "$out/$name.results"
		grep -q '^done' "$out/$name.results" || ok=0
		! grep -q '^bare 0 ' "$out/$name.results" || ok=0
		if [ $ok = 1 ] && { [ "$name" != "${name%-1cpu}" ] || grep -q ' cpus 2 ' "$out/$name.results" || [ "$i" = 3 ]; }; then
			boots+=("$name")
			return
		fi
	done
	echo "bench: $name: no complete boot with a fine clock in three; logs in $out/$name.logs" >&2
	exit 1
}

for series in "$@"; do
	kdir=$(KPATCH_TEST_SERIES=$series "$top/test/kernel/build-kernel" --series "$series")
	build "test-$series" "$kdir"
	boot "test-$series" -k "$kdir" -p "$out/test-$series/payload"

	root_out=$(KPATCH_TEST_SERIES=$series "$top/test/debian/debian-root" --dbg)
	root=$(sed -n 1p <<<"$root_out") rel=$(sed -n 2p <<<"$root_out")
	debian_headers "$root" "$rel" "$out/headers-$series"
	build "debian-$series" "$out/headers-$series" "$root/usr/lib/debug/boot/vmlinux-$rel"
	# The kernel's own headers (panic.h, whose taint flags run-vm reads).
	common=$root/usr/src/linux-headers-${rel%-cloud-amd64}-common
	boot "debian-$series" -i "$root/boot/vmlinuz-$rel" -k "$common" -p "$out/debian-$series/payload"
	boot "debian-$series-mitigations=off" -i "$root/boot/vmlinuz-$rel" -k "$common" \
		-p "$out/debian-$series/payload" -a mitigations=off
	boot "debian-$series-1cpu" -i "$root/boot/vmlinuz-$rel" -k "$common" \
		-p "$out/debian-$series/payload" -c 1
done

for b in "${boots[@]}"; do
	sed "s/^/$b /" "$out/$b.results"
done | awk -v reps="$reps" '
function med(key,   n, i, j, t, a) {
	n = split(vals[key], a, " ")
	for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++)
		if (a[j] + 0 < a[i] + 0) { t = a[i]; a[i] = a[j]; a[j] = t }
	return n ? a[int((n + 1) / 2)] : -1
}
function add(key, v) { vals[key] = vals[key] " " v }
function least(key,   n, i, a, m) {
	n = split(vals[key], a, " ")
	for (i = 1; i <= n; i++) if (i == 1 || a[i] + 0 < m) m = a[i] + 0
	return n ? m : -1
}
!($1 in seen) { seen[$1] = 1; order[++nb] = $1 }
$2 == "kernel" { rel[$1] = $3; cpus[$1] = $5; ibt[$1] = $7 }
$2 == "vuln" && $0 !~ /^[^ ]+ vuln [^ ]+ Not affected$/ { v = $0; sub(/^[^ ]+ vuln /, "", v); vuln[$1] = vuln[$1] "    " v "\n" }
$2 == "bare" { add($1 "bare", $3); add($1 "enter", $4); add($1 "cb", $5); add($1 "leave", $6) }
$2 == "pause" && $0 !~ /</ { add($1 "sm", $3); add($1 "ck", $4); add($1 "tasks", $5); add($1 "walks", $6); np[$1]++ }
$2 == "call" { add($1 $3, $4) }
END {
	printf "Per call of the patched function (least of %d, ns, TCG guest: the least disturbed by the host'"'"'s load):\nkpatch on the ftrace handler, the kernel'"'"'s livepatch, kpatch on the direct call; ratios against unpatched\n", 3 * reps
	printf "%-32s | %9s %9s %9s %9s | %8s %8s %8s\n", "boot", "unpatched", "kp ftrace", "klp", "kp direct", "kpf/unp.", "klp/unp.", "kpd/unp."
	for (i = 1; i <= nb; i++) {
		b = order[i]; u = least(b "unpatched")
		printf "%-32s | %9.2f %9.2f %9.2f %9.2f | %7.2fx %7.2fx %7.2fx\n", b, u, least(b "kpatch"), least(b "klp"), least(b "kdirect"),
			least(b "kpatch") / u, least(b "klp") / u, least(b "kdirect") / u
	}
	printf "\nThe pause of enabling a one-function patch (median of %d, us): the core'"'"'s stop_machine() call and\nthe check and flip inside it (n: the enables whose pause the core could time); a bare stop_machine() doing nothing, split into enter (until its\ncallback runs), callback and leave (from its end until the call returns)\n", reps
	printf "%-32s | %5s %5s %6s | %9s %9s %7s | %9s %9s %9s %9s | %8s\n", "boot", "n", "tasks", "walked", "kpatch", "check", "(kp-ck)", "bare", "enter", "callback", "leave", "kp/bare"
	for (i = 1; i <= nb; i++) {
		b = order[i]; s = med(b "sm"); k = med(b "ck"); bb = med(b "bare")
		printf "%-32s | %5d %5d %6d | %9.1f %9.1f %7.1f | %9.1f %9.1f %9.1f %9.1f | %7.2fx\n", b, np[b], med(b "tasks"), med(b "walks"),
			s / 1e3, k / 1e3, (s - k) / 1e3, bb / 1e3, med(b "enter") / 1e3, med(b "cb") / 1e3, med(b "leave") / 1e3, (bb > 0 ? s / bb : 0)
	}
	printf "\nEach boot: kernel, CPUs, IBT in /proc/cpuinfo, and the vulnerabilities the kernel does not call \"Not affected\"\n"
	for (i = 1; i <= nb; i++) {
		b = order[i]
		printf "%s: %s, %d CPUs, IBT %s\n%s", b, rel[b], cpus[b], ibt[b], vuln[b]
	}
}' | tee "$out/table.txt"

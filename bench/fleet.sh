#!/bin/bash
# Benchmark of kpatch-build-fleet: the /proc/version patch
# (test/integration/build/01-proc-version) for three of Debian's kernels
# (the two newest complete 6.1 cloud kernels and the newest 6.12 one,
# or those of KPATCH_BENCH_FLEET_KERNELS),
#   fleet cold:     one run for the three, every cache empty (fetched
#                   kernels, kpatch-build's cache, ccache);
#   fleet warm:     the same run again;
#   separate cold:  every cache emptied again, then one run per kernel,
#                   one after the other (what three kpatch-build runs on
#                   three roots cost: no fetch overlaps a build);
#   separate warm:  the three runs again;
#   parallel warm:  the fleet run with -P 3 (the cores split three ways),
#                   against the fleet warm run's one kernel at a time.
# Each run must build all three (checked).  Prints the wall times, the
# ratios and the disk used by each cache after the cold fleet run.
# Heavy: each cold round downloads about 1.4 GB and builds three kernels'
# preparation; it needs about 12 GB free under KPATCH_BENCH_DIR.
# Usage: bench/fleet.sh   (also run by 'make bench')
# Results: build/bench-fleet/results.txt
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
results=$top/build/bench-fleet
fleet=$top/kpatch-build/kpatch-build-fleet
patch=$top/test/integration/build/01-proc-version/proc-version.patch
mkdir -p "$results"
make -s -C "$top/create-diff-object" >/dev/null
make -s -C "$top/kpatch" >/dev/null

# shellcheck source=../kpatch-build/distro/debian.sh
. "$top/kpatch-build/distro/debian.sh"
FLEET_CACHE=$top/build/bench-fleet	# apt's package cache, for debian.sh
newest() {	# SERIES COUNT
	local r n=0
	for r in $(distro_fleet_releases "$1" cloud-amd64 | sort -rV); do
		[ "$n" -lt "$2" ] || break
		distro_fleet_packages "$r" > /dev/null 2>&1 && { echo "$r"; n=$((n + 1)); }
	done
}
if [ -n "${KPATCH_BENCH_FLEET_KERNELS:-}" ]; then
	read -r -a kernels <<< "$KPATCH_BENCH_FLEET_KERNELS"
else
	mapfile -t kernels < <(newest 6.1 2; newest 6.12 1)
fi
[ ${#kernels[@]} -eq 3 ] || { echo "bench/fleet.sh: the archive has not the three kernels (${kernels[*]})" >&2; exit 1; }

base=$(mktemp -d "${KPATCH_BENCH_DIR:-${TMPDIR:-/tmp}}/kpatch-bench-fleet.XXXXXX")
trap 'rm -rf "$base"' EXIT
empty_caches() {
	rm -rf "$base/caches"
	mkdir -p "$base/caches/ccache"
	export KPATCH_FLEET_CACHE=$base/caches/fleet KPATCH_CACHE=$base/caches/kpatch CCACHE_DIR=$base/caches/ccache
}

# run LABEL OPTION... -k RELEASE...: one fleet run, its output in
# $results/LABEL.log; prints the wall time in s.  Every kernel must be built.
run() {
	local label=$1 t0 t1 r
	shift
	t0=$(date +%s%N)
	"$fleet" -o "$base/out-$label" -n bench "$@" "$patch" > "$results/$label.log" 2>&1 ||
		{ echo "bench/fleet.sh: $label failed (log: $results/$label.log)" >&2; tail -n 8 "$results/$label.log" >&2; exit 1; }
	t1=$(date +%s%N)
	local prev=
	for r in "$@"; do
		[ "$prev" != -k ] || [ -f "$base/out-$label/$r/kpatch-bench.ko" ] ||
			{ echo "bench/fleet.sh: $label: nothing built for $r" >&2; exit 1; }
		prev=$r
	done
	echo $(((t1 - t0) / 1000000000))
}
kargs=()
for k in "${kernels[@]}"; do kargs+=(-k "$k"); done
separate() {	# LABEL: one run per kernel; the sum
	local k sum=0 t
	for k in "${kernels[@]}"; do
		t=$(run "$1-$k" -k "$k")
		sum=$((sum + t))
	done
	echo $sum
}

empty_caches
fleet_cold=$(run fleet-cold "${kargs[@]}")
disk=$(du -sm "$KPATCH_FLEET_CACHE" "$KPATCH_CACHE" "$CCACHE_DIR" | awk '{ printf "%s %s MB; ", $2, $1 }')
fleet_warm=$(run fleet-warm "${kargs[@]}")
parallel_warm=$(run parallel-warm -P 3 "${kargs[@]}")
empty_caches
sep_cold=$(separate separate-cold)
sep_warm=$(separate separate-warm)
{
	echo "kernels: ${kernels[*]} ($(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg))"
	printf '%-34s %6s s\n' "fleet, cold (one run, 3 kernels)" "$fleet_cold" \
		"separate, cold (3 runs)" "$sep_cold" "fleet, warm" "$fleet_warm" \
		"separate, warm (3 runs)" "$sep_warm" "fleet -P 3, warm" "$parallel_warm"
	echo "cold: separate / fleet = $(awk -v a="$sep_cold" -v b="$fleet_cold" 'BEGIN { printf "%.2f", a / b }')"
	echo "warm: separate / fleet = $(awk -v a="$sep_warm" -v b="$fleet_warm" 'BEGIN { printf "%.2f", a / b }')"
	echo "disk after the cold fleet run: ${disk%; }"
} | tee "$results/results.txt"

#!/bin/bash
# Side by side: the warm one-file build (the meminfo patch of
# test/integration/build/02-meminfo-string, as bench/kpatch-build.sh) by
# the kpatch-build of another git revision (the baseline) and by this
# checkout's, alternating, ROUNDS each, in one warm cache; best and median
# wall time of each, their ratios, and each stage's median.
# Usage: bench/kpatch-build-ab.sh [ROUNDS]   (default 7; also run by 'make bench')
#   KPATCH_BENCH_BASELINE=REV: the baseline's revision (default: the one
#   before kpatch-build/recompile.sh came, the last with three makes); its
#   kpatch-build/, kmod/patch/ and include/ are taken from git, and both
#   run this checkout's create-diff-object and kpatch command, so the
#   build steps are compared, not those tools.
#   KPATCH_TEST_SERIES=6.12: on the 6.12 test kernel (default 6.1).
#   KPATCH_BENCH_CACHE=DIR: a cache already warm for the test kernel and
#   this patch (kept); otherwise a temporary one, warmed by one build of
#   this checkout first (not counted).
# Results: build/bench-kpatch-build-ab/results.txt
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=lib.sh
source "$top/bench/lib.sh"
rev=${KPATCH_BENCH_BASELINE:-$(git -C "$top" log --diff-filter=A --format=%H -- kpatch-build/recompile.sh | tail -1)^}
rounds=${1:-7}
out=$top/build/bench-kpatch-build-ab
# The test kernel's series (KPATCH_TEST_SERIES, as test/kernel/build-kernel)
# picks the patch, as vm-build does: the series' own where its source differs.
case_dir=$top/test/integration/build/02-meminfo-string
patch=$case_dir/meminfo-string.patch
[ ! -f "$case_dir/${KPATCH_TEST_SERIES:-6.1}/meminfo-string.patch" ] || patch=$case_dir/${KPATCH_TEST_SERIES:-6.1}/meminfo-string.patch
rm -rf "$out"; mkdir -p "$out/baseline"
git -C "$top" archive "$rev" kpatch-build kmod/patch include | tar -x -C "$out/baseline" ||
	{ echo "bench: cannot take kpatch-build from git revision $rev" >&2; exit 1; }
base=$out/baseline

kpatch_build_bench_setup
# Both checkouts' scripts with this checkout's create-diff-object and
# kpatch command: the build steps are compared, not those tools.
export KPATCH_CDO=$top/create-diff-object/create-diff-object KPATCH_BUILD_KPATCH=$top/kpatch/kpatch

cache=${KPATCH_BENCH_CACHE:-}
if [ -z "$cache" ]; then
	cache=$(mktemp -d "${TMPDIR:-/tmp}/kpatch-bench-cache.XXXXXX")
	trap 'rm -rf "$cache"' EXIT
fi

run() {	# CHECKOUT LABEL: one build, its output in $out/LABEL.log, ms in LABEL.ms
	local t0 t1
	t0=$(date +%s%3N)
	KPATCH_CACHE=$cache KPATCH_NO_CCACHE=1 "$1/kpatch-build/kpatch-build" \
		-s "$src" -c "$tree/.config" -v "$tree/vmlinux" -o "$out" -n bench "$patch" \
		> "$out/$2.log" 2>&1 || { cat "$out/$2.log"; echo "bench: kpatch-build ($2) failed" >&2; exit 1; }
	t1=$(date +%s%3N)
	echo $((t1 - t0)) > "$out/$2.ms"
}
median() { sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
best() { sort -n | head -n1; }
stages() { sed -n 's/^\[[0-9]*\/[0-9]*\] done in \([0-9.]*\) s: \(.*\)/\2|\1/p' "$1"; }

run "$top" warmup
for i in $(seq 1 "$rounds"); do
	run "$base" "base-$i"
	run "$top" "new-$i"
done

{
	echo "warm one-file build ($(basename "$patch")), $rounds rounds alternating, $(nproc) CPUs, $(date -u '+%Y-%m-%d %H:%M UTC')"
	echo "baseline: $rev ($(git -C "$top" log -1 --format='%h %s' "$rev" | cut -c1-70))"
	echo "new:      $top ($(git -C "$top" log -1 --format='%h %s' | cut -c1-70)$(git -C "$top" diff --quiet HEAD -- kpatch-build kmod/patch include || echo ', with changes'))"
	for w in base new; do
		cat "$out"/$w-*.ms > "$out/$w.all"
		printf '%-8s best %6d ms  median %6d ms  (all: %s)\n' "$w" "$(best < "$out/$w.all")" \
			"$(median < "$out/$w.all")" "$(sort -n "$out/$w.all" | paste -sd' ')"
	done
	printf 'ratio new/baseline: best %.2f, median %.2f\n' \
		"$(echo "$(best < "$out/new.all") / $(best < "$out/base.all")" | bc -l)" \
		"$(echo "$(median < "$out/new.all") / $(median < "$out/base.all")" | bc -l)"
	echo
	echo "median of each stage (s):"
	printf '%-52s %10s %10s\n' stage baseline new
	for w in base new; do
		for f in "$out/$w"-*.log; do stages "$f"; done > "$out/$w.stages"
	done
	stages "$out/new-1.log" | cut -d'|' -f1 | while IFS= read -r title; do
		printf '%-52s %10s %10s\n' "$title" \
			"$(awk -F'|' -v t="$title" '$1 == t {print $2}' "$out/base.stages" | median)" \
			"$(awk -F'|' -v t="$title" '$1 == t {print $2}' "$out/new.stages" | median)"
	done
} | tee "$out/results.txt"

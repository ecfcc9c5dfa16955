#!/bin/bash
# Benchmark of kpatch-build on the test kernel: the meminfo patch
# (test/integration/build/02-meminfo-string), per stage,
#   cold: an empty cache (a temporary KPATCH_CACHE) and ccache off, so the
#         original objects, kbuild's host tools and the entry-size probe
#         are all built;
#   warm: the same again, the original build now cached.
# The warm build of a one-file patch must not rebuild the original tree
# (checked: no original object is compiled, nothing but the patched
# file's object is recompiled) and should take under a minute on 2 cores.
# Usage: bench/kpatch-build.sh   (also run by 'make bench')
# Results: build/bench-kpatch-build/results.txt
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
out=$top/build/bench-kpatch-build
patch=$top/test/integration/build/02-meminfo-string/meminfo-string.patch
mkdir -p "$out"

tree=$("$top/test/kernel/build-kernel")
src=$("$top/test/integration/pristine-source")
make -s -C "$top/create-diff-object" >/dev/null
# kpatch-build reads its output back with the kpatch command.
make -s -C "$top/kpatch" >/dev/null
make -s -C "$top/kmod/core" KDIR="$tree" >/dev/null 2>&1 || true
[ ! -f "$top/kmod/core/Module.symvers" ] || export KPATCH_CORE_SYMVERS=$top/kmod/core/Module.symvers

cache=$(mktemp -d "${TMPDIR:-/tmp}/kpatch-bench-cache.XXXXXX")
trap 'rm -rf "$cache"' EXIT

# run LABEL: one kpatch-build, its output in $out/LABEL.log, wall time in ms.
run() {
	local label=$1 t0 t1
	t0=$(date +%s%3N)
	KPATCH_CACHE=$cache KPATCH_NO_CCACHE=1 "$top/kpatch-build/kpatch-build" \
		-s "$src" -c "$tree/.config" -v "$tree/vmlinux" -o "$out" -n bench \
		"$patch" > "$out/$label.log" 2>&1 ||
		{ cat "$out/$label.log"; echo "bench: kpatch-build ($label) failed" >&2; exit 1; }
	t1=$(date +%s%3N)
	echo $((t1 - t0)) > "$out/$label.ms"
}
stages() { sed -n 's/^\[[0-9]*\/[0-9]*\] done in \([0-9.]*\) s: \(.*\)/\2|\1/p' "$1"; }

run cold
blog=$(ls "$cache"/*/logs/original-build.log)
before=$(grep -c '^  CC ' "$blog")
run warm
after=$(grep -c '^  CC ' "$blog")

{
	echo "kpatch-build benchmark: $(basename "$patch"), $(nproc) CPUs, $(date -u '+%Y-%m-%d %H:%M UTC')"
	printf '%-52s %10s %10s\n' "stage" "cold (s)" "warm (s)"
	paste -d'|' <(stages "$out/cold.log") <(stages "$out/warm.log") |
		awk -F'|' '{ printf "%-52s %10s %10s\n", $1, $2, $4 }'
	printf '%-52s %10.1f %10.1f\n' "total (wall clock)" \
		"$(echo "$(cat "$out/cold.ms") / 1000" | bc -l)" "$(echo "$(cat "$out/warm.ms") / 1000" | bc -l)"
	echo "warm: recompiled: $(sed -n 's/^kpatch-build: recompiled: //p' "$out/warm.log")"
} | tee "$out/results.txt"

status=0
if [ "$after" != "$before" ]; then
	echo "bench: FAIL: the warm build compiled $((after - before)) original objects" >&2
	status=1
fi
if [ "$(sed -n 's/^kpatch-build: recompiled: //p' "$out/warm.log" | wc -w)" != 1 ]; then
	echo "bench: FAIL: the warm build recompiled more than the patched file" >&2
	status=1
fi
if [ "$(cat "$out/warm.ms")" -ge 60000 ]; then
	echo "bench: FAIL: the warm build took $(( $(cat "$out/warm.ms") / 1000 )) s (limit 60 s)" >&2
	status=1
fi
exit $status

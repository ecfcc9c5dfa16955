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
#   many: a patch of one-line changes in 20 files of several subsystems,
#         warm, with the default jobs (all CPUs) and with --jobs 1: the
#         patched objects compile, and create-diff-object compares them,
#         in parallel; printed next to the one-file warm build.
#   header: a patch of a header several objects include (vm-build case 22:
#         an inline helper in fs/proc/internal.h, used by fs/proc/cmdline.c):
#         the first (the whole original kernel built into the cache, once)
#         and the same again (warm: only the objects whose kbuild .cmd
#         files name the header, checked), the disk the whole build takes
#         (the cache's tree before and after), the warm one against the
#         one-file warm build.
# Usage: bench/kpatch-build.sh   (also run by 'make bench')
# Results: build/bench-kpatch-build/results.txt
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=lib.sh
source "$top/bench/lib.sh"
out=$top/build/bench-kpatch-build
patch=$top/test/integration/build/02-meminfo-string/meminfo-string.patch
header=$top/test/integration/build/22-header-change/header-change.patch
mkdir -p "$out"

kpatch_build_bench_setup

cache=$(mktemp -d "${TMPDIR:-/tmp}/kpatch-bench-cache.XXXXXX")
trap 'rm -rf "$cache"' EXIT

# run LABEL [PATCH [OPTION...]]: one kpatch-build, its output in
# $out/LABEL.log, wall time in ms.
run() {
	local label=$1 p=${2:-$patch} t0 t1
	shift $(($# < 2 ? $# : 2))
	t0=$(date +%s%3N)
	KPATCH_CACHE=$cache KPATCH_NO_CCACHE=1 "$top/kpatch-build/kpatch-build" \
		-s "$src" -c "$tree/.config" -v "$tree/vmlinux" -o "$out" -n bench \
		"$@" "$p" > "$out/$label.log" 2>&1 ||
		{ cat "$out/$label.log"; echo "bench: kpatch-build ($label) failed" >&2; exit 1; }
	t1=$(date +%s%3N)
	echo $((t1 - t0)) > "$out/$label.ms"
}
stages() { sed -n 's/^\[[0-9]*\/[0-9]*\] done in \([0-9.]*\) s: \(.*\)/\2|\1/p' "$1"; }
stage() { stages "$1" | sed -n "s/^$2.*|//p"; }	# LOG TITLE-PREFIX -> seconds

# many_files_patch PATCH: one nop in a traced function of each of 20
# objects of the test kernel linked into vmlinux (its .vmlinux.objs, as
# kpatch-build decides), at most 4 per top-level directory, as one patch
# against the pristine source.
many_files_patch() {
	local work=$out/many dir obj c n count=0
	rm -rf "$work"
	mkdir -p "$work/a" "$work/b"
	for dir in kernel mm fs lib block security ipc drivers net; do
		n=0
		while IFS= read -r obj; do
			if [ "$n" -ge 4 ] || [ "$count" -ge 20 ]; then break; fi
			c=${obj%.o}.c
			[ -f "$src/$c" ] || continue
			grep -qxF "$obj" "$tree/.vmlinux.objs" || continue
			mkdir -p "$work/a/$(dirname "$c")" "$work/b/$(dirname "$c")"
			cp "$src/$c" "$work/a/$c"
			patch_source "$src/$c" "$(mcount_functions "$tree/$obj" | tr '\n' ' ')" > "$work/b/$c"
			if cmp -s "$work/a/$c" "$work/b/$c"; then
				rm "$work/a/$c" "$work/b/$c"
				continue
			fi
			n=$((n + 1)) count=$((count + 1))
		done < <(cd "$tree" && find "$dir" -name '[!.]*.o' ! -name '*.mod.o' -printf '%s %p\n' |
			sort -rn | cut -d' ' -f2)
	done
	[ "$count" -eq 20 ] || { echo "bench: only $count files found to patch" >&2; exit 1; }
	(cd "$work" && diff -ruN a b) > "$1" || [ $? -eq 1 ]
}

# stage_table RUN1 RUN2: each stage's seconds in two runs side by side,
# and their wall-clock totals.
stage_table() {
	printf '%-52s %10s %10s\n' "stage" "${1#header-} (s)" "${2#header-} (s)"
	paste -d'|' <(stages "$out/$1.log") <(stages "$out/$2.log") |
		awk -F'|' '{ printf "%-52s %10s %10s\n", $1, $2, $4 }'
	printf '%-52s %10.1f %10.1f\n' "total (wall clock)" \
		"$(echo "$(cat "$out/$1.ms") / 1000" | bc -l)" "$(echo "$(cat "$out/$2.ms") / 1000" | bc -l)"
}

run cold
blog=$(ls "$cache"/*/logs/original-build.log)
before=$(grep -c '^  CC ' "$blog")
run warm
after=$(grep -c '^  CC ' "$blog")
many_files_patch "$out/many.patch"
# The first build of these 20 files also compiles their original objects.
run many-first "$out/many.patch"
run many "$out/many.patch"
run many-j1 "$out/many.patch" --jobs 1
keydir=$(dirname "$(dirname "$blog")")
disk_lazy=$(du -sm "$keydir/linux" | cut -f1)
run header-first "$header"
disk_whole=$(du -sm "$keydir/linux" | cut -f1)
run header-warm "$header"
# The objects a header patch must recompile: those whose .cmd names it,
# and those of the .c files it changes.
includers=$(cd "$keydir/linux" && grep -rlF --include='.*.o.cmd' 'fs/proc/internal.h' -- */ | wc -l)
own=$(grep -c '^+++ b/.*\.c' "$header")
header_recompiled=$(sed -n 's/^kpatch-build: recompiled: //p' "$out/header-warm.log" | wc -w)

{
	echo "kpatch-build benchmark: $(basename "$patch"), $(nproc) CPUs, $(date -u '+%Y-%m-%d %H:%M UTC')"
	stage_table cold warm
	echo "warm: recompiled: $(sed -n 's/^kpatch-build: recompiled: //p' "$out/warm.log")"
	echo
	echo "20 files ($(grep -c '^+++ ' "$out/many.patch") in the patch), warm, against the one-file warm build:"
	printf '%-40s %10s %10s %10s\n' "" "1 file" "20 files" "20, -j1"
	for title in "Applying the patch and rebuilding" "Comparing objects"; do
		printf '%-40s %10s %10s %10s\n' "$title" "$(stage "$out/warm.log" "$title")" \
			"$(stage "$out/many.log" "$title")" "$(stage "$out/many-j1.log" "$title")"
	done
	printf '%-40s %10.1f %10.1f %10.1f\n' "total (wall clock)" \
		"$(echo "$(cat "$out/warm.ms") / 1000" | bc -l)" "$(echo "$(cat "$out/many.ms") / 1000" | bc -l)" \
		"$(echo "$(cat "$out/many-j1.ms") / 1000" | bc -l)"
	printf 'ratios: 20 files / 1 file %.2fx; comparing 20 objects, -j1 / -j%d: %.2fx\n' \
		"$(echo "$(cat "$out/many.ms") / $(cat "$out/warm.ms")" | bc -l)" "$(nproc)" \
		"$(echo "$(stage "$out/many-j1.log" "Comparing objects") / $(stage "$out/many.log" "Comparing objects")" | bc -l)"
	echo
	echo "a header patch ($(basename "$header"), $includers objects include fs/proc/internal.h):"
	stage_table header-first header-warm
	echo "header warm: $header_recompiled object(s) recompiled"
	printf 'ratio: header warm / one-file warm %.2fx\n' \
		"$(echo "$(cat "$out/header-warm.ms") / $(cat "$out/warm.ms")" | bc -l)"
	echo "disk of the cache's tree: $disk_lazy MiB lazy (the objects above), $disk_whole MiB after the whole original build (+$((disk_whole - disk_lazy)) MiB)"
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
if [ "$header_recompiled" -gt $((includers + own)) ]; then
	echo "bench: FAIL: the warm header patch recompiled $header_recompiled objects, more than the $includers that include the header and its $own .c file(s)" >&2
	status=1
fi
if [ "$(cat "$out/warm.ms")" -ge 60000 ]; then
	echo "bench: FAIL: the warm build took $(( $(cat "$out/warm.ms") / 1000 )) s (limit 60 s)" >&2
	status=1
fi
exit $status

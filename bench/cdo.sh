#!/bin/bash
# Benchmark of create-diff-object: the ten largest objects of the test
# kernel that have a function ftrace can redirect, each built with
# kpatch-build's flags before and after a one-line change in one of those
# functions, then compared.  Prints, per object, the
# compiler's time for the patched build (ccache off) next to
# create-diff-object's wall time and peak memory; the comparison must stay
# far below the compile.
# Usage: bench/cdo.sh [--baseline BINARY] [--repeat R] [N]
#   N objects, default 10; also run by 'make bench'.  With --baseline,
#   BINARY (another create-diff-object build) runs on the same objects in
#   the same run, the two alternating R times (default 3) per object; the
#   faster time of each is printed with their ratio and whether the two
#   outputs are byte-identical, and the total ratio at the end.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
baseline=
repeat=3
while [ $# -gt 0 ]; do
	case $1 in
	--baseline) baseline=$(realpath "$2"); shift 2 ;;
	--repeat) repeat=$2; shift 2 ;;
	*) break ;;
	esac
done
count=${1:-10}
cdo=$top/create-diff-object/create-diff-object
# shellcheck source=../test/cdo/lib/tree.sh
source "$top/test/cdo/lib/tree.sh"
# shellcheck source=lib.sh
source "$top/bench/lib.sh"

[ -x "$cdo" ] || make -s -C "$top/create-diff-object"
ktree=$("$top/test/kernel/build-kernel")
src=$(cdo_tree "$ktree")
cdo_use_layout "$src" || exit 1
out=$top/build/bench-cdo
rm -rf "$out"
mkdir -p "$out"
export PATH=/usr/lib/ccache:$PATH

# Objects compiled from a C file of their own, largest first.  Those in
# which no function can be patched (no traced function defined in the file
# itself, as in kernel/trace/ or a file of #includes) are passed over, so
# that every object measured yields a patch.
mapfile -t objs < <(cd "$ktree" && find . -name '[!.]*.o' ! -name '*.mod.o' ! -name 'vmlinux*' \
	! -name '*.prelink.o' ! -path './scripts/*' ! -path './tools/*' ! -path './arch/x86/boot/*' \
	-printf '%s %P\n' | sort -rn | while read -r _ obj; do
		[ -f "$ktree/${obj%.o}.c" ] && echo "$obj"
	done)

# run_cdo BINARY NAME OUT: one comparison; prints "seconds peak-KiB exit"
run_cdo() {
	local rc=0 start end kib
	start=$(date +%s.%N)
	/usr/bin/time -f '%M' -o "$out/$2.time" "$1" --symtab "$symtab" \
		--symvers "$ktree/Module.symvers" --object "$target" \
		"$out/$2.orig.o" "$out/$2.patched.o" -o "$3" >"$out/$2.cdo" 2>&1 || rc=$?
	end=$(date +%s.%N)
	# the last line: /usr/bin/time says "Command exited..." before it
	kib=$(tail -n 1 "$out/$2.time")
	echo "$(echo "$end - $start" | bc) $kib $rc"
}

# min A B
min() { echo "if ($1 < $2) $1 else $2" | bc; }

exec 9>"$src/.cdo-lock"
flock 9
if [ -n "$baseline" ]; then
	echo "baseline: $baseline; measured: $cdo; best of $repeat alternating runs each"
	printf '%-34s %8s %10s %10s %10s %6s %9s %5s %4s\n' object "size KiB" "compile s" "base s" \
		"cdo s" ratio "cdo MiB" exit same
	total_base=0 total_new=0
else
	printf '%-34s %8s %10s %10s %9s %5s\n' object "size KiB" "compile s" "cdo s" "cdo MiB" exit
fi
measured=0
for obj in "${objs[@]}"; do
	[ "$measured" -lt "$count" ] || break
	c=${obj%.o}.c
	name=$(echo "$obj" | tr / _)
	make -C "$src" -s KCFLAGS="$CDO_KCFLAGS" "$obj" >"$out/$name.log" 2>&1
	cp "$src/$obj" "$out/$name.orig.o"
	cp -p "$src/$c" "$out/$name.c.orig"
	patch_source "$out/$name.c.orig" "$(traced_functions "$out/$name.orig.o" | tr '\n' ' ')" >"$src/$c"
	if cmp -s "$src/$c" "$out/$name.c.orig"; then
		echo "$obj: no traced function of its own, passed over" >>"$out/skipped.txt"
		cp -p "$out/$name.c.orig" "$src/$c"
		rm -f "$out/$name".*
		continue
	fi
	measured=$((measured + 1))
	start=$(date +%s.%N)
	rc=0
	CCACHE_DISABLE=1 make -C "$src" -s KCFLAGS="$CDO_KCFLAGS" "$obj" >>"$out/$name.log" 2>&1 || rc=$?
	end=$(date +%s.%N)
	cp "$out/$name.c.orig" "$src/$c"
	touch "$src/$c"
	[ $rc -eq 0 ] || { echo "bench: building $obj failed, see $out/$name.log" >&2; exit 1; }
	cp "$src/$obj" "$out/$name.patched.o"
	target=vmlinux
	symtab=$ktree/vmlinux
	size=$(($(stat -c %s "$out/$name.orig.o") / 1024))
	compile=$(echo "$end - $start" | bc)
	if [ -z "$baseline" ]; then
		read -r secs kib rc < <(run_cdo "$cdo" "$name" "$out/$name.out.o")
		printf '%-34s %8d %10.2f %10.2f %9.1f %5d\n' "$obj" "$size" "$compile" "$secs" \
			"$(echo "$kib / 1024" | bc -l)" "$rc"
		continue
	fi
	best_base=999999 best_new=999999
	for ((i = 0; i < repeat; i++)); do
		read -r secs _ brc < <(run_cdo "$baseline" "$name" "$out/$name.base.o")
		best_base=$(min "$secs" "$best_base")
		read -r secs kib rc < <(run_cdo "$cdo" "$name" "$out/$name.out.o")
		best_new=$(min "$secs" "$best_new")
	done
	same=no
	[ "$rc" = "$brc" ] && cmp -s "$out/$name.base.o" "$out/$name.out.o" && same=yes
	total_base=$(echo "$total_base + $best_base" | bc)
	total_new=$(echo "$total_new + $best_new" | bc)
	printf '%-34s %8d %10.2f %10.3f %10.3f %6.2f %9.1f %5d %4s\n' "$obj" "$size" "$compile" \
		"$best_base" "$best_new" "$(echo "$best_new / $best_base" | bc -l)" \
		"$(echo "$kib / 1024" | bc -l)" "$rc" "$same"
done
[ -z "$baseline" ] || printf 'total: baseline %.3f s, measured %.3f s, ratio %.3f\n' \
	"$total_base" "$total_new" "$(echo "$total_new / $total_base" | bc -l)"
echo "(exit: 0 patch written, 2 refused, 3 nothing to patch; details in $out)"

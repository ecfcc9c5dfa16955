#!/bin/bash
# Benchmark of create-diff-object: the ten largest objects of the test
# kernel that have a function ftrace can redirect, each built with
# kpatch-build's flags before and after a one-line change in one of those
# functions, then compared.  Prints, per object, the
# compiler's time for the patched build (ccache off) next to
# create-diff-object's wall time and peak memory; the comparison must stay
# far below the compile.
# Usage: bench/cdo.sh [N]   (N objects, default 10; also run by 'make bench')
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
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

exec 9>"$src/.cdo-lock"
flock 9
printf '%-34s %8s %10s %10s %9s %5s\n' object "size KiB" "compile s" "cdo s" "cdo MiB" exit
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
	rc=0
	/usr/bin/time -f '%e %M' -o "$out/$name.time" "$cdo" --symtab "$symtab" \
		--symvers "$ktree/Module.symvers" --object "$target" \
		"$out/$name.orig.o" "$out/$name.patched.o" -o "$out/$name.out.o" \
		>"$out/$name.cdo" 2>&1 || rc=$?
	# the last line: /usr/bin/time says "Command exited..." before it
	read -r secs kib < <(tail -n 1 "$out/$name.time")
	printf '%-34s %8d %10.2f %10.2f %9.1f %5d\n' "$obj" $(($(stat -c %s "$out/$name.orig.o") / 1024)) \
		"$(echo "$end - $start" | bc)" "$secs" "$(echo "$kib / 1024" | bc -l)" "$rc"
done
echo "(exit: 0 patch written, 2 refused, 3 nothing to patch; details in $out)"

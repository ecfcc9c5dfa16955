# shellcheck shell=bash
# Shared by the benchmarks (sourced): one-line changes to kernel sources
# that kpatch-build and create-diff-object turn into a patch.

# The functions of OBJECT that ftrace can redirect: their section's first
# relocation is the call to __fentry__.
traced_functions() {	# traced_functions OBJECT
	readelf -rW "$1" | awk '
	     /^Relocation section / { sec = $3; gsub(/\047/, "", sec); first = 1; next }
	     first && /^[0-9a-f]+ / { first = 0
		if (sec ~ /^\.rela\.text\./ && $5 == "__fentry__") print substr(sec, 12) }'
}

# The same for an object built without -ffunction-sections (the test
# kernel's own): the functions of .text that an __mcount_loc entry points
# into.
mcount_functions() {	# mcount_functions OBJECT
	{ readelf -SW "$1"; readelf -sW "$1"; readelf -rW "$1"; } | awk '
	     function hex(s,   i, v) {
		for (i = 1; i <= length(s); i++) v = v * 16 + index("0123456789abcdef", substr(s, i, 1)) - 1
		return v }
	     /^ *\[ *[0-9]+\] \.text / { sub(/^ *\[ */, ""); sub(/\].*/, ""); text = $0 }
	     $4 == "FUNC" && $7 == text { n++; start[n] = hex($2); size[n] = $3; name[n] = $8 }
	     /^Relocation section / { mcount = ($3 == "\047.rela__mcount_loc\047") ; next }
	     mcount && $5 == ".text" && $6 == "+" {
		off = hex($7)
		for (i = 1; i <= n; i++)
			if (off >= start[i] && off < start[i] + size[i] && !seen[i]++) print name[i] }'
}

# One line into the first function of SOURCE named in FUNCTIONS (a
# space-separated list of traced functions of its object, so not inlined
# away), not __init: a nop.
patch_source() {	# patch_source SOURCE FUNCTIONS
	local funcs=$2
	awk -v funcs=" $funcs " '
	     BEGIN { done = 0 }
	     /^[a-zA-Z].*\(/ && $0 !~ /__init|__exit|notrace|__always_inline|^static inline/ {
		name = $0; sub(/\(.*/, "", name); n = split(name, w, /[ *]+/); cand = w[n] }
	     /^[a-zA-Z].*\(/ && $0 ~ /__init|__exit|notrace|__always_inline|^static inline/ { cand = "" }
	     { print }
	     !done && $0 == "{" && cand != "" && index(funcs, " " cand " ") {
		print "\tasm volatile(\"nop\");"; done = 1 }
	     $0 == "}" { cand = "" }' "$1"
}

# kpatch_build_bench_setup: the test kernel's tree and pristine source in
# $tree and $src, this checkout's create-diff-object and kpatch command
# (kpatch-build reads its output back with it) built, and the core's
# exports for the patch modules to link against (KPATCH_CORE_SYMVERS).
# $top is the sourcing script's checkout; $tree and $src are its to use.
# shellcheck disable=SC2034,SC2154
kpatch_build_bench_setup() {
	tree=$("$top/test/kernel/build-kernel")
	src=$("$top/test/integration/pristine-source")
	make -s -C "$top/create-diff-object" >/dev/null
	make -s -C "$top/kpatch" >/dev/null
	make -s -C "$top/kmod/core" KDIR="$tree" >/dev/null 2>&1 || true
	[ ! -f "$top/kmod/core/Module.symvers" ] || export KPATCH_CORE_SYMVERS=$top/kmod/core/Module.symvers
}

#!/usr/bin/env bats
# kpatch-linefix: unchanged lines keep their numbers, the result compiles.

setup() {
	LINEFIX=$BATS_TEST_DIRNAME/../../kpatch-build/kpatch-linefix
	T=$(mktemp -d)
}
teardown() { rm -rf "$T"; }

# Every line "L(tag)" prints "tag LINE"; run a file and keep the output.
run_c() {	# FILE OUT
	{ echo '#include <stdio.h>'; printf '%s\n' '#define L(t) printf("%s %d\n", #t, __LINE__);'
	  echo 'int main(void) {'; echo '#line 1'; cat "$1"; echo 'return 0; }'; } > "$T/prog.c"
	gcc -Wall -Werror -o "$T/prog" "$T/prog.c"
	"$T/prog" > "$2"
}

# Tags present in both outputs must have the same line number.
same_lines() {	# ORIG_OUT NEW_OUT
	join <(sort "$1") <(sort "$2") | awk '$2 != $3 { print "line moved:", $0; bad = 1 } END { exit bad }'
}

check() {	# ORIG NEW: rewrite, compile both, compare
	"$LINEFIX" "$1" "$2" > "$T/fixed"
	run_c "$1" "$T/orig.out"
	run_c "$T/fixed" "$T/fixed.out"
	same_lines "$T/orig.out" "$T/fixed.out"
	# The rewritten file says what NEW says, apart from #line lines.
	diff <(grep -v '^#line ' "$T/fixed") "$2"
}

@test "identical files are copied unchanged" {
	printf 'L(a)\nL(b)\n' > "$T/o"
	"$LINEFIX" "$T/o" "$T/o" > "$T/f"
	cmp "$T/o" "$T/f"
}

@test "lines added above keep the numbers below" {
	printf 'L(a)\nL(b)\nL(c)\n' > "$T/o"
	printf 'L(a)\nL(new1)\nL(new2)\nL(b)\nL(c)\n' > "$T/n"
	check "$T/o" "$T/n"
	grep -q '^#line 2$' "$T/fixed"
}

@test "lines removed above keep the numbers below" {
	printf 'L(a)\nL(gone1)\nL(gone2)\nL(b)\nL(c)\n' > "$T/o"
	printf 'L(a)\nL(b)\nL(c)\n' > "$T/n"
	check "$T/o" "$T/n"
}

@test "a line replaced one for one needs no directive" {
	printf 'L(a)\nL(x)\nL(b)\n' > "$T/o"
	printf 'L(a)\nL(y)\nL(b)\n' > "$T/n"
	check "$T/o" "$T/n"
	if grep -q '^#line' "$T/fixed"; then
		echo "#line left in the fixed file"; return 1
	fi
}

@test "no directive inside a block comment" {
	printf 'L(a)\n/* one\n * two\n */\nL(b)\n' > "$T/o"
	printf 'L(a)\n/* one\n * added\n * two\n */\nL(b)\n' > "$T/n"
	check "$T/o" "$T/n"
	# The directive comes after the comment, not inside it.
	awk '/\/\*/{c=1} /\*\//{c=0; next} c && /^#line/{exit 1}' "$T/fixed"
}

@test "no directive inside a multi-line macro" {
	printf 'L(a)\n#define M(x) \\\n\t((x) + \\\n\t 1)\nL(b)\nint v = M(1); (void)v;\n' > "$T/o"
	printf 'L(a)\n#define M(x) \\\n\t((x) + \\\n\t 0 + \\\n\t 1)\nL(b)\nint v = M(1); (void)v;\n' > "$T/n"
	check "$T/o" "$T/n"
}

@test "a change inside a skipped #if group is resynchronised after #endif" {
	printf 'L(a)\n#if 0\nint z;\n#endif\nL(b)\n' > "$T/o"
	printf 'L(a)\n#if 0\nint z;\nint zz;\nint zzz;\n#endif\nL(b)\n' > "$T/n"
	check "$T/o" "$T/n"
}

@test "a change in a taken #else branch" {
	printf '#if 0\nL(x)\n#else\nL(a)\n#endif\nL(b)\n' > "$T/o"
	printf '#if 0\nL(x)\n#else\nL(a)\nL(a2)\n#endif\nL(b)\n' > "$T/n"
	check "$T/o" "$T/n"
}

@test "comment markers inside strings do not confuse it" {
	printf 'L(a)\n(void)"/* not a comment";\nL(b)\n' > "$T/o"
	printf 'L(a)\n(void)"/* not a comment";\nL(added)\nL(b)\n' > "$T/n"
	check "$T/o" "$T/n"
}

@test "WARN_ON-style use below an insertion keeps its line (kernel file)" {
	src=${KPATCH_TEST_SRC:-}
	[ -n "$src" ] || skip "no 6.1 source extracted (test/integration/pristine-source)"
	f=$src/fs/proc/meminfo.c
	[ -f "$f" ] || skip "no fs/proc/meminfo.c"
	awk 'NR == 30 { print "/* added 1 */"; print "static int added(void) { return 1; }" } { print }' "$f" > "$T/n"
	"$LINEFIX" "$f" "$T/n" > "$T/fixed"
	# Preprocess both (includes blanked) with show_val_kb() printing
	# __LINE__: the same numbers everywhere.
	sed 's/^#include.*//' "$f" > "$T/o.c"
	sed 's/^#include.*//' "$T/fixed" > "$T/f.c"
	a=$(gcc -E -P -undef -nostdinc -D'show_val_kb(...)=LINE=__LINE__' "$T/o.c" | grep -o 'LINE=[0-9]*' | tr '\n' ' ')
	b=$(gcc -E -P -undef -nostdinc -D'show_val_kb(...)=LINE=__LINE__' "$T/f.c" | grep -o 'LINE=[0-9]*' | tr '\n' ' ')
	[ -n "$a" ]
	[ "$a" = "$b" ]
}

@test "bad arguments fail with status 2" {
	run "$LINEFIX" /nonexistent "$T/x"
	[ "$status" -eq 2 ]
	run "$LINEFIX" onlyone
	[ "$status" -eq 2 ]
}

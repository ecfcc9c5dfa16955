#!/usr/bin/env bats
# kpatch-cc: a plain compiler, unless kpatch-build asks it to record and
# back up the objects it overwrites.

setup() {
	CC=$BATS_TEST_DIRNAME/../../kpatch-build/kpatch-cc
	T=$(mktemp -d)
	cd "$T" || return
	mkdir -p dir
	echo 'int f(void) { return 1; }' > dir/a.c
	export KPATCH_NO_CCACHE=1
}
teardown() { rm -rf "$T"; }

@test "without kpatch-build it is a plain compiler" {
	"$CC" -c -o dir/a.o dir/a.c
	[ -f dir/a.o ]
	[ ! -e log ]
	"$CC" --version | head -n1 | grep -q .
}

@test "it records compiled objects and backs up the old ones with their .cmd" {
	"$CC" -c -o dir/a.o dir/a.c
	echo "cmd_dir/a.o := old" > dir/.a.o.cmd
	touch -d '2001-01-01' dir/a.o dir/.a.o.cmd
	cp -p dir/a.o a.o.orig
	echo 'int f(void) { return 2; }' > dir/a.c
	KPATCH_CC_LOG=$T/log KPATCH_CC_BACKUP=$T/backup "$CC" -c -o dir/a.o dir/a.c
	[ "$(cat log)" = dir/a.o ]
	cmp backup/dir/a.o a.o.orig
	[ "$(stat -c %Y backup/dir/a.o)" = "$(stat -c %Y a.o.orig)" ]
	[ -f backup/dir/.a.o.cmd ]
	if cmp -s dir/a.o a.o.orig; then
		echo "dir/a.o was not rebuilt"; return 1
	fi
}

@test "it records and backs up an assembler file (-S) as kbuild's prepare writes asm-offsets.s" {
	"$CC" -S -o dir/a.s dir/a.c
	echo "cmd_dir/a.s := old" > dir/.a.s.cmd
	cp -p dir/a.s a.s.orig
	echo 'int f(void) { return 2; }' > dir/a.c
	KPATCH_CC_LOG=$T/log KPATCH_CC_BACKUP=$T/backup "$CC" -S -o dir/a.s dir/a.c
	[ "$(cat log)" = dir/a.s ]
	cmp backup/dir/a.s a.s.orig
	[ -f backup/dir/.a.s.cmd ]
	if cmp -s dir/a.s a.s.orig; then
		echo "dir/a.s was not rebuilt"; return 1
	fi
}

@test "a second compile of the same object keeps the first backup" {
	"$CC" -c -o dir/a.o dir/a.c
	cp dir/a.o a.o.orig
	echo 'int f(void) { return 2; }' > dir/a.c
	KPATCH_CC_LOG=$T/log KPATCH_CC_BACKUP=$T/backup "$CC" -c -o dir/a.o dir/a.c
	echo 'int f(void) { return 3; }' > dir/a.c
	KPATCH_CC_LOG=$T/log KPATCH_CC_BACKUP=$T/backup "$CC" -c -o dir/a.o dir/a.c
	cmp backup/dir/a.o a.o.orig
}

@test "compiler probes outside the tree are not recorded" {
	KPATCH_CC_LOG=$T/log KPATCH_CC_BACKUP=$T/backup "$CC" -c -o /dev/null dir/a.c
	KPATCH_CC_LOG=$T/log KPATCH_CC_BACKUP=$T/backup "$CC" -E -o dir/a.i dir/a.c
	mkdir -p .tmp_123
	KPATCH_CC_LOG=$T/log KPATCH_CC_BACKUP=$T/backup "$CC" -c -o .tmp_123/tmp.o dir/a.c
	[ ! -s log ]
}

@test "a failing compile keeps the backup and the exit status" {
	"$CC" -c -o dir/a.o dir/a.c
	echo 'syntax error' > dir/a.c
	run env KPATCH_CC_LOG="$T/log" KPATCH_CC_BACKUP="$T/backup" "$CC" -c -o dir/a.o dir/a.c
	[ "$status" -ne 0 ]
	[ -f backup/dir/a.o ]
}

@test "with clang as the real compiler (a clang kernel's), it records clang's object" {
	echo 'int f(void) { return 2; }' > dir/b.c
	KPATCH_REAL_CC=clang KPATCH_CC_LOG=$T/log KPATCH_CC_BACKUP=$T/backup "$CC" -c -o dir/b.o dir/b.c
	[ "$(cat log)" = dir/b.o ]
	readelf -p .comment dir/b.o | grep -q 'clang version'
	unset KPATCH_NO_CCACHE
	if command -v ccache >/dev/null; then
		KPATCH_REAL_CC=clang "$CC" -c -o dir/c.o dir/b.c
		readelf -p .comment dir/c.o | grep -q 'clang version'
	fi
}

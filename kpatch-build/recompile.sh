# shellcheck shell=bash
# The patched build of a patch of .c files without make: each changed
# object compiled by the command kbuild saved for it in its .cmd file.
# Sourced by kpatch-build, which sets TREE, KEYDIR, TMP, LOG, JOBS, GOALS,
# TOOLSDIR, TOOLCHAIN_CC and the message functions.
#
# Why: a make of one object evaluates the kernel's top Makefile, whose
# compiler probes (cc-option, try-run in arch/x86/Makefile and
# scripts/Makefile.compiler) cost most of a second at every make, before
# kbuild descends into the object's directory and runs one compiler.
#
# Why it is the same compile: build_original has just made these goals in
# the cache tree, under the lock, and kbuild's if_changed either found
# each object's saved command equal to the command it would run now (same
# Makefiles, config, CC=kpatch-cc, KCFLAGS) or rebuilt the object and
# saved the new one.  A patch of .c files changes none of what the command
# is made of, so kbuild would run that very command on the patched source.
# kbuild's rule for a C object (rule_cc_o_c) runs more steps after it;
# those that only write the .cmd file or check the source do not change
# the object and are not needed here (the .cmd file is restored with the
# object).  When the kernel's rule has a step that rewrites the object
# (recordmcount; in older kernels the symbol-version relink,
# modversions_c, and objtool as a step of its own) the patched build is a
# make, as it is for anything but .c objects of vmlinux or of a module (a
# header, -t targets: skip_prepare_patched), and for an object without a
# saved command of kpatch-cc.  KPATCH_BUILD_MAKE=1 forces the make (tests and
# benchmarks compare both).

# The steps of rule_cc_o_c that leave the object as the compile wrote it:
# they append to the .cmd file (gen_ksymdeps, gen_objtooldep,
# gen_symversions_c) or only check (check_local_export, checksrc,
# checkdoc, warn_shared_object).
CC_RULE_HARMLESS_STEPS=" gen_ksymdeps gen_objtooldep gen_symversions_c check_local_export checksrc force_checksrc checkdoc warn_shared_object "

# What rule_cc_o_c is in this kernel's kbuild, and which cmd_ variables
# have a value with this config (the steps it will run).
# shellcheck disable=SC2016 # make's $(...), not the shell's
CC_RULE_PROBE='$(obj)/cc-rule.s: FORCE
	$(file >$@,$(value rule_cc_o_c))
	$(file >>$@,set: $(foreach v,$(filter cmd_%,$(.VARIABLES)),$(if $(strip $(value $(v))),$(v))))
	@:
'

# cc_rule_objects_untouched: whether every step of rule_cc_o_c after the
# compile leaves the object alone (asked once per cache, KEYDIR/cc-rule);
# prints the first step that does not.
cc_rule_objects_untouched() {
	local cached=$KEYDIR/cc-rule dir=$TMP/cc-rule-probe set step
	if [ ! -s "$cached" ]; then
		mkdir -p "$dir"
		printf %s "$CC_RULE_PROBE" > "$dir/Kbuild"
		echo "+ make -C $TREE M=$dir cc-rule.s" >> "$LOG"
		if ! { kmake M="$dir" cc-rule.s >> "$LOG" 2>&1 &&
			grep -q 'cmd_and_fixdep,cc_o_c' "$dir/cc-rule.s"; }; then
			echo "kbuild in $TREE did not say what its rule for C objects runs (see $LOG)"
			return 1
		fi
		mv "$dir/cc-rule.s" "$cached"
	fi
	set=" $(sed -n 's/^set: //p' "$cached") "
	while IFS= read -r step; do
		[[ "$set" == *" cmd_$step "* ]] || continue
		[[ "$CC_RULE_HARMLESS_STEPS" == *" $step "* ]] ||
			{ echo "kbuild's rule for C objects runs $step on the object after compiling it"; return 1; }
	done < <(grep -o 'call cmd,[A-Za-z0-9_]*' "$cached" | cut -d, -f2)
}

# saved_command OBJECT: the command kbuild saved for OBJECT (a path as
# kbuild names it: relative to TREE, or absolute for an external module's),
# as a shell command to run in TREE.  The .cmd file is a makefile
# (cmd_OBJ := ..., savedcmd_ since 6.3) with $ written $$ and # written
# $(pound): make reads it back, as kbuild's own if_changed does.
saved_command() {
	local o=$1 cmd
	cmd=$(dirname "$o")/.$(basename "$o").cmd
	(cd "$TREE" && [ -f "$cmd" ]) || return 1
	make -s --no-print-directory -C "$TREE" -f - <<EOF
all: ;@:
pound := \\#
include $cmd
\$(info \$(or \$(savedcmd_$o),\$(cmd_$o)))
EOF
}

# saved_compiles: fills SAVED_COMPILES (one shell command per goal) when
# every goal can be compiled so; otherwise sets NOT_SAVED (why not) and
# fails.
saved_compiles() {
	local g c
	SAVED_COMPILES=() NOT_SAVED=
	if [ -n "${KPATCH_BUILD_MAKE:-}" ]; then
		NOT_SAVED="KPATCH_BUILD_MAKE is set"
	elif [ ${#PATCHED_MAKE_ARGS[@]} -eq 0 ]; then
		NOT_SAVED="not every goal is an object of vmlinux or of a module, or the patch changes more than .c files"
	fi
	for g in "${GOALS[@]}"; do
		[ -z "$NOT_SAVED" ] || break
		if [ ! -f "$TREE/${g%.o}.c" ] || ! grep -qxF "${g%.o}.c" "$TMP/files"; then
			NOT_SAVED="$g is not the object of a patched .c file"
		elif ! c=$(saved_command "$g") || [ -z "$c" ]; then
			NOT_SAVED="$g has no command saved by kbuild"
		elif [ "${c%% *}" != kpatch-cc ]; then
			NOT_SAVED="kbuild's saved command for $g does not compile with kpatch-cc"
		else
			SAVED_COMPILES+=("$c")
		fi
	done
	[ -n "$NOT_SAVED" ] || NOT_SAVED=$(cc_rule_objects_untouched) || true
	[ -z "$NOT_SAVED" ]
}

# recompile_saved: run SAVED_COMPILES in the cache tree, up to JOBS at
# once, with kpatch-cc recording and backing up as in a patched make (the
# caller sets KPATCH_CC_LOG and KPATCH_CC_BACKUP); the compiler's messages
# on stdout, in the order of the goals.  The dependency file gcc writes
# (-Wp,-MMD) is removed, as kbuild's fixdep does.
recompile_saved() {
	local i rc=0 out=$TMP/recompile pids=()
	mkdir -p "$out"
	for i in "${!GOALS[@]}"; do
		while [ "$(busy_jobs)" -ge "$JOBS" ]; do wait -n || true; done
		(cd "$TREE" && KPATCH_REAL_CC=${KPATCH_REAL_CC:-$TOOLCHAIN_CC} PATH=$TOOLSDIR:$PATH \
			sh -c "set -e; ${SAVED_COMPILES[$i]}" > "$out/$i.log" 2>&1
			echo $? > "$out/$i.rc") &
		pids+=($!)
	done
	wait "${pids[@]}"
	for i in "${!GOALS[@]}"; do
		echo "  CC      ${GOALS[$i]} (kbuild's saved command)"
		cat "$out/$i.log"
		rm -f "$TREE/$(dirname "${GOALS[$i]}")/.$(basename "${GOALS[$i]}").d"
		[ "$(cat "$out/$i.rc" 2>/dev/null)" = 0 ] || rc=1
	done
	return $rc
}

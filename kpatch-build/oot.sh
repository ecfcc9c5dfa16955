# shellcheck shell=bash
# kpatch-build --oot-module KO --oot-module-src DIR: patch a module built
# outside the kernel tree.  Sourced by kpatch-build, which sets BUILDTREE,
# RELEASE, TMP, LOG, TREE, the message functions and the steps' files.
#
# The kernel's cache is not used: the module's source is copied into a
# scratch directory (TREE=$TMP/oot/src, the user's directory is only read)
# and built there twice as a kbuild external module against the target's
# build tree, original then patched, with the flags of the in-tree builds.
# Both builds are in the same directory, so paths compiled into the objects
# (__FILE__, WARN's file names) are the same in both.  The changed objects
# are those of the module whose bytes differ; the given KO is the symbol
# table create-diff-object matches them against, and its build ID is
# recorded for the core like an in-tree module's.

# The given KO as modinfo reads it (kmod reads .ko.xz and .ko.zst too);
# nothing for a file that is not a module.
oot_modinfo() {	# FIELD [KO]
	{ modinfo -F "$1" "${2:-$OOT_KO}" 2>/dev/null || true; } | head -n 1
}

# Recorded with need before anything is built: the module and its source
# must be there, and the module must be one built for the target kernel.
check_oot_module() {
	local magic
	if [ ! -d "$OOT_SRC" ]; then
		need "module source missing: $OOT_SRC (--oot-module-src) is not a directory"
	elif [ ! -f "$OOT_SRC/Kbuild" ] && [ ! -f "$OOT_SRC/Makefile" ]; then
		need "$OOT_SRC (--oot-module-src) is not a module's source: it has no Kbuild or Makefile for kbuild (make -C BUILDTREE M=DIR)"
	else
		OOT_SRC=$(readlink -f "$OOT_SRC")
	fi
	# kbuild builds the module with the build tree's configuration: the
	# config given (or the running kernel's) must be that one.
	local diffs
	if [ -n "$CONFIG" ] && [ -n "$BUILDTREE" ] && [ -f "$BUILDTREE/.config" ]; then
		diffs=$(config_changes "$CONFIG" "$BUILDTREE/.config")
		[ -z "$diffs" ] ||
			need "the config $CONFIG is not the one of the build tree $BUILDTREE, with which kbuild builds the module: $(head -n 1 <<< "$diffs" | sed 's/after olddefconfig/in the build tree/')$([ "$(grep -c . <<< "$diffs")" -eq 1 ] || echo " (and $(( $(grep -c . <<< "$diffs") - 1 )) more)")"
	fi
	if [ ! -r "$OOT_KO" ]; then
		need "module missing: cannot read $OOT_KO (--oot-module)"
		return 0
	fi
	OOT_KO=$(readlink -f "$OOT_KO")
	OOT_NAME=$(oot_modinfo name)
	if [ -z "$OOT_NAME" ]; then
		need "$OOT_KO (--oot-module) is not a kernel module: it has no module name in .modinfo"
		return 0
	fi
	magic=$(oot_modinfo vermagic)
	if [ -n "$RELEASE" ] && [ "${magic%% *}" != "$RELEASE" ]; then
		need "$OOT_KO (--oot-module) was built for kernel ${magic%% *}, not for the target kernel $RELEASE"
	fi
}

# The files a patch modifies (not those it creates) must be the module's:
# a patch of the kernel's own files cannot go into this build.
check_oot_patch_files() {
	local p f missing
	for p in "${PATCHES[@]}"; do
		missing=$(awk '{ sub(/\r$/, "") }
			/^--- / { f = substr($0, 5); sub(/\t.*/, "", f)
				if (f != "/dev/null") { sub(/^[^\/]*\//, "", f); print f } }' "$p" | sort -u |
			while IFS= read -r f; do [ -f "$OOT_SRC/$f" ] || echo "$f"; done | paste -sd' ')
		[ -z "$missing" ] ||
			die "$(basename "$p") patches files that are not in the module source $OOT_SRC: $missing; with --oot-module the patches are against the module's source only (build kernel changes as a patch of their own)"
	done
}

oot_make() {	# make in the module's scratch copy, as kbuild builds external modules
	KPATCH_REAL_CC=${KPATCH_REAL_CC:-$TOOLCHAIN_CC} PATH=$TOOLSDIR:$PATH \
		make -C "$BUILDTREE" "${TOOLCHAIN_ARGS[@]}" M="$TREE" CC=kpatch-cc \
		KCFLAGS="$KCFLAGS_ORIG -I$INCLUDEDIR" -j"$JOBS" "$@"
}

# Every module the source builds and its objects: "MODULE.ko OBJECT" lines,
# the objects relative to TREE, from the .mod files kbuild writes.
oot_module_objects() {
	local mod o
	while IFS= read -r mod; do
		# one object a line (5.x and later), absolute with M=
		while IFS= read -r o; do
			[ -z "$o" ] || echo "${mod%.mod}.ko ${o#"$TREE"/}"
		done < "$TREE/$mod"
	done < <(cd "$TREE" && find . -name '*.mod' -printf '%P\n' | sort)
}

build_original_oot() {
	local ko o built=()
	mkdir -p "$TREE"
	info "copying $OOT_SRC into $TREE and building the original module"
	cp -a "$OOT_SRC/." "$TREE/" || die "cannot copy the module source $OOT_SRC"
	# What the user's own build left there is not the original build.
	echo "+ make -C $BUILDTREE M=$TREE clean" >> "$LOG"
	oot_make clean >> "$LOG" 2>&1 || die "kbuild cannot clean the copy of $OOT_SRC (see $LOG)"
	echo "+ make -C $BUILDTREE M=$TREE modules (original)" >> "$LOG"
	oot_make modules >> "$LOG" 2>&1 ||
		die "the module source $OOT_SRC does not build against $BUILDTREE" "$(grep -E -A3 -m 10 '(error|Error)' "$LOG")"
	oot_module_objects > "$TMP/oot-objects"
	OOT_BUILT=
	while read -r ko _; do
		[ "$(oot_modinfo name "$TREE/$ko")" = "$OOT_NAME" ] && OOT_BUILT=$ko
		built+=("$(oot_modinfo name "$TREE/$ko")")
	done < <(awk '!seen[$1]++' "$TMP/oot-objects")
	[ -n "$OOT_BUILT" ] ||
		die "the module source $OOT_SRC builds no module $OOT_NAME (the name of $OOT_KO); it builds: ${built[*]:-nothing}"
	check_oot_match
	# The original objects, before the patched build overwrites them.
	while read -r _ o; do
		mkdir -p "$TMP/orig/$(dirname "$o")"
		cp -p "$TREE/$o" "$TMP/orig/$o"
	done < "$TMP/oot-objects"
	info "built the original $OOT_BUILT from $OOT_SRC"
}

# The given module must be this source built for this kernel: the same
# vermagic as the module built here and, when it has one, the same
# srcversion (modpost's digest of the module's source files, whatever the
# flags and the directory); without a srcversion, the same functions.
check_oot_match() {
	local ours=$TREE/$OOT_BUILT mine theirs extra
	mine=$(oot_modinfo vermagic "$ours") theirs=$(oot_modinfo vermagic)
	[ "$mine" = "$theirs" ] ||
		die "$OOT_KO does not match the target kernel's build tree: its vermagic is '$theirs', the module built against $BUILDTREE has '$mine'"
	theirs=$(oot_modinfo srcversion)
	if [ -n "$theirs" ]; then
		mine=$(oot_modinfo srcversion "$ours")
		[ "$mine" = "$theirs" ] ||
			die "$OOT_KO was not built from the module source $OOT_SRC: its srcversion is $theirs, the source's is ${mine:-none}"
		return 0
	fi
	extra=$(comm -3 <(oot_functions "$OOT_KO") <(oot_functions "$ours") | tr -d '\t' | awk 'NR <= 5' | paste -sd' ')
	[ -z "$extra" ] ||
		die "$OOT_KO was not built from the module source $OOT_SRC: they differ in the functions $extra"
}

oot_functions() {	# KO: its function names, without compiler-made padding
	local ko=$1
	case "$ko" in
	*.xz)  xz -dc "$ko" > "$TMP/functions.ko"; ko=$TMP/functions.ko ;;
	*.zst) zstd -qdc "$ko" > "$TMP/functions.ko"; ko=$TMP/functions.ko ;;
	esac
	readelf -sW "$ko" | awk '$4 == "FUNC" && $7 != "UND" && $8 !~ /^__(pfx|cfi)_/ {print $8}' | sort -u
}

# The patch applied to the scratch copy (the #line-rewritten files), the
# module rebuilt; the objects whose bytes changed are compared.
apply_and_build_oot() {
	local f o blog=$TMP/patched-build.log
	while IFS= read -r f; do
		if [ -e "$TMP/fixed/$f" ]; then
			mkdir -p "$TREE/$(dirname "$f")"
			cp "$TMP/fixed/$f" "$TREE/$f"
		else
			rm -f "$TREE/$f"
		fi
	done < "$TMP/files"
	echo "+ make -C $BUILDTREE M=$TREE modules (patched)" >> "$LOG"
	if ! oot_make modules > "$blog" 2>&1; then
		cat "$blog" >> "$LOG"
		die "the patched source does not compile: $(grep -E -m1 ': (fatal )?error:' "$blog" || echo "see the log")" \
			"$(grep -E -A4 '(error|Error)' "$blog" | grep -v '^make' | head -n 20)"
	fi
	cat "$blog" >> "$LOG"
	: > "$TMP/changed-objects"
	while read -r ko o; do
		[ -f "$TREE/$o" ] || die "the patched build made no $o"
		cmp -s "$TMP/orig/$o" "$TREE/$o" && continue
		[ "$ko" = "$OOT_BUILT" ] ||
			die "the patch changes $o, an object of $(oot_modinfo name "$TREE/$ko"), not of $OOT_NAME (--oot-module)"
		mkdir -p "$TMP/patched/$(dirname "$o")"
		cp "$TREE/$o" "$TMP/patched/$o"
		echo "$o" >> "$TMP/changed-objects"
	done < "$TMP/oot-objects"
	info "recompiled: $(tr '\n' ' ' < "$TMP/changed-objects")"
	[ -s "$TMP/changed-objects" ] ||
		die "no functional change: the patch changes no object of $OOT_NAME"
}

# The symbol table of the patched object: the module as installed.
oot_symtab() {
	case "$OOT_KO" in
	*.xz)  xz -dc "$OOT_KO" > "$TMP/symtab-$OOT_NAME.ko" ;;
	*.zst) zstd -qdc "$OOT_KO" > "$TMP/symtab-$OOT_NAME.ko" ;;
	*)     echo "$OOT_KO"; return ;;
	esac
	echo "$TMP/symtab-$OOT_NAME.ko"
}

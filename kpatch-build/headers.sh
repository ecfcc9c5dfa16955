# shellcheck shell=bash
# A patch that changes headers: which objects to rebuild.  Sourced by
# kpatch-build, which sets TREE, KEYDIR, TMP, LOG and the message
# functions.
#
# kbuild records every file an object was compiled from in the object's
# .cmd file (fixdep's deps_OBJ list, from gcc -MD), so once the whole
# original tree has been built, the objects a header reaches are those whose
# .cmd lists it.  Building exactly those objects (kbuild single targets,
# original then patched) replaces making every build directory, which
# walks the whole tree twice and relinks its archives and modules.

# header_includers HEADER...: the objects of the build directories
# (KEYDIR/build-dirs) whose kbuild dependencies list one of the headers
# (paths relative to the tree), one a line, sorted.  fixdep writes the
# dependencies one a line, indented ("  fs/proc/internal.h \"), as gcc
# found them ("fs/proc/../mount.h"): grep picks the lines naming a
# header's file name, awk normalises each path and compares it.  Objects
# of modpost (*.mod.o) are left out: they are not patched.
header_includers() {
	local dirs=() d names=() h
	mapfile -t dirs < "$KEYDIR/build-dirs"
	for h in "$@"; do names+=(-e "$(basename "$h")"); done
	# (grep finding nothing is no error here.)
	(cd "$TREE" && for d in "${dirs[@]}"; do [ ! -d "$d" ] || echo "$d"; done |
		{ xargs -r -d '\n' grep -rHF --include='.*.o.cmd' "${names[@]}" -- || true; }) |
		awk -v headers="$*" '
		BEGIN { n = split(headers, h, " "); for (i = 1; i <= n; i++) want[h[i]] = 1 }
		function normal(p,   parts, m, j, k, out, r) {
			m = split(p, parts, "/"); k = 0
			for (j = 1; j <= m; j++) {
				if (parts[j] == "." || parts[j] == "") continue
				if (parts[j] == ".." && k > 0) { k--; continue }
				out[++k] = parts[j]
			}
			r = ""
			for (j = 1; j <= k; j++) r = r (j > 1 ? "/" : "") out[j]
			return r
		}
		{
			c = index($0, ":"); cmd = substr($0, 1, c - 1); line = substr($0, c + 1)
			if (cmd ~ /\.mod\.o\.cmd$/ || line !~ /^[ \t]+[^ \t$]/) next
			sub(/[ \t]*\\$/, "", line); gsub(/^[ \t]+|[ \t]+$/, "", line)
			if (!(normal(line) in want)) next
			dir = cmd; sub(/\/?\.[^\/]*\.cmd$/, "", dir)
			file = cmd; sub(/^.*\/\.|^\./, "", file); sub(/\.cmd$/, "", file)
			print (dir == "" ? "" : dir "/") file
		}' | LC_ALL=C sort -u
}

# header_goals: GOALS for a patch whose only files besides .c/.S ones are
# headers (HEADERS), in a tree built whole: the objects of the patched
# .c/.S files and every object whose .cmd lists a changed header.  Fails
# (leaving GOALS alone) for a patch of anything else (a Makefile, a linker
# script), which only making every build directory can follow.  Dies when
# no object includes any of the headers: the patch changes nothing this
# configuration builds.  What kbuild's prepare generates from the headers
# (asm-offsets.h) is checked after the patched build (generated_changes).
header_goals() {
	local includers
	[ ${#HEADERS[@]} -gt 0 ] && ! grep -qvE '\.(c|S|h)$' "$TMP/files" || return 1
	includers=$(header_includers "${HEADERS[@]}")
	[ -n "$includers" ] ||
		die "no functional change: no object of this configuration includes ${HEADERS[*]} (no kbuild dependency file in $TREE lists it)"
	mapfile -t GOALS < <(printf '%s\n' "${GOALS[@]}" "$includers" | grep . | LC_ALL=C sort -u)
	info "${HEADERS[*]}: included by $(grep -c . <<<"$includers") object(s) (their kbuild .cmd files): building those, not the whole tree"
}

# The headers kbuild generates (include/generated, arch/ARCH/include/
# generated): kbuild's prepare rewrites asm-offsets.h and bounds.h when a
# header changes the structures they measure.  save_generated keeps them
# in the restore directory before a patched make that runs prepare, so that
# restore_cache puts them back; generated_changes names those the patched
# build changed.
save_generated() {	# RESTORE-DIR
	local d tmp=$1/generated.tmp
	# Whole or not at all: restore_cache copies back what it finds.
	rm -rf "$tmp"
	for d in "$TREE"/include/generated "$TREE"/arch/*/include/generated; do
		d=${d#"$TREE"/}
		mkdir -p "$tmp/$(dirname "$d")"
		cp -a "$TREE/$d" "$tmp/$d"
	done
	mv -T "$tmp" "$1/generated"
}

generated_changes() {	# RESTORE-DIR
	(cd "$1/generated" && find . -type f -printf '%P\n') | while IFS= read -r f; do
		cmp -s "$1/generated/$f" "$TREE/$f" || echo "$f"
	done
	(cd "$TREE" && find include/generated arch/*/include/generated -type f) | while IFS= read -r f; do
		[ -e "$1/generated/$f" ] || echo "$f"
	done
}

# drop_same_objects: after a patched build of headers, the objects that were
# recompiled only because they include a patched header and came out byte
# for byte the same (the header's change is in code they do not use) leave
# TMP/changed-objects: nothing to compare, and nothing to refuse (an object
# outside vmlinux and the modules, such as the vDSO's, often includes a
# common header).  The objects of the patch's own .c/.S files stay.  When
# none is left, that is the one message.
drop_same_objects() {
	local o own kept=$TMP/changed-objects.kept n=0
	own=$(grep -E '\.(c|S)$' "$TMP/files" | sed 's/\.[cS]$/.o/') || true
	: > "$kept"
	while IFS= read -r o; do
		if ! grep -qxF "$o" <<<"$own" && [ -e "$TMP/orig/$o" ] &&
		   cmp -s "$TMP/orig/$o" "$TMP/patched/$o"; then
			rm -f "$TMP/orig/$o" "$TMP/patched/$o"
			n=$((n + 1))
			continue
		fi
		echo "$o" >> "$kept"
	done < "$TMP/changed-objects"
	mv "$kept" "$TMP/changed-objects"
	[ "$n" -gt 0 ] || return 0
	[ -s "$TMP/changed-objects" ] ||
		die "no functional change: the $n object(s) that include the patched headers compile to the same code as before"
	info "$n recompiled object(s) came out the same as the originals: not compared"
}

# shellcheck shell=bash
# kpatch-build's cache (KPATCH_CACHE, default ~/.kpatch): its lock, its
# disk use and its pruning (kpatch-build --prune).  Sourced by
# kpatch-build, which sets CACHE_ROOT, SYSROOT and the message functions.
#
#   RELEASE-CONFIGHASH-COMPILERVERSION/   one kernel: linux/ (a copy of the
#                                    source with the original objects),
#                                    logs/, last-used, lock
#   src/NAME-MTIME/                  a distribution's source tarball,
#                                    extracted (only to make linux/ copies)
#   roots/                           link trees for KPATCH_ROOT build trees
#   oot-logs/NAME.log                the logs of --oot-module builds, which
#                                    use no kernel cache (oot.sh)
#   lock                             shared by every build, exclusive for
#                                    --prune

# size_in_bytes SIZE: 4096, 512K, 20G (powers of 1024) -> bytes.
size_in_bytes() {
	local s=${1^^}
	[[ "$s" =~ ^([0-9]+)([KMGT]?)(I?B)?$ ]] || return 1
	local n=${BASH_REMATCH[1]} shift=0
	case ${BASH_REMATCH[2]} in
	K) shift=10 ;; M) shift=20 ;; G) shift=30 ;; T) shift=40 ;;
	esac
	echo $((n << shift))
}

human_size() {	# BYTES
	numfmt --to=iec-i --suffix=B --format=%.1f "$1"
}

# Every build holds the cache's lock shared, from before it extracts a
# source until it ends; --prune holds it exclusive, so it never removes
# what a build is using.
lock_cache_root() {
	mkdir -p "$CACHE_ROOT"
	exec 8>>"$CACHE_ROOT/lock"
	if ! flock -s -n 8; then
		info "waiting for kpatch-build --prune to finish with $CACHE_ROOT"
		flock -s 8
	fi
}

# The kernel caches, most recently used first: "LAST-USED KEY" lines.
kernel_caches() {
	local d t
	for d in "$CACHE_ROOT"/*/; do
		d=${d%/}
		case "${d##*/}" in src|roots|oot-logs) continue ;; esac
		[ -e "$d/lock" ] || continue
		t=$(stat -c %Y "$d/last-used" 2>/dev/null || stat -c %Y "$d")
		echo "$t ${d##*/}"
	done | sort -rn
}

# KEY -> RELEASE: the key ends in -CONFIGHASH (12 hex digits) and the
# compiler, -gccVERSION or -clangVERSION (toolchain.sh).
release_of_key() {
	sed -E 's/-[0-9a-f]{12}-(gcc|clang)[^-]*$//' <<<"$1"
}

disk_use() {	# DIR -> bytes
	du -sb "$1" 2>/dev/null | cut -f1
}

# An extracted source is stale when the target system has no tarball of
# that name and modification time in /usr/src any more (the package was
# updated or removed): no new kernel cache can come from it.
source_is_stale() {	# NAME-MTIME
	local name=${1%-*} mtime=${1##*-} t
	for t in "$(root_path /usr/src)/$name".tar.*; do
		[ "$(stat -L -c %Y "$t")" != "$mtime" ] || return 1
	done
	return 0
}

remove_cache_entry() {	# DIR WHY
	local bytes
	bytes=$(disk_use "$1")
	rm -rf "$1" || die "cannot remove $1"
	info "removed ${1#"$CACHE_ROOT"/} ($(human_size "$bytes")): $2"
	PRUNE_FREED=$((PRUNE_FREED + bytes))
}

# kpatch-build --prune [--keep N] [--max-size SIZE]: without --keep or
# --max-size, remove the caches of kernels the target system does not
# have in /lib/modules; with them, keep the N most recently used kernels'
# caches, and remove the least recently used until the cache fits SIZE.
# Stale extracted sources always go; over SIZE, the extracted sources go
# before any kernel cache (they come back from their tarball in a minute,
# a kernel's original build takes much longer).
prune_cache() {
	local t key rel dir bytes total n=0 kept=()
	PRUNE_FREED=0
	if [ ! -d "$CACHE_ROOT" ]; then
		info "there is no cache at $CACHE_ROOT"
		return 0
	fi
	exec 8>>"$CACHE_ROOT/lock"
	flock -x -n 8 ||
		die "kpatch-build is building with $CACHE_ROOT; prune it when the build is done"
	for dir in "$CACHE_ROOT"/src/*/; do
		dir=${dir%/}
		if [[ "${dir##*/}" == *.tmp ]] || source_is_stale "${dir##*/}"; then
			remove_cache_entry "$dir" "no source tarball in $SYSROOT/usr/src matches it"
		fi
	done
	while read -r t key; do
		dir=$CACHE_ROOT/$key
		rel=$(release_of_key "$key")
		if [ -z "$PRUNE_KEEP$PRUNE_MAX_SIZE" ]; then
			if [ ! -d "$(root_path "/lib/modules/$rel")" ]; then
				remove_cache_entry "$dir" "kernel $rel is not installed (no $SYSROOT/lib/modules/$rel)"
				continue
			fi
		elif [ -n "$PRUNE_KEEP" ] && [ "$n" -ge "$PRUNE_KEEP" ]; then
			remove_cache_entry "$dir" "not among the $PRUNE_KEEP most recently used (last used $(date -d "@$t" '+%F %T'))"
			continue
		fi
		n=$((n + 1))
		kept+=("$key")
	done < <(kernel_caches)
	if [ -n "$PRUNE_MAX_SIZE" ]; then
		total=$(disk_use "$CACHE_ROOT")
		for dir in "$CACHE_ROOT"/src/*/; do
			[ "$total" -gt "$PRUNE_MAX_SIZE" ] || break
			bytes=$(disk_use "$dir")
			remove_cache_entry "${dir%/}" "the cache is over $(human_size "$PRUNE_MAX_SIZE") (extracted again when needed)"
			total=$((total - bytes))
		done
		for ((n = ${#kept[@]} - 1; n >= 0 && total > PRUNE_MAX_SIZE; n--)); do
			bytes=$(disk_use "$CACHE_ROOT/${kept[n]}")
			remove_cache_entry "$CACHE_ROOT/${kept[n]}" "the cache is over $(human_size "$PRUNE_MAX_SIZE") and it is the least recently used"
			total=$((total - bytes))
			unset 'kept[n]'
		done
	fi
	for key in "${kept[@]}"; do
		info "kept $key ($(human_size "$(disk_use "$CACHE_ROOT/$key")"))"
	done
	info "freed $(human_size "$PRUNE_FREED"); the cache $CACHE_ROOT now uses $(human_size "$(disk_use "$CACHE_ROOT")")"
}

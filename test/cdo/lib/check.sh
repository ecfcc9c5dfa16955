# shellcheck shell=bash
# The expect-file checks of the create-diff-object corpus (sourced).
# Every assertion reads the output with readelf/objcopy/od, never with
# create-diff-object itself.  See test/cdo/README.md for the format.

# mawk has no strtonum(): a portable one.
awk_hex='function strtonum(h,  i, v, c) { h = tolower(h); sub(/^0x/, "", h); v = 0
	for (i = 1; i <= length(h); i++) { c = index("0123456789abcdef", substr(h, i, 1)); v = v * 16 + c - 1 }
	return v }
'

# parse_expect FILE: set exp_* and exp_checks (the assertion lines).
# Some exp_* (exp_objtool) are read only by the sourcing harness.
# shellcheck disable=SC2034
parse_expect() {
	local line word
	exp_object='' exp_target=vmlinux exp_objtool=n exp_exit=0 exp_symtab=elf exp_klp=()
	exp_checks=()
	[ -f "$1" ] || { why="$1 is missing"; return 1; }
	while IFS= read -r line; do
		line=${line%%#*}
		line=${line%"${line##*[![:space:]]}"}
		[ -n "$line" ] || continue
		word=${line%% *}
		case $word in
		object) exp_object=${line#object } ;;
		target) exp_target=${line#target } ;;
		objtool) exp_objtool=y ;;
		symtab-text) exp_symtab=text ;;
		klp) exp_klp=(--klp) ;;
		exit) exp_exit=${line#exit } ;;
		changed|new|stderr|no-stderr|defined|not-defined|undefined|not-undefined|\
		section|no-section|reloc|no-reloc|relocs|kpatch-func|kpatch-reloc|\
		no-kpatch-reloc|kpatch-funcs|kpatch-relocs|callback|size|symbol-count|\
		defined-like|kpatch-relocs-without|local|global|modinfo|layout|objtool-args|\
		link-order|symtab|points-to|klp-reloc)
			exp_checks+=("$line") ;;
		*) why="unknown keyword '$word' in $1"; return 1 ;;
		esac
	done <"$1"
	[ -n "$exp_object" ] || { why="no 'object' line in $1"; return 1; }
}

# Records of a .kpatch.* section: "name objname sympos flags" lines for
# .kpatch.funcs (sympos is u32 #10, flags #11), "name objname sympos type"
# for .kpatch.relocations (type is u32 #10, sympos #11).
dump_records() {
	local out=$1 sec=$2 tmp size=48	# sizeof(struct kpatch_reloc)
	[ "$sec" != .kpatch.funcs ] || size=88	# sizeof(struct kpatch_func), ABI 2
	tmp=$(mktemp -d)
	objcopy -O binary --only-section="$sec" "$out" "$tmp/bin" 2>/dev/null || { rm -rf "$tmp"; return; }
	readelf -p .kpatch.strings "$out" 2>/dev/null | sed -n 's/^ *\[ *\([0-9a-f]*\)\]  \(.*\)$/S \1 \2/p' >"$tmp/strings"
	readelf -rW "$out" | awk -v sec="'.rela$sec'" '
		/^Relocation section/ { on = ($3 == sec); next }
		on && NF >= 7 && $5 == ".kpatch.strings" { print "R", $1, $7 }' >"$tmp/relas"
	od -An -v -tu4 -w$size "$tmp/bin" | awk -v sec="$sec" '{
		if (sec == ".kpatch.funcs") print "B", NR - 1, $11, $12; else print "B", NR - 1, $12, $11 }' >"$tmp/bytes"
	cat "$tmp/strings" "$tmp/relas" "$tmp/bytes" | awk -v size=$size "$awk_hex"'
		$1 == "S" { s = $3; for (i = 4; i <= NF; i++) s = s " " $i; str[strtonum("0x" $2)] = s }
		$1 == "R" { off = strtonum("0x" $2); rec = int(off / size); f = off % size
			    if (f == 8) name[rec] = strtonum("0x" $3); if (f == 16) obj[rec] = strtonum("0x" $3) }
		$1 == "B" { a[$2] = $3; b[$2] = $4; n = $2 + 1 }
		END { for (r = 0; r < n; r++) print str[name[r]], str[obj[r]], a[r], b[r] }'
	rm -rf "$tmp"
}

# sym_lines OUT: "NDX TYPE NAME" for every symbol.
sym_lines() {
	readelf -sW "$1" | awk 'NF >= 8 && $1 ~ /:$/ { print $7, $4, $8 }'
}

# relocs_of OUT SECTION: the target symbol names of .rela<SECTION>.
relocs_of() {
	readelf -rW "$1" | awk -v sec="'.rela$2'" '
		/^Relocation section/ { on = ($3 == sec); next }
		on && NF >= 5 && $1 ~ /^[0-9a-f]+$/ { print $5 }'
}

# points_to OUT SECTION SYM DELTA: whether a relocation of a section named
# SECTION (there may be several) points at SYM's address + DELTA in SYM's
# section: its symbol's value plus its addend, its symbol's section that
# of SYM (symbols looked up by name in readelf -s: section symbols carry
# their section's name).
points_to() {
	{ readelf -sW "$1" | awk 'NF >= 8 && $1 ~ /:$/ { print "S", $8, $7, $2 }'
	  readelf -rW "$1" | awk -v sec="'.rela$2'" '
		/^Relocation section/ { on = ($3 == sec); next }
		on && NF >= 7 && $1 ~ /^[0-9a-f]+$/ { print "R", $5, $4, $6, $7 }'
	} | awk -v sym="$3" -v delta="$4" "$awk_hex"'
		$1 == "S" && !($2 in ndx) { ndx[$2] = $3; val[$2] = strtonum($4) }
		$1 == "R" { n++; name[n] = $2; add[n] = ($4 == "-" ? -1 : 1) * strtonum($5)
			    rval[n] = strtonum($3) }
		END { if (!(sym in ndx)) exit 1
		      for (i = 1; i <= n; i++)
			if (ndx[name[i]] == ndx[sym] && rval[i] + add[i] == val[sym] + delta) exit 0
		      exit 1 }'
}

# klp_relocs OUT: "SECTION SYMBOL" for each relocation that --klp-convert
# (with $cdo, of the caller) moved into a .klp.rela.vmlinux.SECTION section
# flagged SHF_RELA_LIVEPATCH (readelf's "o") of OUT linked by ld -r, against
# a symbol it gave SHN_LIVEPATCH (the value of the kernel's <linux/elf.h>).
klp_relocs() {
	local dir shn
	dir=$(mktemp -d)
	shn=$(awk '$1 == "#define" && $2 == "SHN_LIVEPATCH" { print $3 }' /usr/include/linux/elf.h)
	if ld -r -o "$dir/mod.o" "$1" && "$cdo" --klp-convert "$dir/mod.o" &&
	   [ -n "$shn" ]; then
		readelf -SW "$dir/mod.o" | sed 's/^ *\[ *[0-9]*\] *//' |
			awk '$1 ~ /^\.klp\.rela\.vmlinux\./ && $2 == "RELA" && $7 ~ /o/ { print $1 }' >"$dir/secs"
		readelf -sW "$dir/mod.o" | grep -F "[$shn]" | awk '{ print $NF }' >"$dir/syms"
		readelf -rW "$dir/mod.o" | awk -v secs="$dir/secs" -v syms="$dir/syms" '
			BEGIN { while ((getline l < secs) > 0) ok[l] = 1; while ((getline l < syms) > 0) lp[l] = 1 }
			/^Relocation section/ { s = $3; gsub(/\047/, "", s); on = (s in ok); sub(/^\.klp\.rela\.vmlinux\./, "", s); next }
			on && NF >= 5 && $1 ~ /^[0-9a-f]+$/ && ($5 in lp) { print s, $5 }'
	fi
	rm -rf "$dir"
}

# check_one LINE: one assertion on $out/$stdout/$stderr; sets why on failure.
# A grep at the end of a pipe reads to the end (>/dev/null, not -q): grep -q
# stops at the first match, the producer dies of SIGPIPE, pipefail makes
# the pipe fail and a negated check pass.
check_one() {
	local line=$1 word arg arg2 n sym delta
	word=${line%% *}
	arg=${line#* }
	arg2=${arg#* }
	case $word in
	changed|new) ;;	# checked as a set in run_and_check
	stderr) grep -qF -- "$arg" "$stderr" || why="stderr lacks: $arg" ;;
	no-stderr) ! grep -qF -- "$arg" "$stderr" || why="stderr has: $arg" ;;
	defined) sym_lines "$out" | awk -v n="$arg" '$1 != "UND" && $3 == n && ($2 == "FUNC" || $2 == "OBJECT") { f = 1 } END { exit !f }' ||
		why="$arg is not defined in the output" ;;
	not-defined) ! sym_lines "$out" | awk -v n="$arg" '$1 != "UND" && $3 == n { f = 1 } END { exit !f }' ||
		why="$arg is defined in the output" ;;
	undefined) sym_lines "$out" | awk -v n="$arg" '$1 == "UND" && $3 == n { f = 1 } END { exit !f }' ||
		why="$arg is not an undefined symbol of the output" ;;
	not-undefined) ! sym_lines "$out" | awk -v n="$arg" '$1 == "UND" && $3 == n { f = 1 } END { exit !f }' ||
		why="$arg is an undefined symbol of the output" ;;
	section) readelf -SW "$out" | grep -E "\] $arg +[A-Z]" >/dev/null || why="no section $arg" ;;
	no-section) ! readelf -SW "$out" | grep -E "\] $arg +[A-Z]" >/dev/null || why="section $arg is present" ;;
	reloc) relocs_of "$out" "${arg%% *}" | grep -xF -- "$arg2" >/dev/null || why="no relocation in ${arg%% *} to $arg2" ;;
	no-reloc) ! relocs_of "$out" "${arg%% *}" | grep -xF -- "$arg2" >/dev/null || why="a relocation in ${arg%% *} points to $arg2" ;;
	relocs) n=$(relocs_of "$out" "${arg%% *}" | wc -l)
		[ "$n" = "$arg2" ] || why="${arg%% *} has $n relocations, expected $arg2" ;;
	size) n=$(readelf -SW "$out" | awk -v s="${arg%% *}" "$awk_hex"'{ for (i = 1; i < NF; i++) if ($i == s) print strtonum("0x" $(i + 4)) }')
		[ "${n:-0}" = "$arg2" ] || why="section ${arg%% *} is ${n:-0} bytes, expected $arg2" ;;
	kpatch-funcs) n=$(dump_records "$out" .kpatch.funcs | wc -l)
		[ "$n" = "$arg" ] || why=".kpatch.funcs has $n records, expected $arg" ;;
	kpatch-relocs) n=$(dump_records "$out" .kpatch.relocations | wc -l)
		[ "$n" = "$arg" ] || why=".kpatch.relocations has $n records, expected $arg" ;;
	kpatch-func) dump_records "$out" .kpatch.funcs | grep -xF -- "$arg" >/dev/null ||
		why="no .kpatch.funcs record '$arg' (have: $(dump_records "$out" .kpatch.funcs | tr '\n' ';'))" ;;
	kpatch-reloc) dump_records "$out" .kpatch.relocations | awk -v want="$arg" '
			BEGIN { n = split(want, w, " ") }
			{ for (i = 1; i <= n; i++) if ($i != w[i]) next; f = 1 }
			END { exit !f }' ||
		why="no .kpatch.relocations record starting '$arg'" ;;
	no-kpatch-reloc) ! dump_records "$out" .kpatch.relocations | awk '{ print $1 }' | grep -xF -- "$arg" >/dev/null ||
		why="a .kpatch.relocations record names $arg" ;;
	callback) relocs_of "$out" "${arg%% *}" | grep -xF -- "$arg2" >/dev/null &&
		relocs_of "$out" "${arg%% *}" | grep -xF .kpatch.strings >/dev/null ||
		why="no callback $arg2 with objname in ${arg%% *}" ;;
	kpatch-relocs-without) ! dump_records "$out" .kpatch.relocations | grep -F -- "$arg" >/dev/null ||
		why="a .kpatch.relocations record mentions $arg" ;;
	defined-like) n=$(sym_lines "$out" | awk -v p="${arg%% *}" '$1 != "UND" && ($2 == "FUNC" || $2 == "OBJECT") && index($3, p) == 1' | wc -l)
		[ "$n" = "$arg2" ] || why="$n defined symbols named ${arg%% *}*, expected $arg2" ;;
	local|global) readelf -sW "$out" | awk -v n="$arg" -v b="${word^^}" 'NF >= 8 && $7 != "UND" && $8 == n && $5 == b { f = 1 } END { exit !f }' ||
		why="no defined $word symbol $arg in the output" ;;
	klp-reloc) klp_relocs "$out" | grep -xF -- "$arg" >/dev/null ||
		why="--klp-convert made no livepatch relocation $arg" ;;
	modinfo) readelf -p .modinfo "$out" 2>/dev/null | sed -n 's/^ *\[ *[0-9a-f]*\]  //p' |
			grep -xF -- "$arg" >/dev/null || why=".modinfo lacks the string $arg" ;;
	layout|objtool-args|symtab) ;;	# used before the run (run-stored, regenerate)
	link-order) n=$(readelf -SW "$out" | sed -n 's/^ *\[ *\([0-9]*\)\] /\1 /p' |
			awk -v s="${arg%% *}" -v t="$arg2" '{ name[$1] = $2 }
				$2 == s && $8 ~ /L/ { lk[++n] = $9 }
				END { for (i = 1; i <= n; i++) if (name[lk[i]] == t) f = 1
				      print f ? "yes" : "no" }')
		[ "$n" = yes ] || why="${arg%% *} is not SHF_LINK_ORDER linked to $arg2" ;;
	points-to) read -r n sym delta <<<"$arg"
		points_to "$out" "$n" "$sym" "$delta" || why="no relocation of $n points at $sym $delta" ;;
	symbol-count) n=$(sym_lines "$out" | awk -v n="${arg%% *}" '$3 == n' | wc -l)
		[ "$n" = "$arg2" ] || why="$n symbols named ${arg%% *}, expected $arg2" ;;
	esac
}

# run_and_check DIR CDO KTREE: run create-diff-object on the built objects.
# orig_o and patched_o are set by the sourcing harness for each case.
# shellcheck disable=SC2154
run_and_check() {
	local dir=$1 cdo=$2 ktree=$3 symtab symvers tmp rc line want got
	tmp=$(mktemp -d)
	out=$tmp/out.o stdout=$tmp/stdout stderr=$tmp/stderr
	symvers=${CDO_SYMVERS:-$ktree/Module.symvers}
	if [ -n "${CDO_SYMTAB:-}" ]; then
		symtab=$CDO_SYMTAB	# the stored corpus: the object's own table
	elif [ "$exp_target" = vmlinux ]; then
		symtab=$ktree/vmlinux
	else
		symtab=$(find "$ktree" -name "$exp_target.ko" | head -1)
	fi
	if [ "$exp_symtab" = text ] && [ -z "${CDO_SYMTAB:-}" ]; then
		readelf -s --wide "$symtab" >"$tmp/symtab.txt"
		symtab=$tmp/symtab.txt
	fi
	"$cdo" --debug --symtab "$symtab" --symvers "$symvers" "${exp_klp[@]}" \
		${CDO_LAYOUT:+--layout "$CDO_LAYOUT"} \
		--object "$exp_target" --name test "$orig_o" "$patched_o" -o "$out" \
		>"$stdout" 2>"$stderr"
	rc=$?
	if grep -qE 'AddressSanitizer|LeakSanitizer|runtime error:|UndefinedBehaviorSanitizer' "$stderr"; then
		why="sanitizer report: $(grep -m1 -E 'Sanitizer|runtime error' "$stderr")"
	elif [ "$rc" != "$exp_exit" ]; then
		why="exit $rc, expected $exp_exit: $(grep -m2 ERROR "$stderr" | tr '\n' ' ' | cut -c1-400)"
	fi
	if [ -z "$why" ]; then
		for kind in changed new; do
			want=$(printf '%s\n' "${exp_checks[@]}" | sed -n "s/^$kind //p" | sort | tr '\n' ' ')
			got=$(sed -n "s/^[^:]*: $kind function: //p" "$stdout" | sort | tr '\n' ' ')
			[ "$want" = "$got" ] || { why="$kind functions: got '$got', expected '$want'"; break; }
		done
	fi
	if [ -z "$why" ] && [ "$rc" = 0 ]; then
		"$cdo" --symtab "$symtab" --symvers "$symvers" "${exp_klp[@]}" \
			${CDO_LAYOUT:+--layout "$CDO_LAYOUT"} --object "$exp_target" "$orig_o" "$patched_o" -o "$tmp/again.o" >/dev/null 2>&1
		if ! cmp -s "$out" "$tmp/again.o"; then
			why="a second run gave a different output"
		elif ! ld -r -o "$tmp/linked.o" "$out" 2>"$tmp/ld.err"; then
			why="ld -r fails on the output: $(head -1 "$tmp/ld.err")"
		fi
	fi
	for line in "${exp_checks[@]}"; do
		[ -z "$why" ] || break
		check_one "$line"
	done
	if [ -n "$why" ] && [ -n "${keep:-}" ]; then
		mkdir -p "$keep/$(basename "$dir")"
		cp "$tmp"/* "$keep/$(basename "$dir")/" 2>/dev/null
	fi
	rm -rf "$tmp"
	[ -z "$why" ]
}

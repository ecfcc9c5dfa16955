// SPDX-License-Identifier: GPL-2.0
/*
 * special.c - the kernel's special sections, as data.
 *
 * Each special section is an array of entries that each belong to one
 * function.  The table below says, per section, where the entry size comes
 * from and how to find the function an entry belongs to; one generic walk
 * then keeps the entries of included functions and drops the others.
 *
 * The module loader processes some entries itself, at load time, before
 * the core can resolve anything: __jump_table keys, .static_call_sites
 * keys and the code of .altinstr_replacement.  A reference from those to
 * a symbol that is neither exported nor carried by the patch cannot go
 * through .kpatch.relocations, so:
 *  - a jump label on a dynamic debug descriptor keeps it: the descriptor
 *    is a per-use record, the patch's own copy (also one that only the
 *    jump label uses, as print_hex_dump_debug()'s);
 *  - a jump label on a non-exported tracepoint key is dropped without
 *    --klp (below): the branch keeps its compiled-in default (tracepoint
 *    off) in the patched code;
 *  - a jump label on another non-exported key of vmlinux, with --klp,
 *    keeps its key through a livepatch relocation: the module loader of a
 *    CONFIG_LIVEPATCH kernel (5.8+) applies .klp.rela.vmlinux.* sections
 *    in apply_relocations(), before jump_label_add_module() reads the
 *    keys (output.c writes it, klp_convert.c finishes the module);
 *  - a jump label on another non-exported key is refused otherwise: a
 *    module's own keys would need .klp.rela.MODULE.*, which the kernel
 *    applies only for a registered klp_patch;
 *  - a static call site with a non-exported key of vmlinux, with --klp,
 *    keeps it, and its call's reference to the trampoline, through
 *    livepatch relocations (klp_site_call()); otherwise it is dropped: the
 *    call still goes through the trampoline, which always jumps to the
 *    current target;
 *  - alternative replacement code referring to a non-exported symbol is
 *    refused.
 */
#include <stdlib.h>
#include <string.h>

#include "arch.h"
#include "cdo.h"
#include "layout.h"
#include "special.h"
#include "symtab.h"

#include "kpatch-abi.h"

enum owner_kind {
	OWNER_RELOC,	/* the entry's first field points into the function */
	OWNER_NAME,	/* the entry points to a record whose name field
			 * points to the function's name (printk index) */
	OWNER_USER,	/* entries are objects used by the function's code */
};

enum key_kind {
	KEY_NONE,
	KEY_JUMP_LABEL,
	KEY_STATIC_CALL,
};

/*
 * Entry sizes and field offsets are names of the layout file (layout.c),
 * never numbers: they differ between kernels.  Only arrays of 32-bit
 * offsets or of pointers have a fixed entry size.
 */
struct special {
	const char *name;
	const char *size_var;	/* the entry size in the layout */
	unsigned int size;	/* fixed entry size when there is no variable */
	enum owner_kind owner;
	const char *name_field;	/* OWNER_NAME: the record's function name */
	bool compare;		/* an unchanged function's entries must match */
	const char *skip_field, *skip_size;	/* __LINE__ bytes, not compared */
	const char *paired;	/* entry i here goes with entry i there */
	const char *paired_var;
	const char *repl;	/* code copied by the loader for each entry */
	const char *repl_field, *repl_len_field;
	enum key_kind key;
	const char *key_field;
};

static const struct special specials[] = {
	{ "__bug_table", "BUG_STRUCT_SIZE", .compare = true,
	  .skip_field = "BUG_LINE_OFFSET", .skip_size = "BUG_LINE_SIZE" },
	{ "__jump_table", "JUMP_STRUCT_SIZE", .compare = true,
	  .key = KEY_JUMP_LABEL, .key_field = "JUMP_KEY_OFFSET" },
	{ ".altinstructions", "ALT_STRUCT_SIZE", .compare = true,
	  .repl = ".altinstr_replacement", .repl_field = "ALT_REPL_OFFSET",
	  .repl_len_field = "ALT_REPL_LEN_OFFSET" },
	{ "__ex_table", "EX_STRUCT_SIZE", .compare = true },
	{ ".parainstructions", "PARA_STRUCT_SIZE", .compare = true },
	{ ".static_call_sites", "STATIC_CALL_STRUCT_SIZE", .compare = true,
	  .key = KEY_STATIC_CALL, .key_field = "STATIC_CALL_KEY_OFFSET" },
	{ ".smp_locks", .size = 4, .compare = true },
	{ ".retpoline_sites", .size = 4 },
	{ ".return_sites", .size = 4 },
	{ ".call_sites", .size = 4 },
	{ ".ibt_endbr_seal", .size = 4 },
	{ ".orc_unwind_ip", .size = 4,
	  .paired = ".orc_unwind", .paired_var = "ORC_STRUCT_SIZE" },
	{ "__mcount_loc", .size = 8 },
	{ "__patchable_function_entries", .size = 8 },
	/* pointers to struct pi_entry, whose func field is __func__ */
	{ ".printk_index", "PRINTK_INDEX_STRUCT_SIZE",
	  .owner = OWNER_NAME, .name_field = "PI_ENTRY_FUNC_OFFSET" },
	/* struct _ddebug; older kernels call the section __verbose */
	{ "__dyndbg", .owner = OWNER_USER, .skip_field = "DDEBUG_LINE_OFFSET" },
	{ "__verbose", .owner = OWNER_USER, .skip_field = "DDEBUG_LINE_OFFSET" },
};

#define NR_SPECIALS (sizeof(specials) / sizeof(specials[0]))

/* _ddebug.lineno is an 18-bit field (since 2.6.30): its first 3 bytes. */
#define DDEBUG_LINENO_BYTES 3

/* A special section of one object, with its layout in that object. */
struct sinfo {
	const struct special *sp;
	struct section *sec, *paired, *repl;
	unsigned long size, psize;
	unsigned long skip_off, skip_len, key_off, repl_off, repl_len_off, name_off;
	unsigned long owner_off;	/* the field pointing into the owner */
	bool last_short;	/* the last entry has no tail padding */
	bool repl_len_from_block;	/* the layout's offset is not this object's */
};

/*
 * The special sections of each object ([0] original, [1] patched), one
 * sinfo per section, in section order.  A name may have several sections:
 * GCC 13 and later emit __patchable_function_entries once per function,
 * SHF_LINK_ORDER to that function's section (GCC 12 once per object).
 */
static struct sinfo *infos[2];
static size_t nr_infos[2];

/* Each sinfo of object k for the special section kind, in section order. */
#define for_each_sinfo(si, k, kind) \
	for ((si) = infos[k]; (si) < infos[k] + nr_infos[k]; (si)++) \
		if ((si)->sp != (kind)) continue; else

static struct sinfo *first_sinfo(int k, const struct special *sp)
{
	struct sinfo *si;

	for_each_sinfo(si, k, sp)
		return si;
	return NULL;
}

static const struct special *lookup(const char *name)
{
	size_t i;

	for (i = 0; i < NR_SPECIALS; i++)
		if (!strcmp(specials[i].name, name))
			return &specials[i];
	return NULL;
}

/* A field offset of the layout, required because sec has entries. */
static bool field(const char *var, const struct section *sec, unsigned long *value)
{
	if (layout_get(var, value))
		return true;
	error("%s has entries but the layout does not give %s: pass the kernel's "
	      "layout file (--layout FILE, written by kpatch-build's probe) or "
	      "set %s", sec->name, var, var);
	return false;
}

static bool points_to_code(const struct rela *r)
{
	return r->sym->sec && is_text(r->sym->sec);
}

/*
 * Whether the relocations of sec repeat with period size: entries of one
 * table all have the same fields, so each entry has the first one's
 * relocations at the same offsets, of the same types, pointing to code
 * or not alike.  The last entry may lack its tail padding.
 */
static bool fits(const struct section *sec, unsigned long size)
{
	const struct rela *r = sec->relas;
	size_t m = 0, i, n = sec->nr_relas;

	if (!size || !n)
		return false;
	while (m < n && r[m].offset < size)
		m++;
	if (!m || n % m || n / m != (sec->size + size - 1) / size)
		return false;
	for (i = m; i < n; i++) {
		const struct rela *a = &r[i % m], *b = &r[i];

		if (b->offset != (i / m) * size + a->offset || a->type != b->type ||
		    points_to_code(a) != points_to_code(b))
			return false;
	}
	return true;
}

/*
 * The entry size of sec: the given one (layout or fixed), checked against
 * the object's relocations and corrected from them when it does not fit
 * (an absolute 24-byte __jump_table where the layout says the relative
 * 16-byte one, a 13-byte .altinstructions where it says 12).
 */
static bool entry_size(const char *var, unsigned int fixed, struct section *sec,
		       unsigned long *size, bool *corrected, bool *last_short)
{
	unsigned long given = fixed;
	size_t k;

	*corrected = *last_short = false;
	if (var && !layout_get(var, &given))
		given = 0;
	if (!given) {
		error("%s has entries but their size is unknown: pass the kernel's "
		      "layout file (--layout FILE, written by kpatch-build's probe) "
		      "or set %s to the size of one entry in the kernel being "
		      "patched", sec->name, var ? var : "it");
		return false;
	}
	*size = given;
	if (fits(sec, given) || (!sec->nr_relas && sec->size % given == 0)) {
		*last_short = sec->size % given != 0;
		if (*last_short)
			debug("%s: its last entry is %lu bytes, without tail padding",
			      sec->name, sec->size % given);
		return true;
	}
	for (k = 1; k <= sec->nr_relas; k++) {
		unsigned long p = k < sec->nr_relas ?
				  sec->relas[k].offset - sec->relas[0].offset : sec->size;

		if (p && p != given && fits(sec, p)) {
			debug("%s: entries of %lu bytes (%s) do not fit its relocations, "
			      "which repeat every %lu bytes: using %lu", sec->name,
			      given, var ? var : "built-in", p, p);
			*size = p;
			*corrected = true;
			*last_short = sec->size % p != 0;
			return true;
		}
	}
	if (sec->size % given == 0)
		return true;	/* entries without a regular relocation pattern */
	error("%s is %zu bytes, not a multiple of its entry size %lu, and its "
	      "relocations show no other size: is %s right for this kernel?",
	      sec->name, sec->size, given, var ? var : "the built-in size");
	return false;
}

/* The offset in an entry of the first field that does not point to code. */
static bool data_field(const struct section *sec, unsigned long size,
		       unsigned long *off)
{
	size_t i;

	for (i = 0; i < sec->nr_relas && sec->relas[i].offset < size; i++)
		if (!points_to_code(&sec->relas[i])) {
			*off = sec->relas[i].offset;
			return true;
		}
	return false;
}

static bool init_fields(struct sinfo *si, const struct special *sp, bool corrected)
{
	struct section *sec = si->sec;

	if (sp->skip_field && layout_get(sp->skip_field, &si->skip_off)) {
		si->skip_len = DDEBUG_LINENO_BYTES;
		if (sp->skip_size && !field(sp->skip_size, sec, &si->skip_len))
			return false;
	}
	if (sp->key_field) {
		if (corrected && data_field(sec, si->size, &si->key_off))
			debug("%s: its key field is at %lu", sec->name, si->key_off);
		else if (!field(sp->key_field, sec, &si->key_off))
			return false;
	}
	if (sp->repl_field && (!field(sp->repl_field, sec, &si->repl_off) ||
			       !field(sp->repl_len_field, sec, &si->repl_len_off)))
		return false;
	if (sp->repl_field && corrected) {
		/* each entry has its own block of replacement code */
		debug("%s: replacement lengths taken from %s's blocks", sec->name, sp->repl);
		si->repl_len_from_block = true;
		si->repl_len_off = 0;
	}
	if (sp->name_field && !field(sp->name_field, sec, &si->name_off))
		return false;
	if (si->skip_off + si->skip_len > si->size || si->key_off + 4 > si->size ||
	    si->repl_off + 4 > si->size || si->repl_len_off >= si->size) {
		error("%s: a field offset of the layout lies outside its %lu-byte "
		      "entries: is the layout file for this kernel?", sec->name, si->size);
		return false;
	}
	return true;
}

static bool init_one(struct elf *elf, struct sinfo *si, const struct special *sp,
		     struct section *sec)
{
	bool corrected;
	size_t i;

	memset(si, 0, sizeof(*si));
	si->sp = sp;
	si->sec = sec;
	sec->special = true;
	if (sp->owner == OWNER_USER) {
		for (i = 0; i < sec->nr_syms; i++)
			sec->syms[i]->special_data = true;
		si->size = sec->size;
		return init_fields(si, sp, false);
	}
	if (!entry_size(sp->size_var, sp->size, sec, &si->size, &corrected,
			&si->last_short) || !init_fields(si, sp, corrected))
		return false;
	/*
	 * The field that says where in the code an entry applies: the
	 * entry's first reference to code, as the object shows it (for a
	 * printk index entry, its only field).
	 */
	for (i = 0; sp->owner == OWNER_RELOC && i < sec->nr_relas &&
	     sec->relas[i].offset < si->size; i++)
		if (points_to_code(&sec->relas[i])) {
			si->owner_off = sec->relas[i].offset;
			break;
		}
	if (sp->paired) {
		si->paired = find_section(elf, sp->paired);
		if (si->paired) {
			unsigned long psize = 0;

			si->paired->special = true;
			if (!layout_get(sp->paired_var, &psize) || !psize ||
			    si->paired->size % psize) {
				error("%s is %zu bytes: the entry size %s=%lu %s", si->paired->name,
				      si->paired->size, sp->paired_var, psize,
				      psize ? "does not divide it" : "is not given: pass --layout");
				return false;
			}
			si->psize = psize;
			if (si->paired->size / si->psize !=
			    (sec->size + si->size - 1) / si->size) {
				error("%s has %zu entries but %s has %zu", sec->name,
				      sec->size / si->size, si->paired->name,
				      si->paired->size / si->psize);
				return false;
			}
		}
	}
	if (sp->repl) {
		si->repl = find_section(elf, sp->repl);
		if (si->repl)
			si->repl->special = true;
	}
	/* what entries point to belongs to them (printk index records) */
	for (i = 0; i < sec->nr_relas; i++)
		sec->relas[i].target->special_data = true;
	return true;
}

void special_free(void)
{
	int k;

	for (k = 0; k < 2; k++) {
		free(infos[k]);
		infos[k] = NULL;
		nr_infos[k] = 0;
	}
}

bool special_init(struct cdo *cdo)
{
	struct elf *e[2] = { cdo->orig, cdo->patched };
	struct sinfo *p, *o;
	size_t i;
	int k;

	special_free();
	for (k = 0; k < 2; k++) {
		infos[k] = xcalloc(e[k]->nr_secs, sizeof(*infos[k]));
		for (i = 1; i < e[k]->nr_secs; i++) {
			struct section *sec = &e[k]->secs[i];
			const struct special *sp = is_rela(sec) ? NULL : lookup(sec->name);

			if (sp && !init_one(e[k], &infos[k][nr_infos[k]++], sp, sec))
				return false;
		}
	}
	/*
	 * Both objects come from one kernel build: entry sizes that differ
	 * mean that one object's relocations lost their period (a damaged
	 * entry), not another layout.
	 */
	for (p = infos[1]; p < infos[1] + nr_infos[1]; p++) {
		o = first_sinfo(0, p->sp);
		if (o && p->sp->owner != OWNER_USER && o->size != p->size) {
			error("%s: entries of %lu bytes in the original but %lu in %s (their "
			      "relocations do not repeat as the original's): the object is "
			      "damaged; rebuild it", p->sp->name, o->size, p->size,
			      cdo->objfile);
			return false;
		}
	}
	return true;
}

void special_ignored_bytes(const struct section *sec, unsigned long *off,
			   unsigned long *len)
{
	const struct special *sp = lookup(sec->name);
	struct sinfo *si;
	int k;

	*off = *len = 0;
	if (!sp || sp->owner != OWNER_USER)
		return;
	for (k = 0; k < 2; k++)
		for_each_sinfo(si, k, sp)
			if (si->sec == sec) {
				*off = si->skip_off;
				*len = si->skip_len;
			}
}

static unsigned long nr_entries(const struct sinfo *si)
{
	return (si->sec->size + si->size - 1) / si->size;
}

/* Entry e's bytes: the last one may lack its tail padding. */
static unsigned long entry_len(const struct sinfo *si, unsigned long e)
{
	unsigned long left = si->sec->size - e * si->size;

	return left < si->size ? left : si->size;
}

/* The relocation exactly at offset, or NULL. */
static struct rela *rela_exact(struct section *sec, unsigned long offset)
{
	struct rela *r = rela_at(sec, offset);

	return r && r->offset == offset ? r : NULL;
}

/*
 * __func__ names the source function; GCC may have left only clones of it
 * (foo.part.0, foo.isra.0): the included one, else the first.
 */
static struct symbol *find_clone(struct elf *elf, const char *name)
{
	struct symbol *first = NULL;
	size_t i, len = strlen(name);

	for (i = 1; i < elf->nr_syms; i++) {
		struct symbol *sym = &elf->syms[i];

		if (!is_func(sym) || strncmp(sym->name, name, len) || sym->name[len] != '.')
			continue;
		if (sym->include)
			return sym;
		if (!first)
			first = sym;
	}
	return first;
}

/* The function entry e of si belongs to, or NULL. */
static struct symbol *owner_of(struct elf *elf, struct sinfo *si, unsigned long e)
{
	struct rela *r = rela_exact(si->sec, e * si->size + si->owner_off);
	struct symbol *rec, *fn;
	const char *name = NULL;

	if (!r)
		return NULL;
	if (si->sp->owner == OWNER_RELOC)
		return is_func(r->target) ? r->target : NULL;
	/* OWNER_NAME: entry -> record -> the function's __func__ string */
	rec = r->target;
	if (!is_object(rec) || !rec->sec)
		return NULL;
	r = rela_exact(rec->sec, rec->value + si->name_off);
	if (!r)
		return NULL;
	if (r->string) {
		name = r->string;
	} else if (is_object(r->target) && r->target->sec->data && r->target->size &&
		   !r->toff) {
		const char *s = (const char *)r->target->sec->data + r->target->value;

		if (memchr(s, 0, r->target->size))
			name = s;
	}
	if (!name)
		return NULL;
	fn = find_symbol(elf, name);
	if (fn && is_func(fn))
		return fn;
	return find_clone(elf, name);
}

struct owned {
	struct symbol *fn;
	struct sinfo *si;
	unsigned long entry;
};

static int cmp_owned(const void *a, const void *b)
{
	const struct owned *x = a, *y = b;

	if (x->fn != y->fn)
		return x->fn->index < y->fn->index ? -1 : 1;
	if (x->si != y->si)
		return x->si->sec->index < y->si->sec->index ? -1 : 1;
	return x->entry < y->entry ? -1 : x->entry > y->entry;
}

/*
 * Entries of sp's sections in object k with an owner, sorted by owner;
 * *ownerless counts the rest.
 */
static struct owned *collect(struct elf *elf, int k, const struct special *sp,
			     size_t *n, size_t *ownerless)
{
	unsigned long e, nr = 0;
	struct owned *list;
	struct sinfo *si;

	for_each_sinfo(si, k, sp)
		nr += nr_entries(si);
	list = xcalloc(nr + 1, sizeof(*list));
	*n = *ownerless = 0;
	for_each_sinfo(si, k, sp)
		for (e = 0; e < nr_entries(si); e++) {
			struct symbol *fn = owner_of(elf, si, e);

			if (!fn) {
				(*ownerless)++;
				continue;
			}
			list[*n].fn = owner_function(fn);
			list[*n].si = si;
			list[(*n)++].entry = e;
		}
	qsort(list, *n, sizeof(*list), cmp_owned);
	return list;
}

/* The length of entry e's replacement code, which r points to. */
static unsigned long repl_len(const struct sinfo *si, unsigned long e,
			      const struct rela *r)
{
	if (si->repl_len_from_block)
		return r->soff >= 0 && (unsigned long)r->soff < si->repl->size ?
		       block_end(si->repl, r->soff) - r->soff : 0;
	return si->sec->data[e * si->size + si->repl_len_off];
}

static bool entry_equal(struct sinfo *so, unsigned long eo, struct sinfo *sp,
			unsigned long ep)
{
	unsigned long i, size = entry_len(sp, ep), ao = eo * so->size, ap = ep * sp->size;
	unsigned long skip = sp->skip_len;
	struct rela *ro = rela_at(so->sec, ao), *rp = rela_at(sp->sec, ap);
	struct rela *endo = rela_end(so->sec);
	struct rela *endp = rela_end(sp->sec);

	if (size != entry_len(so, eo) || so->skip_off != sp->skip_off)
		return false;
	for (i = 0; i < size; i++)
		if ((i < sp->skip_off || i >= sp->skip_off + skip) &&
		    so->sec->data[ao + i] != sp->sec->data[ap + i])
			return false;
	for (; ro && ro < endo && ro->offset < ao + size; ro++, rp++) {
		if (!rp || rp >= endp || rp->offset - ap != ro->offset - ao)
			return false;
		if (so->repl && ro->offset - ao == so->repl_off &&
		    ro->target->sec == so->repl && rp->target->sec == sp->repl) {
			/* the replacement code, as long as the entry says */
			unsigned long lo = repl_len(so, eo, ro), lp = repl_len(sp, ep, rp);

			if (lo != lp || ro->soff < 0 || rp->soff < 0 ||
			    !range_equal(so->repl, ro->soff, sp->repl, rp->soff, lo))
				return false;
			continue;
		}
		if (!rela_equal(ro, rp))
			return false;
	}
	return !(rp && rp < endp && rp->offset < ap + size);
}

/* Whether r points outside the section of its symbol (a damaged object). */
static bool points_nowhere(const struct rela *r)
{
	const struct section *sec = r->sym->sec;
	long where = rela_where(r);

	/* a section symbol or local label: where is already in the section */
	bool in_section = r->sym->type == STT_SECTION ||
			  (r->sym->type == STT_NOTYPE && r->sym->bind == STB_LOCAL);

	if (!sec)
		return false;
	if (!in_section && __builtin_add_overflow(where, (long)r->sym->value, &where))
		return true;
	return where < 0 || (unsigned long)where > sec->size;
}

/*
 * Why entry ep of the patched object is damaged, next to its twin eo of
 * the original, or NULL: a field the original's entry relocates has no
 * relocation, or a relocation points outside its section.  Such an entry
 * says nothing about its function; it must not make it "changed".
 */
static const char *entry_damage(struct sinfo *so, unsigned long eo, struct sinfo *sp,
				unsigned long ep, unsigned long *field)
{
	unsigned long ao = eo * so->size, ap = ep * sp->size, i;
	struct rela *r;

	for (i = 0; i < entry_len(so, eo); i++) {
		r = rela_exact(so->sec, ao + i);
		if (r && !rela_exact(sp->sec, ap + i)) {
			*field = i;
			return "has no relocation where the original's entry has one";
		}
	}
	for (i = 0; i < entry_len(sp, ep); i++) {
		r = rela_exact(sp->sec, ap + i);
		if (r && points_nowhere(r)) {
			*field = i;
			return "has a relocation that points outside its section";
		}
	}
	return NULL;
}

/*
 * Whether an entry of the patched object has a damaged owner field: no
 * relocation where every entry of the original has one, or one pointing
 * outside its section.  Reported, so that it is not taken for an entry
 * outside any function.
 */
static bool owner_damaged(struct cdo *cdo, const struct special *sp)
{
	unsigned long e;
	bool all_have = true;
	struct sinfo *si;
	struct rela *r;

	for_each_sinfo(si, 0, sp)
		for (e = 0; e < nr_entries(si) && all_have; e++)
			all_have = rela_exact(si->sec, e * si->size + si->owner_off) != NULL;
	for_each_sinfo(si, 1, sp)
		for (e = 0; e < nr_entries(si); e++) {
			r = rela_exact(si->sec, e * si->size + si->owner_off);
			if ((r && points_nowhere(r)) || (!r && all_have)) {
				error("%s: %s entry %lu %s, at +%lu: the object is damaged; "
				      "rebuild it", cdo->objfile, si->sec->name, e,
				      r ? "has a relocation that points outside its section" :
					  "has no relocation where the original's entries have one",
				      si->owner_off);
				cdo->damaged++;
				return true;
			}
		}
	return false;
}

static void compare_one(struct cdo *cdo, const struct special *sp)
{
	struct owned *lo, *lp;
	size_t no, np, fo, fp, i = 0, j, k;

	if (owner_damaged(cdo, sp))
		return;
	lo = collect(cdo->orig, 0, sp, &no, &fo);
	lp = collect(cdo->patched, 1, sp, &np, &fp);
	if (fo != fp)
		refuse(cdo, "%s: %zu entries that belong to no function in the original, "
		       "%zu in the patched object: a change outside of any function "
		       "(in assembly or a shared table) cannot be carried by a patch; "
		       "leave that code unchanged", sp->name, fo, fp);
	while (i < np) {
		struct symbol *fn = lp[i].fn, *twin = fn->twin;
		size_t n = 1, m = 0, lo_start = 0;

		while (i + n < np && lp[i + n].fn == fn)
			n++;
		if (twin && fn->status == SAME) {
			/* binary search of the twin's group in the original */
			size_t a = 0, b = no;

			while (a < b) {
				size_t mid = (a + b) / 2;

				if (lo[mid].fn->index < twin->index)
					a = mid + 1;
				else
					b = mid;
			}
			lo_start = a;
			while (lo_start + m < no && lo[lo_start + m].fn == twin)
				m++;
			if (m != n) {
				set_changed(fn, "its %s entries changed (%zu -> %zu)",
					    sp->name, m, n);
			} else {
				for (k = 0; k < n; k++) {
					j = lo_start + k;
					struct sinfo *so = lo[j].si, *sn = lp[i + k].si;
					unsigned long ep = lp[i + k].entry, at = 0;
					const char *why;

					if (entry_equal(so, lo[j].entry, sn, ep))
						continue;
					why = entry_damage(so, lo[j].entry, sn, ep, &at);
					if (why) {
						error("%s: %s entry %lu (of %s) %s, at +%lu: the "
						      "object is damaged; rebuild it", cdo->objfile,
						      sn->sec->name, ep, fn->name, why, at);
						cdo->damaged++;
					} else {
						set_changed(fn, "its %s entry #%zu changed",
							    sp->name, k);
					}
					break;
				}
			}
		}
		i += n;
	}
	free(lo);
	free(lp);
}

void special_compare(struct cdo *cdo)
{
	size_t i;

	for (i = 0; i < NR_SPECIALS; i++) {
		const struct special *sp = &specials[i];

		if (!sp->compare || sp->owner != OWNER_RELOC || !first_sinfo(0, sp) ||
		    !first_sinfo(1, sp))
			continue;
		compare_one(cdo, sp);
	}
}

/* Whether loader-time keys of vmlinux may be livepatch relocations. */
static bool klp_allowed(const struct cdo *cdo)
{
	return cdo->opts.klp && !strcmp(cdo->opts.object, KPATCH_VMLINUX);
}

/*
 * A static call site kept with a livepatch key: the loader's static call
 * init (MODULE_STATE_COMING) rewrites its call to the current target, so
 * the call's own reference to the trampoline (__SCT__*) must be in place
 * before, not written by the core afterwards over the loader's call.
 * Mark it a livepatch relocation too when it is not exported; false when
 * the site's instruction has no such reference (then drop the site).
 */
static bool klp_site_call(struct cdo *cdo, struct sinfo *si, unsigned long e,
			  struct symbol *fn)
{
	struct rela *r = rela_exact(si->sec, e * si->size + si->owner_off), *c;
	struct section *text;
	unsigned long at;
	struct extref ref;

	if (!r || !is_func(r->target) || r->toff < 0)
		return false;
	text = r->target->sec;
	at = r->target->value + r->toff;
	/* the rel32 of a call or jmp (one opcode byte), or of a Jcc (two) */
	for (c = rela_at(text, at + 1); c && c < rela_end(text) && c->offset <= at + 2; c++) {
		if (c->offset < at + 1 || strncmp(c->target->name, "__SCT__", 7))
			continue;
		if (c->target->include)
			return true;
		if (!resolve_extref(cdo, c->target, fn->name, &ref))
			return false;
		c->klp = !ref.exported;
		debug("%s: the call of %s's static call site to %s goes %s", si->sec->name,
		      fn->name, ref.name, ref.exported ? "through the loader" :
		      "through a livepatch relocation");
		return true;
	}
	return false;
}

/* Whether the loader can resolve the key of a kept entry; drop or refuse. */
static bool keep_key(struct cdo *cdo, struct sinfo *si, unsigned long e,
		     struct symbol *fn)
{
	struct rela *r = rela_exact(si->sec, e * si->size + si->key_off);
	struct symbol *key;

	if (!r)
		return true;
	key = r->target;
	if (key->include || r->string || is_exported(cdo, key))
		return true;
	/* the object's own symbol table takes it from elsewhere too */
	if (!key->sec && key->bind != STB_LOCAL && ksymtab_undefined(cdo->ksyms, key->name))
		return true;
	/*
	 * A dynamic debug descriptor that the code never passes on
	 * (print_hex_dump_debug() calls print_hex_dump() without it) is
	 * used only as this key: it is the patch's own, like any other.
	 */
	if (is_object(key) && key->sec && lookup(key->sec->name) &&
	    lookup(key->sec->name)->owner == OWNER_USER) {
		debug("%s: the key of %s's jump label is the descriptor %s, copied",
		      si->sec->name, fn->name, key->name);
		include_symbol(cdo, key);
		return true;
	}
	if (si->sp->key == KEY_STATIC_CALL && !(klp_allowed(cdo) &&
						 klp_site_call(cdo, si, e, fn))) {
		debug("%s: dropping the static call site of %s for %s (not exported): "
		      "the call goes through its trampoline", si->sec->name,
		      fn->name, key->name);
		return false;
	}
	if (!strncmp(key->name, "__tracepoint_", 13) && !klp_allowed(cdo)) {
		debug("%s: dropping the jump label of %s on %s (not exported): the "
		      "tracepoint stays disabled in the patched function",
		      si->sec->name, fn->name, key->name);
		return false;
	}
	if (klp_allowed(cdo)) {
		struct extref ref;

		if (!resolve_extref(cdo, key, fn->name, &ref))
			return false;
		r->klp = true;
		debug("%s: the key %s of %s's %s goes through a livepatch "
		      "relocation (sympos %u)", si->sec->name, ref.name, fn->name,
		      si->sp->key == KEY_STATIC_CALL ? "static call site" : "jump label",
		      ref.sympos);
		return true;
	}
	if (strcmp(cdo->opts.object, KPATCH_VMLINUX))
		refuse(cdo, "function %s uses the static key %s in a jump label "
		       "(static_branch_*()), and %s is not exported by %s: the module "
		       "loader must resolve jump label keys before kpatch can, and "
		       "livepatch relocations reach a module's own symbols only for "
		       "the kernel's livepatch; test the key with "
		       "static_key_enabled(&%s) in the patched code instead, or "
		       "leave this function unchanged", fn->name, key->name,
		       key->name, cdo->opts.object, key->name);
	else
		refuse(cdo, "function %s uses the static key %s in a jump label "
		       "(static_branch_*()), and %s is not exported: the module "
		       "loader must resolve jump label keys before kpatch can, which "
		       "needs a kernel with CONFIG_LIVEPATCH (5.8 or later: "
		       "kpatch-build then passes --klp); test the key with "
		       "static_key_enabled(&%s) in the patched code instead, or leave "
		       "this function unchanged", fn->name, key->name, key->name,
		       key->name);
	return false;
}

static void include_one(struct cdo *cdo, struct sinfo *si)
{
	unsigned long e, nr;

	if (si->sp->owner == OWNER_USER)
		return;	/* its objects are included by the code using them */
	nr = nr_entries(si);
	for (e = 0; e < nr; e++) {
		struct symbol *fn = owner_of(cdo->patched, si, e);
		struct rela *r;

		if (!fn && si->sp->owner == OWNER_RELOC) {
			/* code outside functions that the output carries
			 * (.altinstr_replacement, .altinstr_aux): keep its entries */
			r = rela_exact(si->sec, e * si->size + si->owner_off);
			if (r && r->target->type == STT_SECTION &&
			    is_text(r->target->sec) &&
			    chunk_has(r->target->sec, r->soff) && !si->sp->key)
				include_range(cdo, si->sec, e * si->size, entry_len(si, e), NULL);
			if (r && si->paired && r->target->type == STT_SECTION &&
			    is_text(r->target->sec) && chunk_has(r->target->sec, r->soff))
				include_range(cdo, si->paired, e * si->psize, si->psize, NULL);
			continue;
		}
		if (!fn || !owner_function(fn)->include)
			continue;
		if (si->sp->key && !keep_key(cdo, si, e, fn))
			continue;
		include_range(cdo, si->sec, e * si->size, entry_len(si, e), NULL);
		if (si->paired)
			include_range(cdo, si->paired, e * si->psize, si->psize, NULL);
		if (!si->repl)
			continue;
		r = rela_exact(si->sec, e * si->size + si->repl_off);
		if (r && r->target->sec == si->repl) {
			unsigned long len = repl_len(si, e, r);

			if (r->soff < 0 || (unsigned long)r->soff + len > si->repl->size)
				refuse(cdo, "%s entry %lu of %s points outside %s",
				       si->sec->name, e, fn->name, si->repl->name);
			else if (len)
				include_range(cdo, si->repl, r->soff, len, fn->name);
		}
	}
}

void special_include(struct cdo *cdo)
{
	struct sinfo *si;
	size_t i;

	/* in the table's order, as the output's sections follow the input's */
	for (i = 0; i < NR_SPECIALS; i++)
		for_each_sinfo(si, 1, &specials[i])
			include_one(cdo, si);
}

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
 *  - a jump label on a non-exported tracepoint key is dropped: the branch
 *    keeps its compiled-in default (tracepoint off) in the patched code;
 *  - a jump label on another non-exported key is refused;
 *  - a static call site with a non-exported key is dropped: the call still
 *    goes through the trampoline, which always jumps to the current target;
 *  - alternative replacement code referring to a non-exported symbol is
 *    refused.
 */
#include <stdlib.h>
#include <string.h>

#include "cdo.h"
#include "special.h"

enum owner_kind {
	OWNER_RELOC,	/* the relocation at owner_off points into the function */
	OWNER_NAME,	/* owner_off points to a record whose name_off field
			 * points to the function's name (printk index) */
	OWNER_USER,	/* entries are objects used by the function's code */
};

enum key_kind {
	KEY_NONE,
	KEY_JUMP_LABEL,
	KEY_STATIC_CALL,
};

struct special {
	const char *name;
	const char *size_var;	/* environment variable with the entry size */
	unsigned int size;	/* fixed entry size when there is no variable */
	enum owner_kind owner;
	unsigned int owner_off, name_off;
	bool compare;		/* an unchanged function's entries must match */
	unsigned int skip_off, skip_len;	/* __LINE__ bytes, not compared */
	const char *paired;	/* entry i here goes with entry i there */
	const char *paired_var;
	const char *repl;	/* code copied by the loader for each entry */
	unsigned int repl_off, repl_len_off;
	enum key_kind key;
	unsigned int key_off;
};

#define SIZE_VAR(v)	.size_var = v
static const struct special specials[] = {
	{ "__bug_table", SIZE_VAR("BUG_STRUCT_SIZE"), .compare = true,
	  .skip_off = 8, .skip_len = 2 },	/* bug_entry.line */
	{ "__jump_table", SIZE_VAR("JUMP_STRUCT_SIZE"), .compare = true,
	  .key = KEY_JUMP_LABEL, .key_off = 8 },
	{ ".altinstructions", SIZE_VAR("ALT_STRUCT_SIZE"), .compare = true,
	  .repl = ".altinstr_replacement", .repl_off = 4, .repl_len_off = 11 },
	{ "__ex_table", SIZE_VAR("EX_STRUCT_SIZE"), .compare = true },
	{ ".parainstructions", SIZE_VAR("PARA_STRUCT_SIZE"), .compare = true },
	{ ".static_call_sites", SIZE_VAR("STATIC_CALL_STRUCT_SIZE"), .compare = true,
	  .key = KEY_STATIC_CALL, .key_off = 4 },
	{ ".smp_locks", .size = 4, .compare = true },
	{ ".retpoline_sites", .size = 4 },
	{ ".return_sites", .size = 4 },
	{ ".call_sites", .size = 4 },
	{ ".ibt_endbr_seal", .size = 4 },
	{ ".orc_unwind_ip", .size = 4,
	  .paired = ".orc_unwind", .paired_var = "ORC_STRUCT_SIZE" },
	{ "__mcount_loc", .size = 8 },
	{ "__patchable_function_entries", .size = 8 },
	/* entry -> struct pi_entry, whose .func (at 8) is __func__ */
	{ ".printk_index", SIZE_VAR("PRINTK_INDEX_STRUCT_SIZE"),
	  .owner = OWNER_NAME, .name_off = 8 },
	/* struct _ddebug: the lineno bitfield is at 32 */
	{ "__dyndbg", .owner = OWNER_USER, .skip_off = 32, .skip_len = 3 },
};

#define NR_SPECIALS (sizeof(specials) / sizeof(specials[0]))

/* A special section of one object, with its entry size. */
struct sinfo {
	const struct special *sp;
	struct section *sec, *paired, *repl;
	unsigned long size, psize;
};

static struct sinfo infos[2][NR_SPECIALS];	/* [0] original, [1] patched */

static const struct special *lookup(const char *name)
{
	size_t i;

	for (i = 0; i < NR_SPECIALS; i++)
		if (!strcmp(specials[i].name, name))
			return &specials[i];
	return NULL;
}

static bool entry_size(const char *var, unsigned int fixed, struct section *sec,
		       unsigned long *size)
{
	const char *s = var ? getenv(var) : NULL;
	char *end;

	*size = fixed;
	if (var && s) {
		*size = strtoul(s, &end, 0);
		if (*end || !*size) {
			error("%s=%s is not a size", var, s);
			return false;
		}
	}
	if (!*size) {
		error("%s has entries but their size is unknown: set %s (or pass "
		      "--struct-size %s=N) to the size of one entry in the kernel "
		      "being patched", sec->name, var, var);
		return false;
	}
	if (sec->size % *size) {
		error("%s is %zu bytes, not a multiple of its entry size %lu: is %s "
		      "right for this kernel?", sec->name, sec->size, *size,
		      var ? var : "the built-in size");
		return false;
	}
	return true;
}

static bool init_one(struct elf *elf, struct sinfo *si, const struct special *sp)
{
	struct section *sec = find_section(elf, sp->name);
	size_t i;

	memset(si, 0, sizeof(*si));
	si->sp = sp;
	if (!sec)
		return true;
	si->sec = sec;
	sec->special = true;
	if (sp->owner == OWNER_USER) {
		for (i = 0; i < sec->nr_syms; i++)
			sec->syms[i]->special_data = true;
		return true;
	}
	if (!entry_size(sp->size_var, sp->size, sec, &si->size))
		return false;
	if (sp->paired) {
		si->paired = find_section(elf, sp->paired);
		if (si->paired) {
			si->paired->special = true;
			if (!entry_size(sp->paired_var, 0, si->paired, &si->psize))
				return false;
			if (si->paired->size / si->psize != sec->size / si->size) {
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

bool special_init(struct cdo *cdo)
{
	size_t i;

	for (i = 0; i < NR_SPECIALS; i++)
		if (!init_one(cdo->orig, &infos[0][i], &specials[i]) ||
		    !init_one(cdo->patched, &infos[1][i], &specials[i]))
			return false;
	return true;
}

void special_ignored_bytes(const struct section *sec, unsigned long *off,
			   unsigned long *len)
{
	const struct special *sp = lookup(sec->name);

	*off = *len = 0;
	if (sp && sp->owner == OWNER_USER) {
		*off = sp->skip_off;
		*len = sp->skip_len;
	}
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
	struct rela *r = rela_exact(si->sec, e * si->size + si->sp->owner_off);
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
	r = rela_exact(rec->sec, rec->value + si->sp->name_off);
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
	unsigned long entry;
};

static int cmp_owned(const void *a, const void *b)
{
	const struct owned *x = a, *y = b;

	if (x->fn != y->fn)
		return x->fn->index < y->fn->index ? -1 : 1;
	return x->entry < y->entry ? -1 : x->entry > y->entry;
}

/* Entries of si with an owner, sorted by owner; *ownerless counts the rest. */
static struct owned *collect(struct elf *elf, struct sinfo *si, size_t *n,
			     size_t *ownerless)
{
	unsigned long e, nr = si->sec->size / si->size;
	struct owned *list = xcalloc(nr + 1, sizeof(*list));

	*n = *ownerless = 0;
	for (e = 0; e < nr; e++) {
		struct symbol *fn = owner_of(elf, si, e);

		if (!fn) {
			(*ownerless)++;
			continue;
		}
		list[*n].fn = owner_function(fn);
		list[(*n)++].entry = e;
	}
	qsort(list, *n, sizeof(*list), cmp_owned);
	return list;
}

static bool entry_equal(struct sinfo *so, unsigned long eo, struct sinfo *sp,
			unsigned long ep)
{
	unsigned long i, size = sp->size, ao = eo * size, ap = ep * size;
	unsigned long skip = sp->sp->skip_len && size >= 12 ? sp->sp->skip_len : 0;
	struct rela *ro = rela_at(so->sec, ao), *rp = rela_at(sp->sec, ap);
	struct rela *endo = rela_end(so->sec);
	struct rela *endp = rela_end(sp->sec);

	for (i = 0; i < size; i++)
		if ((i < sp->sp->skip_off || i >= sp->sp->skip_off + skip) &&
		    so->sec->data[ao + i] != sp->sec->data[ap + i])
			return false;
	for (; ro && ro < endo && ro->offset < ao + size; ro++, rp++) {
		if (!rp || rp >= endp || rp->offset - ap != ro->offset - ao ||
		    !rela_equal(ro, rp))
			return false;
	}
	return !(rp && rp < endp && rp->offset < ap + size);
}

static void compare_one(struct cdo *cdo, struct sinfo *so, struct sinfo *sp)
{
	struct owned *lo, *lp;
	size_t no, np, fo, fp, i = 0, j, k;

	lo = collect(cdo->orig, so, &no, &fo);
	lp = collect(cdo->patched, sp, &np, &fp);
	if (fo != fp)
		refuse(cdo, "%s: %zu entries that belong to no function in the original, "
		       "%zu in the patched object: a change outside of any function "
		       "(in assembly or a shared table) cannot be carried by a patch; "
		       "leave that code unchanged", sp->sec->name, fo, fp);
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
					    sp->sec->name, m, n);
			} else {
				for (k = 0; k < n; k++) {
					j = lo_start + k;
					if (!entry_equal(so, lo[j].entry, sp, lp[i + k].entry)) {
						set_changed(fn, "its %s entry #%zu changed",
							    sp->sec->name, k);
						break;
					}
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
		struct sinfo *so = &infos[0][i], *sp = &infos[1][i];

		if (!specials[i].compare || !so->sec || !sp->sec ||
		    specials[i].owner != OWNER_RELOC)
			continue;
		compare_one(cdo, so, sp);
	}
}

/* Whether the loader can resolve the key of a kept entry; drop or refuse. */
static bool keep_key(struct cdo *cdo, struct sinfo *si, unsigned long e,
		     struct symbol *fn)
{
	struct rela *r = rela_exact(si->sec, e * si->size + si->sp->key_off);
	struct symbol *key;

	if (!r)
		return true;
	key = r->target;
	if (key->include || r->string || is_exported(cdo, key))
		return true;
	if (si->sp->key == KEY_STATIC_CALL) {
		debug("%s: dropping the static call site of %s for %s (not exported): "
		      "the call goes through its trampoline", si->sec->name,
		      fn->name, key->name);
		return false;
	}
	if (!strncmp(key->name, "__tracepoint_", 13)) {
		debug("%s: dropping the jump label of %s on %s (not exported): the "
		      "tracepoint stays disabled in the patched function",
		      si->sec->name, fn->name, key->name);
		return false;
	}
	refuse(cdo, "function %s uses the static key %s in a jump label "
	       "(static_branch_*()), and %s is not exported: the module loader "
	       "must resolve jump label keys before kpatch can; test the key with "
	       "static_key_enabled(&%s) in the patched code instead, or leave "
	       "this function unchanged", fn->name, key->name, key->name, key->name);
	return false;
}

static void include_one(struct cdo *cdo, struct sinfo *si)
{
	unsigned long e, nr;

	if (si->sp->owner == OWNER_USER)
		return;	/* its objects are included by the code using them */
	nr = si->sec->size / si->size;
	for (e = 0; e < nr; e++) {
		struct symbol *fn = owner_of(cdo->patched, si, e);
		struct rela *r;

		if (!fn && si->sp->owner == OWNER_RELOC) {
			/* code outside functions that the output carries
			 * (.altinstr_replacement, .altinstr_aux): keep its entries */
			r = rela_exact(si->sec, e * si->size + si->sp->owner_off);
			if (r && r->target->type == STT_SECTION &&
			    is_text(r->target->sec) &&
			    chunk_has(r->target->sec, r->soff) && !si->sp->key)
				include_range(cdo, si->sec, e * si->size, si->size, NULL);
			if (r && si->paired && r->target->type == STT_SECTION &&
			    is_text(r->target->sec) && chunk_has(r->target->sec, r->soff))
				include_range(cdo, si->paired, e * si->psize, si->psize, NULL);
			continue;
		}
		if (!fn || !owner_function(fn)->include)
			continue;
		if (si->sp->key && !keep_key(cdo, si, e, fn))
			continue;
		include_range(cdo, si->sec, e * si->size, si->size, NULL);
		if (si->paired)
			include_range(cdo, si->paired, e * si->psize, si->psize, NULL);
		if (!si->repl)
			continue;
		r = rela_exact(si->sec, e * si->size + si->sp->repl_off);
		if (r && r->target->sec == si->repl) {
			unsigned long len = si->sec->data[e * si->size + si->sp->repl_len_off];

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
	size_t i;

	for (i = 0; i < NR_SPECIALS; i++)
		if (infos[1][i].sec)
			include_one(cdo, &infos[1][i]);
}

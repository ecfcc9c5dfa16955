// SPDX-License-Identifier: GPL-2.0
/*
 * correlate.c - pair every symbol and section of the patched object with
 * its counterpart ("twin") in the original one.
 *
 * Names are not stable between two compilations: GCC numbers static locals
 * (count.3), clones (.isra.0, .constprop.1, .part.0, .lto_priv.0) and
 * __UNIQUE_ID_ symbols, and the numbers shift when the patch adds one.  So:
 *  1. stable names pair by exact name;
 *  2. numbered objects (static locals, __UNIQUE_ID_) pair through the
 *     functions that use them: the n-th distinct one that function f uses
 *     in the original is the n-th one its twin uses in the patched object;
 *  3. what is left pairs by the name without its numbers, when that is
 *     unique on both sides.
 * A patched function so keeps the running kernel's static local instead of
 * getting a fresh copy.  Sections follow their symbols.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cdo.h"

const char *canonical_name(const char *name, char *buf, size_t size)
{
	size_t i = 0;
	const char *p = name;

	const char *id = strstr(name, "__UNIQUE_ID_");

	/*
	 * __UNIQUE_ID_ddebug412.7: __COUNTER__, then GCC's number of the
	 * static; clang names it create_entry.__UNIQUE_ID_ddebug412.
	 */
	if (id && (id == name || id[-1] == '.')) {
		size_t n = strlen(name), min = id - name + 12;

		while (n > min && (isdigit((unsigned char)name[n - 1]) || name[n - 1] == '.'))
			n--;
		if (n >= size)
			n = size - 1;
		memcpy(buf, name, n);
		buf[n] = 0;
		return buf;
	}
	while (*p && i + 1 < size) {
		if (*p == '.' && isdigit((unsigned char)p[1])) {
			const char *q = p + 1;

			while (isdigit((unsigned char)*q))
				q++;
			if (*q == 0 || *q == '.') {
				p = q;	/* drop ".<digits>" */
				continue;
			}
		}
		buf[i++] = *p++;
	}
	buf[i] = 0;
	return buf;
}

bool is_cold(const struct symbol *sym)
{
	size_t n = strlen(sym->name);

	return is_func(sym) && (strstr(sym->name, ".cold.") ||
				(n > 5 && !strcmp(sym->name + n - 5, ".cold")));
}

struct symbol *owner_function(struct symbol *sym)
{
	return sym->parent ? sym->parent : sym;
}

/* A name whose numbers GCC or the kernel's macros make up per build. */
static bool is_numbered(const struct symbol *sym)
{
	char buf[512];

	return is_object(sym) &&
	       strcmp(canonical_name(sym->name, buf, sizeof(buf)), sym->name);
}

static bool pairable(const struct symbol *a, const struct symbol *b)
{
	return a->type == b->type && !a->twin && !b->twin &&
	       (a->sec != NULL) == (b->sec != NULL) &&
	       (a->bind == STB_LOCAL) == (b->bind == STB_LOCAL);
}

static void pair(struct symbol *a, struct symbol *b)
{
	a->twin = b;
	b->twin = a;
}

static void find_parents(struct elf *elf)
{
	size_t i;
	char buf[512];

	for (i = 1; i < elf->nr_syms; i++) {
		struct symbol *sym = &elf->syms[i], *parent;
		char *cold;

		if (!is_cold(sym))
			continue;
		snprintf(buf, sizeof(buf), "%s", sym->name);
		cold = strstr(buf, ".cold");
		*cold = 0;
		parent = find_symbol(elf, buf);
		if (parent && is_func(parent) && parent != sym) {
			sym->parent = parent;
			parent->child = sym;
		}
	}
	/*
	 * __pfx_X: the padding objtool --prefix names in front of X
	 * (CALL_PADDING): callers may enter X through it, so it goes with X.
	 */
	for (i = 1; i < elf->nr_syms; i++) {
		struct symbol *sym = &elf->syms[i], *fn;

		if (!is_func(sym) || strncmp(sym->name, "__pfx_", 6) || !sym->sec)
			continue;
		fn = find_symbol(elf, sym->name + 6);
		while (fn && !(is_func(fn) && fn->sec == sym->sec &&
			       fn->value == sym->value + sym->size))
			fn = find_symbol_next(fn);
		if (fn) {
			sym->parent = fn;
			fn->prefix = sym;
		}
	}
}

static void pair_exact(struct elf *orig, struct elf *patched)
{
	size_t i;

	for (i = 1; i < orig->nr_syms; i++) {
		struct symbol *a = &orig->syms[i], *b;

		if (a->type == STT_SECTION || a->type == STT_FILE || !*a->name ||
		    is_numbered(a))
			continue;
		b = find_symbol(patched, a->name);
		/* a name used twice in one object is left to the later passes */
		if (!b || find_symbol_next(b) || find_symbol_next(a) || !pairable(a, b))
			continue;
		pair(a, b);
	}
}

/* Add sym to the n distinct symbols of out unless it is there. */
static size_t add_distinct(struct symbol **out, size_t n, struct symbol *sym)
{
	size_t j;

	for (j = 0; j < n && out[j] != sym; j++)
		;
	if (j == n)
		out[n++] = sym;
	return n;
}

/*
 * The numbered objects user refers to, in order of first use, then for a
 * function the numbered keys of its jump labels in entry order: the
 * dynamic debug descriptor of print_hex_dump_debug() is only a key, the
 * code never passes it on.
 */
static size_t numbered_users(struct elf *elf, struct symbol *user,
			     struct symbol **out)
{
	struct section *sec = user->sec, *jump;
	struct symbol *owner = NULL;
	struct rela *r;
	size_t n = 0;

	for (r = rela_at(sec, user->value); r && r < rela_end(sec) &&
	     r->offset < user->value + user->size; r++)
		if (is_numbered(r->target) && !r->target->twin)
			n = add_distinct(out, n, r->target);
	jump = is_func(user) ? find_section(elf, "__jump_table") : NULL;
	for (r = jump ? jump->relas : NULL; r && r < rela_end(jump); r++) {
		/* an entry's code field comes first: whose entry it is */
		if (is_func(r->target))
			owner = owner_function(r->target);
		else if (owner == user && is_numbered(r->target) && !r->target->twin)
			n = add_distinct(out, n, r->target);
	}
	return n;
}

/* The most numbered_users() can find for sym. */
static size_t max_users(struct elf *elf, struct symbol *sym)
{
	struct rela *r = rela_at(sym->sec, sym->value), *first = r;
	struct section *jump = find_section(elf, "__jump_table");

	while (r && r < rela_end(sym->sec) && r->offset < sym->value + sym->size)
		r++;
	return r - first + (jump ? jump->nr_relas : 0) + 1;
}

/*
 * Functions and objects (tables, dynamic debug descriptors) both use
 * numbered objects; each pair made may let the objects it pairs pair what
 * they use, so repeat until nothing changes.
 */
static void pair_through_users(struct elf *orig, struct elf *patched)
{
	char ca[512], cb[512];
	bool progress = true;
	size_t i, na, nb, x, y;

	while (progress) {
		progress = false;
		for (i = 1; i < orig->nr_syms; i++) {
			struct symbol *u = &orig->syms[i], **a, **b;

			if ((!is_func(u) && !is_object(u)) || !u->twin || !u->sec ||
			    !u->twin->sec)
				continue;
			a = xcalloc(max_users(orig, u), sizeof(*a));
			b = xcalloc(max_users(patched, u->twin), sizeof(*b));
			na = numbered_users(orig, u, a);
			nb = numbered_users(patched, u->twin, b);
			for (x = 0; x < na; x++) {
				canonical_name(a[x]->name, ca, sizeof(ca));
				for (y = 0; y < nb; y++) {
					if (!b[y] || strcmp(ca, canonical_name(b[y]->name, cb, sizeof(cb))))
						continue;
					if (pairable(a[x], b[y])) {
						pair(a[x], b[y]);
						progress = true;
					}
					b[y] = NULL;
					break;
				}
			}
			free(a);
			free(b);
		}
	}
}

struct canon {
	char *name;
	struct symbol *sym;
	int side;	/* 0 original, 1 patched */
};

static int cmp_canon(const void *a, const void *b)
{
	const struct canon *x = a, *y = b;
	int c = strcmp(x->name, y->name);

	if (c)
		return c;
	if (x->sym->type != y->sym->type)
		return x->sym->type < y->sym->type ? -1 : 1;
	if (x->side != y->side)
		return x->side - y->side;
	return x->sym->index < y->sym->index ? -1 : x->sym->index > y->sym->index;
}

static size_t add_canon(struct canon *list, size_t n, struct elf *elf, int side)
{
	char buf[512];
	size_t i;

	for (i = 1; i < elf->nr_syms; i++) {
		struct symbol *sym = &elf->syms[i];

		if (sym->twin || (!is_func(sym) && !is_object(sym)))
			continue;
		list[n].name = xstrdup(canonical_name(sym->name, buf, sizeof(buf)));
		list[n].sym = sym;
		list[n++].side = side;
	}
	return n;
}

/* Sorted by name without numbers: a group of one on each side pairs. */
static void pair_canonical(struct elf *orig, struct elf *patched)
{
	struct canon *list = xcalloc(orig->nr_syms + patched->nr_syms, sizeof(*list));
	size_t n = 0, i, j;

	n = add_canon(list, n, orig, 0);
	n = add_canon(list, n, patched, 1);
	qsort(list, n, sizeof(*list), cmp_canon);
	for (i = 0; i < n; i = j) {
		for (j = i + 1; j < n && !strcmp(list[i].name, list[j].name) &&
		     list[i].sym->type == list[j].sym->type; j++)
			;
		if (j - i == 2 && list[i].side == 0 && list[i + 1].side == 1 &&
		    pairable(list[i].sym, list[i + 1].sym))
			pair(list[i].sym, list[i + 1].sym);
	}
	for (i = 0; i < n; i++)
		free(list[i].name);
	free(list);
}

static void pair_sections(struct elf *orig, struct elf *patched)
{
	size_t i;

	/* a section holding symbols follows its first symbol */
	for (i = 1; i < patched->nr_secs; i++) {
		struct section *sec = &patched->secs[i];
		struct symbol *sym;

		if (!sec->nr_syms || is_rela(sec))
			continue;
		sym = sec->syms[0];
		if (sym->twin && sym->twin->sec && !sym->twin->sec->twin &&
		    sym->twin->sec->nr_syms) {
			sec->twin = sym->twin->sec;
			sec->twin->twin = sec;
		}
	}
	/* the rest by name */
	for (i = 1; i < patched->nr_secs; i++) {
		struct section *sec = &patched->secs[i], *o;

		if (sec->twin || is_rela(sec))
			continue;
		o = find_section(orig, sec->name);
		if (o && !o->twin && !is_rela(o) && o->sh.sh_type == sec->sh.sh_type) {
			sec->twin = o;
			o->twin = sec;
		}
	}
	for (i = 1; i < patched->nr_secs; i++) {
		struct section *sec = &patched->secs[i];

		if (sec->twin && sec->rela && sec->twin->rela) {
			sec->rela->twin = sec->twin->rela;
			sec->twin->rela->twin = sec->rela;
		}
	}
	/* section symbols follow their sections */
	for (i = 1; i < patched->nr_secs; i++) {
		struct section *sec = &patched->secs[i];

		if (sec->twin && sec->secsym && sec->twin->secsym)
			pair(sec->secsym, sec->twin->secsym);
	}
	(void)orig;
}

void correlate(struct elf *orig, struct elf *patched)
{
	size_t i;

	find_parents(orig);
	find_parents(patched);
	pair_exact(orig, patched);
	pair_through_users(orig, patched);
	pair_canonical(orig, patched);
	pair_sections(orig, patched);
	for (i = 1; i < patched->nr_syms; i++) {
		struct symbol *sym = &patched->syms[i];

		sym->status = sym->twin ? SAME : NEW;
		if (sym->twin && debug_enabled && strcmp(sym->name, sym->twin->name) &&
		    sym->type != STT_SECTION)
			debug("correlated %s with %s of the original", sym->name,
			      sym->twin->name);
	}
}

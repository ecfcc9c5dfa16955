// SPDX-License-Identifier: GPL-2.0
/*
 * compare.c - decide, for every correlated function and object, whether it
 * changed.
 *
 * Contents are compared byte by byte over the symbol's own range (so that
 * functions sharing a section compare on their own), and relocations are
 * compared through what they point to: the twin symbol and the offset in
 * it, or the text of a string literal.  Section numbering, symbol order and
 * where an unrelated string landed therefore never count as a change.
 *
 * A function whose only difference is the __LINE__ passed to a helper such
 * as __might_sleep() did not change: only its lines moved.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arch.h"
#include "cdo.h"
#include "special.h"

void set_changed(struct symbol *sym, const char *fmt, ...)
{
	va_list ap;
	char buf[512];

	if (sym->status == CHANGED)
		return;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	sym->status = CHANGED;
	free(sym->why);
	sym->why = xstrdup(buf);
	debug("%s %s changed: %s", is_func(sym) ? "function" : "object", sym->name, buf);
}

static long string_offset(const struct rela *r)
{
	return r->string - (const char *)r->target->sec->data;
}

static long where(const struct rela *r)
{
	return rela_where(r);
}

static int cmp_ulong(const void *a, const void *b)
{
	unsigned long x = *(const unsigned long *)a, y = *(const unsigned long *)b;

	return x < y ? -1 : x > y;
}

/* Where references enter sec, a code section without functions. */
static void find_entries(struct section *sec)
{
	struct elf *elf = sec->elf;
	size_t i, j, n = 0;

	if (sec->entries_known)
		return;
	sec->entries_known = true;
	for (i = 1; i < elf->nr_secs; i++)
		for (j = 0; j < elf->secs[i].nr_relas; j++)
			n += elf->secs[i].relas[j].target == sec->secsym;
	sec->entries = xcalloc(n + 1, sizeof(unsigned long));
	for (i = 1; i < elf->nr_secs; i++)
		for (j = 0; j < elf->secs[i].nr_relas; j++) {
			const struct rela *r = &elf->secs[i].relas[j];

			/* from undecoded code, the entry is unknown: blocks run on */
			if (r->target == sec->secsym && !r->unlocated && where(r) >= 0 &&
			    (unsigned long)where(r) < sec->size)
				sec->entries[sec->nr_entries++] = where(r);
		}
	qsort(sec->entries, sec->nr_entries, sizeof(unsigned long), cmp_ulong);
}

unsigned long block_end(struct section *sec, unsigned long off)
{
	size_t i;

	find_entries(sec);
	for (i = 0; i < sec->nr_entries; i++)
		if (sec->entries[i] > off)
			return sec->entries[i];
	return sec->size;
}

/*
 * References into code outside functions (.altinstr_replacement,
 * .altinstr_aux, .fixup) mean the same when the blocks they enter are the
 * same, wherever the blocks moved: another function's block growing must
 * not make this one's references differ.
 */
static int range_depth;

bool range_equal(struct section *sa, unsigned long wa, struct section *sb,
		 unsigned long wb, unsigned long len)
{
	struct rela *ra, *rb, *ea, *eb;
	bool same = true;

	if (wa + len > sa->size || wb + len > sb->size || !sa->data || !sb->data ||
	    memcmp(sa->data + wa, sb->data + wb, len))
		return false;
	range_depth++;
	ra = rela_at(sa, wa);
	rb = rela_at(sb, wb);
	ea = rela_end(sa);
	eb = rela_end(sb);
	for (; ra && ra < ea && ra->offset < wa + len; ra++, rb++) {
		same = rb && rb < eb && rb->offset - wb == ra->offset - wa &&
		       rela_equal(ra, rb);
		if (!same)
			break;
	}
	if (same && rb && rb < eb && rb->offset < wb + len)
		same = false;
	range_depth--;
	return same;
}

static bool block_equal(const struct rela *a, const struct rela *b)
{
	struct section *sa = a->target->sec, *sb = b->target->sec;
	long wa = where(a), wb = where(b);
	unsigned long la, lb;

	/* one level: a block's own references to other blocks by offset */
	if (wa < 0 || wb < 0 || (unsigned long)wa >= sa->size ||
	    (unsigned long)wb >= sb->size || range_depth)
		return a->toff == b->toff;
	la = block_end(sa, wa) - wa;
	lb = block_end(sb, wb) - wb;
	return la == lb && range_equal(sa, wa, sb, wb, la);
}

/* Whether two relocations (a original, b patched) mean the same thing. */
bool rela_equal(const struct rela *a, const struct rela *b)
{
	const struct symbol *ta = a->target, *tb = b->target;

	if (!arch_same_reloc_type(a->type, b->type))
		return false;
	/*
	 * In undecoded code, where a PC-relative reference into a section
	 * (its symbol, or a local label) points is unknown: the same
	 * addends do not prove the same target.
	 */
	if ((a->unlocated || b->unlocated) && arch_is_pcrel(a->type) &&
	    (a->sym->type == STT_SECTION ||
	     (a->sym->type == STT_NOTYPE && a->sym->sec && a->sym->bind == STB_LOCAL)))
		return false;
	if (ta->type == STT_SECTION && ta->twin == tb && is_text(ta->sec) &&
	    !ta->sec->nr_syms && !a->string)
		return block_equal(a, b);
	if (a->string || b->string)
		return a->string && b->string && !strcmp(a->string, b->string) &&
		       a->soff - string_offset(a) == b->soff - string_offset(b);
	if (a->toff != b->toff)
		return false;
	if (ta->twin)
		return ta->twin == tb;
	/* undefined symbols pair by name */
	return !ta->sec && !tb->sec && !strcmp(ta->name, tb->name);
}

static void describe_rela(const struct rela *r, char *buf, size_t size)
{
	const char *s;
	size_t n = 0;

	if (!r->string) {
		snprintf(buf, size, "%s%+ld", r->target->name, r->toff);
		return;
	}
	/* a literal, quoted, with \n and \t escaped, shortened */
	buf[n++] = '"';
	for (s = r->string; *s && n + 8 < size; s++) {
		if (*s == '\n' || *s == '\t') {
			buf[n++] = '\\';
			buf[n++] = *s == '\n' ? 'n' : 't';
		} else {
			buf[n++] = *s;
		}
	}
	if (*s) {
		memcpy(buf + n, "...", 3);
		n += 3;
	}
	buf[n++] = '"';
	buf[n] = 0;
}

/*
 * Bytes [start, end) of the two functions differ only in "mov $line, %reg"
 * instructions that feed a call to a __FILE__/__LINE__ helper.
 */
static bool only_line_numbers(struct symbol *o, struct symbol *p)
{
	const unsigned char *a = o->sec->data + o->value, *b = p->sec->data + p->value;
	unsigned long off = 0;
	struct insn ia, ib;
	bool any = false;

	while (off < p->size) {
		if (!arch_decode(a + off, o->size - off, &ia) ||
		    !arch_decode(b + off, p->size - off, &ib) || ia.len != ib.len)
			return false;
		if (memcmp(a + off, b + off, ia.len)) {
			unsigned long look = off + ia.len;
			int n;
			bool helper = false;

			if (!arch_is_line_insn(a + off, b + off, &ia))
				return false;
			/* the helper call must follow within a few instructions */
			for (n = 0; n < 12 && look < p->size && !helper; n++) {
				struct insn next;
				struct rela *r;

				if (!arch_decode(b + look, p->size - look, &next))
					break;
				if (next.call_or_jmp) {
					r = rela_at(p->sec, p->value + look + next.rel_off);
					helper = r && r->offset == p->value + look + next.rel_off &&
						 arch_is_line_helper(r->target->name);
				}
				look += next.len;
			}
			if (!helper)
				return false;
			any = true;
		}
		off += ia.len;
	}
	return any;
}

/* Compare o (original) and p (patched) over their own ranges. */
static void compare_symbol(struct symbol *o, struct symbol *p)
{
	struct section *os = o->sec, *ps = p->sec;
	struct rela *ra, *rb, *ea, *eb;
	unsigned long skip_off = 0, skip_len = 0, i;
	char da[128], db[128];

	if (o->size != p->size) {
		set_changed(p, "size %lu -> %lu bytes", o->size, p->size);
		return;
	}
	if (!os->data != !ps->data) {
		set_changed(p, "moved between initialized and zeroed data (%s -> %s)",
			    os->name, ps->name);
		return;
	}
	special_ignored_bytes(ps, &skip_off, &skip_len);
	if (os->data && memcmp(os->data + o->value, ps->data + p->value, p->size)) {
		for (i = 0; i < p->size; i++)
			if (os->data[o->value + i] != ps->data[p->value + i] &&
			    (i < skip_off || i >= skip_off + skip_len))
				break;
		if (i < p->size) {
			if (is_func(p) && only_line_numbers(o, p)) {
				p->line_only = true;
			} else {
				set_changed(p, "bytes differ at +%#lx", i);
				return;
			}
		}
	}
	ra = rela_at(os, o->value);
	rb = rela_at(ps, p->value);
	ea = rela_end(os);
	eb = rela_end(ps);
	for (; ra && ra < ea && ra->offset < o->value + o->size; ra++, rb++) {
		if (!rb || rb >= eb || rb->offset >= p->value + p->size) {
			set_changed(p, "has fewer relocations");
			return;
		}
		if (ra->offset - o->value != rb->offset - p->value) {
			set_changed(p, "relocation at +%#lx moved to +%#lx",
				    ra->offset - o->value, rb->offset - p->value);
			return;
		}
		if (!rela_equal(ra, rb)) {
			describe_rela(ra, da, sizeof(da));
			describe_rela(rb, db, sizeof(db));
			set_changed(p, "reference at +%#lx changed from %s to %s",
				    rb->offset - p->value, da, db);
			return;
		}
	}
	if (rb && rb < eb && rb->offset < p->value + p->size)
		set_changed(p, "has more relocations (first new one at +%#lx)",
			    rb->offset - p->value);
	else if (p->line_only)
		debug("function %s: only __LINE__ values differ, unchanged", p->name);
}

/*
 * References that make the referrer change although the relocation looks
 * the same: a changed read-only object is copied, so users of it must
 * switch to the copy.
 */
static bool propagate(struct elf *patched)
{
	bool again = false;
	size_t i, j;

	for (i = 1; i < patched->nr_syms; i++) {
		struct symbol *sym = &patched->syms[i];
		struct section *sec = sym->sec;

		if (sym->status != SAME || !sec || (!is_func(sym) && !is_object(sym)))
			continue;
		for (j = 0; j < sec->nr_relas; j++) {
			struct rela *r = &sec->relas[j];

			if (r->offset < sym->value || r->offset >= sym->value + sym->size)
				continue;
			if (r->target->status == CHANGED && is_object(r->target) &&
			    !(r->target->sec->sh.sh_flags & SHF_WRITE)) {
				set_changed(sym, "uses %s, which changed (%s)",
					    r->target->name, r->target->why);
				again = true;
				break;
			}
		}
	}
	return again;
}

static bool is_shared_text(const struct section *sec)
{
	size_t i, n = 0;

	if (!is_text(sec))
		return false;
	for (i = 0; i < sec->nr_syms; i++)
		n += is_func(sec->syms[i]) && sec->syms[i]->size;
	return n > 1;
}

void compare(struct cdo *cdo)
{
	struct elf *orig = cdo->orig, *patched = cdo->patched;
	size_t i;

	for (i = 1; i < orig->nr_secs; i++)
		if (is_shared_text(&orig->secs[i]))
			arch_split_shared_section(&orig->secs[i]);
	for (i = 1; i < patched->nr_secs; i++)
		if (is_shared_text(&patched->secs[i]))
			arch_split_shared_section(&patched->secs[i]);

	for (i = 1; i < patched->nr_syms; i++) {
		struct symbol *p = &patched->syms[i];

		if (!p->twin || !p->sec || (!is_func(p) && !is_object(p)))
			continue;
		if (p->sec->ignore) {
			debug("%s: in ignored section %s", p->name, p->sec->name);
			continue;
		}
		compare_symbol(p->twin, p);
	}
	while (propagate(patched))
		;
	/*
	 * A changed .cold part is a change of its function; a new function's
	 * cold part is new with it.
	 */
	for (i = 1; i < patched->nr_syms; i++) {
		struct symbol *p = &patched->syms[i];

		if (p->parent && p->status != SAME && p->parent->status != NEW)
			set_changed(p->parent, "its cold part %s %s", p->name,
				    p->status == NEW ? "is new" : "changed");
	}
	special_compare(cdo);
	for (i = 1; i < patched->nr_syms; i++) {
		struct symbol *p = &patched->syms[i];

		if (p->ignore && p->status != SAME) {
			debug("function %s: %s, but ignored (KPATCH_IGNORE_FUNCTION)",
			      p->name, p->status == NEW ? "new" : "changed");
			p->status = SAME;
		}
	}
}

// SPDX-License-Identifier: GPL-2.0
/*
 * include.c - choose what goes into the output.
 *
 * Changed and new functions go in (with their .cold parts), then whatever
 * they use that the running kernel does not already have: new objects,
 * string literals, anonymous read-only data, and the kernel's per-use
 * records (__func__ strings, printk index records, dynamic debug
 * descriptors).  Everything else they use is the running kernel's: it is
 * reached through the module loader if exported, otherwise through a
 * struct kpatch_reloc that the core resolves (see resolve_extref()).
 *
 * This is also where the changes a patch cannot carry are refused, each
 * with what changed and what the patch author can do instead.
 */
#include <stdlib.h>
#include <string.h>

#include "arch.h"
#include "cdo.h"
#include "special.h"
#include "symtab.h"

#include "kpatch-abi.h"

bool is_init_section(const struct section *sec)
{
	return !strncmp(sec->name, ".init.", 6) || !strncmp(sec->name, ".exit.", 6) ||
	       !strcmp(sec->name, ".meminit.text") || !strcmp(sec->name, ".ref.text");
}

static bool is_marker(const char *name)
{
	return !strcmp(name, KPATCH_IGNORE_FUNCTIONS_SECTION) ||
	       !strcmp(name, KPATCH_IGNORE_SECTIONS_SECTION) ||
	       !strcmp(name, KPATCH_FORCE_SECTION) ||
	       !strncmp(name, ".kpatch.callbacks.", 18);
}

/* The string a marker entry points to (a section name). */
static const char *marker_string(const struct rela *r)
{
	const struct symbol *t = r->target;
	const char *s;

	if (r->string)
		return r->string;
	if (!t->sec || !t->sec->data || r->toff < 0 || (unsigned long)r->toff >= t->size)
		return NULL;
	s = (const char *)t->sec->data + t->value + r->toff;
	return memchr(s, 0, t->size - r->toff) ? s : NULL;
}

void read_markers(struct cdo *cdo)
{
	struct elf *elf = cdo->patched;
	size_t i, j;

	for (i = 1; i < elf->nr_secs; i++) {
		struct section *sec = &elf->secs[i];

		if (is_rela(sec) || !is_marker(sec->name))
			continue;
		if (!strncmp(sec->name, ".kpatch.callbacks.", 18))
			continue;	/* include() takes them */
		sec->marker = true;
		for (j = 0; j < sec->nr_relas; j++) {
			struct rela *r = &sec->relas[j];
			struct symbol *t = r->target;

			if (!strcmp(sec->name, KPATCH_IGNORE_SECTIONS_SECTION)) {
				const char *name = marker_string(r);
				struct section *s = name ? find_section(elf, name) : NULL;

				if (!s) {
					refuse(cdo, "KPATCH_IGNORE_SECTION names %s%s%s, which "
					       "is not a section of %s; use the section "
					       "name as readelf -S shows it", name ? "\"" : "",
					       name ? name : "an unreadable string",
					       name ? "\"" : "", cdo->objfile);
					continue;
				}
				s->ignore = true;
				if (s->twin)
					s->twin->ignore = true;
				debug("ignoring changes in section %s (KPATCH_IGNORE_SECTION)",
				      s->name);
				continue;
			}
			if (!is_func(t)) {
				refuse(cdo, "%s entry %zu does not point to a function (%s)",
				       sec->name, j, t->name);
				continue;
			}
			if (!strcmp(sec->name, KPATCH_FORCE_SECTION))
				t->force = true;
			else
				t->ignore = true;
		}
	}
}

bool is_exported(struct cdo *cdo, struct symbol *target)
{
	const char *name = target->twin ? target->twin->name : target->name;
	const char *mod;

	/* a file-local symbol is never what an export of its name means */
	if (target->sec && target->bind == STB_LOCAL)
		return false;
	mod = symvers_module(cdo->symvers, name);
	if (!mod)
		return false;
	/* the target module's own exports would make it a dependency */
	return !strcmp(cdo->opts.object, KPATCH_VMLINUX) ||
	       strcmp(mod, cdo->opts.object);
}

bool resolve_extref(struct cdo *cdo, struct symbol *target, const char *user,
		    struct extref *ref)
{
	struct symbol *orig = target->twin ? target->twin : target;
	struct ksym *k;

	if (target->ext) {
		*ref = *target->ext;
		return true;
	}
	memset(ref, 0, sizeof(*ref));
	ref->name = orig->name;
	ref->objname = cdo->opts.object;
	if (is_exported(cdo, target)) {
		ref->exported = true;
	} else if (!target->sec && target->bind != STB_LOCAL &&
		   ksymtab_undefined(cdo->ksyms, orig->name)) {
		/* the running object takes it from elsewhere too */
		ref->exported = true;
		debug("%s: %s is undefined in the kernel's symbol table too: "
		      "left to the module loader", user, orig->name);
	} else if (!target->sec && !target->twin && target->bind != STB_LOCAL &&
		   !ksymtab_has_global(cdo->ksyms, target->name)) {
		/*
		 * A global the original object did not use and the kernel
		 * does not have: a new global of another file of the same
		 * patch, which the patch module's link resolves (kpatch-build
		 * checks that it does).
		 */
		ref->exported = true;
		debug("%s: %s is new and not in the kernel: left undefined for "
		      "the patch's other objects to define", user, target->name);
	} else {
		if (target->sec && !target->twin) {
			refuse(cdo, "%s refers to %s, which is neither in the running "
			       "kernel nor included; this is a bug in create-diff-object, "
			       "rerun with --debug and report it", user, target->name);
			return false;
		}
		k = ksymtab_lookup(cdo->ksyms, target->twin ? cdo->orig : cdo->patched,
				   orig, &ref->sympos);
		if (!k) {
			refuse(cdo, "%s refers to %s, which cannot be located in the "
			       "running kernel (see above)", user, orig->name);
			return false;
		}
		ref->size = k->size;
	}
	target->ext = xmalloc(sizeof(*ref));
	*target->ext = *ref;
	debug("%s: %s reached %s (%s%s, sympos %u)", user, orig->name,
	      ref->exported ? "through the loader" : "through .kpatch.relocations",
	      ref->objname, ref->exported ? ", exported" : "", ref->sympos);
	return true;
}

/* Records the kernel keeps one per use, so a copy is always right. */
static bool is_per_use_object(const struct symbol *sym)
{
	char buf[512];
	const char *c = canonical_name(sym->name, buf, sizeof(buf));

	return !strcmp(c, "__func__") || !strcmp(c, "__FUNCTION__") ||
	       !strcmp(c, "__PRETTY_FUNCTION__") || !strcmp(c, "_entry") ||
	       (sym->sec && sym->sec->special);
}

/* Whether an object the included code uses is copied into the output. */
static bool copy_object(const struct symbol *sym)
{
	if (sym->status == NEW || is_per_use_object(sym))
		return true;
	/* a changed read-only object has no state: the new code gets a copy */
	return sym->status == CHANGED && !(sym->sec->sh.sh_flags & SHF_WRITE);
}

bool chunk_has(const struct section *sec, long off)
{
	size_t i;

	for (i = 0; i < sec->nr_chunks; i++)
		if (off >= (long)sec->chunks[i].start &&
		    off < (long)(sec->chunks[i].start + sec->chunks[i].len))
			return true;
	return false;
}

static void add_chunk(struct section *sec, unsigned long start, unsigned long len)
{
	size_t i, j;

	for (i = 0; i < sec->nr_chunks; i++) {
		struct chunk *c = &sec->chunks[i];

		if (start >= c->start && start + len <= c->start + c->len)
			return;	/* already in */
		if (start < c->start)
			break;
	}
	sec->chunks = xrealloc(sec->chunks, (sec->nr_chunks + 1) * sizeof(struct chunk));
	memmove(&sec->chunks[i + 1], &sec->chunks[i], (sec->nr_chunks - i) * sizeof(struct chunk));
	sec->chunks[i].start = start;
	sec->chunks[i].len = len;
	sec->nr_chunks++;
	/* merge overlaps, so that every byte is copied once */
	for (i = 0; i + 1 < sec->nr_chunks;) {
		struct chunk *a = &sec->chunks[i], *b = &sec->chunks[i + 1];

		if (b->start < a->start + a->len) {
			unsigned long end = a->start + a->len > b->start + b->len ?
					    a->start + a->len : b->start + b->len;

			a->len = end - a->start;
			for (j = i + 1; j + 1 < sec->nr_chunks; j++)
				sec->chunks[j] = sec->chunks[j + 1];
			sec->nr_chunks--;
		} else {
			i++;
		}
	}
}

/*
 * Code outside of any function (.altinstr_aux: the slow paths of
 * static_cpu_has(); older kernels' .fixup, entered from __ex_table
 * entries): copy only the block that off starts.
 */
static void include_block(struct cdo *cdo, struct section *sec, long off)
{
	if (off < 0 || (unsigned long)off >= sec->size)
		return;
	include_range(cdo, sec, off, block_end(sec, off) - off, NULL);
}

static void include_whole(struct cdo *cdo, struct section *sec)
{
	if (sec->nr_chunks == 1 && sec->chunks[0].start == 0 && sec->chunks[0].len == sec->size)
		return;
	include_range(cdo, sec, 0, sec->size, NULL);
}

void include_range(struct cdo *cdo, struct section *sec, unsigned long start,
		   unsigned long len, const char *loader_user)
{
	struct rela *r;

	add_chunk(sec, start, len);
	arch_check_decoded(cdo, sec, start, len);
	for (r = rela_at(sec, start); r && r < rela_end(sec) &&
	     r->offset < start + len; r++) {
		struct symbol *t = r->target;
		struct extref ref;

		if (r->string) {
			include_whole(cdo, t->sec);
			continue;
		}
		if (t->type == STT_SECTION) {
			/* anonymous data, or code outside functions */
			if (t->sec->special)
				continue;
			if (is_text(t->sec) && !t->sec->nr_syms)
				include_block(cdo, t->sec, rela_where(r));
			else
				include_whole(cdo, t->sec);
			continue;
		}
		if (t->include)
			continue;
		if (is_object(t) && t->sec && copy_object(t)) {
			include_symbol(cdo, t);
			continue;
		}
		if (is_func(t) && t->parent && t->parent->include)
			continue;	/* a cold part, included with its function */
		if (!resolve_extref(cdo, t, loader_user ? loader_user : sec->name, &ref))
			continue;
		if (loader_user && !ref.exported)
			refuse(cdo, "the %s code that the module loader patches into %s "
			       "refers to %s, which is not exported, and the loader "
			       "cannot resolve it: avoid alternatives (ALTERNATIVE(), "
			       "static_cpu_has()) that call non-exported functions in "
			       "the patched code", sec->name, loader_user, t->name);
	}
}

/*
 * Copy sym's bytes (already marked included) and what they use.  A
 * function's own section (-ffunction-sections) goes whole: with
 * CALL_PADDING it starts with the function's padding, which callers may
 * enter, named __pfx_ by objtool or not.
 */
static void copy_symbol(struct cdo *cdo, struct symbol *sym)
{
	struct section *sec = sym->sec;
	bool own = sec->nr_syms == 1 ||
		   (sec->nr_syms == 2 && sym->prefix && sym->prefix->value == 0);

	if (own && (sym->value == 0 || is_func(sym)))
		include_range(cdo, sec, 0, sec->size, NULL);
	else if (sym->prefix)
		include_range(cdo, sec, sym->prefix->value,
			      sym->value + sym->size - sym->prefix->value, NULL);
	else
		include_range(cdo, sec, sym->value, sym->size, NULL);
}

/* Mark a function's parts (cold part, padding) included with it. */
static void mark_parts(struct symbol *sym)
{
	if (sym->child)
		sym->child->include = true;
	if (sym->prefix)
		sym->prefix->include = true;
}

void include_symbol(struct cdo *cdo, struct symbol *sym)
{
	if (sym->include)
		return;
	sym->include = true;
	mark_parts(sym);
	copy_symbol(cdo, sym);
	if (sym->child)
		copy_symbol(cdo, sym->child);
}

static void check_exports(struct cdo *cdo)
{
	struct elf *e[2] = { cdo->orig, cdo->patched };
	size_t i, k;

	/* 6.5+: EXPORT_SYMBOL(x) makes symbol __export_symbol_x for modpost */
	for (k = 0; k < 2; k++)
		for (i = 1; i < e[k]->nr_syms; i++) {
			const char *name = e[k]->syms[i].name;

			if (strncmp(name, "__export_symbol_", 16) || !e[k]->syms[i].sec)
				continue;
			if (!find_symbol(e[!k], name))
				refuse(cdo, "export %s was %s: a patch cannot add, remove "
				       "or change exports; keep the EXPORT_SYMBOL lines as "
				       "they are (new code can use a function of the patch "
				       "directly)", name + 16, k ? "added" : "removed");
		}

	/* 6.1: EXPORT_SYMBOL(x) makes section ___ksymtab+x (or _gpl+x) */
	for (k = 0; k < 2; k++)
		for (i = 1; i < e[k]->nr_secs; i++) {
			struct section *sec = &e[k]->secs[i];
			struct section *other;

			if (strncmp(sec->name, "___ksymtab", 10))
				continue;
			other = find_section(e[!k], sec->name);
			if (!other)
				refuse(cdo, "export %s was %s (%s): a patch cannot add, "
				       "remove or change exports; keep the EXPORT_SYMBOL "
				       "lines as they are (new code can use a function of "
				       "the patch directly)", strchr(sec->name, '+') ?
				       strchr(sec->name, '+') + 1 : sec->name,
				       k ? "added or changed" : "removed or changed", sec->name);
		}
}

static void check_function(struct cdo *cdo, struct symbol *p)
{
	struct symbol *o = p->twin;

	if (p->unsplittable)
		refuse(cdo, "function %s changed (%s), but it shares section %s with "
		       "other functions and leaves itself through a short jump, "
		       "which cannot be relocated, so it cannot be taken out "
		       "safely; move the change to a function with its own section "
		       "(a caller or callee)",
		       p->name, p->why, p->sec->name);
	if (is_init_section(o->sec) || is_init_section(p->sec)) {
		refuse(cdo, "function %s is __init/__exit (section %s) and changed (%s): "
		       "it ran at boot or module load and its memory is freed, so it "
		       "cannot be patched; do the work in a post-patch callback "
		       "(KPATCH_POST_PATCH_CALLBACK), or mark it "
		       "KPATCH_IGNORE_FUNCTION(%s) if the change only matters at boot",
		       p->name, p->sec->name, p->why, p->name);
		return;
	}
	if (!arch_has_ftrace_entry(o))
		refuse(cdo, "function %s changed (%s), but the running kernel's %s has "
		       "no ftrace entry (no call to __fentry__ at its start: notrace, "
		       "or not instrumented), so it cannot be redirected; change its "
		       "callers instead, or mark it KPATCH_IGNORE_FUNCTION(%s) if the "
		       "change does not need to take effect", p->name, p->why, p->name,
		       p->name);
}

static void check_data(struct cdo *cdo)
{
	struct elf *elf = cdo->patched;
	size_t i;

	for (i = 1; i < elf->nr_syms; i++) {
		struct symbol *p = &elf->syms[i];

		if (!is_object(p) || p->status != CHANGED || p->special_data ||
		    p->sec->ignore || is_per_use_object(p) ||
		    !(p->sec->sh.sh_flags & SHF_WRITE))
			continue;
		refuse(cdo, "variable %s (section %s) changed its initial value (%s): "
		       "the running kernel already uses it and a patch cannot change "
		       "it; keep its definition unchanged and set the new value in a "
		       "pre-patch callback (KPATCH_PRE_PATCH_CALLBACK), or attach new "
		       "fields with shadow variables (klp_shadow_get_or_alloc()); if "
		       "the change is harmless, use KPATCH_IGNORE_SECTION(\"%s\")",
		       p->name, p->sec->name, p->why, p->sec->name);
	}
}

static void include_callbacks(struct cdo *cdo)
{
	struct elf *elf = cdo->patched;
	size_t i, j;

	for (i = 1; i < elf->nr_secs; i++) {
		struct section *sec = &elf->secs[i];

		if (is_rela(sec) || strncmp(sec->name, ".kpatch.callbacks.", 18))
			continue;
		for (j = 0; j < sec->nr_relas; j++) {
			struct symbol *fn = sec->relas[j].target;

			if (!is_func(fn)) {
				refuse(cdo, "%s entry points to %s, not a function",
				       sec->name, fn->name);
				continue;
			}
			if (!fn->include)
				debug("including callback %s (%s)", fn->name, sec->name);
			include_symbol(cdo, fn);
		}
		if (sec->nr_relas)
			include_range(cdo, sec, 0, sec->size, NULL);
	}
}

/* Sections that point into functions but never matter to a patch. */
static bool is_inert_section(const char *name)
{
	static const char * const prefixes[] = {
		".discard", ".debug", ".rela", "___ksymtab", "__ksymtab", ".init.",
		".exit.", ".note", ".comment", ".initcall", ".con_initcall",
		"__param", ".kpatch.", ".eh_frame", ".data", ".rodata", ".bss",
		".text", ".ref.", ".meminit", ".sched.text", ".noinstr.text",
		".cpuidle.text", ".entry.text", ".kprobes.text", ".spinlock.text",
		".lock.text", ".head.text", ".altinstr_aux", "__tracepoints",
		"_ftrace_events", "_ftrace_eval_map", "__syscalls_metadata",
		"__kprobe_blacklist", "_error_injection_whitelist", ".modinfo",
		".gnu.linkonce", "__bpf_raw_tp_map", "__jump_table",
		".export_symbol", NULL,
	};
	int i;

	for (i = 0; prefixes[i]; i++)
		if (!strncmp(name, prefixes[i], strlen(prefixes[i])))
			return true;
	return false;
}

static void check_unknown_sections(struct cdo *cdo)
{
	struct elf *elf = cdo->patched;
	size_t i, j;

	for (i = 1; i < elf->nr_secs; i++) {
		struct section *sec = &elf->secs[i];

		/*
		 * Code outside functions (.fixup) points back into the
		 * functions that enter it; its blocks come with what enters
		 * them (include_block()).
		 */
		if (is_rela(sec) || sec->special || sec->marker || sec->nr_syms ||
		    is_inert_section(sec->name) || !(sec->sh.sh_flags & SHF_ALLOC) ||
		    is_text(sec))
			continue;
		for (j = 0; j < sec->nr_relas; j++) {
			struct symbol *t = sec->relas[j].target;

			if (is_func(t) && owner_function(t)->include) {
				refuse(cdo, "section %s has entries that point into %s, which "
				       "the patch replaces, and create-diff-object does not "
				       "know what they mean; leave %s unchanged or teach "
				       "special.c about %s", sec->name, t->name, t->name,
				       sec->name);
				break;
			}
		}
	}
}

/*
 * Where the "import_ns=NS" of a .modinfo string starts: at its beginning
 * in a module's object; after "MODNAME." in built-in code, whose
 * MODULE_INFO() strings carry that prefix (modules.builtin.modinfo).
 */
static const char *import_ns(const char *s)
{
	const char *dot = strchr(s, '.');

	if (!strncmp(s, "import_ns=", 10))
		return s;
	if (dot && !memchr(s, '=', dot - s) && !strncmp(dot + 1, "import_ns=", 10))
		return dot + 1;
	return NULL;
}

/*
 * MODULE_IMPORT_NS(): the namespaces whose exports the object may use.
 * The patch module uses the same exports, and the loader refuses a module
 * that uses a namespaced export without importing its namespace.  The
 * copy starts at "import_ns=", so a built-in object's prefix is left out:
 * the patch module imports NS as a module does.
 */
static void include_namespaces(struct cdo *cdo)
{
	struct section *sec = find_section(cdo->patched, ".modinfo");
	size_t off = 0, len;

	if (!sec || !sec->data)
		return;
	while (off < sec->size) {
		const char *s = (const char *)sec->data + off;
		const char *end = memchr(s, 0, sec->size - off);
		const char *ns = end ? import_ns(s) : NULL;

		len = end ? (size_t)(end - s) + 1 : sec->size - off;
		if (ns) {
			debug("carrying %s (.modinfo%s)", ns,
			      ns == s ? "" : ", without the built-in prefix");
			include_range(cdo, sec, off + (ns - s), len - (ns - s), NULL);
		}
		off += len;
	}
}

void include(struct cdo *cdo)
{
	struct elf *elf = cdo->patched;
	size_t i;

	check_exports(cdo);
	check_data(cdo);
	/*
	 * Mark every changed and new function first, so that references
	 * between them stay inside the output whatever their order.
	 */
	for (i = 1; i < elf->nr_syms; i++) {
		struct symbol *p = &elf->syms[i];

		if (is_func(p) && p->sec && !p->parent && p->status != SAME) {
			p->include = true;
			mark_parts(p);
		}
	}
	runtime_consts(cdo);
	for (i = 1; i < elf->nr_syms; i++) {
		struct symbol *p = &elf->syms[i];

		if (!is_func(p) || !p->sec || p->parent || p->status == SAME)
			continue;
		if (p->status == CHANGED) {
			check_function(cdo, p);
			if (!ksymtab_lookup(cdo->ksyms, cdo->orig, p->twin, &p->sympos))
				refuse(cdo, "changed function %s cannot be located in the "
				       "running kernel (see above)", p->twin->name);
		}
		debug("function %s: %s%s%s, included", p->name,
		      p->status == NEW ? "new" : "changed",
		      p->why ? ": " : "", p->why ? p->why : "");
		copy_symbol(cdo, p);
		if (p->child)
			copy_symbol(cdo, p->child);
	}
	include_callbacks(cdo);
	include_namespaces(cdo);
	special_include(cdo);
	check_unknown_sections(cdo);
	if (debug_enabled)
		for (i = 1; i < elf->nr_syms; i++) {
			struct symbol *p = &elf->syms[i];

			if (is_object(p) && p->include)
				debug("object %s: %s, included", p->name,
				      p->status == NEW ? "new" : p->status == CHANGED ?
				      "changed read-only data, copied" : "a per-use record");
			else if (is_func(p) && p->status == SAME && p->twin && !p->parent)
				debug("function %s: unchanged%s", p->name,
				      p->line_only ? " (only __LINE__ values moved)" : "");
		}
}

// SPDX-License-Identifier: GPL-2.0
/*
 * output.c - write the patch object: the chunks include.c chose, their
 * relocations, and the records of kpatch-abi.h.
 *
 * Every output section comes from one input section (its chunks, in
 * order, each aligned as the section was) or is a record section made
 * here.  A relocation is rewritten against the output symbol of what it
 * points to; one to a symbol the output does not carry stays an undefined
 * symbol if exported, and otherwise becomes a struct kpatch_reloc and
 * disappears, so the module loader never sees an unresolvable symbol.
 *
 * Nothing depends on addresses or hash order, so the same input gives the
 * same bytes.
 */
#include <fcntl.h>
#include <sys/stat.h>
#include <stdio.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "arch.h"
#include "cdo.h"

#include "kpatch-abi.h"
#include "symtab.h"

struct buf {
	unsigned char *data;
	size_t size, alloc;
};

static size_t buf_add(struct buf *b, const void *p, size_t n, size_t align)
{
	size_t off = align > 1 ? (b->size + align - 1) / align * align : b->size;

	if (off + n > b->alloc || !b->data) {
		b->alloc = (off + n) * 2 + 64;
		b->data = xrealloc(b->data, b->alloc);
	}
	memset(b->data + b->size, 0, off - b->size);
	if (p)
		memcpy(b->data + off, p, n);
	else
		memset(b->data + off, 0, n);
	b->size = off + n;
	return off;
}

struct osec {
	char *name;
	GElf_Shdr sh;
	struct buf data;
	struct buf relas;	/* Elf64_Rela with r_info symbol = osym code */
	unsigned int secsym;	/* osym code */
};

/*
 * Output symbols: locals first, as ELF requires.  Until the table is
 * written, a symbol is named by a code: local n is n, global n is -(n + 1).
 */
struct out {
	struct osec *secs;
	size_t nr_secs;
	Elf64_Sym *locals, *globals;
	size_t nr_locals, nr_globals;
	struct buf strtab, kstrings;
	struct cdo *cdo;
};

static size_t add_string(struct buf *b, const char *s)
{
	size_t len = strlen(s) + 1, off = 0;

	/* record strings repeat (objname): reuse an existing copy */
	while (off < b->size) {
		if (!strcmp((char *)b->data + off, s))
			return off;
		off += strlen((char *)b->data + off) + 1;
	}
	return buf_add(b, s, len, 1);
}

static int add_sym(struct out *o, const char *name, unsigned char bind,
		   unsigned char type, unsigned int shndx, unsigned long value,
		   unsigned long size)
{
	Elf64_Sym s = {
		.st_name = *name ? add_string(&o->strtab, name) : 0,
		.st_info = GELF_ST_INFO(bind, type),
		.st_shndx = shndx,
		.st_value = value,
		.st_size = size,
	};

	if (bind == STB_LOCAL) {
		o->locals = xrealloc(o->locals, (o->nr_locals + 1) * sizeof(s));
		o->locals[o->nr_locals] = s;
		return o->nr_locals++;
	}
	o->globals = xrealloc(o->globals, (o->nr_globals + 1) * sizeof(s));
	o->globals[o->nr_globals] = s;
	return -(int)(o->nr_globals++) - 1;
}

static unsigned int sym_index(struct out *o, int code)
{
	return code >= 0 ? (unsigned int)code : o->nr_locals + (unsigned int)(-code - 1);
}

static int undefined_sym(struct out *o, const char *name, bool weak)
{
	size_t i;

	for (i = 0; i < o->nr_globals; i++)
		if (o->globals[i].st_shndx == SHN_UNDEF &&
		    !strcmp((char *)o->strtab.data + o->globals[i].st_name, name))
			return -(int)i - 1;
	return add_sym(o, name, weak ? STB_WEAK : STB_GLOBAL, STT_NOTYPE, SHN_UNDEF, 0, 0);
}

static struct osec *new_osec(struct out *o, const char *name, unsigned int type,
			     unsigned long flags, unsigned long align)
{
	struct osec *s;

	o->secs = xrealloc(o->secs, (o->nr_secs + 1) * sizeof(*s));
	s = &o->secs[o->nr_secs++];
	memset(s, 0, sizeof(*s));
	s->name = xstrdup(name);
	s->sh.sh_type = type;
	s->sh.sh_flags = flags;
	s->sh.sh_addralign = align ? align : 1;
	/* section symbols come first; index 0 is the null symbol */
	s->secsym = add_sym(o, "", STB_LOCAL, STT_SECTION, o->nr_secs, 0, 0);
	return s;
}

static void add_rela(struct osec *s, unsigned long offset, unsigned int type,
		     int symcode, long addend)
{
	Elf64_Rela r = {
		.r_offset = offset,
		.r_info = GELF_R_INFO((unsigned int)symcode, type),
		.r_addend = addend,
	};

	buf_add(&s->relas, &r, sizeof(r), 1);
}

/* The chunk of sec holding offset off (its end counts), or NULL. */
static struct chunk *find_chunk(struct section *sec, long off)
{
	size_t i;

	for (i = 0; i < sec->nr_chunks; i++)
		if (off >= (long)sec->chunks[i].start &&
		    off <= (long)(sec->chunks[i].start + sec->chunks[i].len))
			return &sec->chunks[i];
	return NULL;
}

static struct chunk *find_target_chunk(const struct rela *r)
{
	struct section *sec = r->target->sec;

	if (r->string)
		return find_chunk(sec, r->string - (const char *)sec->data);
	return find_chunk(sec, rela_where(r));
}

static size_t kstring(struct out *o, const char *s)
{
	return add_string(&o->kstrings, s);
}

/*
 * The symbol a livepatch relocation refers to, named as the kernel's
 * klp_resolve_symbols() parses it: .klp.sym.OBJNAME.NAME,SYMPOS.  Weak
 * and undefined here, so that ld -r and modpost let it through (modpost
 * reports only strong undefined symbols nobody exports); klp_convert()
 * gives it SHN_LIVEPATCH in the linked module.
 */
static int klp_sym(struct out *o, const struct extref *ext)
{
	char name[KLP_NAME_MAX];

	snprintf(name, sizeof(name), KLP_SYM_PREFIX "%s.%s,%u", ext->objname,
		 ext->name, ext->sympos);
	return undefined_sym(o, name, true);
}

/* Point the 64-bit slot at offset of rec to .kpatch.strings + soff. */
static void string_slot(struct osec *rec, size_t offset, size_t soff,
			struct osec *strings)
{
	add_rela(rec, offset, arch_abs64(), strings->secsym, soff);
}

static int copy_relas(struct out *o, struct section *sec, struct osec *os,
		      struct osec *krel, struct osec *strings)
{
	struct cdo *cdo = o->cdo;
	size_t i;

	for (i = 0; i < sec->nr_chunks; i++) {
		struct chunk *c = &sec->chunks[i];
		struct rela *r;

		for (r = rela_at(sec, c->start); r && r < rela_end(sec) &&
		     r->offset < c->start + c->len; r++) {
			unsigned long off = c->out_start + r->offset - c->start;
			struct symbol *t = r->target;

			if (r->type == R_X86_64_NONE)
				continue;
			if (r->string || t->type == STT_SECTION) {
				struct section *ts = r->target->sec;
				struct chunk *tc = find_target_chunk(r);

				if (!tc || !ts->out_index) {
					error("%s+%#lx: reference to %s+%#lx which is not in "
					      "the output (internal error)", sec->name,
					      r->offset, ts->name, r->soff);
					return -1;
				}
				add_rela(os, off, r->type, ts->out_secsym,
					 r->soff + (long)tc->out_start - (long)tc->start);
			} else if (t->include) {
				add_rela(os, off, r->type, t->out_index, r->toff);
			} else if (r->klp && t->ext && !t->ext->exported) {
				add_rela(os, off, r->type, klp_sym(o, t->ext), r->toff);
			} else if (t->ext && t->ext->exported) {
				add_rela(os, off, r->type,
					 undefined_sym(o, t->ext->name, t->bind == STB_WEAK),
					 r->toff);
			} else if (t->ext) {
				struct kpatch_reloc rec = {
					.addend = r->toff,
					.size = t->ext->size,
					.type = r->type,
					.sympos = t->ext->sympos,
				};
				size_t at = buf_add(&krel->data, &rec, sizeof(rec), 8);

				add_rela(krel, at + offsetof(struct kpatch_reloc, dest),
					 arch_abs64(), os->secsym, off);
				string_slot(krel, at + offsetof(struct kpatch_reloc, name),
					    kstring(o, t->ext->name), strings);
				string_slot(krel, at + offsetof(struct kpatch_reloc, objname),
					    kstring(o, t->ext->objname), strings);
			} else {
				error("%s+%#lx: reference to %s was never resolved "
				      "(internal error)", sec->name, r->offset, t->name);
				return -1;
			}
		}
	}
	/* a callback record's objname is this object */
	if (!strncmp(sec->name, ".kpatch.callbacks.", 18))
		for (i = 0; i + sizeof(struct kpatch_callback) <= os->data.size;
		     i += sizeof(struct kpatch_callback))
			string_slot(os, i + offsetof(struct kpatch_callback, objname),
				    kstring(o, cdo->opts.object), strings);
	return 0;
}

/* Lay out the chunks of every input section that has some. */
static void build_sections(struct out *o)
{
	struct elf *elf = o->cdo->patched;
	size_t i, j;

	for (i = 1; i < elf->nr_secs; i++) {
		struct section *sec = &elf->secs[i];
		struct osec *os;

		if (!sec->nr_chunks)
			continue;
		os = new_osec(o, sec->name, sec->sh.sh_type, sec->sh.sh_flags,
			      sec->sh.sh_addralign);
		os->sh.sh_entsize = sec->sh.sh_entsize;
		sec->out_index = o->nr_secs;
		sec->out_secsym = os->secsym;
		for (j = 0; j < sec->nr_chunks; j++) {
			struct chunk *c = &sec->chunks[j];

			c->out_start = buf_add(&os->data, sec->data ? sec->data + c->start : NULL,
					       c->len, os->sh.sh_addralign);
		}
	}
	/*
	 * SHF_LINK_ORDER sections (-fpatchable-function-entry's
	 * __patchable_function_entries with CALL_PADDING) stay linked to a
	 * text section of the output: ld refuses to merge an unlinked one
	 * with the linked ones of patch-hook.o ("both ordered and unordered
	 * sections").  gcc 12 links the one such section of an object to the
	 * first function's section even with -ffunction-sections, which may
	 * not be carried: then the section of the first carried entry's
	 * function.
	 */
	for (i = 1; i < elf->nr_secs; i++) {
		struct section *sec = &elf->secs[i], *to = NULL;
		struct rela *r;

		if (!sec->nr_chunks || !(sec->sh.sh_flags & SHF_LINK_ORDER))
			continue;
		if (sec->sh.sh_link > 0 && sec->sh.sh_link < elf->nr_secs &&
		    elf->secs[sec->sh.sh_link].out_index)
			to = &elf->secs[sec->sh.sh_link];
		r = rela_at(sec, sec->chunks[0].start);
		if (!to && r && r->sym && r->sym->sec && r->sym->sec->out_index)
			to = r->sym->sec;
		if (to)
			o->secs[sec->out_index - 1].sh.sh_link = to->out_index;
		else
			o->secs[sec->out_index - 1].sh.sh_flags &= ~(unsigned long)SHF_LINK_ORDER;
	}
}

/*
 * A changed function is local in the output: it replaces the running
 * kernel's through ftrace, and nothing else linked into the patch module
 * may bind to it by name instead of to the kernel's.
 */
static unsigned char out_bind(const struct symbol *sym)
{
	return is_func(sym) && sym->status == CHANGED ? STB_LOCAL : sym->bind;
}

static void build_symbols(struct out *o, unsigned char bind)
{
	struct elf *elf = o->cdo->patched;
	size_t i;

	for (i = 1; i < elf->nr_syms; i++) {
		struct symbol *sym = &elf->syms[i];
		struct chunk *c;

		if (!sym->include || (out_bind(sym) == STB_LOCAL) != (bind == STB_LOCAL))
			continue;
		c = find_chunk(sym->sec, sym->value);
		sym->out_index = add_sym(o, sym->name, out_bind(sym), sym->type,
					 sym->sec->out_index,
					 c->out_start + sym->value - c->start, sym->size);
	}
}

/* The cold parts of the replacement @p and of the function it replaces. */
static void build_func_cold(struct out *o, struct osec *funcs,
			    struct osec *strings, struct symbol *p, size_t at)
{
	struct kpatch_func *rec;
	struct symbol *old = p->twin->child;
	unsigned int sympos = 0;

	if (old && !ksymtab_lookup(o->cdo->ksyms, o->cdo->orig, old, &sympos))
		error("the cold part %s of changed function %s cannot be located "
		      "in the running kernel (see above)", old->name, p->twin->name);
	rec = (struct kpatch_func *)((char *)funcs->data.data + at);
	if (p->child) {
		rec->new_cold_size = p->child->size;
		add_rela(funcs, at + offsetof(struct kpatch_func, new_cold_addr),
			 arch_abs64(), p->child->out_index, 0);
	}
	if (old) {
		rec->old_cold_size = old->size;
		rec->old_cold_sympos = sympos;
		string_slot(funcs, at + offsetof(struct kpatch_func, old_cold_name),
			    kstring(o, old->name), strings);
	}
}

static void build_funcs(struct out *o, struct osec *funcs, struct osec *strings)
{
	struct cdo *cdo = o->cdo;
	struct elf *elf = cdo->patched;
	size_t i;

	for (i = 1; i < elf->nr_syms; i++) {
		struct symbol *p = &elf->syms[i];
		struct kpatch_func rec;
		size_t at;

		if (!is_func(p) || !p->include || p->status != CHANGED || p->parent)
			continue;
		memset(&rec, 0, sizeof(rec));
		rec.old_size = p->twin->size;
		rec.new_size = p->size;
		rec.sympos = p->sympos;
		rec.flags = p->force ? KPATCH_FUNC_FORCE : 0;
		at = buf_add(&funcs->data, &rec, sizeof(rec), 8);
		add_rela(funcs, at + offsetof(struct kpatch_func, new_addr), arch_abs64(),
			 p->out_index, 0);
		string_slot(funcs, at + offsetof(struct kpatch_func, name),
			    kstring(o, p->twin->name), strings);
		string_slot(funcs, at + offsetof(struct kpatch_func, objname),
			    kstring(o, cdo->opts.object), strings);
		build_func_cold(o, funcs, strings, p, at);
	}
}

/*
 * Open where the output goes.  A regular file is written under a temporary
 * name beside it (*tmp) and renamed into place when complete, so that a
 * failure never leaves half an object nor removes an earlier one.  Anything
 * else (a device, a pipe) is written as it is and never removed.
 */
static int open_output(const char *path, char **tmp)
{
	struct stat st;
	int fd;

	*tmp = NULL;
	if (!stat(path, &st) && !S_ISREG(st.st_mode)) {
		fd = open(path, O_WRONLY);
		if (fd < 0)
			error("cannot open %s: %m", path);
		return fd;
	}
	*tmp = xmalloc(strlen(path) + sizeof(".XXXXXX"));
	sprintf(*tmp, "%s.XXXXXX", path);
	fd = mkstemp(*tmp);
	if (fd < 0 || fchmod(fd, 0644)) {
		error("cannot create %s: %m", path);
		if (fd >= 0) {
			close(fd);
			unlink(*tmp);
		}
		free(*tmp);
		*tmp = NULL;
		return -1;
	}
	return fd;
}

static int write_elf(struct out *o, const char *path)
{
	struct buf shstr = { 0 }, symdata = { 0 };
	size_t nr_content = o->nr_secs, i, nrela = 0;
	unsigned int symtab_idx, strtab_idx, shstr_idx;
	GElf_Ehdr ehdr;
	Elf *e;
	char *tmp;
	int fd, ret = -1;

	for (i = 0; i < nr_content; i++)
		nrela += o->secs[i].relas.size > 0;
	symtab_idx = nr_content + nrela + 1;
	strtab_idx = symtab_idx + 1;
	shstr_idx = strtab_idx + 1;

	/* the symbol table, with relocation symbol codes made indices */
	buf_add(&symdata, NULL, sizeof(Elf64_Sym), 1);
	buf_add(&symdata, o->locals, o->nr_locals * sizeof(Elf64_Sym), 1);
	buf_add(&symdata, o->globals, o->nr_globals * sizeof(Elf64_Sym), 1);
	/* code 0 is the first section symbol: shift all by the null symbol */
	for (i = 0; i < nr_content; i++) {
		Elf64_Rela *r = (Elf64_Rela *)o->secs[i].relas.data;
		size_t n = o->secs[i].relas.size / sizeof(*r), k;

		for (k = 0; k < n; k++)
			r[k].r_info = GELF_R_INFO(sym_index(o, (int)GELF_R_SYM(r[k].r_info)) + 1,
						  GELF_R_TYPE(r[k].r_info));
	}

	fd = open_output(path, &tmp);
	if (fd < 0)
		return -1;
	e = elf_begin(fd, ELF_C_WRITE, NULL);
	if (!e || !gelf_newehdr(e, ELFCLASS64) || !gelf_getehdr(e, &ehdr))
		goto out;
	ehdr.e_ident[EI_DATA] = ELFDATA2LSB;
	ehdr.e_ident[EI_OSABI] = ELFOSABI_NONE;
	ehdr.e_machine = EM_X86_64;
	ehdr.e_type = ET_REL;
	ehdr.e_version = EV_CURRENT;
	ehdr.e_shstrndx = shstr_idx;
	if (!gelf_update_ehdr(e, &ehdr))
		goto out;
	buf_add(&shstr, "", 1, 1);

#define NEWSEC(nm, shdr, ptr, len, al) do {				\
	Elf_Scn *scn = elf_newscn(e);					\
	Elf_Data *d = scn ? elf_newdata(scn) : NULL;			\
	GElf_Shdr _sh = (shdr);						\
	if (!d)								\
		goto out;						\
	d->d_buf = (ptr);						\
	d->d_size = (len);						\
	d->d_type = ELF_T_BYTE;						\
	d->d_align = (al);						\
	_sh.sh_name = add_string(&shstr, (nm));				\
	_sh.sh_size = (len);						\
	if (!gelf_update_shdr(scn, &_sh))				\
		goto out;						\
} while (0)

	for (i = 0; i < nr_content; i++) {
		struct osec *s = &o->secs[i];

		NEWSEC(s->name, s->sh, s->sh.sh_type == SHT_NOBITS ? NULL : s->data.data,
		       s->data.size, s->sh.sh_addralign);
	}
	for (i = 0; i < nr_content; i++) {
		struct osec *s = &o->secs[i];
		GElf_Shdr sh = {
			.sh_type = SHT_RELA, .sh_flags = SHF_INFO_LINK,
			.sh_link = symtab_idx, .sh_info = i + 1,
			.sh_entsize = sizeof(Elf64_Rela), .sh_addralign = 8,
		};
		char name[512];

		if (!s->relas.size)
			continue;
		snprintf(name, sizeof(name), ".rela%s", s->name);
		NEWSEC(name, sh, s->relas.data, s->relas.size, 8);
	}
	{
		GElf_Shdr sym = {
			.sh_type = SHT_SYMTAB, .sh_link = strtab_idx,
			.sh_info = o->nr_locals + 1, .sh_entsize = sizeof(Elf64_Sym),
			.sh_addralign = 8,
		};
		GElf_Shdr str = { .sh_type = SHT_STRTAB, .sh_addralign = 1 };

		NEWSEC(".symtab", sym, symdata.data, symdata.size, 8);
		NEWSEC(".strtab", str, o->strtab.data, o->strtab.size, 1);
		add_string(&shstr, ".shstrtab");
		NEWSEC(".shstrtab", str, shstr.data, shstr.size, 1);
	}
#undef NEWSEC
	if (elf_update(e, ELF_C_WRITE) < 0) {
		error("writing %s: %s", path, elf_errmsg(-1));
		goto out;
	}
	ret = 0;
out:
	if (ret && elf_errno())
		error("writing %s: %s", path, elf_errmsg(-1));
	if (e)
		elf_end(e);
	if (close(fd) && !ret) {
		error("writing %s: %m", path);
		ret = -1;
	}
	if (tmp) {
		if (!ret && rename(tmp, path)) {
			error("cannot create %s: %m", path);
			ret = -1;
		}
		if (ret)
			unlink(tmp);
		free(tmp);
	}
	free(shstr.data);
	free(symdata.data);
	return ret;
}

int write_output(struct cdo *cdo, const char *path)
{
	struct out o = { .cdo = cdo };
	struct osec *funcs, *krel, *strings;
	size_t i, nr_input;
	int ret = -1;

	buf_add(&o.strtab, "", 1, 1);
	build_sections(&o);
	nr_input = o.nr_secs;
	funcs = new_osec(&o, KPATCH_FUNCS_SECTION, SHT_PROGBITS, SHF_ALLOC, 8);
	krel = new_osec(&o, KPATCH_RELOCS_SECTION, SHT_PROGBITS, SHF_ALLOC, 8);
	strings = new_osec(&o, KPATCH_STRINGS_SECTION, SHT_PROGBITS,
			   SHF_ALLOC | SHF_MERGE | SHF_STRINGS, 1);
	strings->sh.sh_entsize = 1;
	/* new_osec() may move the array: look the sections up again below */
	new_osec(&o, ".note.GNU-stack", SHT_PROGBITS, 0, 1);
	funcs = &o.secs[nr_input];
	krel = &o.secs[nr_input + 1];
	strings = &o.secs[nr_input + 2];
	build_symbols(&o, STB_LOCAL);
	build_symbols(&o, STB_GLOBAL);
	for (i = 1; i < cdo->patched->nr_secs; i++) {
		struct section *sec = &cdo->patched->secs[i];

		if (sec->out_index &&
		    copy_relas(&o, sec, &o.secs[sec->out_index - 1], krel, strings))
			goto out;
	}
	build_funcs(&o, funcs, strings);
	/* written last: every record above added its strings */
	buf_add(&strings->data, o.kstrings.data, o.kstrings.size, 1);
	ret = write_elf(&o, path);
out:
	for (i = 0; i < o.nr_secs; i++) {
		free(o.secs[i].name);
		free(o.secs[i].data.data);
		free(o.secs[i].relas.data);
	}
	free(o.secs);
	free(o.locals);
	free(o.globals);
	free(o.strtab.data);
	free(o.kstrings.data);
	return ret;
}

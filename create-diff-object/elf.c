// SPDX-License-Identifier: GPL-2.0
/*
 * elf.c - read a relocatable x86-64 ELF object into the model of elf.h.
 *
 * Input may be anything (the fuzzer feeds it garbage), so every index and
 * offset taken from the file is checked before use and a malformed object
 * is reported with what is wrong, never trusted.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "arch.h"
#include "cdo.h"
#include "elf.h"

/* More zeroed data than any kernel object has (1 GiB). */
#define MAX_NOBITS (1UL << 30)

static unsigned long hash_name(const char *name)
{
	unsigned long h = 14695981039346656037UL;

	while (*name)
		h = (h ^ (unsigned char)*name++) * 1099511628211UL;
	return h;
}

#define bad(elf, fmt, ...) do {					\
	error("%s: malformed object: " fmt, (elf)->path, ##__VA_ARGS__);	\
	return -1;							\
} while (0)

bool is_rela(const struct section *sec)
{
	return sec->sh.sh_type == SHT_RELA;
}

bool is_text(const struct section *sec)
{
	return sec->sh.sh_type == SHT_PROGBITS && (sec->sh.sh_flags & SHF_EXECINSTR);
}

bool is_string_section(const struct section *sec)
{
	return (sec->sh.sh_flags & SHF_STRINGS) && sec->sh.sh_entsize <= 1 &&
	       sec->data;
}

bool is_func(const struct symbol *sym)
{
	return sym->type == STT_FUNC;
}

bool is_object(const struct symbol *sym)
{
	return sym->type == STT_OBJECT;
}

const char *string_at(const struct section *sec, long offset)
{
	if (!is_string_section(sec) || offset < 0 || (size_t)offset >= sec->size)
		return NULL;
	if (offset > 0 && sec->data[offset - 1])
		return NULL;	/* not the start of a literal */
	if (!memchr(sec->data + offset, 0, sec->size - offset))
		return NULL;
	return (const char *)sec->data + offset;
}

struct section *find_section(struct elf *elf, const char *name)
{
	struct section *sec;

	for (sec = elf->sec_hash[hash_name(name) % elf->hash_size]; sec;
	     sec = sec->hash_next)
		if (!strcmp(sec->name, name))
			return sec;
	return NULL;
}

struct symbol *find_symbol(struct elf *elf, const char *name)
{
	struct symbol *sym;

	for (sym = elf->sym_hash[hash_name(name) % elf->hash_size]; sym;
	     sym = sym->hash_next)
		if (!strcmp(sym->name, name))
			return sym;
	return NULL;
}

/* The next symbol with the same name as sym (static functions may repeat). */
struct symbol *find_symbol_next(struct symbol *sym)
{
	struct symbol *s;

	for (s = sym->hash_next; s; s = s->hash_next)
		if (!strcmp(s->name, sym->name))
			return s;
	return NULL;
}

struct symbol *symbol_at(struct section *sec, unsigned long offset)
{
	size_t lo = 0, hi = sec->nr_syms, k;

	/* last symbol with value <= offset */
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;

		if (sec->syms[mid]->value <= offset)
			lo = mid + 1;
		else
			hi = mid;
	}
	/*
	 * Walk back over the ones that end before offset: zero-sized
	 * symbols (lockdep keys) may sit at the same address as the object.
	 */
	for (k = lo; k-- > 0 && lo - k <= 16;) {
		struct symbol *sym = sec->syms[k];

		if (offset < sym->value + sym->size)
			return sym;
	}
	return NULL;
}

struct rela *rela_at(struct section *sec, unsigned long offset)
{
	size_t lo = 0, hi = sec->nr_relas;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;

		if (sec->relas[mid].offset < offset)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < sec->nr_relas ? &sec->relas[lo] : NULL;
}

static int cmp_sym_value(const void *a, const void *b)
{
	const struct symbol *x = *(struct symbol * const *)a;
	const struct symbol *y = *(struct symbol * const *)b;

	if (x->value != y->value)
		return x->value < y->value ? -1 : 1;
	return x->index < y->index ? -1 : x->index > y->index;
}

static int cmp_rela_offset(const void *a, const void *b)
{
	const struct rela *x = a, *y = b;

	if (x->offset != y->offset)
		return x->offset < y->offset ? -1 : 1;
	return 0;
}

static int read_sections(struct elf *elf)
{
	size_t shnum, shstrndx, i;

	if (elf_getshdrnum(elf->elf, &shnum) || elf_getshdrstrndx(elf->elf, &shstrndx))
		bad(elf, "no section header table");
	if (shnum < 2 || shnum > 1000000 || shstrndx >= shnum)
		bad(elf, "%zu sections, string table %zu", shnum, shstrndx);
	elf->nr_secs = shnum;
	elf->secs = xcalloc(shnum, sizeof(*elf->secs));
	for (i = 1; i < shnum; i++) {
		struct section *sec = &elf->secs[i];
		Elf_Scn *scn = elf_getscn(elf->elf, i);
		const char *name;

		sec->index = i;
		if (!scn || !gelf_getshdr(scn, &sec->sh))
			bad(elf, "section %zu: %s", i, elf_errmsg(-1));
		name = elf_strptr(elf->elf, shstrndx, sec->sh.sh_name);
		if (!name)
			bad(elf, "section %zu has no name", i);
		sec->name = xstrdup(name);
		if (sec->sh.sh_type != SHT_NOBITS && sec->sh.sh_size) {
			Elf_Data *data = elf_getdata(scn, NULL);

			if (!data || data->d_size != sec->sh.sh_size || !data->d_buf ||
			    elf_getdata(scn, data))
				bad(elf, "section %s: unreadable contents", sec->name);
			sec->data = data->d_buf;
		}
		sec->size = sec->sh.sh_size;
		/*
		 * Zeroed data takes no room in the file, so nothing bounds its
		 * size but sense: the output would allocate it.
		 */
		if (sec->sh.sh_type == SHT_NOBITS && sec->size > MAX_NOBITS)
			bad(elf, "section %s: %zu bytes of zeroed data", sec->name, sec->size);
		/* the output pads to it: a power of two, within the same sense */
		if ((sec->sh.sh_addralign & (sec->sh.sh_addralign - 1)) ||
		    sec->sh.sh_addralign > MAX_NOBITS)
			bad(elf, "section %s: alignment %#lx", sec->name,
			    (unsigned long)sec->sh.sh_addralign);
		if (sec->sh.sh_type == SHT_REL)
			bad(elf, "section %s: SHT_REL relocations are not x86-64", sec->name);
	}
	return 0;
}

static int read_symbols(struct elf *elf)
{
	struct section *symtab = NULL, *strtab;
	Elf_Data *data;
	size_t i;

	for (i = 1; i < elf->nr_secs; i++) {
		if (elf->secs[i].sh.sh_type != SHT_SYMTAB)
			continue;
		if (symtab)
			bad(elf, "more than one symbol table");
		symtab = &elf->secs[i];
	}
	if (!symtab || !symtab->data || symtab->sh.sh_entsize != sizeof(Elf64_Sym))
		bad(elf, "no usable symbol table");
	if (symtab->sh.sh_link == 0 || symtab->sh.sh_link >= elf->nr_secs)
		bad(elf, "symbol table links to section %u", symtab->sh.sh_link);
	strtab = &elf->secs[symtab->sh.sh_link];
	if (strtab->sh.sh_type != SHT_STRTAB)
		bad(elf, "symbol table links to %s, not a string table", strtab->name);
	data = elf_getdata(elf_getscn(elf->elf, symtab->index), NULL);
	elf->nr_syms = symtab->size / sizeof(Elf64_Sym);
	elf->syms = xcalloc(elf->nr_syms ? elf->nr_syms : 1, sizeof(*elf->syms));
	for (i = 0; i < elf->nr_syms; i++) {
		struct symbol *sym = &elf->syms[i];
		const char *name;
		unsigned int shndx;

		sym->index = i;
		if (!gelf_getsym(data, i, &sym->sym))
			bad(elf, "symbol %zu unreadable", i);
		name = elf_strptr(elf->elf, strtab->index, sym->sym.st_name);
		if (!name)
			bad(elf, "symbol %zu has no name", i);
		sym->type = GELF_ST_TYPE(sym->sym.st_info);
		sym->bind = GELF_ST_BIND(sym->sym.st_info);
		sym->value = sym->sym.st_value;
		sym->size = sym->sym.st_size;
		shndx = sym->sym.st_shndx;
		if (shndx == SHN_XINDEX || shndx == SHN_COMMON)
			bad(elf, "symbol %s: section index %#x is not supported", name, shndx);
		if (shndx != SHN_UNDEF && shndx < SHN_LORESERVE) {
			if (shndx >= elf->nr_secs)
				bad(elf, "symbol %s: section %u out of range", name, shndx);
			sym->sec = &elf->secs[shndx];
		}
		if (sym->type == STT_SECTION) {
			if (!sym->sec)
				bad(elf, "section symbol %zu without a section", i);
			sym->name = xstrdup(sym->sec->name);
			if (!sym->sec->secsym)
				sym->sec->secsym = sym;
			continue;
		}
		sym->name = xstrdup(name);
		if ((is_func(sym) || is_object(sym)) && sym->sec) {
			if (sym->value > sym->sec->size ||
			    sym->size > sym->sec->size - sym->value)
				bad(elf, "symbol %s (%#lx+%#lx) is outside %s (%#zx bytes)",
				    name, sym->value, sym->size, sym->sec->name, sym->sec->size);
			sym->sec->nr_syms++;
		}
	}
	for (i = 1; i < elf->nr_secs; i++) {
		struct section *sec = &elf->secs[i];

		if (sec->nr_syms) {
			sec->syms = xcalloc(sec->nr_syms, sizeof(void *));
			sec->nr_syms = 0;
		}
		/*
		 * ld -r drops section symbols that nothing refers to, so
		 * references through a local label (.LC19, one per file
		 * linked) have no section symbol to be made relative to:
		 * give every section one, outside the symbol table.
		 */
		sec->elf = elf;
		if (!sec->secsym && !is_rela(sec)) {
			sec->own_secsym = xcalloc(1, sizeof(struct symbol));
			sec->secsym = sec->own_secsym;
			sec->secsym->name = xstrdup(sec->name);
			sec->secsym->type = STT_SECTION;
			sec->secsym->sec = sec;
		}
	}
	for (i = 0; i < elf->nr_syms; i++) {
		struct symbol *sym = &elf->syms[i];

		if ((is_func(sym) || is_object(sym)) && sym->sec)
			sym->sec->syms[sym->sec->nr_syms++] = sym;
	}
	for (i = 1; i < elf->nr_secs; i++)
		if (elf->secs[i].nr_syms)
			qsort(elf->secs[i].syms, elf->secs[i].nr_syms, sizeof(void *),
			      cmp_sym_value);
	return 0;
}

/* Find what a relocation points to; see struct rela. */
long rela_where(const struct rela *r)
{
	long where;

	if (__builtin_add_overflow(r->soff, arch_is_pcrel(r->type) ? r->pcadj : 0, &where))
		return -1;
	return where;
}

void elf_resolve_rela(struct rela *rela)
{
	struct symbol *sym = rela->sym;
	struct section *sec = sym->sec;
	struct symbol *cover = NULL;
	long where;

	rela->target = sym;
	rela->toff = rela->addend;
	rela->soff = rela->addend;
	if (sec && sym->type == STT_NOTYPE && sym->bind == STB_LOCAL) {
		/* a local label: the same as its section plus its value */
		if (__builtin_add_overflow(rela->soff, (long)sym->value, &rela->soff))
			rela->soff = -1;
		rela->target = sec->secsym ? sec->secsym : sym;
		rela->toff = rela->soff;
	} else if (sym->type != STT_SECTION) {
		return;
	}
	/* where the reference really points, in its section */
	where = rela_where(rela);
	if (is_string_section(sec)) {
		rela->string = string_at(sec, where);
		return;
	}
	if (where >= 0)
		cover = symbol_at(sec, where);
	/* &object[N] points just past it: -fdata-sections has one object */
	if (!cover && sec->nr_syms == 1)
		cover = sec->syms[0];
	if (cover) {
		rela->target = cover;
		rela->toff = rela->soff - (long)cover->value;
	}
}

static int read_relocations(struct elf *elf)
{
	size_t i, j;

	for (i = 1; i < elf->nr_secs; i++) {
		struct section *rsec = &elf->secs[i], *base;
		Elf_Data *data;

		if (!is_rela(rsec))
			continue;
		if (rsec->sh.sh_info == 0 || rsec->sh.sh_info >= elf->nr_secs ||
		    rsec->sh.sh_entsize != sizeof(Elf64_Rela))
			bad(elf, "%s: bad sh_info %u or entry size", rsec->name,
			    rsec->sh.sh_info);
		base = &elf->secs[rsec->sh.sh_info];
		if (base->rela || is_rela(base) || base->sh.sh_type == SHT_NULL)
			bad(elf, "%s: applies to %s", rsec->name, base->name);
		rsec->base = base;
		base->rela = rsec;
		base->nr_relas = rsec->size / sizeof(Elf64_Rela);
		base->relas = xcalloc(base->nr_relas ? base->nr_relas : 1, sizeof(struct rela));
		data = elf_getdata(elf_getscn(elf->elf, i), NULL);
		for (j = 0; j < base->nr_relas; j++) {
			struct rela *rela = &base->relas[j];
			GElf_Rela r;
			unsigned long sym;
			int size;

			if (!data || !gelf_getrela(data, j, &r))
				bad(elf, "%s: relocation %zu unreadable", rsec->name, j);
			rela->offset = r.r_offset;
			rela->type = GELF_R_TYPE(r.r_info);
			rela->addend = r.r_addend;
			sym = GELF_R_SYM(r.r_info);
			size = arch_reloc_size(rela->type);
			if (size < 0)
				bad(elf, "%s+%#lx: unsupported relocation type %u",
				    base->name, rela->offset, rela->type);
			if (sym == 0 || sym >= elf->nr_syms)
				bad(elf, "%s+%#lx: relocation against symbol %lu",
				    base->name, rela->offset, sym);
			if (rela->offset > base->size || (size_t)size > base->size - rela->offset)
				bad(elf, "%s: relocation at %#lx is outside the section",
				    base->name, rela->offset);
			rela->sym = &elf->syms[sym];
		}
		qsort(base->relas, base->nr_relas, sizeof(struct rela), cmp_rela_offset);
	}
	for (i = 1; i < elf->nr_secs; i++) {
		if (is_text(&elf->secs[i]))
			arch_decode_section(&elf->secs[i]);
		for (j = 0; j < elf->secs[i].nr_relas; j++)
			elf_resolve_rela(&elf->secs[i].relas[j]);
	}
	return 0;
}

static void build_hashes(struct elf *elf)
{
	size_t i, h;

	elf->hash_size = (elf->nr_syms + elf->nr_secs) | 1;
	elf->sym_hash = xcalloc(elf->hash_size, sizeof(void *));
	elf->sec_hash = xcalloc(elf->hash_size, sizeof(void *));
	/* in reverse, so that a chain lists same-named symbols in file order */
	for (i = elf->nr_syms; i-- > 1;) {
		struct symbol *sym = &elf->syms[i];

		if (sym->type == STT_SECTION || !*sym->name)
			continue;
		h = hash_name(sym->name) % elf->hash_size;
		sym->hash_next = elf->sym_hash[h];
		elf->sym_hash[h] = sym;
	}
	for (i = elf->nr_secs; i-- > 1;) {
		struct section *sec = &elf->secs[i];

		h = hash_name(sec->name) % elf->hash_size;
		sec->hash_next = elf->sec_hash[h];
		elf->sec_hash[h] = sec;
	}
}

/* Read the object in image (size bytes), which the model then owns. */
static struct elf *elf_read_image(const char *name, unsigned char *image, size_t size)
{
	struct elf *elf = xcalloc(1, sizeof(*elf));
	GElf_Ehdr ehdr;

	elf->path = name;
	elf->image = image;
	elf_version(EV_CURRENT);
	elf->elf = elf_memory((char *)elf->image, size);
	if (!elf->elf || elf_kind(elf->elf) != ELF_K_ELF || !gelf_getehdr(elf->elf, &ehdr)) {
		error("%s: not an ELF object", name);
		goto fail;
	}
	if (gelf_getclass(elf->elf) != ELFCLASS64 || ehdr.e_machine != EM_X86_64 ||
	    ehdr.e_type != ET_REL) {
		error("%s: not a relocatable x86-64 object (class %d, machine %d, type %d)",
		      name, gelf_getclass(elf->elf), ehdr.e_machine, ehdr.e_type);
		goto fail;
	}
	if (read_sections(elf) || read_symbols(elf) || read_relocations(elf))
		goto fail;
	build_hashes(elf);
	return elf;
fail:
	elf_free(elf);
	return NULL;
}

struct elf *elf_read_mem(const char *name, const void *buf, size_t size)
{
	unsigned char *image = xmalloc(size);

	memcpy(image, buf, size);
	return elf_read_image(name, image, size);
}

struct elf *elf_read_file(const char *path)
{
	unsigned char *buf;
	size_t size;

	buf = read_whole_file(path, &size);
	return buf ? elf_read_image(path, buf, size) : NULL;
}

struct symbol *elf_undefined_symbol(struct elf *elf, const char *name)
{
	struct symbol *sym;
	size_t i;

	for (sym = find_symbol(elf, name); sym; sym = find_symbol_next(sym))
		if (!sym->sec && sym->bind != STB_LOCAL)
			return sym;
	for (i = 0; i < elf->nr_extra_syms; i++)
		if (!strcmp(elf->extra_syms[i]->name, name))
			return elf->extra_syms[i];
	sym = xcalloc(1, sizeof(*sym));
	sym->name = xstrdup(name);
	sym->type = STT_NOTYPE;
	sym->bind = STB_GLOBAL;
	elf->extra_syms = xrealloc(elf->extra_syms,
				   (elf->nr_extra_syms + 1) * sizeof(sym));
	elf->extra_syms[elf->nr_extra_syms++] = sym;
	return sym;
}

void elf_add_rela(struct section *sec, unsigned long offset, unsigned int type,
		  struct symbol *sym, long addend, int pcadj)
{
	size_t i;
	struct rela *r;

	sec->relas = xrealloc(sec->relas, (sec->nr_relas + 1) * sizeof(*r));
	for (i = sec->nr_relas; i > 0 && sec->relas[i - 1].offset > offset; i--)
		;
	memmove(&sec->relas[i + 1], &sec->relas[i], (sec->nr_relas - i) * sizeof(*r));
	sec->nr_relas++;
	r = &sec->relas[i];
	memset(r, 0, sizeof(*r));
	r->offset = offset;
	r->type = type;
	r->sym = sym;
	r->addend = addend;
	r->pcadj = pcadj;
	elf_resolve_rela(r);
}

void elf_free(struct elf *elf)
{
	size_t i;

	if (!elf)
		return;
	for (i = 0; i < elf->nr_secs; i++) {
		free(elf->secs[i].name);
		free(elf->secs[i].relas);
		free(elf->secs[i].syms);
		free(elf->secs[i].chunks);
		free(elf->secs[i].entries);
		free(elf->secs[i].undecoded);
		if (elf->secs[i].own_secsym) {
			free(elf->secs[i].own_secsym->name);
			free(elf->secs[i].own_secsym->ext);
			free(elf->secs[i].own_secsym);
		}
	}
	for (i = 0; i < elf->nr_syms; i++) {
		free(elf->syms[i].name);
		free(elf->syms[i].why);
		free(elf->syms[i].ext);
	}
	for (i = 0; i < elf->nr_extra_syms; i++) {
		free(elf->extra_syms[i]->name);
		free(elf->extra_syms[i]->ext);
		free(elf->extra_syms[i]);
	}
	free(elf->extra_syms);
	free(elf->secs);
	free(elf->syms);
	free(elf->sym_hash);
	free(elf->sec_hash);
	if (elf->elf)
		elf_end(elf->elf);
	free(elf->image);
	free(elf);
}

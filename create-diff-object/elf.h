/* SPDX-License-Identifier: GPL-2.0 */
/*
 * elf.h - an in-memory model of a relocatable ELF object.
 *
 * The reader turns an object into arrays of sections and symbols with their
 * relocations attached to the section they apply to.  Everything is checked
 * on the way in (indices, offsets, string table references), so the passes
 * that follow can trust the model and never touch raw ELF again.
 */
#ifndef _CDO_ELF_H
#define _CDO_ELF_H

#include <gelf.h>
#include <stdbool.h>
#include <stddef.h>

enum status {
	SAME,		/* has a twin with identical contents */
	CHANGED,	/* has a twin, contents differ */
	NEW,		/* no twin */
};

struct symbol;
struct section;

struct rela {
	unsigned long offset;	/* r_offset in the section it applies to */
	unsigned int type;
	long addend;
	struct symbol *sym;	/* as written in the file */
	/*
	 * Where the relocation really points: the function or object that
	 * covers the target of a section-symbol relocation, and the addend
	 * relative to it.  For a string section, sym and addend stay as
	 * they are and string names the literal.
	 */
	struct symbol *target;
	long toff;
	const char *string;
	/*
	 * The addend relative to the start of the target's section: a
	 * reference through a local label (.LC0) is one through its section.
	 */
	long soff;
	/*
	 * For a PC-relative reference in code: from the relocated field to
	 * the end of its instruction, where the CPU's PC is (4 for a call,
	 * more with an immediate operand after the displacement).
	 */
	int pcadj;
	/*
	 * In code Zydis could not decode (arch_decode_section()): pcadj is
	 * unknown, so where a section-relative reference points is too.
	 */
	bool unlocated;
	/*
	 * A loader-time key (special.c) that goes through the kernel's
	 * livepatch relocations: written against .klp.sym.vmlinux.NAME,POS.
	 */
	bool klp;
};

struct section {
	char *name;
	unsigned int index;
	GElf_Shdr sh;
	unsigned char *data;	/* NULL for SHT_NOBITS */
	size_t size;
	struct section *base;	/* SHT_RELA: the section it applies to */
	struct section *rela;	/* the SHT_RELA section applying to this one */
	struct rela *relas;	/* on the base section, sorted by offset */
	size_t nr_relas;
	struct symbol *secsym;
	struct symbol *own_secsym;	/* made up: the file has none */
	/* code outside functions: the sorted offsets references enter at */
	unsigned long *entries;
	size_t nr_entries;
	bool entries_known;
	/* code Zydis could not decode (arch.c), refused if copied */
	struct undecoded *undecoded;
	size_t nr_undecoded;
	struct elf *elf;
	struct symbol **syms;	/* FUNC/OBJECT defined here, by value */
	size_t nr_syms;
	struct section *twin;
	struct section *hash_next;
	bool ignore;		/* KPATCH_IGNORE_SECTION */
	bool special;		/* a special section (special.c) */
	bool marker;		/* a patch-author marker, never copied */
	/* the byte ranges copied into the output, sorted, not overlapping */
	struct chunk *chunks;
	size_t nr_chunks;
	unsigned int out_index;	/* output.c: its index, 0 if none */
	unsigned int out_secsym;/* output.c: its section symbol */
};

struct chunk {
	unsigned long start, len;
	unsigned long out_start;	/* offset in the output section */
};

struct symbol {
	char *name;
	unsigned int index;
	GElf_Sym sym;
	unsigned char type, bind;
	struct section *sec;	/* NULL for undefined and absolute */
	unsigned long value, size;
	struct symbol *twin;
	struct symbol *parent;	/* a .cold part's function */
	struct symbol *child;	/* a function's .cold part */
	struct symbol *prefix;	/* a function's __pfx_ padding (CALL_PADDING) */
	struct symbol *hash_next;
	enum status status;
	bool include;
	bool ignore;		/* KPATCH_IGNORE_FUNCTION */
	bool force;		/* KPATCH_FORCE_UNSAFE */
	bool special_data;	/* referenced by special-section entries */
	bool line_only;		/* differs only in __LINE__ immediates */
	bool unsplittable;	/* in a shared section, leaves itself by a short jump */
	char *why;		/* why it is CHANGED, for messages */
	struct extref *ext;	/* how the output reaches it (include.c) */
	unsigned int sympos;	/* a changed function's, from --symtab */
	int out_index;		/* output.c: its output symbol, see osym_index */
};

struct elf {
	const char *path;
	unsigned char *image;	/* the whole file */
	Elf *elf;
	struct section *secs;	/* indexed by section index; [0] is null */
	size_t nr_secs;
	struct symbol *syms;	/* indexed by symbol index; [0] is null */
	size_t nr_syms;
	struct symbol **sym_hash;
	struct section **sec_hash;
	size_t hash_size;
	struct symbol **extra_syms;	/* made up, outside the symbol table */
	size_t nr_extra_syms;
};

struct elf *elf_read_file(const char *path);
struct elf *elf_read_mem(const char *name, const void *buf, size_t size);
void elf_free(struct elf *elf);

struct section *find_section(struct elf *elf, const char *name);
struct symbol *find_symbol(struct elf *elf, const char *name);
/* A global undefined symbol of that name, made up if the file has none. */
struct symbol *elf_undefined_symbol(struct elf *elf, const char *name);
/* Add a relocation to sec (kept sorted) and resolve it. */
void elf_add_rela(struct section *sec, unsigned long offset, unsigned int type,
		  struct symbol *sym, long addend, int pcadj);
struct symbol *find_symbol_next(struct symbol *sym);
/* The FUNC or OBJECT symbol of sec that covers offset, else NULL. */
struct symbol *symbol_at(struct section *sec, unsigned long offset);
/* One past the last relocation of sec (NULL if it has none). */
static inline struct rela *rela_end(struct section *sec)
{
	return sec->relas ? sec->relas + sec->nr_relas : NULL;
}

/*
 * Where a relocation really points in its target's section: soff, plus
 * the distance to the end of the instruction for a PC-relative one; -1
 * when a malformed addend puts it beyond any section.
 */
long rela_where(const struct rela *r);

/* The first relocation of sec at or after offset, or NULL. */
struct rela *rela_at(struct section *sec, unsigned long offset);

bool is_text(const struct section *sec);
bool is_string_section(const struct section *sec);
bool is_rela(const struct section *sec);
bool is_func(const struct symbol *sym);
bool is_object(const struct symbol *sym);
/* Fill in target, toff and string of a relocation (see struct rela). */
void elf_resolve_rela(struct rela *rela);
/* A string literal at offset of a string section, NULL if none. */
const char *string_at(const struct section *sec, long offset);

#endif /* _CDO_ELF_H */

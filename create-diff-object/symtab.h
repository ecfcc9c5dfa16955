/* SPDX-License-Identifier: GPL-2.0 */
/*
 * symtab.h - the symbol table of the kernel being patched (--symtab) and
 * its exports (--symvers).
 */
#ifndef _CDO_SYMTAB_H
#define _CDO_SYMTAB_H

#include <stdbool.h>

#include "elf.h"

struct file_block {
	char *name;		/* the object's STT_FILE name */
	int file;		/* its block in the kernel's table, -1: none */
};

struct ksym {
	char *name;
	unsigned long addr, size;
	unsigned char type, bind;
	int file;		/* index of the STT_FILE block of a local, -1 */
	size_t order;		/* kallsyms order: see kpatch-abi.h sympos */
	struct ksym *hash_next;
};

struct ksymtab {
	struct ksym *syms;
	size_t nr_syms;
	char **files;		/* STT_FILE names, indexed by ksym.file */
	size_t nr_files;
	struct ksym **hash;
	size_t hash_size;
	/* the block of each of the object's files (ld -r links several) */
	struct file_block *blocks;
	size_t nr_blocks;
	bool text;		/* read from `readelf -s --wide` text */
	char **undef;		/* undefined globals of the table, sorted */
	size_t nr_undef;
};

/*
 * Read an ELF file's symbol table, or the text `readelf -s --wide` prints
 * for one.  by_address: number same-named symbols by ascending address
 * (vmlinux) rather than by symbol table order (a module).
 */
struct ksymtab *ksymtab_read(const char *path, bool by_address);
struct ksymtab *ksymtab_read_mem(const char *name, const unsigned char *buf,
				 size_t len, bool by_address);
void ksymtab_free(struct ksymtab *ks);

/*
 * Find the running kernel's copy of sym, a symbol of the object being
 * patched (elf): a local is looked up in the STT_FILE block that matches
 * the object.  Returns NULL after printing why (not found, ambiguous).
 */
struct ksym *ksymtab_lookup(struct ksymtab *ks, struct elf *elf,
			    struct symbol *sym, unsigned int *sympos);

/*
 * Whether the table is an object's (it has undefined globals) that takes
 * name from elsewhere: an undefined global of the table, or, for an
 * object's readelf text, any global the table does not define.  The module
 * loader then resolves it for the patch as for that object (kpatch-build's
 * link check catches what cannot resolve).
 */
bool ksymtab_undefined(struct ksymtab *ks, const char *name);

/* Whether the table defines a global (or weak) symbol of that name. */
bool ksymtab_has_global(struct ksymtab *ks, const char *name);

struct symvers;
struct symvers *symvers_read(const char *path);
void symvers_free(struct symvers *sv);
/* The module exporting name ("vmlinux" for the kernel), or NULL. */
const char *symvers_module(struct symvers *sv, const char *name);

#endif /* _CDO_SYMTAB_H */

/* SPDX-License-Identifier: GPL-2.0 */
/*
 * cdo.h - what the passes of create-diff-object share: options, messages
 * (with lib/message.h and lib/alloc.h) and the entry points of each pass.
 */
#ifndef _CDO_H
#define _CDO_H

#include <stdbool.h>
#include <stddef.h>

#include "alloc.h"
#include "elf.h"
#include "message.h"

/* Exit codes (documented in create-diff-object(1)). */
#define EXIT_ERROR	1	/* bad usage or unreadable input */
#define EXIT_REFUSED	2	/* the change cannot be carried by a patch */
#define EXIT_NO_CHANGE	3

struct ksymtab;
struct symvers;

struct options {
	const char *orig, *patched, *output;
	const char *symtab, *symvers;
	const char *object;	/* "vmlinux" or a module name */
	const char *name;	/* the patch's name, for messages */
	/*
	 * The target kernel applies a livepatch module's vmlinux relocations
	 * at load, before jump label init (CONFIG_LIVEPATCH, 5.8+).
	 */
	bool klp;
	const char *klp_convert;	/* the module --klp-convert rewrites */
	bool debug;
};

struct cdo {
	struct options opts;
	struct elf *orig, *patched;
	struct ksymtab *ksyms;
	struct symvers *symvers;
	const char *objfile;	/* basename of the patched object */
	int refusals;
	int damaged;	/* damaged input found while comparing: exit 1 */
};

void debug(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* A change the patch cannot carry: counted, reported, and the run fails. */
void refuse(struct cdo *cdo, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
extern bool debug_enabled;

unsigned char *read_whole_file(const char *path, size_t *size);

/* The passes, in the order main() runs them. */
void read_markers(struct cdo *cdo);
void correlate(struct elf *orig, struct elf *patched);
void compare(struct cdo *cdo);
void include(struct cdo *cdo);
/* Rewrite or refuse the runtime constants of included functions. */
void runtime_consts(struct cdo *cdo);
int write_output(struct cdo *cdo, const char *path);

/*
 * The name prefix of the undefined symbols write_output() gives the
 * relocations marked klp; klp_convert() turns a linked patch module's
 * references to them into the kernel's livepatch relocations.
 */
#define KLP_SYM_PREFIX	".klp.sym."
#define KLP_RELA_PREFIX	".klp.rela."
/* the kernel's KSYM_NAME_LEN (512) plus the prefix, object and position */
#define KLP_NAME_MAX	640
int klp_convert(const char *path);

/* Helpers shared between passes. */
const char *canonical_name(const char *name, char *buf, size_t size);
bool is_cold(const struct symbol *sym);
/* The function a reference resolves to for patching purposes (.cold -> parent). */
struct symbol *owner_function(struct symbol *sym);
bool is_init_section(const struct section *sec);

/*
 * How included code reaches a symbol it does not carry itself: through
 * the module loader (exported), or through a struct kpatch_reloc that the
 * core resolves at load time.
 */
struct extref {
	bool exported;
	const char *name;	/* the running kernel's name */
	const char *objname;
	unsigned long size;
	unsigned int sympos;
};

/* Whether the module loader resolves target (an exported global). */
bool is_exported(struct cdo *cdo, struct symbol *target);
/* Fill ref for target, or return false after a refusal. */
bool resolve_extref(struct cdo *cdo, struct symbol *target, const char *user,
		    struct extref *ref);
/*
 * Copy bytes [start, start + len) of sec into the output and include what
 * they need.  loader_user: the function whose entry the module loader
 * processes at load time, so every reference must be exported or included.
 */
void include_range(struct cdo *cdo, struct section *sec, unsigned long start,
		   unsigned long len, const char *loader_user);
/* Copy sym (with its cold part and padding) and include what it needs. */
void include_symbol(struct cdo *cdo, struct symbol *sym);
/* Whether byte off of sec is copied into the output. */
bool chunk_has(const struct section *sec, long off);
void set_changed(struct symbol *sym, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
bool rela_equal(const struct rela *a, const struct rela *b);
/*
 * Code outside functions (.altinstr_aux, .altinstr_replacement, older
 * kernels' .fixup) is a series of blocks, each entered from a function or
 * a special-section entry: the end of the block that starts at off, the
 * next place anything enters sec.
 */
unsigned long block_end(struct section *sec, unsigned long off);
/* Bytes and relocations of two ranges mean the same. */
bool range_equal(struct section *sa, unsigned long wa, struct section *sb,
		 unsigned long wb, unsigned long len);

#endif /* _CDO_H */

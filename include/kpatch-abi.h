/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kpatch-abi.h - the patch description shared by create-diff-object, the
 * patch-module template (kmod/patch) and the core module (kmod/core).
 *
 * create-diff-object writes the records below into sections of the patch
 * object; the template's linker script gathers each section between a pair
 * of symbols; the template hands the ranges to the core in struct
 * kpatch_patch.  Every pointer-sized field is a 64-bit slot filled by an
 * R_X86_64_64 relocation, so the same layout reads the same from a
 * relocatable object in userspace and from a loaded module in the kernel.
 *
 * Any change to a record's layout or meaning bumps KPATCH_ABI_VERSION.  The
 * core refuses a patch whose version differs, naming both versions.
 */
#ifndef _KPATCH_ABI_H
#define _KPATCH_ABI_H

#include <linux/types.h>

#define KPATCH_ABI_VERSION		2

/* Sections of the patch object (and of the linked patch module). */
#define KPATCH_FUNCS_SECTION		".kpatch.funcs"
#define KPATCH_RELOCS_SECTION		".kpatch.relocations"
#define KPATCH_STRINGS_SECTION		".kpatch.strings"
#define KPATCH_CB_PRE_PATCH_SECTION	".kpatch.callbacks.pre_patch"
#define KPATCH_CB_POST_PATCH_SECTION	".kpatch.callbacks.post_patch"
#define KPATCH_CB_PRE_UNPATCH_SECTION	".kpatch.callbacks.pre_unpatch"
#define KPATCH_CB_POST_UNPATCH_SECTION	".kpatch.callbacks.post_unpatch"

/*
 * Marker sections written by patch authors' macros (kpatch-macros.h) and
 * consumed by create-diff-object; they never reach the patch module.
 */
#define KPATCH_IGNORE_FUNCTIONS_SECTION	".kpatch.ignore.functions"
#define KPATCH_IGNORE_SECTIONS_SECTION	".kpatch.ignore.sections"
#define KPATCH_FORCE_SECTION		".kpatch.force"

/*
 * .modinfo keys of a patch module, written by the template and read by the
 * kpatch command before it loads anything.
 */
#define KPATCH_MODINFO_ABI		"kpatch_abi"		/* decimal */
#define KPATCH_MODINFO_NAME		"kpatch_name"
#define KPATCH_MODINFO_REPLACE		"kpatch_replace"	/* Y or N */
#define KPATCH_MODINFO_PATCH_SHA256	"kpatch_patch_sha256"	/* source patch */
#define KPATCH_MODINFO_BUILD_ID		"kpatch_vmlinux_build_id" /* hex */
#define KPATCH_MODINFO_OBJECT_BUILD_ID	"kpatch_object_build_id" /* MODULE:hex,
								    one per patched module */

/* Object name for functions and symbols of the kernel image itself. */
#define KPATCH_VMLINUX			"vmlinux"

/*
 * Sizes: old_size and kpatch_reloc.size are ELF st_size values.  The
 * kernel's kallsyms only knows the distance to the next symbol, which adds
 * alignment padding, so the core accepts a kallsyms size in
 * [size, size + max(KPATCH_SIZE_SLACK, A)), A being the largest power of two
 * that divides the next symbol's address (the most it can be aligned to).
 *
 * sympos: which of several same-named symbols is meant, counting from 1 in
 * the order the kernel's kallsyms enumerates the object's symbols (ascending
 * address for vmlinux, symbol-table order for a module).  0 means the name
 * is unique in that object.  This is the kernel livepatch's old_sympos.
 */

#define KPATCH_SIZE_SLACK		64

/* kpatch_func.flags */
#define KPATCH_FUNC_FORCE		0x1	/* skip the stack check */

/*
 * One function to replace: ".kpatch.funcs", an array of these.
 *
 * Cold parts (version 2): GCC moves a function's unlikely code into a
 * separate symbol "<name>.cold" placed elsewhere in the text.  A task can
 * sleep there, so the core checks stacks against the cold parts of the
 * old function and of the replacement too.
 */
struct kpatch_func {
	__u64 new_addr;		/* -> the replacement function */
	__u64 name;		/* -> NUL-terminated old symbol name */
	__u64 objname;		/* -> "vmlinux" or the target module's name */
	__u64 old_size;		/* size of the old function as built */
	__u64 new_size;		/* size of the replacement */
	__u32 sympos;
	__u32 flags;
	__u64 new_cold_addr;	/* -> the replacement's cold part, 0: none */
	__u64 new_cold_size;
	__u64 old_cold_name;	/* -> the old function's cold part's symbol
				   name, 0: none */
	__u64 old_cold_size;	/* its st_size as built */
	__u32 old_cold_sympos;	/* its position, as sympos */
	__u32 reserved;		/* 0 */
};

/*
 * One reference from the patch to a symbol that the module loader cannot
 * resolve (not exported): ".kpatch.relocations", an array of these.  The
 * core looks the symbol up in the running kernel, verifies it, and writes
 * the relocated value at dest.  The loader sees no relocation for it.
 */
struct kpatch_reloc {
	__u64 dest;		/* -> the place in the patch module to write */
	__u64 name;		/* -> NUL-terminated symbol name */
	__u64 objname;		/* -> "vmlinux" or the module defining it */
	__s64 addend;
	__u64 size;		/* the symbol's st_size as built, 0 if unknown */
	__u32 type;		/* R_X86_64_64, _PC32, _PLT32, _32 or _32S */
	__u32 sympos;
};

/*
 * Callbacks of one object: each callback section is an array of these.
 * fn is int (*)(patch_object *) for pre-patch, void (*)(patch_object *) for
 * the other three.  objname is filled in by create-diff-object from the
 * object the marker was compiled into.
 */
struct kpatch_callback {
	__u64 fn;
	__u64 objname;
};

#ifdef __KERNEL__

struct module;

/* The part of a patched object that callbacks see. */
struct kpatch_object_view {
	const char *name;	/* "vmlinux" or module name */
	struct module *mod;	/* NULL for vmlinux or when not loaded */
};

/* kpatch_patch.flags */
#define KPATCH_PATCH_REPLACE		0x1	/* atomic replace of all others */

/* What the patch-module template registers with the core. */
struct kpatch_patch {
	__u32 abi_version;	/* KPATCH_ABI_VERSION the patch was built with */
	__u32 flags;
	struct module *mod;	/* the patch module itself */
	const struct kpatch_func *funcs, *funcs_end;
	const struct kpatch_reloc *relocs, *relocs_end;
	const struct kpatch_callback *pre_patch, *pre_patch_end;
	const struct kpatch_callback *post_patch, *post_patch_end;
	const struct kpatch_callback *pre_unpatch, *pre_unpatch_end;
	const struct kpatch_callback *post_unpatch, *post_unpatch_end;
	void *core_private;	/* owned by the core */
};

int kpatch_register_patch(struct kpatch_patch *patch);
void kpatch_unregister_patch(struct kpatch_patch *patch);

#endif /* __KERNEL__ */

#endif /* _KPATCH_ABI_H */

/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kpf.h - writing the .kpatch.* records of a test patch by hand, the way
 * create-diff-object will write them, so that the patch-module template
 * and the core are exercised for real.
 *
 * The build (test/integration/core/build) compiles output.c twice: once
 * with KPF_FIRST_PASS to learn the replacement functions' sizes, then
 * with sizes.h, which also holds the sizes of old symbols as built
 * (KPF_OLD_SIZE_<symbol>).
 */
#ifndef _KPF_H
#define _KPF_H

#include <linux/compiler.h>
#include <linux/elf.h>
#include "kpatch-abi.h"

#ifdef KPF_FIRST_PASS
#define KPF_NEW_SIZE(fn)	1
#define KPF_OLD_SIZE(sym)	0
#define KPF_NEW_COLD_SIZE(fn)	1
#define KPF_OLD_COLD_SIZE(sym)	0
#else
#include "sizes.h"
#define KPF_NEW_SIZE(fn)	KPF_NEW_SIZE_##fn
#define KPF_OLD_SIZE(sym)	KPF_OLD_SIZE_##sym
/* Sizes of the cold parts "<fn>.cold". */
#define KPF_NEW_COLD_SIZE(fn)	KPF_NEW_SIZE_COLD_##fn
#define KPF_OLD_COLD_SIZE(sym)	KPF_OLD_SIZE_COLD_##sym
#endif

#define KPF_PTR(x)		((__u64)(unsigned long)(x))

#define KPF_STRING(var, s)						\
	static const char var[] __used __section(".kpatch.strings") = s

/* What every .kpatch.funcs record of @new replacing @old (in @obj) has. */
#define KPF_FUNC_STRINGS(new, old, obj)					\
	KPF_STRING(__kpf_fname_##new, #old);				\
	KPF_STRING(__kpf_fobj_##new, obj)
#define KPF_FUNC_FIELDS(new, old)					\
	.new_addr = KPF_PTR(new),					\
	.name = KPF_PTR(__kpf_fname_##new),				\
	.objname = KPF_PTR(__kpf_fobj_##new),				\
	.old_size = KPF_OLD_SIZE(old),					\
	.new_size = KPF_NEW_SIZE(new)

/* Replace @old (in object @obj) by the local function @new. */
#define KPF_FUNC(new, old, obj, fl)					\
	KPF_FUNC_STRINGS(new, old, obj);				\
	static const struct kpatch_func __kpf_func_##new __used		\
	__section(".kpatch.funcs") __aligned(8) = {			\
		KPF_FUNC_FIELDS(new, old),				\
		.sympos = 0,						\
		.flags = (fl),						\
	}

/*
 * Like KPF_FUNC, for an old function and a replacement that both have a
 * cold part ("<name>.cold", which only an asm name can refer to).
 */
#define KPF_FUNC_COLD(new, old, obj)					\
	KPF_FUNC_STRINGS(new, old, obj);				\
	KPF_STRING(__kpf_fcold_##new, #old ".cold");			\
	extern const char __kpf_newcold_##new[] asm(#new ".cold");	\
	static const struct kpatch_func __kpf_func_##new __used		\
	__section(".kpatch.funcs") __aligned(8) = {			\
		KPF_FUNC_FIELDS(new, old),				\
		.new_cold_addr = KPF_PTR(__kpf_newcold_##new),		\
		.new_cold_size = KPF_NEW_COLD_SIZE(new),		\
		.old_cold_name = KPF_PTR(__kpf_fcold_##new),		\
		.old_cold_size = KPF_OLD_COLD_SIZE(old),		\
	}

/* Write the address of @sym (in @obj) into the pointer variable @var. */
#define KPF_RELOC64(var, sym, obj)					\
	KPF_STRING(__kpf_rname_##var, #sym);				\
	KPF_STRING(__kpf_robj_##var, obj);				\
	static const struct kpatch_reloc __kpf_reloc_##var __used	\
	__section(".kpatch.relocations") __aligned(8) = {				\
		.dest = KPF_PTR(&var),					\
		.name = KPF_PTR(__kpf_rname_##var),			\
		.objname = KPF_PTR(__kpf_robj_##var),			\
		.addend = 0,						\
		.size = KPF_OLD_SIZE(sym),				\
		.type = R_X86_64_64,					\
	}

/*
 * Load the 8 bytes at vmlinux symbol @sym into @out through a RIP-relative
 * mov whose displacement the core fills in (R_X86_64_PC32 into read-only
 * text, as create-diff-object emits for references to static data).  The
 * enclosing function must be noinline and noclone: the label is unique.
 */
#define KPF_LOAD_PC32(out, label, sym)					\
	do {								\
		asm volatile(#label ": movq 0x0(%%rip), %0"		\
			     : "=a" (out));				\
	} while (0)

#define KPF_RELOC_PC32(label, sym, obj)					\
	extern const char label[];					\
	KPF_STRING(__kpf_rname_##label, #sym);				\
	KPF_STRING(__kpf_robj_##label, obj);				\
	static const struct kpatch_reloc __kpf_reloc_##label __used	\
	__section(".kpatch.relocations") __aligned(8) = {				\
		.dest = KPF_PTR(label) + 3,	/* REX, opcode, ModRM */ \
		.name = KPF_PTR(__kpf_rname_##label),			\
		.objname = KPF_PTR(__kpf_robj_##label),			\
		.addend = -4,						\
		.size = KPF_OLD_SIZE(sym),				\
		.type = R_X86_64_PC32,					\
	}

/*
 * Load this CPU's copy of the 8-byte per-CPU variable @sym into @out, as
 * this_cpu_read() does: a %gs-relative mov whose 32-bit absolute
 * displacement (the variable's offset in the per-CPU area) the core fills
 * in, R_X86_64_32S as create-diff-object emits it.
 */
#define KPF_LOAD_PERCPU(out, label, sym)				\
	asm volatile(#label ": movq %%gs:0x0, %0" : "=a" (out))

#define KPF_RELOC_PERCPU(label, sym, obj)				\
	extern const char label[];					\
	KPF_STRING(__kpf_rname_##label, #sym);				\
	KPF_STRING(__kpf_robj_##label, obj);				\
	static const struct kpatch_reloc __kpf_reloc_##label __used	\
	__section(".kpatch.relocations") __aligned(8) = {				\
		.dest = KPF_PTR(label) + 5,	/* GS, REX, opcode, ModRM, SIB */ \
		.name = KPF_PTR(__kpf_rname_##label),			\
		.objname = KPF_PTR(__kpf_robj_##label),			\
		.addend = 0,						\
		.size = KPF_OLD_SIZE(sym),				\
		.type = R_X86_64_32S,					\
	}

#define KPF_CALLBACK(cbfn, kind, obj)					\
	KPF_STRING(__kpf_cbobj_##cbfn, obj);				\
	static const struct kpatch_callback __kpf_cb_##cbfn __used	\
	__section(".kpatch.callbacks." #kind) __aligned(8) = {			\
		.fn = KPF_PTR(cbfn),					\
		.objname = KPF_PTR(__kpf_cbobj_##cbfn),			\
	}

#endif /* _KPF_H */

/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kpatch-syscall.h - redefine a system call's body in a patch.
 *
 * In a source patch, replace
 *
 *	SYSCALL_DEFINE2(foo, int, a, char __user *, b)
 * by
 *	#include "kpatch-syscall.h"
 *	KPATCH_SYSCALL_DEFINE2(foo, int, a, char __user *, b)
 *
 * and change the body as needed.  Why: on x86_64, SYSCALL_DEFINEx(foo)
 * makes three functions (arch/x86/include/asm/syscall_wrapper.h):
 *
 *	__x64_sys_foo(regs)	the entry in the syscall table; traced
 *	__se_sys_foo(long...)	sign-extends the arguments; static
 *	__do_sys_foo(args)	the body; "static inline", so notrace
 *
 * When gcc keeps the body out of line (big bodies, or several callers),
 * a change of it is a change of __do_sys_foo, which has no ftrace hook
 * and cannot be patched.  KPATCH_SYSCALL_DEFINEx expands exactly as the
 * kernel's macro does but calls the body __kpatch_do_sys_foo: a new
 * function to create-diff-object, so the patch replaces __x64_sys_foo,
 * which calls it (directly or inlined), and which is what the syscall
 * table and so user space reach.  The old __do_sys_foo stays in the
 * kernel, unused.
 *
 * Differences from SYSCALL_DEFINEx, on purpose:
 * - no SYSCALL_METADATA (CONFIG_FTRACE_SYSCALLS): the syscall trace events
 *   keep the metadata of the original, which describes the same
 *   arguments; a patch cannot register new trace events anyway.
 * - no KPATCH_SYSCALL_DEFINE0: a SYSCALL_DEFINE0 body is a plain static
 *   function (traced, __x64_sys_foo is an alias of it); patch it with the
 *   kernel's SYSCALL_DEFINE0 unchanged.
 *
 * ALLOW_ERROR_INJECTION and the ia32 stub (CONFIG_IA32_EMULATION) are kept
 * as the kernel writes them, so that the patched object differs from the
 * original only by the body.  x86_64 only.
 */
#ifndef _KPATCH_SYSCALL_H
#define _KPATCH_SYSCALL_H

#include <linux/syscalls.h>
#include <linux/error-injection.h>

#ifndef CONFIG_X86_64
#error "kpatch-syscall.h: KPATCH_SYSCALL_DEFINEx is written for x86_64"
#endif
#ifndef CONFIG_ARCH_HAS_SYSCALL_WRAPPER
#error "kpatch-syscall.h: the kernel has no pt_regs syscall wrappers (before 4.17)"
#endif

#define KPATCH_SYSCALL_DEFINE1(name, ...) KPATCH_SYSCALL_DEFINEx(1, _##name, __VA_ARGS__)
#define KPATCH_SYSCALL_DEFINE2(name, ...) KPATCH_SYSCALL_DEFINEx(2, _##name, __VA_ARGS__)
#define KPATCH_SYSCALL_DEFINE3(name, ...) KPATCH_SYSCALL_DEFINEx(3, _##name, __VA_ARGS__)
#define KPATCH_SYSCALL_DEFINE4(name, ...) KPATCH_SYSCALL_DEFINEx(4, _##name, __VA_ARGS__)
#define KPATCH_SYSCALL_DEFINE5(name, ...) KPATCH_SYSCALL_DEFINEx(5, _##name, __VA_ARGS__)
#define KPATCH_SYSCALL_DEFINE6(name, ...) KPATCH_SYSCALL_DEFINEx(6, _##name, __VA_ARGS__)

/* __<abi>_sys<name>(regs): the entry of the syscall table (the kernel's __SYS_STUBx) */
#define __KPATCH_SYSCALL_STUB(abi, name, ...)				\
	long __##abi##_sys##name(const struct pt_regs *regs);		\
	ALLOW_ERROR_INJECTION(__##abi##_sys##name, ERRNO);		\
	long __##abi##_sys##name(const struct pt_regs *regs)		\
	{								\
		return __se_sys##name(__VA_ARGS__);			\
	}

#define __KPATCH_X64_SYSCALL_STUB(x, name, ...)				\
	__KPATCH_SYSCALL_STUB(x64, name, SC_X86_64_REGS_TO_ARGS(x, __VA_ARGS__))

#ifdef CONFIG_IA32_EMULATION
#define __KPATCH_IA32_SYSCALL_STUB(x, name, ...)			\
	__KPATCH_SYSCALL_STUB(ia32, name, SC_IA32_REGS_TO_ARGS(x, __VA_ARGS__))
#else
#define __KPATCH_IA32_SYSCALL_STUB(x, name, ...)
#endif

#define KPATCH_SYSCALL_DEFINEx(x, name, ...)				\
	static long __se_sys##name(__MAP(x, __SC_LONG, __VA_ARGS__));	\
	static inline long						\
	__kpatch_do_sys##name(__MAP(x, __SC_DECL, __VA_ARGS__));	\
	__KPATCH_X64_SYSCALL_STUB(x, name, __VA_ARGS__)			\
	__KPATCH_IA32_SYSCALL_STUB(x, name, __VA_ARGS__)		\
	static long __se_sys##name(__MAP(x, __SC_LONG, __VA_ARGS__))	\
	{								\
		long ret = __kpatch_do_sys##name(__MAP(x, __SC_CAST, __VA_ARGS__)); \
		__MAP(x, __SC_TEST, __VA_ARGS__);			\
		__PROTECT(x, ret, __MAP(x, __SC_ARGS, __VA_ARGS__));	\
		return ret;						\
	}								\
	static inline long						\
	__kpatch_do_sys##name(__MAP(x, __SC_DECL, __VA_ARGS__))

#endif /* _KPATCH_SYSCALL_H */

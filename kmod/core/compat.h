/* SPDX-License-Identifier: GPL-2.0 */
/*
 * compat.h - every difference between the kernel versions the core builds
 * against lives here, so that the .c files read the same on all of them.
 * Known targets: 6.1 (Debian 12) and 6.12 (Debian's linux-source-6.12;
 * Debian 13); see README.md for what differs between them.
 */
#ifndef _KPATCH_COMPAT_H
#define _KPATCH_COMPAT_H

#include <linux/version.h>

#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 1, 0)
#error "the kpatch core needs Linux 6.1 or later"
#endif

#ifdef __ASSEMBLY__
/*
 * slots.S counts the fentry call for call depth tracking, which came in
 * 6.2 with CALL_DEPTH_ACCOUNT (empty unless the kernel tracks call depth);
 * 6.1 tracks nothing, so it counts nothing.
 */
#include <asm/nospec-branch.h>
#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 2, 0)
.macro CALL_DEPTH_ACCOUNT
.endm
#endif
#else /* !__ASSEMBLY__ */

#include <linux/module.h>
#include <linux/sched.h>
#include <linux/uaccess.h>
#include <linux/ftrace.h>
#include <asm/ibt.h>

/*
 * The end of the core memory region of @mod that holds @addr, or 0 when
 * @addr is not in @mod's core memory.  Bounds reads of strings that a
 * patch description points at.
 */
static inline unsigned long kpatch_mod_region_end(const struct module *mod,
						  unsigned long addr)
{
#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 4, 0)
	unsigned long base = (unsigned long)mod->core_layout.base;

	if (addr >= base && addr < base + mod->core_layout.size)
		return base + mod->core_layout.size;
#else
	/* 6.4 split the core layout into regions, one per memory type. */
	for_class_mod_mem_type(type, core) {
		const struct module_memory *mem = &mod->mem[type];
		unsigned long base = (unsigned long)mem->base;

		if (addr >= base && addr < base + mem->size)
			return base + mem->size;
	}
#endif
	return 0;
}

/*
 * Send the task the ftrace trampoline returns to @ip.  The x86 trampoline
 * itself keeps call depth tracking's return accounting right: it counts
 * the fentry call (CALL_DEPTH_ACCOUNT) and returns with a plain RET, which
 * takes that count back, so the new function is entered with the caller's
 * depth, exactly as for the kernel's livepatch (klp_ftrace_handler does
 * nothing more than this).  The helper was renamed after 6.1 (6.12 has
 * the ftrace_regs_ form); both are macros, so their presence decides.
 */
#ifdef ftrace_regs_set_instruction_pointer
#define kpatch_ftrace_set_ip(fregs, ip) \
	ftrace_regs_set_instruction_pointer(fregs, ip)
#else
#define kpatch_ftrace_set_ip(fregs, ip) \
	ftrace_instruction_pointer_set(fregs, ip)
#endif

/*
 * Direct calls (direct.c).  6.5 renamed register_ftrace_direct_multi() to
 * register_ftrace_direct(), and the unregistration frees the filter itself
 * when asked; but it frees it even when ftrace refused to unregister the
 * ops (ftrace is dead), which leaves ftrace holding an ops whose filter is
 * freed memory.  So on both the filter is freed here, and only once the
 * ops is unregistered.  Both overwrite the ops' flags, so PERMANENT (the sysctl
 * kernel.ftrace_enabled must not turn a patch off) is set after the
 * registration, under kpatch_mutex, the only one that changes this ops.
 */
#ifdef CONFIG_DYNAMIC_FTRACE_WITH_DIRECT_CALLS
static inline int kpatch_register_direct(struct ftrace_ops *ops,
					 unsigned long addr,
					 ftrace_ops_func_t ops_func)
{
	int ret;

	ops->ops_func = ops_func;
#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 5, 0)
	ret = register_ftrace_direct_multi(ops, addr);
#else
	ret = register_ftrace_direct(ops, addr);
#endif
	if (!ret)
		ops->flags |= FTRACE_OPS_FL_PERMANENT;
	return ret;
}

static inline int kpatch_unregister_direct(struct ftrace_ops *ops,
					   unsigned long addr)
{
#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 5, 0)
	int ret = unregister_ftrace_direct_multi(ops, addr);
#else
	int ret = unregister_ftrace_direct(ops, addr, false);
#endif

	if (!ret)
		ftrace_free_filter(ops);
	return ret;
}
#else
static inline int kpatch_register_direct(struct ftrace_ops *ops,
					 unsigned long addr,
					 ftrace_ops_func_t ops_func)
{
	return -EOPNOTSUPP;
}

static inline int kpatch_unregister_direct(struct ftrace_ops *ops,
					   unsigned long addr)
{
	return -EINVAL;
}
#endif

/*
 * ftrace's own "has ftrace shut itself down" (ftrace_kill()): the same on
 * 6.1 and 6.12, but declared only in kernel/trace/trace.h, which no
 * module can include; found at bootstrap like the rest (resolve.c).
 */
int ftrace_is_dead(void);

/* Does [addr, addr + len) lie inside one core region of @mod? */
static inline bool kpatch_in_module(const struct module *mod,
				    unsigned long addr, unsigned long len)
{
	unsigned long end = kpatch_mod_region_end(mod, addr);

	return end && len <= end - addr;
}

/* The running module's own symbol table, for sympos counting. */
static inline const struct mod_kallsyms *
kpatch_mod_kallsyms(const struct module *mod)
{
	return rcu_dereference_sched(mod->kallsyms);
}

/* Where the fentry call of a traceable function starting at @addr is. */
static inline unsigned long kpatch_fentry_addr(unsigned long addr)
{
	u32 insn;

	if (IS_ENABLED(CONFIG_X86_KERNEL_IBT) &&
	    !get_kernel_nofault(insn, (u32 *)addr) && is_endbr(insn))
		return addr + ENDBR_INSN_SIZE;
	return addr;
}

/* A task that some CPU is executing right now (its saved stack is stale). */
static inline bool kpatch_task_on_cpu(const struct task_struct *t)
{
	return READ_ONCE(t->on_cpu);
}

/*
 * The kernel's own livepatch, when built in, is the usual other owner of an
 * IPMODIFY ftrace hook.  Name the livepatch module that replaces @addr;
 * the caller holds klp_mutex.
 */
#if IS_ENABLED(CONFIG_LIVEPATCH)
#include <linux/livepatch.h>

static inline bool kpatch_klp_owner_of(struct list_head *klp_patches,
				       unsigned long addr, char *buf,
				       size_t len)
{
	struct klp_patch *patch;
	struct klp_object *obj;
	struct klp_func *func;

	list_for_each_entry(patch, klp_patches, list)
		klp_for_each_object(patch, obj)
			klp_for_each_func(obj, func)
				if ((unsigned long)func->old_func == addr) {
					strscpy(buf, patch->mod->name, len);
					return true;
				}
	return false;
}
#define KPATCH_HAVE_KLP 1
#else
static inline bool kpatch_klp_owner_of(struct list_head *klp_patches,
				       unsigned long addr, char *buf,
				       size_t len)
{
	return false;
}
#define KPATCH_HAVE_KLP 0
#endif

#endif /* !__ASSEMBLY__ */
#endif /* _KPATCH_COMPAT_H */

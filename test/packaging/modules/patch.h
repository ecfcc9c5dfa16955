/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The output.o of a hand-made patch module for the packaging tests: what
 * create-diff-object would write for a one-function patch (a replacement
 * function and its .kpatch.funcs record), linked with the real template
 * (kmod/patch).  sizes.h, written by build-modules, holds the old
 * function's size in the test kernel (OLD_SIZE_<function>).
 */
#include <linux/kernel.h>
#include <linux/seq_file.h>
#include "kpatch-abi.h"
#include "sizes.h"

/* /proc/cmdline says @text: the patch is live. */
#define KPATCH_PKG_CMDLINE(text)					\
static noinline int livepatch_cmdline_proc_show(struct seq_file *m,	\
						void *v)		\
{									\
	seq_puts(m, text "\n");						\
	return 0;							\
}									\
static const char name_cmdline[] __section(".kpatch.strings") =	\
	"cmdline_proc_show";						\
static const char obj_cmdline[] __section(".kpatch.strings") = "vmlinux"; \
static const struct kpatch_func func_cmdline __used			\
	__section(".kpatch.funcs") = {					\
	.new_addr = (unsigned long)livepatch_cmdline_proc_show,		\
	.name = (unsigned long)name_cmdline,				\
	.objname = (unsigned long)obj_cmdline,				\
	.old_size = OLD_SIZE_cmdline_proc_show,				\
	.new_size = 1,							\
}

/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kpf-stress.h - the body of the stress test's patches (test/integration/
 * stress/patches/kpf_s*), which define KPF_S_TAG (a string) and
 * KPF_S_VALUE (a non-zero int) first.  Each replaces a /proc read path
 * (cmdline_proc_show), a syscall (uname's machine field) and a pair of
 * functions a timer runs (kpf_hot), whose tick checks that the value it
 * gets comes from the same patch.
 */
#ifndef _KPF_STRESS_H
#define _KPF_STRESS_H

#include <linux/ptrace.h>
#include <linux/seq_file.h>
#include <linux/string.h>
#include <linux/uaccess.h>
#include <linux/utsname.h>
#include "kpf.h"

static noinline __noclone const char *kpf_s_cmdline(void)
{
	const char *p;

	KPF_LOAD_PC32(p, kpf_s_cmdline_disp, saved_command_line);
	return p;
}
KPF_RELOC_PC32(kpf_s_cmdline_disp, saved_command_line, "vmlinux");

static int kpf_s_cmdline_proc_show(struct seq_file *m, void *v)
{
	seq_printf(m, "%s %s\n", KPF_S_TAG, kpf_s_cmdline());
	return 0;
}
KPF_FUNC(kpf_s_cmdline_proc_show, cmdline_proc_show, "vmlinux", 0);

/* uname(2) without the personality overrides, machine = KPF_S_TAG. */
static long kpf_s_newuname(const struct pt_regs *regs)
{
	struct new_utsname __user *name = (void __user *)regs->di;
	struct new_utsname tmp;

	memcpy(&tmp, utsname(), sizeof(tmp));
	strscpy(tmp.machine, KPF_S_TAG, sizeof(tmp.machine));
	return copy_to_user(name, &tmp, sizeof(tmp)) ? -EFAULT : 0;
}
KPF_FUNC(kpf_s_newuname, __x64_sys_newuname, "vmlinux", 0);

static int kpf_s_value(void)
{
	return KPF_S_VALUE;
}
KPF_FUNC(kpf_s_value, kpf_hot_value, "kpf_hot", 0);

static int (**kpf_s_value_fn)(void);
KPF_RELOC64(kpf_s_value_fn, kpf_hot_value_fn, "kpf_hot");
static unsigned long *kpf_s_torn, *kpf_s_ticks;
KPF_RELOC64(kpf_s_torn, kpf_hot_torn, "kpf_hot");
KPF_RELOC64(kpf_s_ticks, kpf_hot_ticks, "kpf_hot");
static int *kpf_s_last;
KPF_RELOC64(kpf_s_last, kpf_hot_last, "kpf_hot");

/* Through the original's address, so ftrace picks the version. */
static void kpf_s_tick(void)
{
	int v = (*kpf_s_value_fn)();

	if (v != KPF_S_VALUE)
		WRITE_ONCE(*kpf_s_torn, *kpf_s_torn + 1);
	WRITE_ONCE(*kpf_s_last, v);
	WRITE_ONCE(*kpf_s_ticks, *kpf_s_ticks + 1);
}
KPF_FUNC(kpf_s_tick, kpf_hot_tick, "kpf_hot", 0);

#endif /* _KPF_STRESS_H */

// SPDX-License-Identifier: GPL-2.0
/*
 * kpf_p1: cmdline_proc_show prints "kpf_p1 " before the command line.
 * The command line is reached through saved_command_line, which vmlinux
 * does not export: a PC32 relocation in read-only text.
 */
#include <linux/seq_file.h>
#include "kpf.h"

static noinline __noclone const char *kpf_cmdline(void)
{
	const char *p;

	KPF_LOAD_PC32(p, kpf_p1_cmdline_disp, saved_command_line);
	return p;
}
KPF_RELOC_PC32(kpf_p1_cmdline_disp, saved_command_line, "vmlinux");

static int kpf_p1_cmdline_proc_show(struct seq_file *m, void *v)
{
	seq_printf(m, "kpf_p1 %s\n", kpf_cmdline());
	return 0;
}
KPF_FUNC(kpf_p1_cmdline_proc_show, cmdline_proc_show, "vmlinux", 0);

// SPDX-License-Identifier: GPL-2.0
/* kpf_p3: cmdline_proc_show prints "kpf_p3". */
#include <linux/seq_file.h>
#include "kpf.h"

static int kpf_p3_cmdline_proc_show(struct seq_file *m, void *v)
{
	seq_puts(m, "kpf_p3\n");
	return 0;
}
KPF_FUNC(kpf_p3_cmdline_proc_show, cmdline_proc_show, "vmlinux", 0);

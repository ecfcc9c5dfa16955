// SPDX-License-Identifier: GPL-2.0
/* kpf_p2: cmdline_proc_show prints "kpf_p2". */
#include <linux/seq_file.h>
#include "kpf.h"

static int kpf_p2_cmdline_proc_show(struct seq_file *m, void *v)
{
	seq_puts(m, "kpf_p2\n");
	return 0;
}
KPF_FUNC(kpf_p2_cmdline_proc_show, cmdline_proc_show, "vmlinux", 0);

// SPDX-License-Identifier: GPL-2.0
/* /proc/cmdline says "kpatch-cli-a". */
#include <linux/seq_file.h>
#include "patch.h"

static noinline int livepatch_cmdline_proc_show(struct seq_file *m, void *v)
{
	seq_puts(m, "kpatch-cli-a\n");
	return 0;
}
KPATCH_CLI_FUNC(cmdline_proc_show, "vmlinux");

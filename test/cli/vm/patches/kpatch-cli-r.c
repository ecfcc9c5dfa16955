// SPDX-License-Identifier: GPL-2.0
/* Replaces every other patch; /proc/cmdline says "kpatch-cli-r". */
#include <linux/seq_file.h>
#include "patch.h"

static noinline int livepatch_cmdline_proc_show(struct seq_file *m, void *v)
{
	seq_puts(m, "kpatch-cli-r\n");
	return 0;
}
KPATCH_CLI_FUNC(cmdline_proc_show, "vmlinux");

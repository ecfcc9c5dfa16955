// SPDX-License-Identifier: GPL-2.0
/* /proc/version says "kpatch-cli-b". */
#include <linux/seq_file.h>
#include "patch.h"

static noinline int livepatch_version_proc_show(struct seq_file *m, void *v)
{
	seq_puts(m, "kpatch-cli-b\n");
	return 0;
}
KPATCH_CLI_FUNC(version_proc_show, "vmlinux");

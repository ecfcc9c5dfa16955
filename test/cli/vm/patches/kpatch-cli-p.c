// SPDX-License-Identifier: GPL-2.0
/*
 * A patch that crashes the kernel, for the boot guard's test
 * (test/cli/vm/boot-tests/): its post-patch callback panics, as a faulty
 * patch would at boot.  It first sleeps 3 s, while 'kpatch load' waits
 * for it, so that the test can log the guard kpatch set before loading.
 */
#include <linux/delay.h>
#include <linux/kernel.h>
#include <linux/seq_file.h>
#include "patch.h"
#include "kpatch-macros.h"

static noinline int livepatch_cmdline_proc_show(struct seq_file *m, void *v)
{
	seq_puts(m, "kpatch-cli-p\n");
	return 0;
}
KPATCH_CLI_FUNC(cmdline_proc_show, "vmlinux");

static void crash_post_patch(patch_object *obj)
{
	msleep(3000);
	panic("kpatch-cli-p: crashing on purpose in a post-patch callback");
}
KPATCH_POST_PATCH_CALLBACK(crash_post_patch);

// SPDX-License-Identifier: GPL-2.0
/*
 * kpf_cbslow: its pre-patch callback takes 3 s and then refuses, so that
 * a test can write to the patch's sysfs files while its registration is
 * failing.
 */
#include <linux/delay.h>
#include <linux/sched.h>
#include <linux/seq_file.h>
#include <linux/printk.h>
#include "kpf.h"

static int kpf_cbslow_cmdline_proc_show(struct seq_file *m, void *v)
{
	seq_puts(m, "kpf_cbslow\n");
	return 0;
}
KPF_FUNC(kpf_cbslow_cmdline_proc_show, cmdline_proc_show, "vmlinux", 0);

static int kpf_cbslow_pre_patch(struct kpatch_object_view *obj)
{
	pr_info("kpf_cbslow: pre_patch %s run by %s sleeps, then refuses\n",
		obj->name, current->comm);
	msleep(3000);
	return -EPERM;
}
KPF_CALLBACK(kpf_cbslow_pre_patch, pre_patch, "vmlinux");

// SPDX-License-Identifier: GPL-2.0
/* kpf_cbfail: its pre-patch callback fails, so nothing may be applied. */
#include <linux/seq_file.h>
#include <linux/printk.h>
#include "kpf.h"

static int kpf_cbfail_cmdline_proc_show(struct seq_file *m, void *v)
{
	seq_puts(m, "kpf_cbfail\n");
	return 0;
}
KPF_FUNC(kpf_cbfail_cmdline_proc_show, cmdline_proc_show, "vmlinux", 0);

static int kpf_cbfail_pre_patch(struct kpatch_object_view *obj)
{
	pr_info("kpf_cbfail: pre_patch %s refuses\n", obj->name);
	return -EPERM;
}
KPF_CALLBACK(kpf_cbfail_pre_patch, pre_patch, "vmlinux");

static void kpf_cbfail_post_patch(struct kpatch_object_view *obj)
{
	pr_info("kpf_cbfail: post_patch %s\n", obj->name);
}
KPF_CALLBACK(kpf_cbfail_post_patch, post_patch, "vmlinux");

static void kpf_cbfail_post_unpatch(struct kpatch_object_view *obj)
{
	pr_info("kpf_cbfail: post_unpatch %s\n", obj->name);
}
KPF_CALLBACK(kpf_cbfail_post_unpatch, post_unpatch, "vmlinux");

// SPDX-License-Identifier: GPL-2.0
/*
 * kpf_cb: cmdline_proc_show prints "kpf_cb"; every callback logs its name.
 * The vmlinux callbacks use the patch-author macros of kpatch-macros.h
 * (objname left 0, which means vmlinux).
 */
#include <linux/seq_file.h>
#include <linux/module.h>
#include <linux/printk.h>
#include "kpf.h"
#include "kpatch-macros.h"

static int kpf_cb_cmdline_proc_show(struct seq_file *m, void *v)
{
	seq_puts(m, "kpf_cb\n");
	return 0;
}
KPF_FUNC(kpf_cb_cmdline_proc_show, cmdline_proc_show, "vmlinux", 0);

static int kpf_cb_pre_patch(patch_object *obj)
{
	pr_info("kpf_cb: pre_patch %s\n", obj->name);
	return 0;
}
KPATCH_PRE_PATCH_CALLBACK(kpf_cb_pre_patch);

static void kpf_cb_post_patch(patch_object *obj)
{
	KPATCH_PRINTK("kpf_cb: post_patch %s\n", obj->name);
}
KPATCH_POST_PATCH_CALLBACK(kpf_cb_post_patch);

static void kpf_cb_pre_unpatch(patch_object *obj)
{
	pr_info("kpf_cb: pre_unpatch %s\n", obj->name);
}
KPATCH_PRE_UNPATCH_CALLBACK(kpf_cb_pre_unpatch);

static void kpf_cb_post_unpatch(patch_object *obj)
{
	pr_info("kpf_cb: post_unpatch %s\n", obj->name);
}
KPATCH_POST_UNPATCH_CALLBACK(kpf_cb_post_unpatch);

/* Callbacks of a module object run when that module comes and goes. */
static int kpf_cb_mod_pre_patch(struct kpatch_object_view *obj)
{
	pr_info("kpf_cb: pre_patch %s mod=%s\n", obj->name,
		obj->mod ? obj->mod->name : "none");
	return 0;
}
KPF_CALLBACK(kpf_cb_mod_pre_patch, pre_patch, "kpf_target");

static void kpf_cb_mod_post_unpatch(struct kpatch_object_view *obj)
{
	pr_info("kpf_cb: post_unpatch %s\n", obj->name);
}
KPF_CALLBACK(kpf_cb_mod_post_unpatch, post_unpatch, "kpf_target");

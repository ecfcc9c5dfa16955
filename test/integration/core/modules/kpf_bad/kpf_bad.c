// SPDX-License-Identifier: GPL-2.0
/*
 * kpf_bad - registers a deliberately broken patch description, chosen by
 * the "mode" parameter, to check that the core refuses it by name.
 */
#include <linux/elf.h>
#include <linux/module.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include "kpatch-abi.h"

static char *mode = "abi";
module_param(mode, charp, 0);

static int kpf_bad_show(struct seq_file *m, void *v)
{
	return 0;
}

static char kpf_bad_dest[8];

static struct kpatch_func kpf_bad_funcs[1] = { {
	.new_addr = (unsigned long)kpf_bad_show,
	.name = (unsigned long)"cmdline_proc_show",
	.objname = (unsigned long)"vmlinux",
	.old_size = 0,
	.new_size = 1,
} };

static struct kpatch_reloc kpf_bad_relocs[1] = { {
	.dest = (unsigned long)kpf_bad_dest,
	.name = (unsigned long)"saved_command_line",
	.objname = (unsigned long)"vmlinux",
	.type = R_X86_64_64,
} };

static struct kpatch_patch kpf_bad_patch = {
	.abi_version = KPATCH_ABI_VERSION,
};

static int __init kpf_bad_init(void)
{
	struct kpatch_patch *p = &kpf_bad_patch;

	p->mod = THIS_MODULE;
	p->funcs = kpf_bad_funcs;
	p->funcs_end = kpf_bad_funcs + 1;
	p->relocs = kpf_bad_relocs;
	p->relocs_end = kpf_bad_relocs + 1;

	if (!strcmp(mode, "abi"))
		p->abi_version = KPATCH_ABI_VERSION + 1;
	else if (!strcmp(mode, "funcs-misaligned"))
		p->funcs_end = (void *)kpf_bad_funcs + 20;
	else if (!strcmp(mode, "func-noname"))
		kpf_bad_funcs[0].name = 0;
	else if (!strcmp(mode, "func-outside"))
		kpf_bad_funcs[0].new_addr = (unsigned long)kfree;
	else if (!strcmp(mode, "func-flags"))
		kpf_bad_funcs[0].flags = 0x80;
	else if (!strcmp(mode, "reloc-type"))
		kpf_bad_relocs[0].type = 99;
	else if (!strcmp(mode, "reloc-dest"))
		kpf_bad_relocs[0].dest = (unsigned long)kfree;
	else if (!strcmp(mode, "symbol"))
		kpf_bad_relocs[0].name = (unsigned long)"kpf_no_such_symbol";
	else if (!strcmp(mode, "sympos"))
		kpf_bad_relocs[0].sympos = 3;
	else if (!strcmp(mode, "size"))
		kpf_bad_relocs[0].size = 4096;
	else
		return -EINVAL;
	return kpatch_register_patch(p);
}

static void __exit kpf_bad_exit(void)
{
	kpatch_unregister_patch(&kpf_bad_patch);
}

module_init(kpf_bad_init);
module_exit(kpf_bad_exit);
MODULE_LICENSE("GPL");

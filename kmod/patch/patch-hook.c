// SPDX-License-Identifier: GPL-2.0
/*
 * patch-hook.c - the part of every patch module that is not the patch:
 * it hands the .kpatch.* records that kpatch.lds gathered to the core.
 *
 * Built with -DKPATCH_NAME="..." and optionally -DKPATCH_REPLACE=1,
 * -DKPATCH_PATCH_SHA256="..." and -DKPATCH_BUILD_ID="..." (see Kbuild).
 */
#include <linux/module.h>
#include <linux/stringify.h>
#include "kpatch-abi.h"

#ifndef KPATCH_NAME
#error "KPATCH_NAME must be defined"
#endif

/* Defined by kpatch.lds around each section. */
extern const struct kpatch_func __kpatch_funcs[], __kpatch_funcs_end[];
extern const struct kpatch_reloc __kpatch_relocs[], __kpatch_relocs_end[];
extern const struct kpatch_callback
	__kpatch_cb_pre_patch[], __kpatch_cb_pre_patch_end[],
	__kpatch_cb_post_patch[], __kpatch_cb_post_patch_end[],
	__kpatch_cb_pre_unpatch[], __kpatch_cb_pre_unpatch_end[],
	__kpatch_cb_post_unpatch[], __kpatch_cb_post_unpatch_end[];

/*
 * An empty, allocated piece of each record section, so that the sections
 * exist and get loaded even when the patch has no record of a kind.
 */
#define KPATCH_SECTION_MARK(sec) \
	static const u64 __used __section(sec) __aligned(8) \
	__UNIQUE_ID(kpatch_mark)[0]
KPATCH_SECTION_MARK(KPATCH_FUNCS_SECTION);
KPATCH_SECTION_MARK(KPATCH_RELOCS_SECTION);
KPATCH_SECTION_MARK(KPATCH_CB_PRE_PATCH_SECTION);
KPATCH_SECTION_MARK(KPATCH_CB_POST_PATCH_SECTION);
KPATCH_SECTION_MARK(KPATCH_CB_PRE_UNPATCH_SECTION);
KPATCH_SECTION_MARK(KPATCH_CB_POST_UNPATCH_SECTION);

static struct kpatch_patch kpatch_patch = {
	.abi_version = KPATCH_ABI_VERSION,
#if KPATCH_REPLACE
	.flags = KPATCH_PATCH_REPLACE,
#endif
	.funcs = __kpatch_funcs,
	.funcs_end = __kpatch_funcs_end,
	.relocs = __kpatch_relocs,
	.relocs_end = __kpatch_relocs_end,
	.pre_patch = __kpatch_cb_pre_patch,
	.pre_patch_end = __kpatch_cb_pre_patch_end,
	.post_patch = __kpatch_cb_post_patch,
	.post_patch_end = __kpatch_cb_post_patch_end,
	.pre_unpatch = __kpatch_cb_pre_unpatch,
	.pre_unpatch_end = __kpatch_cb_pre_unpatch_end,
	.post_unpatch = __kpatch_cb_post_unpatch,
	.post_unpatch_end = __kpatch_cb_post_unpatch_end,
};

static int __init kpatch_patch_init(void)
{
	kpatch_patch.mod = THIS_MODULE;
	return kpatch_register_patch(&kpatch_patch);
}

static void __exit kpatch_patch_exit(void)
{
	kpatch_unregister_patch(&kpatch_patch);
}

module_init(kpatch_patch_init);
module_exit(kpatch_patch_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("kpatch patch module " KPATCH_NAME);
MODULE_INFO(kpatch_abi, __stringify(KPATCH_ABI_VERSION));
MODULE_INFO(kpatch_name, KPATCH_NAME);
#if KPATCH_REPLACE
MODULE_INFO(kpatch_replace, "Y");
#else
MODULE_INFO(kpatch_replace, "N");
#endif
#ifdef KPATCH_PATCH_SHA256
MODULE_INFO(kpatch_patch_sha256, KPATCH_PATCH_SHA256);
#endif
#ifdef KPATCH_BUILD_ID
MODULE_INFO(kpatch_vmlinux_build_id, KPATCH_BUILD_ID);
#endif

// SPDX-License-Identifier: GPL-2.0
/* Every name of issue 8 as an existing kpatch patch writes it: must compile. */
#include <linux/module.h>
#include <linux/livepatch.h>
#include "kpatch-macros.h"
#include "kpatch-syscall.h"

static int pre(patch_object *obj) { return obj->mod ? 0 : !obj->name; }
static void post(patch_object *obj) { KPATCH_PRINTK(KERN_INFO "%s\n", obj->name); }
static void pre_un(patch_object *obj) { KPATCH_PRINTK_DEFERRED(KERN_INFO "%s\n", obj->name); }
static void post_un(patch_object *obj) { klp_shadow_free_all(1, NULL); }
KPATCH_PRE_PATCH_CALLBACK(pre);
KPATCH_POST_PATCH_CALLBACK(post);
KPATCH_PRE_UNPATCH_CALLBACK(pre_un);
KPATCH_POST_UNPATCH_CALLBACK(post_un);

static noinline int ignored(int x) { return x + 1; }
static noinline int forced(int x) { return x + 2; }
KPATCH_IGNORE_FUNCTION(ignored);
KPATCH_FORCE_UNSAFE(forced);
KPATCH_IGNORE_SECTION(".init.text");

KPATCH_SYSCALL_DEFINE1(kpc1, int, a) { return a + ignored(0) + forced(0); }
KPATCH_SYSCALL_DEFINE2(kpc2, int, a, long, b) { return a + b; }
KPATCH_SYSCALL_DEFINE3(kpc3, int, a, long, b, char __user *, c) { return a + b + !c; }
KPATCH_SYSCALL_DEFINE4(kpc4, int, a, long, b, u64, c, unsigned int, d) { return a + b + c + d; }
KPATCH_SYSCALL_DEFINE5(kpc5, int, a, long, b, u64, c, unsigned int, d, short, e) { return a + b + c + d + e; }
KPATCH_SYSCALL_DEFINE6(kpc6, int, a, long, b, u64, c, unsigned int, d, short, e, void __user *, f)
{
	return a + b + c + d + e + !f;
}

MODULE_LICENSE("GPL");

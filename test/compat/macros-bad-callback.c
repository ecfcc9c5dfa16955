// SPDX-License-Identifier: GPL-2.0
/* A post-patch callback of the pre-patch type: must not compile. */
#include <linux/module.h>
#include "kpatch-macros.h"

static int post(patch_object *obj) { return 0; }
KPATCH_POST_PATCH_CALLBACK(post);
MODULE_LICENSE("GPL");

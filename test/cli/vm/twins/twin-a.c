// SPDX-License-Identifier: GPL-2.0
/* The first twin(), and the module's init (see twins.h). */
#include <linux/module.h>
#include "twins.h"

static __attribute__((__noipa__)) int twin(void)
{
	return 1;
}

int twin_a(void)
{
	return twin();
}

static int __init twins_init(void)
{
	return twin_a() + twin_b() == 3 ? 0 : -EINVAL;
}

static void __exit twins_exit(void)
{
}

module_init(twins_init);
module_exit(twins_exit);
MODULE_DESCRIPTION("kpatch command test: two functions named twin");
MODULE_LICENSE("GPL");

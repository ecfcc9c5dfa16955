/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The output.o of a hand-made patch module for the kpatch command's VM
 * tests: what create-diff-object would write for a one-function patch, a
 * replacement function and its .kpatch.funcs record, linked with the real
 * template (kmod/patch).  sizes.h, written by build-payload, holds the
 * old functions' sizes in the test kernel (OLD_SIZE_<function>).
 */
#include <linux/kernel.h>
#include "kpatch-abi.h"
#include "sizes.h"

/*
 * The replacement livepatch_<fn> is only reached through the record; the
 * core only needs new_size to lie inside the patch module.  pos is the
 * sympos: which of several functions named fn in obj (0: the only one).
 */
#define KPATCH_CLI_FUNC(fn, obj) KPATCH_CLI_FUNC_AT(fn, obj, 0)
#define KPATCH_CLI_FUNC_AT(fn, obj, pos)				\
	static const char name_##fn[] __section(".kpatch.strings") = #fn; \
	static const char obj_##fn[] __section(".kpatch.strings") = obj; \
	static const struct kpatch_func func_##fn __used		\
		__section(".kpatch.funcs") = {				\
		.new_addr = (unsigned long)livepatch_##fn,		\
		.name = (unsigned long)name_##fn,			\
		.objname = (unsigned long)obj_##fn,			\
		.old_size = OLD_SIZE_##fn,				\
		.new_size = 1,						\
		.sympos = pos,						\
	}

/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kpatch-macros.h - markers for patch authors.
 *
 * Include this from a source patch.  The markers only leave records in
 * sections that create-diff-object reads (section names in kpatch-abi.h);
 * the callback records are carried into the patch module and run by the
 * core.  Names and sections are those existing kpatch patches use.
 */
#ifndef _KPATCH_MACROS_H
#define _KPATCH_MACROS_H

#include <linux/compiler.h>
#include <linux/printk.h>
#include "kpatch-abi.h"

typedef struct kpatch_object_view patch_object;

/* Leave every change in section @_sec out of the patch. */
#define KPATCH_IGNORE_SECTION(_sec)					\
	static const char *__UNIQUE_ID(kpatch_ignore_section_) __used	\
	__section(".kpatch.ignore.sections") = (_sec)

/* Leave every change in function @_fn out of the patch. */
#define KPATCH_IGNORE_FUNCTION(_fn)					\
	static void *__kpatch_ignore_func_##_fn __used			\
	__section(".kpatch.ignore.functions") = (void *)(_fn)

/*
 * Switch @_fn without checking that no task is inside it: for functions
 * that are always on some stack (e.g. a loop of a kthread that never
 * returns).  The core logs every forced function when it switches.
 */
#define KPATCH_FORCE_UNSAFE(_fn)					\
	static void *__kpatch_force_func_##_fn __used			\
	__section(".kpatch.force") = (void *)(_fn)

/*
 * Callbacks of the object (vmlinux or module) the marker is compiled into;
 * create-diff-object fills in objname.  A pre-patch callback returns 0 or
 * an error that aborts the patch (or the target module's load).
 */
#define __KPATCH_CALLBACK(_fn, _sec, _type, _kind)			\
	_Static_assert(__builtin_types_compatible_p(typeof(&_fn), _type), \
		       #_fn " must be " _kind);				\
	static const struct kpatch_callback __kpatch_cb_##_sec##_##_fn __used \
	__section(".kpatch.callbacks." #_sec) __aligned(8) = {			\
		.fn = (__u64)(unsigned long)&_fn,			\
		.objname = 0,						\
	}

#define KPATCH_PRE_PATCH_CALLBACK(_fn)					\
	__KPATCH_CALLBACK(_fn, pre_patch, int (*)(patch_object *),	\
			  "int (*)(patch_object *)")
#define KPATCH_POST_PATCH_CALLBACK(_fn)					\
	__KPATCH_CALLBACK(_fn, post_patch, void (*)(patch_object *),	\
			  "void (*)(patch_object *)")
#define KPATCH_PRE_UNPATCH_CALLBACK(_fn)				\
	__KPATCH_CALLBACK(_fn, pre_unpatch, void (*)(patch_object *),	\
			  "void (*)(patch_object *)")
#define KPATCH_POST_UNPATCH_CALLBACK(_fn)				\
	__KPATCH_CALLBACK(_fn, post_unpatch, void (*)(patch_object *),	\
			  "void (*)(patch_object *)")

/*
 * printk from patched code.  A plain printk works; KPATCH_PRINTK only
 * keeps the format string in the function's own rodata, and
 * KPATCH_PRINTK_DEFERRED is for contexts where printk may not touch the
 * console (scheduler and timekeeping paths).
 */
#define KPATCH_PRINTK(_fmt, ...)					\
({									\
	static const char __kpatch_fmt[] = _fmt;			\
	printk(__kpatch_fmt, ##__VA_ARGS__);				\
})

#define KPATCH_PRINTK_DEFERRED(_fmt, ...)				\
({									\
	static const char __kpatch_fmt[] = _fmt;			\
	printk_deferred(__kpatch_fmt, ##__VA_ARGS__);			\
})

#endif /* _KPATCH_MACROS_H */

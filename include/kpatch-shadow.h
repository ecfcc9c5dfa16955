/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kpatch-shadow.h - shadow variables, provided by the kpatch core module.
 *
 * A shadow variable attaches new data to an existing object that a patch
 * cannot grow: it is found by the pair (object pointer, id).  The core
 * implements them itself, so they work whether or not the kernel was built
 * with CONFIG_LIVEPATCH.  Lookups are lock-free (RCU); allocation and
 * freeing take a spinlock, so constructors and destructors must not sleep.
 */
#ifndef _KPATCH_SHADOW_H
#define _KPATCH_SHADOW_H

#include <linux/types.h>

/* Fills in a new shadow variable; non-zero refuses the allocation. */
typedef int (*kpatch_shadow_ctor_t)(void *obj, void *shadow_data,
				    void *ctor_data);
/* Releases what a shadow variable holds (not the variable itself). */
typedef void (*kpatch_shadow_dtor_t)(void *obj, void *shadow_data);

/* The data of (obj, id), or NULL. */
void *kpatch_shadow_get(void *obj, unsigned long id);

/*
 * A new zeroed (obj, id) of @size bytes, initialised by @ctor when given.
 * NULL if it already exists, on allocation failure, or if @ctor fails.
 */
void *kpatch_shadow_alloc(void *obj, unsigned long id, size_t size,
			  gfp_t gfp_flags, kpatch_shadow_ctor_t ctor,
			  void *ctor_data);

/* The existing (obj, id), or a new one as kpatch_shadow_alloc() makes it. */
void *kpatch_shadow_get_or_alloc(void *obj, unsigned long id, size_t size,
				 gfp_t gfp_flags, kpatch_shadow_ctor_t ctor,
				 void *ctor_data);

/* Free (obj, id), calling @dtor first when given. */
void kpatch_shadow_free(void *obj, unsigned long id,
			kpatch_shadow_dtor_t dtor);

/* Free every shadow variable with @id, calling @dtor on each. */
void kpatch_shadow_free_all(unsigned long id, kpatch_shadow_dtor_t dtor);

#endif /* _KPATCH_SHADOW_H */

// SPDX-License-Identifier: GPL-2.0
/*
 * shadow.c - shadow variables (include/kpatch-shadow.h).
 *
 * A hash table keyed by the object pointer; lookups walk it under RCU,
 * writers hold kpatch_shadow_lock (constructors and destructors run under
 * it).  Entries are freed after a grace period, so a lookup racing a free
 * never walks freed memory; the data it returns, though, is only good
 * while the caller keeps that (obj, id) from being freed, as with the
 * kernel's klp_shadow_get().
 */
#define pr_fmt(fmt) "kpatch: " fmt

#include <linux/hashtable.h>
#include <linux/rculist.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include "kpatch-shadow.h"
#include "core.h"

struct kpatch_shadow {
	struct hlist_node node;
	struct rcu_head rcu;
	void *obj;
	unsigned long id;
	char data[];
};

static DEFINE_HASHTABLE(kpatch_shadow_hash, 12);
static DEFINE_SPINLOCK(kpatch_shadow_lock);

static struct kpatch_shadow *kpatch_shadow_find(void *obj, unsigned long id)
{
	struct kpatch_shadow *s;

	hash_for_each_possible_rcu(kpatch_shadow_hash, s, node,
				   (unsigned long)obj,
				   lockdep_is_held(&kpatch_shadow_lock))
		if (s->obj == obj && s->id == id)
			return s;
	return NULL;
}

void *kpatch_shadow_get(void *obj, unsigned long id)
{
	struct kpatch_shadow *s;

	rcu_read_lock();
	s = kpatch_shadow_find(obj, id);
	rcu_read_unlock();
	return s ? s->data : NULL;
}
EXPORT_SYMBOL_GPL(kpatch_shadow_get);

static void *kpatch_shadow_add(void *obj, unsigned long id, size_t size,
			       gfp_t gfp_flags, kpatch_shadow_ctor_t ctor,
			       void *ctor_data, bool existing_ok)
{
	struct kpatch_shadow *new, *old;
	unsigned long flags;
	void *data;

	data = kpatch_shadow_get(obj, id);
	if (data)
		goto exists;

	/* Allocate outside the lock: @gfp_flags may sleep. */
	new = kzalloc(struct_size(new, data, size), gfp_flags);
	if (!new)
		return NULL;
	new->obj = obj;
	new->id = id;

	spin_lock_irqsave(&kpatch_shadow_lock, flags);
	old = kpatch_shadow_find(obj, id);
	if (old) {
		spin_unlock_irqrestore(&kpatch_shadow_lock, flags);
		kfree(new);
		data = old->data;
		goto exists;
	}
	if (ctor && ctor(obj, new->data, ctor_data)) {
		spin_unlock_irqrestore(&kpatch_shadow_lock, flags);
		kfree(new);
		return NULL;
	}
	hash_add_rcu(kpatch_shadow_hash, &new->node, (unsigned long)obj);
	spin_unlock_irqrestore(&kpatch_shadow_lock, flags);
	return new->data;

exists:
	if (existing_ok)
		return data;
	pr_err("shadow variable <%p, %lu> already exists\n", obj, id);
	return NULL;
}

void *kpatch_shadow_alloc(void *obj, unsigned long id, size_t size,
			  gfp_t gfp_flags, kpatch_shadow_ctor_t ctor,
			  void *ctor_data)
{
	return kpatch_shadow_add(obj, id, size, gfp_flags, ctor, ctor_data,
				 false);
}
EXPORT_SYMBOL_GPL(kpatch_shadow_alloc);

void *kpatch_shadow_get_or_alloc(void *obj, unsigned long id, size_t size,
				 gfp_t gfp_flags, kpatch_shadow_ctor_t ctor,
				 void *ctor_data)
{
	return kpatch_shadow_add(obj, id, size, gfp_flags, ctor, ctor_data,
				 true);
}
EXPORT_SYMBOL_GPL(kpatch_shadow_get_or_alloc);

static void kpatch_shadow_drop(struct kpatch_shadow *s,
			       kpatch_shadow_dtor_t dtor)
{
	hash_del_rcu(&s->node);
	if (dtor)
		dtor(s->obj, s->data);
	kfree_rcu(s, rcu);
}

void kpatch_shadow_free(void *obj, unsigned long id, kpatch_shadow_dtor_t dtor)
{
	struct kpatch_shadow *s;
	unsigned long flags;

	spin_lock_irqsave(&kpatch_shadow_lock, flags);
	s = kpatch_shadow_find(obj, id);
	if (s)
		kpatch_shadow_drop(s, dtor);
	spin_unlock_irqrestore(&kpatch_shadow_lock, flags);
}
EXPORT_SYMBOL_GPL(kpatch_shadow_free);

void kpatch_shadow_free_all(unsigned long id, kpatch_shadow_dtor_t dtor)
{
	struct kpatch_shadow *s;
	struct hlist_node *tmp;
	unsigned long flags;
	int bkt;

	spin_lock_irqsave(&kpatch_shadow_lock, flags);
	hash_for_each_safe(kpatch_shadow_hash, bkt, tmp, s, node)
		if (s->id == id)
			kpatch_shadow_drop(s, dtor);
	spin_unlock_irqrestore(&kpatch_shadow_lock, flags);
}
EXPORT_SYMBOL_GPL(kpatch_shadow_free_all);

/* Patch modules depend on the core, so none is left to use these. */
void kpatch_shadow_exit(void)
{
	struct kpatch_shadow *s;
	struct hlist_node *tmp;
	int bkt;

	hash_for_each_safe(kpatch_shadow_hash, bkt, tmp, s, node)
		kpatch_shadow_drop(s, NULL);
	rcu_barrier();
}

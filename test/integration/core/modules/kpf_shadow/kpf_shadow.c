// SPDX-License-Identifier: GPL-2.0
/*
 * kpf_shadow - exercises the core's shadow variables at load time and
 * refuses to load (-EINVAL) if any check fails, naming it in the log.
 */
#include <linux/module.h>
#include <linux/slab.h>
#include "kpatch-shadow.h"

#define KPF_N		64
#define KPF_ID		0x6b7066	/* "kpf" */
#define KPF_OTHER_ID	(KPF_ID + 1)

struct kpf_shadow_data {
	int value;
	void *buf;		/* owned: the destructor frees it */
};

static int kpf_objs[KPF_N];
static int kpf_ctor_calls, kpf_dtor_calls;

static int kpf_ctor(void *obj, void *shadow_data, void *ctor_data)
{
	struct kpf_shadow_data *d = shadow_data;

	kpf_ctor_calls++;
	if (ctor_data == ERR_PTR(-EINVAL))
		return -EINVAL;
	d->value = *(int *)ctor_data;
	d->buf = kmalloc(32, GFP_ATOMIC);
	return d->buf ? 0 : -ENOMEM;
}

static void kpf_dtor(void *obj, void *shadow_data)
{
	struct kpf_shadow_data *d = shadow_data;

	kpf_dtor_calls++;
	kfree(d->buf);
	d->buf = NULL;
}

#define CHECK(cond)							\
	do {								\
		if (!(cond)) {						\
			pr_err("kpf_shadow: FAIL: %s (line %d)\n",	\
			       #cond, __LINE__);			\
			ret = -EINVAL;					\
			goto out;					\
		}							\
	} while (0)

static int __init kpf_shadow_init(void)
{
	struct kpf_shadow_data *d, *e;
	int i, v, ret = 0;

	for (i = 0; i < KPF_N; i++) {
		v = 100 + i;
		d = kpatch_shadow_alloc(&kpf_objs[i], KPF_ID, sizeof(*d),
					GFP_KERNEL, kpf_ctor, &v);
		CHECK(d && d->value == 100 + i && d->buf);
	}
	CHECK(kpf_ctor_calls == KPF_N);

	/* A second variable on the same object, under another id. */
	v = 7;
	CHECK(kpatch_shadow_alloc(&kpf_objs[0], KPF_OTHER_ID, sizeof(*d),
				  GFP_KERNEL, kpf_ctor, &v));

	for (i = 0; i < KPF_N; i++) {
		d = kpatch_shadow_get(&kpf_objs[i], KPF_ID);
		CHECK(d && d->value == 100 + i);
	}
	CHECK(((struct kpf_shadow_data *)
	       kpatch_shadow_get(&kpf_objs[0], KPF_OTHER_ID))->value == 7);
	CHECK(!kpatch_shadow_get(&kpf_objs[0], KPF_ID + 2));
	CHECK(!kpatch_shadow_get(&kpf_ctor_calls, KPF_ID));

	/* Existing: alloc refuses, get_or_alloc returns it untouched. */
	v = 1;
	CHECK(!kpatch_shadow_alloc(&kpf_objs[1], KPF_ID, sizeof(*d),
				   GFP_KERNEL, kpf_ctor, &v));
	d = kpatch_shadow_get(&kpf_objs[1], KPF_ID);
	e = kpatch_shadow_get_or_alloc(&kpf_objs[1], KPF_ID, sizeof(*d),
				       GFP_KERNEL, kpf_ctor, &v);
	CHECK(e == d && e->value == 101);
	CHECK(kpf_ctor_calls == KPF_N + 1);

	/* A failing constructor leaves nothing behind. */
	CHECK(!kpatch_shadow_alloc(&kpf_ctor_calls, KPF_ID, sizeof(*d),
				   GFP_KERNEL, kpf_ctor, ERR_PTR(-EINVAL)));
	CHECK(!kpatch_shadow_get(&kpf_ctor_calls, KPF_ID));

	/* get_or_alloc of a new one constructs it. */
	v = 55;
	d = kpatch_shadow_get_or_alloc(&kpf_ctor_calls, KPF_ID, sizeof(*d),
				       GFP_KERNEL, kpf_ctor, &v);
	CHECK(d && d->value == 55);
	kpatch_shadow_free(&kpf_ctor_calls, KPF_ID, kpf_dtor);
	CHECK(kpf_dtor_calls == 1);

	/* free: one variable, destructor once, then gone. */
	kpatch_shadow_free(&kpf_objs[2], KPF_ID, kpf_dtor);
	CHECK(kpf_dtor_calls == 2);
	CHECK(!kpatch_shadow_get(&kpf_objs[2], KPF_ID));
	kpatch_shadow_free(&kpf_objs[2], KPF_ID, kpf_dtor);
	CHECK(kpf_dtor_calls == 2);

	/* free_all: every remaining KPF_ID, and only those. */
	kpatch_shadow_free_all(KPF_ID, kpf_dtor);
	CHECK(kpf_dtor_calls == 2 + KPF_N - 1);
	for (i = 0; i < KPF_N; i++)
		CHECK(!kpatch_shadow_get(&kpf_objs[i], KPF_ID));
	CHECK(kpatch_shadow_get(&kpf_objs[0], KPF_OTHER_ID));
	kpatch_shadow_free_all(KPF_OTHER_ID, kpf_dtor);
	CHECK(!kpatch_shadow_get(&kpf_objs[0], KPF_OTHER_ID));

	/* Leak check: every constructed buffer was destroyed exactly once. */
	CHECK(kpf_dtor_calls == kpf_ctor_calls - 1);
	pr_info("kpf_shadow: all checks passed (%d constructed, %d destroyed)\n",
		kpf_ctor_calls, kpf_dtor_calls);
out:
	return ret;
}

static void __exit kpf_shadow_exit(void)
{
}

module_init(kpf_shadow_init);
module_exit(kpf_shadow_exit);
MODULE_LICENSE("GPL");

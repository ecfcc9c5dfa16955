// SPDX-License-Identifier: GPL-2.0
/*
 * kpf_multi: one patch for two target modules (the selftests' "multiple
 * target modules"): kpf_target_value() and kpf_slow_value() return 3, and
 * every callback of both objects logs the object and its module's state.
 */
#include <linux/module.h>
#include <linux/printk.h>
#include "kpf.h"

static int kpf_multi_target_value(void)
{
	return 3;
}
KPF_FUNC(kpf_multi_target_value, kpf_target_value, "kpf_target", 0);

static int kpf_multi_slow_value(void)
{
	return 3;
}
KPF_FUNC(kpf_multi_slow_value, kpf_slow_value, "kpf_slow", 0);

static const char *kpf_multi_state(struct kpatch_object_view *obj)
{
	if (!obj->mod)
		return "none";
	switch (obj->mod->state) {
	case MODULE_STATE_LIVE: return "live";
	case MODULE_STATE_COMING: return "coming";
	case MODULE_STATE_GOING: return "going";
	default: return "other";
	}
}

#define KPF_MULTI_CALLBACKS(obj, tag)					\
static int kpf_multi_pre_patch_##tag(struct kpatch_object_view *o)	\
{									\
	pr_info("kpf_multi: pre_patch %s %s\n", o->name, kpf_multi_state(o)); \
	return 0;							\
}									\
KPF_CALLBACK(kpf_multi_pre_patch_##tag, pre_patch, obj);		\
static void kpf_multi_post_patch_##tag(struct kpatch_object_view *o)	\
{									\
	pr_info("kpf_multi: post_patch %s %s\n", o->name, kpf_multi_state(o)); \
}									\
KPF_CALLBACK(kpf_multi_post_patch_##tag, post_patch, obj);		\
static void kpf_multi_pre_unpatch_##tag(struct kpatch_object_view *o)	\
{									\
	pr_info("kpf_multi: pre_unpatch %s %s\n", o->name, kpf_multi_state(o)); \
}									\
KPF_CALLBACK(kpf_multi_pre_unpatch_##tag, pre_unpatch, obj);		\
static void kpf_multi_post_unpatch_##tag(struct kpatch_object_view *o)	\
{									\
	pr_info("kpf_multi: post_unpatch %s %s\n", o->name, kpf_multi_state(o)); \
}									\
KPF_CALLBACK(kpf_multi_post_unpatch_##tag, post_unpatch, obj)

KPF_MULTI_CALLBACKS("kpf_target", target);
KPF_MULTI_CALLBACKS("kpf_slow", slow);

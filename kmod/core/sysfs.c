// SPDX-License-Identifier: GPL-2.0
/*
 * sysfs.c - /sys/kernel/kpatch/, laid out in doc/interfaces.md.
 *
 * Each patch, object and function structure embeds its kobject, and the
 * kobject's release frees the structure: whoever still has a sysfs file
 * of it open keeps it alive.  Show functions read single fields without
 * kpatch_mutex; the only store takes it.
 */
#define pr_fmt(fmt) "kpatch: " fmt

#include <linux/kobject.h>
#include <linux/slab.h>
#include <linux/sysfs.h>
#include "core.h"

static struct kobject *kpatch_root;

#define kpatch_attr_ro(type, field, fmt, ...)				\
static ssize_t field##_show(struct kobject *kobj,			\
			    struct kobj_attribute *attr, char *buf)	\
{									\
	struct type *p = container_of(kobj, struct type, kobj);	\
	char ns[KPATCH_NS_LEN] __maybe_unused;				\
									\
	return sysfs_emit(buf, fmt "\n", __VA_ARGS__);			\
}									\
static struct kobj_attribute field##_attr = __ATTR_RO(field)

static ssize_t last_error_show(struct kobject *kobj,
			       struct kobj_attribute *attr, char *buf)
{
	return kpatch_show_error(buf);
}
static struct kobj_attribute last_error_attr = __ATTR_RO(last_error);

/*
 * "dead" once ftrace has shut itself down after an internal error: it
 * calls no ops any more, so no patch is live whatever else sysfs says.
 */
static ssize_t ftrace_show(struct kobject *kobj, struct kobj_attribute *attr,
			   char *buf)
{
	return sysfs_emit(buf, "%s\n", kpatch_ftrace_dead() ? "dead" : "running");
}
static struct kobj_attribute ftrace_attr = __ATTR_RO(ftrace);

static struct attribute *kpatch_root_attrs[] = {
	&last_error_attr.attr,
	&ftrace_attr.attr,
	NULL
};
static const struct attribute_group kpatch_root_group = {
	.attrs = kpatch_root_attrs,
};

/* ---- /sys/kernel/kpatch/<patch>/ ---- */

static ssize_t enabled_show(struct kobject *kobj, struct kobj_attribute *attr,
			    char *buf)
{
	struct kpatch_priv *p = container_of(kobj, struct kpatch_priv, kobj);

	return sysfs_emit(buf, "%d\n", READ_ONCE(p->enabled));
}

static ssize_t enabled_store(struct kobject *kobj, struct kobj_attribute *attr,
			     const char *buf, size_t count)
{
	struct kpatch_priv *p = container_of(kobj, struct kpatch_priv, kobj);
	bool enable;
	int ret;

	ret = kstrtobool(buf, &enable);
	if (ret)
		return ret;
	mutex_lock(&kpatch_mutex);
	if (p->going)
		ret = -ENODEV;
	else
		ret = enable ? kpatch_enable(p) : kpatch_disable(p);
	mutex_unlock(&kpatch_mutex);
	return ret ?: count;
}
static struct kobj_attribute enabled_attr = __ATTR_RW_MODE(enabled, 0644);

kpatch_attr_ro(kpatch_priv, replace, "%d", p->replace);
kpatch_attr_ro(kpatch_priv, pinned, "%d", READ_ONCE(p->pinned));
kpatch_attr_ro(kpatch_priv, stop_machine_ns, "%s",
	       kpatch_fmt_ns(ns, p->stats.stop_machine_ns,
			     p->stats.clock_res_ns, ""));
kpatch_attr_ro(kpatch_priv, check_ns, "%s",
	       kpatch_fmt_ns(ns, p->stats.check_ns, p->stats.clock_res_ns, ""));
kpatch_attr_ro(kpatch_priv, tasks_checked, "%u", p->stats.tasks_checked);
kpatch_attr_ro(kpatch_priv, pause_walks, "%u", p->stats.pause_walks);
kpatch_attr_ro(kpatch_priv, retries, "%u", p->stats.retries);

static struct attribute *kpatch_patch_attrs[] = {
	&enabled_attr.attr,
	&replace_attr.attr,
	&pinned_attr.attr,
	&stop_machine_ns_attr.attr,
	&check_ns_attr.attr,
	&tasks_checked_attr.attr,
	&pause_walks_attr.attr,
	&retries_attr.attr,
	NULL
};
ATTRIBUTE_GROUPS(kpatch_patch);

static void kpatch_patch_release(struct kobject *kobj)
{
	kfree(container_of(kobj, struct kpatch_priv, kobj));
}

struct kobj_type kpatch_patch_ktype = {
	.release = kpatch_patch_release,
	.sysfs_ops = &kobj_sysfs_ops,
	.default_groups = kpatch_patch_groups,
};

/* ---- /sys/kernel/kpatch/<patch>/<object>/ ---- */

kpatch_attr_ro(kpatch_obj, loaded, "%d", READ_ONCE(p->loaded));

static struct attribute *kpatch_obj_attrs[] = {
	&loaded_attr.attr,
	NULL
};
ATTRIBUTE_GROUPS(kpatch_obj);

static void kpatch_obj_release(struct kobject *kobj)
{
	kfree(container_of(kobj, struct kpatch_obj, kobj));
}

struct kobj_type kpatch_obj_ktype = {
	.release = kpatch_obj_release,
	.sysfs_ops = &kobj_sysfs_ops,
	.default_groups = kpatch_obj_groups,
};

/* ---- /sys/kernel/kpatch/<patch>/<object>/<function>,<sympos>/ ---- */

/* "0" while unresolved: the kernel's %#lx would print "0x0". */
static const char *kpatch_hex_prefix(unsigned long addr)
{
	return addr ? "0x" : "";
}

kpatch_attr_ro(kpatch_fn, old_addr, "%s%lx",
	       kpatch_hex_prefix(READ_ONCE(p->old_addr)), READ_ONCE(p->old_addr));
kpatch_attr_ro(kpatch_fn, new_addr, "%s%lx", kpatch_hex_prefix(p->new_addr),
	       p->new_addr);
kpatch_attr_ro(kpatch_fn, sympos, "%lu", p->sympos);
/* Not what callers get once ftrace has shut itself down: it calls no ops. */
kpatch_attr_ro(kpatch_fn, active, "%d",
	       READ_ONCE(p->active) && !kpatch_ftrace_dead());
kpatch_attr_ro(kpatch_fn, forced, "%d", p->force);

/*
 * How calls to the function are redirected (kpatch_redirect_name()), or
 * empty while this version is not attached.  kpatch_ops is freed after
 * an RCU grace period, and fn->ops cleared before that.
 */
static ssize_t redirect_show(struct kobject *kobj, struct kobj_attribute *attr,
			     char *buf)
{
	struct kpatch_fn *fn = container_of(kobj, struct kpatch_fn, kobj);
	const struct kpatch_ops *ops;
	const char *how = "";

	rcu_read_lock();
	ops = READ_ONCE(fn->ops);
	if (ops)
		how = kpatch_redirect_name(ops);
	rcu_read_unlock();
	return sysfs_emit(buf, "%s\n", how);
}
static struct kobj_attribute redirect_attr = __ATTR_RO(redirect);

static struct attribute *kpatch_fn_attrs[] = {
	&old_addr_attr.attr,
	&new_addr_attr.attr,
	&sympos_attr.attr,
	&active_attr.attr,
	&forced_attr.attr,
	&redirect_attr.attr,
	NULL
};
ATTRIBUTE_GROUPS(kpatch_fn);

static void kpatch_fn_release(struct kobject *kobj)
{
	kfree(container_of(kobj, struct kpatch_fn, kobj));
}

struct kobj_type kpatch_fn_ktype = {
	.release = kpatch_fn_release,
	.sysfs_ops = &kobj_sysfs_ops,
	.default_groups = kpatch_fn_groups,
};

int kpatch_sysfs_add_patch(struct kpatch_priv *priv)
{
	struct kpatch_obj *obj;
	struct kpatch_fn *fn;
	int ret;

	ret = kobject_add(&priv->kobj, kpatch_root, "%s", kpatch_name(priv));
	if (ret)
		return ret;
	kpatch_for_each_obj(priv, obj) {
		ret = kobject_add(&obj->kobj, &priv->kobj, "%s", obj->name);
		if (ret)
			return ret;
		kpatch_for_each_fn(obj, fn) {
			ret = kobject_add(&fn->kobj, &obj->kobj, "%s,%lu",
					  fn->name, fn->sympos);
			if (ret)
				return ret;
		}
	}
	return 0;
}

/* Children first: each kobject holds a reference on its parent. */
void kpatch_free_patch(struct kpatch_priv *priv)
{
	struct kpatch_obj *obj, *otmp;
	struct kpatch_fn *fn, *ftmp;

	list_for_each_entry_safe(obj, otmp, &priv->objs, node) {
		list_for_each_entry_safe(fn, ftmp, &obj->funcs, node)
			kobject_put(&fn->kobj);
		kobject_put(&obj->kobj);
	}
	kobject_put(&priv->kobj);
}

int kpatch_sysfs_init(void)
{
	int ret;

	kpatch_root = kobject_create_and_add("kpatch", kernel_kobj);
	if (!kpatch_root)
		return -ENOMEM;
	ret = sysfs_create_group(kpatch_root, &kpatch_root_group);
	if (ret)
		kobject_put(kpatch_root);
	return ret;
}

void kpatch_sysfs_exit(void)
{
	kobject_put(kpatch_root);
}

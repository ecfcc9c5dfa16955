// SPDX-License-Identifier: GPL-2.0
/*
 * core.c - kpatch.ko: registration of patches, their objects and
 * callbacks, enabling and disabling, and patching modules as they come
 * and go.
 *
 * A patch is enabled by registering it (the patch module's init) and may
 * later be disabled and enabled again through sysfs.  An enabled patch
 * holds a reference on its own module, so only a disabled patch module can
 * be removed.  Patches are kept in enable order: the newest enabled
 * version of a function is the one callers get.
 */
#define pr_fmt(fmt) "kpatch: " fmt

#include <linux/module.h>
#include <linux/slab.h>
#include "compat.h"
#include "core.h"

DEFINE_MUTEX(kpatch_mutex);
LIST_HEAD(kpatch_patches);

static DEFINE_SPINLOCK(kpatch_error_lock);
static char kpatch_last_error[256];

void kpatch_set_error(const struct kpatch_priv *priv, const char *fmt, ...)
{
	char msg[sizeof(kpatch_last_error) - MODULE_NAME_LEN - 3];
	va_list args;

	va_start(args, fmt);
	vscnprintf(msg, sizeof(msg), fmt, args);
	va_end(args);
	pr_err("%s: %s\n", kpatch_name(priv), msg);

	spin_lock(&kpatch_error_lock);
	scnprintf(kpatch_last_error, sizeof(kpatch_last_error), "%s: %s\n",
		  kpatch_name(priv), msg);
	spin_unlock(&kpatch_error_lock);
}

void kpatch_clear_error(void)
{
	spin_lock(&kpatch_error_lock);
	kpatch_last_error[0] = '\0';
	spin_unlock(&kpatch_error_lock);
}

ssize_t kpatch_show_error(char *buf)
{
	ssize_t len;

	spin_lock(&kpatch_error_lock);
	len = sysfs_emit(buf, "%s", kpatch_last_error);
	spin_unlock(&kpatch_error_lock);
	return len;
}

/* ---- validating what the patch module hands us ---- */

/* A NUL-terminated string inside the patch module, or NULL if allowed. */
static bool kpatch_valid_string(const struct module *mod, u64 ptr,
				size_t max, bool optional)
{
	unsigned long s = ptr, end;
	size_t len;

	if (!s)
		return optional;
	end = kpatch_mod_region_end(mod, s);
	if (!end)
		return false;
	max = min_t(size_t, max, end - s);
	len = strnlen((const char *)s, max);
	return len && len < max;
}

static bool kpatch_valid_array(const struct module *mod, const void *start,
			       const void *end, size_t size)
{
	unsigned long s = (unsigned long)start, e = (unsigned long)end;

	if (s == e)
		return true;
	return s && s < e && !((e - s) % size) &&
	       kpatch_in_module(mod, s, e - s);
}

#define kpatch_corrupt(priv, fmt, ...)					\
	({								\
		kpatch_set_error(priv, "corrupt patch description: " fmt, \
				 ##__VA_ARGS__);			\
		-EINVAL;						\
	})

static int kpatch_validate_funcs(struct kpatch_priv *priv)
{
	const struct kpatch_patch *d = priv->desc;
	const struct kpatch_func *f, *g;
	const struct module *mod = priv->mod;
	unsigned int i;

	for (f = d->funcs, i = 0; f < d->funcs_end; f++, i++) {
		if (!kpatch_valid_string(mod, f->name, KSYM_NAME_LEN, false))
			return kpatch_corrupt(priv, "function record %u has no valid name", i);
		if (!kpatch_valid_string(mod, f->objname, MODULE_NAME_LEN, false))
			return kpatch_corrupt(priv, "function record %u (%s) has no valid object name",
					      i, (char *)(unsigned long)f->name);
		if (!f->new_size ||
		    !kpatch_in_module(mod, f->new_addr, f->new_size))
			return kpatch_corrupt(priv, "the replacement of %s is not inside the patch module",
					      (char *)(unsigned long)f->name);
		if ((f->new_cold_addr || f->new_cold_size) &&
		    (!f->new_cold_size ||
		     !kpatch_in_module(mod, f->new_cold_addr, f->new_cold_size)))
			return kpatch_corrupt(priv, "the cold part of the replacement of %s is not inside the patch module",
					      (char *)(unsigned long)f->name);
		if (!kpatch_valid_string(mod, f->old_cold_name, KSYM_NAME_LEN, true) ||
		    (!f->old_cold_name && (f->old_cold_size || f->old_cold_sympos)))
			return kpatch_corrupt(priv, "function record %u (%s) has no valid cold part name",
					      i, (char *)(unsigned long)f->name);
		if (f->reserved)
			return kpatch_corrupt(priv, "function record %u (%s) has reserved bits set",
					      i, (char *)(unsigned long)f->name);
		if (f->flags & ~KPATCH_FUNC_FORCE)
			return kpatch_corrupt(priv, "function %s has unknown flags %#x",
					      (char *)(unsigned long)f->name, f->flags);
		for (g = d->funcs; g < f; g++)
			if (g->sympos == f->sympos &&
			    !strcmp((char *)(unsigned long)g->name,
				    (char *)(unsigned long)f->name) &&
			    !strcmp((char *)(unsigned long)g->objname,
				    (char *)(unsigned long)f->objname))
				return kpatch_corrupt(priv, "function %s,%u of %s is replaced twice",
						      (char *)(unsigned long)f->name,
						      f->sympos,
						      (char *)(unsigned long)f->objname);
	}
	return 0;
}

static int kpatch_validate_relocs(struct kpatch_priv *priv)
{
	const struct kpatch_patch *d = priv->desc;
	const struct kpatch_reloc *r;
	unsigned int i, len;

	for (r = d->relocs, i = 0; r < d->relocs_end; r++, i++) {
		if (!kpatch_valid_string(priv->mod, r->name, KSYM_NAME_LEN, false) ||
		    !kpatch_valid_string(priv->mod, r->objname, MODULE_NAME_LEN, false))
			return kpatch_corrupt(priv, "relocation record %u has no valid symbol or object name", i);
		switch (r->type) {
		case R_X86_64_64:
			len = 8;
			break;
		case R_X86_64_32:
		case R_X86_64_32S:
		case R_X86_64_PC32:
		case R_X86_64_PLT32:
			len = 4;
			break;
		default:
			return kpatch_corrupt(priv, "relocation record %u (%s) has unsupported type %u",
					      i, (char *)(unsigned long)r->name, r->type);
		}
		if (!kpatch_in_module(priv->mod, r->dest, len))
			return kpatch_corrupt(priv, "relocation record %u (%s) writes outside the patch module",
					      i, (char *)(unsigned long)r->name);
	}
	return 0;
}

static int kpatch_validate_callbacks(struct kpatch_priv *priv,
				     const struct kpatch_callback *start,
				     const struct kpatch_callback *end,
				     const char *kind)
{
	const struct kpatch_callback *cb;

	if (!kpatch_valid_array(priv->mod, start, end, sizeof(*cb)))
		return kpatch_corrupt(priv, "the %s callback table is malformed", kind);
	for (cb = start; cb < end; cb++)
		if (!kpatch_in_module(priv->mod, cb->fn, 1) ||
		    !kpatch_valid_string(priv->mod, cb->objname,
					 MODULE_NAME_LEN, true))
			return kpatch_corrupt(priv, "a %s callback is not inside the patch module", kind);
	return 0;
}

static int kpatch_validate(struct kpatch_priv *priv)
{
	const struct kpatch_patch *d = priv->desc;
	int ret;

	if (d->flags & ~KPATCH_PATCH_REPLACE)
		return kpatch_corrupt(priv, "unknown patch flags %#x", d->flags);
	if (!kpatch_valid_array(priv->mod, d->funcs, d->funcs_end,
				sizeof(*d->funcs)))
		return kpatch_corrupt(priv, "the function table is malformed");
	if (!kpatch_valid_array(priv->mod, d->relocs, d->relocs_end,
				sizeof(*d->relocs)))
		return kpatch_corrupt(priv, "the relocation table is malformed");
	ret = kpatch_validate_funcs(priv) ?:
	      kpatch_validate_relocs(priv) ?:
	      kpatch_validate_callbacks(priv, d->pre_patch, d->pre_patch_end, "pre-patch") ?:
	      kpatch_validate_callbacks(priv, d->post_patch, d->post_patch_end, "post-patch") ?:
	      kpatch_validate_callbacks(priv, d->pre_unpatch, d->pre_unpatch_end, "pre-unpatch") ?:
	      kpatch_validate_callbacks(priv, d->post_unpatch, d->post_unpatch_end, "post-unpatch");
	return ret;
}

/* ---- objects and functions ---- */

static const char *kpatch_objname(u64 ptr)
{
	const char *name = (const char *)(unsigned long)ptr;

	return kpatch_is_vmlinux(name) ? KPATCH_VMLINUX : name;
}

static struct kpatch_obj *kpatch_get_obj(struct kpatch_priv *priv, u64 ptr)
{
	const char *name = kpatch_objname(ptr);
	struct kpatch_obj *obj;

	kpatch_for_each_obj(priv, obj)
		if (!strcmp(obj->name, name))
			return obj;
	obj = kzalloc(sizeof(*obj), GFP_KERNEL);
	if (!obj)
		return NULL;
	kobject_init(&obj->kobj, &kpatch_obj_ktype);
	obj->priv = priv;
	obj->name = name;
	INIT_LIST_HEAD(&obj->funcs);
	list_add_tail(&obj->node, &priv->objs);
	return obj;
}

static int kpatch_build(struct kpatch_priv *priv)
{
	const struct kpatch_patch *d = priv->desc;
	const struct kpatch_callback *cbs[] = {
		d->pre_patch, d->pre_patch_end, d->post_patch, d->post_patch_end,
		d->pre_unpatch, d->pre_unpatch_end, d->post_unpatch,
		d->post_unpatch_end,
	};
	const struct kpatch_callback *cb;
	const struct kpatch_reloc *r;
	const struct kpatch_func *f;
	struct kpatch_obj *obj;
	struct kpatch_fn *fn;
	unsigned int i;

	for (f = d->funcs; f < d->funcs_end; f++) {
		obj = kpatch_get_obj(priv, f->objname);
		fn = obj ? kzalloc(sizeof(*fn), GFP_KERNEL) : NULL;
		if (!fn)
			return -ENOMEM;
		kobject_init(&fn->kobj, &kpatch_fn_ktype);
		fn->obj = obj;
		fn->name = (const char *)(unsigned long)f->name;
		fn->sympos = f->sympos;
		fn->build_size = f->old_size;
		fn->new_addr = f->new_addr;
		fn->new_size = f->new_size;
		fn->new_cold_addr = f->new_cold_addr;
		fn->new_cold_size = f->new_cold_size;
		fn->old_cold_name = (const char *)(unsigned long)f->old_cold_name;
		fn->old_cold_sympos = f->old_cold_sympos;
		fn->old_cold_build_size = f->old_cold_size;
		fn->force = f->flags & KPATCH_FUNC_FORCE;
		list_add_tail(&fn->node, &obj->funcs);
	}
	/* Objects with only relocations or callbacks still need loading. */
	for (r = d->relocs; r < d->relocs_end; r++)
		if (!kpatch_get_obj(priv, r->objname))
			return -ENOMEM;
	for (i = 0; i < ARRAY_SIZE(cbs); i += 2)
		for (cb = cbs[i]; cb < cbs[i + 1]; cb++)
			if (!kpatch_get_obj(priv, cb->objname))
				return -ENOMEM;
	return 0;
}

static void kpatch_unload_obj(struct kpatch_obj *obj)
{
	struct kpatch_fn *fn;

	kpatch_for_each_fn(obj, fn) {
		fn->old_addr = 0;
		fn->old_size = 0;
		fn->ftrace_ip = 0;
		fn->old_cold_addr = 0;
		fn->old_cold_size = 0;
	}
	obj->mod = NULL;
	obj->loaded = false;
}

/* Resolve @obj against the running kernel; @mod is NULL for vmlinux. */
static int kpatch_load_obj(struct kpatch_obj *obj, struct module *mod)
{
	struct kpatch_fn *fn;
	int ret;

	obj->mod = mod;
	ret = kpatch_apply_relocs(obj);
	if (ret)
		goto err;
	kpatch_for_each_fn(obj, fn) {
		ret = kpatch_resolve_fn(fn);
		if (ret)
			goto err;
	}
	obj->loaded = true;
	return 0;
err:
	kpatch_unload_obj(obj);
	return ret;
}

/*
 * Modules our COMING notifier has seen and that are not live yet.  The
 * kernel sets MODULE_STATE_COMING before ftrace_module_enable(): an ops
 * registered on a module in that window meets records ftrace has not
 * enabled yet, and ftrace_module_enable() then warns (IPMODIFY) and leaves
 * the function unpatched.  Our notifier runs after ftrace_module_enable(),
 * so a coming module it has seen is safe to patch; the kernel's livepatch
 * keeps a per-module flag (klp_alive) for the same reason.
 */
struct kpatch_coming {
	struct list_head node;
	struct module *mod;
};
static LIST_HEAD(kpatch_coming_mods);

static struct kpatch_coming *kpatch_find_coming(const struct module *mod)
{
	struct kpatch_coming *c;

	list_for_each_entry(c, &kpatch_coming_mods, node)
		if (c->mod == mod)
			return c;
	return NULL;
}

/* Not recording a module only makes a patch registering meanwhile wait. */
static void kpatch_seen_coming(struct module *mod)
{
	struct kpatch_coming *c = kmalloc(sizeof(*c), GFP_KERNEL);

	if (!c)
		return;
	c->mod = mod;
	list_add(&c->node, &kpatch_coming_mods);
}

static void kpatch_forget_coming(const struct module *mod)
{
	struct kpatch_coming *c = kpatch_find_coming(mod);

	if (c) {
		list_del(&c->node);
		kfree(c);
	}
}

/*
 * Resolve @obj if its module is present now (vmlinux always is).  A
 * module still loading that our notifier has not seen yet cannot be
 * patched safely, nor skipped (its COMING notification may be past):
 * refuse, the user loads the patch again once the module is live.
 */
static int kpatch_load_present_obj(struct kpatch_obj *obj)
{
	struct module *mod = NULL;
	bool coming;

	if (obj->loaded)
		return 0;
	if (!kpatch_is_vmlinux(obj->name)) {
		mod = kpatch_find_module(obj->name, &coming);
		if (!mod)
			return 0;
		if (coming && !kpatch_find_coming(mod)) {
			kpatch_set_error(obj->priv, "module %s is still loading (its ftrace records may not be enabled yet); load the patch again once it is live",
					 obj->name);
			return -EBUSY;
		}
	}
	return kpatch_load_obj(obj, mod);
}

/* ---- callbacks ---- */

static bool kpatch_callback_is(const struct kpatch_callback *cb,
			       const struct kpatch_obj *obj)
{
	return !strcmp(kpatch_objname(cb->objname), obj->name);
}

static int kpatch_run_callbacks(struct kpatch_obj *obj,
				const struct kpatch_callback *start,
				const struct kpatch_callback *end, bool ret_int)
{
	struct kpatch_object_view view = { .name = obj->name, .mod = obj->mod };
	const struct kpatch_callback *cb;
	int ret;

	for (cb = start; cb < end; cb++) {
		if (!kpatch_callback_is(cb, obj))
			continue;
		if (!ret_int) {
			((void (*)(struct kpatch_object_view *))
			 (unsigned long)cb->fn)(&view);
			continue;
		}
		ret = ((int (*)(struct kpatch_object_view *))
		       (unsigned long)cb->fn)(&view);
		if (ret) {
			kpatch_set_error(obj->priv, "the pre-patch callback %ps of %s failed (%d)",
					 (void *)(unsigned long)cb->fn,
					 obj->name, ret);
			return ret;
		}
	}
	return 0;
}

static int kpatch_pre_patch(struct kpatch_obj *obj)
{
	const struct kpatch_patch *d = obj->priv->desc;
	int ret = kpatch_run_callbacks(obj, d->pre_patch, d->pre_patch_end,
				       true);

	obj->callbacks_on = !ret;
	return ret;
}

static void kpatch_post_patch(struct kpatch_obj *obj)
{
	const struct kpatch_patch *d = obj->priv->desc;

	kpatch_run_callbacks(obj, d->post_patch, d->post_patch_end, false);
}

static void kpatch_pre_unpatch(struct kpatch_obj *obj)
{
	const struct kpatch_patch *d = obj->priv->desc;

	kpatch_run_callbacks(obj, d->pre_unpatch, d->pre_unpatch_end, false);
}

/* Owed exactly once after every successful pre-patch. */
static void kpatch_post_unpatch(struct kpatch_obj *obj)
{
	const struct kpatch_patch *d = obj->priv->desc;

	if (!obj->callbacks_on)
		return;
	obj->callbacks_on = false;
	kpatch_run_callbacks(obj, d->post_unpatch, d->post_unpatch_end, false);
}

/* ---- enabling and disabling ---- */

static void kpatch_request(struct kpatch_priv *priv, bool active)
{
	struct kpatch_obj *obj;
	struct kpatch_fn *fn;

	kpatch_for_each_obj(priv, obj)
		kpatch_for_each_fn(obj, fn)
			if (fn->ops)
				fn->next_active = active;
}

/* After a refused switch: forget every request. */
static void kpatch_cancel_requests(void)
{
	struct kpatch_ops *ops;
	struct kpatch_fn *fn;

	list_for_each_entry(ops, &kpatch_ops_list, node)
		list_for_each_entry(fn, &ops->stack, stack_node)
			fn->next_active = fn->active;
}

static void kpatch_detach_all(struct kpatch_priv *priv)
{
	struct kpatch_obj *obj;
	struct kpatch_fn *fn;

	kpatch_for_each_obj(priv, obj)
		kpatch_for_each_fn(obj, fn)
			kpatch_detach(fn);
}

/* Detach @priv's functions and let ftrace go of what emptied. */
static void kpatch_detach_patch(struct kpatch_priv *priv)
{
	kpatch_detach_all(priv);
	kpatch_disarm();
}

static int kpatch_attach_obj(struct kpatch_obj *obj)
{
	struct kpatch_fn *fn;
	int ret;

	kpatch_for_each_fn(obj, fn) {
		ret = kpatch_attach(fn);
		if (ret)
			return ret;
		fn->next_active = true;
	}
	return 0;
}

/*
 * Keep @priv's module until reboot: code of it that was switched without
 * a stack check (forced) may still be running, so it must never be freed.
 * The kernel's livepatch does the same for a forced transition.
 */
void kpatch_pin(struct kpatch_priv *priv, const char *why)
{
	if (priv->pinned)
		return;
	__module_get(priv->mod);
	priv->pinned = true;
	pr_notice("%s: the patch module stays loaded until reboot: %s\n",
		  kpatch_name(priv), why);
}

static bool kpatch_has_forced(struct kpatch_priv *priv)
{
	struct kpatch_obj *obj;
	struct kpatch_fn *fn;

	kpatch_for_each_obj(priv, obj)
		kpatch_for_each_fn(obj, fn)
			if (fn->force)
				return true;
	return false;
}

/* A patch that an atomic replace has just switched off. */
static void kpatch_retire(struct kpatch_priv *old, struct kpatch_priv *by)
{
	struct kpatch_obj *obj;

	kpatch_detach_all(old);
	/* Replaced patches' callbacks do not run: the new patch owns them. */
	kpatch_for_each_obj(old, obj)
		obj->callbacks_on = false;
	old->enabled = false;
	module_put(old->mod);
	pr_info("%s: disabled: replaced by %s\n", kpatch_name(old),
		kpatch_name(by));
}

int kpatch_enable(struct kpatch_priv *priv)
{
	char sm[KPATCH_NS_LEN], check[KPATCH_NS_LEN];
	struct kpatch_priv *other, *tmp;
	struct kpatch_obj *obj;
	int ret;

	if (priv->enabled)
		return 0;
	if (!try_module_get(priv->mod)) {
		kpatch_set_error(priv, "the patch module is being removed");
		return -ENODEV;
	}

	kpatch_for_each_obj(priv, obj) {
		ret = kpatch_load_present_obj(obj);
		if (ret)
			goto err;
	}
	kpatch_for_each_obj(priv, obj) {
		if (!obj->loaded)
			continue;
		ret = kpatch_pre_patch(obj);
		if (ret)
			goto err;
	}
	kpatch_for_each_obj(priv, obj) {
		if (!obj->loaded)
			continue;
		ret = kpatch_attach_obj(obj);
		if (ret)
			goto err;
	}
	ret = kpatch_arm(priv);
	if (ret)
		goto err;
	if (priv->replace)
		list_for_each_entry(other, &kpatch_patches, node)
			if (other != priv && other->enabled)
				kpatch_request(other, false);

	ret = kpatch_switch(priv);
	if (ret)
		goto err;

	if (priv->replace)
		list_for_each_entry_safe(other, tmp, &kpatch_patches, node)
			if (other != priv && other->enabled)
				kpatch_retire(other, priv);
	kpatch_disarm();
	priv->enabled = true;
	list_move_tail(&priv->node, &kpatch_patches);
	if (kpatch_has_forced(priv))
		kpatch_pin(priv, "it has functions marked unsafe to check (forced)");
	add_taint(TAINT_LIVEPATCH, LOCKDEP_STILL_OK);
	kpatch_clear_error();
	pr_info("%s: enabled%s (stop_machine %s, check %s, %u tasks checked, %u walked in the pause, %u retries)\n",
		kpatch_name(priv), priv->replace ? ", replacing all others" : "",
		kpatch_fmt_ns(sm, priv->stats.stop_machine_ns,
			      priv->stats.clock_res_ns, " ns"),
		kpatch_fmt_ns(check, priv->stats.check_ns,
			      priv->stats.clock_res_ns, " ns"),
		priv->stats.tasks_checked, priv->stats.pause_walks,
		priv->stats.retries);
	kpatch_for_each_obj(priv, obj)
		if (obj->loaded)
			kpatch_post_patch(obj);
	return 0;
err:
	kpatch_cancel_requests();
	kpatch_detach_patch(priv);
	kpatch_for_each_obj(priv, obj)
		kpatch_post_unpatch(obj);
	module_put(priv->mod);
	return ret;
}

int kpatch_disable(struct kpatch_priv *priv)
{
	char sm[KPATCH_NS_LEN], check[KPATCH_NS_LEN];
	struct kpatch_obj *obj;
	int ret;

	if (!priv->enabled)
		return 0;
	kpatch_for_each_obj(priv, obj)
		if (obj->loaded)
			kpatch_pre_unpatch(obj);
	kpatch_request(priv, false);
	ret = kpatch_switch(priv);
	if (ret) {
		kpatch_cancel_requests();
		/* Still enabled: undo what the pre-unpatch callbacks tore down. */
		kpatch_for_each_obj(priv, obj)
			if (obj->loaded)
				kpatch_post_patch(obj);
		return ret;
	}
	kpatch_detach_patch(priv);
	priv->enabled = false;
	kpatch_clear_error();
	pr_info("%s: disabled (stop_machine %s, check %s, %u tasks checked, %u walked in the pause, %u retries)\n",
		kpatch_name(priv),
		kpatch_fmt_ns(sm, priv->stats.stop_machine_ns,
			      priv->stats.clock_res_ns, " ns"),
		kpatch_fmt_ns(check, priv->stats.check_ns,
			      priv->stats.clock_res_ns, " ns"),
		priv->stats.tasks_checked, priv->stats.pause_walks,
		priv->stats.retries);
	kpatch_for_each_obj(priv, obj)
		kpatch_post_unpatch(obj);
	module_put(priv->mod);
	return 0;
}

/* ---- registration ---- */

int kpatch_register_patch(struct kpatch_patch *desc)
{
	struct kpatch_priv *priv;
	struct kpatch_obj *obj;
	int ret;

	if (!desc || !desc->mod)
		return -EINVAL;
	if (desc->abi_version != KPATCH_ABI_VERSION) {
		pr_err("%s: patch built for kpatch ABI version %u, but this kpatch core implements ABI version %u; refusing it\n",
		       desc->mod->name, desc->abi_version, KPATCH_ABI_VERSION);
		return -EINVAL;
	}

	priv = kzalloc(sizeof(*priv), GFP_KERNEL);
	if (!priv)
		return -ENOMEM;
	kobject_init(&priv->kobj, &kpatch_patch_ktype);
	priv->desc = desc;
	priv->mod = desc->mod;
	priv->replace = desc->flags & KPATCH_PATCH_REPLACE;
	INIT_LIST_HEAD(&priv->objs);
	INIT_LIST_HEAD(&priv->node);

	mutex_lock(&kpatch_mutex);
	ret = kpatch_validate(priv) ?: kpatch_build(priv);
	if (ret)
		goto err;

	kpatch_for_each_obj(priv, obj) {
		ret = kpatch_load_present_obj(obj);
		if (ret)
			goto err;
	}
	ret = kpatch_sysfs_add_patch(priv);
	if (ret)
		goto err;
	list_add_tail(&priv->node, &kpatch_patches);
	ret = kpatch_enable(priv);
	if (ret) {
		list_del(&priv->node);
		goto err;
	}
	desc->core_private = priv;
	mutex_unlock(&kpatch_mutex);
	return 0;
err:
	/*
	 * A sysfs write may be waiting for the mutex on this patch's
	 * directory: it must find the patch going, never enable what is
	 * being freed (kernfs keeps priv itself until that write returns).
	 */
	priv->going = true;
	mutex_unlock(&kpatch_mutex);
	kpatch_free_patch(priv);
	return ret;
}
EXPORT_SYMBOL_GPL(kpatch_register_patch);

void kpatch_unregister_patch(struct kpatch_patch *desc)
{
	struct kpatch_priv *priv = desc->core_private;

	if (!priv)
		return;
	mutex_lock(&kpatch_mutex);
	priv->going = true;
	/* Unreachable: an enabled patch holds its own module. */
	if (priv->enabled && kpatch_disable(priv))
		pr_crit("%s: removed while enabled and it cannot be disabled\n",
			kpatch_name(priv));
	list_del(&priv->node);
	mutex_unlock(&kpatch_mutex);

	desc->core_private = NULL;
	kpatch_free_patch(priv);
}
EXPORT_SYMBOL_GPL(kpatch_unregister_patch);

/* ---- target modules coming and going ---- */

static bool kpatch_obj_is(const struct kpatch_obj *obj,
			  const struct module *mod)
{
	return !kpatch_is_vmlinux(obj->name) && !strcmp(obj->name, mod->name);
}

/*
 * Take @obj's part of an enabled patch away.  No stack check: the module
 * is going (its exit has run) or never started (its init has not run).
 */
static void kpatch_unpatch_obj(struct kpatch_obj *obj, bool pre_unpatch)
{
	struct kpatch_fn *fn;

	if (pre_unpatch)
		kpatch_pre_unpatch(obj);
	kpatch_for_each_fn(obj, fn)
		fn->next_active = false;
	kpatch_ops_retarget();
	kpatch_for_each_fn(obj, fn)
		kpatch_detach(fn);
	kpatch_disarm();
	kpatch_post_unpatch(obj);
}

static void kpatch_module_going(struct module *mod)
{
	struct kpatch_priv *priv;
	struct kpatch_obj *obj;

	list_for_each_entry_reverse(priv, &kpatch_patches, node)
		kpatch_for_each_obj(priv, obj) {
			if (obj->mod != mod)
				continue;
			if (priv->enabled) {
				kpatch_unpatch_obj(obj, true);
				pr_info("%s: unpatched module %s as it goes\n",
					kpatch_name(priv), mod->name);
			}
			kpatch_unload_obj(obj);
		}
}

static int kpatch_module_coming(struct module *mod)
{
	struct kpatch_priv *priv;
	struct kpatch_obj *obj;
	int ret;

	list_for_each_entry(priv, &kpatch_patches, node)
		kpatch_for_each_obj(priv, obj) {
			if (obj->loaded || !kpatch_obj_is(obj, mod))
				continue;
			ret = kpatch_load_obj(obj, mod);
			if (ret && !priv->enabled) {
				pr_notice("%s: disabled, so module %s loads although its part of the patch cannot be resolved (%d); enabling the patch will fail\n",
					  kpatch_name(priv), mod->name, ret);
				continue;
			}
			if (ret)
				goto err;
			if (!priv->enabled)
				continue;
			ret = kpatch_pre_patch(obj);
			if (ret)
				goto err_unload;
			ret = kpatch_attach_obj(obj) ?: kpatch_arm(priv);
			if (ret) {
				kpatch_unpatch_obj(obj, false);
				goto err_unload;
			}
			/* None of the module's code has run yet. */
			kpatch_ops_retarget();
			kpatch_post_patch(obj);
			pr_info("%s: patched module %s as it loads\n",
				kpatch_name(priv), mod->name);
		}
	return 0;
err_unload:
	kpatch_unload_obj(obj);
err:
	kpatch_set_error(priv, "refusing to let module %s load: its part of the patch cannot be applied (%d)",
			 mod->name, ret);
	kpatch_module_going(mod);
	return ret;
}

static int kpatch_module_notify(struct notifier_block *nb,
				unsigned long action, void *data)
{
	struct module *mod = data;
	LIST_HEAD(going_direct);
	int ret = 0;

	mutex_lock(&kpatch_mutex);
	switch (action) {
	case MODULE_STATE_COMING:
		kpatch_seen_coming(mod);
		ret = kpatch_module_coming(mod);
		/* Refused: the chain reports no GOING to the one refusing. */
		if (ret)
			kpatch_forget_coming(mod);
		break;
	case MODULE_STATE_LIVE:
		kpatch_forget_coming(mod);
		kpatch_direct_kick();	/* its functions may move now */
		break;
	case MODULE_STATE_GOING:
		kpatch_forget_coming(mod);
		kpatch_module_going(mod);
		kpatch_direct_module_going(mod, &going_direct);
		break;
	}
	mutex_unlock(&kpatch_mutex);
	if (action == MODULE_STATE_GOING)
		kpatch_direct_module_gone(mod, &going_direct);
	return notifier_from_errno(ret);
}

/*
 * First in the chain: if a later notifier refuses a coming module, the
 * chain tells us it goes, so a module that kpatch_register_patch() found
 * while it was coming is always taken away again.
 */
static struct notifier_block kpatch_module_nb = {
	.notifier_call = kpatch_module_notify,
	.priority = INT_MAX,
};

static int __init kpatch_init(void)
{
	int ret;

	ret = kpatch_bootstrap();
	if (ret)
		return ret;
	ret = kpatch_sysfs_init();
	if (ret)
		return ret;
	ret = register_module_notifier(&kpatch_module_nb);
	if (ret) {
		kpatch_sysfs_exit();
		return ret;
	}
	kpatch_direct_init_done();
	pr_info("core loaded (patch ABI version %u)\n", KPATCH_ABI_VERSION);
	return 0;
}

static void __exit kpatch_exit(void)
{
	struct kpatch_coming *c, *tmp;

	unregister_module_notifier(&kpatch_module_nb);
	kpatch_direct_exit();
	kpatch_handler_exit();
	list_for_each_entry_safe(c, tmp, &kpatch_coming_mods, node)
		kfree(c);
	kpatch_sysfs_exit();
	kpatch_shadow_exit();
}

module_init(kpatch_init);
module_exit(kpatch_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("kpatch core: live patching through ftrace and stop_machine");

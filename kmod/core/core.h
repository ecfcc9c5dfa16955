/* SPDX-License-Identifier: GPL-2.0 */
/*
 * core.h - the core module's own view of registered patches.
 *
 * Lifetime: everything below is created by kpatch_register_patch() and
 * freed by kpatch_unregister_patch().  All of it is read and written under
 * kpatch_mutex, except kpatch_ops.ip and .target, which the ftrace handler
 * reads under RCU (a hash table, patch.c); target only changes inside
 * stop_machine() (or, for a module that is coming or going, while none of
 * its code can run).
 */
#ifndef _KPATCH_CORE_H
#define _KPATCH_CORE_H

#include <linux/ftrace.h>
#include <linux/kobject.h>
#include <linux/list.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/sched.h>
#include <linux/wait.h>
#include "kpatch-abi.h"

struct kpatch_obj;
struct kpatch_direct;
struct kpatch_handler;

/*
 * One patched function address, shared by all patches that replace it;
 * the handler finds it by its ftrace location (patch.c).
 */
struct kpatch_ops {
	unsigned long ip;		/* ftrace location: the hash key */
	unsigned long old_addr;		/* the old function's symbol address */
	struct module *mod;		/* the old function's, NULL: vmlinux */
	/*
	 * Where calls go (0: the old function), one slot per generation:
	 * the handler reads target[kpatch_gen], a flip fills the other slot
	 * of every ops and then switches kpatch_gen (patch.c).
	 */
	unsigned long target[2];
	struct list_head stack;		/* kpatch_fn.stack_node, newest first */
	struct list_head node;		/* kpatch_ops_list */
	struct hlist_node hnode;	/* kpatch_ops_hash */
	/* The handler's ftrace_ops whose filter holds ip, NULL: none. */
	struct kpatch_handler *handler;
	/*
	 * Registered while the function has a direct call to its slot
	 * (direct.c); the slot reads its own copy of target[].
	 */
	struct kpatch_direct *direct;
	unsigned int slot;
	bool direct_refused;		/* a direct call failed: stay on the handler */
};

/* One function a patch replaces. */
struct kpatch_fn {
	struct list_head node;		/* kpatch_obj.funcs */
	struct list_head stack_node;	/* kpatch_ops.stack while attached */
	struct kpatch_obj *obj;
	struct kpatch_ops *ops;		/* non-NULL while attached */
	const char *name;
	unsigned long sympos;
	unsigned long build_size;	/* st_size of the old function */
	unsigned long old_addr;		/* 0 while the object is not loaded */
	unsigned long old_size;		/* kallsyms size, >= build_size */
	unsigned long ftrace_ip;
	unsigned long new_addr, new_size;
	/* The cold parts ("<name>.cold"), stack-checked with the function. */
	const char *old_cold_name;	/* NULL: the old function has none */
	unsigned long old_cold_sympos, old_cold_build_size;
	unsigned long old_cold_addr, old_cold_size;	/* 0 while unloaded */
	unsigned long new_cold_addr, new_cold_size;	/* 0: none */
	bool force;
	bool active;			/* this version is what callers get */
	bool next_active;		/* requested by the pending transition */
	bool leaves_unchecked;		/* the pending transition retires it
					   without a stack check (forced) */
	struct kobject kobj;
};

/* One object (vmlinux or a module) a patch touches. */
struct kpatch_obj {
	struct list_head node;		/* kpatch_priv.objs */
	struct kpatch_priv *priv;
	const char *name;
	struct module *mod;		/* target module while it is loaded */
	bool loaded;			/* relocations applied, funcs resolved */
	bool callbacks_on;		/* pre-patch ran; post-unpatch owed */
	struct list_head funcs;
	struct kobject kobj;
};

/* Figures of the last transition, shown in sysfs. */
struct kpatch_stats {
	u64 stop_machine_ns;		/* the whole stop_machine() call */
	u64 check_ns;			/* its callback: stack check and flip */
	u64 clock_res_ns;		/* what the clock resolves */
	unsigned int tasks_checked;
	unsigned int pause_walks;	/* stacks walked inside stop_machine() */
	unsigned int retries;
};

/* The core's state of one registered patch (kpatch_patch.core_private). */
struct kpatch_priv {
	struct kpatch_patch *desc;
	struct module *mod;		/* the patch module */
	struct list_head node;		/* kpatch_patches, in enable order */
	struct list_head objs;
	bool enabled;
	bool replace;
	bool going;			/* unregistering: refuse sysfs writes */
	bool pinned;			/* holds its module until reboot */
	struct kpatch_stats stats;
	struct kobject kobj;
};

#define kpatch_for_each_obj(priv, obj) \
	list_for_each_entry(obj, &(priv)->objs, node)
#define kpatch_for_each_fn(obj, fn) \
	list_for_each_entry(fn, &(obj)->funcs, node)

extern struct mutex kpatch_mutex;
extern struct list_head kpatch_patches;

static inline const char *kpatch_name(const struct kpatch_priv *priv)
{
	return priv->mod->name;
}

static inline bool kpatch_is_vmlinux(const char *objname)
{
	return !objname || !strcmp(objname, KPATCH_VMLINUX);
}

/* core.c */
void kpatch_set_error(const struct kpatch_priv *priv, const char *fmt, ...)
	__printf(2, 3);
void kpatch_clear_error(void);
ssize_t kpatch_show_error(char *buf);
int kpatch_enable(struct kpatch_priv *priv);
int kpatch_disable(struct kpatch_priv *priv);
void kpatch_pin(struct kpatch_priv *priv, const char *why);

/* patch.c */
int kpatch_attach(struct kpatch_fn *fn);
void kpatch_detach(struct kpatch_fn *fn);
int kpatch_arm(struct kpatch_priv *priv);
void kpatch_disarm(void);
struct kpatch_fn *kpatch_ops_top(struct kpatch_ops *ops, bool next);
void kpatch_ops_retarget(void);
void kpatch_ops_unlist(struct kpatch_ops *ops);
void kpatch_free_unlisted(struct list_head *list);
struct kpatch_handler *kpatch_handler_claim(unsigned long *next);
void kpatch_handler_release(struct kpatch_handler *handler);
void kpatch_handler_exit(void);
extern struct list_head kpatch_ops_list;
extern unsigned int kpatch_gen;

/* anchor.c */
int kpatch_anchor_get(unsigned long *ip);
void kpatch_anchor_put(int anchor);

/* direct.c */
void kpatch_direct_kick(void);
void kpatch_direct_init_done(void);
bool kpatch_direct_handing_back(const struct kpatch_ops *ops);
void kpatch_direct_reuse(struct kpatch_ops *ops);
void kpatch_direct_retarget(struct kpatch_ops *ops, unsigned int gen,
			    unsigned long target);
unsigned long kpatch_slot_addr(const struct kpatch_ops *ops);
const char *kpatch_redirect_name(const struct kpatch_ops *ops);
void kpatch_direct_module_going(struct module *mod, struct list_head *list);
void kpatch_direct_module_gone(struct module *mod, struct list_head *list);
void kpatch_direct_exit(void);

/* transition.c */
int kpatch_switch(struct kpatch_priv *priv);
const char *kpatch_fmt_ns(char *buf, u64 ns, u64 res, const char *unit);
#define KPATCH_NS_LEN 24

/* resolve.c */
int kpatch_bootstrap(void);
struct module *kpatch_find_module(const char *name, bool *coming);
int kpatch_resolve_fn(struct kpatch_fn *fn);
int kpatch_apply_relocs(struct kpatch_obj *obj);
int kpatch_stack_of(struct task_struct *t, unsigned long *store,
		    unsigned int size);
struct task_struct *kpatch_idle_task(int cpu);
int kpatch_task_call(struct task_struct *t, task_call_f fn, void *arg);
bool kpatch_klp_owner(unsigned long addr, char *buf, size_t len);
bool kpatch_ftrace_off(void);
bool kpatch_ftrace_dead(void);
unsigned long kpatch_ftrace_location(unsigned long addr);

/* sysfs.c: the kobjects also own the memory of what they describe */
extern struct kobj_type kpatch_patch_ktype, kpatch_obj_ktype, kpatch_fn_ktype;
int kpatch_sysfs_init(void);
void kpatch_sysfs_exit(void);
int kpatch_sysfs_add_patch(struct kpatch_priv *priv);
void kpatch_free_patch(struct kpatch_priv *priv);

/* shadow.c */
void kpatch_shadow_exit(void);

#endif /* _KPATCH_CORE_H */

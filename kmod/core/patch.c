// SPDX-License-Identifier: GPL-2.0
/*
 * patch.c - redirecting calls through ftrace.
 *
 * There is one ftrace_ops per old function address, shared by every patch
 * that replaces that function.  Its stack lists those patches' versions,
 * newest first; ops->target caches the address of the newest active one
 * (per generation, see kpatch_gen).
 * Per-function ops rather than one shared ops with a lookup table: ftrace
 * hands the handler its own ops, so finding the replacement is a single
 * load with no table to search or protect, and a function with only our
 * ops gets a trampoline that calls the handler directly.
 *
 * The stack is only walked under kpatch_mutex; the handler never sees it.
 * ops->target changes only in kpatch_ops_retarget(), which runs inside
 * stop_machine() (or for a module no code of which can be running).
 */
#define pr_fmt(fmt) "kpatch: " fmt

#include <linux/ftrace.h>
#include <linux/slab.h>
#include "core.h"
#include "compat.h"

LIST_HEAD(kpatch_ops_list);
/* Ops ftrace refused to unregister; they pin kpatch.ko (kpatch_detach()). */
static unsigned int kpatch_ops_kept;

/*
 * The generation of targets the handler uses.  A flip writes every ops'
 * other slot, then publishes them all with one store here: a handler,
 * even one in an NMI on a CPU that stop_machine() holds, sees either the
 * whole old set of targets or the whole new one, never a mix.  What stays
 * possible: NMI code that runs across the flip (it called the old f before
 * and calls g after) mixes versions; see README.md.
 */
static unsigned int kpatch_gen;

/*
 * No lock and no preempt_disable: the handler reads two words.  A task
 * preempted anywhere between the fentry call and the jump still has the
 * old function's fentry return address on its stack, which the stack
 * check looks for (transition.c), so no flip can strand it.
 */
static void notrace kpatch_ftrace_handler(unsigned long ip,
					  unsigned long parent_ip,
					  struct ftrace_ops *fops,
					  struct ftrace_regs *fregs)
{
	struct kpatch_ops *ops = container_of(fops, struct kpatch_ops, fops);
	unsigned int gen = smp_load_acquire(&kpatch_gen);
	unsigned long target = READ_ONCE(ops->target[gen & 1]);

	if (target)
		kpatch_ftrace_set_ip(fregs, target);
}

static struct kpatch_ops *kpatch_find_ops(unsigned long old_addr)
{
	struct kpatch_ops *ops;

	list_for_each_entry(ops, &kpatch_ops_list, node)
		if (ops->old_addr == old_addr)
			return ops;
	return NULL;
}

static struct kpatch_ops *kpatch_new_ops(struct kpatch_fn *fn)
{
	struct kpatch_ops *ops;
	int ret;

	ops = kzalloc(sizeof(*ops), GFP_KERNEL);
	if (!ops)
		return ERR_PTR(-ENOMEM);
	ops->old_addr = fn->old_addr;
	INIT_LIST_HEAD(&ops->stack);
	ops->fops.func = kpatch_ftrace_handler;
	/* PERMANENT: a sysctl that turns ftrace off must not unpatch. */
	ops->fops.flags = FTRACE_OPS_FL_SAVE_REGS | FTRACE_OPS_FL_IPMODIFY |
			  FTRACE_OPS_FL_DYNAMIC | FTRACE_OPS_FL_PERMANENT;

	ret = ftrace_set_filter_ip(&ops->fops, fn->ftrace_ip, 0, 0);
	if (ret) {
		kpatch_set_error(fn->obj->priv,
				 "cannot set the ftrace filter on %s (%d)",
				 fn->name, ret);
		goto err;
	}
	ret = register_ftrace_function(&ops->fops);
	if (ret == -EBUSY && kpatch_ftrace_off()) {
		kpatch_set_error(fn->obj->priv,
				 "cannot attach to %s: function tracing is turned off (sysctl kernel.ftrace_enabled is 0); turn it on to load or enable patches",
				 fn->name);
		goto err;
	}
	if (ret == -EBUSY) {
		kpatch_name_ipmodify_owner(fn);
		goto err;
	}
	if (ret) {
		kpatch_set_error(fn->obj->priv,
				 "cannot register the ftrace handler for %s (%d)",
				 fn->name, ret);
		goto err;
	}
	list_add(&ops->node, &kpatch_ops_list);
	return ops;
err:
	ftrace_free_filter(&ops->fops);
	kfree(ops);
	return ERR_PTR(ret);
}

/*
 * Put @fn on top of its function's stack, inactive: callers keep getting
 * what they got until a transition flips it on.
 */
int kpatch_attach(struct kpatch_fn *fn)
{
	struct kpatch_ops *ops = kpatch_find_ops(fn->old_addr);

	if (!ops) {
		ops = kpatch_new_ops(fn);
		if (IS_ERR(ops))
			return PTR_ERR(ops);
	}
	fn->active = false;
	fn->next_active = false;
	fn->ops = ops;
	list_add(&fn->stack_node, &ops->stack);
	return 0;
}

/* Take an inactive @fn off its stack; the last one out disarms ftrace. */
void kpatch_detach(struct kpatch_fn *fn)
{
	struct kpatch_ops *ops = fn->ops;
	int ret;

	if (!ops)
		return;
	list_del(&fn->stack_node);
	fn->ops = NULL;
	fn->active = false;
	fn->next_active = false;
	if (!list_empty(&ops->stack))
		return;

	ret = unregister_ftrace_function(&ops->fops);
	if (ret) {
		/*
		 * ftrace still calls the handler: keep ops alive, do no harm,
		 * and keep kpatch.ko, whose text the handler is, for good.
		 */
		pr_err("cannot unregister the ftrace handler of %ps (%d); keeping it, and kpatch.ko stays loaded until reboot\n",
		       (void *)ops->old_addr, ret);
		WRITE_ONCE(ops->target[0], 0);
		WRITE_ONCE(ops->target[1], 0);
		if (!kpatch_ops_kept++)
			__module_get(THIS_MODULE);
		return;
	}
	ftrace_free_filter(&ops->fops);
	list_del(&ops->node);
	kfree(ops);
}

/* The version callers get now (@next false) or after the transition. */
struct kpatch_fn *kpatch_ops_top(struct kpatch_ops *ops, bool next)
{
	struct kpatch_fn *fn;

	list_for_each_entry(fn, &ops->stack, stack_node)
		if (next ? fn->next_active : fn->active)
			return fn;
	return NULL;
}

/*
 * Make every requested state the current one and point ftrace at it, all
 * functions at once (one generation switch).
 */
void kpatch_ops_retarget(void)
{
	unsigned int next = (kpatch_gen + 1) & 1;
	struct kpatch_ops *ops;
	struct kpatch_fn *fn, *top;

	list_for_each_entry(ops, &kpatch_ops_list, node) {
		top = NULL;
		list_for_each_entry(fn, &ops->stack, stack_node) {
			fn->active = fn->next_active;
			if (fn->active && !top)
				top = fn;
		}
		WRITE_ONCE(ops->target[next], top ? top->new_addr : 0);
	}
	smp_store_release(&kpatch_gen, next);
}

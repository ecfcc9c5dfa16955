// SPDX-License-Identifier: GPL-2.0
/*
 * patch.c - redirecting calls through ftrace.
 *
 * The handler's ftrace_ops are registered per arming: every address a
 * transition adds joins ftrace through one new ops (struct
 * kpatch_handler) with all of them in its filter, one ftrace code update
 * for the batch, and an ops whose last address leaves is parked: its
 * filter switched to an anchor of kpatch.ko (anchor.c, an empty filter
 * would mean every function), unregistered later by the worker, so that a
 * disable waits for no RCU-tasks grace period.  Each
 * address has a kpatch_ops: the stack of the patches' versions of that
 * function, newest first, and the target callers get (per generation,
 * see kpatch_gen), found by the handler in an RCU hash table keyed by the
 * address ftrace passes it.
 *
 * Why a new ops and not a filter change of a registered one: only the
 * registration of an IPMODIFY ops asks a direct-call user already on the
 * function (a BPF trampoline) to share it
 * (FTRACE_OPS_CMD_ENABLE_SHARE_IPMODIFY_PEER), after which that trampoline
 * calls whatever the handler chose.  Adding the address to a registered
 * ops tells it nothing: the trampoline would keep calling the original
 * while the patch reads as active.  Why not an ops per function either:
 * each registration is a code update (and each unregistration an
 * RCU-tasks wait), so enabling a 100-function patch would cost about 75
 * times enabling one, as it does for the kernel's livepatch.  Kept from
 * the per-function design: a call site only kpatch hooks gets a
 * trampoline calling the handler directly, ftrace calls the handler only
 * for addresses in a filter, and another tracer on the same function
 * shares the site.  The price is one hash lookup per call.
 *
 * An ftrace IPMODIFY conflict (another live patcher on one of the
 * addresses) refuses the whole batch: ftrace checks the new filter as a
 * whole, so a batch names the culprit only when it is the kernel's
 * livepatch or when it has one function.
 *
 * The stacks are only walked under kpatch_mutex; the handler never sees
 * them.  ops->target changes only in kpatch_ops_retarget(), which runs
 * inside stop_machine() (or for a module no code of which can be running).
 * A kpatch_ops leaves the hash table only after ftrace stopped calling the
 * handler for its address, and is freed only once every CPU has
 * scheduled since (kpatch_free_unlisted()): the handler reads the table
 * with preemption off, and it may run where RCU is not watching (a
 * patched function called on the way into idle), where an RCU grace
 * period would not wait for it.
 */
#define pr_fmt(fmt) "kpatch: " fmt

#include <linux/ftrace.h>
#include <linux/delay.h>
#include <linux/hashtable.h>
#include <linux/jiffies.h>
#include <linux/moduleparam.h>
#include <linux/rcupdate.h>
#include <linux/slab.h>
#include "core.h"
#include "compat.h"

LIST_HEAD(kpatch_ops_list);
/* kpatch_ops by ftrace location, read by the handler under RCU. */
static DEFINE_HASHTABLE(kpatch_ops_hash, 10);
/* One registered ftrace_ops of the handler: the addresses armed together. */
struct kpatch_handler {
	struct ftrace_ops fops;
	unsigned int nr;		/* addresses in its filter */
	unsigned int leaving;		/* of them, leaving in kpatch_disarm() */
	/* Emptied and kept registered on this anchor (anchor.c), -1: not. */
	int anchor;
	unsigned long kept_since;	/* jiffies, while kept */
	struct list_head node;		/* kpatch_handlers or kpatch_kept */
};
static LIST_HEAD(kpatch_handlers);
/* Emptied handler ops, held on an anchor until the worker unregisters them. */
static LIST_HEAD(kpatch_kept);

/*
 * How long an emptied handler ops stays registered on its anchor before
 * the worker unregisters it.  Its unregistration waits for RCU-tasks with
 * ftrace's lock held, which would stall an enable that follows a disable;
 * kept, it costs nothing but an ftrace record of kpatch.ko.
 */
static unsigned int handler_keep_ms = 1000;

/* A new time applies at once to the ops kept already. */
static int kpatch_set_handler_keep_ms(const char *val,
				      const struct kernel_param *kp)
{
	int ret = param_set_uint(val, kp);

	if (!ret)
		kpatch_direct_kick();
	return ret;
}

static const struct kernel_param_ops kpatch_handler_keep_ms_ops = {
	.set = kpatch_set_handler_keep_ms,
	.get = param_get_uint,
};
module_param_cb(handler_keep_ms, &kpatch_handler_keep_ms_ops,
		&handler_keep_ms, 0644);
MODULE_PARM_DESC(handler_keep_ms,
		 "how long an emptied ftrace handler ops stays registered on one of kpatch.ko's own functions before it is unregistered in the background (ms, default 1000; 0: at the next run of the worker)");
/* Tries of a registration that a BPF trampoline's lock made wait. */
#define KPATCH_ARM_TRIES	50
/*
 * ftrace refused to let go of an address or an ops: kpatch.ko, whose text
 * the handler is, stays (kpatch_disarm(), kpatch_handler_release()).
 */
static bool kpatch_self_pinned;

static void kpatch_pin_self(void)
{
	if (!kpatch_self_pinned) {
		kpatch_self_pinned = true;
		__module_get(THIS_MODULE);
	}
}

/*
 * The generation of targets the handler uses.  A flip writes every ops'
 * other slot, then publishes them all with one store here: a handler,
 * even one in an NMI on a CPU that stop_machine() holds, sees either the
 * whole old set of targets or the whole new one, never a mix.  What stays
 * possible: NMI code that runs across the flip (it called the old f before
 * and calls g after) mixes versions; see README.md.
 */
unsigned int kpatch_gen;	/* read by the slots too (slots.S) */

/*
 * The lookup runs with preemption off (the RCU read side of the table,
 * which also keeps stop_machine(), and so any flip, out of it).  A task
 * preempted before it or between it and the jump still has the old
 * function's fentry return address on its stack, which the stack check
 * looks for (transition.c), so no flip can strand it.  An address not in
 * the table (being armed or disarmed) runs the original.
 */
static void notrace kpatch_ftrace_handler(unsigned long ip,
					  unsigned long parent_ip,
					  struct ftrace_ops *fops,
					  struct ftrace_regs *fregs)
{
	struct kpatch_ops *ops;
	unsigned long target = 0;

	preempt_disable_notrace();
	hash_for_each_possible_rcu_notrace(kpatch_ops_hash, ops, hnode, ip) {
		if (ops->ip == ip) {
			unsigned int gen = smp_load_acquire(&kpatch_gen);

			target = READ_ONCE(ops->target[gen & 1]);
			break;
		}
	}
	preempt_enable_notrace();
	if (target)
		kpatch_ftrace_set_ip(fregs, target);
}

static struct kpatch_ops *kpatch_find_ops(unsigned long ip)
{
	struct kpatch_ops *ops;

	hash_for_each_possible(kpatch_ops_hash, ops, hnode, ip)
		if (ops->ip == ip)
			return ops;
	return NULL;
}

/*
 * Put @fn on top of its function's stack, inactive: callers keep getting
 * what they got until a transition flips it on.  A new address is armed
 * later, with the rest of the transition's (kpatch_arm()).
 */
int kpatch_attach(struct kpatch_fn *fn)
{
	struct kpatch_ops *ops = kpatch_find_ops(fn->ftrace_ip);

	if (!ops) {
		ops = kzalloc(sizeof(*ops), GFP_KERNEL);
		if (!ops)
			return -ENOMEM;
		ops->ip = fn->ftrace_ip;
		ops->old_addr = fn->old_addr;
		ops->mod = fn->obj->mod;
		INIT_LIST_HEAD(&ops->stack);
		list_add(&ops->node, &kpatch_ops_list);
		hash_add_rcu(kpatch_ops_hash, &ops->hnode, ops->ip);
	}
	kpatch_direct_reuse(ops);
	fn->active = false;
	fn->next_active = false;
	fn->ops = ops;
	list_add(&fn->stack_node, &ops->stack);
	return 0;
}

/* Take an inactive @fn off its stack; kpatch_disarm() lets go of empty ones. */
void kpatch_detach(struct kpatch_fn *fn)
{
	if (!fn->ops)
		return;
	list_del(&fn->stack_node);
	fn->ops = NULL;
	fn->active = false;
	fn->next_active = false;
}

/*
 * Attached, and neither the handler nor a direct call redirects it yet;
 * or a direct call that is handed back to the handler (direct.c).
 */
static bool kpatch_needs_arming(const struct kpatch_ops *ops)
{
	return !ops->handler && !list_empty(&ops->stack) &&
	       (!ops->direct || kpatch_direct_handing_back(ops));
}

static int kpatch_arm_error(struct kpatch_priv *priv, unsigned int n, int ret)
{
	struct kpatch_ops *ops;
	struct kpatch_fn *fn, *first = NULL;
	char owner[MODULE_NAME_LEN];

	list_for_each_entry(ops, &kpatch_ops_list, node) {
		if (!kpatch_needs_arming(ops))
			continue;
		fn = list_first_entry(&ops->stack, struct kpatch_fn, stack_node);
		first = first ?: fn;
		if (ret == -EBUSY &&
		    kpatch_klp_owner(ops->old_addr, owner, sizeof(owner))) {
			kpatch_set_error(priv, "function %s is already modified by another ftrace IPMODIFY user: the kernel livepatch module %s",
					 fn->name, owner);
			return ret;
		}
	}
	if (ret == -ENODEV)
		kpatch_set_error(priv, "cannot attach to %s: ftrace has shut itself down after an internal error (see the kernel log); no patch redirects any call until reboot",
				 first->name);
	else if (ret == -EBUSY && kpatch_ftrace_off())
		kpatch_set_error(priv, "cannot attach to %s: function tracing is turned off (sysctl kernel.ftrace_enabled is 0); turn it on to load or enable patches",
				 first->name);
	else if (ret == -EBUSY && n == 1)
		kpatch_set_error(priv, "function %s is already modified by another ftrace IPMODIFY user (see /sys/kernel/tracing/enabled_functions for its handler)",
				 first->name);
	else if (ret == -EBUSY)
		kpatch_set_error(priv, "one of the %u functions being attached (the first: %s) is already modified by another ftrace IPMODIFY user (see /sys/kernel/tracing/enabled_functions for its handler)",
				 n, first->name);
	else
		kpatch_set_error(priv, "cannot attach the ftrace handler to %u functions, the first %s (%d)",
				 n, first->name, ret);
	return ret;
}

/*
 * Register @fops.  A BPF trampoline on one of its addresses, asked to
 * share the site, answers -EAGAIN when it cannot take its own lock at
 * that moment (another attach or detach of it is under way) and expects
 * the caller to try again; a few tries, 10 ms apart, cover that.
 */
static int kpatch_register_handler(struct ftrace_ops *fops)
{
	int ret, tries = 0;

	while ((ret = register_ftrace_function(fops)) == -EAGAIN &&
	       ++tries < KPATCH_ARM_TRIES)
		msleep(10);
	return ret;
}

/*
 * Make ftrace call the handler for every attached address that it does
 * not call it for yet: one new ops for all of them, one ftrace code
 * update.  On failure nothing is armed; the caller detaches and calls
 * kpatch_disarm().  @priv names the patch in the error (NULL: logged).
 */
int kpatch_arm(struct kpatch_priv *priv)
{
	struct kpatch_handler *handler;
	struct kpatch_ops *ops;
	unsigned long *ips;
	unsigned int n = 0;
	int ret;

	list_for_each_entry(ops, &kpatch_ops_list, node)
		n += kpatch_needs_arming(ops);
	if (!n)
		return 0;
	ips = kvmalloc_array(n, sizeof(*ips), GFP_KERNEL);
	handler = kzalloc(sizeof(*handler), GFP_KERNEL);
	if (!ips || !handler) {
		ret = -ENOMEM;
		goto out;
	}
	n = 0;
	list_for_each_entry(ops, &kpatch_ops_list, node)
		if (kpatch_needs_arming(ops))
			ips[n++] = ops->ip;

	handler->anchor = -1;
	handler->fops.func = kpatch_ftrace_handler;
	/* PERMANENT: a sysctl that turns ftrace off must not unpatch. */
	handler->fops.flags = FTRACE_OPS_FL_SAVE_REGS | FTRACE_OPS_FL_IPMODIFY |
			      FTRACE_OPS_FL_DYNAMIC | FTRACE_OPS_FL_PERMANENT;
	ret = ftrace_set_filter_ips(&handler->fops, ips, n, 0, 0) ?:
	      kpatch_register_handler(&handler->fops);
	if (ret) {
		ftrace_free_filter(&handler->fops);
		if (priv)
			kpatch_arm_error(priv, n, ret);
		else
			pr_err("cannot attach the ftrace handler to %u functions (%d)\n",
			       n, ret);
		goto out;
	}
	list_for_each_entry(ops, &kpatch_ops_list, node)
		if (kpatch_needs_arming(ops))
			WRITE_ONCE(ops->handler, handler);
	handler->nr = n;
	list_add(&handler->node, &kpatch_handlers);
	handler = NULL;
out:
	kfree(handler);
	kvfree(ips);
	return ret;
}

/*
 * Nothing for the handler to redirect any more, or a direct call does it
 * (one that is not being handed back, direct.c).
 */
static bool kpatch_leaves_handler(const struct kpatch_ops *ops)
{
	return ops->handler &&
	       (list_empty(&ops->stack) ||
		(ops->direct && !kpatch_direct_handing_back(ops)));
}

/* Out of the table; free it with kpatch_free_unlisted(). */
void kpatch_ops_unlist(struct kpatch_ops *ops)
{
	hash_del_rcu(&ops->hnode);
	list_del(&ops->node);
}

/*
 * Free kpatch_ops taken out of the table (linked by their node) once no
 * handler can be reading them: once every CPU has scheduled, since the
 * handler reads the table with preemption off, also where RCU is not
 * watching (as klp_synchronize_transition() does for the kernel's
 * livepatch).
 */
void kpatch_free_unlisted(struct list_head *list)
{
	struct kpatch_ops *ops, *tmp;

	if (list_empty(list))
		return;
	synchronize_rcu_tasks_rude();
	list_for_each_entry_safe(ops, tmp, list, node)
		kfree(ops);
}

/*
 * @handler's addresses all leave: switch its filter to an anchor alone
 * (one code update, no RCU-tasks wait), to be unregistered later.  The
 * filter change clears IPMODIFY on the addresses it leaves, as an
 * unregistration would: the kernel's livepatch or a kprobe may take them
 * at once.  A BPF trampoline told to share one of them when the ops was
 * registered stays in that mode (it calls the original through its
 * return address, which is right with or without us).
 */
static int kpatch_handler_park(struct kpatch_handler *handler)
{
	unsigned long ip;
	int anchor, ret;

	anchor = kpatch_anchor_get(&ip);
	if (anchor < 0)
		return anchor;
	ret = ftrace_set_filter_ips(&handler->fops, &ip, 1, 0, 1);
	if (ret) {
		kpatch_anchor_put(anchor);
		return ret;
	}
	handler->anchor = anchor;
	/*
	 * PERMANENT keeps the sysctl kernel.ftrace_enabled from turning off
	 * a patch; a parked ops patches nothing, and must not keep the
	 * sysctl from being turned off after the last patch left.  ftrace
	 * reads the flag only when an ops registers and when the sysctl is
	 * written, and writes an ops' flags only while that ops is being
	 * updated, which only kpatch_mutex's holder does: nothing else
	 * writes this word now.
	 */
	WRITE_ONCE(handler->fops.flags,
		   handler->fops.flags & ~FTRACE_OPS_FL_PERMANENT);
	return 0;
}

/* Unregister @handler (none of its addresses can be reached any more). */
static int kpatch_handler_unregister(struct kpatch_handler *handler)
{
	int ret = unregister_ftrace_function(&handler->fops);

	if (!ret)
		ftrace_free_filter(&handler->fops);
	return ret;
}

/*
 * Take @n addresses out of @handler; if that is all, park it on an anchor
 * or, with none free, unregister it (an empty filter would mean every
 * function).
 */
static int kpatch_handler_drop(struct kpatch_handler *handler, unsigned int n)
{
	struct kpatch_ops *ops;
	unsigned long *ips;
	int ret;

	if (n == handler->nr) {
		ret = kpatch_handler_park(handler);
		if (!ret)
			return 0;
		/* Slower, not wrong: said once, as it may hold for a while. */
		if (ret == -ENOSPC)
			pr_notice_once("every anchor holds an emptied ftrace_ops: disabling unregisters at once, waiting for RCU-tasks\n");
		else
			pr_notice_once("cannot park an emptied ftrace_ops on an anchor (%d): disabling unregisters at once, waiting for RCU-tasks\n",
				       ret);
		return kpatch_handler_unregister(handler);
	}
	ips = kvmalloc_array(n, sizeof(*ips), GFP_KERNEL);
	if (!ips)
		return -ENOMEM;
	n = 0;
	list_for_each_entry(ops, &kpatch_ops_list, node)
		if (ops->handler == handler && kpatch_leaves_handler(ops))
			ips[n++] = ops->ip;
	ret = ftrace_set_filter_ips(&handler->fops, ips, n, 1, 0);
	kvfree(ips);
	return ret;
}

/*
 * ftrace would not let go of @handler's leaving addresses: it still calls
 * the handler for them.  Keep them armed (an empty one runs the original;
 * a later patch may reuse it, a later disarm retries; one with a direct
 * call agrees with its slot), and keep kpatch.ko, whose text the handler
 * is, for good.
 */
static void kpatch_handler_stuck(struct kpatch_handler *handler, int ret)
{
	struct kpatch_ops *ops;

	pr_err("cannot detach the ftrace handler from %u functions (%d); keeping it, and kpatch.ko stays loaded until reboot\n",
	       handler->leaving, ret);
	list_for_each_entry(ops, &kpatch_ops_list, node)
		if (ops->handler == handler && list_empty(&ops->stack)) {
			WRITE_ONCE(ops->target[0], 0);
			WRITE_ONCE(ops->target[1], 0);
		}
	kpatch_pin_self();
}

/*
 * Let go of every address the handler need not redirect any more (no
 * patch version is attached, or a direct call took over): one ftrace code
 * update per handler ops that has such addresses.  Free the kpatch_ops of
 * those no patch holds; one with a direct call keeps it until direct.c
 * lets go of that.
 */
void kpatch_disarm(void)
{
	struct kpatch_handler *handler, *htmp;
	struct kpatch_ops *ops, *tmp;
	LIST_HEAD(unused);
	int ret;

	list_for_each_entry(handler, &kpatch_handlers, node)
		handler->leaving = 0;
	list_for_each_entry(ops, &kpatch_ops_list, node)
		if (kpatch_leaves_handler(ops))
			ops->handler->leaving++;
	list_for_each_entry_safe(handler, htmp, &kpatch_handlers, node) {
		if (!handler->leaving)
			continue;
		ret = kpatch_handler_drop(handler, handler->leaving);
		if (ret) {
			kpatch_handler_stuck(handler, ret);
			continue;
		}
		list_for_each_entry(ops, &kpatch_ops_list, node)
			if (ops->handler == handler &&
			    kpatch_leaves_handler(ops))
				WRITE_ONCE(ops->handler, NULL);
		handler->nr -= handler->leaving;
		if (handler->nr)
			continue;
		if (handler->anchor >= 0) {
			handler->kept_since = jiffies;
			list_move_tail(&handler->node, &kpatch_kept);
		} else {
			list_del(&handler->node);
			kfree(handler);
		}
	}
	list_for_each_entry_safe(ops, tmp, &kpatch_ops_list, node)
		if (list_empty(&ops->stack) && !ops->handler && !ops->direct) {
			kpatch_ops_unlist(ops);
			list_add(&ops->node, &unused);
		}
	kpatch_free_unlisted(&unused);
	kpatch_direct_kick();
}

/*
 * The worker, under kpatch_mutex: take the first kept handler ops whose
 * handler_keep_ms is up off the list, for kpatch_handler_release().
 * @next: jiffies until the next one is due (0: none is kept).
 */
struct kpatch_handler *kpatch_handler_claim(unsigned long *next)
{
	unsigned long due = msecs_to_jiffies(READ_ONCE(handler_keep_ms));
	struct kpatch_handler *handler;

	*next = 0;
	if (list_empty(&kpatch_kept))
		return NULL;
	/* In the order they were kept: the first is due first. */
	handler = list_first_entry(&kpatch_kept, struct kpatch_handler, node);
	due += handler->kept_since;
	if (time_before(jiffies, due)) {
		*next = due - jiffies;
		return NULL;
	}
	list_del(&handler->node);
	return handler;
}

/*
 * Unregister a claimed handler ops, without kpatch_mutex (RCU-tasks wait),
 * and give its anchor back.  One that ftrace will not let go of keeps its
 * anchor, and kpatch.ko stays (its handler never runs: nothing calls an
 * anchor).
 */
void kpatch_handler_release(struct kpatch_handler *handler)
{
	int ret = kpatch_handler_unregister(handler);

	if (ret) {
		pr_err("cannot unregister an emptied ftrace handler ops (%d); keeping it, and kpatch.ko stays loaded until reboot\n",
		       ret);
		mutex_lock(&kpatch_mutex);
		kpatch_pin_self();
		mutex_unlock(&kpatch_mutex);
		return;
	}
	kpatch_anchor_put(handler->anchor);
	kfree(handler);
}

/*
 * Module exit, once the worker has stopped: unregister every kept handler
 * ops before kpatch.ko's text, the handler, goes.  (One ftrace refused to
 * unregister pinned kpatch.ko, so there is none at exit.)
 */
void kpatch_handler_exit(void)
{
	struct kpatch_handler *handler, *tmp;

	list_for_each_entry_safe(handler, tmp, &kpatch_kept, node) {
		list_del(&handler->node);
		kpatch_handler_release(handler);
	}
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
		if (ops->direct)
			kpatch_direct_retarget(ops, next, ops->target[next]);
	}
	smp_store_release(&kpatch_gen, next);
}

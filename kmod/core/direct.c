// SPDX-License-Identifier: GPL-2.0
/*
 * direct.c - moving settled functions from the ftrace handler to direct
 * calls.
 *
 * Through the handler a patched call pays for ftrace's register-saving
 * trampoline, a hash lookup and an indirect call.  A direct call
 * (DYNAMIC_FTRACE_WITH_DIRECT_CALLS) makes the fentry site call a
 * trampoline of ours instead: a slot (slots.S), which reads the target
 * the handler would choose and enters it.  But a direct ftrace_ops has one
 * trampoline for all its functions, and registering or unregistering one
 * is a code update each (an unregister also waits for RCU-tasks).  So
 * transitions stay on the handler's one ops, batched (patch.c), and this
 * file moves functions over afterwards, in the background, an ops each:
 *
 *   1. The slot gets the function's targets for both generations, and a
 *      direct ops for the function is registered to it.  ftrace asks the
 *      ops whether it may share the site with our IPMODIFY ops
 *      (ENABLE_SHARE_IPMODIFY_SELF): it may, the slot and the handler
 *      send calls to the same target.
 *   2. The function leaves the handler's ops, one code update for a
 *      batch of them: its site now calls the slot.
 *
 * From then on a flip retargets the slot with the handler
 * (kpatch_ops_retarget()) and a transition needs no ftrace update for the
 * function.  When no patch holds it any more its target is 0, so calls
 * run the original, and its ops is unregistered here, later.
 *
 * A module's functions move once it is live; when it goes, their direct
 * ops go before its text does.  Another IPMODIFY user (the
 * kernel's livepatch, a kprobe) is refused on a moved function as on one
 * the handler holds (ENABLE_SHARE_IPMODIFY_PEER says no); other tracers
 * share the site as before.  A BPF trampoline, a direct ops itself, keeps
 * a function on the handler; but ftrace allows one direct call per site
 * and never asks the one there, so a BPF trampoline cannot attach to a
 * moved function.  That is why direct calls are off unless the module
 * parameter direct_calls is 1 (at load or in
 * /sys/module/kpatch/parameters); writing 0 hands every moved function
 * back to the handler, in the background.
 *
 * Letting go of a direct call, because no patch holds its function any
 * more or because it is handed back, is one path: the handler arms the
 * function first where a patch still holds it (ftrace asks the direct ops
 * to share the site, and it says yes), then the slot's fast path closes
 * and its targets become 0, so it returns to wherever the handler sent
 * the call, or into the original; then, outside kpatch_mutex, the direct
 * ops is unregistered, which waits (RCU-tasks) until no task is inside
 * the slot, and only then is the slot free and the kpatch_ops without a
 * direct call.  Until then a flip still checks the slot (transition.c).
 * While any direct call is registered kpatch.ko holds a reference on
 * itself, so that it cannot be removed with a slot still reachable.
 */
#define pr_fmt(fmt) "kpatch: " fmt

#include <linux/bitmap.h>
#include <linux/debugfs.h>
#include <linux/jiffies.h>
#include <linux/moduleparam.h>
#include <linux/slab.h>
#include <linux/wait.h>
#include <linux/workqueue.h>
#include "compat.h"
#include "core.h"
#include "direct.h"

static bool direct_calls;
/* The worker may be queued: after module init, until module exit. */
static bool kpatch_direct_live;
/* Said that a hand-back to the handler failed; said again after a write. */
static bool kpatch_hand_back_failed;
/*
 * A write of direct_calls: try again the functions whose direct call was
 * refused (a BPF trampoline was on them then, and may have left).
 */
static bool kpatch_direct_retry;

/* Turned on: move what waited; turned off: hand them back. */
static int kpatch_set_direct_calls(const char *val,
				   const struct kernel_param *kp)
{
	int ret = param_set_bool(val, kp);

	if (!ret) {
		WRITE_ONCE(kpatch_hand_back_failed, false);
		WRITE_ONCE(kpatch_direct_retry, true);
		kpatch_direct_kick();
	}
	return ret;
}

static const struct kernel_param_ops kpatch_direct_calls_ops = {
	.set = kpatch_set_direct_calls,
	.get = param_get_bool,
};
module_param_cb(direct_calls, &kpatch_direct_calls_ops, &direct_calls, 0644);
MODULE_PARM_DESC(direct_calls,
		 "move settled patched functions to direct calls (default 0; a BPF trampoline cannot attach to a moved function; writing 0 hands them back to the ftrace handler)");

/*
 * How long a direct call no patch needs is kept, for a patch that comes
 * back to the function (a disable and enable, an unload and load): reused,
 * it costs no ftrace update, where letting go of it and registering a new
 * one cost an RCU-tasks wait and two code updates.  While it waits its slot
 * runs the original, and another IPMODIFY user that registers on the
 * function (the kernel's livepatch, a kprobe that may change the ip) gets
 * the site at once (kpatch_direct_ops_func()).
 */
static unsigned int direct_keep_ms = 1000;
module_param(direct_keep_ms, uint, 0644);
MODULE_PARM_DESC(direct_keep_ms,
		 "how long a direct call no patch needs is kept for reuse (ms, default 1000; a BPF trampoline cannot attach to the function meanwhile; 0: let go of it at once)");

/*
 * For tests only (test/integration/core/tests/99-direct-stuck.sh): a
 * debugfs file, /sys/kernel/debug/kpatch/fail_direct_unregister, that
 * makes every unregistration of a direct call fail as if ftrace refused
 * it, so that what the core then keeps can be checked in a running
 * kernel.  ftrace refuses for real only once it is dead (ftrace_kill()).
 */
static bool kpatch_fail_direct_unregister;
static struct dentry *kpatch_debugfs;

/* Functions moved per hold of kpatch_mutex: each is a code update. */
#define KPATCH_MOVE_BATCH	32

/* slots.S: the slots. */
extern const u8 kpatch_slots[];
/*
 * What each slot reads: the return address a call from its function's
 * fentry site leaves (anything else: an IPMODIFY user chose, slots.S),
 * the target of its fast path (0: closed), its targets per generation.
 */
unsigned long kpatch_slot_entry[KPATCH_NR_SLOTS];
unsigned long kpatch_slot_fast[KPATCH_NR_SLOTS];
unsigned long kpatch_slot_targets[KPATCH_NR_SLOTS][2];
/* Taken under kpatch_mutex, freed by atomic clears outside it. */
static DECLARE_BITMAP(kpatch_slot_used, KPATCH_NR_SLOTS);

/* Said that no slot is free; cleared when one comes free. */
static bool kpatch_slots_full;

/* Direct calls registered; kpatch.ko holds itself while there are any. */
static unsigned int kpatch_nr_direct;

/*
 * What a direct call is for (kpatch_direct.state).  USED to IDLE and
 * back, and anything to RELEASED, happen under kpatch_mutex; IDLE to
 * RELEASED also in kpatch_direct_ops_func(), under ftrace's locks, so
 * IDLE is only ever left by cmpxchg(): a patch that reuses the direct
 * call and a peer that takes the site cannot both win.
 */
enum kpatch_direct_state {
	/* A patch holds the function (or did until the last flip). */
	KPATCH_DIRECT_USED,
	/* None does: its slot runs the original; kept for reuse a while. */
	KPATCH_DIRECT_IDLE,
	/* Let go of: the slot's targets are 0 for good, it defers to whoever sets the ip. */
	KPATCH_DIRECT_RELEASED,
};

/* A function's direct ftrace_ops. */
struct kpatch_direct {
	struct ftrace_ops fops;
	struct kpatch_ops *ops;
	/* The handler is arming the function again: share the site. */
	bool sharing;
	int state;			/* enum kpatch_direct_state */
	unsigned long idle_since;	/* jiffies, while IDLE */
	/* Its unregistration is under way, outside kpatch_mutex. */
	bool claimed;
	struct list_head claim_node;
};

static void kpatch_direct_work(struct work_struct *work);
static DECLARE_DELAYED_WORK(kpatch_direct_worker, kpatch_direct_work);

static bool kpatch_direct_released(const struct kpatch_direct *direct)
{
	return READ_ONCE(direct->state) == KPATCH_DIRECT_RELEASED;
}

/* The module (or NULL) of the direct call the worker is letting go of. */
static struct module *kpatch_releasing_mod;
static DECLARE_WAIT_QUEUE_HEAD(kpatch_released_wq);

unsigned long kpatch_slot_addr(const struct kpatch_ops *ops)
{
	return (unsigned long)kpatch_slots +
	       ((unsigned long)ops->slot << KPATCH_SLOT_SHIFT);
}

/*
 * How calls to @ops's function are redirected, for sysfs: "ftrace" (the
 * handler), "slot" (a direct call to the slot, which looks the target
 * up: just moved or just switched) or "direct" (its fast path is open).
 */
const char *kpatch_redirect_name(const struct kpatch_ops *ops)
{
	if (!READ_ONCE(ops->direct) || READ_ONCE(ops->handler))
		return "ftrace";
	return READ_ONCE(kpatch_slot_fast[ops->slot]) ? "direct" : "slot";
}

/*
 * What kpatch_ops_retarget() writes for the handler, for the slot; a fast
 * path to another target is closed, before the generation switches.
 */
void kpatch_direct_retarget(struct kpatch_ops *ops, unsigned int gen,
			    unsigned long target)
{
	if (READ_ONCE(ops->direct->state) != KPATCH_DIRECT_USED)
		return;
	if (target != kpatch_slot_fast[ops->slot])
		WRITE_ONCE(kpatch_slot_fast[ops->slot], 0);
	WRITE_ONCE(kpatch_slot_targets[ops->slot][gen], target);
}

/*
 * After a change: something may move, open or be let go of now.  Nothing
 * is queued before module init is done (a parameter given at load is set
 * before it, and a failed init would leave the work in freed memory) nor
 * after exit began.
 */
void kpatch_direct_kick(void)
{
	if (READ_ONCE(kpatch_direct_live))
		mod_delayed_work(system_long_wq, &kpatch_direct_worker, 0);
}

/* A direct call that the handler may take the site back from. */
bool kpatch_direct_handing_back(const struct kpatch_ops *ops)
{
	return ops->direct &&
	       (ops->direct->sharing || kpatch_direct_released(ops->direct));
}

/*
 * A patch attaches to @ops's function: reuse its idle direct call, unless
 * a peer took the site meanwhile (then it is released, and the handler
 * arms the function, kpatch_needs_arming()).  Its slot runs the original
 * until the transition's flip writes the target.
 */
void kpatch_direct_reuse(struct kpatch_ops *ops)
{
	if (ops->direct)
		cmpxchg(&ops->direct->state, KPATCH_DIRECT_IDLE,
			KPATCH_DIRECT_USED);
}

static int kpatch_direct_ops_func(struct ftrace_ops *fops,
				  enum ftrace_ops_cmd cmd)
{
	struct kpatch_direct *direct = container_of(fops, struct kpatch_direct,
						    fops);

	/*
	 * SELF: our IPMODIFY ops holds the function while it moves (or
	 * still, if dropping it failed); its handler agrees with the slot.
	 * PEER: an IPMODIFY ops registers on the function.  While a patch
	 * holds it, that is another live patcher (or a kprobe that may
	 * change the ip), refused as the handler would refuse it; or our
	 * own handler taking the function back (sharing).  An idle direct
	 * call gives the site up (its slot runs the original, so it defers
	 * to whoever sets the ip), and is let go of; a released one
	 * already defers: our handler again, or anybody.
	 */
	if (cmd != FTRACE_OPS_CMD_ENABLE_SHARE_IPMODIFY_PEER ||
	    READ_ONCE(direct->sharing))
		return 0;
	switch (cmpxchg(&direct->state, KPATCH_DIRECT_IDLE,
			KPATCH_DIRECT_RELEASED)) {
	case KPATCH_DIRECT_USED:
		return -EBUSY;
	case KPATCH_DIRECT_IDLE:
		kpatch_direct_kick();	/* to unregister it */
		break;
	}
	return 0;
}

/*
 * A module's function moves once the module is live: while it is coming,
 * ftrace has not enabled its call sites yet (core.c, "Modules").
 */
static bool kpatch_can_move(const struct kpatch_ops *ops)
{
	const struct kpatch_fn *fn;

	if (!ops->handler || ops->direct || ops->direct_refused ||
	    list_empty(&ops->stack))
		return false;
	fn = list_first_entry(&ops->stack, struct kpatch_fn, stack_node);
	return !fn->obj->mod || fn->obj->mod->state == MODULE_STATE_LIVE;
}

/* Step 1: a slot and a direct ops for @ops's function, beside the handler. */
static int kpatch_direct_register(struct kpatch_ops *ops)
{
	struct kpatch_direct *direct;
	unsigned int slot;
	int ret;

	slot = find_first_zero_bit(kpatch_slot_used, KPATCH_NR_SLOTS);
	if (slot >= KPATCH_NR_SLOTS)
		return -ENOSPC;
	direct = kzalloc(sizeof(*direct), GFP_KERNEL);
	if (!direct)
		return -ENOMEM;
	ret = ftrace_set_filter_ip(&direct->fops, ops->ip, 0, 0);
	if (ret) {
		kfree(direct);
		return ret;
	}
	direct->ops = ops;
	ops->slot = slot;
	kpatch_slot_entry[slot] = ops->ip + MCOUNT_INSN_SIZE;
	kpatch_slot_fast[slot] = 0;
	kpatch_slot_targets[slot][0] = ops->target[0];
	kpatch_slot_targets[slot][1] = ops->target[1];
	ret = kpatch_register_direct(&direct->fops, kpatch_slot_addr(ops),
				     kpatch_direct_ops_func);
	if (ret) {
		ftrace_free_filter(&direct->fops);
		kfree(direct);
		return ret;
	}
	set_bit(slot, kpatch_slot_used);
	if (!kpatch_nr_direct++)
		__module_get(THIS_MODULE);
	WRITE_ONCE(ops->direct, direct);
	return 0;
}

/* Move a batch of functions over: true if more are waiting. */
static bool kpatch_direct_move(void)
{
	struct kpatch_ops *ops;
	unsigned int n = 0;
	bool more = false;
	int ret;

	list_for_each_entry(ops, &kpatch_ops_list, node) {
		if (!kpatch_can_move(ops))
			continue;
		if (n == KPATCH_MOVE_BATCH) {
			more = true;
			break;
		}
		ret = kpatch_direct_register(ops);
		if (ret == -EOPNOTSUPP) {
			pr_info("this kernel has no ftrace direct calls: patched functions stay on the ftrace handler\n");
			WRITE_ONCE(direct_calls, false);
			break;
		}
		if (ret == -ENOSPC) {
			/* Said once until a slot comes free again. */
			if (!kpatch_slots_full) {
				kpatch_slots_full = true;
				pr_info("all %d direct-call slots are taken: the functions patched beyond them stay on the ftrace handler\n",
					KPATCH_NR_SLOTS);
			}
			break;
		}
		if (ret) {
			/*
			 * Said once per function: it stays on the handler
			 * until direct_calls is written again.
			 */
			ops->direct_refused = true;
			pr_info("%s stays on the ftrace handler: no direct call for it (%d)\n",
				list_first_entry(&ops->stack, struct kpatch_fn,
						 stack_node)->name, ret);
			continue;
		}
		n++;
	}
	if (n)
		kpatch_disarm();	/* step 2, for the whole batch */
	return more;
}

/*
 * Step 3: open the fast path of every moved function whose target is
 * settled: one store of the target into the word its slot reads
 * (slots.S).  No code changes; a CPU that read the word before a flip
 * closed it (an NMI, or a task in a forced function, which no flip
 * checks) returns into the target it read, old or new, never a torn one.
 */
static void kpatch_direct_open(void)
{
	unsigned int gen = READ_ONCE(kpatch_gen) & 1;
	struct kpatch_ops *ops;
	unsigned long target;

	list_for_each_entry(ops, &kpatch_ops_list, node) {
		target = ops->target[gen];
		if (!ops->direct || ops->handler ||
		    READ_ONCE(ops->direct->state) != KPATCH_DIRECT_USED ||
		    !target || kpatch_slot_fast[ops->slot])
			continue;
		WRITE_ONCE(kpatch_slot_fast[ops->slot], target);
	}
}

/* Close @ops's slot: its fast path, and its targets to 0 (the original). */
static void kpatch_direct_close(struct kpatch_ops *ops)
{
	WRITE_ONCE(kpatch_slot_fast[ops->slot], 0);
	WRITE_ONCE(kpatch_slot_targets[ops->slot][0], 0);
	WRITE_ONCE(kpatch_slot_targets[ops->slot][1], 0);
}

/*
 * Let go of @ops's direct call: the handler holds the function again (or
 * no patch does), so the slot closes for good and defers to it.  The
 * unregistration follows, outside kpatch_mutex (kpatch_direct_unclaim()).
 */
static void kpatch_direct_let_go(struct kpatch_ops *ops)
{
	struct kpatch_direct *direct = ops->direct;

	direct->sharing = false;
	if (kpatch_direct_released(direct))
		return;
	/* Flips write only the slots of used directs: this one stays closed. */
	kpatch_direct_close(ops);
	xchg(&direct->state, KPATCH_DIRECT_RELEASED);
}

static bool kpatch_direct_unused(const struct kpatch_ops *ops)
{
	return ops->direct && !ops->handler && list_empty(&ops->stack);
}

/* Direct calls of @mod's functions that no patch holds any more. */
static void kpatch_direct_let_go_unused(const struct module *mod)
{
	struct kpatch_ops *ops;

	list_for_each_entry(ops, &kpatch_ops_list, node)
		if (kpatch_direct_unused(ops) && ops->mod == mod)
			kpatch_direct_let_go(ops);
}

/*
 * Direct calls no patch holds any more become idle: closed, kept for
 * reuse.  Those idle for direct_keep_ms (or all, once direct_calls is 0)
 * are let go of.  Returns the jiffies until the next one is due, 0: none
 * is idle.
 */
static unsigned long kpatch_direct_expire(void)
{
	unsigned long keep = msecs_to_jiffies(READ_ONCE(direct_keep_ms));
	unsigned long due, next = 0;
	bool all = !READ_ONCE(direct_calls);
	struct kpatch_ops *ops;

	list_for_each_entry(ops, &kpatch_ops_list, node) {
		if (!kpatch_direct_unused(ops))
			continue;
		if (READ_ONCE(ops->direct->state) == KPATCH_DIRECT_USED) {
			kpatch_direct_close(ops);
			ops->direct->idle_since = jiffies;
			/* The slot is closed before a peer may take the site. */
			smp_store_release(&ops->direct->state,
					  KPATCH_DIRECT_IDLE);
		}
		if (READ_ONCE(ops->direct->state) != KPATCH_DIRECT_IDLE)
			continue;
		due = ops->direct->idle_since + keep;
		if (all || !time_before(jiffies, due)) {
			kpatch_direct_let_go(ops);
			continue;
		}
		if (!next || due - jiffies < next)
			next = due - jiffies ?: 1;
	}
	return next;
}

/*
 * direct_calls is 0: hand a batch of moved functions back to the
 * handler.  It arms them first, sharing the site with their direct calls
 * (both send calls to the same target), then the direct calls are let go
 * of.  True if more are waiting.
 */
static bool kpatch_direct_hand_back(void)
{
	struct kpatch_ops *ops;
	unsigned int n = 0;
	bool more = false;

	list_for_each_entry(ops, &kpatch_ops_list, node) {
		if (!ops->direct || kpatch_direct_released(ops->direct) ||
		    list_empty(&ops->stack))
			continue;
		if (n == KPATCH_MOVE_BATCH) {
			more = true;
			break;
		}
		ops->direct->sharing = true;
		n++;
	}
	if (!n)
		return false;
	if (kpatch_arm(NULL)) {
		list_for_each_entry(ops, &kpatch_ops_list, node)
			if (ops->direct)
				ops->direct->sharing = false;
		if (!kpatch_hand_back_failed) {
			kpatch_hand_back_failed = true;
			pr_err("cannot hand moved functions back to the ftrace handler: they stay on their direct calls\n");
		}
		return false;
	}
	list_for_each_entry(ops, &kpatch_ops_list, node)
		if (ops->direct && ops->direct->sharing)
			kpatch_direct_let_go(ops);
	return more;
}

/* Claim released direct calls (of @mod, if given) onto @list. */
static void kpatch_direct_claim(const struct module *mod, struct list_head *list,
				unsigned int max)
{
	struct kpatch_ops *ops;

	list_for_each_entry(ops, &kpatch_ops_list, node) {
		if (!max)
			return;
		if (!ops->direct || !kpatch_direct_released(ops->direct) ||
		    ops->direct->claimed || (mod && ops->mod != mod))
			continue;
		ops->direct->claimed = true;
		list_add_tail(&ops->direct->claim_node, list);
		max--;
	}
}

/*
 * Unregister the claimed direct calls, without kpatch_mutex: each
 * unregistration waits until no task can be inside the slot (RCU-tasks).
 * Then, under it, the slots are free and their kpatch_ops without a
 * direct call; those no patch holds any more are freed.  A direct call
 * ftrace will not let go of keeps its slot, its kpatch_ops and so
 * kpatch.ko's reference on itself: the slot runs the original, or defers
 * to the handler, until reboot.
 */
static void kpatch_direct_unclaim(struct list_head *list)
{
	struct kpatch_direct *direct, *tmp;
	struct kpatch_ops *ops;
	LIST_HEAD(unused);
	int ret;

	list_for_each_entry(direct, list, claim_node) {
		ret = READ_ONCE(kpatch_fail_direct_unregister) ? -EIO :
		      kpatch_unregister_direct(&direct->fops,
					       kpatch_slot_addr(direct->ops));
		if (ret) {
			pr_err("cannot unregister the direct call of a function at %pS (%d); keeping it, and kpatch.ko stays loaded until reboot\n",
			       (void *)direct->ops->ip, ret);
			direct->ops = NULL;
		}
	}
	mutex_lock(&kpatch_mutex);
	list_for_each_entry_safe(direct, tmp, list, claim_node) {
		list_del(&direct->claim_node);
		ops = direct->ops;
		if (!ops)
			continue;
		clear_bit(ops->slot, kpatch_slot_used);
		WRITE_ONCE(kpatch_slots_full, false);
		WRITE_ONCE(ops->direct, NULL);
		kfree(direct);
		if (!--kpatch_nr_direct)
			module_put(THIS_MODULE);
		if (list_empty(&ops->stack) && !ops->handler) {
			kpatch_ops_unlist(ops);
			list_add(&ops->node, &unused);
		}
	}
	kpatch_free_unlisted(&unused);
	mutex_unlock(&kpatch_mutex);
}

/* Jiffies until the next idle direct call is due (kpatch_direct_expire()). */
static unsigned long kpatch_direct_next_due;

/*
 * One step of the worker: keep idle or let go of direct calls no patch
 * needs, hand back or move a batch of functions, open fast paths, then
 * unregister one released direct call, or else one emptied handler ops
 * whose time is up (patch.c), outside kpatch_mutex.  True while there may
 * be more.  A module's GOING notification, which unregisters its own
 * functions' direct calls, waits for the one the worker holds
 * (kpatch_direct_module_going()): ftrace must drop a direct call before
 * the module's text goes.
 */
static bool kpatch_direct_step(void)
{
	struct kpatch_handler *kept = NULL;
	unsigned long kept_due = 0;
	struct kpatch_ops *ops;
	LIST_HEAD(claimed);
	bool more;

	mutex_lock(&kpatch_mutex);
	if (xchg(&kpatch_direct_retry, false))
		list_for_each_entry(ops, &kpatch_ops_list, node)
			ops->direct_refused = false;
	kpatch_direct_next_due = kpatch_direct_expire();
	if (!READ_ONCE(kpatch_direct_live))
		more = false;
	else if (READ_ONCE(direct_calls))
		more = kpatch_direct_move();
	else
		more = kpatch_direct_hand_back();
	kpatch_direct_open();
	kpatch_direct_claim(NULL, &claimed, 1);
	if (!list_empty(&claimed))
		WRITE_ONCE(kpatch_releasing_mod,
			   list_first_entry(&claimed, struct kpatch_direct,
					    claim_node)->ops->mod);
	else
		kept = kpatch_handler_claim(&kept_due);
	if (kept_due && (!kpatch_direct_next_due ||
			 kept_due < kpatch_direct_next_due))
		kpatch_direct_next_due = kept_due;
	mutex_unlock(&kpatch_mutex);
	if (kept) {
		kpatch_handler_release(kept);
		return true;
	}
	if (list_empty(&claimed))
		return more;
	kpatch_direct_unclaim(&claimed);
	WRITE_ONCE(kpatch_releasing_mod, NULL);
	wake_up_all(&kpatch_released_wq);
	return true;
}

/*
 * @mod goes and the core has taken every patch off its functions (the
 * caller holds kpatch_mutex): let go of their direct calls and claim them
 * onto @list, for kpatch_direct_module_gone() to unregister.
 */
void kpatch_direct_module_going(struct module *mod, struct list_head *list)
{
	kpatch_direct_let_go_unused(mod);
	kpatch_direct_claim(mod, list, UINT_MAX);
}

/*
 * Without kpatch_mutex, which every module load needs (one RCU-tasks
 * wait per function would hold it for minutes with a thousand of them):
 * unregister @mod's direct calls while ftrace still knows their call
 * sites, and wait for the one the worker may be letting go of.
 */
void kpatch_direct_module_gone(struct module *mod, struct list_head *list)
{
	if (!list_empty(list))
		kpatch_direct_unclaim(list);
	wait_event(kpatch_released_wq, READ_ONCE(kpatch_releasing_mod) != mod);
}

static void kpatch_direct_work(struct work_struct *work)
{
	while (kpatch_direct_step())
		cond_resched();
	/* Under the lock that kpatch_direct_exit() stops the worker with. */
	kernel_param_lock(THIS_MODULE);
	if (kpatch_direct_next_due && READ_ONCE(kpatch_direct_live))
		queue_delayed_work(system_long_wq, &kpatch_direct_worker,
				   kpatch_direct_next_due);
	kernel_param_unlock(THIS_MODULE);
}

/* Module init is done: the worker may run. */
void kpatch_direct_init_done(void)
{
	kpatch_debugfs = debugfs_create_dir("kpatch", NULL);
	debugfs_create_bool("fail_direct_unregister", 0600, kpatch_debugfs,
			    &kpatch_fail_direct_unregister);
	kernel_param_lock(THIS_MODULE);
	WRITE_ONCE(kpatch_direct_live, true);
	kernel_param_unlock(THIS_MODULE);
	kpatch_direct_kick();
}

/*
 * Module exit: no patch is left, and no direct call either, or kpatch.ko
 * would hold a reference on itself.  Stop the worker.
 */
void kpatch_direct_exit(void)
{
	/* A write of the parameter kicks under this lock: none kicks after. */
	kernel_param_lock(THIS_MODULE);
	WRITE_ONCE(kpatch_direct_live, false);
	kernel_param_unlock(THIS_MODULE);
	cancel_delayed_work_sync(&kpatch_direct_worker);
	debugfs_remove_recursive(kpatch_debugfs);
}

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
 * a function on the handler.  The module parameter direct_calls=0 (at
 * load or in /sys/module/kpatch/parameters) moves no more functions.
 */
#define pr_fmt(fmt) "kpatch: " fmt

#include <linux/bitmap.h>
#include <linux/moduleparam.h>
#include <linux/slab.h>
#include <linux/wait.h>
#include <linux/workqueue.h>
#include <asm/sync_core.h>
#include <asm/text-patching.h>
#include "compat.h"
#include "core.h"
#include "direct.h"

static bool direct_calls = true;
static bool kpatch_direct_exiting;	/* nothing queues the worker now */

/* Turned on again: move what waited. */
static int kpatch_set_direct_calls(const char *val,
				   const struct kernel_param *kp)
{
	int ret = param_set_bool(val, kp);

	if (!ret)
		kpatch_direct_kick();
	return ret;
}

static const struct kernel_param_ops kpatch_direct_calls_ops = {
	.set = kpatch_set_direct_calls,
	.get = param_get_bool,
};
module_param_cb(direct_calls, &kpatch_direct_calls_ops, &direct_calls, 0644);
MODULE_PARM_DESC(direct_calls,
		 "move settled patched functions to direct calls (default 1; 0 moves no more, those moved stay until no patch holds them)");

/* Functions moved per hold of kpatch_mutex: each is a code update. */
#define KPATCH_MOVE_BATCH	32

/* slots.S: the slots, and where in each the fast path's jmp is. */
extern const u8 kpatch_slots[];
extern const u32 kpatch_slot_jump;
/* What each slot reads: its fast path flag, its targets per generation. */
u8 kpatch_slot_fast[KPATCH_NR_SLOTS];
unsigned long kpatch_slot_targets[KPATCH_NR_SLOTS][2];
/* Where each slot's fast path jumps (0: not written for this function). */
static unsigned long kpatch_slot_jump_target[KPATCH_NR_SLOTS];
/* Taken under kpatch_mutex, freed by atomic clears outside it. */
static DECLARE_BITMAP(kpatch_slot_used, KPATCH_NR_SLOTS);

/* Said that no slot is free; cleared when one comes free. */
static bool kpatch_slots_full;

/* A direct call ftrace would not let go of holds kpatch.ko's text. */
static unsigned long kpatch_slots_pinned;

/* A function's direct ftrace_ops. */
struct kpatch_direct {
	struct ftrace_ops fops;
	/* Its function left the table: the slot's target is 0 for good. */
	bool released;
};

static void kpatch_direct_work(struct work_struct *work);
static DECLARE_WORK(kpatch_direct_worker, kpatch_direct_work);

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
 * up: just moved or just switched) or "direct" (the slot jumps).
 */
const char *kpatch_redirect_name(const struct kpatch_ops *ops)
{
	if (!READ_ONCE(ops->direct) || READ_ONCE(ops->armed))
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
	if (target != kpatch_slot_jump_target[ops->slot])
		WRITE_ONCE(kpatch_slot_fast[ops->slot], 0);
	WRITE_ONCE(kpatch_slot_targets[ops->slot][gen], target);
}

/* After a change: something may move, open or be let go of now. */
void kpatch_direct_kick(void)
{
	if (!READ_ONCE(kpatch_direct_exiting))
		queue_work(system_long_wq, &kpatch_direct_worker);
}

static int kpatch_direct_ops_func(struct ftrace_ops *fops,
				  enum ftrace_ops_cmd cmd)
{
	struct kpatch_direct *direct = container_of(fops, struct kpatch_direct,
						    fops);

	/*
	 * SELF: our IPMODIFY ops holds the function while it moves (or
	 * still, if dropping it failed); its handler agrees with the slot.
	 * PEER: an IPMODIFY ops registers on the function.  While the slot
	 * redirects, that is another live patcher (or a kprobe that may
	 * change the ip), refused as the handler would refuse it.  Once the
	 * function is released the slot defers to whoever sets the ip: our
	 * handler again, or anybody.
	 */
	if (cmd == FTRACE_OPS_CMD_ENABLE_SHARE_IPMODIFY_PEER)
		return READ_ONCE(direct->released) ? 0 : -EBUSY;
	return 0;
}

/*
 * A module's function moves once the module is live: while it is coming,
 * ftrace has not enabled its call sites yet (core.c, "Modules").
 */
static bool kpatch_can_move(const struct kpatch_ops *ops)
{
	const struct kpatch_fn *fn;

	if (!ops->armed || ops->direct || ops->direct_refused ||
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
	ops->slot = slot;
	kpatch_slot_fast[slot] = 0;
	kpatch_slot_jump_target[slot] = 0;
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
			/* Said once per function: it stays on the handler. */
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

static void kpatch_sync_core(void *unused)
{
	sync_core();
}

/*
 * Step 3: open the fast path of every moved function whose target is
 * settled.  Its jmp is written while the path is closed, which no task
 * can be on: a flip closes it only when the slot is on no stack, and a
 * slot comes free only after an RCU-tasks wait.  Every CPU serializes
 * before the path opens, so none runs a stale jmp.
 */
static void kpatch_direct_open(void)
{
	unsigned int gen = READ_ONCE(kpatch_gen) & 1, n = 0;
	struct kpatch_ops *ops;
	unsigned long target, jmp;
	s64 rel;

	list_for_each_entry(ops, &kpatch_ops_list, node) {
		target = ops->target[gen];
		if (!ops->direct || ops->armed || !target ||
		    kpatch_slot_fast[ops->slot])
			continue;
		if (kpatch_slot_jump_target[ops->slot] != target) {
			jmp = kpatch_slot_addr(ops) + kpatch_slot_jump;
			rel = (s64)target - (s64)(jmp + JMP32_INSN_SIZE);
			if (rel != (s32)rel)
				continue;	/* out of reach: generic path */
			kpatch_write_text((void *)(jmp + 1), &(s32){ rel },
					  sizeof(s32));
			kpatch_slot_jump_target[ops->slot] = target;
		}
		n++;
	}
	if (!n)
		return;
	on_each_cpu(kpatch_sync_core, NULL, 1);
	list_for_each_entry(ops, &kpatch_ops_list, node)
		if (ops->direct && !ops->armed && ops->target[gen] &&
		    kpatch_slot_jump_target[ops->slot] == ops->target[gen])
			WRITE_ONCE(kpatch_slot_fast[ops->slot], 1);
}

/*
 * The first kpatch_ops no patch holds that still has a direct call (in
 * @mod, if given), taken out of the table: a patch that attaches to its
 * function from now on gets a new one, on the handler, which may share
 * the site with the old direct call until that is gone (its slot's
 * target is 0 for good, which defers to the handler; ENABLE_SHARE_
 * IPMODIFY_PEER may say yes).
 */
static struct kpatch_ops *kpatch_direct_unused(const struct module *mod)
{
	struct kpatch_ops *ops;

	list_for_each_entry(ops, &kpatch_ops_list, node)
		if (ops->direct && !ops->armed && list_empty(&ops->stack) &&
		    (!mod || ops->mod == mod)) {
			/* Flips write only the slots of listed functions. */
			WRITE_ONCE(kpatch_slot_fast[ops->slot], 0);
			kpatch_slot_targets[ops->slot][0] = 0;
			kpatch_slot_targets[ops->slot][1] = 0;
			WRITE_ONCE(ops->direct->released, true);
			kpatch_ops_unlist(ops);
			return ops;
		}
	return NULL;
}

/*
 * Let go of the direct call of @ops, which is out of the table, without
 * kpatch_mutex: the unregistration waits until no task can be inside the
 * slot (RCU-tasks), and then the slot can serve another function.
 */
static void kpatch_direct_release(struct kpatch_ops *ops)
{
	struct kpatch_direct *direct = ops->direct;
	int ret;

	ret = kpatch_unregister_direct(&direct->fops, kpatch_slot_addr(ops));
	if (ret) {
		/* The slot runs the original; its text must stay. */
		pr_err("cannot unregister the direct call to the original of a function no patch replaces any more (%d); keeping it, and kpatch.ko stays loaded until reboot\n",
		       ret);
		if (!test_and_set_bit(0, &kpatch_slots_pinned))
			__module_get(THIS_MODULE);
	} else {
		kfree(direct);
		clear_bit(ops->slot, kpatch_slot_used);
		WRITE_ONCE(kpatch_slots_full, false);
	}
	kfree_rcu(ops, rcu);
}

/*
 * One direct call let go of, or a batch moved: true while there may be
 * more.  The letting go runs outside kpatch_mutex; a module's GOING
 * notification, which holds it, waits for the one of its functions
 * (kpatch_direct_module_going()): ftrace must drop a direct call before
 * the module's text goes.
 */
static bool kpatch_direct_step(void)
{
	struct kpatch_ops *unused;
	bool more = false;

	mutex_lock(&kpatch_mutex);
	unused = kpatch_direct_unused(NULL);
	if (unused)
		WRITE_ONCE(kpatch_releasing_mod, unused->mod);
	else if (READ_ONCE(direct_calls) && !kpatch_direct_exiting)
		more = kpatch_direct_move();
	kpatch_direct_open();
	mutex_unlock(&kpatch_mutex);
	if (!unused)
		return more;
	kpatch_direct_release(unused);
	WRITE_ONCE(kpatch_releasing_mod, NULL);
	wake_up_all(&kpatch_released_wq);
	return true;
}

/*
 * @mod goes and the core has taken every patch off its functions: let go
 * of their direct calls now, while ftrace still knows their call sites,
 * and wait for the one the worker may be letting go of.
 */
void kpatch_direct_module_going(struct module *mod)
{
	struct kpatch_ops *ops;

	while ((ops = kpatch_direct_unused(mod)))
		kpatch_direct_release(ops);
	wait_event(kpatch_released_wq, READ_ONCE(kpatch_releasing_mod) != mod);
}

static void kpatch_direct_work(struct work_struct *work)
{
	while (kpatch_direct_step())
		cond_resched();
}

/* Module exit: no patch is left; let go of every direct call. */
void kpatch_direct_exit(void)
{
	/* A write of the parameter kicks under this lock: none kicks after. */
	kernel_param_lock(THIS_MODULE);
	kpatch_direct_exiting = true;
	kernel_param_unlock(THIS_MODULE);
	cancel_work_sync(&kpatch_direct_worker);
	while (kpatch_direct_step())
		;
}

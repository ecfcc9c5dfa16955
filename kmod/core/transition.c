// SPDX-License-Identifier: GPL-2.0
/*
 * transition.c - switching versions only when no task is inside them.
 *
 * Every attached kpatch_fn carries the state the caller asks for
 * (next_active).  kpatch_switch() works out which functions change the
 * version callers get, and inside stop_machine() walks the stack of every
 * task with the reliable unwinder; if no return address lies in a version
 * that stops being reached, it flips all of them at once.
 *
 * Checked for each function that changes: the version callers get now
 * (the active replacement, if any) and always the original function too.
 * The original matters even while a replacement is active: a task that is
 * between the fentry call and the jump (in the ftrace trampoline, maybe
 * preempted) has the original's fentry return address on its stack and
 * may be carrying a target the flip is about to retire.
 *
 * Inside stop_machine() every CPU runs its stopper thread, so every other
 * task, including each CPU's idle task and whatever each CPU was running
 * when the stopper took it, is switched out and its saved stack is
 * complete.  The stoppers of the other CPUs spin in stop_machine code and
 * are the only tasks skipped.
 *
 * Most of that walk is done before the pause, while tasks run: the
 * pre-walk walks each task that is not running, held still by
 * task_call_func(), and notes the clean ones with how often they had been
 * switched out (nvcsw + nivcsw).  A task's stack only changes while it
 * runs, and a task that ran since has been switched out since (at the
 * latest by the stopper), so inside the pause a noted task whose count
 * is unchanged still has the stack the pre-walk found clean; only the
 * others (running then, switched out since, new, unreliable then), the
 * stopper running the check (woken for it: still running, so not yet
 * switched out) and the idle tasks are walked there.  A task the pre-walk
 * finds inside a version being switched makes the try busy without
 * stopping the machine.
 */
#define pr_fmt(fmt) "kpatch: " fmt

#include <linux/delay.h>
#include <linux/sched/signal.h>
#include <linux/sched/task.h>
#include <linux/slab.h>
#include <linux/sort.h>
#include <linux/stop_machine.h>
#include <linux/timekeeping.h>
#include "compat.h"
#include "core.h"
#include "direct.h"

#define KPATCH_TRIES		6	/* back-off 10, 20 ... 160 ms */
#define KPATCH_MAX_REPORT	16
#define KPATCH_STACK_DEPTH	128

struct kpatch_range {
	unsigned long start, end;
	unsigned long max_end;		/* of this and every range before it */
	struct kpatch_fn *fn;		/* for the report */
	bool replacement;		/* a patch's version, not the original */
};

struct kpatch_conflict {
	pid_t pid;
	char comm[TASK_COMM_LEN];
	unsigned long addr;		/* 0: the stack was unreliable */
	int err;
	const struct kpatch_range *range;
};

/* A task the pre-walk found clean. */
struct kpatch_walked {
	const struct task_struct *task;
	u64 start_time;			/* tells a reused task_struct apart */
	unsigned long switches;		/* nvcsw + nivcsw when it was walked */
};

struct kpatch_switch_ctx {
	struct kpatch_range *ranges;
	unsigned int nr_ranges;
	unsigned int nr_conflicts;	/* may exceed what is reported */
	struct kpatch_conflict report[KPATCH_MAX_REPORT];
	struct kpatch_walked *walked;	/* sorted by task after the pre-walk */
	unsigned int nr_walked, max_walked;
	unsigned int tasks_checked;
	unsigned int pause_walks;
	u64 check_ns;			/* inside the callback */
};

/*
 * Used by one walk at a time: the pre-walk (under kpatch_mutex) or the
 * stop_machine() callback.
 */
static unsigned long kpatch_stack_buf[KPATCH_STACK_DEPTH];

static void kpatch_conflict(struct kpatch_switch_ctx *ctx,
			    struct task_struct *t, unsigned long addr, int err,
			    const struct kpatch_range *range)
{
	struct kpatch_conflict *c;

	if (ctx->nr_conflicts++ >= KPATCH_MAX_REPORT)
		return;
	c = &ctx->report[ctx->nr_conflicts - 1];
	c->pid = task_pid_nr(t);
	get_task_comm(c->comm, t);
	c->addr = addr;
	c->err = err;
	c->range = range;
}

/* The range holding @addr, if any; the ranges are sorted by start. */
static const struct kpatch_range *
kpatch_find_range(const struct kpatch_switch_ctx *ctx, unsigned long addr)
{
	unsigned int lo = 0, hi = ctx->nr_ranges, mid;
	const struct kpatch_range *r;

	/* The first range starting above @addr ... */
	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (ctx->ranges[mid].start <= addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	/* ... and back while an earlier range may still reach @addr. */
	while (lo--) {
		r = &ctx->ranges[lo];
		if (r->max_end <= addr)
			break;
		if (addr < r->end)
			return r;
	}
	return NULL;
}

/* The first return address of the @n in the buffer that lies in a range. */
static const struct kpatch_range *
kpatch_stack_hit(const struct kpatch_switch_ctx *ctx, int n,
		 unsigned long *addr)
{
	const struct kpatch_range *r;
	unsigned int i;

	for (i = 0; i < n; i++) {
		r = kpatch_find_range(ctx, kpatch_stack_buf[i]);
		if (r) {
			*addr = kpatch_stack_buf[i];
			return r;
		}
	}
	return NULL;
}

/* Inside the pause. */
static void kpatch_check_task(struct kpatch_switch_ctx *ctx,
			      struct task_struct *t)
{
	const struct kpatch_range *r;
	unsigned long addr;
	int n;

	ctx->pause_walks++;
	n = kpatch_stack_of(t, kpatch_stack_buf, KPATCH_STACK_DEPTH);
	if (n < 0)
		kpatch_conflict(ctx, t, 0, n, NULL);
	else if ((r = kpatch_stack_hit(ctx, n, &addr)))
		kpatch_conflict(ctx, t, addr, 0, r);
}

static unsigned long kpatch_switches(const struct task_struct *t)
{
	return t->nvcsw + t->nivcsw;
}

/* What the pre-walk found inside a task it held still. */
struct kpatch_prewalk_hit {
	struct kpatch_switch_ctx *ctx;
	const struct kpatch_range *range;
	unsigned long addr;
};

/*
 * Under task_call_func(): @t can neither start nor stop running here (a
 * blocked task has also left the CPU), so whether it runs is on_cpu.  A
 * hit is reported by the caller, which may take the task's locks.
 */
static int kpatch_prewalk_task(struct task_struct *t, void *data)
{
	struct kpatch_prewalk_hit *hit = data;
	struct kpatch_switch_ctx *ctx = hit->ctx;
	struct kpatch_walked *w;
	int n;

	if (kpatch_task_on_cpu(t) || ctx->nr_walked == ctx->max_walked)
		return 0;
	n = kpatch_stack_of(t, kpatch_stack_buf, KPATCH_STACK_DEPTH);
	/* An unreliable stack may be a passing state: the pause decides. */
	if (n < 0)
		return 0;
	hit->range = kpatch_stack_hit(ctx, n, &hit->addr);
	if (hit->range)
		return 0;
	w = &ctx->walked[ctx->nr_walked++];
	w->task = t;
	w->start_time = t->start_time;
	w->switches = kpatch_switches(t);
	return 0;
}

static int kpatch_cmp_walked(const void *a, const void *b)
{
	const struct kpatch_walked *x = a, *y = b;

	return x->task < y->task ? -1 : x->task > y->task;
}

/*
 * Walk the tasks that are not running.  -EBUSY: one is inside what
 * changes (reported in @ctx).
 */
static int kpatch_prewalk(struct kpatch_switch_ctx *ctx)
{
	struct kpatch_prewalk_hit hit = { .ctx = ctx };
	struct task_struct *g, *t;
	unsigned int nr = 0;

	rcu_read_lock();
	for_each_process_thread(g, t)
		nr++;
	rcu_read_unlock();
	/* Room for tasks forked meanwhile; any beyond it are walked in the pause. */
	nr += nr / 8 + 16;
	if (nr > ctx->max_walked) {
		kvfree(ctx->walked);
		ctx->walked = kvmalloc_array(nr, sizeof(*ctx->walked),
					     GFP_KERNEL);
		ctx->max_walked = ctx->walked ? nr : 0;
		if (!ctx->walked)
			return -ENOMEM;
	}

	ctx->nr_walked = 0;
	rcu_read_lock();
	for_each_process_thread(g, t) {
		hit.range = NULL;
		kpatch_task_call(t, kpatch_prewalk_task, &hit);
		if (hit.range)
			kpatch_conflict(ctx, t, hit.addr, 0, hit.range);
	}
	rcu_read_unlock();
	if (ctx->nr_conflicts)
		return -EBUSY;
	sort(ctx->walked, ctx->nr_walked, sizeof(*ctx->walked),
	     kpatch_cmp_walked, NULL);
	return 0;
}

/*
 * Inside the pause: has @t kept the stack the pre-walk found clean?  A
 * binary search written out: with bsearch(), whose comparisons are
 * indirect calls (retpolines), the check over 10,000 tasks took 11.7 ms
 * in TCG; this way 4.0 ms (bench/core.sh).
 */
static bool kpatch_unchanged(const struct kpatch_switch_ctx *ctx,
			     const struct task_struct *t)
{
	unsigned int lo = 0, hi = ctx->nr_walked, mid;
	const struct kpatch_walked *w;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		w = &ctx->walked[mid];
		if (w->task == t)
			return w->start_time == t->start_time &&
			       w->switches == kpatch_switches(t);
		if (w->task < t)
			lo = mid + 1;
		else
			hi = mid;
	}
	return false;
}

static int kpatch_switch_fn(void *data)
{
	struct kpatch_switch_ctx *ctx = data;
	struct task_struct *g, *t;
	u64 start = ktime_get_mono_fast_ns();
	int cpu;

	rcu_read_lock();
	for_each_process_thread(g, t) {
		if (t != current && kpatch_task_on_cpu(t))
			continue;
		ctx->tasks_checked++;
		/* This stopper runs: it woke with its count unchanged. */
		if (t == current || !kpatch_unchanged(ctx, t))
			kpatch_check_task(ctx, t);
	}
	rcu_read_unlock();
	for_each_online_cpu(cpu) {
		ctx->tasks_checked++;
		kpatch_check_task(ctx, kpatch_idle_task(cpu));
	}

	if (!ctx->nr_conflicts)
		kpatch_ops_retarget();
	ctx->check_ns = ktime_get_mono_fast_ns() - start;
	return ctx->nr_conflicts ? -EBUSY : 0;
}

static void kpatch_add_one_range(struct kpatch_switch_ctx *ctx,
				 struct kpatch_fn *fn, bool replacement,
				 unsigned long start, unsigned long size)
{
	struct kpatch_range *r = &ctx->ranges[ctx->nr_ranges++];

	r->start = start;
	r->end = start + size;
	r->fn = fn;
	r->replacement = replacement;
}

/* A version of @fn: its body and its cold part, if it has one. */
static void kpatch_add_range(struct kpatch_switch_ctx *ctx,
			     struct kpatch_fn *fn, bool replacement)
{
	if (replacement) {
		kpatch_add_one_range(ctx, fn, true, fn->new_addr, fn->new_size);
		if (fn->new_cold_size)
			kpatch_add_one_range(ctx, fn, true, fn->new_cold_addr,
					     fn->new_cold_size);
	} else {
		kpatch_add_one_range(ctx, fn, false, fn->old_addr, fn->old_size);
		if (fn->old_cold_size)
			kpatch_add_one_range(ctx, fn, false, fn->old_cold_addr,
					     fn->old_cold_size);
	}
}

/*
 * The original of @ops's function, and its slot if it has a direct call: a
 * task in the slot has not reached the target yet, and the one it may
 * carry (in %r11 or over the return address) is about to be retired.
 */
static void kpatch_add_original(struct kpatch_switch_ctx *ctx,
				struct kpatch_ops *ops)
{
	struct kpatch_fn *fn = list_first_entry(&ops->stack, struct kpatch_fn,
						stack_node);

	kpatch_add_range(ctx, fn, false);
	if (ops->direct)
		kpatch_add_one_range(ctx, fn, false, kpatch_slot_addr(ops),
				     KPATCH_SLOT_SIZE);
}

static int kpatch_cmp_range(const void *a, const void *b)
{
	const struct kpatch_range *x = a, *y = b;

	return x->start < y->start ? -1 : x->start > y->start;
}

/*
 * Sorted by start, with the furthest end so far, for a binary search per
 * return address: a check of 10,000 tasks against a 1000-function patch
 * stays a stack walk, not a product of the two.
 */
static void kpatch_sort_ranges(struct kpatch_switch_ctx *ctx)
{
	unsigned long max_end = 0;
	unsigned int i;

	sort(ctx->ranges, ctx->nr_ranges, sizeof(*ctx->ranges),
	     kpatch_cmp_range, NULL);
	for (i = 0; i < ctx->nr_ranges; i++) {
		max_end = max(max_end, ctx->ranges[i].end);
		ctx->ranges[i].max_end = max_end;
	}
}

/* A version the flip retires; is it still reached after the flip? */
static bool kpatch_leaves(const struct kpatch_fn *fn)
{
	return fn->active && !fn->next_active;
}

/*
 * The code ranges that must not be on any stack for the pending flip.
 *
 * For each function whose caller-visible version changes: the original
 * and the version callers get now.  Besides, every version the flip
 * retires, even one below the top: an outgoing patch's other functions
 * reach it directly (calls and sibling calls inside the patch module), so
 * a task may be inside it although callers of the original never get it.
 *
 * A forced function skips the check; whatever version of it the flip
 * retires unchecked pins its patch module (kpatch_switch()).
 */
static int kpatch_build_ranges(struct kpatch_priv *priv,
			       struct kpatch_switch_ctx *ctx)
{
	struct kpatch_ops *ops;
	struct kpatch_fn *cur, *next, *fn;
	unsigned int n = 0;
	bool forced;

	/*
	 * Per function the original's body, cold part and slot; per version
	 * its body and cold part.
	 */
	list_for_each_entry(ops, &kpatch_ops_list, node) {
		n += 3;
		list_for_each_entry(fn, &ops->stack, stack_node)
			n += 2;
	}
	ctx->ranges = kvcalloc(max(n, 1U), sizeof(*ctx->ranges),
			       GFP_KERNEL);
	if (!ctx->ranges)
		return -ENOMEM;

	list_for_each_entry(ops, &kpatch_ops_list, node) {
		cur = kpatch_ops_top(ops, false);
		next = kpatch_ops_top(ops, true);
		forced = cur != next &&
			 ((cur && cur->force) || (next && next->force));
		if (forced)
			pr_notice("%s: %s is marked unsafe to check: switching it without a stack check (forced)\n",
				  kpatch_name(priv), (cur ? cur : next)->name);
		else if (cur != next)
			kpatch_add_original(ctx, ops);
		list_for_each_entry(fn, &ops->stack, stack_node) {
			fn->leaves_unchecked = false;
			if (!kpatch_leaves(fn) && !(fn == cur && cur != next))
				continue;
			if ((forced && fn == cur) || fn->force)
				fn->leaves_unchecked = kpatch_leaves(fn);
			else
				kpatch_add_range(ctx, fn, true);
		}
	}
	kpatch_sort_ranges(ctx);
	return 0;
}

/* After a flip: pin every patch whose code left without a stack check. */
static void kpatch_pin_unchecked(void)
{
	struct kpatch_ops *ops;
	struct kpatch_fn *fn;

	list_for_each_entry(ops, &kpatch_ops_list, node)
		list_for_each_entry(fn, &ops->stack, stack_node)
			if (fn->leaves_unchecked)
				kpatch_pin(fn->obj->priv, "a forced switch retired its code without a stack check");
}

static void kpatch_report(struct kpatch_priv *priv,
			  struct kpatch_switch_ctx *ctx)
{
	unsigned int i;

	for (i = 0; i < min(ctx->nr_conflicts, KPATCH_MAX_REPORT); i++) {
		struct kpatch_conflict *c = &ctx->report[i];

		if (!c->range)
			pr_err("%s: blocked by pid %d (%s): its stack cannot be walked reliably (%d)\n",
			       kpatch_name(priv), c->pid, c->comm, c->err);
		else
			pr_err("%s: blocked by pid %d (%s): it is inside %s%s (%pS)\n",
			       kpatch_name(priv), c->pid, c->comm,
			       c->range->fn->name,
			       c->range->replacement ? " (a patched version)" : "",
			       (void *)c->addr);
	}
	if (ctx->nr_conflicts > KPATCH_MAX_REPORT)
		pr_err("%s: ... and %u more blocking tasks\n", kpatch_name(priv),
		       ctx->nr_conflicts - KPATCH_MAX_REPORT);
}

/*
 * The resolution of the clock the figures use, ktime_get_mono_fast_ns():
 * the clocksource's (NMI-safe and lockless, so also right inside
 * stop_machine(), unlike local_clock(), which is jiffies-based when the
 * sched_clock is).  In a TCG guest that could not calibrate its TSC the
 * clocksource itself is jiffies: the clock then stands still inside
 * stop_machine() and a pause shorter than a tick reads 0, which is shown
 * as "<1 tick", never as 0 (kpatch_fmt_ns()).  Measured as the first step
 * the clock takes: at most a tick or two of spinning.
 */
static u64 kpatch_clock_res(void)
{
	unsigned long j = jiffies;
	u64 t0 = ktime_get_mono_fast_ns(), t;

	do {
		cpu_relax();
		t = ktime_get_mono_fast_ns();
	} while (t == t0 && time_before_eq(jiffies, j + 2));
	return t > t0 ? t - t0 : TICK_NSEC;
}

/* "N<unit>", or "<1 tick" when N is below what the clock resolves. */
const char *kpatch_fmt_ns(char *buf, u64 ns, u64 res, const char *unit)
{
	if (ns < res)
		strscpy(buf, "<1 tick", KPATCH_NS_LEN);
	else
		snprintf(buf, KPATCH_NS_LEN, "%llu%s", ns, unit);
	return buf;
}

/*
 * Flip every attached function to its next_active state once no task is
 * inside what changes.  On -EBUSY nothing has changed.
 */
int kpatch_switch(struct kpatch_priv *priv)
{
	struct kpatch_switch_ctx *ctx;
	unsigned int try;
	u64 start;
	int ret;

	ctx = kzalloc(sizeof(*ctx), GFP_KERNEL);
	if (!ctx)
		return -ENOMEM;
	ret = kpatch_build_ranges(priv, ctx);
	if (ret)
		goto out;

	priv->stats.clock_res_ns = kpatch_clock_res();
	/* Nothing to show if no try got as far as the pause. */
	priv->stats.stop_machine_ns = 0;
	priv->stats.check_ns = 0;
	priv->stats.tasks_checked = 0;
	priv->stats.pause_walks = 0;
	for (try = 0; try < KPATCH_TRIES; try++) {
		if (try)
			msleep(10 << (try - 1));
		ctx->nr_conflicts = 0;
		ctx->tasks_checked = 0;
		ctx->pause_walks = 0;
		ret = kpatch_prewalk(ctx);
		if (ret == -EBUSY)
			continue;
		if (ret)
			break;
		start = ktime_get_mono_fast_ns();
		ret = stop_machine(kpatch_switch_fn, ctx, NULL);
		priv->stats.stop_machine_ns = ktime_get_mono_fast_ns() - start;
		priv->stats.check_ns = ctx->check_ns;
		priv->stats.tasks_checked = ctx->tasks_checked;
		priv->stats.pause_walks = ctx->pause_walks;
		if (ret != -EBUSY)
			break;
	}
	priv->stats.retries = min(try, KPATCH_TRIES - 1);

	if (ret == -EBUSY) {
		struct kpatch_conflict *first = &ctx->report[0];

		kpatch_report(priv, ctx);
		kpatch_set_error(priv, "busy: tasks inside functions being switched: %u after %u tries; first: pid %d (%s) %s%s",
				 ctx->nr_conflicts, KPATCH_TRIES,
				 first->pid, first->comm,
				 first->range ? "inside " : "with a stack that cannot be walked reliably",
				 first->range ? first->range->fn->name : "");
	} else if (ret) {
		kpatch_set_error(priv, "stop_machine failed (%d)", ret);
	} else {
		kpatch_pin_unchecked();
	}
out:
	kvfree(ctx->walked);
	kvfree(ctx->ranges);
	kfree(ctx);
	return ret;
}

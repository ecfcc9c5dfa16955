// SPDX-License-Identifier: GPL-2.0
/*
 * direct.c - what the kernel's ftrace direct calls cost, measured without
 * the core: how cheap a call redirected by a direct call is, and what
 * arming it costs for N functions as the kernel's API allows it.
 *
 * A direct ftrace_ops has one trampoline address for all its functions,
 * and its set of functions is fixed when it is registered (6.1's
 * register_ftrace_direct_multi(), 6.12's register_ftrace_direct()).  So
 * a trampoline of its own per function (kpfb_direct_stub, the cheapest
 * redirection there is) needs one ops, and one code update, per function:
 *   "direct N each"  N ops, one per kpfb_fn_i, i < N;
 * while one code update for N functions means one trampoline for all:
 *   "direct N one"   one ops for kpfb_fn_0 ... kpfb_fn_{N-1};
 * both to kpfb_direct_stub, so every one of them then returns x + 2;
 *   "direct N shared"  as "one", to kpfb_direct_dispatch, which finds
 *                the replacement in a table as a core would (direct_stub.S).
 *   "direct N ret"   as "each", to kpfb_direct_ret, which returns into the
 *                replacement as the core's slot does (issue 29).
 *   "direct 1 slot"  kpfb_fn_0 to kpfb_direct_slot, a copy of the core's
 *                slot, its fast path open to the replacement.
 *   "undirect"       unregisters whatever is armed.
 * Each command's ns are what the registration or unregistration took.
 */
#include <linux/ftrace.h>
#include <linux/log2.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/timekeeping.h>
#include <linux/version.h>
#include <asm/ftrace.h>
#include <asm/ibt.h>
#include "kpf_bench.h"

#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 5, 0)
#define kpfb_register_direct register_ftrace_direct_multi
#define kpfb_unregister_direct(ops, addr) \
	({ int __r = unregister_ftrace_direct_multi(ops, addr); \
	   ftrace_free_filter(ops); __r; })
#else
#define kpfb_register_direct register_ftrace_direct
#define kpfb_unregister_direct(ops, addr) \
	unregister_ftrace_direct(ops, addr, true)
#endif

noinline int kpfb_direct_new(int x)
{
	return x + 2;
}

static struct ftrace_ops *kpfb_dops;	/* under the /proc file's writes */
static unsigned int kpfb_nr_dops;
static unsigned long kpfb_dtramp;	/* the trampoline they call */

/* kpfb_direct_dispatch's table, set while no ops is armed. */
struct kpfb_dslot {
	unsigned long key;	/* the fentry call's return address */
	unsigned long target;
};
struct kpfb_dslot *kpfb_dtable;
unsigned long kpfb_dmask;

/* kpfb_direct_slot's words, as one slot's of the core (kmod/core/direct.c). */
unsigned long kpfb_slot_entry, kpfb_slot_fast, kpfb_slot_targets[2];
unsigned int kpfb_slot_gen;

/* Where the fentry call of @fn returns to: past its ENDBR and the call. */
static unsigned long kpfb_fentry_return(unsigned long fn)
{
	return fn + (is_endbr(*(u32 *)fn) ? ENDBR_INSN_SIZE : 0) +
		MCOUNT_INSN_SIZE;
}

static int kpfb_fill_table(unsigned int n)
{
	unsigned long size = roundup_pow_of_two(2 * n), key, i;
	struct kpfb_dslot *slot;

	/* n slots past the mask: a probe runs at most n slots on. */
	kpfb_dtable = kcalloc(size + n, sizeof(*kpfb_dtable), GFP_KERNEL);
	if (!kpfb_dtable)
		return -ENOMEM;
	kpfb_dmask = size - 1;
	for (i = 0; i < n; i++) {
		key = kpfb_fentry_return((unsigned long)kpfb_fns[i]);
		slot = &kpfb_dtable[(key >> 4) & kpfb_dmask];
		while (slot->key)
			slot++;
		slot->key = key;
		slot->target = (unsigned long)kpfb_direct_new;
	}
	return 0;
}

static void kpfb_undirect(void)
{
	while (kpfb_nr_dops) {
		struct ftrace_ops *ops = &kpfb_dops[--kpfb_nr_dops];

		WARN_ON(kpfb_unregister_direct(ops, kpfb_dtramp));
	}
	kfree(kpfb_dops);
	kpfb_dops = NULL;
	/* No call site calls the dispatcher now: the bench is single-threaded. */
	kfree(kpfb_dtable);
	kpfb_dtable = NULL;
}

/* Arm kpfb_fn_0 ... kpfb_fn_{n-1} through @nr_ops ops (1 or n) to @tramp. */
static int kpfb_arm(unsigned int n, unsigned int nr_ops, void (*tramp)(void))
{
	unsigned int i;
	int ret;

	kpfb_dtramp = (unsigned long)tramp;
	if (tramp == kpfb_direct_dispatch) {
		ret = kpfb_fill_table(n);
		if (ret)
			return ret;
	}
	kpfb_dops = kcalloc(nr_ops, sizeof(*kpfb_dops), GFP_KERNEL);
	if (!kpfb_dops) {
		kpfb_undirect();
		return -ENOMEM;
	}
	for (i = 0; i < n; i++) {
		ret = ftrace_set_filter_ip(&kpfb_dops[nr_ops == 1 ? 0 : i],
					   (unsigned long)kpfb_fns[i], 0, 0);
		if (ret)
			goto fail;
	}
	for (i = 0; i < nr_ops; i++) {
		ret = kpfb_register_direct(&kpfb_dops[i], kpfb_dtramp);
		if (ret)
			goto fail;
		kpfb_nr_dops++;
	}
	/* Every armed function must now run the replacement. */
	for (i = 0; i < n; i++)
		if (kpfb_fns[i](0) != 2) {
			pr_err("kpf_bench: kpfb_fn_%u not redirected\n", i);
			ret = -EIO;
			goto fail;
		}
	return 0;
fail:
	/* The filters of ops never registered. */
	for (i = kpfb_nr_dops; i < nr_ops; i++)
		ftrace_free_filter(&kpfb_dops[i]);
	kpfb_undirect();
	return ret;
}

/* kpfb_fn_0 to the copy of a slot, set up as the core sets up a settled one. */
static int kpfb_arm_slot(void)
{
	kpfb_slot_entry = kpfb_fentry_return((unsigned long)kpfb_fns[0]);
	kpfb_slot_targets[0] = kpfb_slot_targets[1] =
		(unsigned long)kpfb_direct_new;
	kpfb_slot_fast = (unsigned long)kpfb_direct_new;
	return kpfb_arm(1, 1, kpfb_direct_slot);
}

int kpfb_direct(const char *cmd, u64 *ns)
{
	char how[8];
	unsigned int n;
	u64 t0 = ktime_get_mono_fast_ns();
	int ret;

	if (!strcmp(cmd, "undirect")) {
		kpfb_undirect();
	} else {
		if (sscanf(cmd, "direct %u %7s", &n, how) != 2 || !n ||
		    n > KPFB_NR_FNS || kpfb_nr_dops)
			return -EINVAL;
		if (!strcmp(how, "each"))
			ret = kpfb_arm(n, n, kpfb_direct_stub);
		else if (!strcmp(how, "one"))
			ret = kpfb_arm(n, 1, kpfb_direct_stub);
		else if (!strcmp(how, "shared"))
			ret = kpfb_arm(n, 1, kpfb_direct_dispatch);
		else if (!strcmp(how, "ret"))
			ret = kpfb_arm(n, n, kpfb_direct_ret);
		else if (!strcmp(how, "slot") && n == 1)
			ret = kpfb_arm_slot();
		else
			return -EINVAL;
		if (ret)
			return ret;
	}
	*ns = ktime_get_mono_fast_ns() - t0;
	return 0;
}

void kpfb_direct_exit(void)
{
	kpfb_undirect();
}

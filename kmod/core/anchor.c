// SPDX-License-Identifier: GPL-2.0
/*
 * anchor.c - functions of kpatch.ko that nothing calls, for an emptied
 * handler ops to hold while it is kept registered (patch.c).
 *
 * Unregistering an ftrace_ops waits for RCU-tasks (hundreds of
 * milliseconds under load), and ftrace holds its lock meanwhile.  A
 * handler ops whose last patched function leaves is therefore not
 * unregistered on the spot: its filter is switched to one anchor (one
 * code update, which also clears IPMODIFY on the functions it held, so
 * the kernel's livepatch or a kprobe can take them at once), and the
 * worker unregisters it later.  The filter cannot simply be emptied: an
 * empty filter means every function.  An anchor is IPMODIFY-owned by the
 * ops that holds it, so each kept ops needs its own; with none free the
 * ops is unregistered at once, as before.
 */
#include <linux/bitops.h>
#include <linux/compiler.h>
#include "core.h"

/*
 * Distinct bodies, so that the compiler does not fold them into one
 * (their addresses are taken); each has its own fentry site.
 */
#define KPATCH_ANCHOR(n) static noinline int kpatch_anchor_##n(void) { return n; }
KPATCH_ANCHOR(0) KPATCH_ANCHOR(1) KPATCH_ANCHOR(2) KPATCH_ANCHOR(3)
KPATCH_ANCHOR(4) KPATCH_ANCHOR(5) KPATCH_ANCHOR(6) KPATCH_ANCHOR(7)
KPATCH_ANCHOR(8) KPATCH_ANCHOR(9) KPATCH_ANCHOR(10) KPATCH_ANCHOR(11)
KPATCH_ANCHOR(12) KPATCH_ANCHOR(13) KPATCH_ANCHOR(14) KPATCH_ANCHOR(15)

static int (*const kpatch_anchors[])(void) = {
	kpatch_anchor_0, kpatch_anchor_1, kpatch_anchor_2, kpatch_anchor_3,
	kpatch_anchor_4, kpatch_anchor_5, kpatch_anchor_6, kpatch_anchor_7,
	kpatch_anchor_8, kpatch_anchor_9, kpatch_anchor_10, kpatch_anchor_11,
	kpatch_anchor_12, kpatch_anchor_13, kpatch_anchor_14, kpatch_anchor_15,
};
#define KPATCH_NR_ANCHORS ARRAY_SIZE(kpatch_anchors)

/* Taken under kpatch_mutex, given back by the worker or module exit. */
static DECLARE_BITMAP(kpatch_anchor_used, KPATCH_NR_ANCHORS);

/*
 * Take a free anchor: its index, and its ftrace location in @ip.
 * -ENOSPC: every anchor holds a kept ops.
 */
int kpatch_anchor_get(unsigned long *ip)
{
	unsigned int i;

	for (i = 0; i < KPATCH_NR_ANCHORS; i++) {
		if (test_and_set_bit(i, kpatch_anchor_used))
			continue;
		*ip = kpatch_ftrace_location((unsigned long)kpatch_anchors[i]);
		if (*ip)
			return i;
		/* Built without an fentry site: no anchor is usable. */
		clear_bit(i, kpatch_anchor_used);
		return -EOPNOTSUPP;
	}
	return -ENOSPC;
}

void kpatch_anchor_put(int anchor)
{
	clear_bit(anchor, kpatch_anchor_used);
}

// SPDX-License-Identifier: GPL-2.0
/*
 * kpf_tail: replaces kpf_target's sleeper thread function and
 * kpf_target_wait().  The new thread function reaches the new wait
 * directly, by a sibling call (a jmp: the thread function leaves no
 * return address), so a thread can sleep in this patch's kpf_target_wait
 * while another patch's version of it is what callers get.  The build
 * checks that the compiler did emit the sibling call (tail-call).
 */
#include <linux/completion.h>
#include "kpf.h"

static struct completion *kpf_wake_p;
KPF_RELOC64(kpf_wake_p, kpf_wake, "kpf_target");
static bool *kpf_sleeping_p;
KPF_RELOC64(kpf_sleeping_p, kpf_sleeping, "kpf_target");

static noinline __noclone int kpf_tail_wait(void)
{
	WRITE_ONCE(*kpf_sleeping_p, true);
	wait_for_completion(kpf_wake_p);
	WRITE_ONCE(*kpf_sleeping_p, false);
	return 0;
}
KPF_FUNC(kpf_tail_wait, kpf_target_wait, "kpf_target", 0);

static int kpf_tail_sleeper(void *unused)
{
	return kpf_tail_wait();
}
KPF_FUNC(kpf_tail_sleeper, kpf_sleeper_fn, "kpf_target", 0);

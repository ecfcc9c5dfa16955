// SPDX-License-Identifier: GPL-2.0
/*
 * kpf_force: like kpf_mod's kpf_target_wait(), marked unsafe to check, so
 * that it loads while a thread sleeps inside the old version.
 */
#include <linux/completion.h>
#include "kpf.h"

static struct completion *kpf_wake_p;
KPF_RELOC64(kpf_wake_p, kpf_wake, "kpf_target");

static void kpf_force_wait(void)
{
	wait_for_completion(kpf_wake_p);
}
KPF_FUNC(kpf_force_wait, kpf_target_wait, "kpf_target", KPATCH_FUNC_FORCE);

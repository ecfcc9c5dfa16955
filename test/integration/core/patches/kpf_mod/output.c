// SPDX-License-Identifier: GPL-2.0
/*
 * kpf_mod: patches the module kpf_target.  kpf_target_value() returns
 * kpf_target_base + 1, read through a relocation against the module's
 * static variable, and kpf_target_wait() gets a new version too, so that
 * a thread sleeping in it blocks the patch.
 */
#include <linux/completion.h>
#include "kpf.h"

static int *kpf_base;
KPF_RELOC64(kpf_base, kpf_target_base, "kpf_target");
static struct completion *kpf_wake_p;
KPF_RELOC64(kpf_wake_p, kpf_wake, "kpf_target");

static int kpf_mod_value(void)
{
	return READ_ONCE(*kpf_base) + 1;
}
KPF_FUNC(kpf_mod_value, kpf_target_value, "kpf_target", 0);

static void kpf_mod_wait(void)
{
	wait_for_completion(kpf_wake_p);
	/* Not a tail call: a sleeper must stay inside this function. */
	barrier();
}
KPF_FUNC(kpf_mod_wait, kpf_target_wait, "kpf_target", 0);

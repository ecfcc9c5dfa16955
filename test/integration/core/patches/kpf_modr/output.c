// SPDX-License-Identifier: GPL-2.0
/*
 * kpf_modr: a replacing patch of the module kpf_target.  kpf_target_value()
 * returns kpf_target_base + 9; kpf_target_wait() is not in it, so replacing
 * kpf_mod retires kpf_mod's version of it, and a thread asleep there
 * blocks the replace.
 */
#include "kpf.h"

static int *kpf_base;
KPF_RELOC64(kpf_base, kpf_target_base, "kpf_target");

static int kpf_modr_value(void)
{
	return READ_ONCE(*kpf_base) + 9;
}
KPF_FUNC(kpf_modr_value, kpf_target_value, "kpf_target", 0);

// SPDX-License-Identifier: GPL-2.0
/* kpf_manyb: kpf_many_fn_7 returns x + 3 (test 21: stacked, one function). */
#include "kpf.h"

static noinline int kpf_manyb_7(int x)
{
	return x + 3;
}
KPF_FUNC(kpf_manyb_7, kpf_many_fn_7, "kpf_many", 0);

// SPDX-License-Identifier: GPL-2.0
/* kpf_slowp: kpf_slow_value() of the module kpf_slow returns 2. */
#include "kpf.h"

static int kpf_slowp_value(void)
{
	return 2;
}
KPF_FUNC(kpf_slowp_value, kpf_slow_value, "kpf_slow", 0);

// SPDX-License-Identifier: GPL-2.0
/*
 * kpf_manyr: kpf_many_fn_0 ... kpf_many_fn_9 return x + 4, replacing
 * every other patch (test 21).
 */
#include "kpf.h"

#define KPF_R(n)							\
	static noinline int kpf_manyr_##n(int x) { return x + 4; }	\
	KPF_FUNC(kpf_manyr_##n, kpf_many_fn_##n, "kpf_many", 0);
KPF_R(0) KPF_R(1) KPF_R(2) KPF_R(3) KPF_R(4) KPF_R(5) KPF_R(6) KPF_R(7)
KPF_R(8) KPF_R(9)

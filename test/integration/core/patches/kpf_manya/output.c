// SPDX-License-Identifier: GPL-2.0
/* kpf_manya: all hundred functions of kpf_many return x + 2 (test 21). */
#include "kpf.h"

#define KPF_A(n)							\
	static noinline int kpf_manya_##n(int x) { return x + 2; }	\
	KPF_FUNC(kpf_manya_##n, kpf_many_fn_##n, "kpf_many", 0);
#define KPF_A10(d) KPF_A(d##0) KPF_A(d##1) KPF_A(d##2) KPF_A(d##3) \
	KPF_A(d##4) KPF_A(d##5) KPF_A(d##6) KPF_A(d##7) KPF_A(d##8) \
	KPF_A(d##9)
KPF_A(0) KPF_A(1) KPF_A(2) KPF_A(3) KPF_A(4) KPF_A(5) KPF_A(6) KPF_A(7)
KPF_A(8) KPF_A(9)
KPF_A10(1) KPF_A10(2) KPF_A10(3) KPF_A10(4) KPF_A10(5) KPF_A10(6)
KPF_A10(7) KPF_A10(8) KPF_A10(9)

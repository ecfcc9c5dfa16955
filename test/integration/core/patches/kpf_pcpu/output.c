// SPDX-License-Identifier: GPL-2.0
/*
 * kpf_pcpu: kpf_target_value() reads process_counts, a per-CPU variable
 * that vmlinux does not export, both ways a compiled patch does: through
 * a pointer (R_X86_64_64, then per_cpu_ptr()) and %gs-relative
 * (R_X86_64_32S, as this_cpu_read()).  Every CPU that forked counts; this
 * CPU's own count is at most the total.  It returns 5 when both agree
 * with that, 6 when not.
 */
#include <linux/cpumask.h>
#include <linux/percpu.h>
#include "kpf.h"

static unsigned long __percpu *kpf_counts;
KPF_RELOC64(kpf_counts, process_counts, "vmlinux");

static noinline __noclone unsigned long kpf_this_cpu_count(void)
{
	unsigned long n;

	KPF_LOAD_PERCPU(n, kpf_pcpu_counts_disp, process_counts);
	return n;
}
KPF_RELOC_PERCPU(kpf_pcpu_counts_disp, process_counts, "vmlinux");

static int kpf_pcpu_value(void)
{
	unsigned long total = 0, mine;
	int cpu;

	preempt_disable();
	mine = kpf_this_cpu_count();
	for_each_possible_cpu(cpu)
		total += *per_cpu_ptr(kpf_counts, cpu);
	preempt_enable();
	return total && mine <= total ? 5 : 6;
}
KPF_FUNC(kpf_pcpu_value, kpf_target_value, "kpf_target", 0);

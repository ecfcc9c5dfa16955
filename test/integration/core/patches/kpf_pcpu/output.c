// SPDX-License-Identifier: GPL-2.0
/*
 * kpf_pcpu: kpf_target_value() reads process_counts, a per-CPU variable
 * that vmlinux does not export, both ways a compiled patch does: through
 * a pointer (R_X86_64_64, then per_cpu_ptr()) and %gs-relative
 * (R_X86_64_32S, as this_cpu_read()).  With preemption off no task can
 * fork or be reaped on this CPU, so both reads of this CPU's count must
 * be equal; and the counts of all CPUs add up to the number of processes,
 * never 0.  A single CPU's count says nothing more: a process forked on
 * one CPU and reaped on another leaves one count too high and the other
 * below zero.  It returns 5 when both hold, 6 when not.
 */
#include <linux/cpumask.h>
#include <linux/percpu.h>
#include <linux/smp.h>
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
	unsigned long total = 0, mine, mine_by_pointer;
	int cpu;

	preempt_disable();
	mine = kpf_this_cpu_count();
	mine_by_pointer = *per_cpu_ptr(kpf_counts, smp_processor_id());
	for_each_possible_cpu(cpu)
		total += *per_cpu_ptr(kpf_counts, cpu);
	preempt_enable();
	return total && mine == mine_by_pointer ? 5 : 6;
}
KPF_FUNC(kpf_pcpu_value, kpf_target_value, "kpf_target", 0);

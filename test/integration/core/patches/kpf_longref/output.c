// SPDX-License-Identifier: GPL-2.0
/*
 * kpf_longref: kpf_target_value() takes the address of KPF_LONG_FUNCTION,
 * a vmlinux function that kallsyms measures longer than its ELF size
 * because code no symbol names follows it (the build picks it from
 * vmlinux).  The patch only refers to it (R_X86_64_64, a non-exported
 * symbol the core resolves); it does not replace it.  It returns 7 when
 * sprint_symbol() describes the resolved address as that function's
 * start, 8 when not.
 */
#include <linux/kallsyms.h>
#include <linux/stringify.h>
#include <linux/string.h>
#include "kpf.h"

/* KPF_RELOC64 pastes its symbol: expand KPF_LONG_FUNCTION first. */
#define KPF_RELOC64_OF(var, sym, obj)	KPF_RELOC64(var, sym, obj)

static void *kpf_long_fn;
KPF_RELOC64_OF(kpf_long_fn, KPF_LONG_FUNCTION, "vmlinux");

static int kpf_longref_value(void)
{
	static const char want[] = __stringify(KPF_LONG_FUNCTION) "+0x0/";
	char buf[KSYM_SYMBOL_LEN];

	sprint_symbol(buf, (unsigned long)kpf_long_fn);
	return strncmp(buf, want, sizeof(want) - 1) ? 8 : 7;
}
KPF_FUNC(kpf_longref_value, kpf_target_value, "kpf_target", 0);

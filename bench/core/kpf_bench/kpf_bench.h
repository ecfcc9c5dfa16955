/* SPDX-License-Identifier: GPL-2.0 */
#ifndef KPF_BENCH_H
#define KPF_BENCH_H

#include <linux/types.h>

#define KPFB_NR_FNS 1000
/* kpfb_fn_0 ... kpfb_fn_999, by number. */
extern int (*const kpfb_fns[KPFB_NR_FNS])(int);

/* direct.c: the kernel's direct calls, without the core (see there). */
int kpfb_direct(const char *cmd, u64 *ns);
void kpfb_direct_exit(void);
/* direct_stub.S: trampolines a direct call site calls. */
void kpfb_direct_stub(void);
void kpfb_direct_dispatch(void);
void kpfb_direct_ret(void);
void kpfb_direct_slot(void);
/* kpfb_direct_dispatch's table (direct.c). */
extern struct kpfb_dslot *kpfb_dtable;
extern unsigned long kpfb_dmask;
/* kpfb_direct_slot's words (direct.c). */
extern unsigned long kpfb_slot_entry, kpfb_slot_fast, kpfb_slot_targets[2];
extern unsigned int kpfb_slot_gen;
int kpfb_direct_new(int x);

#endif

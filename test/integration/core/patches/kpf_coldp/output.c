// SPDX-License-Identifier: GPL-2.0
/*
 * kpf_coldp: a new kpf_target_coldwait() that, like the old one, sleeps
 * in its cold part.  Both cold parts are recorded (ABI version 2), so a
 * thread asleep in either blocks the switch.
 */
#include <linux/completion.h>
#include "kpf.h"

static struct completion *kpf_wake_p;
KPF_RELOC64(kpf_wake_p, kpf_wake, "kpf_target");
static bool *kpf_sleeping_p;
KPF_RELOC64(kpf_sleeping_p, kpf_sleeping, "kpf_target");
static bool *kpf_cold_p;
KPF_RELOC64(kpf_cold_p, kpf_cold, "kpf_target");

/* Spelled out, not __cold: see kpf_target_cold_mark(). */
static noinline __attribute__((__cold__)) void kpf_coldp_mark(void)
{
	WRITE_ONCE(*kpf_sleeping_p, true);
}

static noinline void kpf_coldp_wait(void)
{
	if (READ_ONCE(*kpf_cold_p)) {
		kpf_coldp_mark();
		wait_for_completion(kpf_wake_p);
		WRITE_ONCE(*kpf_sleeping_p, false);
	}
}
KPF_FUNC_COLD(kpf_coldp_wait, kpf_target_coldwait, "kpf_target");

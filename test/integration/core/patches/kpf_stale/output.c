// SPDX-License-Identifier: GPL-2.0
/*
 * kpf_stale: a patch for kpf_target built against another build of it:
 * its record of kpf_target_value() gives a size the running module's
 * function does not have, so its part for kpf_target never resolves.
 */
#include "kpf.h"

static int kpf_stale_value(void)
{
	return 7;
}
KPF_STRING(kpf_stale_fname, "kpf_target_value");
KPF_STRING(kpf_stale_fobj, "kpf_target");
static const struct kpatch_func kpf_stale_func __used
__section(".kpatch.funcs") __aligned(8) = {
	.new_addr = KPF_PTR(kpf_stale_value),
	.name = KPF_PTR(kpf_stale_fname),
	.objname = KPF_PTR(kpf_stale_fobj),
	.old_size = KPF_OLD_SIZE(kpf_target_value) + 4096,
	.new_size = KPF_NEW_SIZE(kpf_stale_value),
};

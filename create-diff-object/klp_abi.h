/* SPDX-License-Identifier: GPL-2.0 */
/* klp_abi.h - the livepatch values of <linux/elf.h> (klp_abi.c). */
#ifndef _CDO_KLP_ABI_H
#define _CDO_KLP_ABI_H

/* st_shndx of a symbol that the kernel's livepatch resolves */
extern const unsigned int klp_shn_livepatch;
/* sh_flags bit of a relocation section the kernel's livepatch applies */
extern const unsigned long klp_shf_rela_livepatch;

#endif /* _CDO_KLP_ABI_H */

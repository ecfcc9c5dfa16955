// SPDX-License-Identifier: GPL-2.0
/*
 * klp_abi.c - the livepatch marks of the kernel's module ELF format, from
 * the kernel's own uapi header (linux-libc-dev).  A file of its own:
 * <linux/elf.h> redefines the ELF types of glibc's <elf.h>, which libelf
 * uses, and glibc's header lacks these two.
 */
#include <linux/elf.h>

#include "klp_abi.h"

const unsigned int klp_shn_livepatch = SHN_LIVEPATCH;
const unsigned long klp_shf_rela_livepatch = SHF_RELA_LIVEPATCH;

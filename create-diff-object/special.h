/* SPDX-License-Identifier: GPL-2.0 */
/*
 * special.h - the kernel's special sections: tables whose entries each
 * belong to one function (see the table in special.c).
 */
#ifndef _CDO_SPECIAL_H
#define _CDO_SPECIAL_H

#include "cdo.h"

/* Check entry sizes and mark special sections; false after an error. */
bool special_init(struct cdo *cdo);
/* Forget what special_init() found (the fuzz target runs it again). */
void special_free(void);
/* Bytes of an entry of sec that may differ (__LINE__ fields). */
void special_ignored_bytes(const struct section *sec, unsigned long *off,
			   unsigned long *len);
/* Mark unchanged functions whose entries changed as changed. */
void special_compare(struct cdo *cdo);
/* Keep the entries of included functions, drop the others. */
void special_include(struct cdo *cdo);

#endif /* _CDO_SPECIAL_H */

/* SPDX-License-Identifier: GPL-2.0 */
/*
 * layout.h - the layout of the target kernel's special-section entries:
 * entry sizes and the offsets of the fields create-diff-object reads, as
 * kpatch-build's probe computes them against the kernel's own headers.
 */
#ifndef _CDO_LAYOUT_H
#define _CDO_LAYOUT_H

#include <stdbool.h>

/*
 * Read a layout file: "NAME=VALUE" lines (VALUE in C notation), '#'
 * comments, blank lines.  False after an error message.
 */
bool layout_read(const char *path);
/* Set one value, as a line of the layout file would ("NAME=VALUE"). */
bool layout_set(const char *assignment, const char *where);
/*
 * The value of name: from the layout file or --struct-size, else from the
 * environment variable of that name (standalone use).  False if neither
 * has it.
 */
bool layout_get(const char *name, unsigned long *value);
/* Forget every value (the fuzzer runs many diffs in one process). */
void layout_reset(void);

#endif /* _CDO_LAYOUT_H */

/* SPDX-License-Identifier: GPL-2.0 */
/*
 * direct.h - the trampolines direct calls go to (slots.S, direct.c);
 * read by assembly too, so constants only.
 *
 * A slot is 128 bytes: the longest one, under IBT, return thunks and call
 * depth tracking (6.12), is over 64 since it checks its return address
 * (slots.S fails to build beyond).  1024 of them cover a 1000-function
 * patch; functions beyond stay on the ftrace handler.
 */
#ifndef _KPATCH_DIRECT_H
#define _KPATCH_DIRECT_H

#define KPATCH_NR_SLOTS		1024
#define KPATCH_SLOT_SHIFT	7
#define KPATCH_SLOT_SIZE	(1 << KPATCH_SLOT_SHIFT)

#endif /* _KPATCH_DIRECT_H */

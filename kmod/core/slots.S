/* SPDX-License-Identifier: GPL-2.0 */
/*
 * slots.S - the trampolines that direct calls go to (direct.c).
 *
 * A function moved to a direct call has its fentry site call one slot of
 * its own, with the return address into the function on top of the
 * stack.  The slot reads the function's target as the ftrace handler
 * does: from kpatch_slot_targets[slot][kpatch_gen & 1], so a flip inside
 * stop_machine() switches slots and handler with the same one store
 * (patch.c).  A target replaces the return address, and the RET enters
 * it with the caller's return address on top: the new function returns
 * to the caller.  No target (0): the RET goes where the return address
 * says, into the original function past its fentry call.
 *
 * While ftrace's own trampoline runs the handler too (a function moving
 * over, or traced by someone else as well), it enters the slot with the
 * handler's choice as the return address; the slot's target is the same
 * one, or 0 and the choice stands.
 *
 * Only %r11 is clobbered, which no argument uses and which ftrace's own
 * trampoline clobbers as well.  Call depth tracking (6.12) is left alone:
 * the fentry call was not counted and the RET counts a return, so the
 * count errs low, which only refills the return stack buffer earlier.
 *
 * Unwinding: at entry the stack is a function's at its entry.  Once the
 * target is written the return address slot no longer leads to a caller,
 * so the hint there skips it.  A task found on a slot whose function is
 * being switched makes the switch busy (transition.c), whatever the
 * frames above say.
 */
#include <linux/linkage.h>
#include <asm/ibt.h>
#include <asm/unwind_hints.h>
#include "direct.h"

	.text
	.balign	KPATCH_SLOT_SIZE
SYM_CODE_START(kpatch_slots)
	.set	slot, 0
	.rept	KPATCH_NR_SLOTS
	UNWIND_HINT_FUNC
	ENDBR
	movl	kpatch_gen(%rip), %r11d
	andl	$1, %r11d
	movq	kpatch_slot_targets + 16 * slot(, %r11, 8), %r11
	testq	%r11, %r11
	jz	1f
	movq	%r11, (%rsp)
	UNWIND_HINT sp_reg=ORC_REG_SP sp_offset=16 type=UNWIND_HINT_TYPE_CALL
	RET
1:	UNWIND_HINT_FUNC
	RET
	/* Fails ("moving backwards") if a slot outgrew KPATCH_SLOT_SIZE. */
	.org	kpatch_slots + (slot + 1) * KPATCH_SLOT_SIZE, 0xcc
	.set	slot, slot + 1
	.endr
SYM_CODE_END(kpatch_slots)

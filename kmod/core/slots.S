/* SPDX-License-Identifier: GPL-2.0 */
/*
 * slots.S - the trampolines that direct calls go to (direct.c).
 *
 * A function moved to a direct call has its fentry site call one slot of
 * its own, with the return address into the function on top of the
 * stack.  Two ways through a slot:
 *
 * The fast path, while kpatch_slot_fast[slot] is set: drop that return
 * address and jump to the target, which then returns straight to the
 * function's caller.  The jump's displacement is written by direct.c
 * (text_poke()) while the flag is clear, before it sets the flag.
 *
 * The generic path: read the target as the ftrace handler does, from
 * kpatch_slot_targets[slot][kpatch_gen & 1], write it over the return
 * address and return into it; with no target (0) return into the
 * original function past its fentry call.
 *
 * A flip inside stop_machine() clears the flag of every function it
 * switches before its one store to kpatch_gen (patch.c): the slots of
 * those functions are on no stack then (transition.c), so afterwards
 * calls take the generic path and switch with the handler, NMIs too.
 *
 * While ftrace's own trampoline runs the handler too (a function moving
 * over, or traced by someone else as well), it enters the slot with the
 * handler's choice as the return address; both paths choose the same.
 *
 * Only %r11 is clobbered, which no argument uses and which ftrace's own
 * trampoline clobbers as well.  Call depth tracking (6.12) is left alone:
 * the fentry call was not counted; the fast path's target returns for the
 * function (counted at the caller), and the generic path's RET counts one
 * more return, so the count errs low, which only refills the return
 * stack buffer earlier.
 *
 * Unwinding: at entry and after the drop the stack is a function's at its
 * entry.  Once the generic path wrote the target over the return address
 * that slot no longer leads to a caller, so the hint there skips it.
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
	cmpb	$0, kpatch_slot_fast + slot(%rip)
	je	2f
	lea	8(%rsp), %rsp
	UNWIND_HINT_FUNC
	.if	slot == 0
.Ljump0:
	.endif
	/* jmp rel32, to the generic path until direct.c writes it */
	.byte	0xe9
	.long	2f - . - 4
2:	movl	kpatch_gen(%rip), %r11d
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

	.section .rodata
/* Where in a slot the fast path's jmp is. */
SYM_DATA(kpatch_slot_jump, .long .Ljump0 - kpatch_slots)

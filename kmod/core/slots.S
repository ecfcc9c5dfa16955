/* SPDX-License-Identifier: GPL-2.0 */
/*
 * slots.S - the trampolines that direct calls go to (direct.c).
 *
 * A function moved to a direct call has its fentry site call one slot of
 * its own, with the return address into the function on top of the
 * stack.  Both ways through a slot write the target over that return
 * address and return into it, as ftrace's own trampoline does for the
 * kernel's livepatch:
 *
 * The fast path, while kpatch_slot_fast[slot] is not 0: that word is the
 * target.  direct.c writes it (one aligned store) once the target is
 * settled; a flip writes 0 there before it switches the generation.
 *
 * The generic path: read the target as the ftrace handler does, from
 * kpatch_slot_targets[slot][kpatch_gen & 1]; with no target (0) return
 * into the original function past its fentry call.
 *
 * Why a RET and not a jmp: the fentry call pushed an entry onto the
 * CPU's return stack buffer.  A RET pops it (mispredicted once: it
 * predicts the original function), and the target's own RET then meets
 * the entry of its caller's call: calls and returns stay paired.  A path
 * that dropped the return address and jumped would leave that entry
 * behind, and every return up the caller chain would mispredict.  Why a
 * word in memory and not an immediate in the code: text_poke_bp() can
 * rewrite only instructions its int3 handler can emulate (jmp, call, Jcc,
 * ret, nops), not a store, and the word needs no code update at all.  The
 * target is reached by RET, which needs no ENDBR there (IBT).
 *
 * A flip inside stop_machine() closes the fast path of every function it
 * switches before its one store to kpatch_gen (patch.c): the slots of
 * those functions are on no stack then (transition.c), so afterwards
 * calls take the generic path and switch with the handler, NMIs too.
 *
 * First of all, a slot entered with a return address other than its
 * function's own (past the fentry call, kpatch_slot_entry[slot]) returns
 * into it untouched: ftrace's own trampoline ran an IPMODIFY user that
 * chose where the call goes.  Either the handler (a function moving over
 * or being handed back), which chose what the slot would choose, or a
 * kprobe that may change the ip and joined ftrace through an ops already
 * registered for other functions (kprobe_ipmodify_ops): ftrace never asks
 * a direct call about such a newcomer, so the slot defers to it here
 * rather than overwrite its choice.
 *
 * Only %r11 is clobbered, which no argument uses and which ftrace's own
 * trampoline clobbers as well.  Call depth tracking (6.12): the fentry
 * call did not go through a call thunk, so the slot counts it
 * (CALL_DEPTH_ACCOUNT, as ftrace's trampolines do) before its RET counts
 * the return; the target's RET returns for the call its caller made.
 *
 * Unwinding: at entry the stack is a function's at its entry.  Once the
 * target is written over the return address that slot no longer leads to
 * a caller, so the hint at the RET skips it.
 */
#include <linux/linkage.h>
#include <asm/ibt.h>
#include <asm/unwind_hints.h>
#include "compat.h"
#include "direct.h"

	.text
	.balign	KPATCH_SLOT_SIZE
SYM_CODE_START(kpatch_slots)
	.set	slot, 0
	.rept	KPATCH_NR_SLOTS
	UNWIND_HINT_FUNC
	ENDBR
	CALL_DEPTH_ACCOUNT
	movq	kpatch_slot_entry + 8 * slot(%rip), %r11
	cmpq	%r11, (%rsp)
	jne	1f
	movq	kpatch_slot_fast + 8 * slot(%rip), %r11
	testq	%r11, %r11
	jnz	2f
	movl	kpatch_gen(%rip), %r11d
	andl	$1, %r11d
	movq	kpatch_slot_targets + 16 * slot(, %r11, 8), %r11
	testq	%r11, %r11
	jz	1f
2:	movq	%r11, (%rsp)
	UNWIND_HINT sp_reg=ORC_REG_SP sp_offset=16 type=UNWIND_HINT_TYPE_CALL
	RET
1:	UNWIND_HINT_FUNC
	RET
	/* Fails ("moving backwards") if a slot outgrew KPATCH_SLOT_SIZE. */
	.org	kpatch_slots + (slot + 1) * KPATCH_SLOT_SIZE, 0xcc
	.set	slot, slot + 1
	.endr
SYM_CODE_END(kpatch_slots)

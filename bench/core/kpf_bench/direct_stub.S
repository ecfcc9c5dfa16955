/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Trampolines a direct call site calls, at a function's fentry, with the
 * return address into that function on top of the stack.
 *
 * kpfb_direct_stub: the smallest one for live patching, one per function:
 * drop that return address and jump to the replacement, which returns
 * straight to the function's caller.  After the drop the stack is again
 * as at a function's entry, which the hint tells objtool (and so ORC: a
 * task interrupted on the jump unwinds to the caller).  No RET, so on
 * 6.12 no call-depth accounting either: the caller's call is accounted
 * and the replacement's RET returns from it.
 *
 * kpfb_direct_ret: as small, but with calls and returns paired, as the
 * core's slot since issue 29 (kmod/core/slots.S): write the replacement
 * over that return address and return into it, so that RET pops the
 * fentry call's entry of the return stack buffer.  On 6.2 and later the
 * fentry call is counted for call depth tracking, as that RET is.
 * Between the two the hint skips the slot: it leads to no caller.
 *
 * kpfb_direct_slot: the instructions of one of the core's slots
 * (kmod/core/slots.S), on words of its own (kpfb_slot_*, direct.c), in
 * this module: beside kpfb_direct_ret it shows what the slot's checks
 * cost, beside the core's slot what its place in kpatch.ko costs.
 *
 * kpfb_direct_dispatch: one for many functions, as one ops for all of
 * them needs: find the replacement by that return address in an
 * open-addressed table (kpfb_dtable, kpfb_dmask; slots of key and target,
 * probed linearly from (key >> 4) & mask to an empty key, with room past
 * the mask so a probe never wraps), using only the scratch registers a
 * function entry may clobber (%r10, %r11).  No slot: return into the
 * function and run it.
 */
#include <linux/linkage.h>
#include <linux/version.h>
#include <asm/ibt.h>
#include <asm/nospec-branch.h>
#include <asm/unwind_hints.h>

	.text
SYM_FUNC_START(kpfb_direct_stub)
	lea	8(%rsp), %rsp
	UNWIND_HINT_FUNC
	jmp	kpfb_direct_new
SYM_FUNC_END(kpfb_direct_stub)

SYM_CODE_START(kpfb_direct_ret)
	UNWIND_HINT_FUNC
	ENDBR
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 2, 0)
	CALL_DEPTH_ACCOUNT
#endif
	movq	$kpfb_direct_new, (%rsp)
	UNWIND_HINT sp_reg=ORC_REG_SP sp_offset=16 type=UNWIND_HINT_TYPE_CALL
	RET
SYM_CODE_END(kpfb_direct_ret)

SYM_CODE_START(kpfb_direct_slot)
	UNWIND_HINT_FUNC
	ENDBR
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 2, 0)
	CALL_DEPTH_ACCOUNT
#endif
	movq	kpfb_slot_entry(%rip), %r11
	cmpq	%r11, (%rsp)
	jne	1f
	movq	kpfb_slot_fast(%rip), %r11
	testq	%r11, %r11
	jnz	2f
	movl	kpfb_slot_gen(%rip), %r11d
	andl	$1, %r11d
	movq	kpfb_slot_targets(, %r11, 8), %r11
	testq	%r11, %r11
	jz	1f
2:	movq	%r11, (%rsp)
	UNWIND_HINT sp_reg=ORC_REG_SP sp_offset=16 type=UNWIND_HINT_TYPE_CALL
	RET
1:	UNWIND_HINT_FUNC
	RET
SYM_CODE_END(kpfb_direct_slot)

SYM_FUNC_START(kpfb_direct_dispatch)
	movq	(%rsp), %r10
	movq	%r10, %r11
	shrq	$4, %r11
	andq	kpfb_dmask(%rip), %r11
	shlq	$4, %r11
	addq	kpfb_dtable(%rip), %r11
1:	cmpq	%r10, (%r11)
	je	2f
	cmpq	$0, (%r11)
	je	3f
	addq	$16, %r11
	jmp	1b
2:	movq	8(%r11), %r11
	lea	8(%rsp), %rsp
	UNWIND_HINT_FUNC
	JMP_NOSPEC r11
3:
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 2, 0)
	/* The call here was not counted; the return will be. */
	CALL_DEPTH_ACCOUNT
#endif
	RET
SYM_FUNC_END(kpfb_direct_dispatch)

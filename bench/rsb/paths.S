/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The ways a call of a patched function can go, as user-space code (the
 * kernel's slots.S with the kernel's macros left out), so that the
 * hardware's return prediction can be timed on the machine itself: TCG
 * does not model a return stack buffer.
 *
 * rsb_unpatched: a function whose fentry site is ftrace's 5-byte nop.
 * rsb_jump: its fentry site calls a slot that drops the return address
 *     and jumps to the replacement (kpatch's fast path until issue 29):
 *     the call's return stack entry is left behind.
 * rsb_ret: its fentry site calls a slot that writes the replacement over
 *     the return address and returns into it (the fast path since):
 *     that RET pops the entry.
 * rsb_ideal: the fentry site jumps to the replacement (no call at all;
 *     ftrace offers no such thing, shown as the floor).
 * rsb_new: the replacement.
 */
	.text
	.globl	rsb_new, rsb_unpatched, rsb_jump, rsb_ret, rsb_ideal

	.p2align 4
rsb_new:
	leal	2(%rdi), %eax
	ret

	.p2align 4
rsb_unpatched:
	.byte	0x0f, 0x1f, 0x44, 0x00, 0x00
	leal	1(%rdi), %eax
	ret

	.p2align 4
rsb_jump:
	call	slot_jump
	leal	1(%rdi), %eax
	ret

	.p2align 4
slot_jump:
	cmpb	$0, fast_flag(%rip)
	je	1f
	lea	8(%rsp), %rsp
	jmp	rsb_new
1:	ret

	.p2align 4
rsb_ret:
	call	slot_ret
	leal	1(%rdi), %eax
	ret

	.p2align 4
slot_ret:
	movq	fast_target(%rip), %r11
	testq	%r11, %r11
	jz	1f
	movq	%r11, (%rsp)
1:	ret

	.p2align 4
rsb_ideal:
	jmp	rsb_new
	leal	1(%rdi), %eax
	ret

	.data
fast_flag:
	.byte	1
	.p2align 3
fast_target:
	.quad	rsb_new

	.section .note.GNU-stack, "", @progbits

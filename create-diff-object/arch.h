/* SPDX-License-Identifier: GPL-2.0 */
/*
 * arch.h - everything create-diff-object knows about x86-64 code: the
 * relocation types, the instruction lengths, the ftrace entry and the
 * shape of a __LINE__ argument.
 */
#ifndef _CDO_ARCH_H
#define _CDO_ARCH_H

#include <stdbool.h>
#include <stddef.h>

#include "elf.h"

/* Bytes a relocation of this type writes, or -1 if it is not supported. */
int arch_reloc_size(unsigned int type);
bool arch_is_pcrel(unsigned int type);
/* The type of the absolute 64-bit relocation used for record pointers. */
unsigned int arch_abs64(void);
/* Whether two relocation types compute the same value (PC32 and PLT32). */
bool arch_same_reloc_type(unsigned int a, unsigned int b);

/* One decoded instruction: just enough to find its operands. */
struct insn {
	unsigned int len;
	unsigned int opcode;	/* 0x0fxx for the two-byte map */
	unsigned int imm_off, imm_size;
	unsigned int rel_off, rel_size;	/* a PC-relative branch target */
	unsigned int disp_off;		/* RIP-relative displacement, 0 if none */
	unsigned char modrm;
	bool has_modrm, rex_b;
};

/* Decode the instruction at p (at most max bytes); false if unknown. */
bool arch_decode(const unsigned char *p, size_t max, struct insn *insn);

/*
 * Whether func starts with an ftrace call site (after endbr64 under IBT),
 * so that the core can redirect it.
 */
bool arch_has_ftrace_entry(struct symbol *func);

/*
 * Whether the differing instruction pair only passes a different __LINE__
 * to a helper such as __might_sleep(): "mov $line, %reg".
 */
bool arch_is_line_insn(const unsigned char *a, const unsigned char *b,
		       const struct insn *insn);

/*
 * Functions that take __FILE__, __LINE__ as arguments; a line-only
 * difference is accepted only in front of a call to one of them.
 */
bool arch_is_line_helper(const char *name);

/*
 * Functions in a section they share with others (__sched and friends)
 * call each other through displacements the assembler resolved without a
 * relocation.  Add the missing relocations, so that each function can be
 * compared and copied on its own.  A function that cannot be decoded, or
 * that leaves itself through a short jump, is marked undecodable.
 */
void arch_split_shared_section(struct section *sec);

/*
 * Turn "movabs $imm64, %reg" (imm64 at imm_off of sec: a runtime constant
 * the kernel patches in vmlinux only) into "mov var(%rip), %reg" plus a
 * NOP, loading the variable the constant caches, as a module build of the
 * same code does.  False if the bytes are not that instruction.
 */
bool arch_runtime_ptr_to_load(struct section *sec, unsigned long imm_off,
			      struct symbol *var);

#endif /* _CDO_ARCH_H */

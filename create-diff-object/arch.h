/* SPDX-License-Identifier: GPL-2.0 */
/*
 * arch.h - everything create-diff-object knows about x86-64 code: the
 * relocation types, the instructions (decoded by Zydis), the ftrace entry
 * and the shape of a __LINE__ argument.
 */
#ifndef _CDO_ARCH_H
#define _CDO_ARCH_H

#include <stdbool.h>
#include <stddef.h>

#include "elf.h"

struct cdo;

/* Bytes a relocation of this type writes, or -1 if it is not supported. */
int arch_reloc_size(unsigned int type);
bool arch_is_pcrel(unsigned int type);
/* The type of the absolute 64-bit relocation used for record pointers. */
unsigned int arch_abs64(void);
/* Whether two relocation types compute the same value (PC32 and PLT32). */
bool arch_same_reloc_type(unsigned int a, unsigned int b);

/* One instruction as Zydis decoded it: what the comparison needs. */
struct insn {
	unsigned int len;
	bool call_or_jmp;	/* a direct call or jmp ... */
	unsigned int rel_off;	/* ... whose target is at this offset */
};

/* Decode the instruction at p (at most max bytes); false if Zydis cannot. */
bool arch_decode(const unsigned char *p, size_t max, struct insn *insn);

/*
 * Decode a code section: for each relocation inside an instruction, the
 * operand (displacement or immediate) it patches and so its pcadj.  Code
 * from a place Zydis cannot decode to the next function, and an
 * instruction whose relocation patches no operand of it, are recorded as
 * undecoded; their relocations keep pcadj 0.
 */
void arch_decode_section(struct section *sec);

/*
 * Refuse (once per place) undecoded code of sec in [start, start + len):
 * its relocations cannot be located, so it cannot be copied.
 */
void arch_check_decoded(struct cdo *cdo, struct section *sec, unsigned long start,
			unsigned long len);

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
 * compared and copied on its own.  A function that leaves itself through
 * a short jump is marked unsplittable (undecoded code is arch_decode_section's).
 */
void arch_split_shared_section(struct section *sec);

/*
 * Turn "movabs $imm64, %reg" (imm64 at imm_off of sec: a runtime constant
 * the kernel patches in vmlinux only) into "mov var(%rip), %reg" plus
 * NOPs, loading the variable the constant caches, as a module build of the
 * same code does.  False if the bytes are not that instruction.
 */
bool arch_runtime_ptr_to_load(struct section *sec, unsigned long imm_off,
			      struct symbol *var);

#endif /* _CDO_ARCH_H */

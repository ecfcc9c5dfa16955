// SPDX-License-Identifier: GPL-2.0
/*
 * arch.c - x86-64 knowledge, kept in one place.
 *
 * Instructions are decoded by Zydis (libzydis), which knows the whole
 * instruction set (ENDBR64, AVX-512 ...).  What Zydis cannot decode is
 * never guessed at: its relocations stay unlocated and copying it is
 * refused (arch_check_decoded()).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <Zydis/Zydis.h>

#include "arch.h"
#include "cdo.h"

int arch_reloc_size(unsigned int type)
{
	switch (type) {
	case R_X86_64_NONE:
		return 0;
	case R_X86_64_64:
	case R_X86_64_PC64:
		return 8;
	case R_X86_64_PC32:
	case R_X86_64_PLT32:
	case R_X86_64_32:
	case R_X86_64_32S:
		return 4;
	default:
		return -1;
	}
}

bool arch_is_pcrel(unsigned int type)
{
	return type == R_X86_64_PC32 || type == R_X86_64_PLT32 ||
	       type == R_X86_64_PC64;
}

unsigned int arch_abs64(void)
{
	return R_X86_64_64;
}

bool arch_same_reloc_type(unsigned int a, unsigned int b)
{
	if (a == R_X86_64_PLT32)
		a = R_X86_64_PC32;
	if (b == R_X86_64_PLT32)
		b = R_X86_64_PC32;
	return a == b;
}

static ZydisDecoder decoder;

static const ZydisDecoder *get_decoder(void)
{
	static bool ready;

	if (!ready) {
		/*
		 * Its defaults decode CET (endbr64) and every AVX-512 form; it
		 * fails only for a mode or width it does not have.
		 */
		(void)ZydisDecoderInit(&decoder, ZYDIS_MACHINE_MODE_LONG_64, ZYDIS_STACK_WIDTH_64);
		ready = true;
	}
	return &decoder;
}

static bool decode(const unsigned char *p, size_t max, ZydisDecodedInstruction *zi)
{
	return ZYAN_SUCCESS(ZydisDecoderDecodeInstruction(get_decoder(), NULL, p, max, zi));
}

bool arch_decode(const unsigned char *p, size_t max, struct insn *insn)
{
	ZydisDecodedInstruction zi;

	memset(insn, 0, sizeof(*insn));
	if (!decode(p, max, &zi))
		return false;
	insn->len = zi.length;
	insn->call_or_jmp = zi.raw.imm[0].is_relative && (zi.mnemonic == ZYDIS_MNEMONIC_CALL ||
							  zi.mnemonic == ZYDIS_MNEMONIC_JMP);
	insn->rel_off = zi.raw.imm[0].offset;
	return true;
}

/*
 * Code of a section that Zydis could not decode: [start, end), up to the
 * next function where decoding restarts, or one instruction whose
 * relocation patches none of its operands.
 */
struct undecoded {
	unsigned long start, end;
	bool no_operand;	/* decoded, but a relocation patches no operand */
	bool reported;
};

static void add_undecoded(struct section *sec, unsigned long start, unsigned long end,
			  bool no_operand)
{
	struct undecoded *u;

	sec->undecoded = xrealloc(sec->undecoded, (sec->nr_undecoded + 1) * sizeof(*u));
	u = &sec->undecoded[sec->nr_undecoded++];
	u->start = start;
	u->end = end;
	u->no_operand = no_operand;
	u->reported = false;
}

/* Whether relocation r (inside zi at off) patches a displacement or immediate of zi. */
static bool patches_operand(const struct rela *r, unsigned long off,
			    const ZydisDecodedInstruction *zi)
{
	unsigned long at = r->offset - off, bits = 8 * arch_reloc_size(r->type);
	int i;

	if (zi->raw.disp.size == bits && zi->raw.disp.offset == at)
		return true;
	for (i = 0; i < 2; i++)
		if (zi->raw.imm[i].size == bits && zi->raw.imm[i].offset == at)
			return true;
	return false;
}

/* Decode [start, stop) of sec; r: its first relocation at or after start. */
static void decode_run(struct section *sec, unsigned long start, unsigned long stop,
		       struct rela *r)
{
	struct rela *end = rela_end(sec);
	unsigned long off = start;

	while (off < stop) {
		ZydisDecodedInstruction zi;
		unsigned long next;
		bool ok = true;

		if (!decode(sec->data + off, stop - off, &zi)) {
			add_undecoded(sec, off, stop, false);
			for (; r && r < end && r->offset < stop; r++)
				r->unlocated = true;
			return;
		}
		next = off + zi.length;
		for (; r && r < end && r->offset < next; r++) {
			/* R_X86_64_NONE patches nothing (the ftrace NOP keeps one) */
			if (r->offset < off || r->type == R_X86_64_NONE)
				continue;
			if (patches_operand(r, off, &zi)) {
				r->pcadj = next - r->offset;
			} else {
				r->unlocated = true;
				ok = false;
			}
		}
		if (!ok)
			add_undecoded(sec, off, next, true);
		off = next;
	}
}

static int cmp_ulong(const void *a, const void *b)
{
	const unsigned long *x = a, *y = b;

	return *x < *y ? -1 : *x > *y;
}

void arch_decode_section(struct section *sec)
{
	unsigned long *starts;
	size_t i, n = 0;

	if (!sec->data)
		return;
	/*
	 * Decoding starts at the section's start and again at each function
	 * (code outside functions, .altinstr_replacement for one, is a series
	 * of instructions from the start), so one undecodable place costs
	 * only the rest of its function.
	 */
	starts = xcalloc(sec->nr_syms + 1, sizeof(*starts));
	starts[n++] = 0;
	for (i = 0; i < sec->nr_syms; i++)
		if (is_func(sec->syms[i]) && sec->syms[i]->value < sec->size)
			starts[n++] = sec->syms[i]->value;
	qsort(starts, n, sizeof(*starts), cmp_ulong);
	for (i = 0; i < n; i++) {
		unsigned long stop = i + 1 < n ? starts[i + 1] : sec->size;

		if (stop > starts[i])
			decode_run(sec, starts[i], stop, rela_at(sec, starts[i]));
	}
	free(starts);
}

void arch_check_decoded(struct cdo *cdo, struct section *sec, unsigned long start,
			unsigned long len)
{
	ZyanU64 v = ZydisGetVersion();
	size_t i;

	for (i = 0; i < sec->nr_undecoded; i++) {
		struct undecoded *u = &sec->undecoded[i];
		struct symbol *func = symbol_at(sec, u->start);
		const char *name = func ? func->name : sec->name;
		unsigned long off = func ? u->start - func->value : u->start;
		char bytes[3 * ZYDIS_MAX_INSTRUCTION_LENGTH] = "";
		unsigned long n;
		int at = 0;

		if (u->reported || u->end <= start || u->start >= start + len)
			continue;
		u->reported = true;
		for (n = 0; n < ZYDIS_MAX_INSTRUCTION_LENGTH && u->start + n < u->end; n++)
			at += snprintf(bytes + at, sizeof(bytes) - at, "%s%02x", n ? " " : "",
				       sec->data[u->start + n]);
		if (u->no_operand)
			refuse(cdo, "a relocation of the instruction at %s+%#lx (%s, section %s) "
			       "patches none of its operands, so the reference cannot be "
			       "located and the code cannot be copied; the object is damaged",
			       name, off, bytes, sec->name);
		else
			refuse(cdo, "the x86 decoder (Zydis %u.%u.%u) does not know the "
			       "instruction at %s+%#lx (bytes %s, section %s), so the "
			       "references of the code after it cannot be located and it "
			       "cannot be copied; move the change to another function (a "
			       "caller or callee), or build with a Zydis that knows the "
			       "instruction", ZYDIS_VERSION_MAJOR(v), ZYDIS_VERSION_MINOR(v),
			       ZYDIS_VERSION_PATCH(v), name, off, bytes, sec->name);
	}
}

bool arch_has_ftrace_entry(struct symbol *func)
{
	unsigned long off = func->value, end = func->value + func->size;
	ZydisDecodedInstruction zi;
	struct rela *rela;

	if (!func->sec || !func->sec->data || !decode(func->sec->data + off, end - off, &zi))
		return false;
	if (zi.mnemonic == ZYDIS_MNEMONIC_ENDBR64) {
		off += zi.length;
		if (!decode(func->sec->data + off, end - off, &zi))
			return false;
	}
	rela = rela_at(func->sec, off);
	if (!rela || rela->offset >= off + zi.length || strcmp(rela->sym->name, "__fentry__"))
		return false;
	/*
	 * "call __fentry__", which ftrace turns into a NOP when it loads the
	 * code, or the 5-byte NOP that objtool --mcount (or recordmcount)
	 * already wrote in its place, the call's relocation kept as
	 * R_X86_64_NONE.
	 */
	if (zi.mnemonic == ZYDIS_MNEMONIC_CALL)
		return zi.raw.imm[0].is_relative && rela->offset == off + zi.raw.imm[0].offset &&
		       (rela->type == R_X86_64_PLT32 || rela->type == R_X86_64_PC32);
	return zi.mnemonic == ZYDIS_MNEMONIC_NOP && zi.length == 5 &&
	       rela->type == R_X86_64_NONE;
}

bool arch_is_line_insn(const unsigned char *a, const unsigned char *b,
		       const struct insn *insn)
{
	ZydisDecodedInstruction zi;
	ZydisDecodedOperand ops[ZYDIS_MAX_OPERAND_COUNT];
	ZydisRegister reg;
	unsigned int i, imm;
	long va = 0, vb = 0;

	/* "mov $imm32, %reg": 32 bits, or sign-extended to 64 */
	if (!ZYAN_SUCCESS(ZydisDecoderDecodeFull(get_decoder(), a, insn->len, &zi, ops)) ||
	    zi.mnemonic != ZYDIS_MNEMONIC_MOV || ops[0].type != ZYDIS_OPERAND_TYPE_REGISTER ||
	    ops[1].type != ZYDIS_OPERAND_TYPE_IMMEDIATE || zi.raw.imm[0].size != 32)
		return false;
	/* an argument register after the first: rcx, rdx, rsi, rdi, r8, r9 */
	reg = ZydisRegisterGetLargestEnclosing(ZYDIS_MACHINE_MODE_LONG_64, ops[0].reg.value);
	if (reg != ZYDIS_REGISTER_RCX && reg != ZYDIS_REGISTER_RDX && reg != ZYDIS_REGISTER_RSI &&
	    reg != ZYDIS_REGISTER_RDI && reg != ZYDIS_REGISTER_R8 && reg != ZYDIS_REGISTER_R9)
		return false;
	imm = zi.raw.imm[0].offset;
	for (i = 0; i < imm; i++)
		if (a[i] != b[i])
			return false;
	for (i = 4; i-- > 0;) {
		va = va << 8 | a[imm + i];
		vb = vb << 8 | b[imm + i];
	}
	return va > 0 && vb > 0 && va < 1000000 && vb < 1000000;
}

bool arch_is_line_helper(const char *name)
{
	static const char * const helpers[] = {
		"__might_sleep", "__might_resched", "__might_fault",
		"__cant_sleep", "__cant_migrate", "lockdep_rcu_suspicious",
		"_printk", "__warn_printk", "__dynamic_pr_debug",
		/* older kernels' names (4.18 to 5.14) */
		"printk", "___might_sleep", "warn_slowpath_fmt",
		"warn_slowpath_null", NULL,
	};
	/* file systems' error reporting: __ext4_error(sb, __func__, __LINE__) */
	static const char * const prefixes[] = {
		"__ext4_", "__jbd2_", "__btrfs_", "__xfs_", NULL,
	};
	int i;

	for (i = 0; helpers[i]; i++)
		if (!strcmp(name, helpers[i]))
			return true;
	for (i = 0; prefixes[i]; i++)
		if (!strncmp(name, prefixes[i], strlen(prefixes[i])))
			return true;
	return false;
}

/* New relocations go to a side list: sec->relas must stay sorted. */
struct new_relas {
	struct rela *relas;
	size_t nr;
};

static void add_rela(struct new_relas *nr, struct section *sec, unsigned long offset,
		     long addend, int pcadj)
{
	struct rela *rela;

	nr->relas = xrealloc(nr->relas, (nr->nr + 1) * sizeof(*rela));
	rela = &nr->relas[nr->nr++];
	memset(rela, 0, sizeof(*rela));
	rela->offset = offset;
	rela->type = R_X86_64_PC32;
	rela->sym = sec->secsym;
	rela->addend = addend;
	rela->pcadj = pcadj;
}

static int cmp_rela(const void *a, const void *b)
{
	const struct rela *x = a, *y = b;

	return x->offset < y->offset ? -1 : x->offset > y->offset;
}

bool arch_runtime_ptr_to_load(struct section *sec, unsigned long imm_off,
			      struct symbol *var)
{
	struct symbol *func = sec->data ? symbol_at(sec, imm_off) : NULL;
	ZydisDecodedInstruction zi;
	ZydisDecodedOperand ops[ZYDIS_MAX_OPERAND_COUNT];
	ZydisEncoderRequest req;
	unsigned long at, end;
	unsigned char *p;
	ZyanUSize len;

	if (!func)
		return false;
	/* the instruction around imm_off, decoded from the function's start */
	end = func->value + func->size;
	for (at = func->value; at < end; at += zi.length)
		if (!decode(sec->data + at, end - at, &zi) || at + zi.length > imm_off)
			break;
	if (at >= end || at > imm_off ||
	    !ZYAN_SUCCESS(ZydisDecoderDecodeFull(get_decoder(), sec->data + at, end - at, &zi, ops)) ||
	    zi.mnemonic != ZYDIS_MNEMONIC_MOV || zi.raw.imm[0].size != 64 ||
	    at + zi.raw.imm[0].offset != imm_off || ops[0].type != ZYDIS_OPERAND_TYPE_REGISTER)
		return false;
	memset(&req, 0, sizeof(req));
	req.machine_mode = ZYDIS_MACHINE_MODE_LONG_64;
	req.mnemonic = ZYDIS_MNEMONIC_MOV;
	req.operand_count = 2;
	req.operands[0].type = ZYDIS_OPERAND_TYPE_REGISTER;
	req.operands[0].reg.value = ops[0].reg.value;
	req.operands[1].type = ZYDIS_OPERAND_TYPE_MEMORY;
	req.operands[1].mem.base = ZYDIS_REGISTER_RIP;
	req.operands[1].mem.size = 8;
	p = sec->data + at;
	len = zi.length;
	if (!ZYAN_SUCCESS(ZydisEncoderEncodeInstruction(&req, p, &len)) ||
	    !ZYAN_SUCCESS(ZydisEncoderNopFill(p + len, zi.length - len)) ||
	    !decode(p, len, &zi))
		return false;
	elf_add_rela(sec, at + zi.raw.disp.offset, R_X86_64_PC32, var,
		     -(long)(len - zi.raw.disp.offset), len - zi.raw.disp.offset);
	return true;
}

void arch_split_shared_section(struct section *sec)
{
	struct new_relas added = { NULL, 0 };
	size_t i;

	if (!sec->secsym || !sec->data)
		return;
	for (i = 0; i < sec->nr_syms; i++) {
		struct symbol *func = sec->syms[i];
		unsigned long off = func->value, end = func->value + func->size;
		ZydisDecodedInstruction zi;

		if (!is_func(func))
			continue;
		/* undecodable code is arch_decode_section()'s to refuse */
		while (off < end && decode(sec->data + off, end - off, &zi)) {
			unsigned long field = 0, next = off + zi.length, size = 0;
			long target = 0;
			struct rela *rela;

			if (zi.raw.imm[0].is_relative) {
				field = off + zi.raw.imm[0].offset;
				size = zi.raw.imm[0].size / 8;
				target = (long)next + zi.raw.imm[0].value.s;
			} else if ((zi.attributes & ZYDIS_ATTRIB_IS_RELATIVE) && zi.raw.disp.size) {
				field = off + zi.raw.disp.offset;
				size = zi.raw.disp.size / 8;
				target = (long)next + zi.raw.disp.value;
			}
			rela = field ? rela_at(sec, field) : NULL;
			if (field && (!rela || rela->offset != field) &&
			    (target < (long)func->value || target >= (long)end)) {
				/* only a 4-byte field can take a relocation */
				if (size != 4) {
					func->unsplittable = true;
					break;
				}
				add_rela(&added, sec, field, target - (long)(next - field),
					 next - field);
				memset(sec->data + field, 0, 4);
			}
			off = next;
		}
	}
	if (!added.nr)
		return;
	for (i = 0; i < added.nr; i++)
		elf_resolve_rela(&added.relas[i]);
	sec->relas = xrealloc(sec->relas, (sec->nr_relas + added.nr) * sizeof(struct rela));
	memcpy(sec->relas + sec->nr_relas, added.relas, added.nr * sizeof(struct rela));
	sec->nr_relas += added.nr;
	qsort(sec->relas, sec->nr_relas, sizeof(struct rela), cmp_rela);
	free(added.relas);
}

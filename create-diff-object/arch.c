// SPDX-License-Identifier: GPL-2.0
/*
 * arch.c - x86-64 knowledge, kept in one place.
 *
 * The instruction decoder only finds lengths and operand positions; it
 * knows the opcodes that compiled kernel C code uses and gives up (returns
 * false) on anything else, which callers treat as "cannot prove it safe".
 */
#include <stdlib.h>
#include <string.h>

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

/* Immediate sizes of the one-byte opcode map: 'b' 1, 'z' 2/4, 'w' 2. */
static bool onebyte(unsigned int op, bool *modrm, char *imm)
{
	*modrm = false;
	*imm = 0;
	if (op < 0x40) {
		switch (op & 7) {
		case 0: case 1: case 2: case 3:
			*modrm = true;
			return true;
		case 4:
			*imm = 'b';
			return true;
		case 5:
			*imm = 'z';
			return true;
		default:
			return false;	/* segment push/pop, BCD: not in 64-bit */
		}
	}
	if (op >= 0x50 && op <= 0x5f)
		return true;
	if (op >= 0x70 && op <= 0x7f) {
		*imm = 'r';
		return true;
	}
	if (op >= 0x84 && op <= 0x8f) {
		*modrm = true;
		return true;
	}
	if (op >= 0x90 && op <= 0x99)
		return true;
	if (op >= 0xb0 && op <= 0xb7) {
		*imm = 'b';
		return true;
	}
	if (op >= 0xb8 && op <= 0xbf) {
		*imm = 'v';
		return true;
	}
	if (op >= 0xd8 && op <= 0xdf) {
		*modrm = true;
		return true;
	}
	switch (op) {
	case 0x63: case 0xd0: case 0xd1: case 0xd2: case 0xd3:
	case 0xfe: case 0xff: case 0xf6: case 0xf7:
		*modrm = true;
		return true;
	case 0x69: case 0x81: case 0xc7:
		*modrm = true;
		*imm = 'z';
		return true;
	case 0x6b: case 0x80: case 0x83: case 0xc0: case 0xc1: case 0xc6:
		*modrm = true;
		*imm = 'b';
		return true;
	case 0x68: case 0xa9:
		*imm = 'z';
		return true;
	case 0x6a: case 0xa8: case 0xcd: case 0xe4: case 0xe5: case 0xe6: case 0xe7:
		*imm = 'b';
		return true;
	case 0xc2: case 0xca:
		*imm = 'w';
		return true;
	case 0xc8:
		*imm = 'e';	/* enter: imm16 + imm8 */
		return true;
	case 0xe0: case 0xe1: case 0xe2: case 0xe3: case 0xeb:
		*imm = 'r';
		return true;
	case 0xe8: case 0xe9:
		*imm = 'R';
		return true;
	case 0xa0: case 0xa1: case 0xa2: case 0xa3:
		*imm = 'q';	/* moffs */
		return true;
	case 0x6c: case 0x6d: case 0x6e: case 0x6f: case 0x9a: case 0x9b:
	case 0x9c: case 0x9d: case 0x9e: case 0x9f: case 0xa4: case 0xa5:
	case 0xa6: case 0xa7: case 0xaa: case 0xab: case 0xac: case 0xad:
	case 0xae: case 0xaf: case 0xc3: case 0xc9: case 0xcb: case 0xcc:
	case 0xcf: case 0xd7: case 0xec: case 0xed: case 0xee: case 0xef:
	case 0xf1: case 0xf4: case 0xf5: case 0xf8: case 0xf9: case 0xfa:
	case 0xfb: case 0xfc: case 0xfd:
		return op != 0x9a;
	}
	return false;
}

static bool twobyte(unsigned int op, bool *modrm, char *imm)
{
	*modrm = true;
	*imm = 0;
	if (op >= 0x80 && op <= 0x8f) {
		*modrm = false;
		*imm = 'R';
		return true;
	}
	switch (op) {
	case 0x05: case 0x06: case 0x07: case 0x08: case 0x09: case 0x0b:
	case 0x30: case 0x31: case 0x32: case 0x33: case 0x34: case 0x35:
	case 0x77: case 0xa0: case 0xa1: case 0xa2: case 0xa8: case 0xa9:
	case 0xaa:
		*modrm = false;
		return true;
	case 0x70: case 0x71: case 0x72: case 0x73: case 0xa4: case 0xac:
	case 0xba: case 0xc2: case 0xc4: case 0xc5: case 0xc6:
		*imm = 'b';
		return true;
	case 0x0f: case 0x24: case 0x25: case 0x26: case 0x27: case 0x36:
	case 0x37: case 0x38: case 0x39: case 0x3a: case 0x3b: case 0x3c:
	case 0x3d: case 0x3e: case 0x3f: case 0x04: case 0x0a: case 0x0c:
		return false;
	}
	if (op >= 0xc8 && op <= 0xcf) {
		*modrm = false;
		return true;
	}
	return true;
}

bool arch_decode(const unsigned char *p, size_t max, struct insn *insn)
{
	unsigned int i = 0, op;
	bool opsize = false, rexw = false, modrm;
	char imm;

	memset(insn, 0, sizeof(*insn));
	for (; i < max && i < 14; i++) {
		unsigned char b = p[i];

		if (b == 0x66)
			opsize = true;
		else if (b != 0x67 && b != 0xf0 && b != 0xf2 && b != 0xf3 &&
			 b != 0x2e && b != 0x36 && b != 0x3e && b != 0x26 &&
			 b != 0x64 && b != 0x65)
			break;
	}
	if (i < max && (p[i] & 0xf0) == 0x40) {
		rexw = p[i] & 8;
		insn->rex_b = p[i] & 1;
		i++;
	}
	if (i >= max)
		return false;
	op = p[i++];
	if (op == 0x0f) {
		if (i >= max)
			return false;
		op = p[i++];
		if (op == 0x38 || op == 0x3a) {
			if (i >= max)
				return false;
			i++;
			modrm = true;
			imm = op == 0x3a ? 'b' : 0;
			op = 0x0f00 | op;
		} else {
			if (!twobyte(op, &modrm, &imm))
				return false;
			op |= 0x0f00;
		}
	} else if (!onebyte(op, &modrm, &imm)) {
		return false;
	}
	insn->opcode = op;
	if (modrm) {
		unsigned char m, mod, rm;

		if (i >= max)
			return false;
		m = p[i++];
		insn->modrm = m;
		insn->has_modrm = true;
		mod = m >> 6;
		rm = m & 7;
		if (mod != 3 && rm == 4) {
			if (i >= max)
				return false;
			if (mod == 0 && (p[i] & 7) == 5)
				mod = 2;	/* disp32, no base */
			i++;
		}
		if (mod == 0 && rm == 5) {
			insn->disp_off = i;
			i += 4;
		} else if (mod == 1) {
			i += 1;
		} else if (mod == 2) {
			i += 4;
		}
		/* test r/m, imm: the only /digit forms of f6/f7 with an immediate */
		if ((op == 0xf6 || op == 0xf7) && ((m >> 3) & 7) < 2)
			imm = op == 0xf6 ? 'b' : 'z';
		if (op == 0xc7 && m == 0xf8)
			imm = 'R';	/* xbegin */
	}
	insn->imm_off = i;
	switch (imm) {
	case 'b':
		insn->imm_size = 1;
		break;
	case 'w':
		insn->imm_size = 2;
		break;
	case 'e':
		insn->imm_size = 3;
		break;
	case 'z':
		insn->imm_size = opsize ? 2 : 4;
		break;
	case 'v':
		insn->imm_size = rexw ? 8 : opsize ? 2 : 4;
		break;
	case 'q':
		insn->imm_size = 8;
		break;
	case 'r':
		insn->rel_off = i;
		insn->rel_size = 1;
		break;
	case 'R':
		insn->rel_off = i;
		insn->rel_size = 4;
		break;
	}
	i += insn->imm_size + insn->rel_size;
	if (i > max)
		return false;
	insn->len = i;
	return true;
}

bool arch_has_ftrace_entry(struct symbol *func)
{
	static const unsigned char endbr64[] = { 0xf3, 0x0f, 0x1e, 0xfa };
	static const unsigned char nop5[] = { 0x0f, 0x1f, 0x44, 0x00, 0x00 };
	const unsigned char *p;
	unsigned long off = func->value;
	struct rela *rela;

	if (!func->sec || !func->sec->data || func->size < 5)
		return false;
	p = func->sec->data + off;
	if (func->size >= 9 && !memcmp(p, endbr64, 4))
		off += 4;
	rela = rela_at(func->sec, off + 1);
	if (!rela || rela->offset != off + 1 || strcmp(rela->sym->name, "__fentry__"))
		return false;
	/*
	 * "call __fentry__", which ftrace turns into a NOP when it loads the
	 * code, or the NOP that objtool --mcount (or recordmcount) already
	 * wrote in its place, its relocation kept as R_X86_64_NONE.
	 */
	if (func->sec->data[off] == 0xe8)
		return rela->type == R_X86_64_PLT32 || rela->type == R_X86_64_PC32;
	return off + sizeof(nop5) <= func->value + func->size &&
	       !memcmp(func->sec->data + off, nop5, sizeof(nop5)) &&
	       rela->type == R_X86_64_NONE;
}

bool arch_is_line_insn(const unsigned char *a, const unsigned char *b,
		       const struct insn *insn)
{
	unsigned int i, reg;
	long va = 0, vb = 0;

	if (insn->opcode >= 0xb8 && insn->opcode <= 0xbf && insn->imm_size == 4)
		reg = (insn->opcode - 0xb8) + (insn->rex_b ? 8 : 0);
	else if (insn->opcode == 0xc7 && (insn->modrm >> 6) == 3 && insn->imm_size == 4)
		reg = (insn->modrm & 7) + (insn->rex_b ? 8 : 0);
	else
		return false;
	/* an argument register after the first: ecx, edx, esi, edi, r8d, r9d */
	if (reg != 1 && reg != 2 && reg != 6 && reg != 7 && reg != 8 && reg != 9)
		return false;
	for (i = 0; i < insn->imm_off; i++)
		if (a[i] != b[i])
			return false;
	for (i = 4; i-- > 0;) {
		va = va << 8 | a[insn->imm_off + i];
		vb = vb << 8 | b[insn->imm_off + i];
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
	static const unsigned char nop3[] = { 0x0f, 0x1f, 0x00 };
	unsigned char *p, rex, reg;

	if (imm_off < 2 || imm_off + 8 > sec->size || !sec->data)
		return false;
	p = sec->data + imm_off - 2;
	if ((p[0] != 0x48 && p[0] != 0x49) || p[1] < 0xb8 || p[1] > 0xbf)
		return false;
	/* REX.W, and REX.B of the register becomes REX.R of the ModRM form */
	rex = p[0] == 0x49 ? 0x4c : 0x48;
	reg = p[1] - 0xb8;
	p[0] = rex;
	p[1] = 0x8b;			/* mov r/m64, r64 */
	p[2] = (unsigned char)(reg << 3 | 5);	/* [rip + disp32] */
	memset(p + 3, 0, 4);
	memcpy(p + 7, nop3, sizeof(nop3));
	elf_add_rela(sec, imm_off + 1, R_X86_64_PC32, var, -4, 4);
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
		struct insn insn;

		if (!is_func(func))
			continue;
		while (off < end) {
			unsigned long field = 0, next;
			long disp = 0, target;
			struct rela *rela;

			if (!arch_decode(sec->data + off, end - off, &insn)) {
				func->undecodable = true;
				break;
			}
			next = off + insn.len;
			if (insn.rel_size)
				field = off + insn.rel_off;
			else if (insn.disp_off)
				field = off + insn.disp_off;
			if (field) {
				rela = rela_at(sec, field);
				if (!rela || rela->offset != field) {
					unsigned int n = insn.rel_size == 1 ? 1 : 4;

					disp = n == 1 ? (signed char)sec->data[field] :
						(int)(sec->data[field] | sec->data[field + 1] << 8 |
						      sec->data[field + 2] << 16 |
						      (unsigned int)sec->data[field + 3] << 24);
					target = (long)next + disp;
					if (target < (long)func->value || target >= (long)end) {
						if (n == 1) {
							func->undecodable = true;
							break;
						}
						add_rela(&added, sec, field,
							 target - (long)(next - field), next - field);
						memset(sec->data + field, 0, 4);
					}
				}
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

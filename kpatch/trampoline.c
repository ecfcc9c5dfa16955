// SPDX-License-Identifier: GPL-2.0
/*
 * trampoline.c - does somebody else's trampoline on a patched function's
 * ftrace site call the original function itself?
 *
 * A BPF trampoline with an fexit (or fmod_ret) program calls the function
 * it is attached to.  Sharing the site with the core's handler, which
 * changes the ip, it must call the ip the handler left: the kernel asks it
 * to share (FTRACE_OPS_CMD_ENABLE_SHARE_IPMODIFY_*), and the trampoline is
 * then built to call through the address on its stack (BPF's
 * ORIG_STACK).  Built without being asked, it calls the original body,
 * just past the fentry call, with a rel32 call: the patch is bypassed.
 * enabled_functions does not show which; the trampoline's code does, and
 * /proc/kcore (an ELF core of the kernel's memory) has it.  Zydis decodes
 * it instruction by instruction, so no immediate or displacement that
 * happens to hold 0xe8 is taken for a call.
 */
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <Zydis/Zydis.h>

#include "kpatch.h"

/* How long to wait for a replaced trampoline image to leave kallsyms: 3 s. */
#define TRAMPOLINE_SETTLE_US	100000
#define TRAMPOLINE_SETTLE_TRIES	30

/* @len bytes of kernel memory at @addr, through /proc/kcore; 0 or an errno. */
static int kcore_read(unsigned long addr, void *buf, size_t len)
{
	char *path = sys_path("/proc/kcore");
	Elf64_Ehdr eh;
	Elf64_Phdr ph;
	int fd, err = ERANGE;
	unsigned int i;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	free(path);
	if (fd < 0)
		return errno;
	if (pread(fd, &eh, sizeof(eh), 0) != sizeof(eh) ||
	    memcmp(eh.e_ident, ELFMAG, SELFMAG) ||
	    eh.e_ident[EI_CLASS] != ELFCLASS64) {
		close(fd);
		return ENOEXEC;
	}
	for (i = 0; i < eh.e_phnum; i++) {
		if (pread(fd, &ph, sizeof(ph), eh.e_phoff + (off_t)i * eh.e_phentsize) != sizeof(ph)) {
			err = EIO;
			break;
		}
		if (ph.p_type != PT_LOAD || addr < ph.p_vaddr ||
		    addr + len > ph.p_vaddr + ph.p_filesz)
			continue;
		err = pread(fd, buf, len, ph.p_offset + (addr - ph.p_vaddr)) == (ssize_t)len ?
			0 : errno ? errno : EIO;
		break;
	}
	close(fd);
	return err;
}

/* The address kallsyms gives @name (0 if absent or hidden), and in @count how many symbols bear it. */
static unsigned long kallsyms_addr(const char *name, unsigned int *count)
{
	char *path = sys_path("/proc/kallsyms"), *line = NULL;
	unsigned long addr = 0;
	size_t cap = 0, nlen = strlen(name);
	FILE *f = fopen(path, "re");

	free(path);
	*count = 0;
	if (!f)
		return 0;
	while (getline(&line, &cap, f) > 0) {
		char *sym = strchr(line, ' ');

		/* "ADDR T NAME[\t[MODULE]]" */
		if (!sym || !(sym = strchr(sym + 1, ' ')))
			continue;
		sym++;
		if (!strncmp(sym, name, nlen) && strchr("\t\n", sym[nlen]) && !(*count)++)
			addr = strtoul(line, NULL, 16);
	}
	free(line);
	fclose(f);
	return addr;
}

static bool decoder_init(ZydisDecoder *decoder)
{
	return ZYAN_SUCCESS(ZydisDecoderInit(decoder, ZYDIS_MACHINE_MODE_LONG_64,
					     ZYDIS_STACK_WIDTH_64));
}

/*
 * Where @func's body starts, as the running kernel laid it out: past an
 * ENDBR64 (IBT kernels) and the 5-byte fentry site after it, the address
 * a trampoline calls to run the original.  0 with the reason in *@why.
 */
static unsigned long original_body(unsigned long func, char **why)
{
	unsigned char head[2 * ZYDIS_MAX_INSTRUCTION_LENGTH];
	ZydisDecodedInstruction insn;
	ZydisDecoder decoder;
	size_t off = 0;
	int err;

	err = kcore_read(func, head, sizeof(head));
	if (err) {
		*why = xasprintf("the function's first bytes cannot be read through /proc/kcore: %s",
				 strerror(err));
		return 0;
	}
	if (!decoder_init(&decoder))
		goto undecoded;
	if (!ZYAN_SUCCESS(ZydisDecoderDecodeInstruction(&decoder, NULL, head, sizeof(head), &insn)))
		goto undecoded;
	if (insn.mnemonic == ZYDIS_MNEMONIC_ENDBR64) {
		off = insn.length;
		if (!ZYAN_SUCCESS(ZydisDecoderDecodeInstruction(&decoder, NULL, head + off,
								sizeof(head) - off, &insn)))
			goto undecoded;
	}
	/* The fentry site: "call __fentry__" or a trampoline, or a 5-byte nop. */
	if (insn.length != 5 ||
	    (insn.mnemonic != ZYDIS_MNEMONIC_CALL && insn.mnemonic != ZYDIS_MNEMONIC_NOP)) {
		*why = xasprintf("the function does not start with a 5-byte fentry site (+%#zx is a %u-byte %s)",
				 off, insn.length, ZydisMnemonicGetString(insn.mnemonic));
		return 0;
	}
	return func + off + insn.length;
undecoded:
	*why = xasprintf("the function's first bytes do not decode");
	return 0;
}

/*
 * Whether @code, at kernel address @addr, calls into @func past its
 * entry, up to @body, where the original's body starts; the call's offset
 * in *@at.  On 6.1 kallsyms sizes a trampoline as its whole page, so the
 * first bytes Zydis cannot decode end the code.
 */
static bool original_call_in(const unsigned char *code, size_t size, unsigned long addr,
			     unsigned long func, unsigned long body, unsigned long *at)
{
	ZydisDecoder decoder;
	ZydisDecodedInstruction insn;
	size_t off;

	if (!decoder_init(&decoder))
		return false;
	for (off = 0; off < size; off += insn.length) {
		unsigned long target;

		if (!ZYAN_SUCCESS(ZydisDecoderDecodeInstruction(&decoder, NULL, code + off,
								size - off, &insn)))
			break;
		if (insn.mnemonic != ZYDIS_MNEMONIC_CALL || !insn.raw.imm[0].is_relative)
			continue;
		target = addr + off + insn.length + insn.raw.imm[0].value.s;
		if (target > func && target <= body) {
			*at = off;
			return true;
		}
	}
	return false;
}

enum tramp_call trampoline_calls_original(const char *tramp, unsigned long func,
					  unsigned long *at, char **why)
{
	char *name = xasprintf("%.*s", (int)strcspn(tramp, "+ "), tramp);
	const char *slash = strchr(tramp, '/');
	unsigned long addr, size, body;
	unsigned char *code = NULL;
	enum tramp_call ret = TRAMP_UNREAD;
	unsigned int count, tries;
	int err;

	/* "NAME+0xOFF/0xSIZE [MODULE]": the whole symbol is read. */
	size = slash ? strtoul(slash + 1, NULL, 16) : 0;
	if (!size || size > 1 << 20) {
		*why = xasprintf("enabled_functions gives %s no size", tramp);
		goto out;
	}
	/*
	 * BPF rebuilds a trampoline into a new image (when the kernel asks it
	 * to share the site, for one) and the old image keeps the name in
	 * kallsyms until an RCU-tasks grace period has passed.  Which of the
	 * two the site calls, kallsyms cannot say: wait for the old one to go.
	 */
	for (tries = 0;; tries++) {
		addr = kallsyms_addr(name, &count);
		if (count <= 1 || tries == TRAMPOLINE_SETTLE_TRIES)
			break;
		usleep(TRAMPOLINE_SETTLE_US);
	}
	if (count > 1) {
		*why = xasprintf("/proc/kallsyms still names %u trampolines %s after %u s (an old image not yet freed)",
				 count, name, TRAMPOLINE_SETTLE_TRIES * TRAMPOLINE_SETTLE_US / 1000000);
		goto out;
	}
	if (!addr) {
		*why = xasprintf("/proc/kallsyms gives no address for %s%s", name,
				 geteuid() ? " (run as root)" : "");
		goto out;
	}
	body = original_body(func, why);
	if (!body)
		goto out;
	code = xmalloc(size);
	err = kcore_read(addr, code, size);
	if (err) {
		*why = xasprintf("its code cannot be read through /proc/kcore: %s",
				 strerror(err));
		goto out;
	}
	ret = original_call_in(code, size, addr, func, body, at) ?
		TRAMP_CALLS_ORIGINAL : TRAMP_NO_ORIGINAL_CALL;
out:
	free(code);
	free(name);
	return ret;
}

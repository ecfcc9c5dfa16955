// SPDX-License-Identifier: GPL-2.0
/*
 * fuzz.c - libFuzzer target over the ELF reader and the whole diff.
 *
 * Input: a 4-byte little-endian length n, then n bytes of the original
 * object, then the patched object.  The original also serves as the
 * kernel's symbol table.  Anything may come in; the run must end in a
 * result or a clean error, never a crash, a sanitizer report or a hang.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cdo.h"
#include "layout.h"
#include "special.h"
#include "symtab.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	/* a real kernel's layout: the stored corpus' 6.1 one (Makefile) */
	if (getenv("CDO_FUZZ_LAYOUT") && !layout_read(getenv("CDO_FUZZ_LAYOUT")))
		abort();
	/* the messages are not what is being tested */
	messages_off = !getenv("CDO_FUZZ_VERBOSE");
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cdo cdo = { 0 };
	uint32_t n;

	if (size < 4)
		return 0;
	n = data[0] | data[1] << 8 | data[2] << 16 | (uint32_t)data[3] << 24;
	data += 4;
	size -= 4;
	if (n > size)
		return 0;
	cdo.opts.object = "vmlinux";
	cdo.opts.output = "/dev/null";
	cdo.objfile = "fuzz.o";
	cdo.orig = elf_read_mem("orig.o", data, n);
	cdo.patched = cdo.orig ? elf_read_mem("patched.o", data + n, size - n) : NULL;
	cdo.symvers = symvers_read("/dev/null");
	cdo.ksyms = ksymtab_read_mem("orig.o", data, n, true);
	if (cdo.orig && cdo.patched && cdo.symvers && cdo.ksyms) {
		correlate(cdo.orig, cdo.patched);
		read_markers(&cdo);
		if (special_init(&cdo)) {
			compare(&cdo);
			if (!cdo.damaged)
				include(&cdo);
			if (!cdo.damaged && !cdo.refusals)
				write_output(&cdo, "/dev/null");
		}
	}
	special_free();
	elf_free(cdo.orig);
	elf_free(cdo.patched);
	ksymtab_free(cdo.ksyms);
	symvers_free(cdo.symvers);
	return 0;
}

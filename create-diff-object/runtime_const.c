// SPDX-License-Identifier: GPL-2.0
/*
 * runtime_const.c - runtime constants (6.11+, runtime_const_ptr() and
 * runtime_const_shift_right_32()): the compiler emits a placeholder
 * immediate and an entry in section runtime_ptr_<var> or
 * runtime_shift_<var>, and the kernel writes the real value at boot, in
 * vmlinux only.  Copied into a patch module, the placeholder would stay:
 * a pointer constant is turned into a load of its variable (what a module
 * build of the same code does); a shift constant cannot be, so it is
 * refused.
 */
#include <string.h>

#include "arch.h"
#include "cdo.h"
#include "elf.h"

static struct symbol *owner(struct rela *r, long *where)
{
	struct section *code = r->target->sec;
	struct symbol *fn;

	*where = r->soff;
	if (!code || !is_text(code) || *where < 0 || (unsigned long)*where >= code->size)
		return NULL;
	fn = symbol_at(code, *where);
	return fn && is_func(fn) ? owner_function(fn) : NULL;
}

void runtime_consts(struct cdo *cdo)
{
	struct elf *elf = cdo->patched;
	size_t i, j;

	for (i = 1; i < elf->nr_secs; i++) {
		struct section *sec = &elf->secs[i];
		bool ptr = !strncmp(sec->name, "runtime_ptr_", 12);
		const char *var = sec->name + (ptr ? 12 : 14);

		if (is_rela(sec) || (!ptr && strncmp(sec->name, "runtime_shift_", 14)))
			continue;
		sec->special = true;	/* never copied: the entries are used up here */
		for (j = 0; j < sec->nr_relas; j++) {
			struct rela *r = &sec->relas[j];
			struct symbol *fn;
			long where;

			fn = owner(r, &where);
			if (!fn || !fn->include)
				continue;
			if (!ptr) {
				refuse(cdo, "function %s uses the runtime constant %s "
				       "(runtime_const_shift_right_32()), which the kernel "
				       "sets in vmlinux only, at boot: a patch module's copy "
				       "would keep the placeholder; leave %s unchanged, or "
				       "change its callers instead", fn->name, var, fn->name);
				continue;
			}
			if (!arch_runtime_ptr_to_load(r->target->sec, where,
						      elf_undefined_symbol(elf, var))) {
				refuse(cdo, "function %s: the runtime constant %s "
				       "(runtime_const_ptr()) at %s+%#lx is not the "
				       "expected movabs instruction; leave %s unchanged",
				       fn->name, var, r->target->sec->name, where, fn->name);
				continue;
			}
			debug("function %s: runtime constant %s at +%#lx becomes a "
			      "load of %s", fn->name, var, where - (long)fn->value, var);
		}
	}
}

// SPDX-License-Identifier: GPL-2.0
/*
 * klp_convert.c - finish a linked patch module whose output.o has
 * livepatch relocations (create-diff-object --klp-convert MODULE.ko).
 *
 * create-diff-object writes a loader-time key it cannot export (a jump
 * label's key in vmlinux) as an ordinary relocation against a weak
 * undefined symbol .klp.sym.vmlinux.NAME,SYMPOS: that is what ld -r and
 * modpost let through.  The kernel wants it otherwise
 * (Documentation/livepatch/module-elf-format.rst): the symbol with
 * st_shndx SHN_LIVEPATCH, and the relocation in a section of its own,
 * .klp.rela.vmlinux.SECTION, flagged SHF_RELA_LIVEPATCH.  Only the linked
 * module can be given that (ld would merge such a section into the
 * ordinary one, and modpost would not know the symbol), so this runs on
 * the .ko, before it is signed.  The module loader of a CONFIG_LIVEPATCH
 * kernel (5.8+) then resolves and applies these relocations for a module
 * whose modinfo says livepatch=Y, in apply_relocations(), before
 * jump_label_add_module() reads the keys.
 *
 * The file is rewritten in place: existing sections keep their indices,
 * the new ones come last.
 */
#include <ctype.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cdo.h"
#include "klp_abi.h"

#include "kpatch-abi.h"

/*
 * Buffers given to libelf as section data: libelf does not free them, and
 * they must live until elf_update() has written the file.
 */
struct owned {
	void **p;
	size_t n;
};

static void *own(struct owned *o, void *p)
{
	o->p = xrealloc(o->p, (o->n + 1) * sizeof(*o->p));
	o->p[o->n++] = p;
	return p;
}

/* One relocation section with relocations to move. */
struct split {
	Elf_Scn *scn;
	GElf_Shdr sh;
	Elf_Data *data;
	GElf_Rela *keep, *move;
	size_t nr_keep, nr_move;
};

/*
 * Whether name is .klp.sym.vmlinux.NAME,SYMPOS as klp_resolve_symbols()
 * reads it; only vmlinux symbols go into .klp.rela.vmlinux.* sections.
 */
static bool klp_name_ok(const char *name)
{
	const char *s = name + strlen(KLP_SYM_PREFIX KPATCH_VMLINUX ".");
	const char *comma = strrchr(name, ',');

	if (strncmp(name, KLP_SYM_PREFIX KPATCH_VMLINUX ".",
		    strlen(KLP_SYM_PREFIX KPATCH_VMLINUX ".")) ||
	    !comma || comma == s || !comma[1])
		return false;
	for (s = comma + 1; *s; s++)
		if (!isdigit((unsigned char)*s))
			return false;
	return true;
}

/* Mark the .klp.sym.* symbols; *n counts them, NULL on error. */
static bool *mark_symbols(Elf *e, Elf_Scn *symscn, GElf_Shdr *symsh,
			  const char *path, size_t *n)
{
	Elf_Data *d = elf_getdata(symscn, NULL);
	size_t i, nr = symsh->sh_entsize ? symsh->sh_size / symsh->sh_entsize : 0;
	bool *klp = xcalloc(nr + 1, sizeof(*klp));

	*n = 0;
	for (i = 1; d && i < nr; i++) {
		GElf_Sym s;
		const char *name;

		if (!gelf_getsym(d, i, &s))
			break;
		name = elf_strptr(e, symsh->sh_link, s.st_name);
		if (!name || strncmp(name, KLP_SYM_PREFIX, strlen(KLP_SYM_PREFIX)))
			continue;
		if (!klp_name_ok(name) ||
		    (s.st_shndx != SHN_UNDEF && s.st_shndx != klp_shn_livepatch)) {
			error("%s: symbol %s is not an undefined .klp.sym.vmlinux.NAME,"
			      "SYMPOS: the module was not linked from create-diff-object's "
			      "output", path, name);
			free(klp);
			return NULL;
		}
		s.st_shndx = klp_shn_livepatch;
		s.st_info = GELF_ST_INFO(STB_GLOBAL, GELF_ST_TYPE(s.st_info));
		if (!gelf_update_sym(d, i, &s)) {
			error("%s: %s", path, elf_errmsg(-1));
			free(klp);
			return NULL;
		}
		klp[i] = true;
		(*n)++;
	}
	if (d && *n)
		elf_flagdata(d, ELF_C_SET, ELF_F_DIRTY);
	return klp;
}

/* Split one relocation section's entries into kept and moved. */
static bool split_section(struct split *sp, const bool *klp, size_t nr_syms)
{
	size_t i, nr = sp->sh.sh_entsize ? sp->sh.sh_size / sp->sh.sh_entsize : 0;

	sp->data = elf_getdata(sp->scn, NULL);
	sp->keep = xcalloc(nr + 1, sizeof(GElf_Rela));
	sp->move = xcalloc(nr + 1, sizeof(GElf_Rela));
	for (i = 0; sp->data && i < nr; i++) {
		GElf_Rela r;
		size_t sym;

		if (!gelf_getrela(sp->data, i, &r))
			return false;
		sym = GELF_R_SYM(r.r_info);
		if (sym < nr_syms && klp[sym])
			sp->move[sp->nr_move++] = r;
		else
			sp->keep[sp->nr_keep++] = r;
	}
	return sp->data != NULL;
}

/* Data holding relas, in the file's own layout (Elf64_Rela). */
static void set_relas(struct owned *o, Elf_Data *d, const GElf_Rela *relas, size_t n)
{
	Elf64_Rela *out = own(o, xcalloc(n + 1, sizeof(*out)));
	size_t i;

	for (i = 0; i < n; i++) {
		out[i].r_offset = relas[i].r_offset;
		out[i].r_info = relas[i].r_info;
		out[i].r_addend = relas[i].r_addend;
	}
	d->d_buf = out;
	d->d_size = n * sizeof(*out);
	d->d_type = ELF_T_RELA;
	d->d_version = EV_CURRENT;
	d->d_align = 8;
	elf_flagdata(d, ELF_C_SET, ELF_F_DIRTY);
}

/* A name added to the section name table: its offset there. */
static size_t add_shstr(struct owned *o, Elf *e, size_t shstrndx, const char *name,
			size_t *size)
{
	Elf_Data *d = elf_newdata(elf_getscn(e, shstrndx));
	size_t at = *size;

	if (!d)
		return 0;
	d->d_buf = own(o, xstrdup(name));
	d->d_size = strlen(name) + 1;
	d->d_type = ELF_T_BYTE;
	d->d_version = EV_CURRENT;
	d->d_align = 1;
	*size += d->d_size;
	return at;
}

/* The .klp.rela.vmlinux.SECTION section for sp's moved relocations. */
static bool add_klp_section(struct owned *o, Elf *e, size_t shstrndx, size_t *shstr_size,
			    struct split *sp, size_t symndx, const char *path)
{
	Elf_Scn *target = elf_getscn(e, sp->sh.sh_info), *scn;
	GElf_Shdr tsh, sh;
	const char *tname;
	char name[KLP_NAME_MAX];
	Elf_Data *d;

	if (!target || !gelf_getshdr(target, &tsh) ||
	    !(tname = elf_strptr(e, shstrndx, tsh.sh_name))) {
		error("%s: relocation section %zu applies to no section", path,
		      elf_ndxscn(sp->scn));
		return false;
	}
	snprintf(name, sizeof(name), KLP_RELA_PREFIX KPATCH_VMLINUX ".%s", tname);
	scn = elf_newscn(e);
	d = scn ? elf_newdata(scn) : NULL;
	if (!d || !gelf_getshdr(scn, &sh))
		return false;
	set_relas(o, d, sp->move, sp->nr_move);
	sh.sh_name = add_shstr(o, e, shstrndx, name, shstr_size);
	sh.sh_type = SHT_RELA;
	/* SHF_ALLOC as the kernel's format asks: the module keeps them */
	sh.sh_flags = SHF_ALLOC | SHF_INFO_LINK | klp_shf_rela_livepatch;
	sh.sh_link = symndx;
	sh.sh_info = sp->sh.sh_info;
	sh.sh_entsize = sizeof(Elf64_Rela);
	sh.sh_addralign = 8;
	sh.sh_size = d->d_size;
	return sh.sh_name && gelf_update_shdr(scn, &sh);
}

static int convert(Elf *e, const char *path)
{
	Elf_Scn *scn = NULL, *symscn = NULL;
	GElf_Shdr sh, symsh;
	struct split *splits = NULL;
	struct owned bufs = { 0 };
	size_t nr_splits = 0, shstrndx, shstr_size, nr_klp, nr_syms, i, moved = 0;
	bool *klp;
	int ret = -1;

	if (elf_getshdrstrndx(e, &shstrndx) ||
	    !gelf_getshdr(elf_getscn(e, shstrndx), &sh)) {
		error("%s: %s", path, elf_errmsg(-1));
		return -1;
	}
	shstr_size = sh.sh_size;
	while ((scn = elf_nextscn(e, scn)))
		if (gelf_getshdr(scn, &symsh) && symsh.sh_type == SHT_SYMTAB) {
			symscn = scn;
			break;
		}
	if (!symscn) {
		error("%s: no symbol table", path);
		return -1;
	}
	klp = mark_symbols(e, symscn, &symsh, path, &nr_klp);
	if (!klp)
		return -1;
	if (!nr_klp) {
		/* not written again: the file stays as it is, byte for byte */
		debug("%s: no .klp.sym.* symbols, left as it is", path);
		free(klp);
		return 0;
	}
	nr_syms = symsh.sh_entsize ? symsh.sh_size / symsh.sh_entsize : 0;
	for (scn = NULL; (scn = elf_nextscn(e, scn));) {
		struct split sp = { .scn = scn };

		if (!gelf_getshdr(scn, &sp.sh) || sp.sh.sh_type != SHT_RELA ||
		    sp.sh.sh_link != elf_ndxscn(symscn) ||
		    (sp.sh.sh_flags & klp_shf_rela_livepatch))
			continue;
		if (!split_section(&sp, klp, nr_syms)) {
			error("%s: %s", path, elf_errmsg(-1));
			free(sp.keep);
			free(sp.move);
			goto out;
		}
		if (!sp.nr_move) {
			free(sp.keep);
			free(sp.move);
			continue;
		}
		splits = xrealloc(splits, (nr_splits + 1) * sizeof(*splits));
		splits[nr_splits++] = sp;
	}
	/* sections are added only now: elf_nextscn() above sees the old ones */
	for (i = 0; i < nr_splits; i++) {
		set_relas(&bufs, splits[i].data, splits[i].keep, splits[i].nr_keep);
		if (!add_klp_section(&bufs, e, shstrndx, &shstr_size, &splits[i],
				     elf_ndxscn(symscn), path)) {
			error("%s: cannot add a livepatch relocation section: %s", path,
			      elf_errmsg(-1));
			goto out;
		}
		moved += splits[i].nr_move;
	}
	if (elf_update(e, ELF_C_WRITE) < 0) {
		error("%s: writing: %s", path, elf_errmsg(-1));
		goto out;
	}
	debug("%s: %zu livepatch symbols, %zu relocations in %zu sections", path,
	      nr_klp, moved, nr_splits);
	ret = 0;
out:
	for (i = 0; i < nr_splits; i++) {
		free(splits[i].keep);
		free(splits[i].move);
	}
	free(splits);
	free(klp);
	for (i = 0; i < bufs.n; i++)
		free(bufs.p[i]);
	free(bufs.p);
	return ret;
}

int klp_convert(const char *path)
{
	int fd, ret = -1;
	Elf *e;

	elf_version(EV_CURRENT);
	fd = open(path, O_RDWR);
	if (fd < 0) {
		error("cannot open %s: %m", path);
		return -1;
	}
	e = elf_begin(fd, ELF_C_RDWR, NULL);
	if (!e || elf_kind(e) != ELF_K_ELF || gelf_getclass(e) != ELFCLASS64)
		error("%s: not a 64-bit ELF object%s%s", path, e ? "" : ": ",
		      e ? "" : elf_errmsg(-1));
	else
		ret = convert(e, path);
	if (e)
		elf_end(e);
	if (close(fd) && !ret) {
		error("writing %s: %m", path);
		ret = -1;
	}
	return ret;
}

// SPDX-License-Identifier: GPL-2.0
/*
 * modinfo.c - read a kernel module file, plain or compressed: its .modinfo
 * keys and signature through libkmod, the functions a patch module
 * replaces with libelf (libkmod shows no other section), without loading
 * anything.
 */
#include <errno.h>
#include <fcntl.h>
#include <gelf.h>
#include <lzma.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zstd.h>

#include "kpatch-abi.h"
#include "kpatch.h"

static Elf_Scn *find_section(Elf *elf, const char *name, size_t *index)
{
	Elf_Scn *scn = NULL;
	size_t shstrndx;
	GElf_Shdr sh;

	if (elf_getshdrstrndx(elf, &shstrndx))
		return NULL;
	while ((scn = elf_nextscn(elf, scn))) {
		const char *s;

		if (!gelf_getshdr(scn, &sh))
			return NULL;
		s = elf_strptr(elf, shstrndx, sh.sh_name);
		if (s && !strcmp(s, name)) {
			if (index)
				*index = elf_ndxscn(scn);
			return scn;
		}
	}
	return NULL;
}

static Elf_Data *section_data(Elf_Scn *scn)
{
	GElf_Shdr sh;

	if (!gelf_getshdr(scn, &sh) || sh.sh_type == SHT_NOBITS)
		return NULL;
	return elf_getdata(scn, NULL);
}

/* The data of a section of the module, or NULL when it has none. */
Elf_Data *modinfo_section(const struct modinfo *mi, const char *name)
{
	Elf_Scn *scn = find_section(mi->elf, name, NULL);

	return scn ? section_data(scn) : NULL;
}

static struct kmod_ctx *ctx;

/* libkmod logs its own errors to stderr; ours name the file and the fix. */
static void kmod_quiet(void *data, int priority, const char *file, int line,
		       const char *fn, const char *format, va_list args)
{
	(void)data; (void)priority; (void)file; (void)line; (void)fn;
	(void)format; (void)args;
}

/*
 * The one libkmod context.  No configuration files: kpatch loads exactly
 * the file it is given, never through aliases, options or blacklists.
 */
struct kmod_ctx *kmod(void)
{
	static const char *const no_config[] = { NULL };

	if (!ctx) {
		ctx = kmod_new(NULL, no_config);
		if (!ctx) {
			error("cannot start libkmod: %s", strerror(errno));
			exit(EXIT_FAIL);
		}
		kmod_set_log_fn(ctx, kmod_quiet, NULL);
	}
	return ctx;
}

/*
 * A .modinfo key may repeat: the value of the first @key after position
 * *@pos (NULL: from the start), which is left at the one found.
 */
const char *modinfo_next(const struct modinfo *mi, const char *key,
			 struct kmod_list **pos)
{
	struct kmod_list *it = *pos ? kmod_list_next(mi->info, *pos) : mi->info;

	for (; it; it = kmod_list_next(mi->info, it)) {
		if (!strcmp(kmod_module_info_get_key(it), key)) {
			*pos = it;
			return kmod_module_info_get_value(it);
		}
	}
	return NULL;
}

const char *modinfo_get(const struct modinfo *mi, const char *key)
{
	struct kmod_list *pos = NULL;

	return modinfo_next(mi, key, &pos);
}

static void parse_kpatch_keys(struct modinfo *mi)
{
	const char *replace;
	char *end;

	mi->abi_str = modinfo_get(mi, KPATCH_MODINFO_ABI);
	if (mi->abi_str) {
		errno = 0;
		mi->abi = strtol(mi->abi_str, &end, 10);
		if (errno || end == mi->abi_str || *end)
			mi->abi = -1;
	}
	mi->patch_name = modinfo_get(mi, KPATCH_MODINFO_NAME);
	replace = modinfo_get(mi, KPATCH_MODINFO_REPLACE);
	mi->replace = replace && !strcmp(replace, "Y");
	mi->patch_sha256 = modinfo_get(mi, KPATCH_MODINFO_PATCH_SHA256);
	mi->build_id = modinfo_get(mi, KPATCH_MODINFO_BUILD_ID);
	/* libkmod adds the appended signature's fields to the list. */
	mi->is_signed = modinfo_get(mi, "sig_id");
	mi->signer = modinfo_get(mi, "signer");
}

/*
 * The module's ELF image for what libkmod does not show (the section
 * checks, .kpatch.funcs): the file itself, or for a compressed module
 * (.ko.xz and .ko.zst, which is how Debian 13 ships modules) the file
 * decompressed.  libkmod decompresses too, but keeps the result to itself.
 */
static const unsigned char xz_magic[] = { 0xfd, '7', 'z', 'X', 'Z', 0 };
static const unsigned char zstd_magic[] = { 0x28, 0xb5, 0x2f, 0xfd };

static int unxz(const unsigned char *in, size_t len, struct modinfo *mi)
{
	lzma_stream s = LZMA_STREAM_INIT;
	size_t size = len * 4;
	lzma_ret r;

	if (lzma_stream_decoder(&s, UINT64_MAX, 0) != LZMA_OK)
		return -1;
	mi->image = xmalloc(size);
	s.next_in = in;
	s.avail_in = len;
	do {
		if (s.total_out == size)
			mi->image = xrealloc(mi->image, size *= 2);
		s.next_out = mi->image + s.total_out;
		s.avail_out = size - s.total_out;
		r = lzma_code(&s, LZMA_FINISH);
	} while (r == LZMA_OK);
	mi->image_size = s.total_out;
	lzma_end(&s);
	return r == LZMA_STREAM_END ? 0 : -1;
}

static int unzstd(const unsigned char *in, size_t len, struct modinfo *mi)
{
	ZSTD_DStream *s = ZSTD_createDStream();
	ZSTD_inBuffer ib = { in, len, 0 };
	ZSTD_outBuffer ob = { NULL, len * 4, 0 };
	size_t r;

	if (!s)
		return -1;
	ob.dst = mi->image = xmalloc(ob.size);
	do {
		if (ob.pos == ob.size) {
			ob.dst = mi->image = xrealloc(mi->image, ob.size *= 2);
		}
		r = ZSTD_decompressStream(s, &ob, &ib);
	} while (!ZSTD_isError(r) && r && (ib.pos < ib.size || ob.pos == ob.size));
	mi->image_size = ob.pos;
	ZSTD_freeDStream(s);
	return ZSTD_isError(r) || r ? -1 : 0;
}

static int read_image(struct modinfo *mi, const struct stat *st)
{
	unsigned char *raw = xmalloc(st->st_size ?: 1);
	size_t len = 0;
	ssize_t n;
	int ret = 0;

	while (len < (size_t)st->st_size &&
	       (n = pread(mi->fd, raw + len, st->st_size - len, len)) > 0)
		len += n;
	if (len >= sizeof(xz_magic) && !memcmp(raw, xz_magic, sizeof(xz_magic))) {
		mi->suffix = ".ko.xz";
		ret = unxz(raw, len, mi);
	} else if (len >= sizeof(zstd_magic) && !memcmp(raw, zstd_magic, sizeof(zstd_magic))) {
		mi->suffix = ".ko.zst";
		ret = unzstd(raw, len, mi);
	} else {
		mi->suffix = ".ko";
		mi->image = raw;
		mi->image_size = len;
		return 0;
	}
	free(raw);
	if (ret)
		error("%s is corrupt: it does not decompress", mi->file);
	return ret;
}

/*
 * libkmod's module for the file mi->fd holds open, with its .modinfo read.
 * libkmod opens files by name only: /proc/self/fd/N names exactly that
 * open file, whatever replaces the path meanwhile.  Without /proc (a
 * package's scriptlet in a chroot), libkmod opens the path, and the file
 * it read must still be the one at the path and the one mi->fd holds
 * (-ESTALE if it was replaced in between).  libkmod keeps the file it read
 * in mi->mod for the insert.  -errno on failure.
 */
static int kmod_open(struct modinfo *mi, const struct stat *st)
{
	char fdpath[32];
	struct stat now;
	bool by_fd;
	int err;

	snprintf(fdpath, sizeof(fdpath), "/proc/self/fd/%d", mi->fd);
	by_fd = !access(fdpath, F_OK);
	err = kmod_module_new_from_path(kmod(), by_fd ? fdpath : mi->file,
					&mi->mod);
	if (!err)
		err = kmod_module_get_info(mi->mod, &mi->info);
	if (err < 0 || by_fd)
		return err < 0 ? err : 0;
	if (stat(mi->file, &now) || now.st_dev != st->st_dev ||
	    now.st_ino != st->st_ino)
		return -ESTALE;
	return 0;
}

/*
 * Open a module file and read its .modinfo through libkmod (kmod_open),
 * so that what is checked here is what install copies and load_patch()
 * inserts.  On failure the reason has been printed and mi holds nothing to
 * close.
 */
int modinfo_open(const char *file, struct modinfo *mi)
{
	const char *vermagic, *name;
	GElf_Ehdr eh;
	struct stat st;
	int err;

	memset(mi, 0, sizeof(*mi));
	mi->file = file;
	mi->fd = open(file, O_RDONLY | O_CLOEXEC);
	if (mi->fd < 0) {
		error("cannot open %s: %s", file, strerror(errno));
		return -1;
	}
	if (fstat(mi->fd, &st) || !S_ISREG(st.st_mode)) {
		error("%s is not a regular file", file);
		goto fail;
	}
	if (read_image(mi, &st))
		goto fail;
	elf_version(EV_CURRENT);
	mi->elf = elf_memory(mi->image, mi->image_size);
	if (!mi->elf || elf_kind(mi->elf) != ELF_K_ELF) {
		error("%s is not an ELF file", file);
		goto fail;
	}
	if (!gelf_getehdr(mi->elf, &eh) || eh.e_ident[EI_CLASS] != ELFCLASS64 ||
	    eh.e_machine != EM_X86_64 || eh.e_type != ET_REL) {
		error("%s is not a kernel module (not an x86-64 relocatable object)",
		       file);
		goto fail;
	}
	/* libelf reads the section headers lazily and fails quietly. */
	if (eh.e_shoff + (unsigned long)eh.e_shnum * eh.e_shentsize >
	    mi->image_size) {
		error("%s is truncated: its section headers are past its end",
		       file);
		goto fail;
	}
	if (!find_section(mi->elf, ".modinfo", NULL) ||
	    !find_section(mi->elf, ".gnu.linkonce.this_module", NULL)) {
		error("%s is not a kernel module (no .modinfo or .gnu.linkonce.this_module section)",
		       file);
		goto fail;
	}
	err = kmod_open(mi, &st);
	if (err < 0) {
		error("%s is corrupt: libkmod cannot read its .modinfo: %s", file,
		       strerror(-err));
		goto fail;
	}

	vermagic = modinfo_get(mi, "vermagic");
	if (!vermagic || !*vermagic || *vermagic == ' ') {
		error("%s is not a kernel module (no vermagic in .modinfo)", file);
		goto fail;
	}
	mi->release = xstrdup(vermagic);
	mi->release[strcspn(mi->release, " ")] = '\0';
	/* modpost records name=KBUILD_MODNAME; older builds may lack it. */
	name = modinfo_get(mi, "name");
	mi->name = module_name_of(name && *name ? name : file);
	parse_kpatch_keys(mi);
	return 0;
fail:
	modinfo_close(mi);
	return -1;
}

void modinfo_close(struct modinfo *mi)
{
	size_t i;

	for (i = 0; i < mi->nr_funcs; i++) {
		free(mi->funcs[i].name);
		free(mi->funcs[i].objname);
	}
	free(mi->funcs);
	free(mi->name);
	free(mi->release);
	if (mi->info)
		kmod_module_info_free_list(mi->info);
	if (mi->mod)
		kmod_module_unref(mi->mod);
	if (mi->elf)
		elf_end(mi->elf);
	free(mi->image);
	if (mi->fd >= 0)
		close(mi->fd);
	memset(mi, 0, sizeof(*mi));
	mi->fd = -1;
}

/* Whether the module is a kpatch patch module at all, and of which ABI. */
int require_patch_module(const struct modinfo *mi)
{
	if (!mi->abi_str) {
		error("%s is a kernel module but not a kpatch patch module (no %s in its .modinfo)",
		       mi->file, KPATCH_MODINFO_ABI);
		return -1;
	}
	if (mi->abi < 0) {
		error("%s has an invalid %s '%s'", mi->file, KPATCH_MODINFO_ABI,
		       mi->abi_str);
		return -1;
	}
	return 0;
}

/*
 * The string a relocation points at: symbol value plus addend inside the
 * symbol's section, usually the section symbol of .kpatch.strings.
 */
static char *reloc_string(Elf *elf, Elf_Data *symtab, const GElf_Rela *rela)
{
	Elf_Data *data;
	Elf_Scn *scn;
	GElf_Sym sym;
	size_t pos;
	const char *s;

	if (!gelf_getsym(symtab, GELF_R_SYM(rela->r_info), &sym) ||
	    sym.st_shndx == SHN_UNDEF || sym.st_shndx >= SHN_LORESERVE)
		return NULL;
	scn = elf_getscn(elf, sym.st_shndx);
	data = scn ? section_data(scn) : NULL;
	if (!data)
		return NULL;
	pos = sym.st_value + rela->r_addend;
	if (pos >= data->d_size)
		return NULL;
	s = (const char *)data->d_buf + pos;
	if (!memchr(s, '\0', data->d_size - pos))
		return NULL;
	return xstrdup(s);
}

/*
 * Fill mi->funcs from .kpatch.funcs.  In the module file the name and
 * objname slots are still zero: their values are the R_X86_64_64
 * relocations of .rela.kpatch.funcs, resolved here to the strings.
 */
int read_patch_funcs(struct modinfo *mi)
{
	const size_t fsize = sizeof(struct kpatch_func);
	size_t index, i, n, nrela;
	Elf_Data *data, *rdata, *symtab;
	Elf_Scn *scn, *rscn = NULL;
	GElf_Shdr rsh;

	scn = find_section(mi->elf, KPATCH_FUNCS_SECTION, &index);
	if (!scn)
		return 0;
	data = section_data(scn);
	if (!data || data->d_size % fsize) {
		error("%s is corrupt: %s is not an array of struct kpatch_func",
		       mi->file, KPATCH_FUNCS_SECTION);
		return -1;
	}
	n = data->d_size / fsize;
	while ((rscn = elf_nextscn(mi->elf, rscn))) {
		if (gelf_getshdr(rscn, &rsh) && rsh.sh_type == SHT_RELA &&
		    rsh.sh_info == index)
			break;
	}
	rdata = rscn ? section_data(rscn) : NULL;
	symtab = rscn ? section_data(elf_getscn(mi->elf, rsh.sh_link)) : NULL;
	if (n && (!rdata || !symtab)) {
		error("%s is corrupt: %s has no relocations", mi->file,
		       KPATCH_FUNCS_SECTION);
		return -1;
	}

	mi->funcs = xmalloc(n * sizeof(*mi->funcs));
	memset(mi->funcs, 0, n * sizeof(*mi->funcs));
	mi->nr_funcs = n;
	for (i = 0; i < n; i++) {
		struct kpatch_func f;

		memcpy(&f, (char *)data->d_buf + i * fsize, fsize);
		mi->funcs[i].sympos = f.sympos;
	}

	nrela = n ? rsh.sh_size / rsh.sh_entsize : 0;
	for (i = 0; i < nrela; i++) {
		size_t slot, field;
		GElf_Rela rela;
		char **dest;

		if (!gelf_getrela(rdata, i, &rela))
			break;
		slot = rela.r_offset / fsize;
		field = rela.r_offset % fsize;
		if (slot >= n)
			continue;
		if (field == offsetof(struct kpatch_func, name))
			dest = &mi->funcs[slot].name;
		else if (field == offsetof(struct kpatch_func, objname))
			dest = &mi->funcs[slot].objname;
		else
			continue;
		if (GELF_R_TYPE(rela.r_info) != R_X86_64_64 || *dest)
			break;
		*dest = reloc_string(mi->elf, symtab, &rela);
		if (!*dest)
			break;
	}
	for (i = 0; i < n; i++) {
		if (!mi->funcs[i].name || !mi->funcs[i].objname) {
			error("%s is corrupt: entry %zu of %s has no valid name or object name relocation",
			       mi->file, i, KPATCH_FUNCS_SECTION);
			return -1;
		}
	}
	return 0;
}

/* One patched function, as both list and info show it. */
void print_func(const char *name, unsigned int sympos, const char *objname,
		bool obj_loaded)
{
	printf("    %s", name);
	if (sympos)
		printf(",%u", sympos);
	printf(" (%s%s)\n", objname, obj_loaded ? "" : ", not loaded");
}

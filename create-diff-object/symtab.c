// SPDX-License-Identifier: GPL-2.0
/*
 * symtab.c - the running kernel's symbols: read --symtab (ELF, or the
 * output of `readelf -s --wide`) and find each symbol the patch refers to,
 * with its position among same-named symbols (sympos).
 *
 * A file-local symbol is only meaningful together with its file: the
 * object's STT_FILE name and its set of local functions pick the one
 * STT_FILE block of the kernel's symbol table it was linked from.  If two
 * blocks fit equally, that is an error, never a guess.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cdo.h"
#include "symtab.h"

static unsigned long hash_str(const char *s)
{
	unsigned long h = 5381;

	while (*s)
		h = h * 33 + (unsigned char)*s++;
	return h;
}

static void add_ksym(struct ksymtab *ks, size_t *alloc, const char *name,
		     unsigned long addr, unsigned long size, int type, int bind,
		     bool defined, int *file)
{
	struct ksym *k;

	if (type == STT_FILE) {
		ks->files = xrealloc(ks->files, (ks->nr_files + 1) * sizeof(char *));
		ks->files[ks->nr_files] = xstrdup(name);
		*file = ks->nr_files++;
		return;
	}
	if (!defined && *name && bind != STB_LOCAL && type != STT_SECTION) {
		/* what the table's own object takes from elsewhere */
		ks->undef = xrealloc(ks->undef, (ks->nr_undef + 1) * sizeof(char *));
		ks->undef[ks->nr_undef++] = xstrdup(name);
		return;
	}
	if (!defined || type == STT_SECTION || !*name)
		return;
	if (ks->nr_syms == *alloc) {
		*alloc = *alloc ? *alloc * 2 : 1024;
		ks->syms = xrealloc(ks->syms, *alloc * sizeof(*k));
	}
	k = &ks->syms[ks->nr_syms++];
	memset(k, 0, sizeof(*k));
	k->name = xstrdup(name);
	k->addr = addr;
	k->size = size;
	k->type = type;
	k->bind = bind;
	k->file = bind == STB_LOCAL ? *file : -1;
}

static int read_elf_symtab(struct ksymtab *ks, const char *path, Elf *e)
{
	Elf_Scn *scn = NULL;
	size_t alloc = 0, i;
	int file = -1, ret = -1;

	if (!e) {
		error("%s: %s", path, elf_errmsg(-1));
		return -1;
	}
	while ((scn = elf_nextscn(e, scn))) {
		GElf_Shdr sh;
		Elf_Data *data;

		if (!gelf_getshdr(scn, &sh) || sh.sh_type != SHT_SYMTAB)
			continue;
		data = elf_getdata(scn, NULL);
		if (!data || !sh.sh_entsize)
			break;
		for (i = 0; i < sh.sh_size / sh.sh_entsize; i++) {
			GElf_Sym s;
			const char *name;

			if (!gelf_getsym(data, i, &s))
				break;
			name = elf_strptr(e, sh.sh_link, s.st_name);
			if (!name)
				continue;
			add_ksym(ks, &alloc, name, s.st_value, s.st_size,
				 GELF_ST_TYPE(s.st_info), GELF_ST_BIND(s.st_info),
				 s.st_shndx != SHN_UNDEF, &file);
		}
		ret = 0;
		break;
	}
	if (ret)
		error("%s: no symbol table", path);
	return ret;
}

static int parse_type(const char *s)
{
	static const char * const types[] = {
		"NOTYPE", "OBJECT", "FUNC", "SECTION", "FILE", "COMMON", "TLS",
	};
	int i;

	for (i = 0; i < 7; i++)
		if (!strcmp(s, types[i]))
			return i;
	return -1;
}

/* One "   Num:    Value          Size Type    Bind   Vis      Ndx Name" line. */
static int read_text_symtab(struct ksymtab *ks, const char *path, char *text)
{
	size_t alloc = 0;
	int file = -1, seen_table = 0;
	char *line, *save = NULL;

	for (line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char type[16], bind[16], vis[16], ndx[16];
		unsigned long num, addr, size;
		int n = 0, t;
		char *name;

		if (!strncmp(line, "Symbol table", 12)) {
			if (seen_table++)
				break;	/* only the first table (.symtab) */
			continue;
		}
		if (sscanf(line, " %lu: %lx %li %15s %15s %15s %15s %n",
			   &num, &addr, &size, type, bind, vis, ndx, &n) < 7 || !n)
			continue;
		t = parse_type(type);
		if (t < 0)
			continue;
		name = line + n;
		name[strcspn(name, " \t\r")] = 0;
		add_ksym(ks, &alloc, name, addr, size, t,
			 !strcmp(bind, "LOCAL") ? STB_LOCAL :
			 !strcmp(bind, "WEAK") ? STB_WEAK : STB_GLOBAL,
			 strcmp(ndx, "UND") != 0, &file);
	}
	if (!seen_table) {
		error("%s: neither an ELF file nor the output of 'readelf -s --wide'", path);
		return -1;
	}
	return 0;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char * const *)a, *(char * const *)b);
}

static int cmp_by_addr(const void *a, const void *b)
{
	const struct ksym *x = *(struct ksym * const *)a, *y = *(struct ksym * const *)b;

	if (x->addr != y->addr)
		return x->addr < y->addr ? -1 : 1;
	return x < y ? -1 : x > y;
}

static struct ksymtab *finish(struct ksymtab *ks, int ret, bool by_address);

/* vmlinux is big: map it rather than read it. */
struct ksymtab *ksymtab_read(const char *path, bool by_address)
{
	struct ksymtab *ks;
	unsigned char magic[4] = { 0 }, *buf;
	size_t len;
	int fd, ret;
	Elf *e;

	fd = open(path, O_RDONLY);
	if (fd < 0) {
		error("cannot open %s: %s", path, strerror(errno));
		return NULL;
	}
	if (read(fd, magic, 4) == 4 && !memcmp(magic, "\177ELF", 4)) {
		ks = xcalloc(1, sizeof(*ks));
		elf_version(EV_CURRENT);
		e = elf_begin(fd, ELF_C_READ_MMAP, NULL);
		ret = read_elf_symtab(ks, path, e);
		if (e)
			elf_end(e);
		close(fd);
		return finish(ks, ret, by_address);
	}
	close(fd);
	buf = read_whole_file(path, &len);
	if (!buf)
		return NULL;
	ks = ksymtab_read_mem(path, buf, len, by_address);
	free(buf);
	return ks;
}

struct ksymtab *ksymtab_read_mem(const char *path, const unsigned char *buf,
				 size_t len, bool by_address)
{
	struct ksymtab *ks = xcalloc(1, sizeof(*ks));
	int ret;

	if (len >= 4 && !memcmp(buf, "\177ELF", 4)) {
		/* libelf may write to its image: give it a copy */
		unsigned char *copy = xmalloc(len);
		Elf *e;

		memcpy(copy, buf, len);
		elf_version(EV_CURRENT);
		e = elf_memory((char *)copy, len);
		ret = read_elf_symtab(ks, path, e);
		if (e)
			elf_end(e);
		free(copy);
	} else {
		char *text = xmalloc(len + 1);

		memcpy(text, buf, len);
		text[len] = 0;
		ret = read_text_symtab(ks, path, text);
		ks->text = true;
		free(text);
	}
	return finish(ks, ret, by_address);
}

static struct ksymtab *finish(struct ksymtab *ks, int ret, bool by_address)
{
	struct ksym **order;
	size_t i;

	if (ret) {
		ksymtab_free(ks);
		return NULL;
	}
	if (ks->nr_undef)
		qsort(ks->undef, ks->nr_undef, sizeof(char *), cmp_str);
	/* kallsyms order: by address for vmlinux, table order for a module */
	order = xcalloc(ks->nr_syms + 1, sizeof(*order));
	for (i = 0; i < ks->nr_syms; i++)
		order[i] = &ks->syms[i];
	if (by_address)
		qsort(order, ks->nr_syms, sizeof(*order), cmp_by_addr);
	for (i = 0; i < ks->nr_syms; i++)
		order[i]->order = i;
	free(order);
	ks->hash_size = ks->nr_syms | 1;
	ks->hash = xcalloc(ks->hash_size, sizeof(*ks->hash));
	for (i = ks->nr_syms; i-- > 0;) {
		unsigned long h = hash_str(ks->syms[i].name) % ks->hash_size;

		ks->syms[i].hash_next = ks->hash[h];
		ks->hash[h] = &ks->syms[i];
	}
	return ks;
}

void ksymtab_free(struct ksymtab *ks)
{
	size_t i;

	if (!ks)
		return;
	for (i = 0; i < ks->nr_syms; i++)
		free(ks->syms[i].name);
	for (i = 0; i < ks->nr_files; i++)
		free(ks->files[i]);
	for (i = 0; i < ks->nr_undef; i++)
		free(ks->undef[i]);
	for (i = 0; i < ks->nr_blocks; i++)
		free(ks->blocks[i].name);
	free(ks->blocks);
	free(ks->undef);
	free(ks->syms);
	free(ks->files);
	free(ks->hash);
	free(ks);
}

static struct ksym *first_named(struct ksymtab *ks, const char *name);

static bool has_global(struct ksymtab *ks, const char *name)
{
	struct ksym *k;

	for (k = first_named(ks, name); k; k = k->hash_next)
		if (!strcmp(k->name, name) && k->bind != STB_LOCAL)
			return true;
	return false;
}

bool ksymtab_has_global(struct ksymtab *ks, const char *name)
{
	return has_global(ks, name);
}

bool ksymtab_undefined(struct ksymtab *ks, const char *name)
{
	if (!ks->nr_undef || has_global(ks, name))
		return false;
	/* an object's readelf text: whatever it does not define */
	return ks->text || bsearch(&name, ks->undef, ks->nr_undef, sizeof(char *),
				   cmp_str);
}

static struct ksym *first_named(struct ksymtab *ks, const char *name)
{
	struct ksym *k;

	for (k = ks->hash[hash_str(name) % ks->hash_size]; k; k = k->hash_next)
		if (!strcmp(k->name, name))
			return k;
	return NULL;
}

static struct ksym *next_named(struct ksym *k)
{
	const char *name = k->name;

	for (k = k->hash_next; k; k = k->hash_next)
		if (!strcmp(k->name, name))
			return k;
	return NULL;
}

static const char *base_name(const char *path)
{
	const char *s = strrchr(path, '/');

	return s ? s + 1 : path;
}

/*
 * Whether a local function of the object must also be local in its block.
 * Not a function's __pfx_ padding (correlate's find_parents): objtool
 * --prefix names it in the object kpatch-build ran objtool on, but in the
 * kernel's image objtool added those symbols to vmlinux.o (or the linked
 * module) after every file's block.
 */
static bool is_fingerprint(const struct symbol *sym)
{
	return sym->bind == STB_LOCAL && is_func(sym) && sym->sec &&
	       (sym->sec->sh.sh_flags & SHF_ALLOC) &&
	       !(sym->parent && sym->parent->prefix == sym);
}

/*
 * The STT_FILE symbol whose block holds sym: an object linked from several
 * files (ld -r) has one block of locals per file, each after its STT_FILE.
 */
static size_t file_symbol_of(struct elf *elf, struct symbol *sym)
{
	size_t i;

	for (i = sym->index; i > 0; i--)
		if (elf->syms[i].type == STT_FILE)
			return i;
	for (i = 1; i < elf->nr_syms; i++)	/* locals before any STT_FILE */
		if (elf->syms[i].type == STT_FILE)
			return i;
	return 0;
}

/*
 * Pick the STT_FILE block of the kernel's symtab that the object's file
 * block starting at symbol fsym was linked from.
 */
static int find_object_file(struct ksymtab *ks, struct elf *elf, size_t fsym)
{
	const char *file = elf->syms[fsym].name;
	size_t i, f, need = 0, end;
	int best = -1, nr_best = 0, nr_named = 0, named = -1;
	size_t *score;

	for (end = fsym + 1; end < elf->nr_syms && elf->syms[end].type != STT_FILE; end++)
		if (is_fingerprint(&elf->syms[end]))
			need++;
	score = xcalloc(ks->nr_files + 1, sizeof(*score));
	for (i = fsym + 1; i < end; i++) {
		struct ksym *k;

		if (!is_fingerprint(&elf->syms[i]))
			continue;
		for (k = first_named(ks, elf->syms[i].name); k; k = next_named(k))
			if (k->file >= 0 && !strcmp(base_name(ks->files[k->file]), base_name(file)))
				score[k->file]++;
	}
	for (f = 0; f < ks->nr_files; f++) {
		if (strcmp(base_name(ks->files[f]), base_name(file)))
			continue;
		nr_named++;
		named = f;
		if (score[f] == need) {
			nr_best++;
			best = f;
		}
	}
	free(score);
	if (nr_best == 1)
		return best;
	if (nr_best > 1) {
		error("%s: %d files named %s in the kernel's symbol table have all of "
		      "its %zu local functions; cannot tell which one it is (no guess "
		      "is made): patch a function that is not static, or make the "
		      "static function's name unique", elf->path, nr_best, file, need);
		return -1;
	}
	if (nr_named == 1)
		return named;	/* the only file of that name; lookups verify */
	error("%s: no file named %s in the kernel's symbol table has all of its "
	      "%zu local functions (%d files of that name): was the kernel built "
	      "from this source and configuration?", elf->path, file, need, nr_named);
	return -1;
}

/* The kernel's block for the object's file that defines sym, or -1. */
static int block_of(struct ksymtab *ks, struct elf *elf, struct symbol *sym)
{
	size_t fsym = file_symbol_of(elf, sym), i;
	const char *name;

	if (!fsym) {
		error("%s has no STT_FILE symbol: cannot tell which of the kernel's "
		      "files it is, so its local symbols cannot be located", elf->path);
		return -1;
	}
	name = elf->syms[fsym].name;
	for (i = 0; i < ks->nr_blocks; i++)
		if (!strcmp(ks->blocks[i].name, name))
			return ks->blocks[i].file;
	ks->blocks = xrealloc(ks->blocks, (ks->nr_blocks + 1) * sizeof(*ks->blocks));
	ks->blocks[ks->nr_blocks].name = xstrdup(name);
	ks->blocks[ks->nr_blocks].file = find_object_file(ks, elf, fsym);
	return ks->blocks[ks->nr_blocks++].file;
}

struct ksym *ksymtab_lookup(struct ksymtab *ks, struct elf *elf,
			    struct symbol *sym, unsigned int *sympos)
{
	struct ksym *k, *found = NULL;
	unsigned int count = 0, pos = 0;
	bool local = sym->bind == STB_LOCAL && sym->sec;
	int block = local ? block_of(ks, elf, sym) : -1;

	if (local && block < 0)
		return NULL;
	for (k = first_named(ks, sym->name); k; k = next_named(k)) {
		count++;
		if (local ? k->file == block : k->bind != STB_LOCAL) {
			if (found) {
				error("%s: symbol %s is defined twice in %s of the kernel's "
				      "symbol table", elf->path, sym->name,
				      local ? ks->files[k->file] : "the global symbols");
				return NULL;
			}
			found = k;
		}
	}
	if (!found) {
		error("%s: symbol %s (%s) is not in the kernel's symbol table%s%s: it "
		      "may have been inlined, renamed or optimized away in the running "
		      "kernel; change the patch so that it does not refer to it",
		      elf->path, sym->name, local ? "file-local" : "global",
		      local ? " in " : "", local ? ks->files[block] : "");
		return NULL;
	}
	if (count > 1)
		for (k = first_named(ks, sym->name); k; k = next_named(k))
			if (k->order <= found->order)
				pos++;
	*sympos = count > 1 ? pos : 0;
	return found;
}

struct symvers {
	char **names, **modules;
	size_t nr, hash_size;
	size_t *hash;	/* index + 1, open addressing */
};

struct symvers *symvers_read(const char *path)
{
	struct symvers *sv = xcalloc(1, sizeof(*sv));
	char *text, *line, *save = NULL;
	size_t len, alloc = 0, i;

	text = (char *)read_whole_file(path, &len);
	if (!text) {
		free(sv);
		return NULL;
	}
	text = xrealloc(text, len + 1);
	text[len] = 0;
	for (line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char *f[3];
		int n;

		/* crc <tab> symbol <tab> module <tab> export type [<tab> namespace] */
		for (n = 0; n < 3 && line; n++)
			f[n] = strsep(&line, "\t");
		if (n < 3 || !line || !*f[1])
			continue;
		if (sv->nr == alloc) {
			alloc = alloc ? alloc * 2 : 256;
			sv->names = xrealloc(sv->names, alloc * sizeof(char *));
			sv->modules = xrealloc(sv->modules, alloc * sizeof(char *));
		}
		sv->names[sv->nr] = xstrdup(f[1]);
		sv->modules[sv->nr++] = xstrdup(f[2]);
	}
	free(text);
	sv->hash_size = sv->nr * 2 + 1;
	sv->hash = xcalloc(sv->hash_size, sizeof(size_t));
	for (i = 0; i < sv->nr; i++) {
		size_t h = hash_str(sv->names[i]) % sv->hash_size;

		while (sv->hash[h])
			h = (h + 1) % sv->hash_size;
		sv->hash[h] = i + 1;
	}
	return sv;
}

const char *symvers_module(struct symvers *sv, const char *name)
{
	size_t h = hash_str(name) % sv->hash_size;

	for (; sv->hash[h]; h = (h + 1) % sv->hash_size)
		if (!strcmp(sv->names[sv->hash[h] - 1], name))
			return sv->modules[sv->hash[h] - 1];
	return NULL;
}

void symvers_free(struct symvers *sv)
{
	size_t i;

	if (!sv)
		return;
	for (i = 0; i < sv->nr; i++) {
		free(sv->names[i]);
		free(sv->modules[i]);
	}
	free(sv->names);
	free(sv->modules);
	free(sv->hash);
	free(sv);
}

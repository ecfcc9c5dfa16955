// SPDX-License-Identifier: GPL-2.0
/*
 * create-diff-object - compare an object file built from the original and
 * from the patched kernel source, and write the patch object that the
 * patch-module template links into a patch module.  See
 * create-diff-object(1) and README.md.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cdo.h"
#include "layout.h"
#include "special.h"
#include "symtab.h"

#include "kpatch-abi.h"

static void usage(FILE *f)
{
	fprintf(f,
"usage: create-diff-object [options] ORIG.o PATCHED.o -o OUTPUT.o\n"
"       create-diff-object --klp-convert MODULE.ko\n"
"  --symtab FILE        the running kernel's symbol table: vmlinux or the\n"
"                       module (.ko), or the text of 'readelf -s --wide'\n"
"  --symvers FILE       the kernel's Module.symvers (/dev/null allowed)\n"
"  --object NAME        vmlinux, or the module the object is linked into\n"
"  --name NAME          the patch's name (for messages)\n"
"  --layout FILE        the kernel's special-section layout (NAME=VALUE\n"
"                       lines: entry sizes and field offsets), as\n"
"                       kpatch-build's probe writes it\n"
"  --struct-size VAR=N  one value of the layout (e.g. JUMP_STRUCT_SIZE=16);\n"
"                       without either, environment variables of the\n"
"                       same names are used\n"
"  --klp                the target kernel has CONFIG_LIVEPATCH (5.8+): jump\n"
"                       label keys that are not exported become livepatch\n"
"                       relocations (finish the module with --klp-convert)\n"
"  --klp-convert KO     rewrite a linked patch module's references to\n"
"                       .klp.sym.* symbols as livepatch relocations\n"
"  --debug              explain every decision\n"
"Exit status: 0 written, 1 error, 2 refused, 3 nothing to patch.\n");
}

static const char *base_name(const char *path)
{
	const char *s = strrchr(path, '/');

	return s ? s + 1 : path;
}

static int parse_args(int argc, char **argv, struct options *o)
{
	static const struct option longopts[] = {
		{ "symtab", required_argument, NULL, 's' },
		{ "symvers", required_argument, NULL, 'v' },
		{ "object", required_argument, NULL, 'O' },
		{ "name", required_argument, NULL, 'n' },
		{ "struct-size", required_argument, NULL, 'z' },
		{ "layout", required_argument, NULL, 'l' },
		{ "output", required_argument, NULL, 'o' },
		{ "klp", no_argument, NULL, 'k' },
		{ "klp-convert", required_argument, NULL, 'K' },
		{ "debug", no_argument, NULL, 'd' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	while ((c = getopt_long(argc, argv, "o:dh", longopts, NULL)) != -1) {
		switch (c) {
		case 's': o->symtab = optarg; break;
		case 'v': o->symvers = optarg; break;
		case 'O': o->object = optarg; break;
		case 'n': o->name = optarg; break;
		case 'o': o->output = optarg; break;
		case 'd': o->debug = true; break;
		case 'k': o->klp = true; break;
		case 'K': o->klp_convert = optarg; break;
		case 'z':
			if (!strchr(optarg, '=') || !layout_set(optarg, "--struct-size"))
				return -1;
			break;
		case 'l':
			if (!layout_read(optarg))
				return -1;
			break;
		case 'h':
			usage(stdout);
			exit(0);
		default:
			usage(stderr);
			return -1;
		}
	}
	if (o->klp_convert) {
		if (argc != optind) {
			usage(stderr);
			return -1;
		}
		return 0;
	}
	if (argc - optind != 2 || !o->output) {
		usage(stderr);
		return -1;
	}
	o->orig = argv[optind];
	o->patched = argv[optind + 1];
	if (!o->symtab || !o->symvers || !o->object) {
		error("--symtab, --symvers and --object are required (use --symvers "
		      "/dev/null for a kernel without exports)");
		return -1;
	}
	return 0;
}

static void cleanup(struct cdo *cdo)
{
	special_free();
	elf_free(cdo->orig);
	elf_free(cdo->patched);
	ksymtab_free(cdo->ksyms);
	symvers_free(cdo->symvers);
	layout_reset();
}

/* Print what the patch replaces; the count of functions and callbacks. */
static int report(struct cdo *cdo)
{
	struct elf *elf = cdo->patched;
	size_t i;
	int n = 0;

	for (i = 1; i < elf->nr_syms; i++) {
		struct symbol *p = &elf->syms[i];

		if (!is_func(p) || !p->include || p->parent)
			continue;
		n++;
		if (p->status == CHANGED)
			printf("%s: changed function: %s\n", cdo->objfile, p->name);
		else if (p->status == NEW)
			printf("%s: new function: %s\n", cdo->objfile, p->name);
	}
	return n;
}

int main(int argc, char **argv)
{
	struct cdo cdo = { 0 };
	int ret = EXIT_ERROR;

	if (parse_args(argc, argv, &cdo.opts))
		return EXIT_ERROR;
	debug_enabled = cdo.opts.debug;
	if (cdo.opts.klp_convert)
		return klp_convert(cdo.opts.klp_convert) ? EXIT_ERROR : 0;
	cdo.objfile = base_name(cdo.opts.patched);
	cdo.orig = elf_read_file(cdo.opts.orig);
	cdo.patched = cdo.orig ? elf_read_file(cdo.opts.patched) : NULL;
	if (!cdo.patched)
		goto out;
	cdo.symvers = symvers_read(cdo.opts.symvers);
	cdo.ksyms = cdo.symvers ? ksymtab_read(cdo.opts.symtab,
			!strcmp(cdo.opts.object, KPATCH_VMLINUX)) : NULL;
	if (!cdo.ksyms)
		goto out;

	correlate(cdo.orig, cdo.patched);
	read_markers(&cdo);
	if (!special_init(&cdo))
		goto out;
	compare(&cdo);
	if (cdo.damaged)
		goto out;
	include(&cdo);
	if (cdo.refusals) {
		error("%s%s%s: %d change%s cannot be carried by a live patch (see above)",
		      cdo.opts.name ? cdo.opts.name : "", cdo.opts.name ? ": " : "",
		      cdo.objfile, cdo.refusals, cdo.refusals > 1 ? "s" : "");
		ret = EXIT_REFUSED;
		goto out;
	}
	if (!report(&cdo)) {
		fprintf(stderr, "create-diff-object: %s: no changed functions\n", cdo.objfile);
		ret = EXIT_NO_CHANGE;
		goto out;
	}
	ret = write_output(&cdo, cdo.opts.output) ? EXIT_ERROR : 0;
out:
	cleanup(&cdo);
	return ret;
}

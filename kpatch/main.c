// SPDX-License-Identifier: GPL-2.0
/*
 * kpatch - load, list, replace and remove live patch modules in the
 * running kernel, and install them to be loaded again at boot.
 *
 * main.c: the command table, help texts and argument parsing shared by
 * all commands.  Every command and option here must also be in
 * man/kpatch.1; test/cli/help.bats compares the two.
 */
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kpatch-abi.h"
#include "kpatch.h"

#ifndef VERSION
#error "VERSION must be defined by the Makefile"
#endif

struct usage_line {
	const char *synopsis;
	const char *summary;
};

struct command {
	const char *name;
	int (*run)(int argc, char **argv);
	struct usage_line usage[2];
	const char *help;
	const char *options;
};

static int cmd_version(int argc, char **argv);
static int cmd_help(int argc, char **argv);

static const struct command commands[] = {
	{ "load", cmd_load, {
		{ "load [-w SECONDS] MODULE", "load a patch module (and the core module first)" },
		{ "load --all [--boot]", "load every module installed for the running kernel" } },
	  "MODULE is a module file, or the name of a module installed for the\n"
	  "running kernel or loaded.  Check that it is a kpatch patch module\n"
	  "built for the running kernel (release, ABI version and vmlinux build\n"
	  "ID), load the core module if it is not loaded, then load it.  If the\n"
	  "core refuses the patch, its reason is shown.  A replacing patch says\n"
	  "which patches it replaced.  A patch loaded already from the same\n"
	  "build (build ID) is not an error: disabled, it is enabled again.\n",
	  "  -a, --all    load every module in /var/lib/kpatch/RELEASE/ for the\n"
	  "               running kernel in file name order, then show the\n"
	  "               enabled patches; one failure does not stop the others,\n"
	  "               an installed patch not enabled in the end is a failure\n"
	  "  --boot       with --all, as kpatch.service runs it: load nothing\n"
	  "               under kpatch.enable=0 or when the boot guard\n"
	  "               /var/lib/kpatch/boot-guard is left by another boot\n"
	  "  -w, --wait SECONDS  while a task blocks the switch, try again\n"
	  "               every second for up to SECONDS (default 0)\n" },
	{ "unload", cmd_unload, {
		{ "unload MODULE", "disable a patch and remove its module" },
		{ "unload --all", "unload every loaded patch, newest first" } },
	  "MODULE is a module name or a module file.  The patch is disabled\n"
	  "through the core module's sysfs, then its module is removed.\n",
	  "  -a, --all    unload every loaded patch module, newest first\n" },
	{ "replace", cmd_replace, {
		{ "replace MODULE.ko", "replace every loaded patch with MODULE.ko" } },
	  "Load MODULE.ko, which must be built as a replacing patch: the core\n"
	  "disables every other patch in the same switch.  The modules it\n"
	  "replaced are then removed.\n",
	  NULL },
	{ "list", cmd_list, {
		{ "list", "show loaded and installed patch modules" } },
	  "Show the loaded patch modules, enabled or not, with the functions\n"
	  "each patches, then the modules installed for every kernel release,\n"
	  "each with its release.\n",
	  "  -a, --all    the same (kept for scripts)\n" },
	{ "verify", cmd_verify, {
		{ "verify [MODULE...]", "check that ftrace sends patched calls to the patches" } },
	  "For each function the core calls patched, read where the kernel's\n"
	  "ftrace sends its calls (tracefs' enabled_functions) and say whether\n"
	  "they reach the patch, naming the other users of the function (BPF,\n"
	  "kprobes, tracers, the kernel's livepatch).  Exits 1 when one is not\n"
	  "reached, or not verified (a name several functions share whose\n"
	  "records leave it in doubt).  MODULE is a loaded patch module\n"
	  "(default: every one).  Needs root to read tracefs.\n",
	  NULL },
	{ "info", cmd_info, {
		{ "info [-f FORMAT] MODULE", "show what a patch module file contains" } },
	  "MODULE is a module file, or the name of a module installed for the\n"
	  "running kernel.  Show the module's name, target kernel, ABI version,\n"
	  "whether it replaces other patches, the hash of its source patch, its\n"
	  "signer and the functions it patches, read from the file (.ko, .ko.xz\n"
	  "or .ko.zst) without loading it.\n",
	  "  -f, --format FORMAT  text (the default) or keyvalue: KEY=VALUE\n"
	  "                       lines for scripts (see kpatch(1))\n" },
	{ "install", cmd_install, {
		{ "install [-f] [-k KVER] MODULE.ko", "install a patch module to be loaded at boot" } },
	  "Copy MODULE.ko into /var/lib/kpatch/KVER/ (through a temporary file\n"
	  "and a rename) under a name load --all, list and uninstall find it by,\n"
	  "and enable kpatch.service where systemd runs.  Warns when an installed\n"
	  "patch would not end up enabled at boot (replaced by a replacing patch\n"
	  "loaded after it).\n",
	  "  -k, --kernel-version KVER  the kernel release to install for; it\n"
	  "                             must be the module's (the default)\n"
	  "  -f, --force  replace another installed file of the same module, or\n"
	  "               install for a kernel neither running nor installed\n" },
	{ "uninstall", cmd_uninstall, {
		{ "uninstall [-k KVER] MODULE", "remove an installed patch module" } },
	  "Remove MODULE (a module name or file) from /var/lib/kpatch/KVER/.\n",
	  "  -k, --kernel-version KVER  the kernel release (default: the\n"
	  "                             module file's, else the running one)\n" },
	{ "version", cmd_version, {
		{ "version", "show the version of kpatch and of its patch ABI" } },
	  "Show the version of kpatch and the patch module ABI version it\n"
	  "supports.\n",
	  NULL },
	{ "help", cmd_help, {
		{ "help [COMMAND]", "show this help, or a command's" } },
	  "Show the list of commands, or the help of COMMAND.\n",
	  NULL },
};

#define NR_COMMANDS (sizeof(commands) / sizeof(commands[0]))

static const char general_options[] =
	"Options:\n"
	"  --root DIR                   look for /sys, /proc, /var/lib/kpatch and\n"
	"                               the core module under DIR (for testing)\n"
	"  -h, --help                   show help (also after a command)\n"
	"  -v, --version                the same as 'kpatch version'\n"
	"\n"
	"Command options:\n"
	"  -a, --all                    load, unload: every module\n"
	"  --boot                       load --all: as at boot (kpatch.enable=0,\n"
	"                               the boot guard)\n"
	"  -w, --wait SECONDS           load: retry a switch a task blocks\n"
	"  -k, --kernel-version KVER    install, uninstall: the kernel release\n"
	"  -f, --force                  install: replace another installed file\n"
	"  -f, --format FORMAT          info: text or keyvalue (for scripts)\n"
	"\n"
	"Environment:\n"
	"  KPATCH_ROOT                  the same as --root\n"
	"  KPATCH_CORE_MODULE           the core module file to load instead of\n"
	"                               the one installed for the running kernel\n"
	"\n"
	"Boot with kpatch.enable=0 on the kernel command line to load no patch.\n"
	"\n"
	"Exit status: 0 success, 1 failure, 2 usage error.\n";

static void print_usage(void)
{
	size_t i, j;

	printf("Usage: kpatch [--root DIR] COMMAND [ARGUMENTS]\n"
	       "       kpatch --version\n\n"
	       "Load, list, replace and remove live patch modules in the running\n"
	       "kernel, and install them to be loaded again at boot.\n\n"
	       "Commands:\n");
	for (i = 0; i < NR_COMMANDS; i++) {
		for (j = 0; j < 2 && commands[i].usage[j].synopsis; j++) {
			const struct usage_line *u = &commands[i].usage[j];

			if (strlen(u->synopsis) > 28)
				printf("  %s\n  %-28s %s\n", u->synopsis, "", u->summary);
			else
				printf("  %-28s %s\n", u->synopsis, u->summary);
		}
	}
	printf("\n%s", general_options);
}

static void print_command_help(const struct command *cmd)
{
	size_t j;

	for (j = 0; j < 2 && cmd->usage[j].synopsis; j++)
		printf("%s kpatch %s\n", j ? "      " : "Usage:",
		       cmd->usage[j].synopsis);
	printf("\n%s\nOptions:\n%s  -h, --help   show this help\n", cmd->help,
	       cmd->options ? cmd->options : "");
}

static const struct command *find_command(const char *name)
{
	size_t i;

	for (i = 0; i < NR_COMMANDS; i++)
		if (!strcmp(commands[i].name, name))
			return &commands[i];
	return NULL;
}

int usage_error(const char *cmd, const char *fmt, ...)
{
	va_list ap;

	fflush(stdout);
	fputs("kpatch: ", stderr);
	if (cmd)
		fprintf(stderr, "%s: ", cmd);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	if (cmd)
		fprintf(stderr, " (see 'kpatch help %s')\n", cmd);
	else
		fputs(" (see 'kpatch --help')\n", stderr);
	return EXIT_USAGE;
}

/*
 * getopt_long for a command whose name is argv[0].  --help and usage
 * errors end the program here, so callers see only their own options.
 */
int next_option(int argc, char **argv, const char *shortopts,
		const struct option *longopts)
{
	char *opts = xasprintf(":%s", shortopts);
	int opt;

	opterr = 0;
	opt = getopt_long(argc, argv, opts, longopts, NULL);
	free(opts);
	switch (opt) {
	case 'h':
		print_command_help(find_command(argv[0]));
		exit(EXIT_OK);
	case '?':
		if (optopt)
			exit(usage_error(argv[0], "unknown option '-%c'", optopt));
		exit(usage_error(argv[0], "unknown option '%s'", argv[optind - 1]));
	case ':':
		exit(usage_error(argv[0], "option '%s' needs an argument",
				 argv[optind - 1]));
	}
	return opt;
}

int require_root(const char *cmd)
{
	if (geteuid() == 0)
		return 0;
	error("'kpatch %s' must be run as root", cmd);
	return -1;
}

static int no_arguments(int argc, char **argv)
{
	static const struct option options[] = {
		{ "help", no_argument, NULL, 'h' },
		{ }
	};

	while (next_option(argc, argv, "h", options) != -1)
		;
	if (optind != argc)
		return usage_error(argv[0], "unexpected argument '%s'", argv[optind]);
	return 0;
}

static void print_version(void)
{
	printf("kpatch %s (patch module ABI version %d)\n", VERSION,
	       KPATCH_ABI_VERSION);
}

static int cmd_version(int argc, char **argv)
{
	int ret = no_arguments(argc, argv);

	if (ret)
		return ret;
	print_version();
	return EXIT_OK;
}

static int cmd_help(int argc, char **argv)
{
	static const struct option options[] = {
		{ "help", no_argument, NULL, 'h' },
		{ }
	};
	const struct command *cmd;

	while (next_option(argc, argv, "h", options) != -1)
		;
	if (optind == argc) {
		print_usage();
		return EXIT_OK;
	}
	if (optind != argc - 1)
		return usage_error("help", "too many arguments");
	cmd = find_command(argv[optind]);
	if (!cmd)
		return usage_error(NULL, "unknown command '%s'", argv[optind]);
	print_command_help(cmd);
	return EXIT_OK;
}

int main(int argc, char **argv)
{
	static const struct option options[] = {
		{ "root", required_argument, NULL, 'r' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'v' },
		{ }
	};
	const char *root = NULL;
	const struct command *cmd;
	int opt;

	opterr = 0;
	/* "+": options after the command are the command's. */
	while ((opt = getopt_long(argc, argv, "+:hv", options, NULL)) != -1) {
		switch (opt) {
		case 'r':
			root = optarg;
			break;
		case 'h':
			print_usage();
			return EXIT_OK;
		case 'v':
			print_version();
			return EXIT_OK;
		case ':':
			return usage_error(NULL, "option '%s' needs an argument",
					   argv[optind - 1]);
		default:
			if (optopt)
				return usage_error(NULL, "unknown option '-%c'", optopt);
			return usage_error(NULL, "unknown option '%s'", argv[optind - 1]);
		}
	}
	if (optind == argc)
		return usage_error(NULL, "no command given");
	cmd = find_command(argv[optind]);
	if (!cmd)
		return usage_error(NULL, "unknown command '%s'", argv[optind]);
	paths_init(root);
	argc -= optind;
	argv += optind;
	/* 0 makes getopt start afresh on the command's arguments. */
	optind = 0;
	return cmd->run(argc, argv);
}

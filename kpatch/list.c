// SPDX-License-Identifier: GPL-2.0
/*
 * list.c - what is loaded and installed (list), and what a patch module
 * file contains (info).  Neither changes anything, so neither needs root.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kpatch-abi.h"
#include "kpatch.h"

/*
 * The loaded patches, as the core describes them.  Once ftrace has shut
 * itself down none of them is live, whatever the core was asked: each
 * enabled one says so, and the command fails (false).
 */
static bool list_loaded(void)
{
	static const char * const state[] = { "disabled", "enabled" };
	bool dead = ftrace_dead();
	char **names;
	size_t n, i;

	printf("Loaded patch modules:\n");
	if (dead)
		printf("(ftrace has shut itself down after an internal error, see the kernel log: no patch is live until reboot)\n");
	if (registered_patches(&names, &n))
		return !dead;
	for (i = 0; i < n; i++) {
		int enabled = patch_enabled(names[i]);
		int mod = module_state(names[i]);

		printf("%s [%s", names[i], enabled < 0 ? "unknown" : state[enabled]);
		if (enabled == 1 && dead)
			printf(", NOT live: ftrace is dead");
		/* A patch module still in its init, or being removed, says so. */
		if (mod == KMOD_MODULE_COMING || mod == KMOD_MODULE_GOING)
			printf(", module %s", kmod_module_initstate_str(mod));
		printf("]\n");
		print_patch_funcs(names[i]);
	}
	free_strv(names, n);
	return !dead;
}

static int list_installed_for(const char *release)
{
	char **files;
	size_t n, i;

	if (installed_modules(release, &files, &n))
		return -1;
	for (i = 0; i < n; i++) {
		char *name = module_name_of(files[i]);

		printf("%s (%s)\n", name, release);
		free(name);
	}
	free_strv(files, n);
	return 0;
}

/*
 * The modules installed for every kernel release, each with its release:
 * a patch for the kernel about to be booted is as much the
 * administrator's concern as one for the running kernel.
 */
static int list_installed(void)
{
	char *dir, **releases;
	size_t n, i;
	int ret = 0;

	printf("\nInstalled patch modules:\n");
	dir = sys_path("/var/lib/kpatch");
	if (list_dir(dir, true, &releases, &n)) {
		error("cannot read %s: %s", dir, strerror(errno));
		free(dir);
		return -1;
	}
	for (i = 0; i < n; i++)
		if (list_installed_for(releases[i]))
			ret = -1;
	free_strv(releases, n);
	free(dir);
	return ret;
}

/* A boot guard left by a boot that never confirmed its patches. */
static void list_boot_guard(void)
{
	char *left = boot_guard_left(), *path = boot_guard_path();

	if (left)
		printf("\nBoot guard: the boot %s began loading live patches and never confirmed them; no boot loads any until 'rm %s'\n",
		       left, path);
	free(path);
	free(left);
}

int cmd_list(int argc, char **argv)
{
	static const struct option options[] = {
		{ "all", no_argument, NULL, 'a' },
		{ "help", no_argument, NULL, 'h' },
		{ }
	};
	int ret;

	while (next_option(argc, argv, "ah", options) != -1)
		;
	if (optind != argc)
		return usage_error("list", "unexpected argument '%s'", argv[optind]);
	ret = list_loaded() ? EXIT_OK : EXIT_FAIL;
	if (list_installed())
		ret = EXIT_FAIL;
	list_boot_guard();
	return ret;
}

/*
 * The machine-readable form, for scripts (kpatch-package, kpatch-build):
 * one KEY=VALUE line each, the value running to the end of the line; keys
 * with no value are left out; one func=NAME,SYMPOS,OBJECT line per function.
 */
static void print_keyvalue(const struct modinfo *mi)
{
	size_t i;

	printf("file=%s\nname=%s\n", mi->file, mi->name);
	if (mi->patch_name)
		printf("patch_name=%s\n", mi->patch_name);
	printf("kernel=%s\nabi=%ld\nreplace=%s\n", mi->release, mi->abi,
	       mi->replace ? "yes" : "no");
	if (mi->patch_sha256)
		printf("patch_sha256=%s\n", mi->patch_sha256);
	if (mi->build_id)
		printf("build_id=%s\n", mi->build_id);
	printf("signed=%s\n", mi->is_signed ? "yes" : "no");
	if (mi->signer && *mi->signer)
		printf("signer=%s\n", mi->signer);
	if (mi->abi == KPATCH_ABI_VERSION) {
		printf("functions=%zu\n", mi->nr_funcs);
		for (i = 0; i < mi->nr_funcs; i++)
			printf("func=%s,%u,%s\n", mi->funcs[i].name,
			       mi->funcs[i].sympos, mi->funcs[i].objname);
	}
}

static void print_text(const struct modinfo *mi)
{
	size_t i;

	printf("file:         %s\n", mi->file);
	printf("name:         %s\n", mi->name);
	if (mi->patch_name)
		printf("patch name:   %s\n", mi->patch_name);
	printf("kernel:       %s\n", mi->release);
	printf("ABI version:  %ld\n", mi->abi);
	printf("replaces:     %s\n", mi->replace ? "yes (all other patches)" : "no");
	printf("patch sha256: %s\n", mi->patch_sha256 ? mi->patch_sha256 : "unknown");
	printf("build ID:     %s\n", mi->build_id ? mi->build_id : "unknown");
	if (mi->is_signed)
		printf("signed by:    %s\n", mi->signer && *mi->signer ?
		       mi->signer : "unknown signer");
	if (mi->abi != KPATCH_ABI_VERSION) {
		printf("functions:    unknown (ABI version %ld; this kpatch reads version %d)\n",
		       mi->abi, KPATCH_ABI_VERSION);
	} else {
		printf("functions:    %zu\n", mi->nr_funcs);
		for (i = 0; i < mi->nr_funcs; i++)
			print_func(mi->funcs[i].name, mi->funcs[i].sympos,
				   mi->funcs[i].objname, true);
	}
}

/*
 * The file a MODULE argument stands for: a module file, or the name of a
 * module installed for the running kernel, as upstream kpatch takes it
 * (a word spelt as neither a path nor a module file name).
 */
static char *module_file_of(const char *arg)
{
	char *release, *name, *file;

	if (spelt_as_file(arg))
		return xstrdup(arg);
	release = running_release();
	if (!release)
		return NULL;
	name = module_name_of(arg);
	file = installed_file(release, name);
	if (!file)
		error("%s is neither a module file nor a patch module installed for kernel %s",
		      arg, release);
	free(name);
	free(release);
	return file;
}

int cmd_info(int argc, char **argv)
{
	static const struct option options[] = {
		{ "format", required_argument, NULL, 'f' },
		{ "help", no_argument, NULL, 'h' },
		{ }
	};
	bool keyvalue = false;
	struct modinfo mi;
	int ret = EXIT_FAIL, opt;
	char *file;

	while ((opt = next_option(argc, argv, "f:h", options)) != -1) {
		if (!strcmp(optarg, "keyvalue"))
			keyvalue = true;
		else if (strcmp(optarg, "text"))
			return usage_error("info", "unknown format '%s': use text or keyvalue",
					   optarg);
	}
	if (optind != argc - 1)
		return usage_error("info", optind == argc ? "no module given" :
				   "too many arguments");
	file = module_file_of(argv[optind]);
	if (!file)
		return EXIT_FAIL;
	if (modinfo_open(file, &mi)) {
		free(file);
		return EXIT_FAIL;
	}
	if (require_patch_module(&mi))
		goto out;
	/* Another ABI may lay .kpatch.funcs out differently: don't guess. */
	if (mi.abi == KPATCH_ABI_VERSION && read_patch_funcs(&mi))
		goto out;
	if (keyvalue)
		print_keyvalue(&mi);
	else
		print_text(&mi);
	ret = EXIT_OK;
out:
	modinfo_close(&mi);
	free(file);
	return ret;
}

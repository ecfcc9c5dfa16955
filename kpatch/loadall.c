// SPDX-License-Identifier: GPL-2.0
/*
 * loadall.c - 'kpatch load --all': every module installed for the running
 * kernel, in the byte order of their file names (as 'LC_ALL=C ls' lists
 * them), then what ended up enabled.  A replacing patch disables every
 * patch enabled before it, so the order decides what stays enabled; every
 * installed patch that did not end up enabled is a failure.
 *
 * With --boot, as kpatch.service and the initramfs scripts run it, the
 * escape hatch kpatch.enable=0 and the boot guard come first (boot.c).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kpatch.h"

/* The enabled patch that replaces the others, if one does. */
static char *enabled_replacer(char **names, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		char *path = sys_path("/sys/kernel/kpatch/%s/replace", names[i]);
		char *replace = read_text(path);
		bool found = replace && !strcmp(replace, "1") &&
			     patch_enabled(names[i]) == 1;

		free(replace);
		free(path);
		if (found)
			return names[i];
	}
	return NULL;
}

/*
 * Each installed patch that loaded must be enabled now; one that did not
 * load has been reported already.  Then the patches enabled, as the
 * kernel has them.
 */
static int check_enabled(char **files, const bool *loaded, size_t n)
{
	char **names = NULL, **enabled, *replacer, *list;
	size_t nr = 0, nr_enabled = 0, i;
	int ret = 0;

	if (core_loaded() && registered_patches(&names, &nr))
		return -1;
	enabled = xmalloc((nr + 1) * sizeof(*enabled));
	for (i = 0; i < nr; i++)
		if (patch_enabled(names[i]) == 1)
			enabled[nr_enabled++] = names[i];
	replacer = enabled_replacer(names, nr);
	for (i = 0; i < n; i++) {
		char *name = module_name_of(files[i]);

		if (loaded[i] && patch_enabled(name) != 1) {
			if (replacer && strcmp(replacer, name))
				error("%s is installed but not enabled: %s, loaded after it, replaced it; uninstall one of them",
				      name, replacer);
			else
				error("%s is installed but not enabled", name);
			ret = -1;
		}
		free(name);
	}
	if (nr_enabled) {
		list = join_names(enabled, nr_enabled);
		printf("enabled live patches: %s\n", list);
		free(list);
	} else {
		printf("no live patch is enabled\n");
	}
	free(enabled);
	free_strv(names, nr);
	return ret;
}

int load_all(const char *release, bool boot)
{
	char *dir, *file, **files;
	int status = EXIT_OK;
	bool *loaded, guarded = false;
	size_t n, i;

	if (boot && boot_disabled_by_cmdline()) {
		printf("kpatch.enable=0 is on the kernel command line: no live patch is loaded at this boot\n");
		return EXIT_OK;
	}
	if (installed_modules(release, &files, &n))
		return EXIT_FAIL;
	if (!n) {
		printf("no patch module is installed for kernel %s\n", release);
		return EXIT_OK;
	}
	if (boot) {
		if (boot_guard_tripped()) {
			free_strv(files, n);
			return EXIT_FAIL;
		}
		guarded = boot_guard_arm();
	}
	dir = installed_dir(release);
	loaded = xmalloc(n * sizeof(*loaded));
	for (i = 0; i < n; i++) {
		/* One bad patch must not keep the others out at boot. */
		file = xasprintf("%s/%s", dir, files[i]);
		loaded[i] = !load_patch(file, release, 0);
		if (!loaded[i])
			status = EXIT_FAIL;
		free(file);
	}
	if (check_enabled(files, loaded, n))
		status = EXIT_FAIL;
	/* This boot lived through every load: the next may load again. */
	if (guarded)
		boot_guard_clear();
	free(loaded);
	free(dir);
	free_strv(files, n);
	return status;
}

// SPDX-License-Identifier: GPL-2.0
/*
 * boot.c - what 'kpatch load --all --boot' (kpatch.service and the
 * initramfs scripts) checks before loading anything at boot: the escape
 * hatch kpatch.enable=0 on the kernel command line, and the boot guard.
 *
 * The boot guard is a file, /var/lib/kpatch/boot-guard, holding the boot
 * ID of the boot that began loading patches.  It is written (and synced)
 * before the first patch loads, and removed once every installed patch
 * was checked after loading.  A boot that finds it left by another boot
 * knows that boot died or hung while patches loaded, and loads nothing,
 * so that a patch that crashes the kernel costs one boot, not a boot loop.
 * Only an administrator removes a guard left behind (re-arming it).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "kpatch.h"

#define GUARD_FILE	"/var/lib/kpatch/boot-guard"
#define DISABLE_ARG	"kpatch.enable=0"

char *boot_guard_path(void)
{
	return sys_path(GUARD_FILE);
}

/* Whether the kernel command line holds kpatch.enable=0 as a word. */
bool boot_disabled_by_cmdline(void)
{
	char *path = sys_path("/proc/cmdline"), *cmdline = read_text(path);
	const char *p = cmdline;
	size_t len = strlen(DISABLE_ARG);
	bool found = false;

	while (p && *p && !found) {
		size_t word = strcspn(p, " \t\n");

		found = word == len && !strncmp(p, DISABLE_ARG, len);
		p += word;
		p += strspn(p, " \t\n");
	}
	free(cmdline);
	free(path);
	return found;
}

/*
 * This boot's ID: the kernel makes a new random one at every boot.  NULL
 * when it cannot be read; the callers say what that means for the guard.
 */
static char *boot_id(void)
{
	char *path = sys_path("/proc/sys/kernel/random/boot_id");
	char *id = read_text(path);

	if (id && !*id) {
		free(id);
		id = NULL;
	}
	free(path);
	return id;
}

/*
 * The boot ID in a guard left by another boot, or NULL: a guard of this
 * very boot (kpatch.service started again, or the initramfs's copy) does
 * not count.
 */
char *boot_guard_left(void)
{
	char *path = boot_guard_path(), *left = read_text(path), *id;

	free(path);
	if (!left)
		return NULL;
	id = boot_id();
	if (id && !strcmp(left, id)) {
		free(left);
		left = NULL;
	} else if (!*left) {
		free(left);
		left = xstrdup("(unknown)");
	}
	free(id);
	return left;
}

/*
 * Whether a guard left by another boot forbids loading; says why, and how
 * to re-arm it.
 */
bool boot_guard_tripped(void)
{
	char *left = boot_guard_left(), *path = boot_guard_path();
	bool tripped = left;

	if (tripped)
		error("the boot guard %s is set: the boot %s began loading live patches and never confirmed them (it crashed or hung), so no live patch is loaded at this boot; see that boot's log (journalctl -b -1 -u kpatch.service, or the console), uninstall the faulty patch, then re-arm with 'rm %s' (the next boot loads the installed patches again)",
		      path, left, path);
	free(path);
	free(left);
	return tripped;
}

/*
 * Set the guard before loading: written and synced, file and directory,
 * so that a crash a moment later still finds it.  A guard that cannot be
 * written is warned about; the patches load unguarded, as they would
 * without it.  Whether it was set.
 */
bool boot_guard_arm(void)
{
	char *path = boot_guard_path(), *dir = sys_path("/var/lib/kpatch");
	char *tmp = xasprintf("%s.new", path), *id = boot_id();
	int fd = -1, dfd = -1;
	bool ok = false;

	if (!id)
		goto out;
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0 || dprintf(fd, "%s\n", id) < 0 || fsync(fd) ||
	    rename(tmp, path))
		goto out;
	dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	ok = dfd >= 0 && !fsync(dfd);
out:
	if (!ok) {
		warning("cannot set the boot guard %s: %s; the patches load without it",
			path, id ? strerror(errno) : "this boot's ID (/proc/sys/kernel/random/boot_id) cannot be read");
		unlink(tmp);
	}
	if (fd >= 0)
		close(fd);
	if (dfd >= 0)
		close(dfd);
	free(id);
	free(tmp);
	free(dir);
	free(path);
	return ok;
}

/* This boot survived loading: the next boot may load again. */
void boot_guard_clear(void)
{
	char *path = boot_guard_path();

	if (unlink(path) && errno != ENOENT)
		warning("cannot remove the boot guard %s: %s; the next boot will load no patch",
			path, strerror(errno));
	free(path);
}

// SPDX-License-Identifier: GPL-2.0
/*
 * paths.c - where the running system's state lives.
 *
 * --root DIR or KPATCH_ROOT=DIR prefixes every path kpatch reads or
 * writes (/sys, /proc, /var/lib/kpatch, the core module directory), so
 * that everything but the load and unload system calls can be exercised
 * against a fake tree.  Since such a tree is not the running kernel, the
 * system calls refuse to run under it (see load.c).
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>

#include "kpatch.h"

#ifndef MODULEDIR
#error "MODULEDIR (where make install puts the core module) must be defined"
#endif

#define INSTALL_DIR	"/var/lib/kpatch"

static char *root = "";

void paths_init(const char *opt_root)
{
	const char *r = opt_root ? opt_root : getenv("KPATCH_ROOT");
	size_t len;

	if (!r)
		return;
	len = strlen(r);
	while (len && r[len - 1] == '/')
		len--;
	root = xstrdup(r);
	root[len] = '\0';
}

bool paths_faked(void)
{
	return root[0] != '\0';
}

const char *paths_root(void)
{
	return root;
}

/* An absolute path of the running system, under the root override. */
char *sys_path(const char *fmt, ...)
{
	char *rel, *full;
	va_list ap;

	va_start(ap, fmt);
	rel = xvasprintf(fmt, ap);
	va_end(ap);
	full = xasprintf("%s%s", root, rel);
	free(rel);
	return full;
}

/*
 * The running kernel's release, from /proc rather than uname(2) so that a
 * fake tree can claim any release.
 */
char *running_release(void)
{
	char *path = sys_path("/proc/sys/kernel/osrelease");
	char *release = read_text(path);

	if (!release || !*release)
		error("cannot read the running kernel's release from %s: %s",
		       path, release ? "empty file" : strerror(errno));
	free(path);
	if (release && !*release) {
		free(release);
		release = NULL;
	}
	return release;
}

/*
 * KPATCH_CORE_MODULE names a core module file to use instead of the
 * installed one: tests and developers load a freshly built core with it.
 * Otherwise the first that exists of: where 'make install' puts it, and
 * where DKMS installs the kpatch-dkms package's build (updates/dkms on
 * Debian, extra on rpm-based systems); the first when none does.
 */
char *core_module_path(const char *release)
{
	static const char *const dkms_dirs[] = { "updates/dkms", "extra" };
	const char *override = getenv("KPATCH_CORE_MODULE");
	char *path, *alt;
	size_t i;

	if (override && *override)
		return xstrdup(override);
	path = sys_path("%s/%s/kpatch.ko", MODULEDIR, release);
	if (exists(path))
		return path;
	for (i = 0; i < sizeof(dkms_dirs) / sizeof(dkms_dirs[0]); i++) {
		alt = sys_path("/lib/modules/%s/%s/kpatch.ko", release, dkms_dirs[i]);
		if (exists(alt)) {
			free(path);
			return alt;
		}
		free(alt);
	}
	return path;
}

char *installed_dir(const char *release)
{
	return sys_path("%s/%s", INSTALL_DIR, release);
}

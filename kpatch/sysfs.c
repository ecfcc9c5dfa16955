// SPDX-License-Identifier: GPL-2.0
/*
 * sysfs.c - the running kernel's modules (through libkmod) and the core
 * module's view of the patches (/sys/kernel/kpatch, described in
 * doc/interfaces.md).
 *
 * libkmod reads /sys/module and /proc/modules at fixed paths: --root does
 * not move them (the unit tests bind-mount a fake tree's over them in a
 * private mount namespace, test/cli/in-root).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kpatch.h"

static bool sys_is_dir(const char *fmt, const char *arg)
{
	char *path = sys_path(fmt, arg);
	bool ret = is_dir(path);

	free(path);
	return ret;
}

bool core_loaded(void)
{
	return sys_is_dir("/sys/kernel/kpatch%s", "");
}

/*
 * A module's state as libkmod reads it from /sys/module/NAME/initstate:
 * KMOD_MODULE_LIVE, _COMING (its init runs; also a directory without
 * initstate yet), _GOING (being removed), _BUILTIN (in the kernel image,
 * by modules.builtin), or -ENOENT when there is no such module.
 */
int module_state(const char *name)
{
	struct kmod_module *mod;
	int state;

	if (kmod_module_new_from_name(kmod(), name, &mod) < 0)
		return -ENOENT;
	state = kmod_module_get_initstate(mod);
	kmod_module_unref(mod);
	return state;
}

bool module_loaded(const char *name)
{
	return module_state(name) >= 0;
}

bool patch_registered(const char *name)
{
	return sys_is_dir("/sys/kernel/kpatch/%s", name);
}

/* A patch's 0/1 attribute: 1 or 0, or -1 when it cannot be read. */
static int patch_flag(const char *name, const char *fmt)
{
	char *path = sys_path(fmt, name);
	char *val = read_text(path);
	int ret = -1;

	if (val)
		ret = !strcmp(val, "1") ? 1 : !strcmp(val, "0") ? 0 : -1;
	free(val);
	free(path);
	return ret;
}

/*
 * The core says ftrace has shut itself down after an internal error
 * (ftrace_kill()): no ops is called any more, so no patch is live.
 */
bool ftrace_dead(void)
{
	char *path = sys_path("/sys/kernel/kpatch/ftrace");
	char *state = read_text(path);
	bool dead = state && !strcmp(state, "dead");

	free(state);
	free(path);
	return dead;
}

int patch_enabled(const char *name)
{
	return patch_flag(name, "/sys/kernel/kpatch/%s/enabled");
}

/* The core keeps a pinned patch module loaded until reboot. */
int patch_pinned(const char *name)
{
	return patch_flag(name, "/sys/kernel/kpatch/%s/pinned");
}

/*
 * Ask the core to enable ("1") or disable ("0") a patch.  The write fails
 * when the core cannot switch (a task sleeps in a patched function);
 * errno is then the core's.
 */
static int patch_set_enabled(const char *name, const char *value)
{
	char *path = sys_path("/sys/kernel/kpatch/%s/enabled", name);
	int fd, ret = -1, saved;

	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd >= 0) {
		if (write(fd, value, 2) == 2)
			ret = 0;
		saved = errno;
		close(fd);
		errno = saved;
	}
	saved = errno;
	free(path);
	errno = saved;
	return ret;
}

int patch_disable(const char *name)
{
	return patch_set_enabled(name, "0\n");
}

/* A disabled or replaced patch becomes the newest enabled one again. */
int patch_enable(const char *name)
{
	return patch_set_enabled(name, "1\n");
}

/*
 * The core's reason for the latest failure of this patch: last_error holds
 * "<patch module>: <reason>".  An error about another module is stale and
 * says nothing about this failure, so it is ignored.
 */
char *core_reason(const char *name)
{
	char *path = sys_path("/sys/kernel/kpatch/last_error");
	char *err = read_text(path), *reason = NULL;
	size_t len = strlen(name);

	free(path);
	if (err && !strncmp(err, name, len) && err[len] == ':') {
		const char *r = err + len + 1;

		r += strspn(r, " ");
		if (*r)
			reason = xstrdup(r);
	}
	free(err);
	return reason;
}

/* The patch modules the core knows, by name. */
int registered_patches(char ***names, size_t *nr)
{
	char *dir = sys_path("/sys/kernel/kpatch");
	int ret = list_dir(dir, true, names, nr);

	if (ret)
		error("cannot read %s: %s", dir, strerror(errno));
	free(dir);
	return ret;
}

/*
 * The same, newest first: the kernel adds each module at the head of its
 * list, which /proc/modules walks from the head.
 */
int registered_patches_newest_first(char ***names, size_t *nr)
{
	struct kmod_list *loaded = NULL, *it;
	char **v = NULL;
	size_t n = 0;
	int err;

	*names = NULL;
	*nr = 0;
	err = kmod_module_new_from_loaded(kmod(), &loaded);
	if (err < 0) {
		error("cannot read the loaded modules (/proc/modules): %s",
		       strerror(-err));
		return -1;
	}
	/* libkmod keeps the order of /proc/modules. */
	kmod_list_foreach(it, loaded) {
		struct kmod_module *mod = kmod_module_get_module(it);
		const char *name = kmod_module_get_name(mod);

		if (patch_registered(name)) {
			v = xrealloc(v, (n + 1) * sizeof(*v));
			v[n++] = xstrdup(name);
		}
		kmod_module_unref(mod);
	}
	kmod_module_unref_list(loaded);
	*names = v;
	*nr = n;
	return 0;
}

static void print_object_funcs(const char *pdir, const char *obj)
{
	char *odir = xasprintf("%s/%s", pdir, obj);
	char *path = xasprintf("%s/loaded", odir);
	char *loaded = read_text(path);
	bool obj_loaded = !loaded || strcmp(loaded, "0");
	char **funcs;
	size_t nf, i;

	if (!list_dir(odir, true, &funcs, &nf)) {
		for (i = 0; i < nf; i++) {
			/* A function's directory is "<name>,<sympos>". */
			char *comma = strrchr(funcs[i], ',');
			unsigned int sympos = 0;

			if (comma) {
				*comma = '\0';
				sympos = strtoul(comma + 1, NULL, 10);
			}
			print_func(funcs[i], sympos, obj, obj_loaded);
		}
		free_strv(funcs, nf);
	}
	free(loaded);
	free(path);
	free(odir);
}

/* The functions of a loaded patch, from the core's sysfs directories. */
int print_patch_funcs(const char *name)
{
	char *pdir = sys_path("/sys/kernel/kpatch/%s", name);
	char **objs;
	size_t no, i;
	int ret;

	ret = list_dir(pdir, true, &objs, &no);
	if (!ret) {
		for (i = 0; i < no; i++)
			print_object_funcs(pdir, objs[i]);
		free_strv(objs, no);
	}
	free(pdir);
	return ret;
}

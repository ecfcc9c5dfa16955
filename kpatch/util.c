// SPDX-License-Identifier: GPL-2.0
/*
 * util.c - the kpatch command's small file and name helpers, and its name
 * in messages (lib/message.c prints them).
 */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "kpatch.h"

const char tool_name[] = "kpatch";
const char tool_error_label[] = "";

/*
 * Read a small text file (sysfs attribute, /proc file) whole, without its
 * trailing newlines.  NULL with errno set on failure.
 */
char *read_text(const char *path)
{
	size_t len = 0, size = 256;
	char *buf;
	ssize_t n;
	int fd, saved;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return NULL;
	buf = xmalloc(size);
	for (;;) {
		if (len + 1 >= size)
			buf = xrealloc(buf, size *= 2);
		n = read(fd, buf + len, size - len - 1);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		len += n;
	}
	saved = errno;
	close(fd);
	if (n < 0) {
		free(buf);
		errno = saved;
		return NULL;
	}
	while (len && buf[len - 1] == '\n')
		len--;
	buf[len] = '\0';
	return buf;
}

bool is_dir(const char *path)
{
	struct stat st;

	return !stat(path, &st) && S_ISDIR(st.st_mode);
}

bool exists(const char *path)
{
	return !access(path, F_OK);
}

/*
 * The file names of modules libkmod reads: plain, and compressed with the
 * algorithms Debian's libkmod is built with (xz, zstd; not gzip).
 */
bool is_module_file(const char *name)
{
	static const char *const suffixes[] = { ".ko", ".ko.xz", ".ko.zst" };
	size_t len = strlen(name), i, slen;

	for (i = 0; i < sizeof(suffixes) / sizeof(suffixes[0]); i++) {
		slen = strlen(suffixes[i]);
		if (len > slen && !strcmp(name + len - slen, suffixes[i]))
			return true;
	}
	return false;
}

/*
 * Whether a MODULE argument is spelt as a file (a path, or a module file
 * name): "kpatch_fix" is a name even if a file of that name is here.
 */
bool spelt_as_file(const char *arg)
{
	return strchr(arg, '/') || is_module_file(arg);
}

/* Whether a MODULE argument names an existing module file. */
bool names_file(const char *arg)
{
	return spelt_as_file(arg) && exists(arg);
}

/*
 * The kernel's name for a module given as a file name or a module name:
 * libkmod's, the base name up to its first dot with dashes turned into
 * underscores as kbuild does for KBUILD_MODNAME.
 */
char *module_name_of(const char *file_or_name)
{
	const char *base = strrchr(file_or_name, '/');
	struct kmod_module *mod;
	char *name;
	int err;

	base = base ? base + 1 : file_or_name;
	err = kmod_module_new_from_name(kmod(), base, &mod);
	if (err < 0) {
		error("libkmod cannot name module %s: %s", base, strerror(-err));
		exit(EXIT_FAIL);
	}
	name = xstrdup(kmod_module_get_name(mod));
	kmod_module_unref(mod);
	return name;
}

/* "a, b, c" */
char *join_names(char *const *names, size_t n)
{
	char *s = xstrdup(""), *t;
	size_t i;

	for (i = 0; i < n; i++) {
		t = xasprintf("%s%s%s", s, i ? ", " : "", names[i]);
		free(s);
		s = t;
	}
	return s;
}

void free_strv(char **v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char * const *)a, *(char * const *)b);
}

/*
 * The entries of dir, sorted: subdirectories when want_dirs, otherwise
 * regular files named like modules (is_module_file).  Hidden entries are skipped:
 * install's temporary files start with a dot.  A missing directory is an
 * empty list; any other failure is -1 with errno set.
 */
int list_dir(const char *dir, bool want_dirs, char ***names, size_t *nr)
{
	size_t n = 0;
	char **v = NULL;
	struct dirent *de;
	DIR *d;

	*names = NULL;
	*nr = 0;
	d = opendir(dir);
	if (!d)
		return errno == ENOENT ? 0 : -1;
	while ((de = readdir(d))) {
		char *full;
		bool dir_entry;

		if (de->d_name[0] == '.')
			continue;
		if (!want_dirs && !is_module_file(de->d_name))
			continue;
		full = xasprintf("%s/%s", dir, de->d_name);
		dir_entry = is_dir(full);
		free(full);
		if (dir_entry != want_dirs)
			continue;
		v = xrealloc(v, (n + 1) * sizeof(*v));
		v[n++] = xstrdup(de->d_name);
	}
	closedir(d);
	if (n)
		qsort(v, n, sizeof(*v), cmp_str);
	*names = v;
	*nr = n;
	return 0;
}

// SPDX-License-Identifier: GPL-2.0
/*
 * install.c - the patch modules kept in /var/lib/kpatch/<release>/ for
 * kpatch.service to load at boot.
 *
 * A module is copied to a temporary file in the target directory and
 * renamed into place, so that a full or read-only file system, or a crash,
 * never leaves a half-written module for the next boot to trip over.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "kpatch.h"

static const struct option install_options[] = {
	{ "kernel-version", required_argument, NULL, 'k' },
	{ "force", no_argument, NULL, 'f' },
	{ "help", no_argument, NULL, 'h' },
	{ }
};

static const struct option uninstall_options[] = {
	{ "kernel-version", required_argument, NULL, 'k' },
	{ "help", no_argument, NULL, 'h' },
	{ }
};

int installed_modules(const char *release, char ***files, size_t *nr)
{
	char *dir = installed_dir(release);
	int ret = list_dir(dir, false, files, nr);

	if (ret)
		error("cannot read %s: %s", dir, strerror(errno));
	free(dir);
	return ret;
}

/* mkdir -p; *created is the first directory that did not exist. */
static int make_dirs(const char *dir, char **created)
{
	char *p, *path = xstrdup(dir), c;

	*created = NULL;
	for (p = path + 1; ; p++) {
		if (*p != '/' && *p != '\0')
			continue;
		c = *p;
		*p = '\0';
		if (mkdir(path, 0755) == 0) {
			if (!*created)
				*created = xstrdup(path);
		} else if (errno != EEXIST || !is_dir(path)) {
			int saved = errno;

			free(path);
			errno = saved == EEXIST ? ENOTDIR : saved;
			return -1;
		}
		*p = c;
		if (!c)
			break;
	}
	free(path);
	return 0;
}

static int sync_dir(const char *dir)
{
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC), ret;

	if (fd < 0)
		return -1;
	ret = fsync(fd);
	close(fd);
	return ret;
}

/* Whether the open file src is dir/base itself. */
static bool already_installed(int src, const char *dir, const char *base)
{
	char *dest = xasprintf("%s/%s", dir, base);
	struct stat a, b;
	bool same;

	same = !fstat(src, &a) && !stat(dest, &b) &&
	       a.st_dev == b.st_dev && a.st_ino == b.st_ino;
	free(dest);
	return same;
}

/* Copy src to dest through a temporary file and a rename. */
static int copy_atomically(int src, const char *dir, const char *base)
{
	char *tmp = xasprintf("%s/.%s.XXXXXX", dir, base);
	char *dest = xasprintf("%s/%s", dir, base);
	char buf[65536];
	int fd, ret = -1, saved;
	ssize_t n;

	fd = mkstemp(tmp);
	if (fd < 0) {
		saved = errno;
		goto out;
	}
	if (lseek(src, 0, SEEK_SET) < 0)
		goto fail;
	while ((n = read(src, buf, sizeof(buf))) != 0) {
		char *p = buf;

		if (n < 0) {
			if (errno == EINTR)
				continue;
			goto fail;
		}
		while (n > 0) {
			ssize_t w = write(fd, p, n);

			if (w < 0) {
				if (errno == EINTR)
					continue;
				goto fail;
			}
			p += w;
			n -= w;
		}
	}
	if (fchmod(fd, 0644) || fsync(fd))
		goto fail;
	if (close(fd)) {
		fd = -1;
		goto fail;
	}
	fd = -1;
	if (rename(tmp, dest))
		goto fail;
	/* The rename itself must reach the disk before we say "installed". */
	if (sync_dir(dir)) {
		saved = errno;
		goto out;
	}
	ret = 0;
	saved = 0;
	goto out;
fail:
	saved = errno;
	if (fd >= 0)
		close(fd);
	unlink(tmp);
out:
	free(tmp);
	free(dest);
	errno = saved;
	return ret;
}

/*
 * Enable kpatch.service so that the module comes back at boot.  Only where
 * systemd runs the system (the test sd_booted() makes); elsewhere the
 * administrator arranges "kpatch load --all" at boot.
 */
static void enable_service(void)
{
	char *run = sys_path("/run/systemd/system"), *root_opt = NULL;
	int status;
	pid_t pid;

	if (!is_dir(run)) {
		free(run);
		return;
	}
	free(run);
	if (paths_faked())
		root_opt = xasprintf("--root=%s", paths_root());
	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		if (root_opt)
			execlp("systemctl", "systemctl", "--quiet", root_opt,
			       "enable", "kpatch.service", (char *)NULL);
		else
			execlp("systemctl", "systemctl", "--quiet", "enable",
			       "kpatch.service", (char *)NULL);
		_exit(127);
	}
	if (pid < 0 || waitpid(pid, &status, 0) < 0 || !WIFEXITED(status) ||
	    WEXITSTATUS(status))
		warning("could not enable kpatch.service ('systemctl enable kpatch.service' failed): installed modules will not be loaded at boot");
	free(root_opt);
}

/*
 * Options and the one MODULE argument of install and uninstall; only
 * install takes --force (@force not NULL).
 */
static int parse_kernel_option(const char *cmd, int argc, char **argv,
			       const char **release, bool *force)
{
	int opt;

	*release = NULL;
	if (force)
		*force = false;
	while ((opt = next_option(argc, argv, force ? "k:fh" : "k:h",
				  force ? install_options : uninstall_options)) != -1) {
		if (opt == 'f') {
			*force = true;
			continue;
		}
		if (!*optarg || strchr(optarg, '/') || !strcmp(optarg, ".") ||
		    !strcmp(optarg, ".."))
			return usage_error(cmd, "'%s' is not a kernel release", optarg);
		*release = optarg;
	}
	if (optind != argc - 1)
		return usage_error(cmd, optind == argc ? "no module given" :
				   "too many arguments");
	return 0;
}

/*
 * The file names in dir that load --all, list and uninstall take for the
 * module @name (dashes and underscores alike, any compression).
 */
static int files_named(const char *dir, const char *name, char ***found,
		       size_t *nr)
{
	char **files;
	size_t n, i;

	*found = NULL;
	*nr = 0;
	if (list_dir(dir, false, &files, &n)) {
		error("cannot read %s: %s", dir, strerror(errno));
		return -1;
	}
	for (i = 0; i < n; i++) {
		char *file_name = module_name_of(files[i]);

		if (!strcmp(file_name, name)) {
			*found = xrealloc(*found, (*nr + 1) * sizeof(**found));
			(*found)[(*nr)++] = files[i];
		} else {
			free(files[i]);
		}
		free(file_name);
	}
	free(files);
	return 0;
}

/* The installed file of module @name for @release, or NULL. */
char *installed_file(const char *release, const char *name)
{
	char *dir = installed_dir(release), *file = NULL, **found;
	size_t n;

	if (!files_named(dir, name, &found, &n) && n)
		file = xasprintf("%s/%s", dir, found[0]);
	free_strv(found, n);
	free(dir);
	return file;
}

/* Whether the open file fd and the file at path hold the same bytes. */
static bool same_contents(int fd, const char *path)
{
	char a[65536], b[sizeof(a)];
	bool same = false;
	ssize_t n, m;
	int other = open(path, O_RDONLY | O_CLOEXEC);
	off_t pos = 0;

	if (other < 0)
		return false;
	for (;;) {
		n = pread(fd, a, sizeof(a), pos);
		m = pread(other, b, sizeof(b), pos);
		if (n < 0 || n != m || memcmp(a, b, n))
			break;
		if (!n) {
			same = true;
			break;
		}
		pos += n;
	}
	close(other);
	return same;
}

/*
 * A kernel the module can ever load into: the running one, or one whose
 * modules are installed (/lib/modules/RELEASE, as every kernel package
 * ships).
 */
static bool kernel_installed(const char *release)
{
	char *dir = sys_path("/lib/modules/%s", release), *running;
	bool ret = is_dir(dir);

	free(dir);
	if (ret)
		return true;
	/* Read quietly: a package's scriptlet in a chroot may have no /proc. */
	dir = sys_path("/proc/sys/kernel/osrelease");
	running = read_text(dir);
	ret = running && !strcmp(running, release);
	free(running);
	free(dir);
	return ret;
}

/*
 * load --all loads in file name order, and a replacing patch disables
 * every patch before it: warn about each installed patch that would not
 * end up enabled at boot.
 */
static void warn_boot_outcome(const char *release)
{
	char *dir = installed_dir(release), **files, *replacer = NULL;
	size_t n, i, last = 0;
	struct modinfo mi;

	if (installed_modules(release, &files, &n)) {
		free(dir);
		return;
	}
	for (i = 0; i < n; i++) {
		char *file = xasprintf("%s/%s", dir, files[i]);

		if (!modinfo_open(file, &mi)) {
			if (mi.replace) {
				free(replacer);
				replacer = xstrdup(files[i]);
				last = i;
			}
			modinfo_close(&mi);
		}
		free(file);
	}
	for (i = 0; replacer && i < last; i++)
		warning("at boot %s will not end up enabled: %s, loaded after it (file names in order), replaces every other patch; uninstall one of them",
			files[i], replacer);
	free(replacer);
	free_strv(files, n);
	free(dir);
}

/*
 * The name the module is installed under: its own file name when load
 * --all, list and uninstall find the module by it, else the kernel's name
 * for the module with the suffix its contents call for.
 */
static char *install_name(const struct modinfo *mi)
{
	const char *base = strrchr(mi->file, '/');
	char *name;
	bool fits;

	base = base ? base + 1 : mi->file;
	if (base[0] == '.' || !is_module_file(base))
		return xasprintf("%s%s", mi->name, mi->suffix);
	name = module_name_of(base);
	fits = !strcmp(name, mi->name) &&
	       !strcmp(base + strlen(base) - strlen(mi->suffix), mi->suffix);
	free(name);
	return fits ? xstrdup(base) : xasprintf("%s%s", mi->name, mi->suffix);
}

/*
 * Other installed files of the same module: the same bytes under the same
 * name is installed already (*same); anything else is overwritten only
 * with --force, and then removed once the new file is in place.
 */
static int check_overwrite(const struct modinfo *mi, const char *dir,
			   const char *base, bool force, char ***others,
			   size_t *nr, bool *same)
{
	char *path, *list;
	size_t i;

	*same = false;
	if (files_named(dir, mi->name, others, nr))
		return -1;
	for (i = 0; i < *nr; i++) {
		if (strcmp((*others)[i], base))
			continue;
		path = xasprintf("%s/%s", dir, base);
		*same = same_contents(mi->fd, path);
		free(path);
	}
	if (*same || !*nr || force)
		return 0;
	list = join_names(*others, *nr);
	error("another file of module %s is installed for kernel %s (%s); give --force to replace it",
	      mi->name, mi->release, list);
	free(list);
	return -1;
}

int cmd_install(int argc, char **argv)
{
	char *dir = NULL, *created = NULL, *base = NULL, **others = NULL;
	const char *release;
	struct modinfo mi;
	size_t nr_others = 0, i;
	bool force, same, in_place;
	int ret;

	ret = parse_kernel_option("install", argc, argv, &release, &force);
	if (ret)
		return ret;
	if (require_root("install"))
		return EXIT_FAIL;
	if (modinfo_open(argv[optind], &mi))
		return EXIT_FAIL;
	ret = EXIT_FAIL;
	if (require_patch_module(&mi))
		goto out;
	/* Installed for another release, it would only be refused at boot. */
	if (release && strcmp(release, mi.release)) {
		error("%s is built for kernel %s, not %s", mi.file, mi.release,
		       release);
		goto out;
	}
	dir = installed_dir(mi.release);
	base = install_name(&mi);
	/*
	 * A package that ships the module in place installs it by name: leave
	 * the file alone, so that its metadata still verifies.  Whatever kernel
	 * it is for, the package manager put it there already.
	 */
	in_place = already_installed(mi.fd, dir, base);
	if (!in_place && !force && !kernel_installed(mi.release)) {
		error("%s is built for kernel %s, which is neither running nor installed (no /lib/modules/%s), so it would never load; give --force to install it anyway",
		      mi.file, mi.release, mi.release);
		goto out;
	}
	if (check_overwrite(&mi, dir, base, force, &others, &nr_others, &same))
		goto out;
	if (make_dirs(dir, &created)) {
		error("cannot create %s: %s", dir, strerror(errno));
		goto out;
	}
	if (in_place || same) {
		printf("%s is already installed for kernel %s\n", base,
		       mi.release);
	} else if (copy_atomically(mi.fd, dir, base)) {
		error("cannot install %s into %s: %s", mi.file, dir,
		       strerror(errno));
		if (created)
			rmdir(created);
		goto out;
	} else {
		const char *given = strrchr(mi.file, '/');

		given = given ? given + 1 : mi.file;
		if (strcmp(given, base))
			printf("installed %s as %s for kernel %s\n", given, base,
			       mi.release);
		else
			printf("installed %s for kernel %s\n", base, mi.release);
	}
	for (i = 0; i < nr_others; i++) {
		char *old = xasprintf("%s/%s", dir, others[i]);

		if (strcmp(others[i], base) && !unlink(old))
			printf("removed %s, which it replaces\n", others[i]);
		free(old);
	}
	sync_dir(dir);
	warn_boot_outcome(mi.release);
	enable_service();
	update_initramfs(mi.release);
	ret = EXIT_OK;
out:
	free_strv(others, nr_others);
	free(base);
	free(created);
	free(dir);
	modinfo_close(&mi);
	return ret;
}

/*
 * The installed file in dir that stands for module (a file or module
 * name, dashes and underscores alike), or NULL after saying why not.
 */
static char *find_installed(const char *dir, const char *module,
			    const char *release)
{
	char *want = module_name_of(module), *found = NULL, **files;
	size_t n;

	if (files_named(dir, want, &files, &n)) {
		free(want);
		return NULL;
	}
	if (n)
		found = xasprintf("%s/%s", dir, files[0]);
	else
		error("%s is not installed for kernel %s", module, release);
	free_strv(files, n);
	free(want);
	return found;
}

int cmd_uninstall(int argc, char **argv)
{
	char *release = NULL, *dir = NULL, *file = NULL, *file_module = NULL;
	const char *opt_release, *module;
	int ret;

	ret = parse_kernel_option("uninstall", argc, argv, &opt_release, NULL);
	if (ret)
		return ret;
	if (require_root("uninstall"))
		return EXIT_FAIL;
	module = argv[optind];
	ret = EXIT_FAIL;
	if (names_file(module)) {
		/*
		 * A module file says which module it is, under which name
		 * install put it, and which kernel it was installed for.
		 */
		struct modinfo mi;

		if (modinfo_open(module, &mi))
			goto out;
		file_module = xstrdup(mi.name);
		release = xstrdup(opt_release ?: mi.release);
		modinfo_close(&mi);
	} else {
		release = opt_release ? xstrdup(opt_release) : running_release();
		if (!release)
			goto out;
	}
	dir = installed_dir(release);
	if (file_module)
		file = installed_file(release, file_module);
	if (!file)
		file = find_installed(dir, module, release);
	if (!file)
		goto out;
	if (unlink(file)) {
		error("cannot remove %s: %s", file, strerror(errno));
		goto out;
	}
	/* Gone from the directory already; syncing only makes it durable. */
	sync_dir(dir);
	printf("uninstalled %s for kernel %s\n", strrchr(file, '/') + 1, release);
	update_initramfs(release);
	ret = EXIT_OK;
out:
	free(file_module);
	free(file);
	free(dir);
	free(release);
	return ret;
}

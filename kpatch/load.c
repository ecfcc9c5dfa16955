// SPDX-License-Identifier: GPL-2.0
/*
 * load.c - load, unload and replace patch modules in the running kernel.
 *
 * Everything that can be checked from the module file is checked before
 * any system call: a patch built for another kernel must never reach the
 * module loader, whose refusals say far less than ours.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "kpatch-abi.h"
#include "kpatch.h"

#ifndef DATADIR
#error "DATADIR (where make install puts the core module's sources) must be defined"
#endif

#define NT_GNU_BUILD_ID_TYPE	3

/*
 * The GNU build ID, in hex, of a buffer of ELF notes as the kernel exports
 * them (/sys/kernel/notes, /sys/module/M/notes/.note.gnu.build-id) and a
 * module keeps them (.note.gnu.build-id): note type 3, owner "GNU".  NULL
 * when there is none.
 */
static char *build_id_of_notes(const unsigned char *buf, size_t len)
{
	size_t pos = 0;

	while (pos + 12 <= len) {
		uint32_t namesz, descsz, type;
		size_t name_off = pos + 12, desc_off, i;
		char *hex;

		memcpy(&namesz, buf + pos, 4);
		memcpy(&descsz, buf + pos + 4, 4);
		memcpy(&type, buf + pos + 8, 4);
		desc_off = name_off + ((namesz + 3) & ~3UL);
		if (desc_off + descsz > len)
			break;
		if (type == NT_GNU_BUILD_ID_TYPE && namesz == 4 &&
		    !memcmp(buf + name_off, "GNU", 4) && descsz) {
			hex = xmalloc(descsz * 2 + 1);
			for (i = 0; i < descsz; i++)
				sprintf(hex + 2 * i, "%02x", buf[desc_off + i]);
			return hex;
		}
		pos = desc_off + ((descsz + 3) & ~3UL);
	}
	return NULL;
}

/* The build ID of a file of ELF notes, or NULL after saying why.  Takes @path. */
static char *notes_build_id(char *path)
{
	unsigned char buf[4096];
	size_t len = 0;
	char *hex;
	ssize_t n;
	int fd;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		error("cannot read a build ID from %s: %s", path,
		       strerror(errno));
		free(path);
		return NULL;
	}
	while (len < sizeof(buf) &&
	       (n = read(fd, buf + len, sizeof(buf) - len)) > 0)
		len += n;
	close(fd);
	hex = build_id_of_notes(buf, len);
	if (!hex)
		error("%s holds no GNU build ID note, so no patch can be matched to it",
		       path);
	free(path);
	return hex;
}

/* The build ID of a module file's own .note.gnu.build-id, or NULL. */
char *module_build_id(const struct modinfo *mi)
{
	Elf_Data *data = modinfo_section(mi, ".note.gnu.build-id");

	return data ? build_id_of_notes(data->d_buf, data->d_size) : NULL;
}

/*
 * Each patched module that is loaded now must be the build the patch was
 * made against (kpatch-build records "MODULE:HEX" per module).  One that
 * is not loaded cannot be checked here; the core patches it when it loads.
 */
static int check_object_build_ids(const struct modinfo *mi)
{
	struct kmod_list *pos = NULL;
	const char *rec;
	int ret = 0;

	while (!ret &&
	       (rec = modinfo_next(mi, KPATCH_MODINFO_OBJECT_BUILD_ID, &pos))) {
		const char *colon = strchr(rec, ':');
		char *spec, *name, *id;

		if (!colon || colon == rec || !colon[1]) {
			error("%s has a malformed %s record '%s'", mi->file,
			       KPATCH_MODINFO_OBJECT_BUILD_ID, rec);
			return -1;
		}
		spec = xasprintf("%.*s", (int)(colon - rec), rec);
		name = module_name_of(spec);
		if (module_loaded(name)) {
			id = notes_build_id(sys_path("/sys/module/%s/notes/.note.gnu.build-id",
							 name));
			if (!id) {
				ret = -1;
			} else if (strcasecmp(colon + 1, id)) {
				error("%s is built for another build of module %s: build ID %s, loaded %s",
				       mi->file, name, colon + 1, id);
				ret = -1;
			}
			free(id);
		}
		free(name);
		free(spec);
	}
	return ret;
}

/*
 * Whether a patch module was built for the running kernel: release, ABI
 * version, and the build ID of the exact vmlinux it was built against,
 * since two builds of one release differ in layout.
 */
int check_target(const struct modinfo *mi, const char *release)
{
	char *build_id;
	int ret = 0;

	if (strcmp(mi->release, release)) {
		error("%s is built for kernel %s, but the running kernel is %s",
		       mi->file, mi->release, release);
		return -1;
	}
	if (mi->abi != KPATCH_ABI_VERSION) {
		error("%s has kpatch ABI version %ld, but this kpatch supports version %d",
		       mi->file, mi->abi, KPATCH_ABI_VERSION);
		return -1;
	}
	if (!mi->build_id || !*mi->build_id) {
		error("%s records no vmlinux build ID (%s), so it cannot be matched to this kernel",
		       mi->file, KPATCH_MODINFO_BUILD_ID);
		return -1;
	}
	build_id = notes_build_id(sys_path("/sys/kernel/notes"));
	if (!build_id)
		return -1;
	if (strcasecmp(mi->build_id, build_id)) {
		error("%s is built for another build of kernel %s: vmlinux build ID %s, running %s",
		       mi->file, release, mi->build_id, build_id);
		ret = -1;
	}
	free(build_id);
	return ret ?: check_object_build_ids(mi);
}

/*
 * A fake tree under --root is not the running kernel: acting on the real
 * kernel from what it says would be wrong, so the system calls stop here.
 */
static int refuse_if_faked(const char *what, const char *name)
{
	if (!paths_faked())
		return 0;
	error("not %s %s: %s is not the running kernel (--root or KPATCH_ROOT is set)",
	       what, name, paths_root());
	return -1;
}

/*
 * Insert the module libkmod read the checked .modinfo from (mi->mod keeps
 * that open file, and its decompressed image for a .ko.xz or .ko.zst), so
 * what was checked is what loads.  -errno on failure.
 */
static int insert_module(const struct modinfo *mi)
{
	return kmod_module_insert_module(mi->mod, 0, "");
}

static int sys_delete_module(const char *name)
{
	return syscall(SYS_delete_module, name, O_NONBLOCK);
}

/*
 * A kernel that enforces module signatures (module.sig_enforce=1, Secure
 * Boot's lockdown) answers EKEYREJECTED for an unsigned module and for one
 * signed by a key it does not trust: say which, and what to do.
 */
static void report_signature_refusal(const struct modinfo *mi)
{
	const char *file = mi->file;

	if (mi->is_signed)
		error("cannot load %s: the kernel enforces module signatures and does not trust the key it is signed with; sign it with a key in the kernel's keyring (kpatch-build --sign-key, --sign-cert) or enroll its certificate",
		       file);
	else
		error("cannot load %s: the kernel enforces module signatures and the module is not signed; sign it with a key in the kernel's keyring (kpatch-build --sign-key, --sign-cert)",
		       file);
}

/* Load the core module from where make install put it, if not loaded. */
static int ensure_core(const char *release)
{
	struct modinfo core;
	char *path;
	int ret = -1;

	if (core_loaded())
		return 0;
	path = core_module_path(release);
	if (!exists(path)) {
		error("the core module is not loaded and %s does not exist; install the package kpatch-dkms (DKMS builds it for every kernel), or build and install it for kernel %s with 'make -C %s/core KDIR=/lib/modules/%s/build all install'",
		       path, release, DATADIR, release);
		goto out;
	}
	if (modinfo_open(path, &core))
		goto out;
	if (strcmp(core.release, release)) {
		error("the core module %s is built for kernel %s, but the running kernel is %s",
		       path, core.release, release);
	} else if (!refuse_if_faked("loading", path)) {
		int err = insert_module(&core);

		if (!err)
			ret = 0;
		else if (err == -EKEYREJECTED)
			report_signature_refusal(&core);
		else
			error("cannot load the core module %s: %s (see dmesg)",
			       path, strerror(-err));
	}
	modinfo_close(&core);
out:
	free(path);
	return ret;
}

/*
 * The kernel log from now on: the core logs the details of a refusal
 * that do not fit last_error, such as each blocking task and the function
 * it is inside.  -1 when the log cannot be read; the details are a bonus.
 */
static int kmsg_from_now(void)
{
	int fd;

	/* A fake tree's core logs nothing; the host's log is not its own. */
	if (paths_faked())
		return -1;
	fd = open("/dev/kmsg", O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (fd >= 0 && lseek(fd, 0, SEEK_END) < 0) {
		close(fd);
		fd = -1;
	}
	return fd;
}

/*
 * Show the core's messages about this patch logged since kmsg_from_now(),
 * but for the one that repeats last_error.  A /dev/kmsg record is
 * "prio,seq,time,flags;text\n" followed by continuation lines.
 */
static void show_core_log(int fd, const char *name, const char *reason)
{
	char *prefix = xasprintf("kpatch: %s: ", name), rec[8192], *text;
	size_t plen = strlen(prefix);
	ssize_t n;

	if (fd < 0)
		goto out;
	for (;;) {
		n = read(fd, rec, sizeof(rec) - 1);
		if (n < 0 && errno == EPIPE)
			continue;	/* records overwritten meanwhile */
		if (n <= 0)
			break;
		rec[n] = '\0';
		text = strchr(rec, ';');
		if (!text)
			continue;
		text++;
		text[strcspn(text, "\n")] = '\0';
		if (!strncmp(text, prefix, plen) &&
		    (!reason || strcmp(text + plen, reason)))
			fprintf(stderr, "%s\n", text);
	}
	close(fd);
out:
	free(prefix);
}

/* Why finit_module failed, in the core's words when it has any. */
static void report_load_failure(const struct modinfo *mi, int err, int kmsg)
{
	char *reason = core_reason(mi->name);

	if (reason)
		error("cannot load %s: %s", mi->name, reason);
	else if (err == EKEYREJECTED)
		report_signature_refusal(mi);
	else if (err == EEXIST)
		error("%s is already loaded", mi->name);
	else
		error("cannot load %s: %s (see dmesg)", mi->file, strerror(err));
	show_core_log(kmsg, mi->name, reason);
	free(reason);
}

/* How long a switch blocked by a task is retried: load --wait SECONDS. */
static int wait_seconds;

void set_wait_seconds(int seconds)
{
	wait_seconds = seconds;
}

/*
 * Run a switch (a patch module's insert, or its enable) again while a task
 * blocks it (-EBUSY) and load --wait's time lasts.  The block is said once,
 * in the core's words, which name the task; the kernel log is followed
 * from the last try only.  -errno of the last try.
 */
static int switch_retrying(int (*attempt)(const void *), const void *arg,
			   const char *name, int kmsg)
{
	time_t deadline = time(NULL) + wait_seconds;
	bool said = false;
	int err;

	while ((err = attempt(arg)) == -EBUSY && time(NULL) < deadline) {
		if (!said) {
			char *reason = core_reason(name);

			printf("%s is blocked (%s); trying again for up to %d s\n",
			       name, reason ? reason : "a task is inside a function it switches",
			       wait_seconds);
			fflush(stdout);
			free(reason);
			said = true;
		}
		sleep(1);
		if (kmsg >= 0)
			lseek(kmsg, 0, SEEK_END);
	}
	return err;
}

static int try_insert(const void *mi)
{
	return insert_module(mi);
}

static int try_enable(const void *name)
{
	return patch_enable(name) ? -errno : 0;
}

/* The patches enabled now: those a replacing patch is about to replace. */
static void enabled_patches(char ***names, size_t *nr)
{
	size_t n, i, kept = 0;
	char **v;

	*names = NULL;
	*nr = 0;
	if (!core_loaded() || registered_patches(&v, &n))
		return;
	for (i = 0; i < n; i++) {
		if (patch_enabled(v[i]) == 1)
			v[kept++] = v[i];
		else
			free(v[i]);
	}
	*names = v;
	*nr = kept;
}

/*
 * A loaded patch, enabled: left alone; disabled or replaced: enabled
 * again, as the newest patch.
 */
static int enable_again(const char *name)
{
	int err, kmsg;
	char *reason;

	if (patch_enabled(name) == 1) {
		printf("%s is already loaded and enabled\n", name);
		return 0;
	}
	kmsg = kmsg_from_now();
	err = switch_retrying(try_enable, name, name, kmsg);
	if (!err) {
		if (kmsg >= 0)
			close(kmsg);
		printf("enabled %s again\n", name);
		return 0;
	}
	reason = core_reason(name);
	error("cannot enable %s again: %s", name, reason ? reason : strerror(-err));
	show_core_log(kmsg, name, reason);
	free(reason);
	return -1;
}

/*
 * A patch found loaded already.  Loading it again succeeds, as scripts
 * written for kpatch expect, when the loaded module is this very build
 * (same build ID): enabled, it is left alone; disabled or replaced, it is
 * enabled again, as the newest patch, with LOAD_REENABLE.  Without it
 * (load --all) a disabled patch stays so: enabling it would undo what a
 * replacing patch loaded after it did, unlike the boot that loaded them.
 */
static int load_loaded(const struct modinfo *mi, int flags)
{
	char *file_id, *loaded_id = NULL;
	int ret = -1;

	if (!patch_registered(mi->name)) {
		error("%s is loaded but the core has no patch of that name",
		       mi->name);
		return -1;
	}
	file_id = module_build_id(mi);
	if (!file_id) {
		error("%s has no build ID (.note.gnu.build-id), so it cannot be matched to the loaded %s",
		       mi->file, mi->name);
		goto out;
	}
	loaded_id = notes_build_id(sys_path("/sys/module/%s/notes/.note.gnu.build-id",
					    mi->name));
	if (!loaded_id)
		goto out;
	if (strcasecmp(file_id, loaded_id)) {
		error("%s is loaded from another build (build ID %s, %s has %s); unload it first with 'kpatch unload %s'",
		       mi->name, loaded_id, mi->file, file_id, mi->name);
	} else if (!(flags & LOAD_REENABLE) && patch_enabled(mi->name) != 1) {
		printf("%s is already loaded\n", mi->name);
		ret = 0;
	} else {
		ret = enable_again(mi->name);
	}
out:
	free(loaded_id);
	free(file_id);
	return ret;
}

/*
 * Load one patch module after every check the file allows.  The checks
 * and the insert use the same open file (insert_module), so what was
 * checked is what loads.  A replacing patch says which patches it
 * replaced.  LOAD_REPLACE: the module must be a replacing patch.
 */
int load_patch(const char *file, const char *release, int flags)
{
	char **replaced = NULL, *list;
	size_t nr_replaced = 0;
	struct modinfo mi;
	int ret = -1, kmsg, state, err;

	if (modinfo_open(file, &mi))
		return -1;
	if (require_patch_module(&mi) || check_target(&mi, release))
		goto out;
	if ((flags & LOAD_REPLACE) && !mi.replace) {
		error("%s does not replace other patches (its %s is not Y); build it as a replacing patch or use 'kpatch load'",
		       file, KPATCH_MODINFO_REPLACE);
		goto out;
	}
	state = module_state(mi.name);
	if (state == KMOD_MODULE_COMING || state == KMOD_MODULE_GOING) {
		error("%s is %s (module state %s); try again when it is done",
		       mi.name, state == KMOD_MODULE_COMING ? "being loaded" :
		       "being removed", kmod_module_initstate_str(state));
		goto out;
	}
	if (state >= 0) {
		ret = load_loaded(&mi, flags);
		goto out;
	}
	if (ensure_core(release) || refuse_if_faked("loading", file))
		goto out;
	if (mi.replace)
		enabled_patches(&replaced, &nr_replaced);
	kmsg = kmsg_from_now();
	err = switch_retrying(try_insert, &mi, mi.name, kmsg);
	if (err) {
		report_load_failure(&mi, -err, kmsg);
		goto out;
	}
	if (kmsg >= 0)
		close(kmsg);
	list = join_names(replaced, nr_replaced);
	if (nr_replaced)
		printf("loaded %s, replacing %s\n", mi.name, list);
	else
		printf("loaded %s\n", mi.name);
	free(list);
	ret = 0;
out:
	free_strv(replaced, nr_replaced);
	modinfo_close(&mi);
	return ret;
}

/* Disable a registered patch if needed, then remove its module. */
static int unload_patch(const char *name)
{
	int kmsg = -1;

	if (patch_enabled(name) != 0) {
		kmsg = kmsg_from_now();
		if (patch_disable(name)) {
			char *reason = core_reason(name);

			if (reason)
				error("cannot disable %s: %s", name, reason);
			else
				error("cannot disable %s: %s", name, strerror(errno));
			show_core_log(kmsg, name, reason);
			free(reason);
			return -1;
		}
		if (kmsg >= 0)
			close(kmsg);
	}
	if (refuse_if_faked("removing", name))
		return -1;
	if (patch_pinned(name) > 0) {
		error("cannot remove %s: it is disabled, but it switched functions without a stack check (forced), so a task may still run its code; its module stays loaded until reboot",
		       name);
		return -1;
	}
	if (sys_delete_module(name)) {
		error("cannot remove %s: %s", name, strerror(errno));
		return -1;
	}
	printf("unloaded %s\n", name);
	return 0;
}

static const struct option all_options[] = {
	{ "all", no_argument, NULL, 'a' },
	{ "help", no_argument, NULL, 'h' },
	{ }
};

static const struct option help_options[] = {
	{ "help", no_argument, NULL, 'h' },
	{ }
};

/* The one MODULE argument, or --all instead of it. */
static int module_or_all(const char *cmd, int argc, char **argv, bool *all,
			 const char **module)
{
	int opt;

	*all = false;
	while ((opt = next_option(argc, argv, "ah", all_options)) != -1)
		if (opt == 'a')
			*all = true;
	if (*all && optind != argc)
		return usage_error(cmd, "give either a module or --all");
	if (!*all && optind != argc - 1)
		return usage_error(cmd, optind == argc ? "no module given" :
				   "too many arguments");
	*module = *all ? NULL : argv[optind];
	return 0;
}


/*
 * 'kpatch load NAME', as upstream kpatch takes it (a word spelt as neither
 * a path nor a module file name): a module installed for the running
 * kernel under that name, else a loaded patch of that name.
 */
static int load_by_name(const char *arg, const char *release)
{
	char *name = module_name_of(arg), *file = installed_file(release, name);
	int ret;

	if (file)
		ret = load_patch(file, release, LOAD_REENABLE);
	else if (module_loaded(name) && patch_registered(name))
		ret = enable_again(name);
	else {
		error("%s is neither a module file nor a patch module installed for kernel %s or loaded (see 'kpatch list')",
		       arg, release);
		ret = -1;
	}
	free(file);
	free(name);
	return ret;
}

/* --wait's SECONDS: a whole number, at most a day. */
static int parse_wait(const char *arg, int *seconds)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(arg, &end, 10);
	if (errno || end == arg || *end || v < 0 || v > 86400)
		return usage_error("load", "'%s' is not a number of seconds from 0 to 86400",
				   arg);
	*seconds = v;
	return 0;
}

int cmd_load(int argc, char **argv)
{
	static const struct option options[] = {
		{ "all", no_argument, NULL, 'a' },
		{ "boot", no_argument, NULL, 'B' },
		{ "wait", required_argument, NULL, 'w' },
		{ "help", no_argument, NULL, 'h' },
		{ }
	};
	bool all = false, boot = false;
	int ret, opt, seconds = 0;
	char *release;

	while ((opt = next_option(argc, argv, "aw:h", options)) != -1) {
		if (opt == 'a')
			all = true;
		else if (opt == 'B')
			boot = true;
		else if (opt == 'w' && (ret = parse_wait(optarg, &seconds)))
			return ret;
	}
	if (boot && !all)
		return usage_error("load", "--boot goes with --all");
	if (all && optind != argc)
		return usage_error("load", "give either a module or --all");
	if (!all && optind != argc - 1)
		return usage_error("load", optind == argc ? "no module given" :
				   "too many arguments");
	if (require_root("load"))
		return EXIT_FAIL;
	set_wait_seconds(seconds);
	release = running_release();
	if (!release)
		return EXIT_FAIL;
	if (all)
		ret = load_all(release, boot);
	else if (spelt_as_file(argv[optind]))
		ret = load_patch(argv[optind], release, LOAD_REENABLE) ? EXIT_FAIL : EXIT_OK;
	else
		ret = load_by_name(argv[optind], release) ? EXIT_FAIL : EXIT_OK;
	free(release);
	return ret;
}

/* The loaded patch a MODULE argument (file or module name) stands for. */
static char *loaded_patch_name(const char *arg)
{
	struct modinfo mi;
	char *name;
	int state;

	/* An existing file says its own name; anything else is a name. */
	if (names_file(arg)) {
		if (modinfo_open(arg, &mi))
			return NULL;
		name = xstrdup(mi.name);
		modinfo_close(&mi);
	} else {
		name = module_name_of(arg);
	}
	state = module_state(name);
	if (state == KMOD_MODULE_COMING || state == KMOD_MODULE_GOING)
		error("%s is %s (module state %s)", name,
		       state == KMOD_MODULE_COMING ? "still being loaded" :
		       "already being removed", kmod_module_initstate_str(state));
	else if (state >= 0 && patch_registered(name))
		return name;
	else if (state < 0)
		error("%s is not loaded", name);
	else
		error("%s is loaded but is not a kpatch patch module", name);
	free(name);
	return NULL;
}

int cmd_unload(int argc, char **argv)
{
	const char *module = NULL;
	int status = EXIT_OK, ret;
	char **names, *name;
	size_t n, i;
	bool all;

	ret = module_or_all("unload", argc, argv, &all, &module);
	if (ret)
		return ret;
	if (require_root("unload"))
		return EXIT_FAIL;
	if (!all) {
		name = loaded_patch_name(module);
		if (!name || unload_patch(name))
			status = EXIT_FAIL;
		free(name);
		return status;
	}
	/* Newest first: later patches may build on earlier ones. */
	if (registered_patches_newest_first(&names, &n))
		return EXIT_FAIL;
	for (i = 0; i < n; i++)
		if (unload_patch(names[i]))
			status = EXIT_FAIL;
	free_strv(names, n);
	return status;
}

/*
 * The core switches from every enabled patch to the replacing one in one
 * step when it loads; the patches it disabled are then removed here.
 */
int cmd_replace(int argc, char **argv)
{
	int status = EXIT_OK;
	char **names, *release;
	size_t n, i;

	while (next_option(argc, argv, "h", help_options) != -1)
		;
	if (optind != argc - 1)
		return usage_error("replace", optind == argc ? "no module given" :
				   "too many arguments");
	if (require_root("replace"))
		return EXIT_FAIL;
	release = running_release();
	if (!release)
		return EXIT_FAIL;
	if (registered_patches(&names, &n)) {
		free(release);
		return EXIT_FAIL;
	}
	/* Only the patches enabled now are the ones being replaced. */
	for (i = 0; i < n; i++) {
		if (patch_enabled(names[i]) != 1) {
			free(names[i]);
			names[i] = NULL;
		}
	}
	if (load_patch(argv[optind], release, LOAD_REPLACE)) {
		status = EXIT_FAIL;
		goto out;
	}
	for (i = 0; i < n; i++) {
		if (!names[i])
			continue;
		if (patch_enabled(names[i]) != 0) {
			error("%s is still enabled after the replace", names[i]);
			status = EXIT_FAIL;
		} else if (unload_patch(names[i])) {
			status = EXIT_FAIL;
		}
	}
out:
	free_strv(names, n);
	free(release);
	return status;
}

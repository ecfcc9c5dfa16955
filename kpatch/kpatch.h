/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kpatch.h - declarations shared by the files of the kpatch command.
 */
#ifndef _KPATCH_H
#define _KPATCH_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <libelf.h>
#include <libkmod.h>

#include "alloc.h"
#include "message.h"

/* Exit statuses, documented in kpatch(1). */
#define EXIT_OK		0
#define EXIT_FAIL	1
#define EXIT_USAGE	2

/* util.c (messages and allocation: lib/) */
char *read_text(const char *path);
bool is_dir(const char *path);
bool exists(const char *path);
bool spelt_as_file(const char *arg);
bool names_file(const char *arg);
bool is_module_file(const char *name);
char *module_name_of(const char *file_or_name);
char *join_names(char *const *names, size_t n);
void free_strv(char **v, size_t n);
int list_dir(const char *dir, bool want_dirs, char ***names, size_t *nr);

/* paths.c: every path of the running system goes through here */
void paths_init(const char *opt_root);
bool paths_faked(void);
const char *paths_root(void);
char *sys_path(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
char *running_release(void);
char *core_module_path(const char *release);
void update_initramfs(const char *release);
char *installed_dir(const char *release);

/* trampoline.c: what a foreign trampoline on a patched site calls */
enum tramp_call { TRAMP_CALLS_ORIGINAL, TRAMP_NO_ORIGINAL_CALL, TRAMP_UNREAD };
enum tramp_call trampoline_calls_original(const char *tramp, unsigned long func,
					  unsigned long *at, char **why);

/* modinfo.c: what a module file says about itself */
struct patch_func {
	char *name;
	char *objname;
	unsigned int sympos;
};

struct modinfo {
	const char *file;
	int fd;
	struct kmod_module *mod;	/* libkmod's module, read through fd */
	struct kmod_list *info;		/* its .modinfo and signature keys */
	void *image;			/* the ELF image, decompressed */
	size_t image_size;
	const char *suffix;	/* .ko, .ko.xz or .ko.zst, by its contents */
	Elf *elf;
	char *name;		/* module name as the kernel will call it */
	char *release;		/* kernel release from vermagic */
	/* The kpatch_* keys; abi_str is NULL when the module has none. */
	const char *abi_str;
	long abi;
	const char *patch_name;
	bool replace;
	const char *patch_sha256;
	const char *build_id;
	bool is_signed;		/* a signature is appended (libkmod) */
	const char *signer;	/* its signer, when libkmod can tell */
	struct patch_func *funcs;
	size_t nr_funcs;
};

struct kmod_ctx *kmod(void);
int modinfo_open(const char *file, struct modinfo *mi);
void modinfo_close(struct modinfo *mi);
const char *modinfo_get(const struct modinfo *mi, const char *key);
const char *modinfo_next(const struct modinfo *mi, const char *key,
			 struct kmod_list **pos);
Elf_Data *modinfo_section(const struct modinfo *mi, const char *name);
int require_patch_module(const struct modinfo *mi);
int read_patch_funcs(struct modinfo *mi);
void print_func(const char *name, unsigned int sympos, const char *objname,
		bool obj_loaded);

/* sysfs.c: the running kernel's view of modules and patches */
bool core_loaded(void);
bool ftrace_dead(void);
int module_state(const char *name);
bool module_loaded(const char *name);
bool patch_registered(const char *name);
int patch_enabled(const char *name);
int patch_pinned(const char *name);
int patch_disable(const char *name);
int patch_enable(const char *name);
char *core_reason(const char *name);
int registered_patches(char ***names, size_t *nr);
int registered_patches_newest_first(char ***names, size_t *nr);
int print_patch_funcs(const char *name);

/* boot.c: kpatch.enable=0 and the boot guard */
char *boot_guard_path(void);
bool boot_disabled_by_cmdline(void);
char *boot_guard_left(void);
bool boot_guard_tripped(void);
bool boot_guard_arm(void);
void boot_guard_clear(void);

/* load.c */
int check_target(const struct modinfo *mi, const char *release);
char *module_build_id(const struct modinfo *mi);
void set_wait_seconds(int seconds);
#define LOAD_REPLACE	1	/* the module must replace the others */
#define LOAD_REENABLE	2	/* enable it again if loaded and disabled */
int load_patch(const char *file, const char *release, int flags);

/* loadall.c */
int load_all(const char *release, bool boot);
int cmd_load(int argc, char **argv);
int cmd_unload(int argc, char **argv);
int cmd_replace(int argc, char **argv);

/* list.c */
int cmd_list(int argc, char **argv);
int cmd_info(int argc, char **argv);

/* verify.c */
int cmd_verify(int argc, char **argv);

/* install.c */
int installed_modules(const char *release, char ***files, size_t *nr);
char *installed_file(const char *release, const char *name);
int cmd_install(int argc, char **argv);
int cmd_uninstall(int argc, char **argv);

/* main.c: the shared part of every command's argument parsing */
struct option;
int next_option(int argc, char **argv, const char *shortopts,
		const struct option *longopts);
int usage_error(const char *cmd, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
int require_root(const char *cmd);

#endif /* _KPATCH_H */

// SPDX-License-Identifier: GPL-2.0
/*
 * verify.c - kpatch verify: the kernel's view of the patched functions.
 *
 * sysfs says what the core believes: this patch's version of a function
 * is active, and its calls are redirected through the core's ftrace
 * handler or a direct call to one of the core's slots.  What ftrace does
 * with each call is in tracefs' enabled_functions, one record per
 * function that any ftrace user hooks (kernel/trace/ftrace.c, t_show()):
 *
 *   NAME[ [MODULE]] (OPS) R I D[ O M]<TAB>tramp: T (FUNC) ->CALLEE
 *   <TAB>direct-->TARGET
 *
 * OPS is how many ftrace_ops want the function, R I D that one of them
 * saves registers, may change the ip (IPMODIFY: a live patch, a kprobe
 * with a post handler) or is a direct call.  "tramp:" appears only while
 * one ops with its own trampoline is alone on the site, and FUNC is then
 * the handler it calls (T is often a bare address); with several ops the
 * site calls ftrace's list function (" ->arch_ftrace_ops_list_func") and
 * the record names none of them.  TARGET is where the one direct call of
 * the site goes: the core's kpatch_slots, or somebody else's trampoline
 * (BPF's bpf_trampoline_<id>); a direct call alone on the site shows
 * ftrace's own call_direct_funcs as FUNC.  test/cli/ftrace/ holds such
 * records as the test kernels show them.
 *
 * A function the core calls patched is reached when its record agrees
 * with its `redirect`; the other users on the site (BPF, kprobes, the
 * function tracers, the kernel's livepatch) are named from the record,
 * the kprobes list and the tracers' settings.  Nothing here changes the
 * kernel, except mounting tracefs where nobody has.
 */
#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <unistd.h>

#include "kpatch.h"

/* The core module's name, as kallsyms shows it after its symbols. */
#define CORE_MODULE	"kpatch"

/* One record of enabled_functions. */
struct ftrace_site {
	char *name;
	char *module;		/* NULL for vmlinux */
	long ops;
	bool ipmodify;
	bool direct;
	char *handler;		/* FUNC of a lone "tramp:", or NULL */
	char *direct_to;	/* TARGET of "direct-->", or NULL */
};

/* What the kernel shows, read once for all the functions checked. */
struct kernel_view {
	int core_dead;		/* /sys/kernel/kpatch/ftrace says dead: 1, 0, or -1 unread */
	bool read;		/* enabled_functions was read (or ftrace is dead) */
	bool dead;
	char *dead_reason;
	char *tracing;		/* the tracefs directory */
	struct ftrace_site *sites;
	size_t nr_sites;
	char *kprobes;		/* the kprobes list, NULL if unreadable */
	char *tracer;		/* current_tracer, if it traces functions */
	char *tracer_filter;	/* set_ftrace_filter */
	char *filter_funcs;	/* available_filter_functions, read if needed */
};

/* A symbol as %pS prints it ("sym+0x0/0x90 [mod]"): does it name @sym in @mod? */
static bool symbol_is(const char *text, const char *sym, const char *mod)
{
	size_t len = strlen(sym);
	const char *open;

	if (strncmp(text, sym, len) || (text[len] && text[len] != '+' &&
					text[len] != ' '))
		return false;
	open = strchr(text, '[');
	if (!mod)
		return !open;
	len = strlen(mod);
	return open && !strncmp(open + 1, mod, len) && open[1 + len] == ']';
}

/* The symbol's name alone, without offset or module. */
static char *symbol_name(const char *text)
{
	return xasprintf("%.*s", (int)strcspn(text, "+ "), text);
}

static bool in_core(const char *text)
{
	const char *open = strrchr(text, '[');

	return open && !strcmp(open, "[" CORE_MODULE "]");
}

/*
 * One enabled_functions line; *site is filled in only from a well-formed
 * line (a record whose symbol the kernel could not name has no count).
 */
static bool parse_site_line(char *line, struct ftrace_site *site)
{
	char *p = strchr(line, ' '), *end, *tramp;

	memset(site, 0, sizeof(*site));
	if (!p)
		return false;
	*p++ = '\0';
	if (*p == '[') {
		end = strchr(p, ']');
		if (!end)
			return false;
		site->module = xasprintf("%.*s", (int)(end - p - 1), p + 1);
		p = end + 1;
		p += strspn(p, " ");
	}
	if (*p != '(') {
		free(site->module);
		return false;
	}
	site->name = xstrdup(line);
	site->ops = strtol(p + 1, &end, 10);
	/* The flags, each " X" or blank, up to the tab or " ->" after them. */
	for (p = end + 1; *p && *p != '\t' && strncmp(p, " ->", 3); p++) {
		if (*p == 'I')
			site->ipmodify = true;
		else if (*p == 'D')
			site->direct = true;
	}
	tramp = strstr(p, "tramp: ");
	if (tramp && (tramp = strchr(tramp, '('))) {
		end = strchr(tramp, ')');
		if (end)
			site->handler = xasprintf("%.*s", (int)(end - tramp - 1), tramp + 1);
	}
	return true;
}

static void parse_sites(struct kernel_view *kv, char *text)
{
	char *line, *save = NULL;
	struct ftrace_site site, *last = NULL;

	for (line = strtok_r(text, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		if (line[0] == '\t') {
			/* The direct call of the record before. */
			if (last && !strncmp(line, "\tdirect-->", 10))
				last->direct_to = xstrdup(line + 10);
			continue;
		}
		last = NULL;
		if (!parse_site_line(line, &site))
			continue;
		kv->sites = xrealloc(kv->sites, (kv->nr_sites + 1) * sizeof(site));
		last = &kv->sites[kv->nr_sites++];
		*last = site;
	}
}

/*
 * A tracefs file, or NULL with errno set.  Where tracefs is mounted is
 * decided once, by the first file read: /sys/kernel/tracing, else the
 * old place under debugfs, else tracefs is mounted on /sys/kernel/tracing
 * (the running system only, and as root).
 */
static char *tracefs_read(struct kernel_view *kv, const char *file)
{
	static const char *const dirs[] = {
		"/sys/kernel/tracing", "/sys/kernel/debug/tracing",
	};
	char *path, *text;
	size_t i;

	if (kv->tracing) {
		path = xasprintf("%s/%s", kv->tracing, file);
		text = read_text(path);
		free(path);
		return text;
	}
	for (i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++) {
		char *dir = sys_path("%s", dirs[i]);

		path = xasprintf("%s/%s", dir, file);
		text = read_text(path);
		/* Any answer but "no such file" means tracefs is here. */
		if (text || errno != ENOENT) {
			free(path);
			kv->tracing = dir;
			return text;
		}
		free(path);
		free(dir);
	}
	if (paths_faked() || geteuid() != 0) {
		errno = ENOENT;
		return NULL;
	}
	if (mount("tracefs", dirs[0], "tracefs", 0, NULL)) {
		error("tracefs is not mounted and cannot be mounted on %s: %s",
		      dirs[0], strerror(errno));
		exit(EXIT_FAIL);
	}
	kv->tracing = xstrdup(dirs[0]);
	return tracefs_read(kv, file);
}

/* The tracer of the global instance, when it is one that hooks functions. */
static void read_tracer(struct kernel_view *kv)
{
	char *tracer = tracefs_read(kv, "current_tracer");

	if (tracer && (!strcmp(tracer, "function") ||
		       !strcmp(tracer, "function_graph"))) {
		kv->tracer = tracer;
		kv->tracer_filter = tracefs_read(kv, "set_ftrace_filter");
		return;
	}
	free(tracer);
}

/*
 * Whether the core says ftrace has shut itself down (ftrace_kill()).  It
 * then reads every function's active as 0, since none runs: the patches
 * are enabled but not live.
 */
static bool core_says_dead(struct kernel_view *kv)
{
	if (kv->core_dead < 0)
		kv->core_dead = ftrace_dead();
	return kv->core_dead;
}

/*
 * Read what the kernel shows, once.  ftrace that shut itself down after
 * an internal error (ftrace_kill()) redirects nothing any more: the core
 * says so in /sys/kernel/kpatch/ftrace, and tracefs refuses to open its
 * files with ENODEV.  Any other failure to read enabled_functions leaves
 * nothing to check against, and ends the command.
 */
static void read_kernel_view(struct kernel_view *kv)
{
	char *path, *text;

	kv->read = true;
	if (core_says_dead(kv)) {
		kv->dead = true;
		kv->dead_reason = xstrdup("ftrace has shut itself down (/sys/kernel/kpatch/ftrace says dead)");
		return;
	}
	text = tracefs_read(kv, "enabled_functions");
	if (!text && errno == ENODEV) {
		kv->dead = true;
		kv->dead_reason = xstrdup("ftrace has shut itself down (enabled_functions: No such device)");
		return;
	}
	if (!text && !kv->tracing) {
		error("cannot read enabled_functions: tracefs is mounted neither on /sys/kernel/tracing nor under /sys/kernel/debug%s",
		      geteuid() ? " (run as root to mount it)" : "");
		exit(EXIT_FAIL);
	}
	if (!text) {
		int err = errno;

		error("cannot read %s/enabled_functions: %s%s", kv->tracing,
		      strerror(err), err == EACCES ? " (run as root)" : "");
		exit(EXIT_FAIL);
	}
	parse_sites(kv, text);
	free(text);
	path = sys_path("/sys/kernel/debug/kprobes/list");
	kv->kprobes = read_text(path);
	free(path);
	read_tracer(kv);
}

static void free_kernel_view(struct kernel_view *kv)
{
	size_t i;

	for (i = 0; i < kv->nr_sites; i++) {
		free(kv->sites[i].name);
		free(kv->sites[i].module);
		free(kv->sites[i].handler);
		free(kv->sites[i].direct_to);
	}
	free(kv->sites);
	free(kv->dead_reason);
	free(kv->tracing);
	free(kv->kprobes);
	free(kv->tracer);
	free(kv->tracer_filter);
	free(kv->filter_funcs);
}

/* "NAME" or "NAME [MODULE]", as ftrace's filter files list a function. */
static bool names_function(const char *line, size_t len, const char *name,
			   const char *module)
{
	size_t nlen = strlen(name);

	if (len < nlen || strncmp(line, name, nlen))
		return false;
	if (!module)
		return len == nlen;
	return len == nlen + strlen(module) + 3 && line[nlen] == ' ' &&
	       line[nlen + 1] == '[' &&
	       !strncmp(line + nlen + 2, module, strlen(module));
}

/* How many lines of a filter file name the function. */
static size_t count_in_list(const char *list, const char *name,
			    const char *module)
{
	size_t n = 0, len;

	for (; list && *list; list += len + (list[len] == '\n')) {
		len = strcspn(list, "\n");
		n += names_function(list, len, name, module);
	}
	return n;
}

/*
 * kprobes list: "ADDR  k  SYM+0xOFF  [MODULE ][FLAGS]".  Only a kprobe
 * marked [FTRACE] is an ftrace user; one elsewhere in the function
 * changes nothing for the redirection.
 */
static size_t count_kprobes(const char *list, const char *name,
			    const char *module)
{
	size_t n = 0, len, nlen = strlen(name);

	for (; list && *list; list += len + (list[len] == '\n')) {
		char *line, *sym, *mod, *save = NULL;
		bool on_ftrace;

		len = strcspn(list, "\n");
		line = xasprintf("%.*s", (int)len, list);
		on_ftrace = strstr(line, "[FTRACE]");
		strtok_r(line, " ", &save);		/* address */
		strtok_r(NULL, " ", &save);		/* k, or r for a kretprobe */
		sym = strtok_r(NULL, " ", &save);
		mod = strtok_r(NULL, " ", &save);
		if (mod && mod[0] == '[')
			mod = NULL;			/* flags: in vmlinux */
		if (on_ftrace && sym && !strncmp(sym, name, nlen) &&
		    sym[nlen] == '+' &&
		    (module ? mod && !strcmp(mod, module) : !mod))
			n++;
		free(line);
	}
	return n;
}

/* The other users of a site, named as the operator knows them. */
struct users {
	char *text;		/* "a, b, c", or NULL */
};

static void add_user(struct users *u, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void add_user(struct users *u, const char *fmt, ...)
{
	char *one, *joined;
	va_list ap;

	va_start(ap, fmt);
	one = xvasprintf(fmt, ap);
	va_end(ap);
	joined = u->text ? xasprintf("%s, %s", u->text, one) : xstrdup(one);
	free(u->text);
	free(one);
	u->text = joined;
}

/*
 * Enabled patches of the kernel's livepatch with a version of the
 * function: /sys/kernel/livepatch/PATCH/OBJECT/FUNCTION,SYMPOS/.
 */
static void add_livepatch_users(struct users *u, const char *name,
				const char *object)
{
	char *dir = sys_path("/sys/kernel/livepatch"), **patches, **funcs;
	size_t np, nf, i, j, nlen = strlen(name);

	if (list_dir(dir, true, &patches, &np)) {
		free(dir);
		return;
	}
	for (i = 0; i < np; i++) {
		char *path = xasprintf("%s/%s/enabled", dir, patches[i]);
		char *enabled = read_text(path);

		free(path);
		path = xasprintf("%s/%s/%s", dir, patches[i], object);
		if (enabled && !strcmp(enabled, "1") &&
		    !list_dir(path, true, &funcs, &nf)) {
			for (j = 0; j < nf; j++)
				if (!strncmp(funcs[j], name, nlen) &&
				    funcs[j][nlen] == ',')
					break;
			if (j < nf)
				add_user(u, "the kernel's livepatch (%s)", patches[i]);
			free_strv(funcs, nf);
		}
		free(path);
		free(enabled);
	}
	free_strv(patches, np);
	free(dir);
}

static bool tracer_on(const struct kernel_view *kv, const char *name,
		      const char *module)
{
	const char *filter = kv->tracer_filter;

	if (!kv->tracer)
		return false;
	/* An empty filter traces every function. */
	return !filter || !*filter || filter[0] == '#' ||
	       count_in_list(filter, name, module);
}

static void find_other_users(const struct kernel_view *kv,
			     const struct ftrace_site *site, const char *name,
			     const char *module, const char *object,
			     struct users *u)
{
	size_t kprobes = count_kprobes(kv->kprobes, name, module);

	if (site->direct_to && !in_core(site->direct_to)) {
		char *sym = symbol_name(site->direct_to);

		if (!strncmp(sym, "bpf_trampoline_", 15))
			add_user(u, "a BPF trampoline (%s)", sym);
		else
			add_user(u, "a direct call to %s", site->direct_to);
		free(sym);
	}
	if (kprobes == 1)
		add_user(u, "a kprobe");
	else if (kprobes)
		add_user(u, "%zu kprobes", kprobes);
	if (tracer_on(kv, name, module))
		add_user(u, "the %s tracer", kv->tracer);
	add_livepatch_users(u, name, object);
	/*
	 * A lone handler nobody above accounts for; call_direct_funcs is
	 * ftrace's own, for the direct call the record names.
	 */
	if (site->handler && !in_core(site->handler) &&
	    !symbol_is(site->handler, "call_direct_funcs", NULL) && !u->text)
		add_user(u, "the ftrace handler %s", site->handler);
}

enum verdict { REACHED, NOT_REACHED, UNKNOWN };

/*
 * Whether the record agrees with the core's redirect; *how says by what
 * the calls arrive, or why they do not.
 */
static enum verdict judge_site(const struct ftrace_site *site,
			       const char *redirect, char **how)
{
	if (!strcmp(redirect, "ftrace")) {
		if (!site->ipmodify) {
			*how = xstrdup("no ftrace user on it may change the ip (no I flag): the core's handler is not there");
			return NOT_REACHED;
		}
		if (site->handler && !in_core(site->handler)) {
			*how = xasprintf("its ip is set by %s, not by the core's handler",
					 site->handler);
			return NOT_REACHED;
		}
		*how = site->handler ?
			xasprintf("the core's ftrace handler (%s)", site->handler) :
			xasprintf("ftrace, the ip set by one of its %ld users (I flag)",
				  site->ops);
		return REACHED;
	}
	if (!strcmp(redirect, "direct") || !strcmp(redirect, "slot")) {
		if (!site->direct || !site->direct_to) {
			*how = xasprintf("the core says %s, but the site has no direct call",
					 redirect);
			return NOT_REACHED;
		}
		if (!symbol_is(site->direct_to, "kpatch_slots", CORE_MODULE)) {
			/* Named with the other users. */
			*how = xstrdup("its direct call goes elsewhere than the core's slot");
			return NOT_REACHED;
		}
		*how = xasprintf("a direct call to the core's slot (%s)",
				 site->direct_to);
		return REACHED;
	}
	*how = xasprintf("the core's redirect '%s' is not one this kpatch knows",
			 redirect);
	return UNKNOWN;
}

static bool site_is(const struct ftrace_site *s, const char *name,
		    const char *module)
{
	if (strcmp(s->name, name))
		return false;
	return module ? s->module && !strcmp(s->module, module) : !s->module;
}

/*
 * The record of one patched function.  A name several functions of the
 * object share (sympos > 0) has a record per copy ftrace hooks, and
 * enabled_functions names records, not addresses.  So such a function is
 * reached only if every copy ftrace can hook (available_filter_functions)
 * has a record and every record is reached; it is not reached if no
 * record is; anything between leaves the question open.
 */
static enum verdict judge_function(struct kernel_view *kv, const char *name,
				   const char *module, unsigned int sympos,
				   const char *redirect, char **how,
				   const struct ftrace_site **site)
{
	const struct ftrace_site *first_bad = NULL;
	size_t i, matches = 0, reached = 0, copies;
	char *bad_how = NULL;

	*site = NULL;
	for (i = 0; i < kv->nr_sites; i++) {
		const struct ftrace_site *s = &kv->sites[i];
		char *one;

		if (!site_is(s, name, module))
			continue;
		matches++;
		if (judge_site(s, redirect, &one) == REACHED) {
			reached++;
			*site = s;
			free(*how);
			*how = one;
		} else if (!first_bad) {
			first_bad = s;
			bad_how = one;
		} else {
			free(one);
		}
	}
	if (!matches) {
		*how = xstrdup("ftrace calls nothing at it (no line in enabled_functions)");
		return NOT_REACHED;
	}
	if (!reached) {
		*site = first_bad;
		*how = matches == 1 ? bad_how :
			xasprintf("none of the %zu records named %s is reached; the first: %s",
				  matches, name, bad_how);
		if (matches > 1)
			free(bad_how);
		return NOT_REACHED;
	}
	if (matches == 1 && !sympos)
		return REACHED;
	if (!kv->filter_funcs)
		kv->filter_funcs = tracefs_read(kv, "available_filter_functions");
	copies = count_in_list(kv->filter_funcs, name, module);
	if (reached == matches && matches == copies) {
		if (copies > 1) {
			free(*how);
			*how = xasprintf("ftrace: all %zu functions named %s are reached",
					 copies, name);
		}
		return REACHED;
	}
	free(bad_how);
	free(*how);
	*site = NULL;
	*how = xasprintf("%s is not unique in %s: %zu of its %zu ftrace records are reached and enabled_functions does not say which is this one",
			 name, module ? module : "vmlinux", reached, copies);
	return UNKNOWN;
}

static char *func_attr(const char *fdir, const char *attr)
{
	char *path = xasprintf("%s/%s", fdir, attr);
	char *val = read_text(path);

	free(path);
	return val;
}

/*
 * Somebody else's trampoline on a site the core's handler holds (a BPF
 * trampoline beside the core's ftrace_ops) runs the patch only if it does
 * not call the original function itself (trampoline.c): its code says,
 * or the question is left open with the reason.
 */
static enum verdict check_trampoline(const struct ftrace_site *site,
				     const char *name, const char *old_addr,
				     char **how)
{
	unsigned long func = old_addr ? strtoul(old_addr, NULL, 16) : 0, at;
	char *sym = symbol_name(site->direct_to), *why = NULL, *more;
	enum verdict v = UNKNOWN;

	if (!func)
		why = xstrdup("the core gives no old_addr for it");
	else
		switch (trampoline_calls_original(site->direct_to, func, &at, &why)) {
		case TRAMP_CALLS_ORIGINAL:
			v = NOT_REACHED;
			break;
		case TRAMP_NO_ORIGINAL_CALL:
			v = REACHED;
			break;
		case TRAMP_UNREAD:
			break;
		}
	if (v == NOT_REACHED)
		more = xasprintf("%s calls the original %s itself (a call at +%#lx to its body, past its fentry site), so calls through it miss the core's handler",
				 sym, name, at);
	else if (v == REACHED)
		more = xasprintf("%s; %s does not call the original %s itself (its code, read through /proc/kcore)",
				 *how, sym, name);
	else
		more = xasprintf("%s, but whether %s calls the original %s itself is not checked: %s",
				 *how, sym, name, why);
	free(*how);
	*how = more;
	free(why);
	free(sym);
	return v;
}

/*
 * The verdict on a function the core calls patched, and by what its calls
 * arrive or why they do not.
 */
static enum verdict verify_patched(struct kernel_view *kv, const char *name,
				   const char *object, unsigned int sympos,
				   const char *redirect, const char *old_addr,
				   char **how, struct users *users)
{
	const char *module = strcmp(object, "vmlinux") ? object : NULL;
	const struct ftrace_site *site = NULL;
	enum verdict v;

	if (!kv->read)
		read_kernel_view(kv);
	if (kv->dead) {
		*how = xstrdup(kv->dead_reason);
		return NOT_REACHED;
	}
	if (!redirect || !*redirect) {
		*how = xasprintf("the core has not attached it (redirect is %s)",
				 redirect ? "empty" : "unreadable");
		return NOT_REACHED;
	}
	v = judge_function(kv, name, module, sympos, redirect, how, &site);
	if (v == REACHED && !strcmp(redirect, "ftrace") && site->direct_to &&
	    !in_core(site->direct_to))
		v = check_trampoline(site, name, old_addr, how);
	/* Which copy a doubtful record is, is the doubt: name nobody on it. */
	if (site && v != UNKNOWN)
		find_other_users(kv, site, name, module, object, users);
	return v;
}

/* One function of a patch: its line; false when it is not reached. */
static bool verify_function(struct kernel_view *kv, const char *patch,
			    bool patch_on, const char *object, bool obj_loaded,
			    const char *odir, const char *entry)
{
	char *fdir = xasprintf("%s/%s", odir, entry);
	char *active = func_attr(fdir, "active");
	char *redirect = func_attr(fdir, "redirect");
	char *old_addr = func_attr(fdir, "old_addr");
	char *name = xstrdup(entry), *comma = strrchr(name, ','), *how = NULL;
	char *label = xstrdup(name);
	struct users users = { };
	unsigned int sympos = 0;
	enum verdict v = REACHED;

	if (comma) {
		*comma = '\0';
		sympos = strtoul(comma + 1, NULL, 10);
		free(label);
		label = sympos ? xstrdup(entry) : xstrdup(name);
	}
	if (!patch_on || !obj_loaded ||
	    ((!active || strcmp(active, "1")) && !core_says_dead(kv))) {
		printf("%s %s/%s: not checked: %s\n", patch, object, label,
		       !patch_on ? "the patch is disabled" :
		       !obj_loaded ? "its object is not loaded" :
		       "another version of it is active");
		goto out;
	}
	v = verify_patched(kv, name, object, sympos, redirect, old_addr, &how,
			   &users);
	printf("%s %s/%s: ", patch, object, label);
	if (v == REACHED)
		printf("reached through %s", how);
	else
		printf("%s: %s", v == UNKNOWN ? "NOT verified" : "NOT reached", how);
	if (users.text)
		printf("; %son the site: %s", v == REACHED ? "also " : "",
		       users.text);
	printf("\n");
out:
	free(users.text);
	free(how);
	free(label);
	free(name);
	free(redirect);
	free(old_addr);
	free(active);
	free(fdir);
	return v == REACHED;
}

/* Every function of a patch; false when one is not reached. */
static bool verify_patch(struct kernel_view *kv, const char *patch)
{
	char *pdir = sys_path("/sys/kernel/kpatch/%s", patch);
	bool patch_on = patch_enabled(patch) == 1, ok = true;
	char **objs, **funcs;
	size_t no, nf, i, j;

	if (list_dir(pdir, true, &objs, &no)) {
		error("cannot read %s: %s", pdir, strerror(errno));
		free(pdir);
		return false;
	}
	for (i = 0; i < no; i++) {
		char *odir = xasprintf("%s/%s", pdir, objs[i]);
		char *path = xasprintf("%s/loaded", odir);
		char *loaded = read_text(path);

		if (!list_dir(odir, true, &funcs, &nf)) {
			for (j = 0; j < nf; j++)
				if (!verify_function(kv, patch, patch_on, objs[i],
						     !loaded || strcmp(loaded, "0"),
						     odir, funcs[j]))
					ok = false;
			free_strv(funcs, nf);
		}
		free(loaded);
		free(path);
		free(odir);
	}
	free_strv(objs, no);
	free(pdir);
	return ok;
}

int cmd_verify(int argc, char **argv)
{
	static const struct option options[] = {
		{ "help", no_argument, NULL, 'h' },
		{ }
	};
	struct kernel_view kv = { .core_dead = -1 };
	char **names;
	size_t n, i;
	bool ok = true;
	int ret;

	while (next_option(argc, argv, "h", options) != -1)
		;
	if (optind < argc) {
		n = argc - optind;
		names = xcalloc(n, sizeof(*names));
		for (i = 0; i < n; i++) {
			names[i] = module_name_of(argv[optind + i]);
			if (!patch_registered(names[i])) {
				error("%s is not a loaded patch module", names[i]);
				free_strv(names, n);
				return EXIT_FAIL;
			}
		}
	} else if (registered_patches(&names, &n)) {
		return EXIT_FAIL;
	}
	if (!n)
		printf("No patch module is loaded.\n");
	for (i = 0; i < n; i++)
		if (!verify_patch(&kv, names[i]))
			ok = false;
	ret = ok ? EXIT_OK : EXIT_FAIL;
	free_strv(names, n);
	free_kernel_view(&kv);
	return ret;
}

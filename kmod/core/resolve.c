// SPDX-License-Identifier: GPL-2.0
/*
 * resolve.c - reaching what the kernel does not export, and resolving a
 * patch's references against the running kernel.
 *
 * Bootstrap.  A kprobe registered on "kallsyms_lookup_name" makes the
 * kernel resolve that name for us; sprint_symbol() (exported) must then
 * describe the probed address as kallsyms_lookup_name+off in vmlinux, and
 * the function found that way must return the exact addresses the module
 * loader gave us for two exported symbols.  Every other helper is looked
 * up by name and must be described by sprint_symbol() as name+0x0 in
 * vmlinux.  Any mismatch fails kpatch.ko's load: nothing is guessed.
 *
 * The helpers are called through static calls, never through function
 * pointers: with IBT, objtool seals the ENDBR of functions whose address
 * the kernel never takes, and an indirect call to one of those traps.  A
 * static call is a direct call that the kernel itself patches in.
 */
#define pr_fmt(fmt) "kpatch: " fmt

#include <linux/kallsyms.h>
#include <linux/kprobes.h>
#include <linux/memory.h>
#include <linux/slab.h>
#include <linux/stacktrace.h>
#include <linux/static_call.h>
#include <asm/text-patching.h>
#include "compat.h"
#include "core.h"

DEFINE_STATIC_CALL_NULL(kpatch_sc_lookup_name, kallsyms_lookup_name);
DEFINE_STATIC_CALL_NULL(kpatch_sc_each_match, kallsyms_on_each_match_symbol);
DEFINE_STATIC_CALL_NULL(kpatch_sc_find_module, find_module);
DEFINE_STATIC_CALL_NULL(kpatch_sc_ftrace_location, ftrace_location);
DEFINE_STATIC_CALL_NULL(kpatch_sc_text_poke, text_poke);
DEFINE_STATIC_CALL_NULL(kpatch_sc_ftrace_is_dead, ftrace_is_dead);
DEFINE_STATIC_CALL_NULL(kpatch_sc_stack, stack_trace_save_tsk_reliable);
DEFINE_STATIC_CALL_NULL(kpatch_sc_idle_task, idle_task);
DEFINE_STATIC_CALL_NULL(kpatch_sc_task_call, task_call_func);

static struct mutex *kpatch_text_mutex;
static int *kpatch_ftrace_enabled;	/* the sysctl kernel.ftrace_enabled */
/* The per-CPU section: its symbols' values are offsets into each area. */
static unsigned long kpatch_percpu_start, kpatch_percpu_end;
static struct mutex *kpatch_klp_mutex;		/* optional, for messages */
static struct list_head *kpatch_klp_patches;

/* What sprint_symbol() says about an address. */
struct kpatch_sym_desc {
	char buf[KSYM_SYMBOL_LEN];
	const char *name;
	const char *modname;	/* "" for vmlinux */
	unsigned long offset, size;
};

/* Parse "name+0xoff/0xsize [mod]"; false if @addr is no known symbol. */
static bool kpatch_describe(unsigned long addr, struct kpatch_sym_desc *d)
{
	char *plus, *slash, *mod;

	sprint_symbol(d->buf, addr);
	d->modname = "";
	mod = strstr(d->buf, " [");
	if (mod) {
		*mod = '\0';
		mod += 2;
		mod[strcspn(mod, "]")] = '\0';
		d->modname = mod;
	}
	plus = strrchr(d->buf, '+');
	slash = plus ? strchr(plus, '/') : NULL;
	if (!slash)
		return false;
	*plus = '\0';
	*slash = '\0';
	d->name = d->buf;
	return !kstrtoul(plus + 1, 0, &d->offset) &&
	       !kstrtoul(slash + 1, 0, &d->size);
}

/* @addr must be exactly the start of vmlinux symbol @name. */
static bool kpatch_is_vmlinux_symbol(unsigned long addr, const char *name)
{
	struct kpatch_sym_desc d;

	return addr && kpatch_describe(addr, &d) && !strcmp(d.name, name) &&
	       !d.offset && !d.modname[0];
}

static unsigned long kpatch_probe_kallsyms(void)
{
	struct kprobe kp = { .symbol_name = "kallsyms_lookup_name" };
	struct kpatch_sym_desc d;
	unsigned long addr;

	if (register_kprobe(&kp))
		return 0;
	addr = (unsigned long)kp.addr;
	unregister_kprobe(&kp);

	/* kprobes may step over an ENDBR: accept a small offset only. */
	if (!kpatch_describe(addr, &d) ||
	    strcmp(d.name, "kallsyms_lookup_name") || d.modname[0] ||
	    d.offset > 16)
		return 0;
	return addr - d.offset;
}

static unsigned long kpatch_bootstrap_lookup(const char *name)
{
	unsigned long addr = static_call(kpatch_sc_lookup_name)(name);

	if (!kpatch_is_vmlinux_symbol(addr, name)) {
		pr_err("bootstrap: '%s' resolved to %pS, which kallsyms does not describe as that symbol; refusing to load\n",
		       name, (void *)addr);
		return 0;
	}
	return addr;
}

static int kpatch_count_match(void *data, unsigned long addr)
{
	unsigned long *m = data;

	m[0]++;
	m[1] = addr;
	return 0;
}

/*
 * A section bound.  That of the per-CPU section may be 0 (an offset), so
 * kallsyms_lookup_name() cannot tell it from "not found", and another
 * symbol may share the address, so sprint_symbol() may name that one:
 * the name must exist exactly once.
 */
static bool kpatch_section_bound(const char *name, unsigned long *val)
{
	unsigned long m[2] = { 0, 0 };

	static_call(kpatch_sc_each_match)(kpatch_count_match, name, m);
	*val = m[1];
	return m[0] == 1;
}

#define KPATCH_BIND(key, name, type)					\
	({								\
		unsigned long __a = kpatch_bootstrap_lookup(name);	\
		if (__a)						\
			static_call_update(key, (type)__a);		\
		__a;							\
	})

int kpatch_bootstrap(void)
{
	unsigned long kln = kpatch_probe_kallsyms();

	if (!kln) {
		pr_err("bootstrap: cannot locate kallsyms_lookup_name through a kprobe; refusing to load\n");
		return -ENOENT;
	}
	static_call_update(kpatch_sc_lookup_name,
			   (typeof(&kallsyms_lookup_name))kln);

	if (static_call(kpatch_sc_lookup_name)("sprint_symbol") !=
	    (unsigned long)sprint_symbol ||
	    static_call(kpatch_sc_lookup_name)("register_kprobe") !=
	    (unsigned long)register_kprobe ||
	    static_call(kpatch_sc_lookup_name)("kallsyms_lookup_name") != kln) {
		pr_err("bootstrap: the function found at %pS does not behave like kallsyms_lookup_name; refusing to load\n",
		       (void *)kln);
		return -EINVAL;
	}

	if (!KPATCH_BIND(kpatch_sc_each_match, "kallsyms_on_each_match_symbol",
			 typeof(&kallsyms_on_each_match_symbol)) ||
	    !KPATCH_BIND(kpatch_sc_find_module, "find_module",
			 typeof(&find_module)) ||
	    !KPATCH_BIND(kpatch_sc_ftrace_location, "ftrace_location",
			 typeof(&ftrace_location)) ||
	    !KPATCH_BIND(kpatch_sc_text_poke, "text_poke",
			 typeof(&text_poke)) ||
	    !KPATCH_BIND(kpatch_sc_ftrace_is_dead, "ftrace_is_dead",
			 typeof(&ftrace_is_dead)) ||
	    !KPATCH_BIND(kpatch_sc_stack, "stack_trace_save_tsk_reliable",
			 typeof(&stack_trace_save_tsk_reliable)) ||
	    !KPATCH_BIND(kpatch_sc_idle_task, "idle_task",
			 typeof(&idle_task)) ||
	    !KPATCH_BIND(kpatch_sc_task_call, "task_call_func",
			 typeof(&task_call_func)))
		return -ENOENT;

	kpatch_text_mutex = (struct mutex *)kpatch_bootstrap_lookup("text_mutex");
	if (!kpatch_text_mutex)
		return -ENOENT;
	kpatch_ftrace_enabled = (int *)kpatch_bootstrap_lookup("ftrace_enabled");
	if (!kpatch_ftrace_enabled)
		return -ENOENT;
	if (!kpatch_section_bound("__per_cpu_start", &kpatch_percpu_start) ||
	    !kpatch_section_bound("__per_cpu_end", &kpatch_percpu_end) ||
	    kpatch_percpu_end <= kpatch_percpu_start) {
		pr_err("bootstrap: cannot find the per-CPU section (__per_cpu_start, __per_cpu_end); refusing to load\n");
		return -ENOENT;
	}

	/* Only to name a conflicting livepatch: its absence is no error. */
	if (KPATCH_HAVE_KLP) {
		unsigned long m = static_call(kpatch_sc_lookup_name)("klp_mutex");
		unsigned long p = static_call(kpatch_sc_lookup_name)("klp_patches");

		if (kpatch_is_vmlinux_symbol(m, "klp_mutex") &&
		    kpatch_is_vmlinux_symbol(p, "klp_patches")) {
			kpatch_klp_mutex = (struct mutex *)m;
			kpatch_klp_patches = (struct list_head *)p;
		}
	}
	return 0;
}

int kpatch_stack_of(struct task_struct *t, unsigned long *store,
		    unsigned int size)
{
	return static_call(kpatch_sc_stack)(t, store, size);
}

struct task_struct *kpatch_idle_task(int cpu)
{
	return static_call(kpatch_sc_idle_task)(cpu);
}

/* @fn(@t, @arg) with @t kept from starting or stopping to run. */
int kpatch_task_call(struct task_struct *t, task_call_f fn, void *arg)
{
	return static_call(kpatch_sc_task_call)(t, fn, arg);
}

/*
 * A module that is coming (*@coming set) or live; the caller holds
 * kpatch_mutex.
 */
struct module *kpatch_find_module(const char *name, bool *coming)
{
	struct module *mod;

	/*
	 * The pointer stays valid after preempt_enable(): a module that goes
	 * away first calls our GOING notifier, which waits for kpatch_mutex.
	 */
	preempt_disable();
	mod = static_call(kpatch_sc_find_module)(name);
	if (mod && mod->state != MODULE_STATE_COMING &&
	    mod->state != MODULE_STATE_LIVE)
		mod = NULL;
	*coming = mod && mod->state == MODULE_STATE_COMING;
	preempt_enable();
	return mod;
}

struct kpatch_match {
	const char *name;
	unsigned long sympos;
	unsigned long count;
	unsigned long addr;
	unsigned long size;	/* st_size, known for module symbols only */
};

static void kpatch_match_one(struct kpatch_match *m, unsigned long addr,
			     unsigned long size)
{
	m->count++;
	if (m->count == (m->sympos ? m->sympos : 1)) {
		m->addr = addr;
		m->size = size;
	}
}

static int kpatch_match_vmlinux(void *data, unsigned long addr)
{
	kpatch_match_one(data, addr, 0);
	return 0;
}

/* Symbol-table order, as the header defines sympos for modules. */
static void kpatch_match_module(struct module *mod, struct kpatch_match *m)
{
	const struct mod_kallsyms *ks;
	unsigned int i;

	preempt_disable();
	ks = kpatch_mod_kallsyms(mod);
	for (i = 0; i < ks->num_symtab; i++) {
		const Elf_Sym *sym = &ks->symtab[i];

		if (sym->st_shndx == SHN_UNDEF ||
		    strcmp(ks->strtab + sym->st_name, m->name))
			continue;
		kpatch_match_one(m, sym->st_value, sym->st_size);
	}
	preempt_enable();
}

/*
 * Is @name a zero-size symbol of @mod at @addr?  Such a marker shares its
 * address with the first real symbol after it, and the module's kallsyms
 * may name the marker instead: 6.12's module.lds puts __start_alloc_tags
 * and __stop_alloc_tags at the start of every module's .data.
 */
static bool kpatch_mod_marker_at(struct module *mod, const char *name,
				 unsigned long addr)
{
	struct kpatch_match m = { .name = name };

	kpatch_match_module(mod, &m);
	return m.count == 1 && m.addr == addr && !m.size;
}

static bool kpatch_is_percpu(unsigned long addr)
{
	return addr >= kpatch_percpu_start && addr < kpatch_percpu_end;
}

/*
 * A per-CPU variable of vmlinux: its value is an offset into every CPU's
 * area, which no lookup by address describes.  It was found by name; it
 * must lie, whole, inside the per-CPU section.  Its size as built is all
 * there is to go by (kallsyms keeps none for it).
 */
static unsigned long kpatch_check_percpu(struct kpatch_obj *obj,
					 const char *name, unsigned long sympos,
					 unsigned long size, unsigned long addr,
					 unsigned long *ksize)
{
	if (size > kpatch_percpu_end - addr) {
		kpatch_set_error(obj->priv, "per-CPU symbol %s,%lu in %s at offset %#lx does not fit its %lu bytes in the per-CPU section (which ends at %#lx)",
				 name, sympos, obj->name, addr, size,
				 kpatch_percpu_end);
		return 0;
	}
	*ksize = size;
	return addr;
}

/*
 * Does the size found for the symbol at @addr, @ksize, fit the @size it was
 * built with?  vmlinux's kallsyms measures the distance to the next symbol,
 * which adds the padding that aligns that next symbol: less than
 * KPATCH_SIZE_SLACK, or less than the next symbol's alignment (which its
 * address bounds) when that is larger: 6.12's saved_command_line is
 * followed by page-aligned data.  A function of vmlinux (@func: a symbol
 * in its text) may also be followed by code that no symbol names and
 * kallsyms counts as its own: the body of a __weak function another file
 * overrides stays in the image (6.12's __x64_sys_umask is 43 bytes,
 * followed by the 70 of an overridden arch_prctl_spec_ctrl_get; Debian's
 * 6.1.0-57 acct_process is 298 bytes, and kallsyms measures 368).  So
 * only a shorter size disproves a function, whether the patch replaces it
 * or only calls it; kpatch load has checked vmlinux's build ID.  The same
 * holds for data of vmlinux (@unnamed_follows): an overridden __weak
 * object stays in the image without a symbol too, and clang-16 with LLD
 * puts 6.1's weak linux_banner of init/version.c right after the
 * linux_proc_banner that 01-proc-version refers to (90 bytes, kallsyms
 * 226).  (A module's size is exact, with only the alignment slack.)
 */
static bool kpatch_size_fits(unsigned long addr, unsigned long ksize,
			     unsigned long size, bool unnamed_follows)
{
	unsigned long next = addr + ksize;

	if (ksize < size)
		return false;
	return unnamed_follows ||
	       ksize - size < max_t(unsigned long, KPATCH_SIZE_SLACK,
				    next & -next);
}

/*
 * Find @name at position @sympos in @obj and check it against kallsyms:
 * a symbol start, in the right object, with a size that fits @size.
 */
static unsigned long kpatch_lookup(struct kpatch_obj *obj, const char *name,
				   unsigned long sympos, unsigned long size,
				   unsigned long *ksize)
{
	struct kpatch_priv *priv = obj->priv;
	struct kpatch_match m = { .name = name, .sympos = sympos };
	struct kpatch_sym_desc d;

	if (obj->mod)
		kpatch_match_module(obj->mod, &m);
	else
		static_call(kpatch_sc_each_match)(kpatch_match_vmlinux, name, &m);

	if (!m.count) {
		kpatch_set_error(priv, "symbol %s not found in %s", name,
				 obj->name);
		return 0;
	}
	if (!sympos && m.count > 1) {
		kpatch_set_error(priv, "symbol %s is ambiguous in %s (%lu of that name) and the patch gives no position",
				 name, obj->name, m.count);
		return 0;
	}
	if (!m.addr) {
		kpatch_set_error(priv, "symbol %s,%lu not found in %s: it has only %lu of that name",
				 name, sympos, obj->name, m.count);
		return 0;
	}
	if (!obj->mod && kpatch_is_percpu(m.addr))
		return kpatch_check_percpu(obj, name, sympos, size, m.addr,
					   ksize);
	/*
	 * A zero-size object (an empty lock_class_key without lockdep, say)
	 * shares its address with the next symbol, which kallsyms may name
	 * instead; for it, the object and the offset are what can be checked.
	 */
	if (!kpatch_describe(m.addr, &d)) {
		kpatch_set_error(priv, "kallsyms finds %s,%lu in %s at %#lx but describes no symbol there",
				 name, sympos, obj->name, m.addr);
		return 0;
	}
	if ((size && strcmp(d.name, name) &&
	     !(obj->mod && kpatch_mod_marker_at(obj->mod, d.name, m.addr))) ||
	    d.offset ||
	    strcmp(d.modname, obj->mod ? obj->mod->name : "")) {
		kpatch_set_error(priv, "kallsyms finds %s,%lu in %s at %#lx but describes that address as %s+%#lx in %s",
				 name, sympos, obj->name, m.addr, d.name,
				 d.offset, d.modname[0] ? d.modname : KPATCH_VMLINUX);
		return 0;
	}
	/*
	 * A module's kallsyms only measures text symbols (distance to the
	 * next one); its symbol table has the exact size of every symbol.
	 */
	if (obj->mod)
		d.size = m.size;
	if (size && !kpatch_size_fits(m.addr, d.size, size, !obj->mod)) {
		kpatch_set_error(priv, "symbol %s,%lu in %s has size %lu in the running kernel, the patch was built against size %lu",
				 name, sympos, obj->name, d.size, size);
		return 0;
	}
	*ksize = d.size;
	return m.addr;
}

/*
 * The ftrace location of the function at @addr, 0: none.  Asked for the
 * fentry call exactly where it must be: given a function's start,
 * ftrace_location() returns any record within its kallsyms size, which
 * may belong to an unnamed stub that follows it.
 */
unsigned long kpatch_ftrace_location(unsigned long addr)
{
	unsigned long ip = kpatch_fentry_addr(addr);

	return static_call(kpatch_sc_ftrace_location)(ip) == ip ? ip : 0;
}

int kpatch_resolve_fn(struct kpatch_fn *fn)
{
	unsigned long addr, size, ip;

	addr = kpatch_lookup(fn->obj, fn->name, fn->sympos, fn->build_size,
			     &size);
	if (!addr)
		return -ENOENT;
	ip = kpatch_ftrace_location(addr);
	if (!ip) {
		kpatch_set_error(fn->obj->priv, "function %s in %s has no ftrace entry (notrace or not traceable); it cannot be patched",
				 fn->name, fn->obj->name);
		return -EINVAL;
	}
	if (fn->old_cold_name) {
		fn->old_cold_addr = kpatch_lookup(fn->obj, fn->old_cold_name,
						  fn->old_cold_sympos,
						  fn->old_cold_build_size,
						  &fn->old_cold_size);
		if (!fn->old_cold_addr)
			return -ENOENT;
	}
	fn->old_addr = addr;
	fn->old_size = size;
	fn->ftrace_ip = ip;
	return 0;
}

struct kpatch_write {
	unsigned long dest;
	u64 val;
	unsigned int len;
};

static bool kpatch_reloc_value(const struct kpatch_reloc *r, unsigned long s,
			       struct kpatch_write *w)
{
	s64 v;

	w->dest = r->dest;
	switch (r->type) {
	case R_X86_64_64:
		w->val = s + r->addend;
		w->len = 8;
		return true;
	case R_X86_64_32:
		w->val = s + r->addend;
		w->len = 4;
		return w->val <= U32_MAX;
	case R_X86_64_32S:
		v = s + r->addend;
		break;
	case R_X86_64_PC32:
	case R_X86_64_PLT32:
		v = s + r->addend - r->dest;
		break;
	default:
		return false;
	}
	w->val = (u32)v;
	w->len = 4;
	return v == (s32)v;
}

static bool kpatch_reloc_is(const struct kpatch_reloc *r,
			    const struct kpatch_obj *obj)
{
	const char *objname = (const char *)(unsigned long)r->objname;

	return kpatch_is_vmlinux(objname) ? kpatch_is_vmlinux(obj->name) :
	       !strcmp(objname, obj->name);
}

/*
 * Resolve and verify every relocation of @obj first; write only when all
 * of them are good, so that a failure leaves the patch module untouched.
 */
int kpatch_apply_relocs(struct kpatch_obj *obj)
{
	const struct kpatch_patch *desc = obj->priv->desc;
	const struct kpatch_reloc *r;
	struct kpatch_write *w;
	unsigned long s, size;
	unsigned int n = 0, i;
	int ret = 0;

	for (r = desc->relocs; r < desc->relocs_end; r++)
		n += kpatch_reloc_is(r, obj);
	if (!n)
		return 0;
	w = kvcalloc(n, sizeof(*w), GFP_KERNEL);
	if (!w)
		return -ENOMEM;

	i = 0;
	for (r = desc->relocs; r < desc->relocs_end; r++) {
		const char *name = (const char *)(unsigned long)r->name;

		if (!kpatch_reloc_is(r, obj))
			continue;
		s = kpatch_lookup(obj, name, r->sympos, r->size, &size);
		if (!s) {
			ret = -ENOENT;
			goto out;
		}
		if (!kpatch_reloc_value(r, s, &w[i])) {
			kpatch_set_error(obj->priv, "relocation of type %u to %s in %s does not fit at %pS",
					 r->type, name, obj->name,
					 (void *)(unsigned long)r->dest);
			ret = -ERANGE;
			goto out;
		}
		i++;
	}

	mutex_lock(kpatch_text_mutex);
	for (i = 0; i < n; i++)
		static_call(kpatch_sc_text_poke)((void *)w[i].dest, &w[i].val,
						 w[i].len);
	mutex_unlock(kpatch_text_mutex);
out:
	kvfree(w);
	return ret;
}

/*
 * ftrace shut itself down after an internal error (ftrace_kill()): no
 * ops is called any more, so no patch redirects anything.
 */
bool kpatch_ftrace_dead(void)
{
	return static_call(kpatch_sc_ftrace_is_dead)();
}

/*
 * ftrace refuses a PERMANENT ops with -EBUSY while the sysctl
 * kernel.ftrace_enabled is 0, the same error as a conflict.
 */
bool kpatch_ftrace_off(void)
{
	return !READ_ONCE(*kpatch_ftrace_enabled);
}

/* The kernel livepatch module that replaces @addr, if any (for messages). */
bool kpatch_klp_owner(unsigned long addr, char *buf, size_t len)
{
	bool klp = false;

	if (kpatch_klp_mutex) {
		mutex_lock(kpatch_klp_mutex);
		klp = kpatch_klp_owner_of(kpatch_klp_patches, addr, buf, len);
		mutex_unlock(kpatch_klp_mutex);
	}
	return klp;
}

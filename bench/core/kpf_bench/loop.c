// SPDX-License-Identifier: GPL-2.0
/*
 * kpf_bench - functions to patch and a tight loop to time them.
 *
 * kpfb_fn_0 ... kpfb_fn_999 are what the benchmark patches replace.
 * Writing to /proc/kpf_bench:
 *   "loop N"     calls kpfb_fn_0() N times; reading then returns the ns
 *                per call;
 *   "stop [NS]"  runs a bare stop_machine() whose callback does nothing
 *                (or spins NS ns, as long as a check took); reading then
 *                returns the ns the call took, timed as the core times its
 *                own (ktime_get_mono_fast_ns()), and /proc/kpf_bench_stop
 *                how they divide: "enter callback leave", the ns from the
 *                call until the callback ran, the callback, and from its
 *                end until the call returned;
 *   "threads N"  starts N kernel threads that sleep until "threads 0"
 *                stops them (tasks for the stack check to walk);
 *   "direct ...", "undirect"  arm and disarm kernel direct calls on the
 *                functions (direct.c); reading then returns the ns that took.
 * /proc/kpf_bench_clock reads as the monotonic clock in ns, for timing
 * from the shell.
 */
#include <linux/kthread.h>
#include <linux/module.h>
#include <linux/proc_fs.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/stop_machine.h>
#include <linux/timekeeping.h>
#include <linux/uaccess.h>
#include "kpf_bench.h"

/* Global for the patches, declared for 6.12's -Wmissing-prototypes. */
#define KPFB_DEFINE(n) int kpfb_fn_##n(int x); \
	noinline int kpfb_fn_##n(int x) { return x + 1; }
#define KPFB_REF(n) kpfb_fn_##n,
#define KPFB_10(X, d) X(d##0) X(d##1) X(d##2) X(d##3) X(d##4) X(d##5) \
	X(d##6) X(d##7) X(d##8) X(d##9)
#define KPFB_100(X, d) KPFB_10(X, d##0) KPFB_10(X, d##1) KPFB_10(X, d##2) \
	KPFB_10(X, d##3) KPFB_10(X, d##4) KPFB_10(X, d##5) KPFB_10(X, d##6) \
	KPFB_10(X, d##7) KPFB_10(X, d##8) KPFB_10(X, d##9)
#define KPFB_ALL(X) X(0) X(1) X(2) X(3) X(4) X(5) X(6) X(7) X(8) X(9) \
	KPFB_10(X, 1) KPFB_10(X, 2) KPFB_10(X, 3) KPFB_10(X, 4) \
	KPFB_10(X, 5) KPFB_10(X, 6) KPFB_10(X, 7) KPFB_10(X, 8) \
	KPFB_10(X, 9) KPFB_100(X, 1) KPFB_100(X, 2) KPFB_100(X, 3) \
	KPFB_100(X, 4) KPFB_100(X, 5) KPFB_100(X, 6) KPFB_100(X, 7) \
	KPFB_100(X, 8) KPFB_100(X, 9)

KPFB_ALL(KPFB_DEFINE)
int (*const kpfb_fns[KPFB_NR_FNS])(int) = { KPFB_ALL(KPFB_REF) };

static u64 kpfb_last_ps;	/* of the last "loop" or "stop", in ps */
/* The last "stop": when it was called, its callback ran, ended, it returned. */
static u64 kpfb_stop_t[4];
static int kpfb_sink;
static DEFINE_MUTEX(kpfb_threads_lock);
static struct task_struct **kpfb_threads;	/* under kpfb_threads_lock */
static unsigned long kpfb_nr_threads;

static int kpfb_sleeper(void *unused)
{
	while (!kthread_should_stop()) {
		set_current_state(TASK_INTERRUPTIBLE);
		if (!kthread_should_stop())
			schedule();
		__set_current_state(TASK_RUNNING);
	}
	return 0;
}

static void kpfb_stop_threads(void)
{
	while (kpfb_nr_threads)
		kthread_stop(kpfb_threads[--kpfb_nr_threads]);
	kvfree(kpfb_threads);
	kpfb_threads = NULL;
}

static int kpfb_start_threads(unsigned long n)
{
	struct task_struct *t;

	kpfb_threads = kvcalloc(n, sizeof(*kpfb_threads), GFP_KERNEL);
	if (!kpfb_threads)
		return -ENOMEM;
	while (kpfb_nr_threads < n) {
		t = kthread_run(kpfb_sleeper, NULL, "kpfb_sleep/%lu",
				kpfb_nr_threads);
		if (IS_ERR(t)) {
			kpfb_stop_threads();
			return PTR_ERR(t);
		}
		kpfb_threads[kpfb_nr_threads++] = t;
	}
	return 0;
}

/* A stop_machine() callback that takes *@data ns and does nothing else. */
static int kpfb_spin(void *data)
{
	u64 t0 = ktime_get_mono_fast_ns(), ns = *(u64 *)data, t;

	kpfb_stop_t[1] = t0;
	while ((t = ktime_get_mono_fast_ns()) - t0 < ns)
		cpu_relax();
	kpfb_stop_t[2] = t;
	return 0;
}

static int kpfb_show(struct seq_file *m, void *v)
{
	seq_printf(m, "%llu.%03llu\n", kpfb_last_ps / 1000, kpfb_last_ps % 1000);
	return 0;
}

static int kpfb_open(struct inode *inode, struct file *file)
{
	return single_open(file, kpfb_show, NULL);
}

static ssize_t kpfb_write(struct file *file, const char __user *ubuf,
			  size_t count, loff_t *ppos)
{
	char buf[32] = {};
	unsigned long n, i;
	u64 t0, t1;
	int x = 0, ret;

	if (copy_from_user(buf, ubuf, min(count, sizeof(buf) - 1)))
		return -EFAULT;
	if (!strcmp(strim(buf), "stop") || !strncmp(buf, "stop ", 5)) {
		u64 spin = 0;

		if (buf[4] && kstrtou64(strim(buf + 5), 0, &spin))
			return -EINVAL;
		kpfb_stop_t[0] = ktime_get_mono_fast_ns();
		stop_machine(kpfb_spin, &spin, NULL);
		kpfb_stop_t[3] = ktime_get_mono_fast_ns();
		kpfb_last_ps = (kpfb_stop_t[3] - kpfb_stop_t[0]) * 1000;
		return count;
	}
	if (!strncmp(buf, "direct ", 7) || !strcmp(strim(buf), "undirect")) {
		u64 ns;

		ret = kpfb_direct(strim(buf), &ns);
		if (!ret)
			kpfb_last_ps = ns * 1000;
		return ret ?: count;
	}
	if (!strncmp(buf, "threads ", 8)) {
		if (kstrtoul(strim(buf + 8), 0, &n))
			return -EINVAL;
		mutex_lock(&kpfb_threads_lock);
		kpfb_stop_threads();
		ret = n ? kpfb_start_threads(n) : 0;
		mutex_unlock(&kpfb_threads_lock);
		return ret ?: count;
	}
	if (strncmp(buf, "loop ", 5) || kstrtoul(strim(buf + 5), 0, &n) || !n)
		return -EINVAL;
	t0 = ktime_get_ns();
	for (i = 0; i < n; i++)
		x = kpfb_fn_0(x);
	t1 = ktime_get_ns();
	WRITE_ONCE(kpfb_sink, x);
	kpfb_last_ps = (t1 - t0) * 1000 / n;
	return count;
}

static const struct proc_ops kpfb_ops = {
	.proc_open = kpfb_open,
	.proc_read = seq_read,
	.proc_write = kpfb_write,
	.proc_lseek = seq_lseek,
	.proc_release = single_release,
};

static int kpfb_stop_show(struct seq_file *m, void *v)
{
	seq_printf(m, "%llu %llu %llu\n", kpfb_stop_t[1] - kpfb_stop_t[0],
		   kpfb_stop_t[2] - kpfb_stop_t[1],
		   kpfb_stop_t[3] - kpfb_stop_t[2]);
	return 0;
}

static int kpfb_clock_show(struct seq_file *m, void *v)
{
	seq_printf(m, "%llu\n", ktime_get_ns());
	return 0;
}

static int __init kpfb_init(void)
{
	if (!proc_create("kpf_bench", 0644, NULL, &kpfb_ops))
		return -ENOMEM;
	if (!proc_create_single("kpf_bench_clock", 0444, NULL, kpfb_clock_show)) {
		remove_proc_entry("kpf_bench", NULL);
		return -ENOMEM;
	}
	if (!proc_create_single("kpf_bench_stop", 0444, NULL, kpfb_stop_show)) {
		remove_proc_entry("kpf_bench_clock", NULL);
		remove_proc_entry("kpf_bench", NULL);
		return -ENOMEM;
	}
	return 0;
}

static void __exit kpfb_exit(void)
{
	kpfb_stop_threads();
	kpfb_direct_exit();
	remove_proc_entry("kpf_bench_stop", NULL);
	remove_proc_entry("kpf_bench_clock", NULL);
	remove_proc_entry("kpf_bench", NULL);
}

module_init(kpfb_init);
module_exit(kpfb_exit);
MODULE_LICENSE("GPL");

// SPDX-License-Identifier: GPL-2.0
/*
 * kpf_bench - functions to patch and a tight loop to time them.
 *
 * kpfb_fn_0 ... kpfb_fn_99 are what the benchmark patches replace.
 * Writing "loop N" to /proc/kpf_bench calls kpfb_fn_0() N times and
 * reading it returns the ns per call of the last loop; /proc/kpf_bench_clock
 * reads as the monotonic clock in ns, for timing from the shell.
 */
#include <linux/module.h>
#include <linux/proc_fs.h>
#include <linux/seq_file.h>
#include <linux/timekeeping.h>
#include <linux/uaccess.h>

#define KPFB_FN(n) noinline int kpfb_fn_##n(int x) { return x + 1; }
#define KPFB_FN10(d) KPFB_FN(d##0) KPFB_FN(d##1) KPFB_FN(d##2) KPFB_FN(d##3) \
	KPFB_FN(d##4) KPFB_FN(d##5) KPFB_FN(d##6) KPFB_FN(d##7) KPFB_FN(d##8) \
	KPFB_FN(d##9)
KPFB_FN(0) KPFB_FN(1) KPFB_FN(2) KPFB_FN(3) KPFB_FN(4) KPFB_FN(5) KPFB_FN(6)
KPFB_FN(7) KPFB_FN(8) KPFB_FN(9)
KPFB_FN10(1) KPFB_FN10(2) KPFB_FN10(3) KPFB_FN10(4) KPFB_FN10(5)
KPFB_FN10(6) KPFB_FN10(7) KPFB_FN10(8) KPFB_FN10(9)

static u64 kpfb_last_ps;	/* picoseconds per call */
static int kpfb_sink;

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
	int x = 0;

	if (copy_from_user(buf, ubuf, min(count, sizeof(buf) - 1)))
		return -EFAULT;
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
	return 0;
}

static void __exit kpfb_exit(void)
{
	remove_proc_entry("kpf_bench_clock", NULL);
	remove_proc_entry("kpf_bench", NULL);
}

module_init(kpfb_init);
module_exit(kpfb_exit);
MODULE_LICENSE("GPL");

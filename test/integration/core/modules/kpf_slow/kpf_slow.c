// SPDX-License-Identifier: GPL-2.0
/*
 * kpf_slow - a module whose init sleeps, so that it stays in
 * MODULE_STATE_COMING while a test loads a patch for it.
 *
 * Its init creates /proc/kpf_slow ("value=N" from kpf_slow_value()), then
 * waits until "go" is written there (at most 60 s, then it loads anyway).
 */
#include <linux/completion.h>
#include <linux/module.h>
#include <linux/proc_fs.h>
#include <linux/seq_file.h>
#include <linux/uaccess.h>

static DECLARE_COMPLETION(kpf_slow_go);

/* Global for the patches; declared for 6.12's -Wmissing-prototypes. */
int kpf_slow_value(void);

noinline int kpf_slow_value(void)
{
	return 1;
}

static int kpf_slow_show(struct seq_file *m, void *v)
{
	seq_printf(m, "value=%d\n", kpf_slow_value());
	return 0;
}

static int kpf_slow_open(struct inode *inode, struct file *file)
{
	return single_open(file, kpf_slow_show, NULL);
}

static ssize_t kpf_slow_write(struct file *file, const char __user *ubuf,
			      size_t count, loff_t *ppos)
{
	char buf[4] = {};

	if (copy_from_user(buf, ubuf, min(count, sizeof(buf) - 1)))
		return -EFAULT;
	if (strncmp(buf, "go", 2))
		return -EINVAL;
	complete_all(&kpf_slow_go);
	return count;
}

static const struct proc_ops kpf_slow_ops = {
	.proc_open = kpf_slow_open,
	.proc_read = seq_read,
	.proc_write = kpf_slow_write,
	.proc_lseek = seq_lseek,
	.proc_release = single_release,
};

static int __init kpf_slow_init(void)
{
	if (!proc_create("kpf_slow", 0644, NULL, &kpf_slow_ops))
		return -ENOMEM;
	wait_for_completion_timeout(&kpf_slow_go, 60 * HZ);
	return 0;
}

static void __exit kpf_slow_exit(void)
{
	remove_proc_entry("kpf_slow", NULL);
}

module_init(kpf_slow_init);
module_exit(kpf_slow_exit);
MODULE_LICENSE("GPL");

// SPDX-License-Identifier: GPL-2.0
/*
 * kpf_target - a module for the core's tests to patch.
 *
 * /proc/kpf_target shows "value=N" from kpf_target_value() and the state
 * of a kthread that, on "sleep" written to the same file, sleeps inside
 * kpf_target_wait() until "wake" is written.  On "coldsleep" the kthread
 * sleeps in kpf_target_coldwait() instead, whose sleeping path GCC moves
 * into the cold part kpf_target_coldwait.cold (the build checks it).
 */
#include <linux/completion.h>
#include <linux/kthread.h>
#include <linux/module.h>
#include <linux/proc_fs.h>
#include <linux/seq_file.h>
#include <linux/uaccess.h>

/* Global for the patches; declared for 6.12's -Wmissing-prototypes. */
int kpf_target_value(void);
void kpf_target_wait(void);
void kpf_target_coldwait(void);

static int kpf_target_base = 1;
static struct task_struct *kpf_sleeper;
static DECLARE_COMPLETION(kpf_wake);
static bool kpf_sleeping;

noinline int kpf_target_value(void)
{
	return READ_ONCE(kpf_target_base);
}

noinline void kpf_target_wait(void)
{
	WRITE_ONCE(kpf_sleeping, true);
	wait_for_completion(&kpf_wake);
	WRITE_ONCE(kpf_sleeping, false);
}

static bool kpf_cold;

/*
 * A call to a cold function makes its block cold: GCC splits it off.  The
 * attribute is spelled out because the kernel's __cold is empty where
 * functions are aligned (6.12's CALL_PADDING: GCC would drop the alignment
 * of a cold function); this one's alignment does not matter.
 */
static noinline __attribute__((__cold__)) void kpf_target_cold_mark(void)
{
	WRITE_ONCE(kpf_sleeping, true);
}

noinline void kpf_target_coldwait(void)
{
	if (READ_ONCE(kpf_cold)) {
		kpf_target_cold_mark();
		wait_for_completion(&kpf_wake);
		WRITE_ONCE(kpf_sleeping, false);
	}
}

static int kpf_sleeper_fn(void *unused)
{
	if (READ_ONCE(kpf_cold))
		kpf_target_coldwait();
	else
		kpf_target_wait();
	return 0;
}

static int kpf_target_show(struct seq_file *m, void *v)
{
	seq_printf(m, "value=%d\n", kpf_target_value());
	seq_printf(m, "sleeping=%d\n", READ_ONCE(kpf_sleeping));
	seq_printf(m, "sleeper_pid=%d\n", kpf_sleeper ? kpf_sleeper->pid : 0);
	return 0;
}

static int kpf_target_open(struct inode *inode, struct file *file)
{
	return single_open(file, kpf_target_show, NULL);
}

static ssize_t kpf_target_write(struct file *file, const char __user *ubuf,
				size_t count, loff_t *ppos)
{
	char buf[12] = {};

	if (copy_from_user(buf, ubuf, min(count, sizeof(buf) - 1)))
		return -EFAULT;
	if ((!strncmp(buf, "sleep", 5) || !strncmp(buf, "coldsleep", 9)) &&
	    !kpf_sleeper) {
		WRITE_ONCE(kpf_cold, buf[0] == 'c');
		reinit_completion(&kpf_wake);
		kpf_sleeper = kthread_run(kpf_sleeper_fn, NULL, "kpf_sleeper");
		if (IS_ERR(kpf_sleeper)) {
			kpf_sleeper = NULL;
			return -ENOMEM;
		}
		get_task_struct(kpf_sleeper);
	} else if (!strncmp(buf, "wake", 4) && kpf_sleeper) {
		complete(&kpf_wake);
		kthread_stop(kpf_sleeper);
		put_task_struct(kpf_sleeper);
		kpf_sleeper = NULL;
	} else {
		return -EINVAL;
	}
	return count;
}

static const struct proc_ops kpf_target_ops = {
	.proc_open = kpf_target_open,
	.proc_read = seq_read,
	.proc_write = kpf_target_write,
	.proc_lseek = seq_lseek,
	.proc_release = single_release,
};

static int __init kpf_target_init(void)
{
	if (!proc_create("kpf_target", 0644, NULL, &kpf_target_ops))
		return -ENOMEM;
	return 0;
}

static void __exit kpf_target_exit(void)
{
	if (kpf_sleeper) {
		complete(&kpf_wake);
		kthread_stop(kpf_sleeper);
		put_task_struct(kpf_sleeper);
	}
	remove_proc_entry("kpf_target", NULL);
}

module_init(kpf_target_init);
module_exit(kpf_target_exit);
MODULE_LICENSE("GPL");

// SPDX-License-Identifier: GPL-2.0
/*
 * A module with a function a task can be held in: a read of
 * /proc/kpatch_cli_sleeper sleeps inside sleeper_wait() until anything is
 * written to the file.  The blocking-task test patches sleeper_wait().
 */
#include <linux/module.h>
#include <linux/proc_fs.h>
#include <linux/uaccess.h>
#include <linux/wait.h>

static DECLARE_WAIT_QUEUE_HEAD(sleeper_wq);
static bool sleeper_released;

/* Global for the patch; declared for 6.12's -Wmissing-prototypes. */
int sleeper_wait(void);

noinline int sleeper_wait(void)
{
	return wait_event_interruptible(sleeper_wq, READ_ONCE(sleeper_released));
}

static ssize_t sleeper_read(struct file *file, char __user *buf, size_t len,
			    loff_t *pos)
{
	static const char msg[] = "released\n";
	int ret = sleeper_wait();

	if (ret)
		return ret;
	return simple_read_from_buffer(buf, len, pos, msg, sizeof(msg) - 1);
}

static ssize_t sleeper_write(struct file *file, const char __user *buf,
			     size_t len, loff_t *pos)
{
	WRITE_ONCE(sleeper_released, true);
	wake_up_interruptible_all(&sleeper_wq);
	return len;
}

static const struct proc_ops sleeper_ops = {
	.proc_read = sleeper_read,
	.proc_write = sleeper_write,
	.proc_lseek = default_llseek,
};

static int __init sleeper_init(void)
{
	if (!proc_create("kpatch_cli_sleeper", 0600, NULL, &sleeper_ops))
		return -ENOMEM;
	return 0;
}

static void __exit sleeper_exit(void)
{
	remove_proc_entry("kpatch_cli_sleeper", NULL);
}

module_init(sleeper_init);
module_exit(sleeper_exit);
MODULE_LICENSE("GPL");

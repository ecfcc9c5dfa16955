// SPDX-License-Identifier: GPL-2.0
/*
 * kpf_hot - a function called from a timer, for the stress test.
 *
 * A timer fires every jiffy and runs kpf_hot_tick(), which stores what
 * kpf_hot_value() returns.  Each version of the pair checks that the
 * value comes from its own version (0 for the original): a tick that saw
 * another version's value counts as torn.  /proc/kpf_hot shows
 * "ticks=N last=V torn=T".
 */
#include <linux/module.h>
#include <linux/proc_fs.h>
#include <linux/seq_file.h>
#include <linux/timer.h>

static struct timer_list kpf_hot_timer;
static unsigned long kpf_hot_ticks, kpf_hot_torn;
static int kpf_hot_last;

/* Global for the patches; declared for 6.12's -Wmissing-prototypes. */
int kpf_hot_value(void);
void kpf_hot_tick(void);

noinline int kpf_hot_value(void)
{
	return 0;
}
/* Patches call kpf_hot_value() through its address: keep its ENDBR. */
int (*kpf_hot_value_fn)(void) = kpf_hot_value;

noinline void kpf_hot_tick(void)
{
	int v = kpf_hot_value();

	if (v)
		WRITE_ONCE(kpf_hot_torn, kpf_hot_torn + 1);
	WRITE_ONCE(kpf_hot_last, v);
	WRITE_ONCE(kpf_hot_ticks, kpf_hot_ticks + 1);
}

static void kpf_hot_fire(struct timer_list *t)
{
	kpf_hot_tick();
	mod_timer(t, jiffies + 1);
}

static int kpf_hot_show(struct seq_file *m, void *v)
{
	seq_printf(m, "ticks=%lu last=%d torn=%lu\n", READ_ONCE(kpf_hot_ticks),
		   READ_ONCE(kpf_hot_last), READ_ONCE(kpf_hot_torn));
	return 0;
}

static int __init kpf_hot_init(void)
{
	if (!proc_create_single("kpf_hot", 0444, NULL, kpf_hot_show))
		return -ENOMEM;
	timer_setup(&kpf_hot_timer, kpf_hot_fire, 0);
	mod_timer(&kpf_hot_timer, jiffies + 1);
	return 0;
}

static void __exit kpf_hot_exit(void)
{
	timer_shutdown_sync(&kpf_hot_timer);
	remove_proc_entry("kpf_hot", NULL);
}

module_init(kpf_hot_init);
module_exit(kpf_hot_exit);
MODULE_LICENSE("GPL");

// SPDX-License-Identifier: GPL-2.0
/*
 * kpf_kprobe - a kprobe with a post_handler on the function named by the
 * parameter "symbol".  On an ftrace site a post_handler makes the kprobe
 * join ftrace as an IPMODIFY user (kprobe_ipmodify_ops), the same kind of
 * user as a live patcher: on a function the core redirects, ftrace must
 * refuse it rather than let one of the two silently lose.  The load fails
 * with register_kprobe()'s error; "hits" counts the post_handler's calls.
 *
 * "first": another function to probe the same way before, so that the
 * probe of "symbol" joins ftrace through kprobe_ipmodify_ops already
 * registered (a filter change, about which ftrace asks nobody on the
 * site).  "divert": the pre_handler changes the ip, sending calls of
 * "symbol" (a seq_file show function) to kpf_kprobe_show(), which prints
 * "kpf_kprobe".
 */
#include <linux/kprobes.h>
#include <linux/module.h>
#include <linux/seq_file.h>

static char *symbol = "cmdline_proc_show";
module_param(symbol, charp, 0444);
MODULE_PARM_DESC(symbol, "the function to probe");

static char *first;
module_param(first, charp, 0444);
MODULE_PARM_DESC(first, "a function to probe first (default: none)");

static bool divert;
module_param(divert, bool, 0444);
MODULE_PARM_DESC(divert, "send the calls of symbol to kpf_kprobe_show()");

static unsigned int hits;
module_param(hits, uint, 0444);
MODULE_PARM_DESC(hits, "calls the post_handler saw");

static void kpf_kprobe_post(struct kprobe *p, struct pt_regs *regs,
			    unsigned long flags)
{
	WRITE_ONCE(hits, hits + 1);
}

static int kpf_kprobe_show(struct seq_file *m, void *v)
{
	seq_puts(m, "kpf_kprobe\n");
	return 0;
}

/* A non-zero return: the ip was changed, ftrace returns there. */
static int kpf_kprobe_pre(struct kprobe *p, struct pt_regs *regs)
{
	if (!divert)
		return 0;
	WRITE_ONCE(hits, hits + 1);
	instruction_pointer_set(regs, (unsigned long)kpf_kprobe_show);
	return 1;
}

static struct kprobe kpf_kprobe = {
	.pre_handler = kpf_kprobe_pre,
	.post_handler = kpf_kprobe_post,
};

static struct kprobe kpf_kprobe_first = {
	.post_handler = kpf_kprobe_post,
};

static int __init kpf_kprobe_init(void)
{
	int ret;

	if (first) {
		kpf_kprobe_first.symbol_name = first;
		ret = register_kprobe(&kpf_kprobe_first);
		if (ret)
			return ret;
	}
	kpf_kprobe.symbol_name = symbol;
	ret = register_kprobe(&kpf_kprobe);
	if (ret && first)
		unregister_kprobe(&kpf_kprobe_first);
	return ret;
}

static void __exit kpf_kprobe_exit(void)
{
	unregister_kprobe(&kpf_kprobe);
	if (first)
		unregister_kprobe(&kpf_kprobe_first);
}

module_init(kpf_kprobe_init);
module_exit(kpf_kprobe_exit);
MODULE_LICENSE("GPL");

// SPDX-License-Identifier: GPL-2.0
/*
 * kpf_kprobe - a kprobe with a post_handler on the function named by the
 * parameter "symbol".  On an ftrace site a post_handler makes the kprobe
 * join ftrace as an IPMODIFY user (kprobe_ipmodify_ops), the same kind of
 * user as a live patcher: on a function the core redirects, ftrace must
 * refuse it rather than let one of the two silently lose.  The load fails
 * with register_kprobe()'s error; "hits" counts the post_handler's calls.
 */
#include <linux/kprobes.h>
#include <linux/module.h>

static char *symbol = "cmdline_proc_show";
module_param(symbol, charp, 0444);
MODULE_PARM_DESC(symbol, "the function to probe");

static unsigned int hits;
module_param(hits, uint, 0444);
MODULE_PARM_DESC(hits, "calls the post_handler saw");

static void kpf_kprobe_post(struct kprobe *p, struct pt_regs *regs,
			    unsigned long flags)
{
	WRITE_ONCE(hits, hits + 1);
}

static struct kprobe kpf_kprobe = {
	.post_handler = kpf_kprobe_post,
};

static int __init kpf_kprobe_init(void)
{
	kpf_kprobe.symbol_name = symbol;
	return register_kprobe(&kpf_kprobe);
}

static void __exit kpf_kprobe_exit(void)
{
	unregister_kprobe(&kpf_kprobe);
}

module_init(kpf_kprobe_init);
module_exit(kpf_kprobe_exit);
MODULE_LICENSE("GPL");

// SPDX-License-Identifier: GPL-2.0
/*
 * kprobe_post: a kprobe with a post_handler on each function named by
 * the module parameter "functions" (comma separated), counting the hits
 * in /sys/module/kprobe_post/parameters/hits.
 *
 * A post_handler makes the kprobe an IPMODIFY user of ftrace (it joins
 * kprobe_ipmodify_ops), the kind that competes with kpatch for a patched
 * function.  Naming an unpatched function first registers that ops, so
 * that the next one joins an ops already registered.  If the kernel
 * refuses a kprobe, the error is logged with the function's name and the
 * module does not load.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kprobes.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/string.h>

#define KPROBE_POST_MAX	4

static char *functions;
module_param(functions, charp, 0444);
MODULE_PARM_DESC(functions, "the functions to probe, comma separated");

static atomic_t hits = ATOMIC_INIT(0);

static int hits_get(char *buf, const struct kernel_param *kp)
{
	return sysfs_emit(buf, "%d\n", atomic_read(&hits));
}

static const struct kernel_param_ops hits_ops = { .get = hits_get };
module_param_cb(hits, &hits_ops, NULL, 0444);
MODULE_PARM_DESC(hits, "post_handler calls so far");

static struct kprobe probes[KPROBE_POST_MAX];
static char *names;
static unsigned int nr_probes;

static int count_pre(struct kprobe *p, struct pt_regs *regs)
{
	return 0;	/* the ip is left alone: run the function */
}

static void count_post(struct kprobe *p, struct pt_regs *regs,
		       unsigned long flags)
{
	atomic_inc(&hits);
}

static void kprobe_post_unregister(void)
{
	while (nr_probes)
		unregister_kprobe(&probes[--nr_probes]);
	kfree(names);
}

static int __init kprobe_post_init(void)
{
	char *cursor, *name;
	int ret;

	if (!functions || !*functions) {
		pr_err("no function given (functions=NAME[,NAME...])\n");
		return -EINVAL;
	}
	/* The kprobes keep pointers to their symbol names. */
	names = kstrdup(functions, GFP_KERNEL);
	if (!names)
		return -ENOMEM;
	cursor = names;
	while ((name = strsep(&cursor, ","))) {
		struct kprobe *p = &probes[nr_probes];

		if (nr_probes == KPROBE_POST_MAX) {
			pr_err("at most %d functions\n", KPROBE_POST_MAX);
			kprobe_post_unregister();
			return -E2BIG;
		}
		p->symbol_name = name;
		p->pre_handler = count_pre;
		p->post_handler = count_post;
		ret = register_kprobe(p);
		if (ret) {
			pr_err("register_kprobe(%s) failed: %d\n", name, ret);
			kprobe_post_unregister();
			return ret;
		}
		nr_probes++;
		pr_info("kprobe with post_handler on %s\n", name);
	}
	return 0;
}

static void __exit kprobe_post_exit(void)
{
	kprobe_post_unregister();
}

module_init(kprobe_post_init);
module_exit(kprobe_post_exit);
MODULE_DESCRIPTION("kprobes with a post_handler, for kpatch's tests");
MODULE_LICENSE("GPL");

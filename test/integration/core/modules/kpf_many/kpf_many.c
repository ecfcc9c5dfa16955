// SPDX-License-Identifier: GPL-2.0
/*
 * kpf_many - a hundred functions for patches of many functions (test 21).
 *
 * kpf_many_fn_0 ... kpf_many_fn_99 each return x + 1.  Reading
 * /proc/kpf_many calls each with 0 and prints the hundred results as one
 * line of digits (1: the original, 2, 3, 4: the test patches' versions).
 */
#include <linux/module.h>
#include <linux/proc_fs.h>
#include <linux/seq_file.h>

#define KPF_MANY_N 100
/* Global for the patches, declared for 6.12's -Wmissing-prototypes. */
#define KPF_FN(n) int kpf_many_fn_##n(int x); \
	noinline int kpf_many_fn_##n(int x) { return x + 1; }
#define KPF_FN10(d) KPF_FN(d##0) KPF_FN(d##1) KPF_FN(d##2) KPF_FN(d##3) \
	KPF_FN(d##4) KPF_FN(d##5) KPF_FN(d##6) KPF_FN(d##7) KPF_FN(d##8) \
	KPF_FN(d##9)
KPF_FN(0) KPF_FN(1) KPF_FN(2) KPF_FN(3) KPF_FN(4) KPF_FN(5) KPF_FN(6)
KPF_FN(7) KPF_FN(8) KPF_FN(9)
KPF_FN10(1) KPF_FN10(2) KPF_FN10(3) KPF_FN10(4) KPF_FN10(5)
KPF_FN10(6) KPF_FN10(7) KPF_FN10(8) KPF_FN10(9)

#define KPF_P(n) kpf_many_fn_##n,
#define KPF_P10(d) KPF_P(d##0) KPF_P(d##1) KPF_P(d##2) KPF_P(d##3) \
	KPF_P(d##4) KPF_P(d##5) KPF_P(d##6) KPF_P(d##7) KPF_P(d##8) \
	KPF_P(d##9)
static int (*const kpf_many_fns[KPF_MANY_N])(int) = {
	KPF_P(0) KPF_P(1) KPF_P(2) KPF_P(3) KPF_P(4) KPF_P(5) KPF_P(6)
	KPF_P(7) KPF_P(8) KPF_P(9)
	KPF_P10(1) KPF_P10(2) KPF_P10(3) KPF_P10(4) KPF_P10(5)
	KPF_P10(6) KPF_P10(7) KPF_P10(8) KPF_P10(9)
};

static int kpf_many_show(struct seq_file *m, void *v)
{
	int i;

	for (i = 0; i < KPF_MANY_N; i++)
		seq_printf(m, "%d", kpf_many_fns[i](0));
	seq_putc(m, '\n');
	return 0;
}

static int __init kpf_many_init(void)
{
	if (!proc_create_single("kpf_many", 0444, NULL, kpf_many_show))
		return -ENOMEM;
	return 0;
}

static void __exit kpf_many_exit(void)
{
	remove_proc_entry("kpf_many", NULL);
}

module_init(kpf_many_init);
module_exit(kpf_many_exit);
MODULE_LICENSE("GPL");

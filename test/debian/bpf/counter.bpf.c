// SPDX-License-Identifier: GPL-2.0
/*
 * An fentry and an fexit program that count the calls of one kernel
 * function.  Neither names it: bpf-count sets the target at run time
 * (bpf_program__set_attach_target()), so one object serves every test.
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

enum { FENTRY_CALLS, FEXIT_CALLS, NR_COUNTERS };

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, NR_COUNTERS);
	__type(key, __u32);
	__type(value, __u64);
} calls SEC(".maps");

static void count(__u32 counter)
{
	__u64 *n = bpf_map_lookup_elem(&calls, &counter);

	if (n)
		__sync_fetch_and_add(n, 1);
}

SEC("fentry")
int count_entry(void *ctx)
{
	count(FENTRY_CALLS);
	return 0;
}

SEC("fexit")
int count_exit(void *ctx)
{
	count(FEXIT_CALLS);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";

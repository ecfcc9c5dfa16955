// SPDX-License-Identifier: GPL-2.0
/*
 * bpf-count: attach counter.bpf.o's fentry and/or fexit program to a
 * kernel function and report how often each ran.
 *
 * Usage: bpf-count OBJECT FUNCTION fentry|fexit|both
 *
 * Prints "bpf-count: attached KIND to FUNCTION" once the kernel has
 * accepted each link, then waits for signals: SIGUSR1 prints
 * "counts SEQ fentry=N fexit=N" (SEQ counts the reports, so that a caller
 * can wait for the one it asked for); SIGTERM or SIGINT detaches, prints
 * "bpf-count: detached from FUNCTION, fentry=N fexit=N" and exits 0.
 * Any failure is said once, with the kernel's error, and exits 1.
 *
 * Linked statically: the test VM has busybox and nothing else.
 */
#include <errno.h>
#include <signal.h>
#include <stdbool.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <bpf/libbpf.h>

enum { FENTRY_CALLS, FEXIT_CALLS, NR_COUNTERS };

struct counter_prog {
	const char *kind;
	const char *prog_name;
	struct bpf_program *prog;
	struct bpf_link *link;
};

static struct counter_prog progs[] = {
	{ .kind = "fentry", .prog_name = "count_entry" },
	{ .kind = "fexit", .prog_name = "count_exit" },
};

#define NR_PROGS (sizeof(progs) / sizeof(progs[0]))

static void die(const char *fmt, ...)
{
	va_list ap;

	fputs("bpf-count: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(1);
}

/*
 * libbpf's own warnings explain a failed load (the verifier's log); for
 * the other steps they would repeat what die() says.
 */
static int print_libbpf_warning(enum libbpf_print_level level,
				const char *fmt, va_list ap)
{
	if (level == LIBBPF_DEBUG)
		return 0;
	return vfprintf(stderr, fmt, ap);
}

static unsigned long long read_counter(struct bpf_map *calls, __u32 counter)
{
	__u64 value;

	if (bpf_map__lookup_elem(calls, &counter, sizeof(counter), &value,
				 sizeof(value), 0))
		die("cannot read counter %u: %s", counter, strerror(errno));
	return value;
}

int main(int argc, char **argv)
{
	const char *object_path, *function, *kinds;
	struct bpf_object *obj;
	struct bpf_map *calls;
	unsigned long reports = 0;
	sigset_t signals;
	unsigned int i;
	int err, sig;

	if (argc != 4)
		die("usage: bpf-count OBJECT FUNCTION fentry|fexit|both");
	object_path = argv[1];
	function = argv[2];
	kinds = argv[3];
	if (strcmp(kinds, "fentry") && strcmp(kinds, "fexit") &&
	    strcmp(kinds, "both"))
		die("'%s' is not fentry, fexit or both", kinds);

	/* The test reads our output from a file, line by line. */
	setvbuf(stdout, NULL, _IOLBF, 0);
	libbpf_set_print(NULL);

	/* Blocked before anything is attached: a signal is never lost. */
	sigemptyset(&signals);
	sigaddset(&signals, SIGUSR1);
	sigaddset(&signals, SIGTERM);
	sigaddset(&signals, SIGINT);
	sigprocmask(SIG_BLOCK, &signals, NULL);

	obj = bpf_object__open_file(object_path, NULL);
	if (!obj)
		die("cannot open %s: %s", object_path, strerror(errno));
	for (i = 0; i < NR_PROGS; i++) {
		bool wanted = !strcmp(kinds, "both") ||
			      !strcmp(kinds, progs[i].kind);

		progs[i].prog = bpf_object__find_program_by_name(obj,
							progs[i].prog_name);
		if (!progs[i].prog)
			die("%s has no program %s", object_path,
			    progs[i].prog_name);
		bpf_program__set_autoload(progs[i].prog, wanted);
		if (!wanted) {
			progs[i].prog = NULL;
			continue;
		}
		err = bpf_program__set_attach_target(progs[i].prog, 0,
						     function);
		if (err)
			die("no BTF for %s in the running kernel: %s",
			    function, strerror(-err));
	}
	libbpf_set_print(print_libbpf_warning);
	err = bpf_object__load(obj);
	libbpf_set_print(NULL);
	if (err)
		die("cannot load %s for %s: %s", object_path, function,
		    strerror(-err));
	calls = bpf_object__find_map_by_name(obj, "calls");
	if (!calls)
		die("%s has no map 'calls'", object_path);

	for (i = 0; i < NR_PROGS; i++) {
		if (!progs[i].prog)
			continue;
		progs[i].link = bpf_program__attach(progs[i].prog);
		if (!progs[i].link)
			die("cannot attach %s to %s: %s", progs[i].kind,
			    function, strerror(errno));
		printf("bpf-count: attached %s to %s\n", progs[i].kind,
		       function);
	}

	for (;;) {
		if (sigwait(&signals, &sig))
			die("sigwait: %s", strerror(errno));
		if (sig != SIGUSR1)
			break;
		printf("counts %lu fentry=%llu fexit=%llu\n", ++reports,
		       read_counter(calls, FENTRY_CALLS),
		       read_counter(calls, FEXIT_CALLS));
	}

	for (i = 0; i < NR_PROGS; i++) {
		if (!progs[i].link)
			continue;
		err = bpf_link__destroy(progs[i].link);
		if (err)
			die("cannot detach %s from %s: %s", progs[i].kind,
			    function, strerror(-err));
	}
	printf("bpf-count: detached from %s, fentry=%llu fexit=%llu\n",
	       function, read_counter(calls, FENTRY_CALLS),
	       read_counter(calls, FEXIT_CALLS));
	bpf_object__close(obj);
	return 0;
}

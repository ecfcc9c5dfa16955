// SPDX-License-Identifier: GPL-2.0
/*
 * rsb - ns per call of a patched function reached each way of paths.S,
 * called at the bottom of a chain of D callers, on this machine's CPU:
 * a return stack entry left behind makes every return up that chain
 * mispredict.  Prints "D unpatched jump ret ideal", the best of REPEAT
 * runs of N calls each.
 *
 * Usage: rsb N REPEAT D...
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

int rsb_new(int x);
int rsb_unpatched(int x);
int rsb_jump(int x);
int rsb_ret(int x);
int rsb_ideal(int x);

/* D callers, each a real call and return (the asm keeps it from a loop). */
__attribute__((noinline)) static int chain(int d, int (*f)(int), int x)
{
	int r = d ? chain(d - 1, f, x) : f(x);

	__asm__ volatile("" : "+r"(r));
	return r + 1;
}

static double ns_per_call(long n, int d, int (*f)(int))
{
	struct timespec t0, t1;
	long i;
	int sink = 0;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (i = 0; i < n; i++)
		sink += chain(d, f, (int)i);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	__asm__ volatile("" : : "r"(sink));
	return ((t1.tv_sec - t0.tv_sec) * 1e9 + (t1.tv_nsec - t0.tv_nsec)) / n;
}

int main(int argc, char **argv)
{
	int (*const paths[])(int) = { rsb_unpatched, rsb_jump, rsb_ret, rsb_ideal };
	long n;
	int repeat, a, p, r;

	if (argc < 4)
		return fprintf(stderr, "usage: rsb N REPEAT D...\n"), 2;
	n = atol(argv[1]);
	repeat = atoi(argv[2]);
	for (a = 3; a < argc; a++) {
		int d = atoi(argv[a]);
		double best[4];

		for (p = 0; p < 4; p++)
			best[p] = 1e30;
		/* Interleaved, so that the machine's other load hits each path alike. */
		for (r = 0; r < repeat; r++)
			for (p = 0; p < 4; p++) {
				double t = ns_per_call(n, d, paths[p]);

				if (t < best[p])
					best[p] = t;
			}
		printf("%d %.3f %.3f %.3f %.3f\n", d, best[0], best[1], best[2], best[3]);
	}
	return 0;
}

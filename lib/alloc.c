// SPDX-License-Identifier: GPL-2.0
/*
 * alloc.c - allocation helpers.  A zero size asks for one byte, so that
 * NULL always means the allocation failed.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "message.h"

static void *check(void *p)
{
	if (!p) {
		error("out of memory");
		exit(EXIT_FAILURE);
	}
	return p;
}

void *xmalloc(size_t size)
{
	return check(malloc(size ? size : 1));
}

void *xcalloc(size_t n, size_t size)
{
	return check(calloc(n ? n : 1, size ? size : 1));
}

void *xrealloc(void *ptr, size_t size)
{
	return check(realloc(ptr, size ? size : 1));
}

char *xstrdup(const char *s)
{
	return check(strdup(s));
}

char *xvasprintf(const char *fmt, va_list ap)
{
	char *s;

	return check(vasprintf(&s, fmt, ap) < 0 ? NULL : s);
}

char *xasprintf(const char *fmt, ...)
{
	va_list ap;
	char *s;

	va_start(ap, fmt);
	s = xvasprintf(fmt, ap);
	va_end(ap);
	return s;
}

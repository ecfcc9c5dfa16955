// SPDX-License-Identifier: GPL-2.0
/*
 * util.c - messages and allocation.  Running out of memory ends the run:
 * a half-built patch is worth nothing.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cdo.h"

bool debug_enabled;
bool messages_off;

static void vmsg(const char *prefix, const char *fmt, va_list ap)
{
	if (messages_off)
		return;
	fprintf(stderr, "create-diff-object: %s", prefix);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

void error(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmsg("ERROR: ", fmt, ap);
	va_end(ap);
}

void debug(const char *fmt, ...)
{
	va_list ap;

	if (!debug_enabled)
		return;
	va_start(ap, fmt);
	vmsg("DEBUG: ", fmt, ap);
	va_end(ap);
}

void refuse(struct cdo *cdo, const char *fmt, ...)
{
	va_list ap;

	cdo->refusals++;
	if (messages_off)
		return;
	fprintf(stderr, "create-diff-object: ERROR: %s: ", cdo->objfile);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

static void *check(void *p)
{
	if (!p) {
		fprintf(stderr, "create-diff-object: ERROR: out of memory\n");
		exit(EXIT_ERROR);
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

void *xrealloc(void *p, size_t size)
{
	return check(realloc(p, size ? size : 1));
}

char *xstrdup(const char *s)
{
	return check(strdup(s));
}

unsigned char *read_whole_file(const char *path, size_t *size)
{
	FILE *f = fopen(path, "rb");
	unsigned char *buf = NULL;
	size_t alloc = 0, n;

	*size = 0;
	if (!f) {
		error("cannot open %s: %s", path, strerror(errno));
		return NULL;
	}
	do {
		if (*size == alloc) {
			alloc = alloc ? alloc * 2 : 65536;
			buf = xrealloc(buf, alloc);
		}
		n = fread(buf + *size, 1, alloc - *size, f);
		*size += n;
	} while (n);
	if (ferror(f)) {
		error("cannot read %s: %s", path, strerror(errno));
		free(buf);
		buf = NULL;
	}
	fclose(f);
	return buf;
}

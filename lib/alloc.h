/* SPDX-License-Identifier: GPL-2.0 */
/*
 * alloc.h - allocation that never returns NULL: running out of memory is an
 * error message and exit status 1, as a half-done run is worth nothing.
 */
#ifndef LIB_ALLOC_H
#define LIB_ALLOC_H

#include <stdarg.h>
#include <stddef.h>

void *xmalloc(size_t size);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *ptr, size_t size);
char *xstrdup(const char *s);
char *xvasprintf(const char *fmt, va_list ap);
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif

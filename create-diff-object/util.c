// SPDX-License-Identifier: GPL-2.0
/*
 * util.c - create-diff-object's own messages (debug output and refusals)
 * and its name in every message; lib/message.c prints them.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cdo.h"

const char tool_name[] = "create-diff-object";
const char tool_error_label[] = "ERROR: ";
bool debug_enabled;

void debug(const char *fmt, ...)
{
	va_list ap;

	if (!debug_enabled)
		return;
	va_start(ap, fmt);
	vmessage("DEBUG: ", fmt, ap);
	va_end(ap);
}

void refuse(struct cdo *cdo, const char *fmt, ...)
{
	char *label;
	va_list ap;

	cdo->refusals++;
	if (messages_off)
		return;
	label = xasprintf("%s%s: ", tool_error_label, cdo->objfile);
	va_start(ap, fmt);
	vmessage(label, fmt, ap);
	va_end(ap);
	free(label);
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

// SPDX-License-Identifier: GPL-2.0
/*
 * message.c - every message is one line on stderr starting with the tool's
 * name, so that it stands out in a build log, a boot log and in scripts.
 */
#include <stdio.h>

#include "message.h"

bool messages_off;

void vmessage(const char *label, const char *fmt, va_list ap)
{
	if (messages_off)
		return;
	/* What the tool printed before the failure comes before its message. */
	fflush(stdout);
	fprintf(stderr, "%s: %s", tool_name, label);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

void error(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmessage(tool_error_label, fmt, ap);
	va_end(ap);
}

void warning(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmessage("warning: ", fmt, ap);
	va_end(ap);
}

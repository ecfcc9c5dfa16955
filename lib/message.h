/* SPDX-License-Identifier: GPL-2.0 */
/*
 * message.h - the one-line messages the userspace tools print on stderr.
 */
#ifndef LIB_MESSAGE_H
#define LIB_MESSAGE_H

#include <stdarg.h>
#include <stdbool.h>

/*
 * Each tool defines these once: its name starts every message ("kpatch: ")
 * and its error label follows for errors ("" or "ERROR: "), so scripts and
 * tests can match a tool's failures by a fixed prefix.
 */
extern const char tool_name[];
extern const char tool_error_label[];

/* Set by the fuzzer: nothing is printed at all. */
extern bool messages_off;

void vmessage(const char *label, const char *fmt, va_list ap);
void error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void warning(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif

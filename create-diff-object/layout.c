// SPDX-License-Identifier: GPL-2.0
/*
 * layout.c - the target kernel's special-section layout (--layout FILE).
 *
 * Entry sizes and field offsets differ between kernel versions and
 * configurations (a 16-byte relative or 24-byte absolute jump_entry, a 12-,
 * 13- or 14-byte alt_instr), so none of them is written into the code:
 * kpatch-build's probe compiles sizeof()/offsetof() against the target
 * tree and passes the result as one file.  Environment variables of the
 * same names are the fallback for standalone runs.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cdo.h"
#include "layout.h"

struct layout_value {
	char *name;
	unsigned long value;
};

static struct layout_value *values;
static size_t nr_values;

void layout_reset(void)
{
	size_t i;

	for (i = 0; i < nr_values; i++)
		free(values[i].name);
	free(values);
	values = NULL;
	nr_values = 0;
}

static bool valid_name(const char *s, size_t len)
{
	size_t i;

	if (!len)
		return false;
	for (i = 0; i < len; i++)
		if (!isupper((unsigned char)s[i]) && !isdigit((unsigned char)s[i]) &&
		    s[i] != '_')
			return false;
	return true;
}

bool layout_set(const char *assignment, const char *where)
{
	const char *eq = strchr(assignment, '=');
	unsigned long v;
	char *end;
	size_t i, len;

	if (!eq || !valid_name(assignment, eq - assignment)) {
		error("%s: '%s' is not NAME=VALUE (e.g. JUMP_STRUCT_SIZE=16)",
		      where, assignment);
		return false;
	}
	len = eq - assignment;
	v = strtoul(eq + 1, &end, 0);
	if (end == eq + 1 || *end || eq[1] == '-') {
		error("%s: %.*s=%s is not a number", where, (int)len, assignment, eq + 1);
		return false;
	}
	for (i = 0; i < nr_values; i++)
		if (strlen(values[i].name) == len && !strncmp(values[i].name, assignment, len))
			break;
	if (i == nr_values) {
		values = xrealloc(values, (nr_values + 1) * sizeof(*values));
		values[i].name = xmalloc(len + 1);
		memcpy(values[i].name, assignment, len);
		values[i].name[len] = 0;
		nr_values++;
	}
	values[i].value = v;
	return true;
}

bool layout_read(const char *path)
{
	size_t len;
	char *text = (char *)read_whole_file(path, &len), *line, *save = NULL;
	char where[4096];
	unsigned int nr = 0;
	bool ok = true;

	if (!text)
		return false;
	text = xrealloc(text, len + 1);
	text[len] = 0;
	for (line = strtok_r(text, "\n", &save); line && ok;
	     line = strtok_r(NULL, "\n", &save)) {
		char *end;

		nr++;
		line[strcspn(line, "#")] = 0;
		while (isspace((unsigned char)*line))
			line++;
		end = line + strlen(line);
		while (end > line && isspace((unsigned char)end[-1]))
			*--end = 0;
		if (!*line)
			continue;
		snprintf(where, sizeof(where), "%s:%u", path, nr);
		ok = layout_set(line, where);
	}
	free(text);
	return ok;
}

bool layout_get(const char *name, unsigned long *value)
{
	const char *s;
	char *end;
	size_t i;

	for (i = 0; i < nr_values; i++)
		if (!strcmp(values[i].name, name)) {
			*value = values[i].value;
			return true;
		}
	s = getenv(name);
	if (!s || !*s)
		return false;
	*value = strtoul(s, &end, 0);
	if (*end || *s == '-') {
		error("environment variable %s=%s is not a number; ignored", name, s);
		return false;
	}
	return true;
}

// SPDX-License-Identifier: GPL-2.0
/*
 * initramfs.c - keep the initramfs in step with the installed patches.
 *
 * The initramfs-tools hook and the dracut module (initramfs/) copy the
 * patches installed for a kernel into its initramfs, which loads them
 * before init.  After kpatch install or uninstall the initramfs of that
 * kernel is made again, when it exists: update-initramfs on Debian, dracut
 * on rpm-based systems.  Not under a fake root (--root), which those tools
 * cannot work on.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/wait.h>

#include "kpatch.h"

static const char *const tool_dirs[] = { "/usr/sbin", "/sbin", "/usr/bin", "/bin" };

static char *find_tool(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof(tool_dirs) / sizeof(tool_dirs[0]); i++) {
		char *path = xasprintf("%s/%s", tool_dirs[i], name);

		if (access(path, X_OK) == 0)
			return path;
		free(path);
	}
	return NULL;
}

static void run_tool(char *const argv[])
{
	int status;
	pid_t pid;

	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		execv(argv[0], argv);
		_exit(127);
	}
	if (pid < 0 || waitpid(pid, &status, 0) < 0 || !WIFEXITED(status) ||
	    WEXITSTATUS(status))
		warning("'%s' failed: the initramfs does not hold the installed patches until it is made again",
			argv[0]);
}

void update_initramfs(const char *release)
{
	char *tool, *image;

	if (paths_faked())
		return;
	image = xasprintf("/boot/initrd.img-%s", release);
	tool = find_tool("update-initramfs");
	if (tool && exists(image)) {
		char *argv[] = { tool, "-u", "-k", (char *)release, NULL };

		printf("updating the initramfs %s\n", image);
		run_tool(argv);
	}
	free(tool);
	free(image);
	image = xasprintf("/boot/initramfs-%s.img", release);
	tool = find_tool("dracut");
	if (tool && exists(image)) {
		char *argv[] = { tool, "-f", image, (char *)release, NULL };

		printf("updating the initramfs %s\n", image);
		run_tool(argv);
	}
	free(tool);
	free(image);
}

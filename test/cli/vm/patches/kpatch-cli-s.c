// SPDX-License-Identifier: GPL-2.0
/* Patches sleeper_wait() of the kpatch_cli_sleeper module: no more waiting. */
#include "patch.h"

static noinline int livepatch_sleeper_wait(void)
{
	return 0;
}
KPATCH_CLI_FUNC(sleeper_wait, "kpatch_cli_sleeper");

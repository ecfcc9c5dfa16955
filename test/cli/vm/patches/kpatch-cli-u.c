// SPDX-License-Identifier: GPL-2.0
/* Patches twin,1 of the kpatch_cli_twins module (../twins/twins.h). */
#include "patch.h"

static noinline int livepatch_twin(void)
{
	return 11;
}
KPATCH_CLI_FUNC_AT(twin, "kpatch_cli_twins", 1);

// SPDX-License-Identifier: GPL-2.0
/* The second twin() (see twins.h). */
#include "twins.h"

static __attribute__((__noipa__)) int twin(void)
{
	return 2;
}

int twin_b(void)
{
	return twin();
}

// SPDX-License-Identifier: GPL-2.0
/* Version 3, built with -R (not replacing): /proc/cmdline says "kpatch-pkg-v3". */
#include "patch.h"

KPATCH_PKG_CMDLINE("kpatch-pkg-v3");

// SPDX-License-Identifier: GPL-2.0
/* Version 1, replacing: /proc/cmdline says "kpatch-pkg-v1". */
#include "patch.h"

KPATCH_PKG_CMDLINE("kpatch-pkg-v1");

// SPDX-License-Identifier: GPL-2.0
/* Version 2, replacing: /proc/cmdline says "kpatch-pkg-v2". */
#include "patch.h"

KPATCH_PKG_CMDLINE("kpatch-pkg-v2");

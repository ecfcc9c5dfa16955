// SPDX-License-Identifier: GPL-2.0
/* kpf_s2: the stress test's replacing patch. */
#define KPF_S_TAG "kpf_s2"
#define KPF_S_VALUE 2
#include "kpf-stress.h"

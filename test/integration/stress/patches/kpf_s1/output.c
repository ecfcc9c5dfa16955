// SPDX-License-Identifier: GPL-2.0
/* kpf_s1: the stress test's stacking patch. */
#define KPF_S_TAG "kpf_s1"
#define KPF_S_VALUE 1
#include "kpf-stress.h"

/* SPDX-License-Identifier: BSD-3-Clause */
/* fuzz_usermap.c - libFuzzer harness: pam_anaconda's usermap file: lookups agree, appended lines are honoured. */
#include <stdio.h>
#include <stdlib.h>

#include "checks.h"

FUZZ_HARNESS(fuzz_check_usermap)

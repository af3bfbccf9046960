/* SPDX-License-Identifier: BSD-3-Clause */
/* fuzz_device.c - libFuzzer harness: device flow replies: the authorization, then the token polls. */
#include <stdio.h>
#include <stdlib.h>

#include "checks.h"

FUZZ_HARNESS(fuzz_check_device)

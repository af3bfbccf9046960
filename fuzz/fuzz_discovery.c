/* SPDX-License-Identifier: BSD-3-Clause */
/* fuzz_discovery.c - libFuzzer harness: OIDC discovery replies. */
#include <stdio.h>
#include <stdlib.h>

#include "checks.h"

FUZZ_HARNESS(fuzz_check_discovery)

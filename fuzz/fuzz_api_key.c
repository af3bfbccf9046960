/* SPDX-License-Identifier: BSD-3-Clause */
/* fuzz_api_key.c - libFuzzer harness: API key minting replies from both endpoints. */
#include <stdio.h>
#include <stdlib.h>

#include "checks.h"

FUZZ_HARNESS(fuzz_check_api_key)

/* SPDX-License-Identifier: BSD-3-Clause */
/* fuzz_token_info.c - libFuzzer harness: TokenInfo: decode -> encode -> decode keeps every field. */
#include <stdio.h>
#include <stdlib.h>

#include "checks.h"

FUZZ_HARNESS(fuzz_check_token_info)

/* SPDX-License-Identifier: BSD-3-Clause */
/* fuzz_base64.c - libFuzzer harness: base64 and base64url: round trips, and arbitrary text decodes only when canonical. */
#include <stdio.h>
#include <stdlib.h>

#include "checks.h"

FUZZ_HARNESS(fuzz_check_base64)

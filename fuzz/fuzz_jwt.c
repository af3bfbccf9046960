/* SPDX-License-Identifier: BSD-3-Clause */
/* fuzz_jwt.c - libFuzzer harness: JWT claims, expiry, fingerprints and the API key shape check. */
#include <stdio.h>
#include <stdlib.h>

#include "checks.h"

FUZZ_HARNESS(fuzz_check_jwt)

/* SPDX-License-Identifier: BSD-3-Clause */
/* fuzz_account.c - libFuzzer harness: /api/account replies and the document printed from them. */
#include <stdio.h>
#include <stdlib.h>

#include "checks.h"

FUZZ_HARNESS(fuzz_check_account)

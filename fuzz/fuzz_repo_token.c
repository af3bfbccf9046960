/* SPDX-License-Identifier: BSD-3-Clause */
/* fuzz_repo_token.c - libFuzzer harness: repo token and organization-list replies. */
#include <stdio.h>
#include <stdlib.h>

#include "checks.h"

FUZZ_HARNESS(fuzz_check_repo_token)

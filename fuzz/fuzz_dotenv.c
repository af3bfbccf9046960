/* SPDX-License-Identifier: BSD-3-Clause */
/* fuzz_dotenv.c - libFuzzer harness: .env files: any text parses or is refused with a line number. */
#include <stdio.h>
#include <stdlib.h>

#include "checks.h"

FUZZ_HARNESS(fuzz_check_dotenv)

/* SPDX-License-Identifier: BSD-3-Clause */
/* fuzz_netrc.c - libFuzzer harness: .netrc update: foreign entries survive, updates are idempotent. */
#include <stdio.h>
#include <stdlib.h>

#include "checks.h"

FUZZ_HARNESS(fuzz_check_netrc)

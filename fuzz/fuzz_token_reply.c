/* SPDX-License-Identifier: BSD-3-Clause */
/* fuzz_token_reply.c - libFuzzer harness: token endpoint replies (access token or OAuth error). */
#include <stdio.h>
#include <stdlib.h>

#include "checks.h"

FUZZ_HARNESS(fuzz_check_token_reply)

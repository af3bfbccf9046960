/* SPDX-License-Identifier: BSD-3-Clause */
/* fuzz_git_protocol.c - libFuzzer harness: git's credential protocol: read -> print -> read is the identity. */
#include <stdio.h>
#include <stdlib.h>

#include "checks.h"

FUZZ_HARNESS(fuzz_check_git_protocol)

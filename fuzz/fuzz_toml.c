/* SPDX-License-Identifier: BSD-3-Clause */
/* fuzz_toml.c - libFuzzer harness: config.toml: parse, spans, write-back round trip and edits. */
#include <stdio.h>
#include <stdlib.h>

#include "checks.h"

FUZZ_HARNESS(fuzz_check_toml)

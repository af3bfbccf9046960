/* SPDX-License-Identifier: BSD-3-Clause */
/* fuzz_settings.c - libFuzzer harness: settings values (aa_config_set, aa_domain_normalize) as a .env or the environment gives them. */
#include <stdio.h>
#include <stdlib.h>

#include "checks.h"

FUZZ_HARNESS(fuzz_check_settings)

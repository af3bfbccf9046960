/* SPDX-License-Identifier: BSD-3-Clause */
/* fuzz_keyring.c - libFuzzer harness: the keyring file: any text parses or is refused; a written keyring re-parses. */
#include <stdio.h>
#include <stdlib.h>

#include "checks.h"

FUZZ_HARNESS(fuzz_check_keyring)

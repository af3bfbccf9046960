/* SPDX-License-Identifier: BSD-3-Clause */
/* fuzz_keyring_setting.c - libFuzzer harness: the keyring setting (ANACONDA_AUTH_KEYRING): a keyring, or one reason that quotes nothing; what it holds reads back. */
#include <stdio.h>
#include <stdlib.h>

#include "checks.h"

FUZZ_HARNESS(fuzz_check_keyring_setting)

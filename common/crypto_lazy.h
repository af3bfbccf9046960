/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * crypto_lazy.h - the two hashes the library needs, from libraries opened
 * on first use: SHA-256 (libcrypto) and BLAKE2b (libsodium).
 */
#ifndef AA_CRYPTO_LAZY_H
#define AA_CRYPTO_LAZY_H

#include <stddef.h>

#include "internal.h"

#define AA_SHA256_LEN 32
#define AA_BLAKE2B_PERSONAL_LEN 16

/* SHA-256 of data[0..len) into out. 0, or -1 when libcrypto cannot be used. */
AA_HIDDEN int aa_sha256(const void *data, size_t len,
			unsigned char out[AA_SHA256_LEN]);

/*
 * Unkeyed, unsalted BLAKE2b of in[0..inlen) with a 16-byte personalisation,
 * outlen bytes into out. 0, or -1 when libsodium cannot be used.
 */
AA_HIDDEN int aa_blake2b_personal(unsigned char *out, size_t outlen,
				  const void *in, size_t inlen,
				  const unsigned char personal[AA_BLAKE2B_PERSONAL_LEN]);

#endif

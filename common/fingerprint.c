/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * fingerprint.c - a short name for a key that is safe to print: the JWT
 * subject, or a few hex digits of its SHA-256 (crypto_lazy.c: libcrypto is
 * opened only when a key without a subject is named).
 */
#include <stdio.h>
#include <string.h>

#include "crypto_lazy.h"

/* Enough to tell keys apart in a list, too few to help guess one. */
#define HASH_HEX_DIGITS 6

/* Copy src as printable ASCII, replacing anything else, truncated to fit. */
static void copy_printable(char *out, size_t out_len, const char *src)
{
	size_t i;

	for (i = 0; src[i] && i + 1 < out_len; i++) {
		unsigned char c = (unsigned char)src[i];

		out[i] = (c >= 0x20 && c < 0x7f) ? (char)c : '?';
	}
	out[i] = '\0';
}

static void hash_fingerprint(const char *key, char *out, size_t out_len)
{
	unsigned char md[AA_SHA256_LEN];
	char hex[HASH_HEX_DIGITS + 1];

	if (aa_sha256(key, strlen(key), md) != 0) {
		snprintf(out, out_len, "sha256:?");
		return;
	}
	for (unsigned i = 0; i < HASH_HEX_DIGITS / 2; i++)
		snprintf(hex + 2 * i, sizeof(hex) - 2 * i, "%02x", md[i]);
	snprintf(out, out_len, "sha256:%s", hex);
	aa_memzero(md, sizeof(md));
}

void aa_fingerprint(const char *key, char *out, size_t out_len)
{
	aa_jwt_claims claims;

	if (!out || !out_len)
		return;
	if (out_len > AA_FINGERPRINT_MAX)
		out_len = AA_FINGERPRINT_MAX;
	if (!key) {
		snprintf(out, out_len, "(none)");
		return;
	}
	if (aa_jwt_decode(key, &claims, NULL) == AA_OK && claims.sub && *claims.sub) {
		snprintf(out, out_len, "sub:");
		if (out_len > 4)
			copy_printable(out + 4, out_len - 4, claims.sub);
	} else {
		hash_fingerprint(key, out, out_len);
	}
	aa_jwt_claims_free(&claims);
}

/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * fingerprint.c - a short name for a key that is safe to print: the JWT
 * subject, or a few hex digits of its SHA-256. libcrypto is opened only
 * when a key without a subject is named (as libcurl is opened only for a
 * request): the git helper, conda's get and the PAM module print
 * fingerprints in rare messages, and loading libcrypto at every start
 * would cost them about half a millisecond each time.
 */
#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include <openssl/evp.h>

#include "internal.h"

#define LIBCRYPTO_SONAME "libcrypto.so.3"

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

/* The two libcrypto functions we call, found on first use. */
static struct {
	int (*digest)(const void *data, size_t count, unsigned char *md,
		      unsigned int *size, const EVP_MD *type, ENGINE *impl);
	const EVP_MD *(*sha256)(void);
} crypto;
static pthread_once_t crypto_once = PTHREAD_ONCE_INIT;

static void load_crypto(void)
{
	void *h = dlopen(LIBCRYPTO_SONAME, RTLD_NOW | RTLD_LOCAL);
	void *digest, *sha256;

	if (!h)
		return;
	digest = dlsym(h, "EVP_Digest");
	sha256 = dlsym(h, "EVP_sha256");
	if (!digest || !sha256)
		return; /* left open: a library we could not use costs nothing more */
	/* POSIX gives data and function pointers one representation */
	memcpy(&crypto.digest, &digest, sizeof(digest));
	memcpy(&crypto.sha256, &sha256, sizeof(sha256));
}

static void hash_fingerprint(const char *key, char *out, size_t out_len)
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int md_len = 0;
	char hex[HASH_HEX_DIGITS + 1];

	pthread_once(&crypto_once, load_crypto);
	if (!crypto.digest ||
	    !crypto.digest(key, strlen(key), md, &md_len, crypto.sha256(), NULL) ||
	    md_len < HASH_HEX_DIGITS / 2) {
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

/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * crypto_lazy.c - SHA-256 and BLAKE2b from libcrypto and libsodium, opened
 * (dlopen) the first time a hash is needed, as libcurl is for a request.
 * Only a login (PKCE), a request (the hashed X-Client-Hostname) or a key
 * without a subject (its fingerprint) hashes anything; reading a stored key
 * (`anaconda-auth api-key`, the git and conda helpers, the PAM module) never
 * does, and mapping and relocating libcrypto at every start would cost each
 * of them about half a millisecond.
 */
#include <dlfcn.h>
#include <pthread.h>
#include <string.h>

#include <openssl/evp.h>
#include <sodium.h>

#include "crypto_lazy.h"

#define LIBCRYPTO_SONAME "libcrypto.so.3"
#define LIBSODIUM_SONAME "libsodium.so.23"

/* The functions we call, found on first use (NULL: not available). */
static struct {
	int (*digest)(const void *data, size_t count, unsigned char *md,
		      unsigned int *size, const EVP_MD *type, ENGINE *impl);
	const EVP_MD *(*sha256)(void);
} crypto;
static struct {
	int (*blake2b)(unsigned char *out, size_t outlen,
		       const unsigned char *in, unsigned long long inlen,
		       const unsigned char *key, size_t keylen,
		       const unsigned char *salt, const unsigned char *personal);
} sodium;
static pthread_once_t crypto_once = PTHREAD_ONCE_INIT;
static pthread_once_t sodium_once = PTHREAD_ONCE_INIT;

/* dlsym into a function pointer slot (POSIX gives both one representation). */
static int find(void *h, const char *name, void *slot)
{
	void *p = dlsym(h, name);

	if (!p)
		return -1;
	memcpy(slot, &p, sizeof(p));
	return 0;
}

static void load_crypto(void)
{
	void *h = dlopen(LIBCRYPTO_SONAME, RTLD_NOW | RTLD_LOCAL);

	/* a library we could not use stays open: it costs nothing more */
	if (!h || find(h, "EVP_Digest", &crypto.digest) != 0 ||
	    find(h, "EVP_sha256", &crypto.sha256) != 0)
		crypto.digest = NULL;
}

static void load_sodium(void)
{
	void *h = dlopen(LIBSODIUM_SONAME, RTLD_NOW | RTLD_LOCAL);
	int (*init)(void) = NULL;

	if (!h || find(h, "sodium_init", &init) != 0 || init() < 0 ||
	    find(h, "crypto_generichash_blake2b_salt_personal", &sodium.blake2b) != 0)
		sodium.blake2b = NULL;
}

int aa_sha256(const void *data, size_t len, unsigned char out[AA_SHA256_LEN])
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int md_len = 0;
	int ok;

	pthread_once(&crypto_once, load_crypto);
	if (!crypto.digest)
		return -1;
	ok = crypto.digest(data, len, md, &md_len, crypto.sha256(), NULL) == 1 &&
	     md_len == AA_SHA256_LEN;
	if (ok)
		memcpy(out, md, AA_SHA256_LEN);
	aa_memzero(md, sizeof(md));
	return ok ? 0 : -1;
}

int aa_blake2b_personal(unsigned char *out, size_t outlen, const void *in,
			size_t inlen,
			const unsigned char personal[AA_BLAKE2B_PERSONAL_LEN])
{
	pthread_once(&sodium_once, load_sodium);
	if (!sodium.blake2b)
		return -1;
	return sodium.blake2b(out, outlen, in, inlen, NULL, 0, NULL, personal) == 0 ? 0 : -1;
}

/* SPDX-License-Identifier: BSD-3-Clause */
/* pkce.c - random tokens from the kernel CSPRNG and the RFC 7636 S256 verifier/challenge pair. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

#include "crypto_lazy.h"
#include "net_internal.h"

aa_status aa_random_bytes(void *buf, size_t n, aa_error *err)
{
	unsigned char *p = buf;

	while (n > 0) {
		ssize_t got = getrandom(p, n, 0);

		if (got < 0) {
			if (errno == EINTR)
				continue;
			return aa_fail(err, AA_ERR_GENERIC,
				       "cannot get random bytes from the kernel: %s",
				       strerror(errno));
		}
		p += got;
		n -= (size_t)got;
	}
	return AA_OK;
}

char *aa_random_token(size_t nbytes, aa_error *err)
{
	unsigned char buf[128];
	char *out;

	if (nbytes > sizeof(buf)) {
		aa_fail(err, AA_ERR_USAGE, "random token too long");
		return NULL;
	}
	if (aa_random_bytes(buf, nbytes, err) != AA_OK)
		return NULL;
	out = aa_base64url_encode(buf, nbytes);
	aa_memzero(buf, sizeof(buf));
	if (!out)
		aa_oom(err);
	return out;
}

aa_status aa_pkce_challenge(const char *verifier,
			    char challenge[AA_PKCE_CHALLENGE_LEN + 1])
{
	unsigned char digest[AA_SHA256_LEN];
	char *b64;

	if (aa_sha256(verifier, strlen(verifier), digest) != 0)
		return AA_ERR_GENERIC;
	b64 = aa_base64url_encode(digest, sizeof(digest));
	if (!b64 || strlen(b64) != AA_PKCE_CHALLENGE_LEN) {
		free(b64);
		return AA_ERR_NOMEM;
	}
	memcpy(challenge, b64, AA_PKCE_CHALLENGE_LEN + 1);
	free(b64);
	return AA_OK;
}

aa_status aa_pkce_new(aa_secret **verifier, char challenge[AA_PKCE_CHALLENGE_LEN + 1],
		      aa_error *err)
{
	/* 96 bytes encode to exactly 128 characters, the longest RFC 7636 allows. */
	char *v = aa_random_token(AA_PKCE_VERIFIER_LEN / 4 * 3, err);
	aa_status st;

	*verifier = NULL;
	if (!v)
		return err ? err->code : AA_ERR_GENERIC;
	st = aa_pkce_challenge(v, challenge);
	if (st == AA_OK)
		*verifier = aa_secret_from_str(v);
	aa_free_secret_str(v);
	if (st != AA_OK || !*verifier)
		return aa_fail(err, st == AA_OK ? AA_ERR_NOMEM : st,
			       "cannot compute the PKCE challenge");
	return AA_OK;
}

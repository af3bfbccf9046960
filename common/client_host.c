/* SPDX-License-Identifier: BSD-3-Clause */
/* client_host.c - the X-Client-Hostname value: the host name, or by default its BLAKE2b digest, as anaconda-auth 0.15 sends it. */
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "crypto_lazy.h"
#include "net_internal.h"

#define DIGEST_LEN 16 /* 0.15's digest_size */

/*
 * BLAKE2b-128 with personalisation "hostname" and an empty salt (0.15 has a
 * pepper argument but its client never passes one), URL-safe base64 without
 * padding. libsodium takes the 16-byte personal block zero-padded, which is
 * how BLAKE2b defines a shorter one.
 */
char *aa_hostname_hash(const char *name)
{
	unsigned char personal[AA_BLAKE2B_PERSONAL_LEN] = "hostname";
	unsigned char digest[DIGEST_LEN];

	if (aa_blake2b_personal(digest, sizeof(digest), name, strlen(name), personal) != 0)
		return NULL;
	return aa_base64url_encode(digest, sizeof(digest));
}

char *aa_client_hostname(int hash)
{
	char name[HOST_NAME_MAX + 1] = "";
	size_t n;

	/* like Python's socket.gethostname(): an error leaves the name empty */
	if (gethostname(name, sizeof(name)) != 0)
		name[0] = '\0';
	name[sizeof(name) - 1] = '\0';
	/* macOS appends ".local" to some host names; 0.15 drops it first */
	n = strlen(name);
	if (n >= 6 && strcmp(name + n - 6, ".local") == 0)
		name[n - 6] = '\0';
	return hash ? aa_hostname_hash(name) : strdup(name);
}

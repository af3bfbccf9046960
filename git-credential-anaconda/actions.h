/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * actions.h - what the helper does for git's get, store and erase, given a
 * parsed request and the settings; all key handling goes through common/.
 */
#ifndef GCA_ACTIONS_H
#define GCA_ACTIONS_H

#include <stddef.h>
#include <time.h>

#include "anaconda_auth.h"
#include "protocol.h"

/* The username we print when neither --username nor the stored entry has one. */
#define GCA_DEFAULT_USERNAME "anaconda"

typedef struct gca_ctx gca_ctx;

/* Runs the interactive login; AA_ERR_UNSUPPORTED when there is no terminal. */
typedef aa_status (*gca_login_fn)(gca_ctx *ctx, aa_error *err);

struct gca_ctx {
	const aa_config *cfg;   /* its domain is the one whose key we serve */
	const char *const *hosts; /* --host names served besides the domain, or NULL */
	const char *username;   /* --username, or NULL */
	int login;              /* --login: start the device flow when needed */
	gca_login_fn run_login; /* how --login logs in (tests replace it) */
	time_t now;
	aa_keyring *kr;         /* opened on first use, closed by gca_ctx_close */
};

/* Close the keyring the actions opened. */
void gca_ctx_close(gca_ctx *ctx);

/* 1 when the request is for a host this helper answers. */
int gca_request_is_ours(const gca_ctx *ctx, const gca_request *req);

/*
 * get: *out receives the protocol lines to print (NULL when we have
 * nothing to say). Not ours or no key: AA_OK with *out NULL; for our hosts
 * a missing key also sets err (AA_ERR_NOT_FOUND) so the person is told to
 * log in. Expired: AA_ERR_EXPIRED. Storage trouble: AA_ERR_STORAGE.
 */
aa_status gca_get(gca_ctx *ctx, const gca_request *req, char **out,
		  size_t *out_len, aa_error *err);

/* What gca_store did, so the caller can tell the person. */
typedef enum gca_store_outcome {
	GCA_STORE_NOTHING, /* not ours, not a fresh key, or that key is stored */
	GCA_STORE_KEPT,    /* a valid key is stored: git's key was ignored */
	GCA_STORE_STORED,  /* nothing valid was stored: git's key now is */
} gca_store_outcome;

typedef struct gca_store_result {
	gca_store_outcome outcome;
	char account[AA_FINGERPRINT_MAX]; /* STORED: aa_fingerprint of the key */
} gca_store_result;

/*
 * store: keep the password (or Bearer credential) for the configured domain
 * only when it is a well-formed unexpired Anaconda API key and nothing
 * valid is stored (no key, or an expired one). A valid stored key is never
 * replaced, whatever account a key git offers names: git approves any key
 * a server accepted, even one a public repository never checked, and a
 * JWT's `sub` proves nothing unverified; `anaconda-auth login` is how keys
 * and accounts change. The decision is re-made under the keyring's lock.
 */
aa_status gca_store(gca_ctx *ctx, const gca_request *req,
		    gca_store_result *res, aa_error *err);

/*
 * erase: delete the stored key only when the request's password equals it.
 * *erased counts the entries the key was removed from (0: none).
 */
aa_status gca_erase(gca_ctx *ctx, const gca_request *req, int *erased,
		    aa_error *err);

#endif /* GCA_ACTIONS_H */

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
	const aa_config *cfg;   /* cfg->domain is the domain whose key we serve */
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

/*
 * store: keep the password (or Bearer credential) for the configured domain
 * when it is a well-formed unexpired Anaconda API key that differs from the
 * stored one, and either nothing valid is stored (no key, or an expired
 * one) or both keys are for the same account (JWT `sub`). A key for another
 * account, or in place of a stored key whose account cannot be read, is
 * ignored and *other_account set to 1, so the caller can say so; git store
 * never changes accounts (`anaconda-auth login` does). Everything else is
 * ignored silently (AA_OK).
 */
aa_status gca_store(gca_ctx *ctx, const gca_request *req, int *other_account,
		    aa_error *err);

/*
 * erase: delete the stored key only when the request's password equals it.
 * *erased counts the entries the key was removed from (0: none).
 */
aa_status gca_erase(gca_ctx *ctx, const gca_request *req, int *erased,
		    aa_error *err);

#endif /* GCA_ACTIONS_H */

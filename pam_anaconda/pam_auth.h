/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * pam_auth.h - `auth` with an Anaconda API key as the password: offline
 * shape check, online verification in the helper, binding of the account
 * to the PAM user, optional `store` for the session.
 */
#ifndef PAM_AUTH_H
#define PAM_AUTH_H

#include <stddef.h>

#include <security/pam_modules.h>

#include "pam_options.h"

typedef enum pa_reply_kind {
	PA_REPLY_KIND_BAD = 0,     /* not exactly one line of ours, with our nonce */
	PA_REPLY_KIND_OK,
	PA_REPLY_KIND_INVALID,
	PA_REPLY_KIND_EXPIRED,
	PA_REPLY_KIND_UNAVAILABLE,
	PA_REPLY_KIND_STORED,      /* store's answers */
	PA_REPLY_KIND_ERROR,
} pa_reply_kind;

/* One helper answer; the strings point into the parsed buffer. */
typedef struct pa_reply {
	pa_reply_kind kind;
	const char *account_id; /* OK only; NULL when the account had none */
	const char *username;   /* OK only; NULL when the account had none */
	const char *reason;     /* the rest of the line otherwise ("" if none) */
} pa_reply;

/*
 * Parse (and cut up) what the helper wrote: `total` bytes in all, of which
 * `buf` holds the first ones. Anything but exactly one line starting with
 * `nonce` is PA_REPLY_KIND_BAD.
 */
void pa_reply_parse(char *buf, size_t total, const char *nonce, pa_reply *r);

/* pam_sm_authenticate's work. */
int pa_authenticate(pam_handle_t *pamh, int flags, const pa_options *o);

#endif /* PAM_AUTH_H */

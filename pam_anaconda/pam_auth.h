/*
 * pam_auth.h - `auth` with an Anaconda API key as the password: offline
 * shape check, online verification in the helper, binding of the account
 * to the PAM user, optional `store` for the session.
 */
#ifndef PAM_AUTH_H
#define PAM_AUTH_H

#include <security/pam_modules.h>

#include "pam_options.h"

typedef enum pa_reply_kind {
	PA_REPLY_KIND_BAD = 0,     /* not a line our helper writes        */
	PA_REPLY_KIND_OK,
	PA_REPLY_KIND_INVALID,
	PA_REPLY_KIND_EXPIRED,
	PA_REPLY_KIND_UNAVAILABLE,
} pa_reply_kind;

/* One helper answer; the strings point into the parsed line. */
typedef struct pa_reply {
	pa_reply_kind kind;
	const char *username;  /* OK only; NULL when the account had none */
	const char *email;     /* OK only; NULL when the account had none */
	const char *reason;    /* the rest of the line otherwise ("" if none) */
} pa_reply;

/* Parse (and cut up) one answer line from pam_anaconda_verify verify. */
void pa_reply_parse(char *line, pa_reply *r);

/*
 * Does the verified account belong to pam_user? With a usermap (its text),
 * a line "username pam_user" must exist; else o->match decides.
 */
int pa_identity_matches(const pa_options *o, const char *usermap_text,
			const char *pam_user, const char *acct_username,
			const char *acct_email);

/* pam_sm_authenticate's work. */
int pa_authenticate(pam_handle_t *pamh, int flags, const pa_options *o);

#endif /* PAM_AUTH_H */

/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * pam_binding.h - who may authenticate as whom with `auth`: a verified
 * Anaconda account is bound to a local user only by the administrator's
 * usermap or, when opted in, by an equal username of an ordinary account;
 * and a key is never accepted for a user other than the one asking.
 */
#ifndef PAM_BINDING_H
#define PAM_BINDING_H

#include <pwd.h>
#include <sys/types.h>

#include "pam_options.h"

#define PA_LOGIN_DEFS "/etc/login.defs"
#define PA_DEFAULT_UID_MIN 1000
#define PA_DEFAULT_UID_MAX 60000

/* The uids of ordinary accounts, UID_MIN..UID_MAX of login.defs. */
typedef struct pa_uid_range {
	uid_t min;
	uid_t max;
} pa_uid_range;

/* Read a login.defs file; the defaults stand for what is absent or odd. */
pa_uid_range pa_uid_range_read(const char *login_defs);

/*
 * 1 if the account (acct_id, acct_username: either may be NULL) is bound
 * to the local user pw: a usermap line names it, or match=username is on,
 * the names are equal and pw is an ordinary account (uid in `ordinary`;
 * uid 0 never). usermap_text may be NULL (no usermap= option).
 */
int pa_account_bound(const pa_options *o, const char *usermap_text,
		     const struct passwd *pw, const char *acct_id,
		     const char *acct_username, pa_uid_range ordinary);

/*
 * The three ways a key could let someone else become `user` (each 1 when
 * it would). Whoever runs a set-id host (sudo, su, polkit-agent-helper-1:
 * real uid not the effective one) may hold the key, whatever the PAM items
 * say, so such a host is elevation by itself.
 */
int pa_host_is_setid(uid_t real_uid, uid_t effective_uid);

/*
 * PAM_RUSER (NULL or "" when unset) names someone other than `user`. A
 * requester of uid 0 (ruser_uid; (uid_t)-1 when the name is unknown) is
 * trusted only when the host's real uid is root as well: RUSER is what
 * the host chose to say, and never replaces the real uid.
 */
int pa_requester_is_other(const char *ruser, uid_t ruser_uid, uid_t real_uid,
			  const char *user);

/*
 * A host whose real uid is not root (a screen locker) asks for that uid:
 * any target of another uid (target NULL: no such user) is someone else.
 */
int pa_caller_is_other(uid_t real_uid, const struct passwd *target);

#endif /* PAM_BINDING_H */

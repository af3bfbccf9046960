/* SPDX-License-Identifier: BSD-3-Clause */
/* pam_auth.c - the API key as a password: checked offline, verified by the helper, bound to the PAM user. */
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

#include <security/pam_ext.h>
#include <security/pam_modutil.h>

#include "internal.h"
#include "pam_auth.h"
#include "pam_binding.h"
#include "pam_runner.h"
#include "pam_site.h"
#include "pam_usermap.h"
#include "verify_protocol.h"

#define PA_PROMPT "Anaconda API key: "

static int printable_word(const char *s)
{
	if (!*s)
		return 0;
	for (; *s; s++)
		if ((unsigned char)*s <= 0x20 || (unsigned char)*s >= 0x7f)
			return 0;
	return 1;
}

static const char *field_or_null(const char *f)
{
	return strcmp(f, PA_REPLY_NONE) == 0 ? NULL : f;
}

/* "<id> <username>" of an ok answer. */
static void parse_ok(char *rest, pa_reply *r)
{
	char *name = strchr(rest, ' ');

	if (!name)
		return;
	*name++ = '\0';
	if (!printable_word(rest) || !printable_word(name))
		return;
	r->account_id = field_or_null(rest);
	r->username = field_or_null(name);
	r->kind = PA_REPLY_KIND_OK;
}

void pa_reply_parse(char *buf, size_t total, const char *nonce, pa_reply *r)
{
	size_t n = strlen(nonce), len = strlen(buf);
	char *line, *rest;

	memset(r, 0, sizeof(*r));
	r->reason = "";
	/* One line, all of it here, nothing after it, no NUL inside, and it
	 * is the answer to this request: anything else may be forged. */
	if (total != len || len == 0 || buf[len - 1] != '\n' ||
	    strchr(buf, '\n') != buf + len - 1 || len <= n + 1 ||
	    strncmp(buf, nonce, n) != 0 || buf[n] != ' ')
		return;
	buf[len - 1] = '\0';
	line = buf + n + 1;
	rest = strchr(line, ' ');
	if (rest)
		*rest++ = '\0';
	else
		rest = line + strlen(line);
	if (strcmp(line, PA_REPLY_OK) == 0) {
		parse_ok(rest, r);
		return;
	}
	r->reason = rest;
	if (strcmp(line, PA_REPLY_INVALID) == 0)
		r->kind = PA_REPLY_KIND_INVALID;
	else if (strcmp(line, PA_REPLY_EXPIRED) == 0)
		r->kind = PA_REPLY_KIND_EXPIRED;
	else if (strcmp(line, PA_REPLY_UNAVAILABLE) == 0)
		r->kind = PA_REPLY_KIND_UNAVAILABLE;
	else if (strcmp(line, PA_REPLY_STORED) == 0 && !*rest)
		r->kind = PA_REPLY_KIND_STORED;
	else if (strcmp(line, PA_REPLY_ERROR) == 0)
		r->kind = PA_REPLY_KIND_ERROR;
	else
		r->reason = "";
}

/* ---- the steps of authenticate ------------------------------------- */

/* Without a binding nobody can be authenticated: say how to make one. */
static int check_configured(pam_handle_t *pamh, const pa_options *o)
{
	if (o->usermap || o->match == PA_MATCH_USERNAME)
		return PAM_SUCCESS;
	pam_syslog(pamh, LOG_ERR,
		   "auth binds no account to any user: add usermap=/etc/security/anaconda-users (lines \"ACCOUNT-ID local-user\") to the auth line");
	return PAM_AUTHINFO_UNAVAIL;
}

/* The refusal of an elevation, logged. */
static int refuse_elevation(pam_handle_t *pamh, const char *user,
			    const char *requester)
{
	pam_syslog(pamh, LOG_NOTICE,
		   "refusing an API key for %s requested by %s: the key may be theirs (add allow_elevation to permit it)",
		   user, requester);
	return PAM_PERM_DENIED;
}

/* sudo, su, polkit-agent-helper-1: a set-id host is run by someone who may
 * hold the key, whatever PAM_USER and PAM_RUSER say. Decided on the host
 * alone, before the prompt, so it says nothing about which users exist. */
static int check_host(pam_handle_t *pamh, const pa_options *o)
{
	if (o->allow_elevation || !pa_host_is_setid(getuid(), geteuid()))
		return PAM_SUCCESS;
	pam_syslog(pamh, LOG_NOTICE,
		   "refusing an API key in a set-id program (real uid %lu, effective uid %lu): whoever runs it may hold the key (add allow_elevation to permit it)",
		   (unsigned long)getuid(), (unsigned long)geteuid());
	return PAM_PERM_DENIED;
}

/* PAM_RUSER names who asks. Decided on names alone, before the prompt. */
static int check_requester(pam_handle_t *pamh, const pa_options *o,
			   const char *user)
{
	const void *item = NULL;
	const struct passwd *rpw;
	const char *ruser;

	if (o->allow_elevation ||
	    pam_get_item(pamh, PAM_RUSER, &item) != PAM_SUCCESS || !item)
		return PAM_SUCCESS;
	ruser = item;
	rpw = *ruser ? pam_modutil_getpwnam(pamh, ruser) : NULL;
	if (!pa_requester_is_other(ruser, rpw ? rpw->pw_uid : (uid_t)-1,
				   getuid(), user))
		return PAM_SUCCESS;
	return refuse_elevation(pamh, "another user", ruser);
}

/* A host whose real uid is not root (a screen locker) asks for that uid,
 * whatever PAM_RUSER says. Decided after the prompt: it depends on the
 * user's uid. */
static int check_caller(pam_handle_t *pamh, const pa_options *o,
			const struct passwd *pw)
{
	if (o->allow_elevation || !pa_caller_is_other(getuid(), pw))
		return PAM_SUCCESS;
	return refuse_elevation(pamh, pw->pw_name, "the calling user");
}

/* With usermap=: load it (a missing or unsafe map authenticates nobody). */
static int load_usermap(pam_handle_t *pamh, const pa_options *o, char **text)
{
	char why[200];
	int r;

	*text = NULL;
	if (!o->usermap)
		return PAM_SUCCESS;
	r = pa_usermap_load(o->usermap, text, why, sizeof(why));
	if (r == PA_USERMAP_NOMEM)
		return PAM_BUF_ERR;
	if (r != PA_USERMAP_LOADED) {
		pam_syslog(pamh, LOG_ALERT, "usermap %s unusable: %s",
			   o->usermap, why);
		return PAM_AUTHINFO_UNAVAIL;
	}
	if (pa_usermap_bad_lines(*text) > 0)
		pam_syslog(pamh, LOG_ERR,
			   "usermap %s: %zu malformed line(s) ignored",
			   o->usermap, pa_usermap_bad_lines(*text));
	return PAM_SUCCESS;
}

/* With config=: the administrator's file and its site must be usable before
 * anyone is asked for a key; the helper reads the same file (pa_site_domain). */
static int check_site(pam_handle_t *pamh, const pa_options *o)
{
	char *domain = NULL;
	int rc = pa_site_domain(pamh, o, PAM_AUTHINFO_UNAVAIL, &domain);

	if (rc == PAM_SUCCESS && domain && o->debug)
		pam_syslog(pamh, LOG_DEBUG, "keys are verified at %s (site %s of %s)",
			   domain, o->site ? o->site : "by default", o->config);
	free(domain);
	return rc;
}

/* Offline: a typed password that is not a live API key never leaves the host. */
static int check_key_shape(pam_handle_t *pamh, const char *key)
{
	aa_status st = aa_api_key_check(key, AA_KEY_REQUIRE_JWT, time(NULL),
					NULL);

	if (st == AA_OK)
		return PAM_SUCCESS;
	pam_syslog(pamh, LOG_NOTICE, "authentication failure: the token is %s",
		   st == AA_ERR_EXPIRED ? "an expired API key"
					: "not a well-formed API key");
	return st == AA_ERR_NOMEM ? PAM_BUF_ERR : PAM_AUTH_ERR;
}

/* The helper's verdict as a PAM code; on success *r names the account. */
static int verify_online(pam_handle_t *pamh, const pa_options *o,
			 const char *key, pa_answer *ans, pa_reply *r)
{
	char timeout_arg[48], at_arg[PA_MAX_SITE_LEN + 8];
	const char *argv[] = { PA_HELPER_NAME, "verify", timeout_arg,
			       o->site ? at_arg : NULL, NULL };
	pa_run_as verifier;
	int rc;

	snprintf(timeout_arg, sizeof(timeout_arg), "--timeout-ms=%ld",
		 o->timeout_s * 1000L);
	snprintf(at_arg, sizeof(at_arg), "--at=%s", o->site ? o->site : "");
	rc = pa_run_as_verifier(pamh, o, &verifier);
	if (rc == PAM_SUCCESS)
		rc = pa_run_helper(pamh, o, &verifier, argv, key, ans);
	if (rc == PAM_AUTHINFO_UNAVAIL && o->ignore_authinfo_unavail)
		return PAM_IGNORE; /* the helper ran out of time */
	if (rc != PAM_SUCCESS)
		return rc;
	pa_reply_parse(ans->text, ans->total, ans->nonce, r);
	switch (r->kind) {
	case PA_REPLY_KIND_OK:
		return PAM_SUCCESS;
	case PA_REPLY_KIND_INVALID:
	case PA_REPLY_KIND_EXPIRED:
		pam_syslog(pamh, LOG_NOTICE,
			   "authentication failure: the service refused the key (%s)",
			   r->reason);
		return PAM_AUTH_ERR;
	case PA_REPLY_KIND_UNAVAILABLE:
		pam_syslog(pamh, LOG_ERR, "cannot verify the key: %s", r->reason);
		return o->ignore_authinfo_unavail ? PAM_IGNORE
						  : PAM_AUTHINFO_UNAVAIL;
	case PA_REPLY_KIND_ERROR: /* its settings: config= or site= unusable */
		pam_syslog(pamh, LOG_ERR, "cannot verify the key: %s", r->reason);
		return PAM_AUTHINFO_UNAVAIL;
	default:
		pam_syslog(pamh, LOG_ERR,
			   "the helper's answer was not exactly one line with this request's nonce");
		return PAM_SYSTEM_ERR;
	}
}

/* Is the verified account this user's? The unknown user fails here, after
 * the same prompt and the same work as everyone else. */
static int check_binding(pam_handle_t *pamh, const pa_options *o,
			 const char *usermap_text, const char *user,
			 const struct passwd *pw, const pa_reply *r)
{
	const char *id = r->account_id ? r->account_id : "(no id)";
	const char *name = r->username ? r->username : "(no username)";

	if (!pw) {
		pam_syslog(pamh, LOG_NOTICE,
			   "authentication failure: no such user (the name is not logged: it may be a password)");
		return PAM_AUTH_ERR; /* as for a known user: the code is seen too */
	}
	if (!pa_account_bound(o, usermap_text, pw, r->account_id, r->username,
			      pa_uid_range_read(PA_LOGIN_DEFS))) {
		pam_syslog(pamh, LOG_NOTICE,
			   "authentication failure for %s: the key belongs to account %s (%s), which is not bound to this user",
			   user, id, name);
		return PAM_AUTH_ERR;
	}
	if (o->debug)
		pam_syslog(pamh, LOG_DEBUG, "key of account %s (%s) accepted for %s",
			   id, name, user);
	return PAM_SUCCESS;
}

/* `store`: as the user, save the key where their session will find it.
 * Best effort: the authentication already succeeded. */
static void store_key_as_user(pam_handle_t *pamh, const pa_options *o,
		      const struct passwd *pw, const char *key)
{
	char *home_arg = aa_asprintf("--home=%s", pw->pw_dir);
	char *keyring_arg = aa_asprintf("--keyring=%s", o->keyring);
	char *at_arg = o->site ? aa_asprintf("--at=%s", o->site) : NULL;
	const char *argv[] = { PA_HELPER_NAME, "store", home_arg, keyring_arg,
			       at_arg, NULL };
	pa_answer ans;
	pa_reply r;
	pa_run_as user;

	if (!home_arg || !keyring_arg || (o->site && !at_arg)) {
		pam_syslog(pamh, LOG_CRIT, "out of memory; key not stored");
	} else if (pa_run_as_user(pw, &user) != 0) {
		pam_syslog(pamh, LOG_ERR, "cannot list the groups of %s; key not stored",
			   pw->pw_name);
	} else if (pa_run_helper(pamh, o, &user, argv, key, &ans) == PAM_SUCCESS) {
		pa_reply_parse(ans.text, ans.total, ans.nonce, &r);
		if (r.kind == PA_REPLY_KIND_STORED)
			pam_syslog(pamh, LOG_INFO, "stored the key in %s/%s",
				   pw->pw_dir, o->keyring);
		else
			pam_syslog(pamh, LOG_WARNING,
				   "could not store the key in %s/%s: %s",
				   pw->pw_dir, o->keyring,
				   r.kind == PA_REPLY_KIND_ERROR ? r.reason
								 : "the helper's answer was not ours");
	}
	free(home_arg);
	free(keyring_arg);
	free(at_arg);
}

/* The key, asked of every user alike. */
static int get_key(pam_handle_t *pamh, const char **key)
{
	int rc = pam_get_authtok(pamh, PAM_AUTHTOK, key, PA_PROMPT);

	if (rc == PAM_CONV_AGAIN)
		return PAM_INCOMPLETE;
	if (rc == PAM_SUCCESS && (!*key || !**key))
		return PAM_AUTH_ERR;
	return rc;
}

int pa_authenticate(pam_handle_t *pamh, int flags, const pa_options *o)
{
	const struct passwd *pw;
	const char *user = NULL, *key = NULL;
	char *usermap_text = NULL;
	pa_answer ans;
	pa_reply r;
	int rc;

	(void)flags;
	rc = pam_get_user(pamh, &user, NULL);
	if (rc == PAM_CONV_AGAIN)
		return PAM_INCOMPLETE;
	if (rc != PAM_SUCCESS || !user || !*user)
		return rc != PAM_SUCCESS ? rc : PAM_USER_UNKNOWN;
	/* Before the prompt only what is the same for every user. */
	rc = check_configured(pamh, o);
	if (rc == PAM_SUCCESS)
		rc = check_host(pamh, o);
	if (rc == PAM_SUCCESS)
		rc = check_requester(pamh, o, user);
	if (rc == PAM_SUCCESS)
		rc = check_site(pamh, o);
	if (rc == PAM_SUCCESS)
		rc = load_usermap(pamh, o, &usermap_text);
	if (rc == PAM_SUCCESS)
		rc = get_key(pamh, &key);
	if (rc == PAM_SUCCESS)
		rc = check_key_shape(pamh, key);
	if (rc == PAM_SUCCESS)
		rc = verify_online(pamh, o, key, &ans, &r);
	pw = pam_modutil_getpwnam(pamh, user);
	if (rc == PAM_SUCCESS)
		rc = check_binding(pamh, o, usermap_text, user, pw, &r);
	if (rc == PAM_SUCCESS)
		rc = check_caller(pamh, o, pw);
	if (rc == PAM_SUCCESS && o->store)
		store_key_as_user(pamh, o, pw, key);
	aa_memzero(&ans, sizeof(ans));
	free(usermap_text);
	return rc;
}

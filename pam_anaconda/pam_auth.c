/* pam_auth.c - the API key as a password: checked offline, verified by the helper, bound to the PAM user. */
#include <grp.h>
#include <pwd.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

#include <security/pam_ext.h>
#include <security/pam_modutil.h>

#include "internal.h"
#include "pam_auth.h"
#include "pam_child.h"
#include "pam_usermap.h"
#include "verify_protocol.h"

/* The helper talks to the network as nobody: the person being
 * authenticated must not be able to trace or signal their own verifier. */
#define PA_HELPER_USER "nobody"
#define PA_OVERFLOW_ID 65534
#define PA_MAX_GROUPS 256

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

void pa_reply_parse(char *line, pa_reply *r)
{
	char *nl = strchr(line, '\n');
	char *rest = strchr(line, ' ');
	char *email;

	memset(r, 0, sizeof(*r));
	r->reason = "";
	if (nl)
		*nl = '\0';
	if (rest)
		*rest++ = '\0';
	else
		rest = line + strlen(line);
	if (strcmp(line, PA_REPLY_OK) == 0) {
		email = strchr(rest, ' ');
		if (!email)
			return;
		*email++ = '\0';
		if (!printable_word(rest) || !printable_word(email))
			return;
		r->username = field_or_null(rest);
		r->email = field_or_null(email);
		r->kind = PA_REPLY_KIND_OK;
		return;
	}
	r->reason = rest;
	if (strcmp(line, PA_REPLY_INVALID) == 0)
		r->kind = PA_REPLY_KIND_INVALID;
	else if (strcmp(line, PA_REPLY_EXPIRED) == 0)
		r->kind = PA_REPLY_KIND_EXPIRED;
	else if (strcmp(line, PA_REPLY_UNAVAILABLE) == 0)
		r->kind = PA_REPLY_KIND_UNAVAILABLE;
	else
		r->reason = "";
}

int pa_identity_matches(const pa_options *o, const char *usermap_text,
			const char *pam_user, const char *acct_username,
			const char *acct_email)
{
	const char *at;

	if (usermap_text)
		return pa_usermap_allows(usermap_text, acct_username, pam_user);
	if (o->match == PA_MATCH_USERNAME)
		return acct_username && strcmp(acct_username, pam_user) == 0;
	if (!acct_email || !(at = strrchr(acct_email, '@')) || at == acct_email)
		return 0;
	return strlen(pam_user) == (size_t)(at - acct_email) &&
	       memcmp(pam_user, acct_email, (size_t)(at - acct_email)) == 0;
}

/* ---- running the helper ------------------------------------------ */

/* The environment a helper gets: nothing from the host's, which belongs
 * to whoever called sudo/su (proxies, SSL_CERT_FILE, LD_*). */
typedef struct pa_env {
	char *v[8];
	size_t n;
} pa_env;

static int env_add(pa_env *e, const char *name, const char *value)
{
	if (e->n + 1 >= sizeof(e->v) / sizeof(e->v[0]))
		return -1;
	e->v[e->n] = aa_asprintf("%s=%s", name, value);
	if (!e->v[e->n])
		return -1;
	e->v[++e->n] = NULL;
	return 0;
}

static void env_free(pa_env *e)
{
	for (size_t i = 0; i < e->n; i++)
		free(e->v[i]);
	e->n = 0;
}

static int env_build(pa_env *e, const pa_options *o, const char *home)
{
	memset(e, 0, sizeof(*e));
	if (env_add(e, "PATH", "/usr/bin:/bin") || env_add(e, "HOME", home) ||
	    env_add(e, "LC_ALL", "C") ||
	    (o->domain && env_add(e, "ANACONDA_AUTH_DOMAIN", o->domain)) ||
	    (o->ca && env_add(e, "ANACONDA_AUTH_SSL_VERIFY", o->ca)) ||
	    (!o->ca && !o->ssl_verify &&
	     env_add(e, "ANACONDA_AUTH_SSL_VERIFY", "false"))) {
		env_free(e);
		return -1;
	}
	return 0;
}

/* The program we are about to run as root's child must be root's (or ours). */
static int helper_trusted(const char *path, char *why, size_t why_len)
{
	struct stat st;

	if (stat(path, &st) != 0) {
		snprintf(why, why_len, "%s: cannot stat it", path);
		return 0;
	}
	if (!S_ISREG(st.st_mode) || !(st.st_mode & S_IXUSR) ||
	    (st.st_uid != 0 && st.st_uid != geteuid()) ||
	    (st.st_mode & (S_IWGRP | S_IWOTH))) {
		snprintf(why, why_len,
			 "%s: not an executable owned by root and writable only by it",
			 path);
		return 0;
	}
	return 1;
}

typedef struct pa_run_as {
	uid_t uid;
	gid_t gid;
	gid_t groups[PA_MAX_GROUPS];
	size_t n_groups;
	const char *home;
} pa_run_as;

static void run_as_nobody(pam_handle_t *pamh, pa_run_as *who)
{
	const struct passwd *pw = pam_modutil_getpwnam(pamh, PA_HELPER_USER);

	memset(who, 0, sizeof(*who));
	who->uid = pw ? pw->pw_uid : PA_OVERFLOW_ID;
	who->gid = pw ? pw->pw_gid : PA_OVERFLOW_ID;
	who->home = "/nonexistent";
}

static int run_as_user(const struct passwd *pw, pa_run_as *who)
{
	int n = PA_MAX_GROUPS;

	memset(who, 0, sizeof(*who));
	who->uid = pw->pw_uid;
	who->gid = pw->pw_gid;
	who->home = pw->pw_dir;
	if (getgrouplist(pw->pw_name, pw->pw_gid, who->groups, &n) < 0)
		return -1;
	who->n_groups = (size_t)n;
	return 0;
}

/*
 * Run the helper with `key` on stdin; its answer goes into reply.
 * Returns PAM_SUCCESS when an answer arrived, else the PAM code to return.
 */
static int run_helper(pam_handle_t *pamh, const pa_options *o,
		      const pa_run_as *who, const char *const *argv,
		      const char *key, char *reply, size_t reply_len)
{
	const char *path = o->helper ? o->helper : PA_HELPER_PATH;
	char why[256];
	pa_child c;
	pa_env env;
	pa_child_status s;
	int code;

	if (!helper_trusted(path, why, sizeof(why))) {
		pam_syslog(pamh, LOG_ERR, "refusing to run the helper: %s", why);
		return PAM_SYSTEM_ERR;
	}
	if (env_build(&env, o, who->home) != 0) {
		pam_syslog(pamh, LOG_CRIT, "out of memory");
		return PAM_BUF_ERR;
	}
	memset(&c, 0, sizeof(c));
	c.path = path;
	c.argv = argv;
	c.envp = (const char *const *)env.v;
	c.drop = geteuid() == 0;
	c.uid = who->uid;
	c.gid = who->gid;
	c.groups = who->groups;
	c.n_groups = who->n_groups;
	c.input = key;
	c.input_len = strlen(key);
	c.timeout_ms = o->timeout_s * 1000L;
	s = pa_child_run(&c, reply, reply_len, &code, why, sizeof(why));
	env_free(&env);
	if (s == PA_CHILD_TIMEOUT) {
		pam_syslog(pamh, LOG_ERR, "%s (timeout=%ld)", why, o->timeout_s);
		return PAM_AUTHINFO_UNAVAIL;
	}
	if (s != PA_CHILD_OK || code != 0) {
		pam_syslog(pamh, LOG_ERR, "%s: %s", path,
			   s != PA_CHILD_OK ? why : "the helper failed");
		return PAM_SYSTEM_ERR;
	}
	return PAM_SUCCESS;
}

/* ---- the steps of authenticate ------------------------------------- */

/* With usermap=: load it, and stop early for users it does not name. */
static int load_usermap(pam_handle_t *pamh, const pa_options *o,
			const char *user, char **text)
{
	char why[200];
	int r;

	*text = NULL;
	if (!o->usermap)
		return PAM_SUCCESS;
	r = pa_usermap_load(o->usermap, text, why, sizeof(why));
	if (r == -2)
		return PAM_BUF_ERR;
	if (r != 0) {
		pam_syslog(pamh, LOG_ALERT, "usermap %s unusable: %s",
			   o->usermap, why);
		return PAM_AUTHINFO_UNAVAIL;
	}
	if (pa_usermap_bad_lines(*text) > 0)
		pam_syslog(pamh, LOG_ERR,
			   "usermap %s: %zu malformed line(s) ignored",
			   o->usermap, pa_usermap_bad_lines(*text));
	if (!pa_usermap_has_local(*text, user)) {
		pam_syslog(pamh, LOG_NOTICE, "user %s has no line in usermap %s",
			   user, o->usermap);
		return PAM_USER_UNKNOWN;
	}
	return PAM_SUCCESS;
}

/* Offline: a typed password that is not a live API key never leaves the host. */
static int check_key_shape(pam_handle_t *pamh, const char *user,
			   const char *key)
{
	aa_status st = aa_api_key_check(key, AA_KEY_REQUIRE_JWT, time(NULL),
					NULL);

	if (st == AA_OK)
		return PAM_SUCCESS;
	pam_syslog(pamh, LOG_NOTICE,
		   "authentication failure for %s: the token is %s", user,
		   st == AA_ERR_EXPIRED ? "an expired API key"
					: "not a well-formed API key");
	return st == AA_ERR_NOMEM ? PAM_BUF_ERR : PAM_AUTH_ERR;
}

static int verify_online(pam_handle_t *pamh, const pa_options *o,
			 const char *user, const char *usermap_text,
			 const char *key)
{
	char timeout_arg[48], reply[PA_REPLY_MAX];
	const char *argv[] = { PA_HELPER_NAME, "verify", timeout_arg, NULL };
	pa_run_as nobody;
	pa_reply r;
	int rc;

	snprintf(timeout_arg, sizeof(timeout_arg), "--timeout-ms=%ld",
		 o->timeout_s * 1000L);
	run_as_nobody(pamh, &nobody);
	rc = run_helper(pamh, o, &nobody, argv, key, reply, sizeof(reply));
	if (rc == PAM_AUTHINFO_UNAVAIL && o->ignore_authinfo_unavail)
		return PAM_IGNORE; /* the helper ran out of time */
	if (rc != PAM_SUCCESS)
		return rc;
	pa_reply_parse(reply, &r);
	switch (r.kind) {
	case PA_REPLY_KIND_OK:
		break;
	case PA_REPLY_KIND_INVALID:
	case PA_REPLY_KIND_EXPIRED:
		pam_syslog(pamh, LOG_NOTICE,
			   "authentication failure for %s: the service refused the key (%s)",
			   user, r.reason);
		return PAM_AUTH_ERR;
	case PA_REPLY_KIND_UNAVAILABLE:
		pam_syslog(pamh, LOG_ERR,
			   "cannot verify the key for %s: %s", user, r.reason);
		return o->ignore_authinfo_unavail ? PAM_IGNORE
						  : PAM_AUTHINFO_UNAVAIL;
	default:
		pam_syslog(pamh, LOG_ERR, "the helper gave an unexpected answer");
		return PAM_SYSTEM_ERR;
	}
	if (!pa_identity_matches(o, usermap_text, user, r.username, r.email)) {
		pam_syslog(pamh, LOG_NOTICE,
			   "authentication failure for %s: the key belongs to account %s (%s), which is not mapped to this user",
			   user, r.username ? r.username : "(no username)",
			   r.email ? r.email : "no email");
		return PAM_AUTH_ERR;
	}
	if (o->debug)
		pam_syslog(pamh, LOG_DEBUG, "key of account %s accepted for %s",
			   r.username ? r.username : "(no username)", user);
	return PAM_SUCCESS;
}

/* `store`: as the user, save the key where their session will find it.
 * Best effort: the authentication already succeeded. */
static void store_key(pam_handle_t *pamh, const pa_options *o,
		      const struct passwd *pw, const char *key)
{
	char *home_arg = aa_asprintf("--home=%s", pw->pw_dir);
	char *keyring_arg = aa_asprintf("--keyring=%s", o->keyring);
	const char *argv[] = { PA_HELPER_NAME, "store", home_arg, keyring_arg,
			       NULL };
	char reply[PA_REPLY_MAX];
	pa_run_as user;

	if (!home_arg || !keyring_arg) {
		pam_syslog(pamh, LOG_CRIT, "out of memory; key not stored");
	} else if (run_as_user(pw, &user) != 0) {
		pam_syslog(pamh, LOG_ERR, "cannot list the groups of %s; key not stored",
			   pw->pw_name);
	} else if (run_helper(pamh, o, &user, argv, key, reply,
			      sizeof(reply)) == PAM_SUCCESS) {
		reply[strcspn(reply, "\n")] = '\0';
		if (strcmp(reply, PA_REPLY_STORED) == 0)
			pam_syslog(pamh, LOG_INFO, "stored the key in %s/%s",
				   pw->pw_dir, o->keyring);
		else
			pam_syslog(pamh, LOG_WARNING,
				   "could not store the key in %s/%s: %s",
				   pw->pw_dir, o->keyring, reply);
	}
	free(home_arg);
	free(keyring_arg);
}

int pa_authenticate(pam_handle_t *pamh, int flags, const pa_options *o)
{
	const struct passwd *pw;
	const char *user = NULL, *key = NULL;
	char *usermap_text = NULL;
	int rc;

	(void)flags;
	rc = pam_get_user(pamh, &user, NULL);
	if (rc == PAM_CONV_AGAIN)
		return PAM_INCOMPLETE;
	if (rc != PAM_SUCCESS || !user || !*user)
		return rc != PAM_SUCCESS ? rc : PAM_USER_UNKNOWN;
	pw = pam_modutil_getpwnam(pamh, user);
	if (!pw)
		return PAM_USER_UNKNOWN; /* the name is not logged: it may be a password */
	rc = load_usermap(pamh, o, user, &usermap_text);
	if (rc != PAM_SUCCESS)
		goto out;
	rc = pam_get_authtok(pamh, PAM_AUTHTOK, &key, "Anaconda API key: ");
	if (rc == PAM_CONV_AGAIN)
		rc = PAM_INCOMPLETE;
	if (rc != PAM_SUCCESS)
		goto out;
	if (!key || !*key) {
		rc = PAM_AUTH_ERR;
		goto out;
	}
	rc = check_key_shape(pamh, user, key);
	if (rc == PAM_SUCCESS)
		rc = verify_online(pamh, o, user, usermap_text, key);
	if (rc == PAM_SUCCESS && o->store)
		store_key(pamh, o, pw, key);
out:
	free(usermap_text);
	return rc;
}

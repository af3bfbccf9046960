/* SPDX-License-Identifier: BSD-3-Clause */
/* pam_runner.c - runs pam_anaconda_verify as its own account, with a clean environment and a nonce. */
#include <grp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <syslog.h>
#include <unistd.h>

#include <security/pam_ext.h>
#include <security/pam_modutil.h>

#include "internal.h"
#include "pam_child.h"
#include "pam_runner.h"

#define PA_OVERFLOW_UID 65534

/* The environment a helper gets: nothing from the host's, which belongs
 * to whoever called sudo/su (proxies, SSL_CERT_FILE, LD_*). */
typedef struct pa_env {
	char *v[10];
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
	    env_add(e, "ANACONDA_CONFIG_TOML", o->config ? o->config : PA_NO_CONFIG) ||
	    /* a container's /run/secrets is for the client tools, not for the verifier */
	    env_add(e, "ANACONDA_SECRETS_DIR", PA_NO_SECRETS_DIR) ||
	    (o->domain && env_add(e, "ANACONDA_AUTH_DOMAIN", o->domain)) ||
	    (o->ca && env_add(e, "ANACONDA_AUTH_SSL_VERIFY", o->ca)) ||
	    (!o->ca && !o->ssl_verify &&
	     env_add(e, "ANACONDA_AUTH_SSL_VERIFY", "false"))) {
		env_free(e);
		return -1;
	}
	return 0;
}

pa_helper_read pa_helper_read_check(mode_t mode, int installed, int as_root)
{
	if (!as_root || !(mode & (S_IRGRP | S_IROTH)))
		return PA_HELPER_READ_OK;
	return installed ? PA_HELPER_READ_REFUSE : PA_HELPER_READ_WARN;
}

/* The program we are about to run as root's child must be root's (or ours).
 * Readable by group or others, it is dumpable from execve until its own
 * prctl, and other processes of the verifier's uid could take it over. */
static int helper_trusted(pam_handle_t *pamh, const char *path, int installed,
			  char *why, size_t why_len)
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
	switch (pa_helper_read_check(st.st_mode, installed, geteuid() == 0)) {
	case PA_HELPER_READ_REFUSE:
		snprintf(why, why_len,
			 "%s is readable by group or others, so it is dumpable and can be taken over; install it execute-only (chmod 0711 %s)",
			 path, path);
		return 0;
	case PA_HELPER_READ_WARN:
		pam_syslog(pamh, LOG_WARNING,
			   "%s is readable by group or others; install it execute-only (chmod 0711)",
			   path);
		break;
	case PA_HELPER_READ_OK:
		break;
	}
	return 1;
}

int pa_run_as_verifier(pam_handle_t *pamh, const pa_options *o, pa_run_as *who)
{
	const struct passwd *pw;

	memset(who, 0, sizeof(*who));
	who->home = "/nonexistent";
	if (geteuid() != 0) {
		who->uid = getuid();
		who->gid = getgid();
		return PAM_SUCCESS;
	}
	/* Never a fallback: a missing account is an installation error. */
	pw = pam_modutil_getpwnam(pamh, o->verify_user);
	if (!pw) {
		pam_syslog(pamh, LOG_ERR,
			   "cannot verify keys: the account %s does not exist (create it: adduser --system --group --no-create-home --home /nonexistent %s)",
			   o->verify_user, o->verify_user);
		return PAM_SYSTEM_ERR;
	}
	if (pw->pw_uid == 0 || pw->pw_gid == 0 ||
	    pw->pw_uid == PA_OVERFLOW_UID || strcmp(pw->pw_name, "nobody") == 0) {
		pam_syslog(pamh, LOG_ERR,
			   "cannot verify keys: the account %s is root or nobody; it must be a system account of its own",
			   o->verify_user);
		return PAM_SYSTEM_ERR;
	}
	who->uid = pw->pw_uid;
	who->gid = pw->pw_gid;
	return PAM_SUCCESS;
}

int pa_run_as_user(const struct passwd *pw, pa_run_as *who)
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

/* 128 bits from the kernel, as lowercase hex. */
static int make_nonce(char out[PA_NONCE_LEN + 1])
{
	static const char hex[] = "0123456789abcdef";
	unsigned char raw[PA_NONCE_LEN / 2];

	if (getrandom(raw, sizeof(raw), 0) != (ssize_t)sizeof(raw))
		return -1;
	for (size_t i = 0; i < sizeof(raw); i++) {
		out[2 * i] = hex[raw[i] >> 4];
		out[2 * i + 1] = hex[raw[i] & 15];
	}
	out[PA_NONCE_LEN] = '\0';
	return 0;
}

/* Start it; the request (it holds the key) is wiped whatever happens. */
static pa_child_status spawn(const pa_options *o, const pa_run_as *who,
			     const char *path, const char *const *argv,
			     const pa_env *env, const char *request,
			     pa_answer *ans, int *code, char *why, size_t why_len)
{
	pa_child c;

	memset(&c, 0, sizeof(c));
	c.path = path;
	c.argv = argv;
	c.envp = (const char *const *)env->v;
	c.drop = geteuid() == 0;
	c.uid = who->uid;
	c.gid = who->gid;
	c.groups = who->groups;
	c.n_groups = who->n_groups;
	c.input = request;
	c.input_len = strlen(request);
	c.timeout_ms = o->timeout_s * 1000L;
	return pa_child_run(&c, ans->text, sizeof(ans->text), &ans->total,
			    code, why, why_len);
}

int pa_run_helper(pam_handle_t *pamh, const pa_options *o,
		  const pa_run_as *who, const char *const *argv,
		  const char *key, pa_answer *ans)
{
	const char *path = o->helper ? o->helper : PA_HELPER_PATH;
	char why[256], *request;
	pa_env env;
	pa_child_status s;
	int code;

	memset(ans, 0, sizeof(*ans));
	if (!helper_trusted(pamh, path, !o->helper, why, sizeof(why))) {
		pam_syslog(pamh, LOG_ERR, "refusing to run the helper: %s", why);
		return PAM_SYSTEM_ERR;
	}
	if (make_nonce(ans->nonce) != 0) {
		pam_syslog(pamh, LOG_ERR, "cannot get random bytes for the helper's nonce");
		return PAM_SYSTEM_ERR;
	}
	if (env_build(&env, o, who->home) != 0) {
		pam_syslog(pamh, LOG_CRIT, "out of memory");
		return PAM_BUF_ERR;
	}
	request = aa_asprintf("%s\n%s", ans->nonce, key);
	if (!request) {
		env_free(&env);
		pam_syslog(pamh, LOG_CRIT, "out of memory");
		return PAM_BUF_ERR;
	}
	s = spawn(o, who, path, argv, &env, request, ans, &code, why, sizeof(why));
	aa_free_secret_str(request);
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

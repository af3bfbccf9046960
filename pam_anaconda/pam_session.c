/* SPDX-License-Identifier: BSD-3-Clause */
/* pam_session.c - session open: the stored key, read as the user, exported and checked offline. */
#include <inttypes.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>

#include <security/pam_ext.h>
#include <security/pam_modutil.h>

#include "util/aa_util.h"
#include "pam_keyfile.h"
#include "pam_site.h"
#include "pam_session.h"

#define DAY (24 * 60 * 60)

void pa_expiry_message(int64_t exp, time_t now, char *out, size_t out_len)
{
	int64_t left = exp - (int64_t)now;
	int64_t days = (left + DAY - 1) / DAY;
	time_t when = (time_t)exp;
	struct tm tm;
	char date[32] = "";

	if (left <= 0) {
		snprintf(out, out_len,
			 "Your Anaconda API key has expired. Run 'anaconda-auth login' to get a new one.");
		return;
	}
	if (gmtime_r(&when, &tm))
		strftime(date, sizeof(date), " (on %Y-%m-%d UTC)", &tm);
	if (left < DAY)
		snprintf(out, out_len,
			 "Your Anaconda API key expires in less than a day%s. Run 'anaconda-auth login' to renew it.",
			 date);
	else
		snprintf(out, out_len,
			 "Your Anaconda API key expires in %" PRId64 " day%s%s. Run 'anaconda-auth login' to renew it.",
			 days, days == 1 ? "" : "s", date);
}

/* Tell the person, unless told not to. A conversation failure (cron, sudo -n)
 * must not fail the session, so its result is ignored. */
static void tell(pam_handle_t *pamh, int flags, const pa_options *o,
		 const char *msg)
{
	if (o->quiet || (flags & (int)PAM_SILENT))
		return;
	(void)pam_info(pamh, "%s", msg);
}

/* Map a failed read to a PAM code, logging path and reason only. */
static int keyfile_failure(pam_handle_t *pamh, const pa_options *o,
			   pa_keyfile_status s, const pa_keyfile *kf)
{
	const char *path = kf->path ? kf->path : o->keyring;

	switch (s) {
	case PA_KF_MISSING:
		pam_syslog(pamh, LOG_INFO, "no keyring at %s: %s", path, kf->reason);
		return PAM_IGNORE;
	case PA_KF_UNREADABLE:
		pam_syslog(pamh, LOG_NOTICE, "keyring %s not used: %s", path,
			   kf->reason);
		return PAM_IGNORE;
	case PA_KF_UNSAFE:
		pam_syslog(pamh, LOG_WARNING, "keyring %s refused: %s", path,
			   kf->reason);
		return o->strict ? PAM_SESSION_ERR : PAM_IGNORE;
	case PA_KF_NOMEM:
		pam_syslog(pamh, LOG_CRIT, "reading %s: %s", path, kf->reason);
		return PAM_BUF_ERR;
	case PA_KF_DROP_FAILED:
		pam_syslog(pamh, LOG_ERR, "reading %s: %s", path, kf->reason);
		return PAM_SESSION_ERR;
	case PA_KF_REGAIN_FAILED:
	default:
		pam_syslog(pamh, LOG_CRIT, "reading %s: %s", path, kf->reason);
		return PAM_SYSTEM_ERR;
	}
}

/* The entry for the domain, or the PAM code to return. */
static int find_entry(pam_handle_t *pamh, const char *domain,
		      const pa_keyfile *kf, aa_token_info **info)
{
	aa_status st = aa_keyring_file_parse(kf->text, kf->len, domain, info,
					     NULL);

	if (st == AA_OK && (*info)->api_key)
		return PAM_SUCCESS;
	if (st == AA_OK || st == AA_ERR_NOT_FOUND) {
		pam_syslog(pamh, LOG_INFO, "keyring %s has no API key for %s",
			   kf->path, domain);
		return PAM_IGNORE;
	}
	if (st == AA_ERR_NOMEM) {
		pam_syslog(pamh, LOG_CRIT, "out of memory parsing %s", kf->path);
		return PAM_BUF_ERR;
	}
	pam_syslog(pamh, LOG_NOTICE, "keyring %s not used: %s", kf->path,
		   aa_strerror(st));
	return PAM_IGNORE;
}

/* pam_putenv copies the string; our copy is wiped before it is freed. */
static int export_key(pam_handle_t *pamh, const pa_options *o,
		      const char *key)
{
	size_t nlen = strlen(o->envvar), klen = strlen(key);
	char *kv = malloc(nlen + 1 + klen + 1);
	int rc;

	if (!kv) {
		pam_syslog(pamh, LOG_CRIT, "out of memory");
		return PAM_BUF_ERR;
	}
	memcpy(kv, o->envvar, nlen);
	kv[nlen] = '=';
	memcpy(kv + nlen + 1, key, klen + 1);
	rc = pam_putenv(pamh, kv);
	aa_memzero(kv, nlen + 1 + klen);
	free(kv);
	if (rc != PAM_SUCCESS) {
		pam_syslog(pamh, LOG_ERR, "cannot set %s: %s", o->envvar,
			   pam_strerror(pamh, rc));
		return rc == PAM_BUF_ERR ? PAM_BUF_ERR : PAM_SESSION_ERR;
	}
	return PAM_SUCCESS;
}

static void log_found(pam_handle_t *pamh, const pa_options *o,
		      const pa_keyfile *kf, const aa_token_info *info,
		      aa_expiry ex, int64_t exp)
{
	aa_jwt_claims claims;
	const char *sub = "-";

	memset(&claims, 0, sizeof(claims));
	if (aa_jwt_decode(aa_secret_str(info->api_key), &claims, NULL) == AA_OK &&
	    claims.sub)
		sub = claims.sub;
	pam_syslog(pamh, LOG_DEBUG,
		   "%s key for %s from %s (sub %s, exp %s%" PRId64 ")",
		   o->export_mode == PA_EXPORT_ENV ? "exporting" : "checked",
		   info->domain ? info->domain : "?", kf->path, sub,
		   ex == AA_EXPIRY_UNKNOWN ? "unknown " : "", exp);
	aa_jwt_claims_free(&claims);
}

/* The key is read: decide, tell, export. */
static int use_key(pam_handle_t *pamh, int flags, const pa_options *o,
		   const pa_keyfile *kf, const aa_token_info *info)
{
	const char *key = aa_secret_str(info->api_key);
	time_t now = time(NULL);
	int64_t exp = 0;
	aa_expiry ex = aa_key_expiry(key, now, &exp);
	char msg[256];

	if (o->debug)
		log_found(pamh, o, kf, info, ex, exp);
	if (ex == AA_EXPIRY_EXPIRED) {
		pam_syslog(pamh, LOG_NOTICE, "the API key in %s has expired",
			   kf->path);
		pa_expiry_message(exp, now, msg, sizeof(msg));
		tell(pamh, flags, o, msg);
		return PAM_IGNORE;
	}
	/* File content is the user's: only a sane key goes into the env. */
	if (aa_api_key_check(key, 0, now, NULL) != AA_OK) {
		pam_syslog(pamh, LOG_NOTICE,
			   "keyring %s not used: the stored API key is malformed",
			   kf->path);
		return PAM_IGNORE;
	}
	if (ex == AA_EXPIRY_VALID && o->warn_days > 0 &&
	    exp - (int64_t)now <= (int64_t)o->warn_days * DAY) {
		pa_expiry_message(exp, now, msg, sizeof(msg));
		tell(pamh, flags, o, msg);
	}
	if (o->export_mode == PA_EXPORT_NONE)
		return PAM_SUCCESS;
	return export_key(pamh, o, key);
}

/* Read the user's keyring as the user, then use the domain's key. */
static int session_export(pam_handle_t *pamh, int flags, const pa_options *o,
			  const struct passwd *pw, const char *domain)
{
	aa_token_info *info = NULL;
	pa_keyfile kf;
	pa_keyfile_status s;
	int rc;

	s = pa_keyfile_read(pamh, pw, o->keyring, &kf);
	if (s != PA_KF_OK) {
		rc = keyfile_failure(pamh, o, s, &kf);
		pa_keyfile_free(&kf);
		return rc;
	}
	if (kf.too_open)
		pam_syslog(pamh, LOG_NOTICE,
			   "keyring %s is readable by other users (run chmod 600 on it)",
			   kf.path);
	rc = find_entry(pamh, domain, &kf, &info);
	if (rc == PAM_SUCCESS)
		rc = use_key(pamh, flags, o, &kf, info);
	aa_token_info_free(info);
	pa_keyfile_free(&kf);
	return rc;
}

int pa_session_open(pam_handle_t *pamh, int flags, const pa_options *o)
{
	const char *user = NULL;
	const char *domain = o->domain ? o->domain : AA_DEFAULT_DOMAIN;
	char *site_domain = NULL;
	const struct passwd *pw;
	int rc;

	rc = pam_get_user(pamh, &user, NULL);
	if (rc == PAM_CONV_AGAIN)
		return PAM_INCOMPLETE;
	if (rc != PAM_SUCCESS || !user || !*user) {
		pam_syslog(pamh, LOG_ERR, "cannot determine the user");
		return PAM_SESSION_ERR;
	}
	pw = pam_modutil_getpwnam(pamh, user);
	if (!pw) {
		pam_syslog(pamh, LOG_ERR, "the session user has no passwd entry");
		return PAM_SESSION_ERR;
	}
	/* The key of the site auth verifies at, from the administrator's file;
	 * an unusable one exports nothing rather than another domain's key. */
	rc = pa_site_domain(pamh, o, PAM_SESSION_ERR, &site_domain);
	if (rc != PAM_SUCCESS)
		return rc;
	if (site_domain)
		domain = site_domain;
	rc = session_export(pamh, flags, o, pw, domain);
	free(site_domain);
	return rc;
}

/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * pam_anaconda.c - the PAM entry points of pam_anaconda.so and nothing else:
 * each parses the module arguments and hands over to session or auth.
 */
#include <syslog.h>

#include <security/pam_ext.h>
#include <security/pam_modules.h>

#include "pam_auth.h"
#include "pam_options.h"
#include "pam_session.h"

#define PA_EXPORT __attribute__((visibility("default")))

static void log_bad_argument(void *ctx, const char *arg, const char *why)
{
	pam_syslog((pam_handle_t *)ctx, LOG_ERR, "%s: %s", why, arg);
}

/* PAM_SUCCESS when the arguments are usable, else PAM_SERVICE_ERR. */
static int parse_arguments(pam_handle_t *pamh, int argc, const char **argv,
		 pa_options *o)
{
	if (pa_options_parse(o, argc, argv, log_bad_argument, pamh) != 0)
		return PAM_SERVICE_ERR;
	return PAM_SUCCESS;
}

PA_EXPORT int pam_sm_open_session(pam_handle_t *pamh, int flags, int argc,
				  const char **argv)
{
	pa_options o;
	int rc = parse_arguments(pamh, argc, argv, &o);

	return rc == PAM_SUCCESS ? pa_session_open(pamh, flags, &o) : rc;
}

/* Nothing was set up outside the PAM environment, so nothing to undo. */
PA_EXPORT int pam_sm_close_session(pam_handle_t *pamh, int flags, int argc,
				   const char **argv)
{
	(void)pamh;
	(void)flags;
	(void)argc;
	(void)argv;
	return PAM_SUCCESS;
}

PA_EXPORT int pam_sm_authenticate(pam_handle_t *pamh, int flags, int argc,
				  const char **argv)
{
	pa_options o;
	int rc = parse_arguments(pamh, argc, argv, &o);

	if (rc != PAM_SUCCESS)
		return rc;
	/* A misspelt auth option may be a safety setting: fail closed. */
	if (o.unknown > 0) {
		pam_syslog(pamh, LOG_ERR,
			   "auth refuses to run with unknown options (fix the auth line in the PAM configuration)");
		return PAM_SERVICE_ERR;
	}
	return pa_authenticate(pamh, flags, &o);
}

/* Authentication grants no credentials of its own. */
PA_EXPORT int pam_sm_setcred(pam_handle_t *pamh, int flags, int argc,
			     const char **argv)
{
	(void)pamh;
	(void)flags;
	(void)argc;
	(void)argv;
	return PAM_SUCCESS;
}

/* Not an account or password module: "don't count me". */
PA_EXPORT int pam_sm_acct_mgmt(pam_handle_t *pamh, int flags, int argc,
			       const char **argv)
{
	(void)pamh;
	(void)flags;
	(void)argc;
	(void)argv;
	return PAM_IGNORE;
}

PA_EXPORT int pam_sm_chauthtok(pam_handle_t *pamh, int flags, int argc,
			       const char **argv)
{
	(void)pamh;
	(void)flags;
	(void)argc;
	(void)argv;
	return PAM_IGNORE;
}

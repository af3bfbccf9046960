/* SPDX-License-Identifier: BSD-3-Clause */
/* pam_site.c - the administrator's config.toml (config=) and the domain of its site (site=). */
#include <stdlib.h>
#include <syslog.h>
#include <unistd.h>

#include <security/pam_ext.h>

#include "config_file.h"
#include "pam_site.h"

int pa_site_domain(pam_handle_t *pamh, const pa_options *o, int fail_rc,
		   char **domain)
{
	struct config_file *f = NULL;
	char why[512];
	aa_error err;
	aa_status st;

	*domain = NULL;
	if (!o->config)
		return PAM_SUCCESS;
	/* Anyone else who can change the file can name their own server as
	 * the one that vouches for keys. */
	if (aa_file_trusted(o->config, geteuid(), why, sizeof(why)) != 0) {
		pam_syslog(pamh, LOG_ALERT,
			   "config=%s not used: %s (it must belong to root, like every directory above it, and be writable only by root)",
			   o->config, why);
		return fail_rc;
	}
	aa_error_clear(&err);
	st = config_file_load(o->config, &f, &err);
	if (st == AA_OK && !f)
		st = aa_fail(&err, AA_ERR_NOT_FOUND, "%s: no such file", o->config);
	/* domain= (never with site=) names the service itself; the helper's
	 * library then takes the site with that domain, if any. */
	if (st == AA_OK && !o->domain)
		st = config_file_site_domain(f, o->site, "site=", domain, &err);
	config_file_free(f);
	if (st == AA_ERR_NOMEM) {
		pam_syslog(pamh, LOG_CRIT, "out of memory");
		return PAM_BUF_ERR;
	}
	if (st != AA_OK) {
		pam_syslog(pamh, LOG_ERR, "config=%s: %s", o->config, err.message);
		return fail_rc;
	}
	return PAM_SUCCESS;
}

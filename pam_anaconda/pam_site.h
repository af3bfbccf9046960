/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * pam_site.h - config=/site=: the administrator's config.toml, trusted only
 * when root owns it and every directory above it, and the domain of the
 * site it selects. Users' files (~/.anaconda/config.toml) are never read:
 * whoever steers the domain decides which server vouches for a key.
 */
#ifndef PAM_SITE_H
#define PAM_SITE_H

#include <security/pam_modules.h>

#include "pam_options.h"

/*
 * With config=: check the file (aa_file_trusted, owner root, or the
 * module's euid when it is not root), parse it and find the site (site=,
 * else default_site, else the first) into *domain (malloc'd). Without
 * config=, or with domain= (which names the domain itself), *domain is
 * NULL and PAM_SUCCESS. Any failure is one syslog
 * line and `fail_rc`: never the default domain instead.
 */
int pa_site_domain(pam_handle_t *pamh, const pa_options *o, int fail_rc,
		   char **domain);

#endif /* PAM_SITE_H */

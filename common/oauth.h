/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * oauth.h - form posts and token requests to the login service (oauth.c),
 * used by the browser and device flows. Below login.c: it never includes
 * or calls back into it.
 */
#ifndef AA_OAUTH_H
#define AA_OAUTH_H

#include "net_internal.h"

/*
 * POST a form to an OAuth endpoint (anonymously) and parse the JSON reply.
 * An OAuth error reply ({"error": ...}) gives AA_ERR_AUTH with *oauth_error
 * (may be NULL) set to its code (malloc'd) and err naming it.
 */
AA_HIDDEN aa_status aa_oauth_post(aa_client *c, const char *endpoint, const char *form,
				  json_object **doc, char **oauth_error, aa_error *err);

/*
 * POST a form to the token endpoint. AA_OK with the access token; an
 * OAuth error reply ({"error": ...}) gives AA_ERR_AUTH with *oauth_error
 * set to its code (malloc'd) and err naming it.
 */
AA_HIDDEN aa_status aa_oauth_token_request(aa_client *c, const char *endpoint,
					   const char *form, aa_secret **access,
					   char **oauth_error, aa_error *err);

#endif /* AA_OAUTH_H */

/* SPDX-License-Identifier: BSD-3-Clause */
/* repo_api.h - the repo-token calls: list orgs, issue a token, validate it on the channel. */
#ifndef CONDA_REPO_API_H
#define CONDA_REPO_API_H

#include "anaconda_auth.h"

/* Names of the organizations with a repository subscription (GET /api/organizations/my
 * and /api/account, as upstream picks them). Free with aa_strv_free. */
aa_status ch_repo_list_orgs(aa_client *c, char ***names, aa_error *err);

/*
 * Issue a new token for org (PUT /api/organizations/<org>/ce/current-token
 * with {"confirm":"yes"}); this revokes the org's previous token.
 * *expires_at is malloc'd (may be NULL when the server gave none).
 */
aa_status ch_repo_issue_token(aa_client *c, const char *org, aa_secret **token,
			   char **expires_at, aa_error *err);

/*
 * HEAD <repo_url>main/noarch/repodata.json with "Authorization: token <t>":
 * AA_OK on 200, AA_ERR_AUTH on 401/403, else a network/server error.
 */
aa_status ch_repo_validate_token(aa_client *c, const char *repo_url, const char *token,
			      aa_error *err);

#endif /* CONDA_REPO_API_H */

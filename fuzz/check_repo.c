/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * check_repo.c - property checks for the conda helper's repo-token and
 * organization-list replies (repo_api.c) over the fake transport. Kept apart
 * from check_replies.c because it needs nothing of the HTTP client, so the
 * regression test can replay it without libcurl.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "checks.h"
#include "fake_http.h"
#include "repo_api.h"

/* A failure says something; a success needs no words. */
static int repo_outcome_ok(aa_status st, const aa_error *err)
{
	if (st == AA_OK)
		return 1;
	return err->code != AA_OK && memchr(err->message, '\0', sizeof(err->message)) &&
	       err->message[0];
}

/* ---- repo tokens and organizations --------------------------------------- */

static int org_name_shape(const char *s)
{
	if (!s || !*s || strlen(s) > 128)
		return 0;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
		      (*s >= '0' && *s <= '9') || strchr("._-", *s)))
			return 0;
	return 1;
}

static const char *run_issue(aa_client *c)
{
	aa_secret *token = NULL;
	char *expires = NULL;
	aa_error err = { 0 };
	aa_status st = ch_repo_issue_token(c, "fuzz-org", &token, &expires, &err);
	const char *why = NULL;

	if (!repo_outcome_ok(st, &err))
		why = "issuing a repo token failed without a message";
	else if (st == AA_OK && (!token || !aa_secret_len(token)))
		why = "issuing a repo token succeeded without a token";
	aa_secret_free(token);
	free(expires);
	return why;
}

static const char *run_orgs(aa_client *c)
{
	char **names = NULL;
	aa_error err = { 0 };
	aa_status st = ch_repo_list_orgs(c, &names, &err);
	const char *why = NULL;

	if (!repo_outcome_ok(st, &err))
		why = "listing organizations failed without a message";
	for (size_t i = 0; st == AA_OK && names && names[i] && !why; i++)
		if (!org_name_shape(names[i]))
			why = "an organization name we would put in a URL has an unsafe shape";
	aa_strv_free(names);
	return why;
}

/*
 * The first reply answers the token request; the next two the organization
 * list. No client is needed: these calls only hand it to aa_client_request.
 */
const char *fuzz_check_repo_token(const uint8_t *data, size_t size)
{
	const char *why;

	fake_http_begin(data, size);
	why = run_issue(NULL);
	if (!why)
		why = run_orgs(NULL);
	fake_http_end();
	return why;
}

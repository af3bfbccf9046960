/* SPDX-License-Identifier: BSD-3-Clause */
/* oauth.c - form posts to the login service's OAuth endpoints and the token request. */
#include <stdlib.h>
#include <string.h>

#include "oauth.h"

/* Copy of the OAuth error code and description for a message, bounded. */
static aa_status oauth_error_reply(json_object *doc, const char *host, char **oauth_error,
				   aa_error *err)
{
	const char *code = aa_json_str(doc, "error");
	const char *desc = aa_json_str(doc, "error_description");

	if (oauth_error)
		*oauth_error = aa_strdup0(code);
	return aa_fail(err, AA_ERR_AUTH, "the login service at %s refused the request: %.64s%s%.200s",
		       host, code, desc ? " - " : "", desc ? desc : "");
}

aa_status aa_oauth_post(aa_client *c, const char *endpoint, const char *form,
			json_object **doc, char **oauth_error, aa_error *err)
{
	const aa_request req = {
		.version = AA_REQUEST_VERSION,
		.method = "POST", .url = endpoint, .body = form, .body_len = strlen(form),
		.content_type = "application/x-www-form-urlencoded",
		/* never an old key: this is a new login */
		.flags = AA_REQ_ANONYMOUS | AA_REQ_OIDC,
	};
	aa_response resp;
	char *host = aa_url_host(endpoint);
	aa_status st, parsed;

	*doc = NULL;
	if (oauth_error)
		*oauth_error = NULL;
	st = aa_client_request(c, &req, &resp, err);
	/* OAuth errors come as 400/401 with a JSON body naming them */
	if (resp.status != 0) {
		parsed = aa_http_json(&resp, endpoint, doc, st == AA_OK ? err : NULL);
		if (parsed == AA_OK && aa_json_str(*doc, "error"))
			st = oauth_error_reply(*doc, host ? host : endpoint, oauth_error, err);
		else if (st == AA_OK)
			st = parsed;
	}
	if (st != AA_OK) {
		aa_json_put_wiped(*doc);
		*doc = NULL;
	}
	aa_response_free(&resp);
	free(host);
	return st;
}

aa_status aa_oauth_token_request(aa_client *c, const char *endpoint, const char *form,
				 aa_secret **access, char **oauth_error, aa_error *err)
{
	json_object *doc = NULL;
	const char *token;
	aa_status st = aa_oauth_post(c, endpoint, form, &doc, oauth_error, err);

	*access = NULL;
	if (st == AA_OK) {
		token = aa_json_str(doc, "access_token");
		if (!token || !*token)
			st = aa_fail(err, AA_ERR_SERVER, "the login service sent no access token");
		else if (!(*access = aa_secret_from_str(token)))
			st = aa_oom(err);
	}
	aa_json_put_wiped(doc);
	return st;
}

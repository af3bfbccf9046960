/* SPDX-License-Identifier: BSD-3-Clause */
/* login_apikey.c - minting an API key with a bearer (the login's access token or a current key). */
#include <stdlib.h>
#include <string.h>

#include "config_struct.h"
#include "net_internal.h"

static const char *const default_scopes[] = {"cloud:read", "cloud:write", "repo:read", NULL};
static const char *const default_tags[] = {"anaconda-auth-c/v" AA_VERSION, NULL};

static json_object *string_array(const char *const *v)
{
	json_object *a = json_object_new_array();

	for (size_t i = 0; a && v[i]; i++)
		json_object_array_add(a, json_object_new_string(v[i]));
	return a;
}

static char *request_body(const char *const *scopes, const char *const *tags)
{
	json_object *doc = json_object_new_object();
	char *text;

	json_object_object_add(doc, "scopes", string_array(scopes ? scopes : default_scopes));
	json_object_object_add(doc, "tags", string_array(tags ? tags : default_tags));
	text = aa_strdup0(json_object_to_json_string_ext(doc, JSON_C_TO_STRING_PLAIN |
								 JSON_C_TO_STRING_NOSLASHESCAPE));
	json_object_put(doc);
	return text;
}

/* One attempt. *http_status gets the reply's status (0 when none came). */
static aa_status try_mint(aa_client *c, const char *url, const char *bearer, const char *body,
			  aa_secret **out, long *http_status, aa_error *err)
{
	const aa_request req = {
		.version = AA_REQUEST_VERSION,
		.method = "POST", .url = url, .body = body, .body_len = strlen(body),
		.content_type = "application/json", .bearer = bearer,
	};
	json_object *doc = NULL;
	aa_response resp;
	const char *key;
	char *host = aa_url_host(url);
	aa_status st = aa_client_request(c, &req, &resp, err);

	*http_status = resp.status;
	if (st == AA_OK && resp.status != 201)
		st = aa_fail(err, AA_ERR_SERVER, "%s answered HTTP %ld instead of 201 Created",
			     host ? host : url, resp.status);
	if (st == AA_OK)
		st = aa_http_json(&resp, url, &doc, err);
	if (st == AA_OK) {
		key = aa_json_str(doc, "api_key");
		if (!key || !*key)
			st = aa_fail(err, AA_ERR_SERVER, "the reply from %s holds no api_key",
				     host ? host : url);
		else if (!(*out = aa_secret_from_str(key)))
			st = aa_oom(err);
	}
	aa_json_put_wiped(doc);
	aa_response_free(&resp);
	free(host);
	return st;
}

/* Minting with current credentials needs a key in effect (the client sends it). */
static aa_status need_current_key(aa_client *c, const aa_config *cfg, aa_error *err)
{
	const aa_secret *key = NULL;
	aa_status st = aa_client_key(c, &key, err);

	if (st == AA_OK && !key)
		st = aa_fail(err, AA_ERR_NOT_FOUND,
			     "not logged in to %s; run 'anaconda-auth login' first", cfg->domain);
	return st;
}

/* Both endpoints failed: keep the first error unless it was only "not here". */
static aa_status both_failed(aa_status first, const aa_error *first_err, long first_status,
			     aa_status second, aa_error *err)
{
	if (first_status == 404 || first_status == 405 || second == AA_ERR_AUTH)
		return second;
	if (err && first_err)
		*err = *first_err;
	return first;
}

aa_status aa_api_key_create(const aa_config *cfg, const char *bearer,
			    const char *const *scopes, const char *const *tags,
			    aa_secret **out, aa_error *err)
{
	char *body = NULL, *url1 = NULL, *url2 = NULL;
	aa_error first_err = {0};
	aa_client *c = NULL;
	long status1 = 0, status2 = 0;
	aa_status st, first;

	*out = NULL;
	st = aa_client_new(cfg, &c, err);
	if (st == AA_OK && !bearer)
		st = need_current_key(c, cfg, err);
	if (st != AA_OK)
		goto done;
	body = request_body(scopes, tags);
	/* The login's access token may go to the auth domain it came from; a
	 * stored key goes only to the domain it is stored for. */
	url1 = aa_asprintf("https://%s/api/auth/api-keys",
			   bearer ? aa_config_auth_domain(cfg) : cfg->domain);
	url2 = aa_asprintf("https://%s/api/iam/api-keys", cfg->domain);
	if (!body || !url1 || !url2) {
		st = aa_oom(err);
		goto done;
	}
	first = try_mint(c, url1, bearer, body, out, &status1, &first_err);
	/* no reply at all (network, TLS, timeout): the second URL would not fare better */
	if (first == AA_OK || status1 == 0) {
		st = first;
		if (err)
			*err = first_err;
		goto done;
	}
	st = try_mint(c, url2, bearer, body, out, &status2, err);
	if (st != AA_OK && status2 != 0)
		st = both_failed(first, &first_err, status1, st, err);
done:
	free(body);
	free(url1);
	free(url2);
	aa_client_free(c);
	return st;
}

/* SPDX-License-Identifier: BSD-3-Clause */
/* account.c - who the key in effect belongs to: GET /api/account. */
#include <stdlib.h>
#include <string.h>

#include "config_struct.h"
#include "net_internal.h"

static char *member_str(json_object *obj, const char *name)
{
	json_object *v;

	if (!obj || !json_object_object_get_ex(obj, name, &v) || json_object_is_type(v, json_type_null))
		return NULL;
	return aa_strdup0(json_object_get_string(v));
}

/* The fields live under "user" in the real service; accept them at the top too. */
static aa_status fill_account(json_object *doc, const char *domain, aa_account *out,
			      aa_error *err)
{
	json_object *user = NULL;
	const char *text;

	if (!json_object_object_get_ex(doc, "user", &user) ||
	    !json_object_is_type(user, json_type_object))
		user = doc;
	out->username = member_str(user, "username");
	out->email = member_str(user, "email");
	out->first_name = member_str(user, "first_name");
	out->last_name = member_str(user, "last_name");
	out->id = member_str(user, "id");
	/* like the Python client, the document always says which domain it is for */
	json_object_object_add(doc, "domain", json_object_new_string(domain));
	text = json_object_to_json_string_ext(doc, JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED |
						      JSON_C_TO_STRING_NOSLASHESCAPE);
	out->json = aa_strdup0(text);
	if (!out->json)
		return aa_oom(err);
	return AA_OK;
}

aa_status aa_account_fetch(aa_client *c, aa_account *out, aa_error *err)
{
	const aa_request req = {.version = AA_REQUEST_VERSION, .method = "GET", .url = "/api/account"};
	const aa_config *cfg = aa_client_config(c);
	char *url = aa_asprintf("https://%s/api/account", cfg->domain);
	const aa_secret *key = NULL;
	json_object *doc = NULL;
	aa_response resp = {0};
	aa_status st;

	memset(out, 0, sizeof(*out));
	if (!url)
		return aa_oom(err);
	st = aa_client_key(c, &key, err);
	if (st == AA_OK && !key)
		st = aa_fail(err, AA_ERR_NOT_FOUND,
			     "not logged in to %s; run 'anaconda-auth login' or set ANACONDA_AUTH_API_KEY",
			     cfg->domain);
	if (st == AA_OK)
		st = aa_client_request(c, &req, &resp, err);
	if (st == AA_OK)
		st = aa_http_json(&resp, url, &doc, err);
	if (st == AA_OK)
		st = fill_account(doc, cfg->domain, out, err);
	if (st != AA_OK)
		aa_account_free(out);
	json_object_put(doc);
	aa_response_free(&resp);
	free(url);
	return st;
}

void aa_account_free(aa_account *a)
{
	if (!a)
		return;
	free(a->username);
	free(a->email);
	free(a->first_name);
	free(a->last_name);
	free(a->id);
	free(a->json);
	memset(a, 0, sizeof(*a));
}

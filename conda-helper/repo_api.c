/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * repo_api.c - the repository-token endpoints of Anaconda Cloud, over the
 * library's authenticated client. The only JSON read here is the two small
 * documents these endpoints return.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "internal.h"
#include "json_util.h"
#include "repo_api.h"

static int org_name_ok(const char *org)
{
	if (!org || !*org || strlen(org) > 128)
		return 0;
	for (const char *c = org; *c; c++)
		if (!((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') ||
		      (*c >= '0' && *c <= '9') || strchr("._-", *c)))
			return 0;
	return 1;
}

/* secret: the reply carries a token, so json-c must leave no copy of it behind. */
static json_object *parse_body(const aa_response *r, const char *what, int secret,
			       aa_error *err)
{
	json_object *doc = NULL;

	if (r->body && secret)
		doc = aa_json_parse_object(r->body, r->body_len, JSON_TOKENER_DEFAULT_DEPTH,
					   AA_JSON_TRAILING_SPACE | AA_JSON_SECRET);
	else if (r->body)
		doc = json_tokener_parse(r->body);

	if (!doc)
		aa_fail(err, AA_ERR_SERVER, "the server's answer to %s was not JSON; try again later", what);
	return doc;
}

static aa_status get_json(aa_client *c, const char *path, const char *what,
			 json_object **doc, aa_error *err)
{
	aa_request req = { .version = AA_REQUEST_VERSION, .url = path };
	aa_response resp;
	aa_status st;

	*doc = NULL;
	memset(&resp, 0, sizeof(resp));
	st = aa_client_request(c, &req, &resp, err);
	if (st == AA_OK && !(*doc = parse_body(&resp, what, 0, err)))
		st = AA_ERR_SERVER;
	aa_response_free(&resp);
	return st;
}

/* Upstream offers only orgs with a subscription whose product is not a "starter" one. */
static int org_has_repo(json_object *account, const char *org_id)
{
	json_object *subs;

	if (!org_id || !json_object_object_get_ex(account, "subscriptions", &subs) ||
	    !json_object_is_type(subs, json_type_array))
		return 0;
	for (size_t i = 0; i < json_object_array_length(subs); i++) {
		json_object *s = json_object_array_get_idx(subs, i), *id, *code;
		const char *pc;

		/* "org_id": null gives id == NULL, whose string is NULL */
		if (!json_object_object_get_ex(s, "org_id", &id) || !id ||
		    strcmp(json_object_get_string(id), org_id))
			continue;
		pc = json_object_object_get_ex(s, "product_code", &code) ? json_object_get_string(code) : "";
		if (!strstr(pc ? pc : "", "starter"))
			return 1;
	}
	return 0;
}

aa_status ch_repo_list_orgs(aa_client *c, char ***names, aa_error *err)
{
	json_object *orgs = NULL, *account = NULL;
	size_t n, k = 0;
	aa_status st;

	*names = NULL;
	if ((st = get_json(c, "/api/organizations/my", "the organization list", &orgs, err)) != AA_OK ||
	    (st = get_json(c, "/api/account", "the account request", &account, err)) != AA_OK)
		goto done;
	n = json_object_is_type(orgs, json_type_array) ? json_object_array_length(orgs) : 0;
	if (!(*names = calloc(n + 1, sizeof(char *)))) {
		st = aa_oom(err);
		goto done;
	}
	for (size_t i = 0; i < n; i++) {
		json_object *o = json_object_array_get_idx(orgs, i), *name, *id;

		if (json_object_object_get_ex(o, "name", &name) &&
		    json_object_object_get_ex(o, "id", &id) &&
		    org_name_ok(json_object_get_string(name)) &&
		    org_has_repo(account, json_object_get_string(id)))
			(*names)[k++] = strdup(json_object_get_string(name));
	}
done:
	json_object_put(orgs);
	json_object_put(account);
	return st;
}

/* Does s match d (a digit) and literal characters in pat? */
static int shaped(const char *s, const char *pat, size_t *used)
{
	size_t i = 0;

	for (; pat[i]; i++)
		if (pat[i] == 'd' ? !isdigit((unsigned char)s[i]) : s[i] != pat[i])
			return 0;
	*used = i;
	return 1;
}

/*
 * An RFC 3339 timestamp (2030-01-02T03:04:05[.123]Z or +01:00): the only
 * expires_at shown, so server text never reaches the terminal through it.
 */
static int rfc3339_ok(const char *s)
{
	size_t n;

	if (!shaped(s, "dddd-dd-dd", &n) || (s[n] != 'T' && s[n] != 't' && s[n] != ' '))
		return 0;
	s += n + 1;
	if (!shaped(s, "dd:dd:dd", &n))
		return 0;
	s += n;
	if (*s == '.') {
		for (n = 1; n < 12 && isdigit((unsigned char)s[n]); n++)
			;
		if (n == 1)
			return 0;
		s += n;
	}
	if (*s == 'Z' || *s == 'z')
		return s[1] == '\0';
	if (*s != '+' && *s != '-')
		return 0;
	return shaped(s + 1, "dd:dd", &n) && s[1 + n] == '\0';
}

static aa_status token_from_doc(json_object *doc, aa_secret **token, char **expires_at,
				aa_error *err)
{
	json_object *t, *e;
	const char *s;

	if (!json_object_object_get_ex(doc, "token", &t) || !json_object_is_type(t, json_type_string) ||
	    !*(s = json_object_get_string(t)))
		return aa_fail(err, AA_ERR_SERVER, "the server issued no token; try again later");
	if (!(*token = aa_secret_new(s, strlen(s))))
		return aa_oom(err);
	/* json-c keeps its own copy of the token: wipe it before the document goes */
	aa_memzero((char *)s, strlen(s));
	/* anything but a timestamp is dropped: it would only be printed */
	if (json_object_object_get_ex(doc, "expires_at", &e) && json_object_is_type(e, json_type_string) &&
	    rfc3339_ok(json_object_get_string(e)))
		*expires_at = strdup(json_object_get_string(e));
	return AA_OK;
}

aa_status ch_repo_issue_token(aa_client *c, const char *org, aa_secret **token,
			   char **expires_at, aa_error *err)
{
	static const char body[] = "{\"confirm\":\"yes\"}";
	aa_request req = { .version = AA_REQUEST_VERSION, .method = "PUT", .body = body, .body_len = sizeof(body) - 1,
			   .content_type = "application/json" };
	aa_response resp;
	json_object *doc;
	char *url;
	aa_status st;

	*token = NULL;
	*expires_at = NULL;
	if (!org_name_ok(org))
		return aa_fail(err, AA_ERR_USAGE, "'%.100s' is not an organization name; see your organizations at https://anaconda.cloud",
			       org ? org : "");
	if (!(url = aa_asprintf("/api/organizations/%s/ce/current-token", org)))
		return aa_oom(err);
	req.url = url;
	memset(&resp, 0, sizeof(resp));
	st = aa_client_request(c, &req, &resp, err);
	free(url);
	if (st == AA_ERR_AUTH && resp.status == 403)
		st = aa_fail(err, AA_ERR_AUTH, "the server refused a token for organization %s (HTTP 403); check that you belong to it", org);
	if (st != AA_OK) {
		aa_response_free(&resp);
		return st;
	}
	doc = parse_body(&resp, "the token request", 1, err);
	if (resp.body)
		aa_memzero(resp.body, resp.body_len);
	aa_response_free(&resp);
	if (!doc)
		return AA_ERR_SERVER;
	st = token_from_doc(doc, token, expires_at, err);
	json_object_put(doc);
	return st;
}

aa_status ch_repo_validate_token(aa_client *c, const char *repo_url, const char *token,
			      aa_error *err)
{
	char *base = NULL, *url = NULL, *auth = NULL;
	const char *headers[2] = { NULL, NULL };
	aa_request req = { .version = AA_REQUEST_VERSION, .method = "HEAD", .flags = AA_REQ_ANONYMOUS };
	aa_response resp;
	size_t n = strlen(repo_url);
	aa_status st;

	/* a base without its trailing slash would lose its last segment in the join */
	base = (n && repo_url[n - 1] == '/') ? strdup(repo_url) : aa_asprintf("%s/", repo_url);
	url = base ? aa_url_join(base, "main/noarch/repodata.json", err) : NULL;
	auth = aa_asprintf("Authorization: token %s", token);
	if (!base || !url || !auth) {
		free(base);
		free(url);
		aa_free_secret_str(auth);
		return err && err->code != AA_OK ? err->code : aa_oom(err);
	}
	headers[0] = auth;
	req.url = url;
	req.headers = headers;
	memset(&resp, 0, sizeof(resp));
	st = aa_client_request(c, &req, &resp, err);
	if (resp.status == 401 || resp.status == 403)
		st = aa_fail(err, AA_ERR_AUTH, "%s refused the token (HTTP %ld); check it, or issue a new one with: "
			     "conda-credential-anaconda token install --org ORG", url, resp.status);
	aa_response_free(&resp);
	aa_free_secret_str(auth);
	free(url);
	free(base);
	return st;
}

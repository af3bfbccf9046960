/* SPDX-License-Identifier: BSD-3-Clause */
/* login_discovery.c - OIDC discovery: the endpoints login talks to. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "config_struct.h"
#include "net_internal.h"

/* Compare two host[:port]s, with ":443" the same as no port. */
static int same_host(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);

	if (la > 4 && strcmp(a + la - 4, ":443") == 0)
		la -= 4;
	if (lb > 4 && strcmp(b + lb - 4, ":443") == 0)
		lb -= 4;
	return la == lb && strncasecmp(a, b, la) == 0;
}

/*
 * Discovery is pinned: an endpoint is used only when it is https:// on the
 * auth domain's host, the domain's, or the host that served the document
 * (`served`: the auth domain's, or one a redirect within its Anaconda host
 * family reached), whatever the document says, so a document cannot send
 * the login's code and verifier somewhere else.
 */
static int endpoint_pinned(const aa_config *cfg, const char *served, const char *url)
{
	char *host;
	int ok;

	if (strncasecmp(url, "https://", 8) != 0)
		return 0;
	host = aa_url_host(url);
	ok = host && (same_host(host, aa_config_auth_domain(cfg)) ||
		      same_host(host, cfg->domain) || (served && same_host(host, served)));
	free(host);
	return ok;
}

static aa_status take_endpoint(const aa_config *cfg, json_object *doc, const char *name,
			       int required, const char *host, char **out, aa_error *err)
{
	const char *v = aa_json_str(doc, name);

	*out = NULL;
	if (!v || !*v) {
		if (!required)
			return AA_OK;
		return aa_fail(err, AA_ERR_SERVER,
			       "the OIDC configuration from %s has no %s; check the auth_domain setting",
			       host, name);
	}
	if (!endpoint_pinned(cfg, host, v))
		return aa_fail(err, AA_ERR_SERVER,
			       "the OIDC configuration from %s names a %s that is not https:// on %s; "
			       "refusing to log in there (check the auth_domain setting)",
			       host, name, aa_config_auth_domain(cfg));
	*out = strdup(v);
	return *out ? AA_OK : aa_oom(err);
}

/* The discovery document, and the host[:port] that served it (after redirects). */
static aa_status fetch(aa_client *c, const char *url, json_object **doc, char **served,
		       aa_error *err)
{
	aa_response resp;
	char *final = NULL;
	aa_status st = aa_client_get_public(c, url, AA_REQ_OIDC, &resp, &final, err);

	/* a refused redirect already says what was wrong */
	if ((st == AA_ERR_SERVER || st == AA_ERR_LOGIN_REQUIRED) &&
	    !(resp.status >= 300 && resp.status <= 399))
		st = aa_fail(err, AA_ERR_SERVER,
			     "cannot read the login configuration at %s (HTTP %ld); "
			     "check the domain and auth_domain settings", url, resp.status);
	if (st == AA_OK)
		st = aa_http_json(&resp, final, doc, err);
	if (st == AA_OK && !(*served = aa_url_host(final)))
		st = aa_fail(err, AA_ERR_NOMEM, "out of memory");
	aa_response_free(&resp);
	free(final);
	return st;
}

aa_status aa_oidc_discover(aa_client *c, const aa_config *cfg, aa_oidc *out, aa_error *err)
{
	char *base = aa_asprintf("https://%s/", aa_config_auth_domain(cfg));
	const char *path = cfg->openid_config_path ? cfg->openid_config_path
						   : "/.well-known/openid-configuration";
	char *url = NULL, *host = NULL, *served = NULL;
	json_object *doc = NULL;
	aa_status st;

	memset(out, 0, sizeof(*out));
	if (!base)
		return aa_oom(err);
	url = aa_url_join(base, path, err);
	free(base);
	if (!url)
		return err ? err->code : AA_ERR_USAGE;
	host = aa_url_host(url);
	/* openid_config_path is a path: the document comes from the auth domain */
	if (!host || !same_host(host, aa_config_auth_domain(cfg)))
		st = aa_fail(err, AA_ERR_USAGE,
			     "openid_config_path must be a path on the auth domain %s, not a URL",
			     aa_config_auth_domain(cfg));
	else
		st = fetch(c, url, &doc, &served, err);
	if (st == AA_OK)
		st = take_endpoint(cfg, doc, "authorization_endpoint", 1, served,
				   &out->authorization_endpoint, err);
	if (st == AA_OK)
		st = take_endpoint(cfg, doc, "token_endpoint", 1, served, &out->token_endpoint, err);
	if (st == AA_OK)
		st = take_endpoint(cfg, doc, "device_authorization_endpoint", 0, served,
				   &out->device_authorization_endpoint, err);
	if (st != AA_OK)
		aa_oidc_free(out);
	json_object_put(doc);
	free(served);
	free(host);
	free(url);
	return st;
}

void aa_oidc_free(aa_oidc *o)
{
	if (!o)
		return;
	free(o->authorization_endpoint);
	free(o->token_endpoint);
	free(o->device_authorization_endpoint);
	memset(o, 0, sizeof(*o));
}

/* login.c - the whole login: discovery, choosing and running a flow, then minting the API key. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "net_internal.h"

void aa_login_say(const aa_login_options *opts, const char *fmt, ...)
{
	char line[1024];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	/* the lines carry what the login service sent (URLs, the user code) */
	aa_text_safe_inplace(line, 0);
	if (n >= 0 && opts && opts->ui.say)
		opts->ui.say(opts->ui.ctx, line);
}

/* The device flow unless asked otherwise: 0.15's use_device_flow defaults to true. */
aa_login_flow aa_login_pick_flow(const aa_config *cfg, aa_login_flow requested)
{
	if (requested != AA_FLOW_AUTO)
		return requested;
	return cfg->use_device_flow == 0 ? AA_FLOW_BROWSER : AA_FLOW_DEVICE;
}

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
			st = aa_fail(err, AA_ERR_NOMEM, "out of memory");
	}
	aa_json_put_wiped(doc);
	return st;
}

static aa_status run_flow(aa_client *c, const aa_config *cfg, const aa_oidc *oidc,
			  const aa_login_options *opts, aa_secret **access, aa_error *err)
{
	aa_login_flow flow = aa_login_pick_flow(cfg, opts->flow);

	/* Only the default chose the device flow here, so the browser flow may still work. */
	if (flow == AA_FLOW_DEVICE && !oidc->device_authorization_endpoint &&
	    opts->flow == AA_FLOW_AUTO && cfg->use_device_flow != 1) {
		aa_login_say(opts, "%s", "The login service does not offer the device flow; "
			     "using the browser flow instead.");
		flow = AA_FLOW_BROWSER;
	}
	if (flow == AA_FLOW_DEVICE)
		return aa_login_device(c, cfg, oidc, opts, access, err);
	return aa_login_browser(c, cfg, oidc, opts, access, err);
}

aa_status aa_login(const aa_config *cfg, const aa_login_options *opts,
		   aa_secret **api_key_out, aa_error *err)
{
	aa_login_options defaults = {.flow = AA_FLOW_AUTO, .open_browser = 1, .timeout_s = 300};
	aa_secret *access = NULL;
	aa_client *c = NULL;
	aa_oidc oidc = {0};
	aa_status st;

	*api_key_out = NULL;
	if (!opts)
		opts = &defaults;
	st = aa_client_new(cfg, &c, err);
	if (st == AA_OK)
		st = aa_oidc_discover(c, cfg, &oidc, err);
	if (st == AA_OK)
		st = run_flow(c, cfg, &oidc, opts, &access, err);
	if (st == AA_OK)
		st = aa_api_key_create(cfg, aa_secret_str(access), opts->scopes, opts->tags,
				       api_key_out, err);
	aa_secret_free(access);
	aa_oidc_free(&oidc);
	aa_client_free(c);
	return st;
}

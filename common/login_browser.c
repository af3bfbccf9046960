/* SPDX-License-Identifier: BSD-3-Clause */
/* login_browser.c - the browser flow: PKCE authorize URL, the loopback redirect, the code exchange. */
#include <stdlib.h>
#include <string.h>

#include "config_struct.h"
#include "login_say.h"
#include "net_internal.h"
#include "oauth.h"

char *aa_authorize_url(const char *endpoint, const char *client_id, const char *state,
		       const char *redirect_uri, const char *challenge)
{
	/* the order the Python package uses, so server logs look alike */
	const char *const pairs[] = {
		"client_id", client_id,
		"response_type", "code",
		"scope", AA_LOGIN_SCOPES,
		"state", state,
		"redirect_uri", redirect_uri,
		"code_challenge", challenge,
		"code_challenge_method", "S256",
		NULL,
	};
	char *query = aa_form_encode(pairs);
	char *url;

	if (!query)
		return NULL;
	url = aa_asprintf("%s%c%s", endpoint, strchr(endpoint, '?') ? '&' : '?', query);
	free(query);
	return url;
}

static aa_status exchange_code(aa_client *c, const aa_config *cfg, const aa_oidc *oidc,
			       const aa_secret *code, const aa_secret *verifier,
			       aa_secret **access, aa_error *err)
{
	const char *const pairs[] = {
		"grant_type", "authorization_code",
		"client_id", cfg->client_id,
		"code", aa_secret_str(code),
		"redirect_uri", cfg->redirect_uri,
		"code_verifier", aa_secret_str(verifier),
		NULL,
	};
	char *form = aa_form_encode(pairs);
	aa_status st;

	if (!form)
		return aa_oom(err);
	st = aa_oauth_token_request(c, oidc->token_endpoint, form, access, NULL, err);
	aa_free_secret_str(form);
	return st;
}

/*
 * Print the URL for the person, and open it through a private page: the
 * browser's command line is readable by every local user, and with the
 * state and challenge another user could log the person in to their own
 * account (login CSRF).
 */
static void show_url(const aa_login_options *opts, const char *url, aa_login_page *page)
{
	aa_error err = {0};

	aa_login_say(opts, "%s", "Log in to Anaconda in your browser. If it does not open, visit this URL:");
	aa_login_say(opts, "  %s", url);
	if (opts->open_browser && aa_login_page_open(url, page, &err) != AA_OK)
		aa_login_say(opts, "(%s; open the URL above yourself)", err.message);
}

/* Wait for the browser's redirect and exchange the code it carries. */
static aa_status await_code(aa_client *c, const aa_config *cfg, const aa_oidc *oidc,
			    const aa_login_options *opts, aa_loopback *lb,
			    const char *state, const aa_secret *verifier,
			    aa_secret **access, aa_error *err)
{
	char *ok_url = aa_asprintf("https://%s%s", cfg->domain,
				   cfg->login_success_path ? cfg->login_success_path
							   : "/app/local-login-success");
	char *bad_url = aa_asprintf("https://%s%s", cfg->domain,
				    cfg->login_error_path ? cfg->login_error_path
							  : "/app/local-login-error");
	aa_secret *code = NULL;
	aa_status st;

	if (!ok_url || !bad_url)
		st = aa_oom(err);
	else
		st = aa_loopback_wait(lb, state, ok_url, bad_url,
				      opts->timeout_s > 0 ? opts->timeout_s : 300, &opts->ui,
				      &code, err);
	if (st == AA_OK)
		st = exchange_code(c, cfg, oidc, code, verifier, access, err);
	aa_secret_free(code);
	free(ok_url);
	free(bad_url);
	return st;
}

aa_status aa_login_browser(aa_client *c, const aa_config *cfg, const aa_oidc *oidc,
			   const aa_login_options *opts, aa_secret **access, aa_error *err)
{
	char challenge[AA_PKCE_CHALLENGE_LEN + 1];
	aa_loopback lb = {.fd = -1};
	aa_login_page page = {.dirfd = -1};
	aa_secret *verifier = NULL;
	char *state = NULL, *url = NULL;
	aa_status st;

	*access = NULL;
	if (!cfg->client_id || !*cfg->client_id)
		return aa_fail(err, AA_ERR_USAGE, "no client_id is set; set ANACONDA_AUTH_CLIENT_ID");
	/* listen before the browser opens, or a fast redirect finds nobody */
	st = aa_loopback_listen(cfg->redirect_uri, &lb, err);
	if (st == AA_OK)
		st = aa_pkce_new(&verifier, challenge, err);
	if (st == AA_OK && !(state = aa_random_token(24, err)))
		st = err ? err->code : AA_ERR_GENERIC;
	if (st == AA_OK && !(url = aa_authorize_url(oidc->authorization_endpoint, cfg->client_id,
						    state, cfg->redirect_uri, challenge)))
		st = aa_oom(err);
	if (st == AA_OK)
		st = aa_url_check_shown(cfg, "authorization_endpoint", url, err);
	if (st == AA_OK) {
		show_url(opts, url, &page);
		st = await_code(c, cfg, oidc, opts, &lb, state, verifier, access, err);
	}
	/* by now the browser has read the page, or never will */
	aa_login_page_remove(&page);
	aa_loopback_close(&lb);
	aa_secret_free(verifier);
	free(state);
	free(url);
	return st;
}

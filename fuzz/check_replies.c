/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * check_replies.c - property checks for the code that reads server replies
 * (OIDC discovery, the token endpoint, the device flow, API key minting,
 * /api/account), driven through their real entry points over the fake
 * transport of fake_http.c. Repo tokens are in check_repo.c.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "config_struct.h"
#include "fake_http.h"
#include "checks.h"
#include "net_internal.h"
#include "oauth.h"

#define DOMAIN "fuzz.example"
#define TOKEN_ENDPOINT "https://auth.fuzz.example/token"
#define DEVICE_ENDPOINT "https://auth.fuzz.example/device"

static char domain_buf[] = DOMAIN;
static char client_id_buf[] = "fuzz-client";

static aa_config fuzz_config(void)
{
	aa_config cfg;

	memset(&cfg, 0, sizeof(cfg));
	cfg.domain = domain_buf;
	cfg.client_id = client_id_buf;
	cfg.ssl_verify = 1;
	cfg.use_device_flow = -1;
	cfg.connect_timeout_ms = 1000;
	cfg.timeout_ms = 1000;
	return cfg;
}

/* A failure says something; a success needs no words. */
static int outcome_ok(aa_status st, const aa_error *err)
{
	if (st == AA_OK)
		return 1;
	return err->code != AA_OK && memchr(err->message, '\0', sizeof(err->message)) &&
	       err->message[0];
}

static int https(const char *s)
{
	return s && strncmp(s, "https://", 8) == 0;
}

/* Run one conversation with a fresh client holding `key` (NULL: none). */
typedef const char *(*conversation)(aa_client *c, const aa_config *cfg);

static const char *converse(const uint8_t *data, size_t size, const char *key,
			    conversation run)
{
	static aa_config cfg; /* outlives the call: the client keeps a pointer */
	aa_client *c = NULL;
	const char *why;

	cfg = fuzz_config();
	if (aa_client_new(&cfg, &c, NULL) != AA_OK ||
	    (key && aa_client_set_api_key(c, key) != AA_OK))
		abort();
	fake_http_begin(data, size);
	why = run(c, &cfg);
	fake_http_end();
	aa_client_free(c);
	return why;
}

/* ---- OIDC discovery ------------------------------------------------------ */

static const char *run_discovery(aa_client *c, const aa_config *cfg)
{
	aa_oidc oidc;
	aa_error err = { 0 };
	aa_status st = aa_oidc_discover(c, cfg, &oidc, &err);
	const char *why = NULL;

	if (!outcome_ok(st, &err))
		why = "discovery failed without a message";
	else if (st == AA_OK && (!https(oidc.authorization_endpoint) ||
				 !https(oidc.token_endpoint) ||
				 (oidc.device_authorization_endpoint &&
				  !https(oidc.device_authorization_endpoint))))
		why = "discovery accepted an endpoint that is missing or not https://";
	else if (st != AA_OK && (oidc.authorization_endpoint || oidc.token_endpoint))
		why = "a failed discovery left endpoints behind";
	aa_oidc_free(&oidc);
	return why;
}

const char *fuzz_check_discovery(const uint8_t *data, size_t size)
{
	return converse(data, size, NULL, run_discovery);
}

/* ---- token endpoint ------------------------------------------------------ */

static const char *run_token(aa_client *c, const aa_config *cfg)
{
	aa_secret *access = NULL;
	char *oerr = NULL;
	aa_error err = { 0 };
	aa_status st;
	const char *why = NULL;

	(void)cfg;
	st = aa_oauth_token_request(c, TOKEN_ENDPOINT, "grant_type=authorization_code&code=x",
				    &access, &oerr, &err);
	if (!outcome_ok(st, &err))
		why = "the token request failed without a message";
	else if (st == AA_OK && (!access || !aa_secret_len(access)))
		why = "the token request succeeded without an access token";
	else if (st != AA_OK && access)
		why = "a failed token request returned an access token";
	else if (oerr && st != AA_ERR_AUTH)
		why = "an OAuth error code came back with a status other than AA_ERR_AUTH";
	aa_secret_free(access);
	free(oerr);
	return why;
}

const char *fuzz_check_token_reply(const uint8_t *data, size_t size)
{
	return converse(data, size, NULL, run_token);
}

/* ---- device flow: the authorization reply, then token polls ---------------- */

static const char *run_device(aa_client *c, const aa_config *cfg)
{
	aa_oidc oidc = { NULL, NULL, NULL };
	aa_login_options opts;
	aa_secret *access = NULL;
	aa_error err = { 0 };
	aa_status st;
	const char *why = NULL;

	oidc.token_endpoint = (char *)(uintptr_t)TOKEN_ENDPOINT;
	oidc.device_authorization_endpoint = (char *)(uintptr_t)DEVICE_ENDPOINT;
	memset(&opts, 0, sizeof(opts));
	opts.version = AA_LOGIN_OPTIONS_VERSION;
	opts.flow = AA_FLOW_DEVICE;
	opts.timeout_s = 120;
	st = aa_login_device(c, cfg, &oidc, &opts, &access, &err);
	if (!outcome_ok(st, &err))
		why = "the device flow failed without a message";
	else if (st == AA_OK && (!access || !aa_secret_len(access)))
		why = "the device flow succeeded without an access token";
	else if (st != AA_OK && access)
		why = "a failed device flow returned an access token";
	else if (fake_http_requests() > 200)
		why = "the device flow polled far more often than its deadline allows";
	aa_secret_free(access);
	return why;
}

const char *fuzz_check_device(const uint8_t *data, size_t size)
{
	return converse(data, size, NULL, run_device);
}

/* ---- API key minting (two endpoints) ------------------------------------- */

static const char *run_api_key(aa_client *c, const aa_config *cfg)
{
	aa_secret *key = NULL;
	aa_error err = { 0 };
	aa_status st;
	const char *why = NULL;

	(void)c;
	st = aa_api_key_create(cfg, "fuzz-access-token", NULL, NULL, &key, &err);
	if (!outcome_ok(st, &err))
		why = "minting an API key failed without a message";
	else if (st == AA_OK && (!key || !aa_secret_len(key)))
		why = "minting an API key succeeded without a key";
	else if (st != AA_OK && key)
		why = "a failed mint returned a key";
	else if (fake_http_requests() > 2)
		why = "minting an API key made more than two requests";
	aa_secret_free(key);
	return why;
}

const char *fuzz_check_api_key(const uint8_t *data, size_t size)
{
	return converse(data, size, NULL, run_api_key);
}

/* ---- /api/account -------------------------------------------------------- */

/* The document we print is JSON naming the domain it is for. */
static const char *account_json_ok(const aa_account *a)
{
	json_object *doc = a->json ? json_tokener_parse(a->json) : NULL, *d;
	const char *why = NULL;

	if (!doc || !json_object_is_type(doc, json_type_object))
		why = "the account document we print is not a JSON object";
	else if (!json_object_object_get_ex(doc, "domain", &d) ||
		 !json_object_is_type(d, json_type_string) ||
		 strcmp(json_object_get_string(d), DOMAIN))
		why = "the account document we print does not name its domain";
	json_object_put(doc);
	return why;
}

static const char *run_account(aa_client *c, const aa_config *cfg)
{
	aa_account acct;
	aa_error err = { 0 };
	aa_status st = aa_account_fetch(c, &acct, &err);
	const char *why = NULL;

	(void)cfg;
	if (!outcome_ok(st, &err))
		why = "fetching the account failed without a message";
	else if (st == AA_OK)
		why = account_json_ok(&acct);
	else if (acct.json || acct.username)
		why = "a failed account fetch left fields behind";
	aa_account_free(&acct);
	return why;
}

const char *fuzz_check_account(const uint8_t *data, size_t size)
{
	return converse(data, size, "fuzz-api-key", run_account);
}

/* SPDX-License-Identifier: BSD-3-Clause */
/* actions.c - get/store/erase decisions for git, on top of the stored Anaconda key. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "actions.h"
#include "hosts.h"
#include "util/aa_util.h"

void gca_ctx_close(gca_ctx *ctx)
{
	aa_keyring_close(ctx->kr);
	ctx->kr = NULL;
}

int gca_request_is_ours(const gca_ctx *ctx, const gca_request *req)
{
	return gca_host_is_ours(req->protocol, req->host, aa_config_domain(ctx->cfg),
				ctx->hosts);
}

static aa_status open_keyring(gca_ctx *ctx, aa_error *err)
{
	if (ctx->kr)
		return AA_OK;
	return aa_keyring_open(ctx->cfg, &ctx->kr, err);
}

/* The stored entry for the configured domain (or an alias) that has a key. */
static aa_status lookup(gca_ctx *ctx, aa_token_info **info,
			aa_keyring_source *src, aa_error *err)
{
	aa_status st = open_keyring(ctx, err);

	*info = NULL;
	if (st == AA_OK)
		st = aa_keyring_get(ctx->kr, aa_config_domain(ctx->cfg), info, src, err);
	if (st == AA_OK && !(*info)->api_key) {
		aa_token_info_free(*info);
		*info = NULL;
		st = AA_ERR_NOT_FOUND;
	}
	return st;
}

/* A key from the settings (API key or keyring setting): read-only, never erased. */
static int from_settings(const aa_keyring_source *src)
{
	return src->backend && (!strcmp(src->backend, "env") || !strcmp(src->backend, "inline"));
}

/* The key git handed us: the password, or a Bearer credential (git 2.46+). */
static const char *presented_key(const gca_request *req)
{
	if (req->password && req->password[0])
		return req->password;
	if (req->credential && req->credential[0] && req->authtype &&
	    !strcasecmp(req->authtype, "Bearer"))
		return req->credential;
	return NULL;
}

/* A username we can put on a protocol line: printable ASCII, no spaces around. */
static int username_printable(const char *s)
{
	if (!s || !*s)
		return 0;
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || (unsigned char)*s > 0x7e)
			return 0;
	return 1;
}

static aa_status not_logged_in(const gca_ctx *ctx, aa_error *err)
{
	aa_fail(err, AA_ERR_NOT_FOUND,
		"no Anaconda API key is stored for %s (run: anaconda-auth login)",
		aa_config_domain(ctx->cfg));
	return AA_ERR_NOT_FOUND;
}

/* The one expiry message, with the date the key expired. */
static aa_status expired(const gca_ctx *ctx, const aa_token_info *info, aa_error *err)
{
	char what[320];

	snprintf(what, sizeof(what), "the stored Anaconda API key for %s", aa_config_domain(ctx->cfg));
	aa_check_not_expired(aa_secret_str(info->api_key), ctx->now, what,
			     "run: anaconda-auth login", err);
	return AA_ERR_EXPIRED;
}

/* Look the key up and classify it; *info is set only for a usable key. */
static aa_status usable_key(gca_ctx *ctx, aa_token_info **info, int64_t *exp,
			    int *has_exp, aa_error *err)
{
	aa_status st = lookup(ctx, info, NULL, err);
	aa_expiry e;

	if (st == AA_ERR_NOT_FOUND)
		return not_logged_in(ctx, err);
	if (st != AA_OK)
		return st;
	e = aa_key_expiry(aa_secret_str((*info)->api_key), ctx->now, exp);
	if (e == AA_EXPIRY_EXPIRED) {
		expired(ctx, *info, err);
		aa_token_info_free(*info);
		*info = NULL;
		return AA_ERR_EXPIRED;
	}
	*has_exp = e == AA_EXPIRY_VALID;
	return AA_OK;
}

/* --login: only when the person can be asked, then look again. */
static aa_status login_and_retry(gca_ctx *ctx, aa_token_info **info,
				 int64_t *exp, int *has_exp, aa_status why,
				 aa_error *err)
{
	aa_error login_err;
	aa_status st;

	if (!ctx->login || !ctx->run_login ||
	    (why != AA_ERR_NOT_FOUND && why != AA_ERR_EXPIRED))
		return why;
	aa_error_clear(&login_err);
	st = ctx->run_login(ctx, &login_err);
	if (st == AA_ERR_UNSUPPORTED)
		return why; /* no terminal: keep the first message, never block */
	if (st != AA_OK) {
		*err = login_err;
		return st;
	}
	/* The login ran in another process: read the store afresh. */
	gca_ctx_close(ctx);
	aa_error_clear(err);
	return usable_key(ctx, info, exp, has_exp, err);
}

aa_status gca_get(gca_ctx *ctx, const gca_request *req, char **out,
		  size_t *out_len, aa_error *err)
{
	aa_token_info *info = NULL;
	gca_answer ans = { 0 };
	int64_t exp = 0;
	int has_exp = 0;
	aa_status st;

	*out = NULL;
	*out_len = 0;
	if (!gca_request_is_ours(ctx, req))
		return AA_OK;
	st = usable_key(ctx, &info, &exp, &has_exp, err);
	if (st != AA_OK)
		st = login_and_retry(ctx, &info, &exp, &has_exp, st, err);
	if (st != AA_OK)
		return st;
	ans.password = aa_secret_str(info->api_key);
	ans.bearer = gca_request_has_capability(req, "authtype");
	ans.has_expiry = has_exp;
	ans.expiry_utc = exp;
	/* A username git already has (from the URL or config) is left alone. */
	if (!req->username) {
		if (username_printable(ctx->username))
			ans.username = ctx->username;
		else if (username_printable(info->username))
			ans.username = info->username;
		else
			ans.username = GCA_DEFAULT_USERNAME;
	}
	st = gca_answer_format(&ans, out, out_len, err);
	aa_token_info_free(info);
	return st;
}

/* git's ephemeral=1 means "do not persist"; its boolean words are accepted. */
static int is_true(const char *v)
{
	return v && (!strcmp(v, "1") || !strcasecmp(v, "true") ||
		     !strcasecmp(v, "yes") || !strcasecmp(v, "on"));
}

/* Whether `key` is the one stored now. */
static aa_status already_stored(gca_ctx *ctx, const char *key, int *same,
				aa_error *err)
{
	aa_token_info *info = NULL;
	aa_status st = lookup(ctx, &info, NULL, err);

	*same = st == AA_OK && aa_secret_equal(info->api_key, key);
	aa_token_info_free(info);
	return st;
}

/*
 * Store git's key when nothing valid is stored; the keyring re-checks under
 * its lock, so a key a concurrent `anaconda-auth login` stored is kept.
 */
static aa_status store_if_nothing_valid(gca_ctx *ctx, const char *domain,
					const char *key, gca_store_result *res,
					aa_error *err)
{
	int stored = 0, same = 0;
	aa_status st;

	st = aa_keyring_store_api_key_unless_valid(ctx->kr, domain, key, ctx->now,
						   &stored, err);
	/* A read-only store (key from the environment) has nothing to update. */
	if (st == AA_ERR_READONLY) {
		aa_error_clear(err);
		return AA_OK;
	}
	if (st != AA_OK)
		return st;
	if (stored) {
		res->outcome = GCA_STORE_STORED;
		aa_fingerprint(key, res->account, sizeof(res->account));
		return AA_OK;
	}
	/* Someone stored a valid key meanwhile; if it is this one, all is said. */
	if (already_stored(ctx, key, &same, err) != AA_OK)
		aa_error_clear(err);
	res->outcome = same ? GCA_STORE_NOTHING : GCA_STORE_KEPT;
	return AA_OK;
}

aa_status gca_store(gca_ctx *ctx, const gca_request *req,
		    gca_store_result *res, aa_error *err)
{
	const char *key = presented_key(req);
	const char *domain = aa_config_domain(ctx->cfg);
	aa_token_info *info = NULL;
	aa_keyring_source src;
	aa_error ignored;
	aa_status st;

	memset(res, 0, sizeof(*res));
	if (!gca_request_is_ours(ctx, req) || !key || is_true(req->ephemeral))
		return AA_OK;
	/* Only a real, unexpired Anaconda API key is worth keeping. */
	if (aa_api_key_check(key, AA_KEY_REQUIRE_JWT, ctx->now, &ignored) != AA_OK)
		return AA_OK;
	memset(&src, 0, sizeof(src));
	st = lookup(ctx, &info, &src, err);
	if (st == AA_OK) {
		int same = aa_secret_equal(info->api_key, key);
		int valid = aa_key_expiry(aa_secret_str(info->api_key), ctx->now,
					  NULL) != AA_EXPIRY_EXPIRED;

		/* An expired entry is renewed where it was found, keeping its repo tokens. */
		if (src.domain[0] && !from_settings(&src))
			domain = src.domain;
		aa_token_info_free(info);
		if (same)
			return AA_OK; /* git approves every success; nothing changed */
		if (valid) {
			res->outcome = GCA_STORE_KEPT;
			return AA_OK;
		}
	} else if (st == AA_ERR_NOT_FOUND) {
		aa_error_clear(err);
	} else {
		/* A locked Secret Service may hold the person's key, a damaged file
		 * other sites' keys: a key git used must not step in front of them. */
		return st;
	}
	return store_if_nothing_valid(ctx, domain, key, res, err);
}

aa_status gca_erase(gca_ctx *ctx, const gca_request *req, int *erased,
		    aa_error *err)
{
	const char *key = presented_key(req);
	aa_token_info *info = NULL;
	aa_keyring_source src;
	aa_status st;

	*erased = 0;
	/* Without the password we cannot tell which key failed: keep ours. */
	if (!gca_request_is_ours(ctx, req) || !key)
		return AA_OK;
	memset(&src, 0, sizeof(src));
	st = lookup(ctx, &info, &src, err);
	if (st == AA_ERR_NOT_FOUND) {
		aa_error_clear(err);
		return AA_OK;
	}
	if (st != AA_OK)
		return st; /* the store is unavailable: never guess, never erase */
	if (!aa_secret_equal(info->api_key, key)) {
		aa_token_info_free(info);
		return AA_OK; /* another helper's credential failed, not ours */
	}
	if (from_settings(&src)) {
		st = aa_fail(err, AA_ERR_AUTH,
			     "%s refused the API key from %s; replace or unset it",
			     req->host, src.location ? src.location : "the environment");
	} else {
		/*
		 * Re-checked under the keyring's lock: a key another process
		 * stored since our lookup is not the one git saw fail, and stays.
		 */
		st = aa_keyring_forget_api_key(ctx->kr, src.domain[0] ? src.domain :
					       aa_config_domain(ctx->cfg), key, erased, err);
	}
	aa_token_info_free(info);
	return st;
}

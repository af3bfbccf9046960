/* SPDX-License-Identifier: BSD-3-Clause */
/* get_cmd.c - `get URL`: print the credential conda should send to a channel. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "binstar.h"
#include "conda_helper.h"
#include "internal.h"
#include "output.h"
#include "select.h"

struct get_opts {
	ch_format format;
	const char *url;
	const char *auth_domain;
	const char *credential_type;
};

static const char get_usage[] =
	"usage: " CH_PROG " get [--format header|value|json] [--auth-domain D]\n"
	"           [--credential-type api-key|repo-token] [--repo-url U] URL\n"
	"Print the credential for a conda channel URL (default: an Authorization header).\n"
	"Exit 3 when none is stored (nothing is printed), 4 when the key has expired.\n";

enum { OPT_FORMAT = 256, OPT_AUTH_DOMAIN, OPT_CREDENTIAL_TYPE };

static const struct fe_opt get_opts[] = {
	{ "format", OPT_FORMAT, FE_VALUE, NULL, NULL },
	{ "auth-domain", OPT_AUTH_DOMAIN, FE_VALUE, NULL, NULL },
	{ "credential-type", OPT_CREDENTIAL_TYPE, FE_VALUE, NULL, NULL },
	CH_COMMON_OPTS,
};

static int on_get_opt(struct fe *fe, void *ctx, int key, const char *v)
{
	struct get_opts *o = ctx;
	int f;

	(void)fe;
	switch (key) {
	case OPT_FORMAT:
		if ((f = ch_format_parse(v)) < 0)
			return ch_usage_error("--format must be header, value or json");
		o->format = (ch_format)f;
		break;
	case OPT_AUTH_DOMAIN: o->auth_domain = v; break;
	case OPT_CREDENTIAL_TYPE: o->credential_type = v; break;
	default:
		if (o->url)
			return ch_usage_error("get takes one URL");
		o->url = v;
	}
	return 0;
}

static int parse_get_args(struct ch *ch, int argc, char **argv, struct get_opts *o)
{
	int code = ch_parse(ch, "get", get_usage, get_opts, argc, argv, on_get_opt, o);

	if (code != FE_GO_ON)
		return code;
	if (!o->url) {
		fputs(get_usage, stderr);
		return AA_EXIT_USAGE;
	}
	return FE_GO_ON;
}

/* The last source upstream consults: conda's binstar token for the host. */
static aa_status from_binstar(const struct ch_target *t, struct ch_credential *c,
			      aa_error *err)
{
	char *dir = ch_binstar_dir();
	aa_status st;

	if (!dir)
		return AA_ERR_NOT_FOUND;
	st = ch_binstar_find_token(dir, t->host, &c->secret, NULL, err);
	free(dir);
	if (st == AA_OK) {
		c->scheme = "token";
		c->kind = "repo-token";
		c->source = "binstar";
	}
	return st;
}

static aa_status load_info(struct ch *ch, const struct ch_target *t, aa_token_info **info,
			   aa_error *err)
{
	aa_keyring *kr = NULL;
	aa_status st;

	*info = NULL;
	if ((st = aa_keyring_open(ch->cfg, &kr, err)) != AA_OK)
		return st;
	aa_keyring_set_log(kr, ch_log, ch);
	st = aa_keyring_get(kr, t->domain, info, NULL, err);
	aa_keyring_close(kr);
	if (st == AA_ERR_NOT_FOUND) {
		aa_error_clear(err);
		return AA_OK;
	}
	return st;
}

/* The keyring could not be read: conda's own token, else the keyring's error. */
static aa_status from_binstar_instead(struct ch *ch, const struct ch_target *t,
				      struct ch_credential *c, aa_status st, aa_error *err)
{
	aa_error why = *err;

	if (st != AA_ERR_STORAGE || from_binstar(t, c, err) != AA_OK) {
		*err = why;
		return st;
	}
	fe_verbosef(&ch->fe, "%s; using conda's token file instead", why.message);
	return AA_OK;
}

static aa_status choose(struct ch *ch, const struct ch_target *t, struct ch_credential *c,
			aa_error *err)
{
	/* the environment key is for the configured domain's hosts only */
	const char *env = aa_config_api_key(ch->cfg) && t->served ? aa_secret_str(aa_config_api_key(ch->cfg)) : NULL;
	aa_token_info *info = NULL;
	aa_status st;

	if (!env && t->keyring && (st = load_info(ch, t, &info, err)) != AA_OK)
		return from_binstar_instead(ch, t, c, st, err);
	st = ch_select_credential(t, info, env, time(NULL), c, err);
	aa_token_info_free(info);
	if (st == AA_ERR_NOT_FOUND) {
		aa_error nf = *err;

		if (from_binstar(t, c, err) == AA_OK)
			return AA_OK;
		*err = nf;
	}
	return st;
}

int ch_cmd_get(void *ctx, int argc, char **argv)
{
	struct ch *ch = ctx;
	struct get_opts o = { CH_FORMAT_HEADER, NULL, NULL, NULL };
	struct ch_select_opts so;
	struct ch_target t;
	struct ch_credential c;
	char *text = NULL;
	size_t len = 0;
	aa_error err;
	int code = parse_get_args(ch, argc, argv, &o);

	if (code != FE_GO_ON)
		return code;
	aa_error_clear(&err);
	so = (struct ch_select_opts){ ch_repo_url(ch), aa_config_domain(ch->cfg),
		aa_config_use_unified_repo_api_key(ch->cfg), o.auth_domain, o.credential_type };
	if (ch_select_target(o.url, &so, &t, &err) != AA_OK)
		return ch_fail_err(&err);
	fe_verbosef(&ch->fe, "%s: %s from the entry for %s%s%s", t.host,
		   t.type == CH_CRED_API_KEY ? "API key" : "repo token", t.domain,
		   t.org ? ", org " : "", t.org ? t.org : "");
	memset(&c, 0, sizeof(c));
	if (choose(ch, &t, &c, &err) == AA_OK &&
	    ch_format_credential(&c, &t, o.format, &text, &len, &err) == AA_OK)
		code = ch_print_secret(text, len);
	else
		code = ch_fail_err(&err);
	aa_free_secret_str(text);
	ch_credential_free(&c);
	ch_target_free(&t);
	return code;
}

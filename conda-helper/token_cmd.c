/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * token_cmd.c - `token install|set|config|list|uninstall` (remove is an
 * alias), the verbs of Python anaconda-auth 0.15's `anaconda token` and
 * `conda token`: repo tokens kept in the TokenInfo of the domain, and the
 * condarc.d drop-in that points conda at the repository.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "binstar.h"
#include "conda_helper.h"
#include "internal.h"
#include "repo_api.h"
#include "token_config.h"

#define TOKEN_MAX 4096

/* The verbs of `token`, as 0.15's `conda token` has them. */
enum token_verb { V_NONE, V_INSTALL, V_SET, V_CONFIG, V_LIST, V_UNINSTALL };

static const struct {
	const char *name;
	enum token_verb verb;
	int takes_token; /* a TOKEN (or "-") may follow */
} token_verbs[] = {
	{ "install", V_INSTALL, 1 },
	{ "set", V_SET, 1 },
	{ "config", V_CONFIG, 0 },
	{ "list", V_LIST, 0 },
	{ "uninstall", V_UNINSTALL, 0 },
	{ "remove", V_UNINSTALL, 0 }, /* 0.15's other name */
};

struct token_opts {
	const char *sub;     /* the verb as given */
	enum token_verb verb;
	int takes_token;
	const char *org;
	char *token;         /* from argv (visible in ps) or "-" for stdin */
	int all;
	int yes;
	int binstar;         /* also conda's legacy token file */
	int binstar_only;    /* set without --org: only conda's token file, as 0.15 */
	int no_validate;
	int no_config;       /* install/set: leave conda's configuration alone */
	int config;          /* uninstall: also remove the drop-in */
	struct ch_dropin_opts dropin;
};

static const char token_usage[] =
	"usage: " CH_PROG " token install [--org ORG] [--yes] [--binstar] [--no-validate] [--no-config] [WHERE] [TOKEN|-]\n"
	"       " CH_PROG " token set [--org ORG] [--binstar] [--no-validate] [--no-config] [CONFIG] [WHERE] (TOKEN|-)\n"
	"       " CH_PROG " token config [CONFIG] [WHERE]\n"
	"       " CH_PROG " token list\n"
	"       " CH_PROG " token uninstall (--org ORG | --all) [--binstar] [--config [WHERE]]   (alias: remove)\n"
	"install without TOKEN issues a new token for ORG (this revokes its current one);\n"
	"'-' reads the token from standard input (a TOKEN argument is visible to other users).\n"
	"set stores a token you were given: for ORG in the keyring, without --org in conda's\n"
	"token file for the repository (as conda token set does).\n"
	"install and set then write conda's configuration (as token config does) unless --no-config:\n"
	"default_channels on the repository and channel_settings sending it to the anaconda-auth handler.\n"
	"CONFIG: --include-archive-channels free|mro-archive|pro (repeatable),\n"
	"        --enable-signature-verification, --force (accepted; nothing is asked).\n"
	"--binstar also writes (uninstall: removes) conda's legacy token file.\n"
	DROPIN_USAGE;

enum { OPT_BINSTAR = 256, OPT_NO_VALIDATE, OPT_NO_CONFIG, OPT_SET_DEFAULT, OPT_CONFIG };

static const struct fe_opt token_opts[] = {
	DROPIN_OPTS,
	{ "all", 'a', FE_NONE, NULL, NULL },
	{ "yes", 'y', FE_NONE, NULL, NULL },
	{ "org", 'o', FE_VALUE, NULL, NULL },
	{ "binstar", OPT_BINSTAR, FE_NONE, NULL, NULL },
	{ "no-validate", OPT_NO_VALIDATE, FE_NONE, NULL, NULL },
	{ "no-config", OPT_NO_CONFIG, FE_NONE, NULL, NULL },
	{ "no-set-default-channels", OPT_NO_CONFIG, FE_NONE, NULL, NULL },
	{ "set-default-channels", OPT_SET_DEFAULT, FE_NONE, NULL, NULL },
	{ "config", OPT_CONFIG, FE_NONE, NULL, NULL },
	CH_COMMON_OPTS,
};

/* The verb named `word` into o; 0, or -1 when there is none by that name. */
static int set_verb(struct token_opts *o, const char *word)
{
	for (size_t i = 0; i < sizeof(token_verbs) / sizeof(token_verbs[0]); i++) {
		if (!strcmp(word, token_verbs[i].name)) {
			o->sub = word;
			o->verb = token_verbs[i].verb;
			o->takes_token = token_verbs[i].takes_token;
			return 0;
		}
	}
	return -1;
}

static int on_token_opt(struct fe *fe, void *ctx, int key, const char *v)
{
	struct token_opts *o = ctx;
	int r = ch_dropin_opt(&o->dropin, key, v);

	if (r)
		return r < 0 ? AA_EXIT_USAGE : 0;
	switch (key) {
	case 'a': o->all = 1; break;
	case 'y': o->yes = 1; break;
	case 'o': o->org = v; break;
	case OPT_BINSTAR: o->binstar = 1; break;
	case OPT_NO_VALIDATE: o->no_validate = 1; break;
	case OPT_NO_CONFIG: o->no_config = 1; break;
	case OPT_SET_DEFAULT: o->no_config = 0; break;
	case OPT_CONFIG: o->config = 1; break;
	default:
		if (!o->sub) {
			if (set_verb(o, v) != 0)
				return fe_usage_error(fe, "token",
						      "unknown token command '%s' (install, set, config, list or uninstall)",
						      v);
			break;
		}
		if (!o->takes_token || o->token)
			return fe_usage_error(fe, "token", "%s: unexpected argument '%s'", o->sub, v);
		o->token = (char *)v;
	}
	return 0;
}

/* "token [options] SUB [options] [TOKEN]": the first argument names the verb. */
static int parse_token_args(struct ch *ch, int argc, char **argv, struct token_opts *o)
{
	int code = ch_parse(ch, "token", token_usage, token_opts, argc, argv, on_token_opt, o);

	if (code == FE_GO_ON && !o->sub) {
		fputs(token_usage, stderr);
		return AA_EXIT_USAGE;
	}
	return code;
}

/* The writable store only: an environment key must not hide the stored repo tokens. */
static aa_status open_token_store(struct ch *ch, aa_keyring **kr, aa_error *err)
{
	aa_status st = aa_keyring_open_store(ch->cfg, kr, err);

	if (st == AA_OK)
		aa_keyring_set_log(*kr, ch_log, ch);
	return st;
}

static aa_status load_entry(struct ch *ch, aa_keyring **kr, aa_token_info **info, aa_error *err)
{
	aa_status st = open_token_store(ch, kr, err);

	*info = NULL;
	if (st != AA_OK)
		return st;
	return aa_keyring_get(*kr, aa_config_domain(ch->cfg), info, NULL, err);
}

static aa_status read_token_stdin(aa_secret **out, aa_error *err)
{
	char buf[TOKEN_MAX + 2];
	size_t n;

	if (!fgets(buf, sizeof(buf), stdin))
		return aa_fail(err, AA_ERR_USAGE, "no token on standard input; pipe it in, e.g. printf %%s TOKEN | " CH_PROG " token install --org ORG -");
	n = strlen(buf);
	while (n && isspace((unsigned char)buf[n - 1]))
		buf[--n] = '\0';
	*out = aa_secret_new(buf, n);
	aa_memzero(buf, sizeof(buf));
	return *out ? AA_OK : aa_oom(err);
}

static int token_shape_ok(const char *t)
{
	size_t n = strlen(t);

	if (n == 0 || n > TOKEN_MAX)
		return 0;
	for (; *t; t++)
		if ((unsigned char)*t <= 0x20 || (unsigned char)*t >= 0x7f || *t == '"' || *t == '\'' || *t == '\\')
			return 0;
	return 1;
}

/* The one org of the account, or a message listing them. */
static aa_status pick_org(aa_client *c, char **org, aa_error *err)
{
	char **names = NULL, list[512] = "";
	aa_status st = ch_repo_list_orgs(c, &names, err);
	size_t n = names ? aa_strv_len(names) : 0;

	*org = NULL;
	if (st != AA_OK)
		return st;
	if (n == 1) {
		*org = strdup(names[0]);
		aa_strv_free(names);
		return *org ? AA_OK : aa_oom(err);
	}
	for (size_t i = 0; i < n; i++) {
		strncat(list, i ? ", " : "", sizeof(list) - strlen(list) - 1);
		strncat(list, names[i], sizeof(list) - strlen(list) - 1);
	}
	aa_strv_free(names);
	if (n == 0)
		return aa_fail(err, AA_ERR_NOT_FOUND, "your account belongs to no organization with a repository; nothing to install");
	return aa_fail(err, AA_ERR_USAGE, "choose the organization with --org (one of: %s)", list);
}

static int confirm_reissue(const struct token_opts *o, const char *org)
{
	char answer[16];

	fprintf(stderr, CH_PROG ": issuing a new repo token for %s revokes the token it has now "
		"(on every machine that uses it)\n", org);
	if (o->yes)
		return 1;
	if (!isatty(STDIN_FILENO)) {
		ch_fail(AA_ERR_USAGE, "not issuing without confirmation; add --yes to confirm");
		return 0;
	}
	fputs("Proceed? [y/N] ", stderr);
	if (!fgets(answer, sizeof(answer), stdin) || (answer[0] != 'y' && answer[0] != 'Y')) {
		fputs(CH_PROG ": nothing changed\n", stderr);
		return 0;
	}
	return 1;
}

/* The token to install: given (argv or stdin) or freshly issued. */
static int obtain_token(struct ch *ch, const struct token_opts *o, aa_client *c, char **org,
			aa_secret **token, aa_error *err)
{
	char *expires = NULL;

	if (o->token) {
		if (!o->org && !o->binstar_only)
			return ch_usage_error("token install TOKEN needs --org ORG (the organization the token is for)");
		if (!(*org = strdup(o->org ? o->org : ch_repo_url(ch))))
			return fe_oom(&ch->fe);
		if (!strcmp(o->token, "-")) {
			if (read_token_stdin(token, err) != AA_OK)
				return ch_fail_err(err);
		} else {
			if (!(*token = aa_secret_from_str(o->token)))
				return fe_oom(&ch->fe);
			/* Gone from /proc/PID/cmdline from now on; ps may have seen it. */
			aa_memzero(o->token, strlen(o->token));
			fputs(CH_PROG ": warning: a token given as an argument is visible to other users while the command runs; pass '-' and give it on standard input instead\n",
			      stderr);
		}
		if (!token_shape_ok(aa_secret_str(*token)))
			return ch_fail(AA_ERR_USAGE, "the token is empty, too long, or has spaces or quotes; copy it again");
		return AA_EXIT_OK;
	}
	if (o->org ? !(*org = strdup(o->org)) : pick_org(c, org, err) != AA_OK)
		return o->org ? fe_oom(&ch->fe) : ch_fail_err(err);
	if (!confirm_reissue(o, *org))
		return AA_EXIT_USAGE;
	if (ch_repo_issue_token(c, *org, token, &expires, err) != AA_OK)
		return ch_fail_err(err);
	fe_verbosef(&ch->fe, "issued a token for %s", *org);
	fprintf(stderr, CH_PROG ": a new token for %s was issued%s%s\n", *org,
		expires ? "; it expires " : "", expires ? expires : "");
	free(expires);
	return AA_EXIT_OK;
}

struct token_edit {
	const char *org;        /* NULL with all: every token */
	const aa_secret *token; /* NULL: remove */
	int all;
	int removed;
};

/*
 * An aa_keyring_update_fn, run under the keyring lock: add or remove repo
 * tokens in the entry as it is stored now, so a concurrent install, login
 * or removal is never undone by this one.
 */
static aa_status edit_tokens(aa_token_info *info, void *ctx, int *changed, aa_error *err)
{
	struct token_edit *e = ctx;
	aa_status st;

	if (e->token) {
		st = aa_token_info_set_repo_token(info, e->org, aa_secret_str(e->token));
		*changed = st == AA_OK;
		return st == AA_OK ? AA_OK : aa_fail(err, st, "out of memory");
	}
	if (e->all) {
		e->removed = info->n_repo_tokens > 0;
		aa_token_info_delete_all_repo_tokens(info);
	} else {
		e->removed = aa_token_info_delete_repo_token(info, e->org);
	}
	*changed = e->removed;
	return AA_OK;
}

static aa_status update_tokens(struct ch *ch, struct token_edit *e, aa_error *err)
{
	aa_keyring *kr = NULL;
	aa_status st = open_token_store(ch, &kr, err);

	if (st == AA_OK)
		st = aa_keyring_update(kr, aa_config_domain(ch->cfg), edit_tokens, e, err);
	aa_keyring_close(kr);
	return st;
}

static aa_status store_token(struct ch *ch, const char *org, const aa_secret *token, aa_error *err)
{
	struct token_edit e = { org, token, 0, 0 };

	return update_tokens(ch, &e, err);
}

static aa_status write_binstar(const struct ch *ch, const aa_secret *token, aa_error *err)
{
	char *dir = ch_binstar_dir();
	aa_status st;

	if (!dir)
		return aa_fail(err, AA_ERR_STORAGE, "no home directory for conda's token file; set BINSTAR_CONFIG_DIR");
	st = ch_binstar_write_token(dir, ch_repo_url(ch), aa_secret_str(token), err);
	free(dir);
	return st;
}

static int token_config(struct ch *ch, const struct token_opts *o);

static int token_install(struct ch *ch, const struct token_opts *o)
{
	aa_client *c = NULL;
	aa_secret *token = NULL;
	char *org = NULL;
	aa_error err;
	int code;

	aa_error_clear(&err);
	if (aa_client_new(ch->cfg, &c, &err) != AA_OK)
		return ch_fail_err(&err);
	code = obtain_token(ch, o, c, &org, &token, &err);
	if (code == AA_EXIT_OK && !o->no_validate &&
	    ch_repo_validate_token(c, ch_repo_url(ch), aa_secret_str(token), &err) != AA_OK)
		code = ch_fail_err(&err);
	if (code == AA_EXIT_OK && !o->binstar_only && store_token(ch, org, token, &err) != AA_OK)
		code = ch_fail_err(&err);
	if (code == AA_EXIT_OK && (o->binstar || o->binstar_only) && write_binstar(ch, token, &err) != AA_OK)
		code = ch_fail_err(&err);
	if (code == AA_EXIT_OK)
		fprintf(stderr, CH_PROG ": the token for %s is installed%s%s; see it with: " CH_PROG " token list\n",
			org, o->no_validate ? "" : " and validated",
			o->binstar_only ? " in conda's token file" : o->binstar ? " (and in conda's token file)" : "");
	aa_secret_free(token);
	free(org);
	aa_client_free(c);
	/* as 0.15: after an install conda is configured, no second command needed */
	if (code == AA_EXIT_OK && !o->no_config)
		code = token_config(ch, o);
	return code;
}

/* set: a token you were given; without --org it goes to conda's token file, as 0.15's conda token set. */
static int token_set(struct ch *ch, struct token_opts *o)
{
	if (!o->token)
		return ch_usage_error("token set needs the token: give '-' and pipe it in (or TOKEN)");
	o->binstar_only = !o->org;
	return token_install(ch, o);
}

/* Write the drop-in that points conda at the repository (default_channels, channel_settings). */
static int token_config(struct ch *ch, const struct token_opts *o)
{
	aa_error err;
	char *path = NULL;
	int code = AA_EXIT_OK;

	aa_error_clear(&err);
	if (ch_dropin_write(ch, &o->dropin, &path, &err) != AA_OK)
		code = ch_fail_err(&err);
	else
		fprintf(stderr, CH_PROG ": wrote %s: conda's default channels are now the repository's, "
			"and conda sends them through the anaconda-auth handler\n", path);
	free(path);
	return code;
}

static int token_unconfig(const struct token_opts *o)
{
	aa_error err;
	char *path = NULL;
	int code = AA_EXIT_OK;

	aa_error_clear(&err);
	if (ch_dropin_remove(&o->dropin, &path, &err) != AA_OK)
		code = ch_fail_err(&err);
	else
		fprintf(stderr, CH_PROG ": removed %s (if it was there)\n", path);
	free(path);
	return code;
}

/* Enough of a token to tell two apart, never enough to use it. */
static void masked(const aa_secret *s, char *out, size_t len)
{
	size_t n = aa_secret_len(s);

	snprintf(out, len, "****%s", n > 12 ? aa_secret_str(s) + n - 4 : "");
}

static int token_list(struct ch *ch)
{
	aa_keyring *kr = NULL;
	aa_token_info *info = NULL;
	aa_error err;
	aa_status st;
	char mask[16], *dir;
	size_t shown = 0;

	aa_error_clear(&err);
	st = load_entry(ch, &kr, &info, &err);
	aa_keyring_close(kr);
	if (st == AA_ERR_STORAGE)
		ch_fail_err(&err); /* said; conda's own token file may still be listed */
	else if (st != AA_OK && st != AA_ERR_NOT_FOUND)
		return ch_fail_err(&err);
	for (size_t i = 0; info && i < info->n_repo_tokens; i++) {
		const aa_repo_token *rt = &info->repo_tokens[i];

		if (!rt->token)
			continue;
		masked(rt->token, mask, sizeof(mask));
		printf("%-24s %s%s/*  %s\n", rt->org_name ? rt->org_name : "(no org)", ch_repo_url(ch),
		       rt->org_name ? rt->org_name : "", mask);
		shown++;
	}
	aa_token_info_free(info);
	if ((dir = ch_binstar_dir()) != NULL) {
		char *path = ch_binstar_token_path(dir, ch_repo_url(ch));

		if (path && access(path, F_OK) == 0) {
			printf("%-24s %s*  (conda token file %s)\n", "(binstar)", ch_repo_url(ch), path);
			shown++;
		}
		free(path);
		free(dir);
	}
	if (st == AA_ERR_STORAGE)
		return aa_exit_code(st);
	if (!shown)
		return ch_fail(AA_ERR_NOT_FOUND, "no repo tokens are installed; run: " CH_PROG " token install");
	return AA_EXIT_OK;
}

static int token_uninstall(struct ch *ch, const struct token_opts *o)
{
	struct token_edit e = { o->org, NULL, o->all, 0 };
	aa_error err;
	int code = AA_EXIT_OK;
	char *dir;

	if (!o->all == !o->org)
		return ch_usage_error("token %s needs --org ORG or --all", o->sub);
	aa_error_clear(&err);
	if (update_tokens(ch, &e, &err) != AA_OK)
		code = ch_fail_err(&err);
	if (code == AA_EXIT_OK && o->binstar && (dir = ch_binstar_dir()) != NULL) {
		aa_error_clear(&err);
		if (ch_binstar_remove_token(dir, ch_repo_url(ch), &err) != AA_OK)
			code = ch_fail_err(&err);
		free(dir);
	}
	if (code == AA_EXIT_OK && !e.removed && o->org)
		fprintf(stderr, CH_PROG ": no token was installed for %s\n", o->org);
	if (code == AA_EXIT_OK && o->config)
		code = token_unconfig(o);
	return code;
}

int ch_cmd_token(void *ctx, int argc, char **argv)
{
	struct ch *ch = ctx;
	struct token_opts o;
	int code;

	memset(&o, 0, sizeof(o));
	if ((code = parse_token_args(ch, argc, argv, &o)) != FE_GO_ON)
		return code;
	switch (o.verb) {
	case V_INSTALL: return token_install(ch, &o);
	case V_SET: return token_set(ch, &o);
	case V_CONFIG: return token_config(ch, &o);
	case V_LIST: return token_list(ch);
	case V_UNINSTALL: return token_uninstall(ch, &o);
	case V_NONE: break;
	}
	return AA_EXIT_USAGE; /* parse_token_args saw to a verb */
}

/* SPDX-License-Identifier: BSD-3-Clause */
/* cmd_login.c - interactive login (browser or device flow) and minting a key with 'api-key --create'. */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "util/aa_util.h"

static const char login_usage[] =
	"usage: anaconda-auth login [--domain D] [--force] [--browser|--device] [--no-browser]\n"
	"                           [--timeout S] [--ssl-verify|--no-ssl-verify]\n"
	"       anaconda-auth login --with-api-key [--domain D] < key-file\n"
	"Log in to Anaconda and store a new API key for the domain (repo tokens\n"
	"already stored are kept). With a valid stored key nothing happens unless\n"
	"--force is given. The flow is --browser or --device, else the use_device_flow\n"
	"setting (ANACONDA_AUTH_USE_DEVICE_FLOW), which defaults to the device flow.\n"
	"  --browser      open the login page; the reply comes back to redirect_uri\n"
	"  --device       show a URL and a code to enter on any device, open the\n"
	"                 verification page in a browser, count down to the code's expiry\n"
	"  --no-browser   only print the URL, do not start a browser\n"
	"  --timeout S    give up after S seconds of waiting (default 300)\n"
	"The browser is started on a private page (0600, removed afterwards) that\n"
	"forwards it to the URL, so the URL never appears on a command line.\n";

static const char create_usage[] =
	"usage: anaconda-auth api-key --create [--scopes a,b] [--tag T] [--domain D]\n"
	"Mint a new API key with the key in effect and print it on stdout.\n";

struct login_args {
	int force;
	aa_login_options opts;
};

/* ---- waiting spinner: only on a terminal ------------------------------ */

struct spinner {
	int tty;
	unsigned ticks;
	int shown;
};

static void say_line(void *ctx, const char *line)
{
	struct spinner *s = ctx;

	if (s->shown) {
		fputs("\r\033[K", stderr);
		s->shown = 0;
	}
	fprintf(stderr, "%s\n", line);
}

static void spin(void *ctx, int done)
{
	static const char frames[] = "|/-\\";
	struct spinner *s = ctx;

	if (!s->tty)
		return;
	if (done) {
		if (s->shown)
			fputs("\r\033[K", stderr);
		s->shown = 0;
		return;
	}
	fprintf(stderr, "\r%c Waiting for the login to finish (Ctrl-C to cancel) %us",
		frames[s->ticks % 4], s->ticks);
	s->ticks++;
	s->shown = 1;
	fflush(stderr);
}

/* The device flow: a countdown to the code's expiry rather than a count-up. */
static void count_down(void *ctx, long left)
{
	struct spinner *s = ctx;

	if (!s->tty)
		return;
	if (left < 0)
		left = 0;
	fprintf(stderr, "\r%c Waiting for approval (Ctrl-C to cancel); the code expires in %ld:%02ld ",
		"|/-\\"[s->ticks % 4], left / 60, left % 60);
	s->ticks++;
	s->shown = 1;
	fflush(stderr);
}

/* ---- arguments ------------------------------------------------------ */

static int parse_seconds(const char *text, int *out)
{
	char *end;
	long v = strtol(text, &end, 10);

	if (!*text || *end || v < 1 || v > INT_MAX / 2)
		return -1;
	*out = (int)v;
	return 0;
}

enum { OPT_FORCE = 256, OPT_BROWSER, OPT_DEVICE, OPT_NO_BROWSER, OPT_TIMEOUT };

static const struct fe_opt login_opts[] = {
	{ "force", OPT_FORCE, FE_NONE, NULL, NULL },
	{ "browser", OPT_BROWSER, FE_NONE, NULL, NULL },
	{ "device", OPT_DEVICE, FE_NONE, NULL, NULL },
	{ "no-browser", OPT_NO_BROWSER, FE_NONE, NULL, NULL },
	{ "timeout", OPT_TIMEOUT, FE_VALUE, NULL, NULL },
	{ NULL, 0, 0, NULL, NULL },
};

static int on_login_opt(struct fe *fe, void *ctx, int key, const char *v)
{
	struct login_args *a = ctx;

	switch (key) {
	case OPT_FORCE: a->force = 1; break;
	case OPT_BROWSER: a->opts.flow = AA_FLOW_BROWSER; break;
	case OPT_DEVICE: a->opts.flow = AA_FLOW_DEVICE; break;
	case OPT_NO_BROWSER: a->opts.open_browser = 0; break;
	case OPT_TIMEOUT:
		if (parse_seconds(v, &a->opts.timeout_s) != 0)
			return fe_usage_error(fe, "login",
					      "--timeout needs a number of seconds (got '%s')", v);
		break;
	default:
		return fe_usage_error(fe, "login", "unexpected argument '%s'", v);
	}
	return 0;
}

/* Returns FE_GO_ON to go on, else an exit code. */
static int parse_login_args(struct cli *cli, int argc, char **argv, struct login_args *a)
{
	return cli_parse(cli, login_usage, login_opts, argc, argv, on_login_opt, a);
}

/* ---- the stored key ------------------------------------------------- */

static void describe_key(const char *key, char *out, size_t len)
{
	char fp[AA_FINGERPRINT_MAX], when[64];
	int64_t exp = 0;

	aa_fingerprint(key, fp, sizeof(fp));
	if (aa_key_expiry(key, time(NULL), &exp) == AA_EXPIRY_UNKNOWN) {
		snprintf(out, len, "key %s, expiry unknown", fp);
		return;
	}
	aa_format_utc(exp, when, sizeof(when));
	snprintf(out, len, "key %s, expires %s", fp, when);
}

/*
 * The stored entry alone: the settings' environment key is left out, so it
 * neither counts as "logged in" nor blocks storing a new key.
 */
static int open_login_store(struct cli *cli, aa_keyring **kr)
{
	aa_error err;

	aa_error_clear(&err);
	if (aa_keyring_open_store(cli->cfg, kr, &err) != AA_OK)
		return cli_fail_err(cli, &err);
	aa_keyring_set_log(*kr, cli_log, cli);
	return 0;
}

/* 1 when a valid key is stored (and says so), 0 to log in, else -exit code. */
static int already_logged_in(struct cli *cli, aa_keyring *kr, int force)
{
	aa_token_info *info = NULL;
	char what[160], when[64];
	int64_t exp = 0;
	aa_error err;
	aa_status st;
	int valid = 0;

	aa_error_clear(&err);
	st = aa_keyring_get(kr, aa_config_domain(cli->cfg), &info, NULL, &err);
	if (st == AA_ERR_NOT_FOUND)
		return 0;
	if (st != AA_OK) {
		fe_verbosef(&cli->fe, "cannot read the stored key (%s); logging in anew", err.message);
		return 0;
	}
	if (info->api_key && aa_token_info_expiry(info, time(NULL), &exp) == AA_EXPIRY_EXPIRED) {
		aa_format_utc(exp, when, sizeof(when));
		fprintf(stderr, "%s: the stored API key for %s expired on %s; logging in again\n",
			cli->fe.prog, aa_config_domain(cli->cfg), when);
	} else if (info->api_key && !force) {
		describe_key(aa_secret_str(info->api_key), what, sizeof(what));
		fprintf(stderr, "%s: already logged in to %s (%s); use --force to log in again\n",
			cli->fe.prog, aa_config_domain(cli->cfg), what);
		valid = 1;
	}
	aa_token_info_free(info);
	return valid;
}

static int store_new_key(struct cli *cli, aa_keyring *kr, const aa_secret *key)
{
	char what[160];
	aa_error err;

	aa_error_clear(&err);
	if (aa_keyring_store_api_key(kr, aa_config_domain(cli->cfg), aa_secret_str(key), &err) != AA_OK) {
		cli_fail_err(cli, &err);
		return cli_fail(cli, err.code, "logged in, but the new API key could not be stored");
	}
	describe_key(aa_secret_str(key), what, sizeof(what));
	printf("Logged in to %s (%s), stored in %s storage.\n", aa_config_domain(cli->cfg), what,
	       aa_keyring_backend_name(kr));
	return fflush(stdout) == 0 ? AA_EXIT_OK
				   : cli_fail(cli, AA_ERR_GENERIC, "cannot write to stdout");
}

int cli_cmd_login_interactive(struct cli *cli, int argc, char **argv)
{
	struct spinner sp = {.tty = isatty(STDERR_FILENO)};
	struct login_args a = {
		.opts = {.version = AA_LOGIN_OPTIONS_VERSION, .flow = AA_FLOW_AUTO,
			 .open_browser = 1, .timeout_s = 300,
			 .ui = {.ctx = &sp, .say = say_line, .waiting = spin,
				.countdown = count_down}},
	};
	aa_keyring *kr = NULL;
	aa_secret *key = NULL;
	aa_error err;
	int code = parse_login_args(cli, argc, argv, &a);

	if (code != FE_GO_ON)
		return code;
	if (aa_config_api_key_source(cli->cfg))
		fprintf(stderr, "%s: note: %s is set; it overrides any stored key until you unset it\n",
			cli->fe.prog, aa_config_api_key_source(cli->cfg));
	else if (aa_config_keyring_source(cli->cfg))
		fprintf(stderr, "%s: note: %s is set; a key it holds for %s overrides the stored one until you unset it\n",
			cli->fe.prog, aa_config_keyring_source(cli->cfg), aa_config_domain(cli->cfg));
	code = open_login_store(cli, &kr);
	if (code)
		return code;
	if (already_logged_in(cli, kr, a.force)) {
		cli_close_keyring(cli, kr);
		return AA_EXIT_OK;
	}
	aa_error_clear(&err);
	if (aa_login(cli->cfg, &a.opts, &key, &err) != AA_OK)
		code = cli_fail_err(cli, &err);
	else
		code = store_new_key(cli, kr, key);
	aa_secret_free(key);
	cli_close_keyring(cli, kr);
	return code;
}

/* ---- api-key --create ----------------------------------------------- */

/* Split "a,b,c" into a NULL-terminated vector of pointers into `text`. */
static const char **split_commas(char *text)
{
	size_t n = 2;
	const char **v;
	char *save = NULL;
	size_t i = 0;

	for (const char *p = text; *p; p++)
		n += *p == ',';
	v = calloc(n, sizeof(*v));
	if (!v)
		return NULL;
	for (char *s = strtok_r(text, ",", &save); s; s = strtok_r(NULL, ",", &save))
		v[i++] = s;
	return v;
}

enum { OPT_CREATE = 256, OPT_SCOPES, OPT_TAG };

static const struct fe_opt create_opts[] = {
	{ "create", OPT_CREATE, FE_NONE, NULL, NULL },
	{ "scopes", OPT_SCOPES, FE_VALUE, NULL, NULL },
	{ "tag", OPT_TAG, FE_VALUE, NULL, NULL },
	{ NULL, 0, 0, NULL, NULL },
};

struct create_args {
	char **scope_text;
	const char **tags;
	size_t *ntags;
};

static int on_create_opt(struct fe *fe, void *ctx, int key, const char *v)
{
	struct create_args *a = ctx;

	if (key == OPT_SCOPES) {
		free(*a->scope_text);
		*a->scope_text = strdup(v);
		if (!*a->scope_text) {
			return fe_oom(fe);
		}
	} else if (key == OPT_TAG) {
		a->tags[(*a->ntags)++] = v;
	} else if (key != OPT_CREATE) {
		return fe_usage_error(fe, "api-key --create", "unexpected argument '%s'", v);
	}
	return 0;
}

int cli_cmd_api_key_create(struct cli *cli, int argc, char **argv)
{
	const char **scopes = NULL, **tags = NULL;
	char *scope_text = NULL;
	aa_secret *key = NULL;
	aa_error err;
	size_t ntags = 0;
	int code = FE_GO_ON;

	struct create_args ca;

	tags = calloc((size_t)argc + 1, sizeof(*tags));
	ca = (struct create_args){ .scope_text = &scope_text, .tags = tags, .ntags = &ntags };
	if (tags)
		code = cli_parse(cli, create_usage, create_opts, argc, argv, on_create_opt, &ca);
	if (!tags)
		code = fe_oom(&cli->fe);
	if (code == FE_GO_ON && scope_text && !(scopes = split_commas(scope_text)))
		code = fe_oom(&cli->fe);
	if (code == FE_GO_ON) {
		aa_error_clear(&err);
		if (aa_api_key_create(cli->cfg, NULL, scopes, ntags ? tags : NULL, &key, &err) != AA_OK) {
			code = cli_fail_err(cli, &err);
		} else {
			printf("%s\n", aa_secret_str(key));
			code = fflush(stdout) == 0 ? AA_EXIT_OK
						   : cli_fail(cli, AA_ERR_GENERIC, "cannot write to stdout");
		}
	}
	aa_secret_free(key);
	free(scopes);
	free(scope_text);
	free(tags);
	return code;
}

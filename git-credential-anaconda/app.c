/* SPDX-License-Identifier: BSD-3-Clause */
/* app.c - options, dispatch and output of git-credential-anaconda. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "actions.h"
#include "app.h"
#include "configure.h"
#include "hosts.h"
#include "fe.h"
#include "internal.h"
#include "util/aa_util.h"
#include "protocol.h"
#include "terminal_login.h"

static const char usage_text[] =
"usage: git-credential-anaconda [--domain D] [--at SITE] [--host H]... [--username U] [--login] <action>\n"
"       git-credential-anaconda configure [--by-name] [--global|--system|--file F] [--domain D]\n"
"                                         [--host H]...\n"
"       git-credential-anaconda unconfigure [--global|--system|--file F] [--domain D] [--host H]...\n"
"\n"
"A git credential helper that gives git the Anaconda API key stored by\n"
"'anaconda-auth login'. Enable it with 'git-credential-anaconda configure'\n"
"(a plain credential.helper line would let helpers such as 'store' write the\n"
"key to disk in plain text).\n"
"\n"
"Actions (git names them last; protocol on stdin/stdout, see gitcredentials(7)):\n"
"  get          print username/password (or authtype=Bearer + credential when git\n"
"               sends capability[]=authtype) and password_expiry_utc for the hosts served\n"
"  store        keep a well-formed, unexpired Anaconda API key git approved, only\n"
"               when no valid key is stored, and say so on stderr; a valid stored key\n"
"               is never replaced (a key from a URL is ignored, with a notice)\n"
"  erase        delete the stored key, only when git's password equals it\n"
"  capability   print the capabilities this helper understands\n"
"  configure    write host-scoped credential.https://<host>.helper entries (an empty\n"
"               reset line, then this program's absolute path) for the domain and\n"
"               each --host; git then runs it directly, without a second git\n"
"  unconfigure  remove those entries again (by path or by name), and the wider\n"
"               ones earlier versions wrote\n"
"Other actions are ignored (exit 0, no output).\n"
"\n"
"Options:\n"
"  --domain D    the domain whose key is given, and the one host served by default\n"
"                (default: ANACONDA_AUTH_DOMAIN or anaconda.com)\n"
"  --at SITE     take the settings of [sites.SITE] in ~/.anaconda/config.toml (a name\n"
"                or a domain); configure writes that site's domain as --domain\n"
"  --host H      also serve H (host[:port], exactly: no subdomains); repeatable\n"
"  --username U  username to give git (default: the stored one, else \"anaconda\")\n"
"  --login       with no valid key and a terminal, run 'anaconda-auth login --device'\n"
"                on /dev/tty first (never without a terminal or with GIT_TERMINAL_PROMPT=0)\n"
"  --by-name     configure writes the name 'anaconda' instead of the path, for\n"
"                setups where the program moves (git finds it on PATH; ~1 ms slower).\n"
"                Also used, with a warning, when the path is unusable in git's shell\n"
"                command (spaces, quotes, $ and the like)\n"
"  --global, --system, --file F   where configure/unconfigure write (default --global)\n"
"  -h, --help    this help;  -V, --version  the version\n"
"\n"
"Only https to exactly those hosts (port 443 = no port) is answered. ./.env is\n"
"never read.\n"
"\n"
"Exit codes: 0 ok (also: not a host served, no key, a key not stored, unknown action),\n"
"  1 error (malformed input from git, git config failed), 2 usage,\n"
"  3 the key was refused or the login did not finish, 4 key expired,\n"
"  6 key storage error.\n";

/* More --host names than anyone serves; a longer list is a usage error. */
#define GCA_MAX_HOSTS 32

struct options {
	const char *domain;
	const char *at;     /* --at: a site of config.toml */
	const char *hosts[GCA_MAX_HOSTS + 1]; /* NULL-terminated --host names */
	size_t n_hosts;
	const char *username;
	int login;
	const char *action;
	int rest;           /* index of the action in argv */
};

/* The kit's view of this program: no -v, no setting flags (./.env is never read). */
static struct fe gca_fe = { .prog = GCA_PROG, .version = AA_VERSION, .no_verbose = 1 };

/* Add a --host value; returns 0 to go on, else the exit code. */
static int add_host(struct options *o, const char *cmd, const char *host)
{
	if (!gca_host_valid(host))
		return fe_usage_error(&gca_fe, cmd, "--host needs a plain host[:port], not '%s'", host);
	if (o->n_hosts == GCA_MAX_HOSTS)
		return fe_usage_error(&gca_fe, cmd, "too many --host options; the limit is 32, at '%s'",
				      host);
	o->hosts[o->n_hosts++] = host;
	o->hosts[o->n_hosts] = NULL;
	return 0;
}

enum { OPT_DOMAIN = 256, OPT_HOST, OPT_USERNAME, OPT_LOGIN, OPT_BY_NAME, OPT_GLOBAL,
       OPT_SYSTEM, OPT_FILE, OPT_AT };

static const struct fe_opt main_opts[] = {
	{ "domain", OPT_DOMAIN, FE_VALUE, NULL, NULL },
	{ "at", OPT_AT, FE_VALUE, NULL, NULL },
	{ "host", OPT_HOST, FE_VALUE, NULL, NULL },
	{ "username", OPT_USERNAME, FE_VALUE, NULL, NULL },
	{ "login", OPT_LOGIN, FE_NONE, NULL, NULL },
	{ NULL, 0, 0, NULL, NULL },
};

static int on_main_opt(struct fe *fe, void *ctx, int key, const char *v)
{
	struct options *o = ctx;

	(void)fe;
	switch (key) {
	case OPT_DOMAIN: o->domain = v; break;
	case OPT_AT: o->at = v; break;
	case OPT_USERNAME: o->username = v; break;
	case OPT_LOGIN: o->login = 1; break;
	default: return add_host(o, NULL, v);
	}
	return 0;
}

/* Options up to the action (git: "[options] get|store|erase"); FE_GO_ON to go on, else the exit code. */
static int parse_options(int argc, char **argv, struct options *o)
{
	int code;

	memset(o, 0, sizeof(*o));
	code = fe_parse(&gca_fe, NULL, usage_text, main_opts, NULL, argc, argv,
			on_main_opt, o, 1, &o->rest);
	if (code != FE_GO_ON)
		return code;
	if (o->rest >= argc) {
		fputs(usage_text, stderr);
		return AA_EXIT_USAGE;
	}
	o->action = argv[o->rest];
	return FE_GO_ON;
}

static int report_error(aa_status st, const aa_error *err)
{
	fprintf(stderr, "%s: %s\n", GCA_PROG,
		err->message[0] ? err->message : aa_strerror(st));
	return aa_exit_code(st);
}

/* --at picks the site of config.toml, then --domain (as every front-end's flags). */
static aa_status apply_flags(const struct options *o, aa_config *cfg, aa_error *err)
{
	aa_status st = AA_OK;

	if (o->at)
		st = aa_config_set(cfg, "site", o->at, "--at", err);
	if (st == AA_OK && o->domain)
		st = aa_config_set(cfg, "domain", o->domain, "--domain", err);
	return st;
}

static int load_settings_and_domain(const struct options *o, aa_config **cfg,
				    aa_error *err)
{
	/* Helpers run in directories the person does not control: no ./.env. */
	aa_status st = aa_config_load(cfg, 0, err);

	if (st == AA_OK)
		st = apply_flags(o, *cfg, err);
	return st == AA_OK ? FE_GO_ON : report_error(st, err);
}

/*
 * Whether a request could be ours when the settings did not load: the
 * domain is then taken raw from --domain or the environment.
 */
static int request_may_be_ours(const struct options *o, const gca_request *req)
{
	const char *d = o->domain ? o->domain : aa_config_env_domain();

	return gca_host_is_ours(req->protocol, req->host,
				d && *d ? d : AA_DEFAULT_DOMAIN, o->hosts);
}

static int run_get(gca_ctx *ctx, const gca_request *req, aa_error *err)
{
	char *out = NULL;
	size_t len = 0;
	aa_status st = gca_get(ctx, req, &out, &len, err);
	int code = AA_EXIT_OK;

	if (out && aa_write_all(1, out, len) < 0)
		code = AA_EXIT_ERROR; /* git went away; nothing to tell anyone */
	aa_free_secret_str(out);
	if (st == AA_ERR_NOT_FOUND) {
		report_error(st, err);
		return AA_EXIT_OK; /* "no key" is an answer, not a failure */
	}
	return st == AA_OK ? code : report_error(st, err);
}

static int run_store(gca_ctx *ctx, const gca_request *req, aa_error *err)
{
	gca_store_result res;
	aa_status st = gca_store(ctx, req, &res, err);

	if (st != AA_OK)
		return report_error(st, err);
	/* Never the key itself: its account (JWT sub) or a short hash. */
	if (res.outcome == GCA_STORE_KEPT)
		fprintf(stderr, "%s: ignored the key git offered for %s: a valid Anaconda "
			"API key is already stored (to use another key or account run: "
			"anaconda-auth login)\n", GCA_PROG, req->host);
	else if (res.outcome == GCA_STORE_STORED)
		fprintf(stderr, "%s: stored the API key git used for %s (account %s); "
			"run 'anaconda-auth login' to use another account\n",
			GCA_PROG, req->host, res.account);
	return AA_EXIT_OK;
}

static int run_erase(gca_ctx *ctx, const gca_request *req, aa_error *err)
{
	int erased = 0;
	aa_status st = gca_erase(ctx, req, &erased, err);

	if (st != AA_OK)
		return report_error(st, err);
	if (erased)
		fprintf(stderr, "%s: %s refused the stored Anaconda API key, so it was "
			"removed (run: anaconda-auth login)\n", GCA_PROG, req->host);
	return AA_EXIT_OK;
}

static int run_protocol_action(const struct options *o)
{
	aa_config *cfg = NULL;
	gca_request req;
	gca_ctx ctx;
	aa_error err;
	aa_status st;
	int code;

	aa_error_clear(&err);
	/* Malformed input is refused before anything is looked up or stored. */
	st = gca_request_read(0, &req, &err);
	if (st != AA_OK)
		return report_error(st, &err);
	st = aa_config_load(&cfg, 0, &err);
	if (st == AA_OK)
		st = apply_flags(o, cfg, &err);
	if (st != AA_OK) {
		/* A bad setting is Anaconda's business: other hosts hear nothing. */
		code = request_may_be_ours(o, &req) ? report_error(st, &err) : AA_EXIT_OK;
		gca_request_free(&req);
		aa_config_free(cfg);
		return code;
	}
	memset(&ctx, 0, sizeof(ctx));
	ctx.cfg = cfg;
	ctx.hosts = o->hosts;
	ctx.username = o->username;
	ctx.login = o->login;
	ctx.run_login = gca_terminal_login;
	ctx.now = time(NULL);
	if (!strcmp(o->action, "get")) {
		code = run_get(&ctx, &req, &err);
	} else if (!strcmp(o->action, "store")) {
		code = run_store(&ctx, &req, &err);
	} else {
		code = run_erase(&ctx, &req, &err);
	}
	gca_ctx_close(&ctx);
	gca_request_free(&req);
	aa_config_free(cfg);
	return code;
}

/*
 * The helper command configure writes: this program's absolute path, so git
 * starts it directly instead of through `git credential-anaconda` (one
 * process fewer per request), unless by name was asked for or the path is
 * unusable. NULL means the name; *code is set when that is a failure.
 */
static char *helper_command(int by_name, int *code)
{
	char *why = NULL;
	char *path;

	*code = FE_GO_ON;
	if (by_name)
		return NULL;
	path = gca_configure_own_path(&why);
	if (path && gca_configure_in_build_tree(path))
		fprintf(stderr, "%s: warning: %s is in a build tree, and `make clean` would "
			"break git: install first (the anaconda-auth package, or make install) "
			"and configure with the installed program, or use --by-name\n",
			GCA_PROG, path);
	if (path)
		return path;
	if (!why) {
		*code = fe_oom(&gca_fe);
		return NULL;
	}
	fprintf(stderr, "%s: warning: %s; writing the name 'anaconda' instead, which git "
		"finds on PATH through one more git process (use --by-name to say so)\n",
		GCA_PROG, why);
	free(why);
	return NULL;
}

static const struct fe_opt configure_opts[] = {
	{ "by-name", OPT_BY_NAME, FE_NONE, NULL, NULL },
	{ "global", OPT_GLOBAL, FE_NONE, NULL, NULL },
	{ "system", OPT_SYSTEM, FE_NONE, NULL, NULL },
	{ "file", OPT_FILE, FE_VALUE, NULL, NULL },
	{ "domain", OPT_DOMAIN, FE_VALUE, NULL, NULL },
	{ "at", OPT_AT, FE_VALUE, NULL, NULL },
	{ "host", OPT_HOST, FE_VALUE, NULL, NULL },
	{ NULL, 0, 0, NULL, NULL },
};

/* What configure/unconfigure read from their own options. */
struct configure_args {
	struct options *o;
	gca_configure_opts *co;
	int by_name;
};

static int on_configure_opt(struct fe *fe, void *ctx, int key, const char *v)
{
	struct configure_args *a = ctx;

	switch (key) {
	case OPT_BY_NAME: a->by_name = 1; break;
	case OPT_GLOBAL: a->co->scope = "--global"; break;
	case OPT_SYSTEM: a->co->scope = "--system"; break;
	case OPT_FILE: a->co->scope = "--file"; a->co->file = v; break;
	case OPT_DOMAIN: a->o->domain = v; break;
	case OPT_AT: a->o->at = v; break;
	case OPT_HOST: return add_host(a->o, a->o->action, v);
	default: return fe_usage_error(fe, a->o->action, "unexpected argument '%s'", v);
	}
	return 0;
}

/* configure|unconfigure [--by-name] [--global|--system|--file F] [--domain D] [--host H]...
 * argv[0] is the action. */
static int run_configure(const struct options *given, int argc, char **argv)
{
	gca_configure_opts co = { 0 };
	struct options opts = *given, *o = &opts;
	struct configure_args ca = { .o = o, .co = &co };
	char *helper = NULL;
	aa_config *cfg = NULL;
	aa_error err;
	aa_status st;
	int code;

	code = fe_parse(&gca_fe, o->action, usage_text, configure_opts, NULL,
			argc, argv, on_configure_opt, &ca, 0, NULL);
	if (code != FE_GO_ON)
		return code;
	aa_error_clear(&err);
	code = load_settings_and_domain(o, &cfg, &err);
	if (code != FE_GO_ON) {
		aa_config_free(cfg);
		return code;
	}
	co.domain = aa_config_domain(cfg);
	co.hosts = o->hosts;
	co.git = getenv("GIT_CREDENTIAL_ANACONDA_GIT");
	if (!strcmp(o->action, "configure")) {
		co.helper = helper = helper_command(ca.by_name, &code);
		if (code != FE_GO_ON)
			goto out;
		st = gca_configure(&co, &err);
	} else {
		/* unconfigure removes either form; --by-name changes nothing there */
		st = gca_unconfigure(&co, &err);
	}
	code = st == AA_OK ? AA_EXIT_OK : report_error(st, &err);
out:
	free(helper);
	aa_config_free(cfg);
	return code;
}

static int act_protocol(void *o, int argc, char **argv)
{
	(void)argc, (void)argv; /* git passes nothing after the action */
	return run_protocol_action(o);
}

static int act_configure(void *o, int argc, char **argv)
{
	return run_configure(o, argc, argv);
}

static int act_capability(void *o, int argc, char **argv)
{
	(void)o, (void)argc, (void)argv;
	fputs("version 0\ncapability authtype\n", stdout);
	return AA_EXIT_OK;
}

static const struct fe_cmd actions[] = {
	{ "get", act_protocol, NULL },
	{ "store", act_protocol, NULL },
	{ "erase", act_protocol, NULL },
	{ "configure", act_configure, NULL },
	{ "unconfigure", act_configure, NULL },
	{ "capability", act_capability, NULL },
	{ NULL, NULL, NULL },
};

int gca_main(int argc, char **argv)
{
	const struct fe_cmd *act;
	struct options o;
	int code;

	umask(077);
	aa_forbid_core_dumps(); /* best effort: a refusal changes nothing else */
	code = parse_options(argc, argv, &o);
	if (code != FE_GO_ON)
		return code;
	act = fe_find_cmd(actions, o.action);
	/* Unknown actions are ignored on purpose: git adds new ones over time. */
	return act ? act->run(&o, argc - o.rest, argv + o.rest) : AA_EXIT_OK;
}

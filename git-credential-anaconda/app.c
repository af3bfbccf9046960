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
#include "util/aa_util.h"
#include "protocol.h"
#include "terminal_login.h"

static const char usage_text[] =
"usage: git-credential-anaconda [--domain D] [--host H]... [--username U] [--login] <action>\n"
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
"                (default: ANACONDA_AUTH_DOMAIN or anaconda.cloud)\n"
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
	const char *hosts[GCA_MAX_HOSTS + 1]; /* NULL-terminated --host names */
	size_t n_hosts;
	const char *username;
	int login;
	const char *action;
	int rest;           /* index after the action */
};

static int usage_error(const char *what, const char *arg)
{
	fprintf(stderr, "%s: %s '%s' (see --help)\n", GCA_PROG, what, arg);
	return AA_EXIT_USAGE;
}

/* Add a --host value; returns -1 to go on, else the exit code. */
static int add_host(struct options *o, const char *host)
{
	if (!gca_host_valid(host))
		return usage_error("--host needs a plain host[:port], not", host);
	if (o->n_hosts == GCA_MAX_HOSTS)
		return usage_error("too many --host options; the limit is 32, at", host);
	o->hosts[o->n_hosts++] = host;
	o->hosts[o->n_hosts] = NULL;
	return -1;
}

/* Returns -1 to go on, else the exit code. */
static int parse_options(int argc, char **argv, struct options *o)
{
	const char *host;
	int i, r;

	memset(o, 0, sizeof(*o));
	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
			fputs(usage_text, stdout);
			return AA_EXIT_OK;
		} else if (!strcmp(argv[i], "-V") || !strcmp(argv[i], "--version")) {
			printf("%s %s\n", GCA_PROG, AA_VERSION);
			return AA_EXIT_OK;
		} else if (!strcmp(argv[i], "--login")) {
			o->login = 1;
		} else if ((r = aa_arg_value(argc, argv, &i, "--domain", &o->domain)) ||
			   (r = aa_arg_value(argc, argv, &i, "--username", &o->username))) {
			if (r < 0)
				return usage_error("this option needs a value:", argv[i]);
		} else if ((r = aa_arg_value(argc, argv, &i, "--host", &host))) {
			if (r < 0)
				return usage_error("this option needs a value:", argv[i]);
			if ((r = add_host(o, host)) >= 0)
				return r;
		} else if (argv[i][0] == '-') {
			return usage_error("unknown option", argv[i]);
		} else {
			o->action = argv[i];
			o->rest = i + 1;
			return -1;
		}
	}
	fputs(usage_text, stderr);
	return AA_EXIT_USAGE;
}

static int report(aa_status st, const aa_error *err)
{
	fprintf(stderr, "%s: %s\n", GCA_PROG,
		err->message[0] ? err->message : aa_strerror(st));
	return aa_exit_code(st);
}

static int load_settings(const struct options *o, aa_config *cfg, aa_error *err)
{
	/* Helpers run in directories the person does not control: no ./.env. */
	aa_status st = aa_config_load(cfg, 0, err);

	if (st == AA_OK && o->domain)
		st = aa_config_set(cfg, "domain", o->domain, "--domain", err);
	return st == AA_OK ? -1 : report(st, err);
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
		report(st, err);
		return AA_EXIT_OK; /* "no key" is an answer, not a failure */
	}
	return st == AA_OK ? code : report(st, err);
}

static int run_store(gca_ctx *ctx, const gca_request *req, aa_error *err)
{
	gca_store_result res;
	aa_status st = gca_store(ctx, req, &res, err);

	if (st != AA_OK)
		return report(st, err);
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
		return report(st, err);
	if (erased)
		fprintf(stderr, "%s: %s refused the stored Anaconda API key, so it was "
			"removed (run: anaconda-auth login)\n", GCA_PROG, req->host);
	return AA_EXIT_OK;
}

static int run_protocol_action(const struct options *o)
{
	aa_config cfg;
	gca_request req;
	gca_ctx ctx;
	aa_error err;
	aa_status st;
	int code;

	aa_error_clear(&err);
	memset(&cfg, 0, sizeof(cfg));
	/* Malformed input is refused before anything is looked up or stored. */
	st = gca_request_read(0, &req, &err);
	if (st != AA_OK)
		return report(st, &err);
	st = aa_config_load(&cfg, 0, &err);
	if (st == AA_OK && o->domain)
		st = aa_config_set(&cfg, "domain", o->domain, "--domain", &err);
	if (st != AA_OK) {
		/* A bad setting is Anaconda's business: other hosts hear nothing. */
		code = request_may_be_ours(o, &req) ? report(st, &err) : AA_EXIT_OK;
		gca_request_free(&req);
		aa_config_free(&cfg);
		return code;
	}
	memset(&ctx, 0, sizeof(ctx));
	ctx.cfg = &cfg;
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
	aa_config_free(&cfg);
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

	*code = -1;
	if (by_name)
		return NULL;
	path = gca_configure_own_path(&why);
	if (path)
		return path;
	if (!why) {
		fprintf(stderr, "%s: out of memory\n", GCA_PROG);
		*code = AA_EXIT_ERROR;
		return NULL;
	}
	fprintf(stderr, "%s: warning: %s; writing the name 'anaconda' instead, which git "
		"finds on PATH through one more git process (use --by-name to say so)\n",
		GCA_PROG, why);
	free(why);
	return NULL;
}

/* configure|unconfigure [--by-name] [--global|--system|--file F] [--domain D] [--host H]... */
static int run_configure(const struct options *given, int argc, char **argv)
{
	gca_configure_opts co = { 0 };
	struct options opts = *given, *o = &opts;
	const char *domain = o->domain, *host;
	char *helper = NULL;
	int by_name = 0;
	aa_config cfg;
	aa_error err;
	aa_status st;
	int code, r;

	for (int i = o->rest; i < argc; i++) {
		if (!strcmp(argv[i], "--by-name")) {
			by_name = 1;
		} else if (!strcmp(argv[i], "--global") || !strcmp(argv[i], "--system")) {
			co.scope = argv[i];
		} else if ((r = aa_arg_value(argc, argv, &i, "--file", &co.file))) {
			if (r < 0)
				return usage_error("this option needs a file name:", argv[i]);
			co.scope = "--file";
		} else if ((r = aa_arg_value(argc, argv, &i, "--domain", &domain))) {
			if (r < 0)
				return usage_error("this option needs a value:", argv[i]);
		} else if ((r = aa_arg_value(argc, argv, &i, "--host", &host))) {
			if (r < 0)
				return usage_error("this option needs a value:", argv[i]);
			if ((r = add_host(o, host)) >= 0)
				return r;
		} else {
			return usage_error("unknown argument", argv[i]);
		}
	}
	aa_error_clear(&err);
	memset(&cfg, 0, sizeof(cfg));
	{
		struct options with_domain = *o;

		with_domain.domain = domain;
		code = load_settings(&with_domain, &cfg, &err);
	}
	if (code >= 0) {
		aa_config_free(&cfg);
		return code;
	}
	co.domain = cfg.domain;
	co.hosts = o->hosts;
	co.git = getenv("GIT_CREDENTIAL_ANACONDA_GIT");
	if (!strcmp(o->action, "configure")) {
		co.helper = helper = helper_command(by_name, &code);
		if (code >= 0)
			goto out;
		st = gca_configure(&co, &err);
	} else {
		/* unconfigure removes either form; --by-name changes nothing there */
		st = gca_unconfigure(&co, &err);
	}
	code = st == AA_OK ? AA_EXIT_OK : report(st, &err);
out:
	free(helper);
	aa_config_free(&cfg);
	return code;
}

int gca_main(int argc, char **argv)
{
	struct options o;
	int code;

	umask(077);
	aa_forbid_core_dumps(); /* best effort: a refusal changes nothing else */
	code = parse_options(argc, argv, &o);
	if (code >= 0)
		return code;
	if (!strcmp(o.action, "get") || !strcmp(o.action, "store") ||
	    !strcmp(o.action, "erase"))
		return run_protocol_action(&o);
	if (!strcmp(o.action, "configure") || !strcmp(o.action, "unconfigure"))
		return run_configure(&o, argc, argv);
	if (!strcmp(o.action, "capability")) {
		fputs("version 0\ncapability authtype\n", stdout);
		return AA_EXIT_OK;
	}
	/* Unknown actions are ignored on purpose: git adds new ones over time. */
	return AA_EXIT_OK;
}

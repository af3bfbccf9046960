/* SPDX-License-Identifier: BSD-3-Clause */
/* cmd_sites_edit.c - 'sites add' and 'sites modify': 0.15's flags, secrets read from stdin, never from argv. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd_sites.h"
#include "sites.h"
#include "util/aa_util.h"

#define SECRET_MAX 65536

static const char add_usage[] =
	"usage: anaconda-auth sites add --domain D [--name N] [--default] [options]\n"
	"       anaconda-auth sites modify (--name N | --domain D) [--default] [options]\n"
	"Add a [sites.N] table to config.toml (N defaults to the domain), or change\n"
	"one (found by --name, else by --domain; with both, --domain is the new\n"
	"domain). The first site added becomes default_site, as does one given\n"
	"--default. 'add' also drops a [sites.\"anaconda.com\"] table unless\n"
	"--no-remove-anaconda-com (as 0.15).\n"
	"  --domain D                  the site's domain (host[:port])\n"
	"  --name N                    the site's name\n"
	"  --default                   make it the default site\n"
	"  --api-key -                 read an API key from stdin and store it IN config.toml\n"
	"                              (a key is never taken from the command line)\n"
	"  --ssl-verify, --no-ssl-verify\n"
	"  --use-truststore, --no-use-truststore   verify TLS with the system's trust store\n"
	"  --extra-headers JSON|-      headers for every request, e.g. '{\"X-Team\": \"data\"}';\n"
	"                              '-' reads the JSON from stdin (for header values that are secrets)\n"
	"  --proxy-servers JSON|-      e.g. '{\"https\": \"http://proxy:3128\"}'; a proxy with a user\n"
	"                              name or password only as '-' (the JSON read from stdin)\n"
	"  --client-cert P, --client-cert-key P   client certificate (PEM) and its key\n"
	"  --use-device-flow, --no-use-device-flow\n"
	"  --use-unified-repo-api-key, --no-use-unified-repo-api-key\n"
	"  --remove-anaconda-com, --no-remove-anaconda-com   (add only; default: remove)\n"
	"  -y, --yes                   write without asking\n"
	"  --dry-run                   print the change as a diff and write nothing\n"
	"Without --yes or --dry-run the diff is shown and, on a terminal, confirmed\n"
	"(\"Confirm: [y/N]\"); elsewhere nothing is written (exit 1).\n"
	"Values are checked as the settings check them; every other byte of the\n"
	"file stays as it is. Exit: 0 ok, 1 refused or not written, 2 usage or an\n"
	"invalid value, 6 the file could not be written (it is left as it was).\n";

/* The values a flag can set, in the order they are written (0.15's field order). */
enum slot {
	S_DOMAIN, S_STORAGE, S_AUTH_DOMAIN, S_API_KEY, S_KEYRING, S_SSL_VERIFY,
	S_EXTRA_HEADERS, S_CLIENT_ID, S_REDIRECT_URI, S_OPENID_CONFIG_PATH,
	S_OIDC_HEADERS, S_LOGIN_SUCCESS_PATH, S_LOGIN_ERROR_PATH, S_UNIFIED,
	S_HASH_HOSTNAME, S_PROXY_SERVERS, S_CLIENT_CERT, S_CLIENT_CERT_KEY,
	S_DEVICE_FLOW, N_SLOTS
};

static const struct {
	const char *key;
	enum aa_site_kind kind;
} slots[N_SLOTS] = {
	[S_DOMAIN] = { "domain", AA_SITE_TEXT },
	[S_STORAGE] = { "preferred_token_storage", AA_SITE_TEXT },
	[S_AUTH_DOMAIN] = { "auth_domain_override", AA_SITE_TEXT },
	[S_API_KEY] = { "api_key", AA_SITE_TEXT },
	[S_KEYRING] = { "keyring", AA_SITE_JSON },
	[S_SSL_VERIFY] = { "ssl_verify", AA_SITE_BOOL },
	[S_EXTRA_HEADERS] = { "extra_headers", AA_SITE_JSON },
	[S_CLIENT_ID] = { "client_id", AA_SITE_TEXT },
	[S_REDIRECT_URI] = { "redirect_uri", AA_SITE_TEXT },
	[S_OPENID_CONFIG_PATH] = { "openid_config_path", AA_SITE_TEXT },
	[S_OIDC_HEADERS] = { "oidc_request_headers", AA_SITE_JSON },
	[S_LOGIN_SUCCESS_PATH] = { "login_success_path", AA_SITE_TEXT },
	[S_LOGIN_ERROR_PATH] = { "login_error_path", AA_SITE_TEXT },
	[S_UNIFIED] = { "use_unified_repo_api_key", AA_SITE_BOOL },
	[S_HASH_HOSTNAME] = { "hash_hostname", AA_SITE_BOOL },
	[S_PROXY_SERVERS] = { "proxy_servers", AA_SITE_JSON },
	[S_CLIENT_CERT] = { "client_cert", AA_SITE_TEXT },
	[S_CLIENT_CERT_KEY] = { "client_cert_key", AA_SITE_TEXT },
	[S_DEVICE_FLOW] = { "use_device_flow", AA_SITE_BOOL },
};

/* Flags that are no value of a slot. */
enum {
	O_NAME = 400, O_DEFAULT, O_TRUSTSTORE, O_NO_TRUSTSTORE, O_SSL, O_NO_SSL,
	O_REMOVE_COM, O_NO_REMOVE_COM, O_CONDA_AUTO, O_NO_CONDA_AUTO, O_YES = 'y', O_DRY_RUN = 450,
	/* a slot's flag: O_SLOT + slot; its --no- form: O_NO_SLOT + slot */
	O_SLOT = 500, O_NO_SLOT = 600,
};

#define VALUE(name, slot) { name, O_SLOT + (slot), FE_VALUE, NULL, NULL }
#define BOOL(name, no, slot) { name, O_SLOT + (slot), FE_NONE, NULL, NULL }, \
			     { no, O_NO_SLOT + (slot), FE_NONE, NULL, NULL }

static const struct fe_opt edit_opts[] = {
	VALUE("domain", S_DOMAIN),
	{ "name", O_NAME, FE_VALUE, NULL, NULL },
	{ "default", O_DEFAULT, FE_NONE, NULL, NULL },
	VALUE("api-key", S_API_KEY),
	VALUE("preferred-token-storage", S_STORAGE),
	VALUE("auth-domain-override", S_AUTH_DOMAIN),
	VALUE("keyring", S_KEYRING),
	{ "ssl-verify", O_SSL, FE_NONE, NULL, NULL },
	{ "no-ssl-verify", O_NO_SSL, FE_NONE, NULL, NULL },
	{ "use-truststore", O_TRUSTSTORE, FE_NONE, NULL, NULL },
	{ "no-use-truststore", O_NO_TRUSTSTORE, FE_NONE, NULL, NULL },
	VALUE("extra-headers", S_EXTRA_HEADERS),
	VALUE("client-id", S_CLIENT_ID),
	VALUE("redirect-uri", S_REDIRECT_URI),
	VALUE("openid-config-path", S_OPENID_CONFIG_PATH),
	VALUE("oidc-request-headers", S_OIDC_HEADERS),
	VALUE("login-success-path", S_LOGIN_SUCCESS_PATH),
	VALUE("login-error-path", S_LOGIN_ERROR_PATH),
	BOOL("use-unified-repo-api-key", "no-use-unified-repo-api-key", S_UNIFIED),
	BOOL("hash-host-name", "no-hash-host-name", S_HASH_HOSTNAME),
	VALUE("proxy-servers", S_PROXY_SERVERS),
	VALUE("client-cert", S_CLIENT_CERT),
	VALUE("client-cert-key", S_CLIENT_CERT_KEY),
	BOOL("use-device-flow", "no-use-device-flow", S_DEVICE_FLOW),
	{ "disable-conda-auto-config", O_CONDA_AUTO, FE_NONE, NULL, NULL },
	{ "no-disable-conda-auto-config", O_NO_CONDA_AUTO, FE_NONE, NULL, NULL },
	{ "remove-anaconda-com", O_REMOVE_COM, FE_NONE, NULL, NULL },
	{ "no-remove-anaconda-com", O_NO_REMOVE_COM, FE_NONE, NULL, NULL },
	{ "yes", O_YES, FE_NONE, NULL, NULL },
	{ "dry-run", O_DRY_RUN, FE_NONE, NULL, NULL },
	{ NULL, 0, 0, NULL, NULL },
};

struct edit_opts {
	const char *cmd;            /* "sites add" */
	const char *value[N_SLOTS]; /* NULL: not given */
	char flag[N_SLOTS][40];     /* the flag that gave it: "--extra-headers" */
	const char *name;
	int make_default, remove_com, ssl, truststore; /* -1: not given */
	enum sites_confirm how;
	char *secret;               /* what --api-key - / --keyring - read */
};

static int on_edit_opt(struct fe *fe, void *ctx, int key, const char *v)
{
	struct edit_opts *o = ctx;
	int slot;

	switch (key) {
	case FE_ARG: return fe_usage_error(fe, o->cmd, "unexpected argument '%s'", v);
	case O_NAME: o->name = v; return 0;
	case O_DEFAULT: o->make_default = 1; return 0;
	case O_SSL: o->ssl = 1; return 0;
	case O_NO_SSL: o->ssl = 0; return 0;
	case O_TRUSTSTORE: o->truststore = 1; return 0;
	case O_NO_TRUSTSTORE: o->truststore = 0; return 0;
	case O_REMOVE_COM: o->remove_com = 1; return 0;
	case O_NO_REMOVE_COM: o->remove_com = 0; return 0;
	case O_CONDA_AUTO:
	case O_NO_CONDA_AUTO: /* 0.15 takes it and writes nothing (the setting is gone) */
		fe_reportf(fe, "note: --%sdisable-conda-auto-config is ignored, as in anaconda-auth 0.15",
			   key == O_NO_CONDA_AUTO ? "no-" : "");
		return 0;
	case O_YES: o->how = SITES_YES; return 0;
	case O_DRY_RUN: o->how = SITES_DRY_RUN; return 0;
	default: break;
	}
	slot = key >= O_NO_SLOT ? key - O_NO_SLOT : key - O_SLOT;
	if (key < O_SLOT || slot >= N_SLOTS)
		return 0;
	o->value[slot] = key >= O_NO_SLOT ? "false" :
			 slots[slot].kind == AA_SITE_BOOL ? "true" : v;
	/* errors about the value name the flag that gave it */
	for (const struct fe_opt *f = edit_opts; f->name; f++)
		if (f->key == key)
			snprintf(o->flag[slot], sizeof(o->flag[0]), "--%s", f->name);
	return 0;
}

/* 0.15's rule: --use-truststore means ssl_verify = "truststore". */
static int ssl_value(struct cli *cli, struct edit_opts *o)
{
	if (o->ssl < 0 && o->truststore < 0)
		return 0;
	if (o->ssl == 0 && o->truststore == 1)
		return fe_usage_error(&cli->fe, o->cmd,
				      "--use-truststore and --no-ssl-verify contradict each other");
	o->value[S_SSL_VERIFY] = o->truststore == 1 ? "truststore" : o->ssl == 0 ? "false" : "true";
	snprintf(o->flag[S_SSL_VERIFY], sizeof(o->flag[0]), "%s",
		 o->truststore == 1 ? "--use-truststore" : o->ssl == 0 ? "--no-ssl-verify" :
		 "--ssl-verify");
	return 0;
}

/* What a flag reads when given '-': the prompt, and whether argv may hold it instead. */
struct stdin_flag {
	const char *flag, *what, *prompt;
	enum slot slot;
	int argv_ok;
};

static const struct stdin_flag stdin_flags[] = {
	{ "--api-key", "API key", "API key: ", S_API_KEY, 0 },
	{ "--keyring", "keyring JSON", "Keyring JSON: ", S_KEYRING, 0 },
	{ "--extra-headers", "headers JSON", "Headers JSON: ", S_EXTRA_HEADERS, 1 },
	{ "--proxy-servers", "proxy JSON", "Proxy servers JSON: ", S_PROXY_SERVERS, 1 },
	{ "--oidc-request-headers", "headers JSON", "Headers JSON: ", S_OIDC_HEADERS, 1 },
};

/*
 * A value in argv is visible to every user (ps, /proc): secrets come from
 * stdin. A proxy URL with user@ or user:password@ is such a secret; plain
 * proxy and header maps may still be given inline.
 */
static int refuse_in_argv(struct cli *cli, const struct edit_opts *o, const struct stdin_flag *f)
{
	if (f->argv_ok && !(f->slot == S_PROXY_SERVERS && aa_sites_proxy_has_userinfo(o->value[f->slot])))
		return 0;
	return fe_usage_error(&cli->fe, o->cmd,
			      "%s %s from the command line (other users see it there); pipe it in: printf '%%s\\n' \"$VALUE\" | anaconda-auth %s ... %s - --yes",
			      f->flag, f->argv_ok ? "does not take a proxy user name or password" :
			      "takes '-' and reads the value from stdin, never", o->cmd, f->flag);
}

/* JSON piped in may be pretty-printed: all of stdin, not one line (a terminal gives one line). */
static int read_json(const char *prompt, char *buf, size_t size)
{
	size_t n;

	if (isatty(STDIN_FILENO))
		return cli_read_line(prompt, buf, size);
	n = fread(buf, 1, size - 1, stdin);
	buf[n] = '\0';
	if (n == size - 1)
		return -1;
	while (n && (buf[n - 1] == '\n' || buf[n - 1] == '\r'))
		buf[--n] = '\0';
	return 0;
}

/* One flag given as '-': its value is what stdin holds (only one flag may read it). */
static int read_from_stdin(struct cli *cli, struct edit_opts *o, const struct stdin_flag *f)
{
	if (strcmp(o->value[f->slot], "-") != 0)
		return refuse_in_argv(cli, o, f);
	if (o->secret)
		return fe_usage_error(&cli->fe, o->cmd,
				      "only one of --api-key, --keyring, --extra-headers, --oidc-request-headers and --proxy-servers can read stdin");
	o->secret = malloc(SECRET_MAX + 2);
	if (!o->secret)
		return cli_fail(cli, AA_ERR_NOMEM, "out of memory");
	if ((f->slot == S_API_KEY ? cli_read_line(f->prompt, o->secret, SECRET_MAX + 2) :
	     read_json(f->prompt, o->secret, SECRET_MAX + 2)) < 0)
		return cli_fail(cli, AA_ERR_USAGE, "%s: what stdin holds is longer than %d bytes",
				f->flag, SECRET_MAX);
	if (!o->secret[0])
		return cli_fail(cli, AA_ERR_USAGE, "%s -: nothing on stdin; pipe the %s in", f->flag,
				f->what);
	o->value[f->slot] = o->secret;
	return 0;
}

static int read_values_from_stdin(struct cli *cli, struct edit_opts *o)
{
	int code = 0;

	for (size_t i = 0; !code && i < sizeof(stdin_flags) / sizeof(stdin_flags[0]); i++)
		if (o->value[stdin_flags[i].slot])
			code = read_from_stdin(cli, o, &stdin_flags[i]);
	return code;
}

/* The values given, in slot order; *n gets their number. */
static size_t collect(const struct edit_opts *o, struct aa_site_value *v, int skip_domain)
{
	size_t n = 0;

	for (size_t i = 0; i < N_SLOTS; i++) {
		if (!o->value[i] || (i == S_DOMAIN && skip_domain))
			continue;
		v[n++] = (struct aa_site_value){ slots[i].key, o->value[i],
						 !strcmp(o->value[i], "truststore") ? AA_SITE_TEXT :
						 slots[i].kind, o->flag[i] };
	}
	return n;
}

/* The warnings 0.15 prints before a secret goes into the file. */
static void warn_secrets(const struct cli *cli, const struct edit_opts *o,
			 const struct aa_sites *s)
{
	if (o->value[S_API_KEY])
		fe_reportf(&cli->fe, "warning: your API key will be stored in %s and may not be secure",
			   aa_sites_shown(s));
	if (o->value[S_KEYRING])
		fe_reportf(&cli->fe, "warning: your keyring contents will be stored in %s and may not be secure",
			   aa_sites_shown(s));
}

static int edit(struct cli *cli, int argc, char **argv, int adding)
{
	struct edit_opts o = { .cmd = adding ? "sites add" : "sites modify", .make_default = 0,
			       .remove_com = 1, .ssl = -1, .truststore = -1, .how = SITES_ASK };
	struct aa_site_value v[N_SLOTS];
	struct aa_sites *s = NULL;
	aa_error err;
	size_t n;
	int code = fe_parse(&cli->fe, o.cmd, add_usage, edit_opts, NULL, argc, argv,
			    on_edit_opt, &o, 0, NULL);

	if (code != FE_GO_ON)
		return code; /* --help, or a usage error */
	code = ssl_value(cli, &o);
	if (!code && adding && !o.value[S_DOMAIN])
		code = fe_usage_error(&cli->fe, o.cmd, "give at least --domain to add a site");
	if (!code && !adding && !o.value[S_DOMAIN] && !o.name)
		code = fe_usage_error(&cli->fe, o.cmd,
				      "give --name or --domain to choose the site to change");
	if (!code)
		code = read_values_from_stdin(cli, &o);
	if (!code)
		code = sites_open(cli, &s);
	if (!code) {
		warn_secrets(cli, &o, s);
		/* modify --domain D alone finds the site by D and leaves it as it is */
		n = collect(&o, v, !adding && !o.name);
		aa_error_clear(&err);
		if ((adding ? aa_sites_add(s, o.name, v, n, o.make_default, o.remove_com, &err) :
			      aa_sites_modify(s, o.name ? o.name : o.value[S_DOMAIN], v, n,
					      o.make_default, &err)) != AA_OK) {
			code = cli_fail_err(cli, &err);
			aa_sites_free(s);
		} else {
			code = sites_finish(cli, s, o.how);
		}
	}
	if (o.secret) {
		aa_memzero(o.secret, SECRET_MAX + 2);
		free(o.secret);
	}
	return code;
}

int cli_cmd_sites_add(struct cli *cli, int argc, char **argv)
{
	return edit(cli, argc, argv, 1);
}

int cli_cmd_sites_modify(struct cli *cli, int argc, char **argv)
{
	return edit(cli, argc, argv, 0);
}

/* SPDX-License-Identifier: BSD-3-Clause */
/* netrc_cmd.c - `netrc`: export the API key as .netrc entries, or merge them into a .netrc file. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "conda_helper.h"
#include "file.h"
#include "util/aa_util.h"
#include "netrc.h"
#include "select.h"

#define MAX_HOSTS 32

struct netrc_opts {
	const char *hosts;  /* comma-separated, or NULL for the defaults */
	const char *login;
	const char *file;
	int write;
};

static const char netrc_usage[] =
	"usage: " CH_PROG " netrc [--hosts H,...] [--login NAME] [--write [--file PATH]]\n"
	"Print 'machine HOST login NAME password KEY' lines for the stored API key, or with\n"
	"--write replace just those hosts' entries in $NETRC (else ~/.netrc), keeping every\n"
	"other line. Hosts default to the repo host and the domain's host, each written\n"
	"exactly as named (no aliases, no subdomains). .netrc has no scheme or port: an\n"
	"entry is used for every port of its host, plain http too (a note says so when a\n"
	"port or scheme is dropped).\n";

enum { OPT_WRITE = 256, OPT_HOSTS, OPT_LOGIN, OPT_FILE };

static const struct fe_opt netrc_opts[] = {
	{ "write", OPT_WRITE, FE_NONE, NULL, NULL },
	{ "hosts", OPT_HOSTS, FE_VALUE, NULL, NULL },
	{ "login", OPT_LOGIN, FE_VALUE, NULL, NULL },
	{ "file", OPT_FILE, FE_VALUE, NULL, NULL },
	CH_COMMON_OPTS,
};

static int on_netrc_opt(struct fe *fe, void *ctx, int key, const char *v)
{
	struct netrc_opts *o = ctx;

	switch (key) {
	case OPT_WRITE: o->write = 1; break;
	case OPT_HOSTS: o->hosts = v; break;
	case OPT_LOGIN: o->login = v; break;
	case OPT_FILE: o->file = v; break;
	default: return fe_usage_error(fe, "netrc", "unexpected argument '%s'", v);
	}
	return 0;
}

static int parse_netrc_args(struct ch *ch, int argc, char **argv, struct netrc_opts *o)
{
	int code = ch_parse(ch, "netrc", netrc_usage, netrc_opts, argc, argv, on_netrc_opt, o);

	if (code != FE_GO_ON)
		return code;
	if (o->file && !o->write)
		return ch_usage_error("--file only makes sense with --write");
	return FE_GO_ON;
}

struct host_list {
	char *v[MAX_HOSTS];
	size_t n;
};

static void hosts_free(struct host_list *h)
{
	for (size_t i = 0; i < h->n; i++)
		free(h->v[i]);
	h->n = 0;
}

/*
 * 1 when input names a scheme other than https or a port other than 443.
 * A .netrc entry has neither, so the one written for its host covers more
 * than was asked for; the person is told.
 */
static int names_scheme_or_port(const char *input)
{
	const char *p = input, *sep = strstr(p, "://"), *end, *at, *colon;

	if (sep && (size_t)(sep - p) < strcspn(p, "/")) {
		if (sep - p != 5 || strncasecmp(p, "https", 5))
			return 1;
		p = sep + 3;
	}
	end = p + strcspn(p, "/?#");
	for (at = end; at > p && at[-1] != '@'; at--)
		;
	if (*at == '[') {
		const char *close = memchr(at, ']', (size_t)(end - at));

		at = close ? close + 1 : end;
	}
	colon = memchr(at, ':', (size_t)(end - at));
	return colon && (end - colon != 4 || strncmp(colon + 1, "443", 3));
}

static aa_status hosts_add(struct host_list *h, const char *input, aa_error *err)
{
	char *host = ch_netrc_host_normalize(input, err);

	if (!host)
		return err->code;
	for (size_t i = 0; i < h->n; i++)
		if (!strcmp(h->v[i], host)) {
			free(host);
			return AA_OK;
		}
	if (names_scheme_or_port(input))
		fprintf(stderr, CH_PROG ": note: .netrc has no scheme or port: the entry for %s "
			"is sent to every port of %s, plain http included\n", host, host);
	if (h->n == MAX_HOSTS) {
		free(host);
		return aa_fail(err, AA_ERR_USAGE, "more than %d hosts; give fewer with --hosts", MAX_HOSTS);
	}
	h->v[h->n++] = host;
	return AA_OK;
}

static aa_status collect_hosts(const struct ch *ch, const char *list, struct host_list *h, aa_error *err)
{
	char *copy, *save = NULL;
	aa_status st = AA_OK;

	if (!list) {
		if ((st = hosts_add(h, ch_repo_url(ch), err)) == AA_OK)
			st = hosts_add(h, aa_config_domain(ch->cfg), err);
		return st;
	}
	if (!(copy = strdup(list)))
		return aa_oom(err);
	for (char *t = strtok_r(copy, ", ", &save); t && st == AA_OK; t = strtok_r(NULL, ", ", &save))
		st = hosts_add(h, t, err);
	free(copy);
	if (st == AA_OK && h->n == 0)
		st = aa_fail(err, AA_ERR_USAGE, "--hosts is empty; give hosts like repo.anaconda.cloud");
	return st;
}

/* The key and the login name to write; the key from the environment wins, as for `get`. */
static aa_status load_key(struct ch *ch, const char *login_flag, aa_secret **key, char **login,
			  aa_error *err)
{
	aa_token_info *info = NULL;
	aa_keyring *kr = NULL;
	aa_jwt_claims claims;
	aa_status st;
	const char *user;
	char what[320];

	if (aa_config_api_key(ch->cfg)) {
		*key = aa_secret_dup(aa_config_api_key(ch->cfg));
	} else {
		if ((st = aa_keyring_open(ch->cfg, &kr, err)) != AA_OK)
			return st;
		aa_keyring_set_log(kr, ch_log, ch);
		st = aa_keyring_get(kr, aa_config_domain(ch->cfg), &info, NULL, err);
		aa_keyring_close(kr);
		if (st == AA_ERR_NOT_FOUND || (st == AA_OK && !info->api_key)) {
			aa_token_info_free(info);
			return aa_fail(err, AA_ERR_NOT_FOUND, "no API key is stored for %s; run: anaconda-auth login",
				       aa_config_domain(ch->cfg));
		}
		if (st != AA_OK)
			return st;
		*key = aa_secret_dup(info->api_key);
	}
	if (!*key) {
		aa_token_info_free(info);
		return aa_oom(err);
	}
	snprintf(what, sizeof(what), "the API key for %s", aa_config_domain(ch->cfg));
	if (aa_check_not_expired(aa_secret_str(*key), time(NULL), what,
				 "run: anaconda-auth login", err) != AA_OK) {
		aa_token_info_free(info);
		return AA_ERR_EXPIRED;
	}
	/* login: the flag, the stored username, the key's subject, else a fixed word */
	memset(&claims, 0, sizeof(claims));
	user = login_flag ? login_flag : info && info->username ? info->username : NULL;
	if (!user && aa_jwt_decode(aa_secret_str(*key), &claims, NULL) == AA_OK && claims.sub)
		user = claims.sub;
	*login = strdup(user ? user : "anaconda");
	aa_jwt_claims_free(&claims);
	aa_token_info_free(info);
	return *login ? AA_OK : aa_oom(err);
}

static char *netrc_path(const char *flag)
{
	const char *env = getenv("NETRC"), *home;

	if (flag)
		return strdup(flag);
	if (env && *env)
		return strdup(env);
	home = ch_home();
	return home ? aa_asprintf("%s/.netrc", home) : NULL;
}

static aa_status write_netrc(const char *path, const struct ch_netrc_cred *creds, size_t n,
			     aa_error *err)
{
	char *old = NULL, *out = NULL;
	size_t old_len = 0, out_len = 0;
	mode_t mode = 0600;
	int owner_ok = 1;
	aa_status st = ch_read_file(path, NETRC_MAX_BYTES, &old, &old_len, &mode, &owner_ok, err);

	if (st == AA_ERR_NOT_FOUND)
		st = AA_OK;
	else if (st == AA_OK && !owner_ok)
		st = aa_fail(err, AA_ERR_STORAGE, "%s file owner does not match current user; refusing to rewrite it", path);
	if (st == AA_OK)
		st = ch_netrc_update(old ? old : "", old_len, creds, n, &out, &out_len, err);
	if (st == AA_OK)
		st = ch_write_file(path, out, out_len, 0600, 0, err);
	if (st == AA_OK && old && (mode & 077))
		fprintf(stderr, CH_PROG ": %s was readable or writable by others; it is now mode 0600\n", path);
	aa_free_secret_str(old);
	aa_free_secret_str(out);
	return st;
}

static int export_entries(const struct netrc_opts *o, const struct ch_netrc_cred *creds, size_t n,
			  aa_error *err)
{
	char *text = NULL, *path;
	size_t len;
	int code;

	if (!o->write) {
		if (ch_netrc_render(creds, n, &text, &len, err) != AA_OK)
			return ch_fail_err(err);
		code = ch_print_secret(text, len);
		aa_free_secret_str(text);
		return code;
	}
	if (!(path = netrc_path(o->file)))
		return ch_fail(AA_ERR_STORAGE, "no home directory; give the file with --file or $NETRC");
	if (write_netrc(path, creds, n, err) != AA_OK)
		code = ch_fail_err(err);
	else {
		fprintf(stderr, CH_PROG ": updated %s (%zu host%s)\n", path, n, n == 1 ? "" : "s");
		code = AA_EXIT_OK;
	}
	free(path);
	return code;
}

int ch_cmd_netrc(void *ctx, int argc, char **argv)
{
	struct ch *ch = ctx;
	struct netrc_opts o = { NULL, NULL, NULL, 0 };
	struct ch_netrc_cred creds[MAX_HOSTS];
	struct host_list hosts = { { NULL }, 0 };
	aa_secret *key = NULL;
	char *login = NULL;
	aa_error err;
	int code = parse_netrc_args(ch, argc, argv, &o);

	if (code != FE_GO_ON)
		return code;
	aa_error_clear(&err);
	if (collect_hosts(ch, o.hosts, &hosts, &err) != AA_OK ||
	    load_key(ch, o.login, &key, &login, &err) != AA_OK) {
		code = ch_fail_err(&err);
	} else {
		for (size_t i = 0; i < hosts.n; i++)
			creds[i] = (struct ch_netrc_cred){ hosts.v[i], login, aa_secret_str(key) };
		code = export_entries(&o, creds, hosts.n, &err);
	}
	hosts_free(&hosts);
	aa_secret_free(key);
	free(login);
	return code;
}

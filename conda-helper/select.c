/* SPDX-License-Identifier: BSD-3-Clause */
/* select.c - conda channel URL -> credential, by the rules of the Python conda plugin. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/aa_util.h"
#include "select.h"

/* aa_fail, with the status visible to the static analyzer as the result */
/* What to do about an expired key, in every message that reports one. */
#define ONE_FIX "run: anaconda-auth login"
#define FAIL(err, code, ...) (aa_fail((err), (code), __VA_ARGS__), (code))

static void lower(char *s)
{
	for (; *s; s++)
		*s = (char)tolower((unsigned char)*s);
}

static int default_port(const char *scheme)
{
	if (!strcmp(scheme, "https"))
		return 443;
	if (!strcmp(scheme, "http"))
		return 80;
	return -1;
}

static aa_status parse_port(const char *p, size_t n, int *port, aa_error *err)
{
	long v = 0;

	if (n == 0 || n > 5)
		return FAIL(err, AA_ERR_USAGE, "the URL has an invalid port; give a number from 1 to 65535");
	for (size_t i = 0; i < n; i++) {
		if (!isdigit((unsigned char)p[i]))
			return FAIL(err, AA_ERR_USAGE, "the URL has an invalid port; give a number from 1 to 65535");
		v = v * 10 + (p[i] - '0');
	}
	if (v < 1 || v > 65535)
		return FAIL(err, AA_ERR_USAGE, "the URL has an invalid port; give a number from 1 to 65535");
	*port = (int)v;
	return AA_OK;
}

/* host[:port] or [v6][:port] from an authority without userinfo. */
static aa_status parse_hostport(const char *a, size_t n, struct ch_url *u, aa_error *err)
{
	size_t hlen;
	const char *host = a, *rest;

	if (n && a[0] == '[') {
		const char *close = memchr(a, ']', n);

		if (!close)
			return FAIL(err, AA_ERR_USAGE, "the URL has an unterminated [IPv6] host; check the channel URL");
		host = a + 1;
		hlen = (size_t)(close - host);
		rest = close + 1;
		for (size_t i = 0; i < hlen; i++)
			if (!isxdigit((unsigned char)host[i]) && host[i] != ':' && host[i] != '.')
				return FAIL(err, AA_ERR_USAGE, "the URL has an invalid IPv6 host; check the channel URL");
	} else {
		const char *colon = memchr(a, ':', n);

		hlen = colon ? (size_t)(colon - a) : n;
		rest = a + hlen;
		for (size_t i = 0; i < hlen; i++)
			if (!aa_host_char((unsigned char)host[i]))
				return FAIL(err, AA_ERR_USAGE, "the URL's host has characters a host name cannot have; check the channel URL");
	}
	if (hlen == 0)
		return FAIL(err, AA_ERR_USAGE, "the URL has no host; give a full URL like https://repo.anaconda.cloud/repo/main");
	if (rest < a + n) {
		if (*rest != ':')
			return FAIL(err, AA_ERR_USAGE, "the URL's host is malformed; check the channel URL");
		aa_status st = parse_port(rest + 1, (size_t)(a + n - rest - 1), &u->port, err);

		if (st != AA_OK)
			return st;
	}
	u->host = strndup(host, hlen);
	if (!u->host)
		return aa_oom(err);
	lower(u->host);
	return AA_OK;
}

static aa_status make_hostport(struct ch_url *u, aa_error *err)
{
	int v6 = strchr(u->host, ':') != NULL;

	if (u->port < 0 || u->port == default_port(u->scheme))
		u->hostport = v6 ? aa_asprintf("[%s]", u->host) : aa_strdup0(u->host);
	else
		u->hostport = aa_asprintf(v6 ? "[%s]:%d" : "%s:%d", u->host, u->port);
	return u->hostport ? AA_OK : aa_oom(err);
}

aa_status ch_url_parse(const char *url, struct ch_url *out, aa_error *err)
{
	const char *sep, *auth, *end, *at, *path_end;
	aa_status st;

	memset(out, 0, sizeof(*out));
	out->port = -1;
	sep = url ? strstr(url, "://") : NULL;
	if (!sep || sep == url)
		return FAIL(err, AA_ERR_USAGE, "'%s' is not a URL; give a full URL like https://repo.anaconda.cloud/repo/main",
			       url ? url : "");
	for (const char *p = url; p < sep; p++)
		if (!isalnum((unsigned char)*p) && *p != '+' && *p != '-' && *p != '.')
			return FAIL(err, AA_ERR_USAGE, "the URL's scheme is malformed; give a full URL like https://repo.anaconda.cloud/repo/main");
	/* urllib3 reads a backslash as a path separator: "https://evil\\@host/" is evil's */
	if (strchr(url, '\\'))
		return FAIL(err, AA_ERR_USAGE, "the URL contains a backslash; check the channel URL");
	out->scheme = strndup(url, (size_t)(sep - url));
	if (!out->scheme)
		return aa_oom(err);
	lower(out->scheme);
	auth = sep + 3;
	end = auth + strcspn(auth, "/?#");
	/* userinfo never selects a credential; the last '@' ends it */
	for (at = end; at > auth && at[-1] != '@'; at--)
		;
	st = parse_hostport(at, (size_t)(end - at), out, err);
	if (st == AA_OK)
		st = make_hostport(out, err);
	if (st != AA_OK) {
		ch_url_free(out);
		return st;
	}
	path_end = end + strcspn(end, "?#");
	out->path = path_end > end ? strndup(end, (size_t)(path_end - end)) : strdup("/");
	if (!out->path) {
		ch_url_free(out);
		return aa_oom(err);
	}
	return AA_OK;
}

void ch_url_free(struct ch_url *u)
{
	if (!u)
		return;
	free(u->scheme);
	free(u->host);
	free(u->hostport);
	free(u->path);
	memset(u, 0, sizeof(*u));
	u->port = -1;
}

int ch_cred_type_parse(const char *s)
{
	if (!s)
		return -1;
	if (!strcmp(s, "api-key") || !strcmp(s, "api_key"))
		return CH_CRED_API_KEY;
	if (!strcmp(s, "repo-token") || !strcmp(s, "repo_token"))
		return CH_CRED_REPO_TOKEN;
	return -1;
}

char *ch_repo_org(const char *path, const char *base_path)
{
	size_t blen = strlen(base_path), n;
	const char *seg;

	/* "/repo" and "/repo/" name the same base */
	while (blen && base_path[blen - 1] == '/')
		blen--;
	if (strncmp(path, base_path, blen) || path[blen] != '/')
		return NULL;
	seg = path + blen + 1;
	n = strcspn(seg, "/");
	return n ? strndup(seg, n) : NULL;
}

/* Is the URL under the base: same scheme and host[:port], path prefix on a segment boundary. */
static int under_base(const struct ch_url *u, const struct ch_url *base)
{
	size_t blen = strlen(base->path);

	while (blen && base->path[blen - 1] == '/')
		blen--;
	return !strcmp(u->scheme, base->scheme) && !strcmp(u->hostport, base->hostport) &&
	       !strncmp(u->path, base->path, blen) &&
	       (u->path[blen] == '/' || u->path[blen] == '\0');
}

/*
 * Only the configured domain's own host[:port] is served: its legacy
 * aliases (anaconda.com, the login host id.anaconda.cloud) are names under
 * which a key may be *stored*, not hosts a key may be *sent* to.
 */
static int is_configured_domain(const char *hostport, const char *domain)
{
	return domain && *domain && !strcasecmp(hostport, domain);
}

/* Does name (an auth_domain override) name the configured domain's entry? */
static int names_domain(const char *name, const char *domain)
{
	const char *one[2];
	const char *const *names;

	if (!domain || !*domain)
		return 0;
	names = aa_domain_aliases(domain, one);
	for (; names && *names; names++)
		if (!strcasecmp(name, *names))
			return 1;
	return 0;
}

/*
 * Anaconda's repo hosts get the environment key only when the configured
 * domain is Anaconda's own: a key for corp.example is that server's, and
 * sending it to repo.anaconda.com would hand it to a third party.
 */
static int domain_is_anacondas(const char *domain)
{
	return !domain || !*domain || aa_domain_aliases(domain, NULL) != NULL;
}

/* The rules before any override: (type, keyring domain, org). */
static aa_status map_url(const struct ch_url *u, const struct ch_url *base,
			 const struct ch_select_opts *o, struct ch_target *t)
{
	const char *domain;

	t->served = 1;
	t->keyring = 1;
	if (under_base(u, base)) {
		t->type = CH_CRED_REPO_TOKEN;
		t->org = ch_repo_org(u->path, base->path);
		domain = o->domain;
		if (aa_host_in_list(base->hostport, aa_repo_token_hosts)) {
			domain = AA_REPO_KEY_DOMAIN;
			t->served = domain_is_anacondas(o->domain);
		}
	} else if (aa_host_in_list(u->hostport, aa_repo_token_hosts)) {
		t->type = CH_CRED_REPO_TOKEN;
		t->org = ch_repo_org(u->path, "/repo/");
		domain = AA_REPO_KEY_DOMAIN;
		t->served = domain_is_anacondas(o->domain);
	} else if (aa_host_in_list(u->hostport, aa_repo_api_key_hosts)) {
		t->type = CH_CRED_API_KEY;
		domain = AA_REPO_KEY_DOMAIN;
		t->served = domain_is_anacondas(o->domain);
	} else if (is_configured_domain(u->hostport, o->domain)) {
		t->type = CH_CRED_API_KEY;
		domain = o->domain;
	} else {
		t->type = CH_CRED_API_KEY;
		domain = u->hostport;
		t->served = 0;
		/* anaconda.com, id.anaconda.cloud: names of the account's entry, not its hosts */
		t->keyring = !aa_domain_aliases(u->hostport, NULL);
	}
	/* main-x is the one repo channel that wants the API key (upstream #248) */
	if (t->type == CH_CRED_REPO_TOKEN && t->org && !strcmp(t->org, "main-x"))
		t->type = CH_CRED_API_KEY;
	t->domain = strdup(domain && *domain ? domain : AA_REPO_KEY_DOMAIN);
	t->host = aa_strdup0(u->hostport);
	return t->domain && t->host ? AA_OK : AA_ERR_NOMEM;
}

aa_status ch_select_target(const char *url, const struct ch_select_opts *o,
			      struct ch_target *out, aa_error *err)
{
	struct ch_url u, base;
	int forced = -1;
	aa_status st;

	memset(out, 0, sizeof(*out));
	if (o->credential_type && (forced = ch_cred_type_parse(o->credential_type)) < 0)
		return FAIL(err, AA_ERR_USAGE, "credential type '%s' is not one of api-key, repo-token",
			       o->credential_type);
	if ((st = ch_url_parse(url, &u, err)) != AA_OK)
		return st;
	if (strcmp(u.scheme, "https")) {
		aa_fail(err, AA_ERR_USAGE, "refusing to send a credential to %s over %s; use an https:// channel URL",
			u.hostport, u.scheme);
		ch_url_free(&u);
		return AA_ERR_USAGE;
	}
	if ((st = ch_url_parse(o->repo_url ? o->repo_url : CH_DEFAULT_REPO_URL, &base, err)) != AA_OK) {
		ch_url_free(&u);
		return FAIL(err, st, "the repo URL '%s' is not a URL; set CONDA_TOKEN_REPO_URL to a URL like %s",
			       o->repo_url, CH_DEFAULT_REPO_URL);
	}
	st = map_url(&u, &base, o, out);
	ch_url_free(&u);
	ch_url_free(&base);
	if (st != AA_OK) {
		ch_target_free(out);
		return FAIL(err, st, "out of memory");
	}
	if (o->use_unified_repo_api_key)
		out->type = CH_CRED_API_KEY;
	if (forced >= 0)
		out->type = (ch_cred_type)forced;
	if (o->auth_domain && *o->auth_domain) {
		/* the person's channel_settings may point a mirror at the domain */
		out->served = names_domain(o->auth_domain, o->domain);
		out->keyring = 1;
		free(out->domain);
		if (!(out->domain = strdup(o->auth_domain))) {
			ch_target_free(out);
			return aa_oom(err);
		}
	}
	return AA_OK;
}

void ch_target_free(struct ch_target *t)
{
	if (!t)
		return;
	free(t->domain);
	free(t->org);
	free(t->host);
	memset(t, 0, sizeof(*t));
}

void ch_credential_free(struct ch_credential *c)
{
	if (!c)
		return;
	aa_secret_free(c->secret);
	free(c->org);
	memset(c, 0, sizeof(*c));
}

static aa_status use_secret(struct ch_credential *out, const char *scheme, const char *kind,
			    const char *source, const aa_secret *s, const char *org,
			    aa_error *err)
{
	out->scheme = scheme;
	out->kind = kind;
	out->source = source;
	out->secret = aa_secret_dup(s);
	out->org = aa_strdup0(org);
	if (!out->secret || (org && !out->org)) {
		ch_credential_free(out);
		return aa_oom(err);
	}
	return AA_OK;
}

/*
 * The channels every subscribed organization's repo token opens (0.15's
 * MAIN_CHANNEL and ACTIVE_CHANNELS): the path names a channel, not an
 * organization, so "--org main" would be wrong advice.
 */
static int is_shared_channel(const char *name)
{
	return !strcmp(name, "main") || !strcmp(name, "r") || !strcmp(name, "msys2");
}

static const aa_repo_token *pick_repo_token(const aa_token_info *info, const char *org)
{
	const aa_repo_token *first = NULL;

	for (size_t i = 0; i < info->n_repo_tokens; i++) {
		const aa_repo_token *rt = &info->repo_tokens[i];

		if (!rt->token || !aa_secret_len(rt->token))
			continue;
		if (org && rt->org_name && !strcmp(rt->org_name, org))
			return rt;
		if (!first)
			first = rt;
	}
	return first;
}

aa_status ch_select_credential(const struct ch_target *t,
				  const aa_token_info *info, const char *env_key,
				  time_t now, struct ch_credential *out,
				  aa_error *err)
{
	const aa_repo_token *rt;
	char whose[320];

	memset(out, 0, sizeof(*out));
	/* the environment key is the configured domain's: only its hosts get it */
	if (env_key && *env_key && t->served) {
		aa_secret *s;
		aa_status st;

		/* upstream: there it pre-empts every other source */
		if ((st = aa_check_not_expired(env_key, now, "the API key in the environment", ONE_FIX, err)) != AA_OK)
			return st;
		if (!(s = aa_secret_from_str(env_key)))
			return aa_oom(err);
		st = use_secret(out, "Bearer", "api-key", "env", s, NULL, err);
		aa_secret_free(s);
		return st;
	}
	if (!t->keyring)
		return FAIL(err, AA_ERR_NOT_FOUND, "%s is not a repo host or the configured domain; its stored key is not sent there",
			       t->host);
	if (!info)
		return FAIL(err, AA_ERR_NOT_FOUND, "no credential is stored for %s; run: anaconda-auth login",
			       t->domain);
	if (t->type == CH_CRED_API_KEY && info->api_key && aa_secret_len(info->api_key)) {
		snprintf(whose, sizeof(whose), "the stored API key for %s", t->domain);
		if (aa_check_not_expired(aa_secret_str(info->api_key), now, whose, ONE_FIX, err) != AA_OK)
			return AA_ERR_EXPIRED;
		return use_secret(out, "Bearer", "api-key", "keyring", info->api_key, NULL, err);
	}
	if ((rt = pick_repo_token(info, t->org)) != NULL)
		return use_secret(out, "token", "repo-token", "keyring", rt->token, rt->org_name, err);
	if (t->type == CH_CRED_REPO_TOKEN && t->org && !is_shared_channel(t->org))
		return FAIL(err, AA_ERR_NOT_FOUND, "no repo token is stored for %s; run: conda-credential-anaconda token install --org %s",
			       t->org, t->org);
	if (t->type == CH_CRED_REPO_TOKEN)
		return FAIL(err, AA_ERR_NOT_FOUND, "no repo token is stored for %s%s%s; run: conda-credential-anaconda "
			       "token install (any of your organizations' tokens opens it)",
			       t->org ? "the channel " : t->domain, t->org ? t->org : "",
			       t->org ? " of the repository" : "");
	return FAIL(err, AA_ERR_NOT_FOUND, "no API key is stored for %s; run: anaconda-auth login", t->domain);
}

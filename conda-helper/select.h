/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * select.h - which credential a conda channel URL gets: the rules of the
 * Python anaconda-auth conda plugin, as pure functions over a URL, the
 * settings and a TokenInfo, so every rule is unit-tested without I/O.
 */
#ifndef CONDA_SELECT_H
#define CONDA_SELECT_H

#include <time.h>

#include "anaconda_auth.h"

/* Upstream default of CONDA_TOKEN_REPO_URL. */
#define CH_DEFAULT_REPO_URL "https://repo.anaconda.cloud/repo/"

typedef enum ch_cred_type {
	CH_CRED_API_KEY = 0,    /* Authorization: Bearer <api key>    */
	CH_CRED_REPO_TOKEN = 1, /* Authorization: token <repo token>  */
} ch_cred_type;

/* A URL split into the parts the rules look at. */
struct ch_url {
	char *scheme;   /* lower-case */
	char *host;     /* lower-case, IPv6 without brackets */
	char *hostport; /* host, plus ":port" when not the scheme's default */
	int port;       /* explicit port, or -1 */
	char *path;     /* "/..." without query or fragment; "/" when empty */
};

aa_status ch_url_parse(const char *url, struct ch_url *out, aa_error *err);
void ch_url_free(struct ch_url *u);

/* What the caller knows besides the URL. */
struct ch_select_opts {
	const char *repo_url;        /* repo-token channel base; NULL = default */
	const char *domain;          /* configured domain, host[:port] */
	int use_unified_repo_api_key;
	const char *auth_domain;     /* channel_settings override, or NULL */
	const char *credential_type; /* "api-key" | "repo-token" | NULL */
};

/* Where to look and what to look for. */
struct ch_target {
	ch_cred_type type;
	char *domain;   /* keyring domain to read (aliases are tried too) */
	char *org;      /* org named by the URL under the repo base, or NULL */
	char *host;     /* the URL's host[:port], for binstar tokens */
	int served;     /* a host served for the configured domain: the
			   environment key may go there */
	int keyring;    /* the entry stored under domain may go there */
};

/*
 * Map a channel URL to a target. AA_ERR_USAGE for a URL that is not
 * https://host/... or a bad credential_type.
 */
aa_status ch_select_target(const char *url, const struct ch_select_opts *o,
			      struct ch_target *out, aa_error *err);
void ch_target_free(struct ch_target *t);

/* The credential chosen for a request. */
struct ch_credential {
	const char *scheme;   /* "Bearer" or "token" */
	aa_secret *secret;
	const char *kind;     /* "api-key", "repo-token" or "binstar" */
	const char *source;   /* "env", "keyring" or "binstar" */
	char *org;            /* org of a repo token, may be NULL */
};
void ch_credential_free(struct ch_credential *c);

/*
 * Choose from an environment key (wins over everything, as upstream, but
 * only for a served target) or the stored TokenInfo (may be NULL). An API key is used for an api-key
 * target; otherwise the org's repo token, else the first one.
 * AA_ERR_NOT_FOUND when nothing applies; AA_ERR_EXPIRED when the key that
 * would be sent is known to be expired.
 */
aa_status ch_select_credential(const struct ch_target *t,
				  const aa_token_info *info, const char *env_key,
				  time_t now, struct ch_credential *out,
				  aa_error *err);

/* "api-key" / "repo-token" -> type; -1 for anything else. */
int ch_cred_type_parse(const char *s);

/*
 * The org named by a repo URL path: the first segment after base_path
 * ("/repo/"), or NULL when there is none. Returns a malloc'd string.
 */
char *ch_repo_org(const char *path, const char *base_path);

#endif /* CONDA_SELECT_H */

/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * config_struct.h - the fields of aa_config, for the files of the library
 * and its unit tests only. Front-ends use the getters in anaconda_auth.h, so
 * fields may be added, reordered or removed without an ABI change.
 */
#ifndef AA_CONFIG_STRUCT_H
#define AA_CONFIG_STRUCT_H

#include "anaconda_auth.h"

/* Fields are read-only outside config.c: set them with aa_config_set(). */
struct aa_config {
	char *domain;             /* host[:port], default "anaconda.com"        */
	char *auth_domain;        /* override; NULL means "same as domain"      */
	aa_secret *api_key;       /* from env/.env/flag, NULL if unset           */
	const char *api_key_source; /* name of the variable it came from, or NULL */
	int ssl_verify;           /* 1 verify (default), 0 off                  */
	char *ca_bundle;          /* CA file path when ssl_verify names one     */
	char **extra_headers;     /* "Name: value" strings, NULL-terminated     */
	char *client_id;
	char *redirect_uri;       /* default http://127.0.0.1:8000/auth/oidc    */
	char *openid_config_path; /* default /.well-known/openid-configuration  */
	char *login_success_path; /* default /app/local-login-success           */
	char *login_error_path;   /* default /app/local-login-error             */
	aa_storage storage;       /* preferred_token_storage                    */
	char *keyring_path;       /* expanded; default $HOME/.anaconda/keyring  */
	char *secret_collection;  /* libsecret collection alias; NULL = default */
	int use_device_flow;      /* -1 unset, 0 no, 1 yes                      */
	int use_unified_repo_api_key; /* 0/1                                    */
	char *logging_level;      /* free text, default "WARNING"               */
	long connect_timeout_ms;  /* default 10000                              */
	long timeout_ms;          /* total per request, default 30000           */
	char *notices;            /* lines to show the person (./.env ignored or
				     steering credentials), one per line; NULL if none */
	int hash_hostname;        /* 1 (default): X-Client-Hostname is a hash     */
	char *api_version;        /* sent as Api-Version; NULL = not sent        */
	char **oidc_request_headers; /* "Name: value" for login-service requests,
				     NULL-terminated; NULL = our User-Agent       */
	int auth_domain_from_dotenv; /* 1 when auth_domain came from ./.env      */
	aa_secret *keyring_inline; /* the `keyring` setting: a whole keyring as
				     JSON {service: {domain: base64}}, served
				     read-only; NULL if unset                    */
	const char *keyring_inline_source; /* where it came from (variable or
				     file), or NULL                               */
	char **proxy_servers;     /* key, proxy URL, key, ... NULL-terminated; keys
				     "https", "all://host" ... (requests'); NULL = none */
	char *client_cert;        /* PEM file of a TLS client certificate       */
	char *client_cert_key;    /* its private key; NULL = in client_cert     */
	struct aa_config_state *state; /* the library's: sources, site, origins  */
};

#endif /* AA_CONFIG_STRUCT_H */

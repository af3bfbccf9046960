/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * anaconda_auth.h - the public C API of libanaconda-auth.
 *
 * Read it as the table of contents of the suite: errors, secrets, settings,
 * base64/JWT, TokenInfo, key storage, the authenticated HTTP client and login.
 * Every fallible call returns an aa_status and, when given an aa_error, fills
 * it with one sentence a person can act on. No message ever holds a secret.
 *
 * Ownership follows the names: what *_new / *_open / *_load / *_decode
 * returns, the matching *_free / *_close releases.
 */
#ifndef ANACONDA_AUTH_H
#define ANACONDA_AUTH_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(AA_BUILDING_LIBRARY)
#define AA_API __attribute__((visibility("default")))
#else
#define AA_API
#endif

/* From the top-level VERSION file (tests/version/check_version.py keeps them equal). */
#define AA_VERSION "0.1.0"
#define AA_VERSION_MAJOR 0
#define AA_VERSION_MINOR 1
#define AA_VERSION_PATCH 0

/* ------------------------------------------------------------------ */
/* Errors                                                               */
/* ------------------------------------------------------------------ */

typedef enum aa_status {
	AA_OK = 0,
	AA_ERR_GENERIC,        /* anything not covered below                  */
	AA_ERR_USAGE,          /* bad argument or invalid setting             */
	AA_ERR_NOMEM,          /* out of memory                               */
	AA_ERR_PARSE,          /* malformed input: file, JSON, key, protocol  */
	AA_ERR_NOT_FOUND,      /* no such entry / no key stored               */
	AA_ERR_EXPIRED,        /* the API key has expired                     */
	AA_ERR_LOGIN_REQUIRED, /* server said 401/403 and no key was sent     */
	AA_ERR_AUTH,           /* server said 401/403 to the key we sent      */
	AA_ERR_DENIED,         /* the person refused the login                */
	AA_ERR_TIMEOUT,        /* a deadline passed                           */
	AA_ERR_NETWORK,        /* connect, DNS, TLS, proxy failure            */
	AA_ERR_SERVER,         /* non-2xx (not 401/403), bad or truncated body */
	AA_ERR_STORAGE,        /* keyring unreadable, unsafe, locked, full     */
	AA_ERR_READONLY,       /* the backend cannot be written (env)         */
	AA_ERR_UNSUPPORTED,    /* server or build lacks a feature             */
} aa_status;

/* One error: the status plus a sentence for a person (never a secret). */
typedef struct aa_error {
	aa_status code;
	char message[512];
} aa_error;

/* A short, fixed description of a status ("key expired"). */
AA_API const char *aa_strerror(aa_status code);

/*
 * The documented process exit code for a status, shared by every binary:
 * 0 ok, 1 error, 2 usage, 3 not logged in (no key / 401 / 403),
 * 4 key expired, 5 network or server, 6 storage.
 */
enum {
	AA_EXIT_OK = 0,
	AA_EXIT_ERROR = 1,
	AA_EXIT_USAGE = 2,
	AA_EXIT_NOT_LOGGED_IN = 3,
	AA_EXIT_EXPIRED = 4,
	AA_EXIT_NETWORK = 5,
	AA_EXIT_STORAGE = 6,
};
AA_API int aa_exit_code(aa_status code);

/* Reset an error to AA_OK with an empty message. */
AA_API void aa_error_clear(aa_error *err);

/* ------------------------------------------------------------------ */
/* Secrets                                                              */
/* ------------------------------------------------------------------ */

/*
 * A secret buffer: every copy of a key or token lives in one. The bytes
 * are NUL-terminated for convenience and wiped (explicit_bzero) on free.
 */
typedef struct aa_secret aa_secret;

AA_API aa_secret *aa_secret_new(const char *bytes, size_t len);
AA_API aa_secret *aa_secret_from_str(const char *str);
AA_API aa_secret *aa_secret_dup(const aa_secret *s);
AA_API const char *aa_secret_str(const aa_secret *s);   /* NUL-terminated */
AA_API size_t aa_secret_len(const aa_secret *s);
AA_API int aa_secret_equal(const aa_secret *a, const char *str); /* constant-time */
AA_API void aa_secret_free(aa_secret *s);               /* NULL is fine */

/* Wipe memory the compiler may not optimise away. */
AA_API void aa_memzero(void *p, size_t len);

/* Wipe and free a malloc'd NUL-terminated string that held a secret. */
AA_API void aa_free_secret_str(char *s);

/*
 * For programs that hold keys, first thing in main(): no core dumps
 * (RLIMIT_CORE 0) and not dumpable (PR_SET_DUMPABLE 0: no ptrace or
 * /proc/PID/mem from other processes of the same user), as ssh-agent does.
 * 0, or -1 with errno when either could not be set. Not for libraries
 * loaded into someone else's process (the PAM module does not call it).
 */
AA_API int aa_forbid_core_dumps(void);

/*
 * A fingerprint of a key that is safe to show: the JWT `sub` when the key
 * is a JWT with one, else the first 6 hex digits of its SHA-256 ("sha256:ab12cd").
 * Writes at most out_len bytes, always NUL-terminated.
 */
#define AA_FINGERPRINT_MAX 80
AA_API void aa_fingerprint(const char *key, char *out, size_t out_len);

/* ------------------------------------------------------------------ */
/* Settings                                                             */
/* ------------------------------------------------------------------ */

typedef enum aa_storage {
	AA_STORAGE_FILE = 0,   /* ~/.anaconda/keyring ("anaconda-keyring")   */
	AA_STORAGE_SYSTEM = 1, /* the Secret Service via libsecret ("system") */
} aa_storage;

/*
 * Resolved settings. Fields are read-only for callers; change them with
 * aa_config_set() so every value is validated the same way.
 * Precedence: defaults < ./.env (AA_CONFIG_DOTENV only) < environment
 * (ANACONDA_AUTH_* > ANACONDA_CLOUD_* > ANACONDA_CLOUD_API_* /
 * ANACONDA_CLOUD_AUTH_*) < aa_config_set() calls (flags).
 */
typedef struct aa_config {
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
	/* Added after 0.1.0; new fields go here, at the end. */
	int hash_hostname;        /* 1 (default): X-Client-Hostname is a hash     */
	char *api_version;        /* sent as Api-Version; NULL = not sent        */
	char **oidc_request_headers; /* "Name: value" for login-service requests,
				     NULL-terminated; NULL = our User-Agent       */
	int auth_domain_from_dotenv; /* 1 when auth_domain came from ./.env      */
	char **proxy_servers;     /* key, proxy URL, key, ... NULL-terminated; keys
				     "https", "all://host" ... (requests'); NULL = none */
	char *client_cert;        /* PEM file of a TLS client certificate       */
	char *client_cert_key;    /* its private key; NULL = in client_cert     */
} aa_config;

#define AA_CONFIG_DOTENV 0x1u /* also read ./.env (the CLI does; helpers never) */

/* Fill cfg from defaults, optionally ./.env, then the environment. */
AA_API aa_status aa_config_load(aa_config *cfg, unsigned flags, aa_error *err);

/*
 * Set one field by its setting name ("domain", "ssl_verify", ...) with the
 * same validation as the environment; `origin` names the source for
 * messages (e.g. "--domain"). Used for command-line flags.
 */
AA_API aa_status aa_config_set(aa_config *cfg, const char *field,
			       const char *value, const char *origin,
			       aa_error *err);

/* The auth domain in effect: auth_domain if set, else domain. */
AA_API const char *aa_config_auth_domain(const aa_config *cfg);

AA_API void aa_config_free(aa_config *cfg);

/*
 * Normalise a domain the way the Python package does: strip scheme, path,
 * query and userinfo; keep host[:port]; lower-case the host. Returns a new
 * string, or NULL with err set when nothing usable is left.
 */
AA_API char *aa_domain_normalize(const char *input, aa_error *err);

/* ------------------------------------------------------------------ */
/* base64 and JWT                                                       */
/* ------------------------------------------------------------------ */

/* Standard alphabet with padding. Returns a malloc'd NUL-terminated string. */
AA_API char *aa_base64_encode(const void *data, size_t len);
/* Accepts standard base64 with or without padding; rejects anything else.
 * *out is malloc'd and NUL-terminated (not counted in *out_len). */
AA_API aa_status aa_base64_decode(const char *in, size_t in_len,
				  unsigned char **out, size_t *out_len);
/* URL-safe alphabet, no padding. */
AA_API char *aa_base64url_encode(const void *data, size_t len);
AA_API aa_status aa_base64url_decode(const char *in, size_t in_len,
				     unsigned char **out, size_t *out_len);

/* Claims read from a JWT payload. No signature check, ever. */
typedef struct aa_jwt_claims {
	int has_exp;
	int64_t exp;
	int has_iat;
	int64_t iat;
	char *sub;      /* NULL if absent */
	char **scopes;  /* NULL-terminated; NULL if absent */
} aa_jwt_claims;

/* AA_ERR_PARSE when the text is not header.payload.signature with a JSON
 * object payload. Unknown claims are ignored. */
AA_API aa_status aa_jwt_decode(const char *jwt, aa_jwt_claims *out, aa_error *err);
AA_API void aa_jwt_claims_free(aa_jwt_claims *claims);

typedef enum aa_expiry {
	AA_EXPIRY_VALID = 0,   /* has exp, exp > now            */
	AA_EXPIRY_EXPIRED,     /* has exp, exp <= now           */
	AA_EXPIRY_UNKNOWN,     /* not a JWT, or no exp claim    */
} aa_expiry;

/* Expiry of a key at `now`; *exp_out gets exp when known (may be NULL). */
AA_API aa_expiry aa_key_expiry(const char *key, time_t now, int64_t *exp_out);

/*
 * Shape check for an API key handed to us (login --with-api-key, git store):
 * 1..16384 printable ASCII bytes, no whitespace or quotes.
 * With AA_KEY_REQUIRE_JWT it must also be a JWT with an exp claim.
 * Returns AA_ERR_PARSE (bad shape) or AA_ERR_EXPIRED, else AA_OK.
 */
#define AA_KEY_REQUIRE_JWT 0x1u
AA_API aa_status aa_api_key_check(const char *key, unsigned flags, time_t now,
				  aa_error *err);

/* ------------------------------------------------------------------ */
/* TokenInfo                                                            */
/* ------------------------------------------------------------------ */

typedef struct aa_repo_token {
	char *org_name;     /* may be NULL (legacy entries) */
	aa_secret *token;
} aa_repo_token;

/* The value stored per domain: base64(compact JSON), version 2. */
typedef struct aa_token_info {
	char *domain;
	aa_secret *api_key;       /* NULL when absent */
	char *username;           /* NULL when absent */
	aa_repo_token *repo_tokens;
	size_t n_repo_tokens;
	int version;              /* 2 when we write; what was read otherwise */
} aa_token_info;

AA_API aa_token_info *aa_token_info_new(const char *domain);
AA_API void aa_token_info_free(aa_token_info *info);

/*
 * base64 text -> TokenInfo. Tolerates every historical shape: missing keys,
 * nulls, unknown keys. domain is NULL when the payload has none (the caller
 * knows the keyring name it came from); version is 0 when it has none.
 */
AA_API aa_status aa_token_info_decode(const char *b64, size_t len,
				      aa_token_info **out, aa_error *err);
/* TokenInfo -> base64(compact JSON, nulls omitted, version 2). */
AA_API aa_status aa_token_info_encode(const aa_token_info *info,
				      aa_secret **b64_out, aa_error *err);

AA_API aa_status aa_token_info_set_api_key(aa_token_info *info, const char *key);
/* Replace or add the repo token for org (org unique). */
AA_API aa_status aa_token_info_set_repo_token(aa_token_info *info,
					      const char *org, const char *token);
/* The repo token for org, or NULL. */
AA_API const aa_secret *aa_token_info_get_repo_token(const aa_token_info *info,
						     const char *org);
/* 1 if one was removed, 0 if there was none. */
AA_API int aa_token_info_delete_repo_token(aa_token_info *info, const char *org);
AA_API void aa_token_info_delete_all_repo_tokens(aa_token_info *info);

/* Expiry of info->api_key (AA_EXPIRY_EXPIRED when there is no key). */
AA_API aa_expiry aa_token_info_expiry(const aa_token_info *info, time_t now,
				      int64_t *exp_out);
/* 1 only when the key is known to be expired (or absent); unknown -> 0. */
AA_API int aa_token_expired(const aa_token_info *info, time_t now);

/*
 * Domain aliases: anaconda.cloud, anaconda.com and id.anaconda.cloud name
 * one account. Returns a NULL-terminated static list starting with `domain`
 * itself, then its aliases; a domain outside the family yields just itself
 * (written into `one`, which must hold two pointers).
 */
AA_API const char *const *aa_domain_aliases(const char *domain,
					    const char *one[2]);

/* ------------------------------------------------------------------ */
/* Key storage                                                          */
/* ------------------------------------------------------------------ */

#define AA_KEYRING_SERVICE "Anaconda Cloud"

typedef struct aa_keyring aa_keyring;

/*
 * Open the storage chosen by the settings: the environment key (read-only)
 * in front of the file keyring, or the Secret Service when
 * storage == AA_STORAGE_SYSTEM (with the file as fallback).
 */
AA_API aa_status aa_keyring_open(const aa_config *cfg, aa_keyring **out,
				 aa_error *err);
/* Open just the file keyring at `path` (PAM `store`, tests, migrations). */
AA_API aa_status aa_keyring_open_file(const char *path, aa_keyring **out,
				      aa_error *err);
AA_API void aa_keyring_close(aa_keyring *kr);

/* Verbose diagnostics (fallbacks, chmods) go here; NULL = silent. */
typedef void (*aa_log_fn)(void *ctx, const char *line);
AA_API void aa_keyring_set_log(aa_keyring *kr, aa_log_fn fn, void *ctx);

/* Where a `get` found its entry. */
typedef struct aa_keyring_source {
	const char *backend;  /* "env", "file" or "system" */
	const char *location; /* file path, collection, or variable name */
	char domain[256];     /* the domain (or alias) the entry was stored under */
} aa_keyring_source;

/*
 * Look up `domain`, trying its aliases too. AA_ERR_NOT_FOUND when absent.
 * `src` may be NULL.
 */
AA_API aa_status aa_keyring_get(aa_keyring *kr, const char *domain,
				aa_token_info **out, aa_keyring_source *src,
				aa_error *err);
/* Store the whole entry under info->domain (writable backend only). */
AA_API aa_status aa_keyring_set(aa_keyring *kr, const aa_token_info *info,
				aa_error *err);
/* Store `key` for `domain`, keeping username and repo tokens already there. */
AA_API aa_status aa_keyring_store_api_key(aa_keyring *kr, const char *domain,
					  const char *key, aa_error *err);
/* Delete the entry for domain and its aliases. Absent is AA_OK. */
AA_API aa_status aa_keyring_delete(aa_keyring *kr, const char *domain,
				   aa_error *err);
/*
 * Take `key` out of the entries for domain and its aliases, but only from
 * an entry that still holds exactly that key: a key another process stored
 * meanwhile is kept (git's `erase` of a key a server refused). Repo tokens
 * stay; an entry left with nothing else is deleted. In the file keyring
 * each check and change is one locked read-modify-write; the Secret Service
 * has no such transaction, so there it is a read, a compare and a write.
 * *removed (may be NULL) counts the entries the key was taken from.
 */
AA_API aa_status aa_keyring_forget_api_key(aa_keyring *kr, const char *domain,
					   const char *key, int *removed,
					   aa_error *err);
/*
 * Store `key` for `domain` only when no entry for domain or its aliases
 * holds a valid key (one not expired at `now`; a key whose expiry cannot be
 * read counts as valid): git's `store` of a key that merely worked never
 * replaces the key the person logged in with. The username and repo tokens
 * of the entry are kept. In the file keyring the entry for `domain` is
 * checked and written in one locked read-modify-write, after the aliases
 * are looked at; the Secret Service has no such transaction, so there it is
 * a read, a compare and a write. *stored (may be NULL) is 1 when the key
 * was written, 0 when a valid key was kept.
 */
AA_API aa_status aa_keyring_store_api_key_unless_valid(aa_keyring *kr,
						       const char *domain,
						       const char *key,
						       time_t now, int *stored,
						       aa_error *err);
/*
 * Change the entry stored for domain (or the alias that has one) in one
 * read-modify-write: fn gets the entry (a new, empty one for domain when
 * none is stored), changes it in place and sets *changed; the result is
 * stored. In the file keyring the read, fn and the write happen under the
 * keyring lock, so a concurrent writer's change is never lost; the Secret
 * Service has no such transaction (a read, fn, a write). A damaged entry
 * is an error (AA_ERR_STORAGE) and is left as it is. fn must not use kr.
 */
typedef aa_status (*aa_keyring_update_fn)(aa_token_info *info, void *ctx,
					  int *changed, aa_error *err);
AA_API aa_status aa_keyring_update(aa_keyring *kr, const char *domain,
				   aa_keyring_update_fn fn, void *ctx,
				   aa_error *err);
/*
 * Move the entry for domain (and each alias stored) into storage `to`: from
 * the file keyring into the Secret Service (AA_STORAGE_SYSTEM) or back
 * (AA_STORAGE_FILE). Each value is written to the target, read back and
 * compared, and only then deleted from the source, so it is never in
 * neither; on any failure the source keeps it. *moved (may be NULL) counts
 * the entries moved: 0 with AA_OK means the target already had the key.
 * AA_ERR_NOT_FOUND when neither store has one; AA_ERR_STORAGE when the
 * Secret Service cannot be used (nothing changes).
 */
AA_API aa_status aa_keyring_migrate(const aa_config *cfg, const char *domain,
				    aa_storage to, int *moved, aa_error *err);
/*
 * aa_keyring_migrate with flags. The file side is one read-modify-write
 * under the keyring lock (a concurrent login or token install is never
 * lost). An entry already in the target with a different API key is
 * another account's: without AA_MIGRATE_FORCE nothing moves and the error
 * names both keys by fingerprint; with it the source's entry replaces it.
 * An entry there with the same key (or none) keeps the repo tokens and
 * username only it has. aa_keyring_migrate is this with flags 0.
 */
#define AA_MIGRATE_FORCE 1u
AA_API aa_status aa_keyring_migrate_flags(const aa_config *cfg,
					  const char *domain, aa_storage to,
					  unsigned flags, int *moved,
					  aa_error *err);
/* Domains with an entry in the writable backend. Free with aa_strv_free. */
AA_API aa_status aa_keyring_list_domains(aa_keyring *kr, char ***domains,
					 aa_error *err);
/*
 * Warnings a person should see from this keyring so far (a keyring file
 * readable by others, a corrupt one moved aside, a Secret Service
 * fallback), one per line; NULL when there are none. Also sent to the
 * log callback. Valid until the next call on kr.
 */
AA_API const char *aa_keyring_notice(const aa_keyring *kr);
/* Name and location of the writable backend ("file", path). */
AA_API const char *aa_keyring_backend_name(const aa_keyring *kr);
AA_API const char *aa_keyring_location(const aa_keyring *kr);

/*
 * Parse keyring-file text (JSON {service: {domain: b64}}) and return the
 * entry for domain or an alias. For readers that opened the file
 * themselves (the PAM module). AA_ERR_NOT_FOUND / AA_ERR_PARSE.
 */
AA_API aa_status aa_keyring_file_parse(const char *text, size_t len,
				       const char *domain, aa_token_info **out,
				       aa_error *err);

AA_API void aa_strv_free(char **v);

/* ------------------------------------------------------------------ */
/* Authenticated HTTP client (the C counterpart of BaseClient)          */
/* ------------------------------------------------------------------ */

typedef struct aa_client aa_client;

/*
 * A client for https://<cfg->domain>. cfg is borrowed and must outlive the
 * client. The key (explicit > cfg->api_key > the store) is sent only to
 * cfg->domain and the auth domain, never to other hosts; only https://
 * URLs are accepted. libcurl is initialised on the first request.
 */
AA_API aa_status aa_client_new(const aa_config *cfg, aa_client **out,
			       aa_error *err);
AA_API void aa_client_free(aa_client *c);

/* Defaults to "anaconda-auth-c/" AA_VERSION. */
AA_API aa_status aa_client_set_user_agent(aa_client *c, const char *ua);
/* Sends "Api-Version: v" on every request; NULL removes it. */
AA_API aa_status aa_client_set_api_version(aa_client *c, const char *v);
/* An explicit key wins over the environment and the store. */
AA_API aa_status aa_client_set_api_key(aa_client *c, const char *key);

#define AA_REQ_ANONYMOUS 0x1u  /* never send Authorization */
#define AA_REQ_OIDC 0x2u       /* to the login service: oidc_request_headers too */

/*
 * Where one-line warnings of the HTTP layer go (today: a server whose
 * Min-Api-Version is above the api_version setting, said once per
 * process). NULL, the default, drops them. Set once, before any request.
 */
AA_API void aa_http_set_warn(aa_log_fn fn, void *ctx);

/*
 * Settings structs that callers allocate (aa_request, aa_login_options)
 * start with `version`: set it with the AA_*_INIT macro (or to the
 * AA_*_VERSION of the header you build against), then fill the fields:
 *	aa_request req = AA_REQUEST_INIT;
 *	req.url = "/api/account";
 * New fields are only ever added at the end, with a higher version; the
 * library reads only the fields the caller's version has, so a program
 * built against an older header keeps working. A version the library does
 * not know (0 or newer than its own) is AA_ERR_USAGE.
 */
#define AA_REQUEST_VERSION 1
#define AA_REQUEST_INIT { AA_REQUEST_VERSION, NULL, NULL, NULL, 0, NULL, NULL, NULL, 0 }

typedef struct aa_request {
	unsigned int version;      /* AA_REQUEST_VERSION */
	const char *method;        /* "GET" when NULL */
	const char *url;           /* relative to https://<domain>, or absolute */
	const char *body;          /* may be NULL */
	size_t body_len;
	const char *content_type;  /* e.g. "application/json"; NULL = none */
	const char *const *headers;/* extra "Name: value", NULL-terminated */
	const char *bearer;        /* use this token instead of the API key */
	unsigned flags;            /* AA_REQ_* */
} aa_request;

typedef struct aa_response {
	long status;               /* HTTP status, 0 if none was received */
	char *body;                /* NUL-terminated, may hold NULs */
	size_t body_len;
	char *content_type;        /* may be NULL */
	int sent_auth;             /* 1 if an Authorization header was sent */
} aa_response;

/*
 * Send one request. AA_OK only for 2xx; otherwise a typed error with
 * `resp` still filled when a response arrived: 401/403 give
 * AA_ERR_AUTH (a key was sent) or AA_ERR_LOGIN_REQUIRED (none was);
 * an expired stored key gives AA_ERR_EXPIRED before anything is sent.
 */
AA_API aa_status aa_client_request(aa_client *c, const aa_request *req,
				   aa_response *resp, aa_error *err);
AA_API void aa_response_free(aa_response *resp);

/* Join a reference to a base URL (RFC 3986). Returns malloc'd string. */
AA_API char *aa_url_join(const char *base, const char *ref, aa_error *err);

/* The account behind the key in effect: GET /api/account. */
typedef struct aa_account {
	char *username;
	char *email;
	char *first_name;
	char *last_name;
	char *id;
	char *json;          /* the whole document, pretty-printed */
} aa_account;
AA_API aa_status aa_account_fetch(aa_client *c, aa_account *out, aa_error *err);
AA_API void aa_account_free(aa_account *a);

/* ------------------------------------------------------------------ */
/* Login                                                                */
/* ------------------------------------------------------------------ */

typedef enum aa_login_flow {
	AA_FLOW_AUTO = 0,  /* the use_device_flow setting; unset means device, as in 0.15 */
	AA_FLOW_BROWSER,
	AA_FLOW_DEVICE,
} aa_login_flow;

/* How login talks to the person; every callback may be NULL. */
typedef struct aa_login_ui {
	void *ctx;
	/* A line for the person (URL, code, instructions). */
	void (*say)(void *ctx, const char *line);
	/* Called about once a second while waiting; `done` on the last call. */
	void (*waiting)(void *ctx, int done);
	/* Added after 0.1.0. The device flow calls this instead of waiting(ctx, 0)
	 * when set: the seconds left before the code expires (or --timeout). */
	void (*countdown)(void *ctx, long seconds_left);
} aa_login_ui;

/* Versioned like aa_request (see above); NULL options mean the defaults. */
#define AA_LOGIN_OPTIONS_VERSION 1
#define AA_LOGIN_OPTIONS_INIT { AA_LOGIN_OPTIONS_VERSION, AA_FLOW_AUTO, 1, 300, NULL, NULL, { NULL, NULL, NULL, NULL } }

typedef struct aa_login_options {
	unsigned int version; /* AA_LOGIN_OPTIONS_VERSION */
	aa_login_flow flow;
	int open_browser;     /* 1: run $BROWSER / xdg-open; 0: only print */
	int timeout_s;        /* overall wait for the person, default 300 */
	const char *const *scopes; /* API key scopes, NULL = defaults */
	const char *const *tags;   /* API key tags, NULL = defaults */
	aa_login_ui ui;
} aa_login_options;

/*
 * Run the whole login: discovery, the chosen flow, token exchange, and
 * mint an API key. Does not store it; see aa_keyring_store_api_key().
 */
AA_API aa_status aa_login(const aa_config *cfg, const aa_login_options *opts,
			  aa_secret **api_key_out, aa_error *err);

/*
 * Mint an API key. `bearer` is the access token of a login in progress:
 * POSTs to https://<auth_domain>/api/auth/api-keys, then
 * https://<domain>/api/iam/api-keys. NULL uses the key in effect, which
 * goes only to its own domain: https://<domain>/api/auth/api-keys, then
 * .../api/iam/api-keys. Never pass a stored key as `bearer`: it would reach
 * the auth domain. Success is 201 with "api_key".
 * scopes/tags NULL = cloud:read, cloud:write, repo:read / anaconda-auth-c/v<ver>.
 */
AA_API aa_status aa_api_key_create(const aa_config *cfg, const char *bearer,
				   const char *const *scopes,
				   const char *const *tags, aa_secret **out,
				   aa_error *err);

#ifdef __cplusplus
}
#endif

#endif /* ANACONDA_AUTH_H */

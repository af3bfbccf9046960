/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * pam_options.h - the module arguments of pam_anaconda, parsed once per call
 * into a small struct (no global state: PAM hosts may be multi-threaded).
 */
#ifndef PAM_OPTIONS_H
#define PAM_OPTIONS_H

#define PA_DEFAULT_KEYRING ".anaconda/keyring"
/* The name anaconda-auth 0.15 reads without a deprecation warning. */
#define PA_DEFAULT_ENVVAR "ANACONDA_AUTH_API_KEY"
/* envvar=legacy: the only name seed-era tools (anaconda-cloud-auth) read. */
#define PA_LEGACY_ENVVAR_ALIAS "legacy"
#define PA_LEGACY_ENVVAR "ANACONDA_CLOUD_API_KEY"
#define PA_DEFAULT_WARN_DAYS 14
#define PA_DEFAULT_TIMEOUT_S 10
#define PA_MAX_TIMEOUT_S 300
#define PA_MAX_WARN_DAYS 3650
#define PA_MAX_ENVVAR_LEN 128
#define PA_MAX_DOMAIN_LEN 253
#define PA_MAX_SITE_LEN 253

typedef enum pa_export {
	PA_EXPORT_ENV = 0, /* pam_putenv(envvar=key)          */
	PA_EXPORT_NONE,    /* only check (and warn), export nothing */
} pa_export;

/* Binding without a usermap line: none unless the administrator opts in. */
typedef enum pa_match {
	PA_MATCH_NONE = 0,     /* only usermap= lines bind accounts       */
	PA_MATCH_USERNAME,     /* account username == PAM user, ordinary
				  accounts only (uid >= UID_MIN, never 0) */
} pa_match;

/* The system account the verification helper runs as (see pam_anaconda(8)). */
#define PA_DEFAULT_VERIFY_USER "_anaconda-auth"
#define PA_MAX_USER_LEN 32

/*
 * Every string points into the module's argv, which libpam keeps alive for
 * the whole call. NULL means "not given": use the default.
 */
typedef struct pa_options {
	int debug;
	int quiet;
	int strict;
	int store;                /* auth: save a verified key for the session */
	int ignore_authinfo_unavail; /* auth: service unreachable -> PAM_IGNORE */
	int allow_elevation;      /* auth: PAM_RUSER may differ from the user   */
	int unknown;              /* how many arguments were not recognised     */
	const char *domain;       /* NULL: the library default (anaconda.com) */
	const char *keyring;      /* relative to the home directory             */
	const char *envvar;
	pa_export export_mode;
	long warn_days;
	pa_match match;
	const char *usermap;      /* absolute path of the root-owned map file   */
	long timeout_s;
	const char *helper;       /* absolute path; NULL = the installed helper  */
	const char *ca;           /* CA bundle for the helper's TLS             */
	int ssl_verify;           /* 1 (default) or 0 (ssl_verify=no)           */
	const char *verify_user;  /* the helper's account (auth, as root)       */
	const char *config;       /* absolute path of the administrator's
				     config.toml (root's, checked when used) */
	const char *site;         /* a site of `config`: its key or domain     */
} pa_options;

/* Called for each argument that is ignored or rejected (not thread state). */
typedef void (*pa_complain_fn)(void *ctx, const char *arg, const char *why);

/*
 * Parse argv into *o (defaults first). Unknown arguments are reported
 * through complain and counted in o->unknown (`auth` refuses to run with
 * any; `session` ignores them). A known option with a bad value, or a
 * removed one (match=email), or a combination that cannot be meant
 * (site= without config=, site= with domain=) is reported and makes the
 * call return -1: a
 * misconfigured module must fail loudly, never quietly fall back to a
 * default path or name.
 */
int pa_options_parse(pa_options *o, int argc, const char **argv,
		     pa_complain_fn complain, void *ctx);

/* Option checks, exposed for the unit tests. */
int pa_valid_envvar(const char *name);
int pa_valid_relpath(const char *path);
int pa_valid_domain(const char *domain);
int pa_valid_username(const char *name);
int pa_valid_site(const char *site);

#endif /* PAM_OPTIONS_H */

/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * config_engine.h - the parts of the settings engine shared by config*.c:
 * the setting table's view, the sources gathered at load time, the
 * selected site and each setting's origin (internal, not installed).
 */
#ifndef AA_CONFIG_ENGINE_H
#define AA_CONFIG_ENGINE_H

#include <stddef.h>

#include "config_file.h"
#include "internal.h"

#define CFG_MAX_NAMES 5
#define CFG_MAX_SETTINGS 48 /* room for the settings still to come */

struct dotenv_table;

/* The setting table (config.c), seen from the other files of the engine. */
AA_HIDDEN size_t cfg_count(void);
AA_HIDDEN const char *cfg_name(size_t i);  /* field name: "domain" */
AA_HIDDEN const char *cfg_alias(size_t i); /* 0.15's name when it differs, or NULL */
AA_HIDDEN const char *cfg_env(size_t i, size_t gen); /* newest first; NULL past the end */
/* Index of the setting called `name` (field or alias), or -1. */
AA_HIDDEN int cfg_find(const char *name);
/* 1 when `config` and the sites diff never show the value of setting `name`. */
AA_HIDDEN int cfg_value_is_secret(const char *name);
/* Index of the setting with environment variable `var`, or -1 (*gen = its position). */
AA_HIDDEN int cfg_find_env(const char *var, size_t *gen);

/* One value of one setting from a source that holds many (secrets, condarc). */
struct cfg_value {
	char *value;  /* wiped on free */
	char *origin; /* "/run/secrets/anaconda_auth_domain", "~/.condarc:2" */
};

/* Per setting and per environment name (secrets dir), or per setting (condarc). */
struct cfg_values {
	struct cfg_value v[CFG_MAX_SETTINGS][CFG_MAX_NAMES];
};

/* A flag or aa_config_set value, kept so a site change can replay it. */
struct cfg_flag {
	size_t setting;
	char *value;
	char *origin;
};

/* Everything aa_config_load gathered, kept for the life of the aa_config. */
struct aa_config_state {
	unsigned load_flags;
	int set_id;                       /* a set-id program: no caller's files (asked once) */
	struct dotenv_table *dotenv;      /* AA_CONFIG_DOTENV only */
	struct cfg_values *secrets;       /* the secrets directory, or NULL */
	struct cfg_values *condarc;       /* conda's .condarc values, or NULL */
	struct config_file *file;         /* config.toml, or NULL */
	char *file_shown;                 /* its path with ~ for $HOME */
	struct cfg_flag *flags;
	size_t n_flags;
	char *at, *at_origin;             /* --at / site= / aa_config_set("site") */
	/* The result of resolving: */
	long site;                        /* index in file->sites; -1 none */
	char *site_name;                  /* shown: the key, or "anaconda.com" */
	char *site_origin;                /* why that site */
	const char *origin[CFG_MAX_SETTINGS]; /* per setting: where its value came from (in pool) */
	char **pool;                      /* strings kept until the state is freed */
	size_t n_pool;
	unsigned char legacy[CFG_MAX_SETTINGS]; /* 1: the value came from a legacy name */
};

/* How config.toml is read: config_file_load; the unit tests put a fake here. */
typedef aa_status (*cfg_file_loader_fn)(const char *path, struct config_file **out,
					aa_error *err);
AA_HIDDEN extern cfg_file_loader_fn cfg_file_loader;

/* The secrets directory ($ANACONDA_SECRETS_DIR, /run/secrets) into st->secrets. */
AA_HIDDEN aa_status cfg_read_secrets(aa_config *cfg, struct aa_config_state *st,
				     aa_error *err);
/* conda's .condarc files into st->condarc (ssl_verify, proxies, client certs). */
AA_HIDDEN aa_status cfg_read_condarc(aa_config *cfg, struct aa_config_state *st,
				     aa_error *err);
/*
 * Choose the site (st->site, site_name, site_origin) as 0.15: --at, else a
 * domain from a higher source (`domain`, may be NULL) matching one site,
 * else ANACONDA_DEFAULT_SITE / default_site, else the first, else anaconda.com.
 */
AA_HIDDEN aa_status cfg_select_site(struct aa_config_state *st, const char *domain,
				    aa_error *err);
/* "~/.anaconda/config.toml:12 [sites.work]" for line `line` of table t. */
AA_HIDDEN char *cfg_file_origin(const struct aa_config_state *st,
				const struct config_table *t, unsigned line);
/* Keep `s` (malloc'd) until the state is freed; returns it, or NULL (freed) when out of memory. */
AA_HIDDEN const char *cfg_keep(struct aa_config_state *st, char *s);
/* `path` with a leading $HOME shown as "~"; malloc'd. */
AA_HIDDEN char *cfg_shown_path(const char *path);

/* $ANACONDA_CONFIG_TOML (~ and $VAR expanded) or ~/.anaconda/config.toml; malloc'd. */
AA_HIDDEN aa_status cfg_config_path(char **path, aa_error *err);
/*
 * Check `value` (as config.toml gives it: text, "true", a JSON object) for
 * setting `name` with the validator every source goes through; errors begin
 * with `origin`. AA_ERR_NOT_FOUND (err untouched) when no setting has the name.
 */
AA_HIDDEN aa_status cfg_check_value(const char *name, const char *value,
				    const char *origin, aa_error *err);
/*
 * 0.15's lookup of a site by NAME or DOMAIN in f (`shown` names the file,
 * `origin` begins errors):
 * *idx gets its index, or -1 for the default domain's site when none is
 * configured; AA_ERR_USAGE with one line when no site or several match.
 */
AA_HIDDEN aa_status cfg_find_site(struct config_file *f, const char *shown,
				  const char *at, const char *origin, long *idx,
				  aa_error *err);

/* Add one line to cfg->notices (never a secret). */
AA_HIDDEN aa_status cfg_notice(aa_config *cfg, aa_error *err, const char *fmt, ...)
	AA_PRINTF(3, 4);
/* The nearest setting name to `name` among `candidates` (edit distance). */
AA_HIDDEN const char *cfg_nearest(const char *name, const char *const *candidates,
				  size_t n);
/* 1 when `name` looks like ANACONDA_AUTH_* / ANACONDA_CLOUD_* but names no setting. */
AA_HIDDEN int cfg_var_suspect(const char *name);
/* Warn about ANACONDA_AUTH_* / ANACONDA_CLOUD_* variables that are no setting. */
AA_HIDDEN aa_status cfg_check_env_names(aa_config *cfg, aa_error *err);
/* Warn about `name` (a variable, file or key name) that is no setting. */
AA_HIDDEN aa_status cfg_warn_unknown(aa_config *cfg, const char *where,
				     const char *name, aa_error *err);
/* 1 when `key` is a field 0.15 knows but this build does not use. */
AA_HIDDEN int cfg_known_elsewhere(const char *key);

/* Setting i's value as shown to the person (secrets never), malloc'd; NULL when unset. */
AA_HIDDEN char *cfg_show(const aa_config *cfg, size_t i);

AA_HIDDEN void cfg_values_free(struct cfg_values *v);
AA_HIDDEN void cfg_state_free(struct aa_config_state *st);

#endif /* AA_CONFIG_ENGINE_H */

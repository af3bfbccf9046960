/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * config_file.h - ~/.anaconda/config.toml as plain data for the settings
 * engine: the tables anaconda-auth 0.15 reads, each entry a key, its value
 * as the text aa_config_set accepts, and its line (internal, not installed).
 *
 * Values are text: strings as they are, booleans "true"/"false", integers
 * in decimal, nested tables (extra_headers, proxy_servers,
 * oidc_request_headers, keyring) as compact JSON objects. Whoever parses
 * the TOML (config_file_load) fills this in; the engine never sees TOML.
 */
#ifndef AA_CONFIG_FILE_H
#define AA_CONFIG_FILE_H

#include <stddef.h>

#include "internal.h"

/* One `key = value` of a table. */
struct config_entry {
	char *key;     /* as written in the file, e.g. "ssl_verify" */
	char *value;   /* text, see above; wiped on free (it may be an api_key) */
	unsigned line; /* 1-based line of the key */
};

/* The entries of one table, in document order. */
struct config_table {
	struct config_entry *entries;
	size_t n;
	unsigned line; /* the table's header line; 0 when absent */
};

/* One [sites.<name>] table. */
struct config_site {
	char *name;    /* the table key: "work", "anaconda.com" */
	struct config_table table;
};

struct config_file {
	char *path;                     /* as opened (expanded) */
	char *default_site;             /* top-level default_site, or NULL */
	unsigned default_site_line;
	struct config_table plugin_auth;  /* [plugin.auth] */
	struct config_table plugin_cloud; /* [plugin.cloud] (legacy) */
	struct config_site *sites;      /* [sites.*] in document order */
	size_t n_sites;
};

/*
 * Read the file at `path` (already ~/$VAR-expanded). AA_OK with *out NULL
 * when there is no such file; AA_OK with *out set when read; AA_ERR_USAGE
 * (exit 2) with one line "path:line: what is wrong" for a file that is not
 * valid TOML; other codes for I/O errors. The caller frees *out.
 */
AA_HIDDEN aa_status config_file_load(const char *path, struct config_file **out,
				     aa_error *err);

/*
 * The same from text in memory (`anaconda-auth sites` reads the file
 * itself); `shown` names it in errors (NULL: path).
 */
AA_HIDDEN aa_status config_file_parse(const char *text, size_t len, const char *path,
				      const char *shown, struct config_file **out,
				      aa_error *err);

/* Builders, for the loader and for tests; NULL / -1 when out of memory. */
AA_HIDDEN struct config_file *config_file_new(const char *path);
AA_HIDDEN int config_file_set_default_site(struct config_file *f, const char *name,
					   unsigned line);
AA_HIDDEN struct config_site *config_file_add_site(struct config_file *f,
						   const char *name, unsigned line);
AA_HIDDEN int config_table_add(struct config_table *t, const char *key,
			       const char *value, unsigned line);
/* The last entry named `key` (a later one wins), or NULL. */
AA_HIDDEN const struct config_entry *config_table_find(const struct config_table *t,
						       const char *key);
/*
 * The domain of the site `at` selects in f alone (a site key, else the
 * domain of exactly one site; NULL: default_site, else the first site,
 * else the domain of [plugin.cloud] or [plugin.auth], else the default
 * domain), normalised into *domain (malloc'd). No other
 * source is consulted: for pam_anaconda's administrator's file.
 * AA_ERR_USAGE with one line (naming `origin` and the sites) when unknown.
 */
AA_HIDDEN aa_status config_file_site_domain(const struct config_file *f,
					    const char *at, const char *origin,
					    char **domain, aa_error *err);
/* Frees everything, wiping values; NULL is fine. */
AA_HIDDEN void config_file_free(struct config_file *f);

#endif /* AA_CONFIG_FILE_H */

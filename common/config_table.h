/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * config_table.h - the table of settings: each one's names, kind, .env rule
 * and field (internal). Below everything else of the settings engine.
 */
#ifndef AA_CONFIG_TABLE_H
#define AA_CONFIG_TABLE_H

#include <stddef.h>

#include "config_engine.h"
#include "config_struct.h"

/* How a setting's text is checked and where the result goes. */
enum kind {
	K_DOMAIN,       /* char *, host[:port] */
	K_API_KEY,      /* aa_secret *api_key + api_key_source */
	K_SSL_VERIFY,   /* ssl_verify + ca_bundle */
	K_HEADERS,      /* char **, "Name: value" lines from a JSON object */
	K_TEXT,         /* char *, any text without control characters */
	K_URL,          /* char *, an http(s):// URL */
	K_STORAGE,      /* aa_storage */
	K_KEYRING_PATH, /* char *, ~ and $VAR expanded */
	K_BOOL,         /* int 0/1 */
	K_TIMEOUT,      /* long milliseconds, given in seconds */
	K_PATH,         /* char *, an absolute path on the host, never a URL */
	K_PAGE_PATH,    /* char *, "/..." on the domain: no "//", '\\', '@', space or control */
	K_KEYRING,      /* aa_secret *keyring_inline + keyring_inline_source */
	K_PROXIES,      /* char **, key, proxy URL, ... from a JSON object (proxy.c) */
	K_FILE,         /* char *, a readable regular file (client certificates) */
};

/* What a value from ./.env may do (docs/settings.md, "`.env` files"). */
enum dotenv_rule {
	D_PLAIN,    /* honoured quietly */
	D_ANNOUNCE, /* changes where credentials go: honoured, said on stderr */
	D_TLS,      /* TLS is never weakened from .env: only "verify" is taken */
	D_NEVER,    /* where traffic goes and which identity TLS shows: never from .env */
};

struct setting {
	const char *name;   /* as accepted by aa_config_set */
	const char *alias;  /* a second name for aa_config_set, or NULL */
	enum kind kind;
	enum dotenv_rule dotenv;
	size_t offset;      /* of the field in aa_config */
	const char *env[CFG_MAX_NAMES]; /* newest generation first, NULL-terminated */
};

#define AT(f) offsetof(aa_config, f)

/* Every setting, in the order `anaconda-auth config` shows them. */
AA_HIDDEN extern const struct setting cfg_settings[];
AA_HIDDEN extern const size_t cfg_n_settings;

#endif /* AA_CONFIG_TABLE_H */

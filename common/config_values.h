/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * config_values.h - checking one setting's text and storing the result in
 * an aa_config (config_values.c), the same code for every source (internal).
 */
#ifndef AA_CONFIG_VALUES_H
#define AA_CONFIG_VALUES_H

#include <stdio.h>

#include "config_table.h"

/* Put value (taken; NULL clears) in the text field at `offset`, freeing the old one. */
AA_HIDDEN void cfg_replace_str(aa_config *cfg, size_t offset, char *value);

/* 1 when s[0..len) holds a control character other than a tab (NUL and DEL count). */
AA_HIDDEN int cfg_has_control_char(const char *s, size_t len);

/* A short printable excerpt of a (non-secret) value for a message. */
AA_HIDDEN const char *cfg_excerpt(const char *value, char *buf, size_t size);

/*
 * Environment lookups ignore the environment in setuid/setgid programs:
 * the person who started them must not be able to steer where keys go.
 */
AA_HIDDEN const char *cfg_env_get(const char *name);

/* $HOME, else the passwd entry of the real user; malloc'd or NULL. */
AA_HIDDEN char *cfg_home_dir(void);

/* `in` with a leading ~ or ~user and every $NAME / ${NAME} expanded, as 0.15 does. */
AA_HIDDEN aa_status cfg_expand_path(const char *in, const char *origin, char **result,
				    aa_error *err);

/* $HOME/.anaconda/keyring, malloc'd; NULL when no home directory is known. */
AA_HIDDEN char *cfg_default_keyring_path(void);

/* Header values may be credentials: wipe them. */
AA_HIDDEN void cfg_free_headers(char **v);

/* Proxy URLs may hold a password: wipe them. */
AA_HIDDEN void cfg_free_proxies(char **v);

/*
 * ANACONDA_AUTH_PROXY_SERVERS__HTTPS=url: one key of the mapping, as
 * pydantic-settings' nested delimiter gives it (the key is lower-cased);
 * it replaces that key of a JSON value. The legacy prefix first, so the
 * newer one wins.
 */
AA_HIDDEN aa_status cfg_set_nested_proxies(aa_config *cfg, aa_error *err);

/* Validate `value` for setting `s` and store it; cfg is unchanged on error. */
AA_HIDDEN aa_status cfg_apply(aa_config *cfg, const struct setting *s, const char *value,
			      const char *origin, const char *key_source, aa_error *err);

#endif /* AA_CONFIG_VALUES_H */

/* SPDX-License-Identifier: BSD-3-Clause */
/* config_typos.c - warn once about a variable, file or key that looks like a setting but is none. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "config_engine.h"
#include "config_struct.h"

#define NAME_MAX_LEN 64

extern char **environ;

/* Fields of 0.15 that this build does not use: never typos. */
static const char *const elsewhere[] = {
	"proxy_servers", "client_cert", "client_cert_key",
	"env_manager_channel", "env_manager_package", "env_manager_version",
	"site", "disable_conda_auto_config", NULL,
};

/* Variables of this implementation that are not settings. */
static const char *const other_vars[] = {
	"ANACONDA_AUTH_SECRET_MODULE", "ANACONDA_AUTH_SECRET_TIMEOUT",
	"ANACONDA_AUTH_LOCK_TIMEOUT", NULL,
};

int cfg_known_elsewhere(const char *key)
{
	for (size_t k = 0; elsewhere[k]; k++) {
		if (strcasecmp(key, elsewhere[k]) == 0)
			return 1;
	}
	return 0;
}

/* Levenshtein distance, case-insensitive, of the first NAME_MAX_LEN bytes. */
static size_t distance(const char *a, const char *b)
{
	size_t la = strnlen(a, NAME_MAX_LEN), lb = strnlen(b, NAME_MAX_LEN);
	size_t row[NAME_MAX_LEN + 1];

	for (size_t j = 0; j <= lb; j++)
		row[j] = j;
	for (size_t i = 1; i <= la; i++) {
		size_t diag = row[0];

		row[0] = i;
		for (size_t j = 1; j <= lb; j++) {
			size_t up = row[j];
			size_t cost = tolower((unsigned char)a[i - 1]) !=
				      tolower((unsigned char)b[j - 1]);
			size_t best = diag + cost;

			if (up + 1 < best)
				best = up + 1;
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			row[j] = best;
			diag = up;
		}
	}
	return row[lb];
}

const char *cfg_nearest(const char *name, const char *const *candidates, size_t n)
{
	const char *best = NULL;
	size_t best_d = (size_t)-1;

	for (size_t k = 0; k < n; k++) {
		size_t d = distance(name, candidates[k]);

		if (d < best_d) {
			best_d = d;
			best = candidates[k];
		}
	}
	return best;
}

/* How a name is spelt: a variable, a secrets-dir file or a TOML key. */
enum shape { SHAPE_VAR, SHAPE_FILE, SHAPE_KEY };

static enum shape shape_of(const char *name)
{
	if (strncmp(name, "ANACONDA_", 9) == 0)
		return SHAPE_VAR;
	if (strncasecmp(name, "anaconda_", 9) == 0)
		return SHAPE_FILE;
	return SHAPE_KEY;
}

/* The names a `shape` may be a misspelling of, into buf (n slots). */
static size_t candidates(enum shape sh, char (*buf)[NAME_MAX_LEN], size_t n)
{
	size_t k = 0;

	for (size_t i = 0; i < cfg_count() && k < n; i++) {
		for (size_t j = 0; sh != SHAPE_KEY && cfg_env(i, j) && k < n; j++, k++) {
			const char *v = cfg_env(i, j);
			size_t m = 0;

			for (; v[m] && m + 1 < NAME_MAX_LEN; m++)
				buf[k][m] = (char)(sh == SHAPE_FILE ? tolower((unsigned char)v[m]) : v[m]);
			buf[k][m] = '\0';
		}
		if (sh == SHAPE_KEY) {
			snprintf(buf[k++], NAME_MAX_LEN, "%s", cfg_name(i));
			if (cfg_alias(i) && k < n)
				snprintf(buf[k++], NAME_MAX_LEN, "%s", cfg_alias(i));
		}
	}
	return k;
}

aa_status cfg_warn_unknown(aa_config *cfg, const char *where, const char *name,
			   aa_error *err)
{
	char buf[CFG_MAX_SETTINGS * CFG_MAX_NAMES][NAME_MAX_LEN];
	const char *ptrs[CFG_MAX_SETTINGS * CFG_MAX_NAMES];
	enum shape sh = shape_of(name);
	size_t n = candidates(sh, buf, sizeof(buf) / sizeof(buf[0]));
	const char *best;

	/* Other tools' names in a shared .env or secrets directory stay quiet. */
	if (sh != SHAPE_KEY && strncasecmp(name, "ANACONDA_AUTH_", 14) != 0 &&
	    strncasecmp(name, "ANACONDA_CLOUD_", 15) != 0)
		return AA_OK;
	for (size_t k = 0; k < n; k++)
		ptrs[k] = buf[k];
	best = cfg_nearest(name, ptrs, n);
	return cfg_notice(cfg, err, "warning: %s%s is not a setting; did you mean %s?",
			  where, name, best ? best : "(none)");
}

/* ANACONDA_AUTH_X and ANACONDA_AUTH_X__Y for a field X that 0.15 knows. */
static int known_var(const char *var, size_t len)
{
	size_t prefix = strncmp(var, "ANACONDA_AUTH_", 14) == 0 ? 14 : 15;
	char field[NAME_MAX_LEN], name[NAME_MAX_LEN];
	size_t m = 0;

	if (len >= NAME_MAX_LEN)
		return 0;
	memcpy(name, var, len);
	name[len] = '\0';
	if (cfg_find_env(name, NULL) >= 0)
		return 1;
	for (size_t k = 0; other_vars[k]; k++) {
		if (strcmp(name, other_vars[k]) == 0)
			return 1;
	}
	for (const char *p = name + prefix; *p && strncmp(p, "__", 2) != 0; p++)
		field[m++] = (char)tolower((unsigned char)*p);
	field[m] = '\0';
	/* The nested form (PROXY_SERVERS__HTTPS) counts as its field. */
	return cfg_known_elsewhere(field) || (name[prefix + m] && cfg_find(field) >= 0);
}

int cfg_var_suspect(const char *name)
{
	if (strncmp(name, "ANACONDA_AUTH_", 14) != 0 && strncmp(name, "ANACONDA_CLOUD_", 15) != 0)
		return 0;
	return !known_var(name, strlen(name));
}

aa_status cfg_check_env_names(aa_config *cfg, aa_error *err)
{
	aa_status rc = AA_OK;

	/* As secure_getenv: a set-id program takes nothing from its caller. */
	if (cfg->state->set_id)
		return AA_OK;
	for (char **e = environ; rc == AA_OK && e && *e; e++) {
		const char *eq = strchr(*e, '=');
		size_t len = eq ? (size_t)(eq - *e) : 0;
		char name[NAME_MAX_LEN];

		if (strncmp(*e, "ANACONDA_AUTH_", 14) != 0 && strncmp(*e, "ANACONDA_CLOUD_", 15) != 0)
			continue;
		if (!eq || known_var(*e, len))
			continue;
		snprintf(name, sizeof(name), "%.*s", (int)(len < NAME_MAX_LEN ? len : NAME_MAX_LEN - 1), *e);
		rc = cfg_warn_unknown(cfg, "", name, err);
	}
	return rc;
}

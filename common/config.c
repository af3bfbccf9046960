/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * config.c - settings: the chain of
 * sources in 0.15's order (flags, environment, secrets directory, ./.env,
 * the selected site, legacy names, [plugin.auth], .condarc, defaults), every
 * value validated by the same code whatever its source.
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <pwd.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config_engine.h"
#include "config_struct.h"
#include "config_table.h"
#include "config_values.h"
#include "dotenv.h"
#include "json_util.h"
#include "keyring_backend.h"
#include "proxy.h"
#include "util/aa_util.h"

#define MAX_NAMES CFG_MAX_NAMES
#define N_SETTINGS cfg_n_settings


static const struct {
	size_t offset;
	const char *value;
} text_defaults[] = {
	{ AT(domain), AA_DEFAULT_DOMAIN },
	{ AT(client_id), "b4ad7f1d-c784-46b5-a9fe-106e50441f5a" },
	{ AT(redirect_uri), "http://127.0.0.1:8000/auth/oidc" },
	{ AT(openid_config_path), "/.well-known/openid-configuration" },
	{ AT(login_success_path), "/app/local-login-success" },
	{ AT(login_error_path), "/app/local-login-error" },
	{ AT(logging_level), "WARNING" },
};

/* The .env assignments we care about, per setting and name. */
struct dotenv_table {
	char *value[CFG_MAX_SETTINGS][MAX_NAMES];
	unsigned line[CFG_MAX_SETTINGS][MAX_NAMES];
};


/* ------------------------------------------------------------------ */
/* ./.env                                                               */
/* ------------------------------------------------------------------ */

/* What collect_dotenv fills: the table, and cfg for typo warnings. */
struct dotenv_ctx {
	aa_config *cfg;
	struct dotenv_table *dt;
};

static aa_status collect_dotenv(const char *name, const char *value,
				unsigned line, void *ctx, aa_error *err)
{
	struct dotenv_ctx *dc = ctx;
	size_t j = 0;
	int i = cfg_find_env(name, &j);
	char *copy = NULL, where[32];

	if (i < 0) {
		/* Not ours (python-dotenv users keep other keys here too), unless
		 * it looks like one of ours misspelt. */
		if (!cfg_var_suspect(name))
			return AA_OK;
		snprintf(where, sizeof(where), "./.env:%u: ", line);
		return cfg_warn_unknown(dc->cfg, where, name, err);
	}
	/* A later empty assignment unsets an earlier one. */
	if (*value && !(copy = strdup(value)))
		return aa_fail(err, AA_ERR_NOMEM, "out of memory");
	aa_free_secret_str(dc->dt->value[i][j]);
	dc->dt->value[i][j] = copy;
	dc->dt->line[i][j] = line;
	return AA_OK;
}

static void dotenv_table_clear(struct dotenv_table *dt)
{
	for (size_t i = 0; i < N_SETTINGS; i++)
		for (size_t j = 0; j < MAX_NAMES; j++)
			aa_free_secret_str(dt->value[i][j]);
}


static aa_status read_dotenv(aa_config *cfg, struct dotenv_table *dt, aa_error *err)
{
	struct dotenv_ctx dc;
	char *text, why[160];
	size_t len;
	aa_status rc = aa_dotenv_read(&text, &len, why, sizeof(why), err);

	if (rc == AA_OK && why[0])
		return cfg_notice(cfg, err, "ignoring ./.env: %s; none of its settings are used", why);
	if (rc != AA_OK || !text)
		return rc;
	dc.cfg = cfg;
	dc.dt = dt;
	rc = aa_dotenv_parse(text, len, collect_dotenv, &dc, err);
	aa_memzero(text, len);
	free(text);
	/* A malformed .env is a setting to fix, like any invalid value. */
	if (rc == AA_ERR_PARSE) {
		rc = AA_ERR_USAGE;
		if (err)
			err->code = rc;
	}
	return rc;
}

/* ------------------------------------------------------------------ */
/* Loading                                                              */
/* ------------------------------------------------------------------ */

/* Where a secret setting read from .env came from (static text: cfg keeps it). */
static const char *dotenv_key_source(const char *name)
{
	static const char *const sources[] = {
		".env: ANACONDA_AUTH_API_KEY", ".env: ANACONDA_CLOUD_API_KEY",
		".env: ANACONDA_AUTH_KEYRING", ".env: ANACONDA_CLOUD_KEYRING",
	};

	for (size_t i = 0; i < sizeof(sources) / sizeof(sources[0]); i++)
		if (strcmp(name, sources[i] + strlen(".env: ")) == 0)
			return sources[i];
	return ".env";
}

/* ssl_verify values that keep TLS as checked as it is by default. */
static int keeps_default_tls(const char *value)
{
	return aa_parse_bool(value) == 1 || strcasecmp(value, "truststore") == 0;
}

/* Say which setting that steers credentials came from .env (never a key). */
static aa_status announce(aa_config *cfg, const struct setting *s, const char *name,
			  const char *value, aa_error *err)
{
	char shown[200], fp[AA_FINGERPRINT_MAX];

	if (s->kind == K_API_KEY) {
		aa_fingerprint(value, fp, sizeof(fp));
		return cfg_notice(cfg, err, "using %s from ./.env (key %s)", name, fp);
	}
	if (s->kind == K_KEYRING) /* keys: never shown */
		return cfg_notice(cfg, err, "using the keyring in %s from ./.env", name);
	return cfg_notice(cfg, err, "using %s=%s from ./.env", name,
			  cfg_excerpt(value, shown, sizeof(shown)));
}

/* The setting stored at `offset`. */
static const struct setting *setting_at(size_t offset)
{
	for (size_t i = 0; i < N_SETTINGS; i++) {
		if (cfg_settings[i].offset == offset)
			return &cfg_settings[i];
	}
	return NULL;
}

/* The first set environment variable of setting `s`, or NULL. */

static const char *env_name_of(const struct setting *s)
{
	for (size_t j = 0; s && s->env[j]; j++) {
		if (cfg_env_get(s->env[j]))
			return s->env[j];
	}
	return NULL;
}

const char *aa_config_env_domain(void)
{
	const char *name = env_name_of(&cfg_settings[0]);

	return name ? cfg_env_get(name) : NULL;
}

/*
 * 1 (with a notice) when a .env domain or auth domain would make the two
 * differ. A directory must never pick where a login happens apart from
 * where its key is stored and sent: with the real service as auth domain
 * and its own host as domain, it would get the person's genuine key.
 */
static int dotenv_splits_domains(aa_config *cfg, const struct setting *s, const char *name,
				 const char *value, aa_status *rc, aa_error *err)
{
	const char *why = NULL, *env_name = NULL;
	char *mine = aa_hostport_normalize(value, &why), *other = NULL;
	char shown[64];
	int split;

	if (!mine)
		return 0; /* invalid: cfg_apply() names the problem */
	if (s->offset == AT(auth_domain))
		other = strdup(cfg->domain);
	else if ((env_name = env_name_of(setting_at(AT(auth_domain)))))
		other = aa_hostport_normalize(cfg_env_get(env_name), &why);
	split = other && strcmp(mine, other) != 0;
	if (split)
		*rc = cfg_notice(cfg, err,
				 "ignoring %s=%s from ./.env: it differs from the %s %s%s%s, and a "
				 ".env file never makes the login's domain differ from the key's",
				 name, cfg_excerpt(value, shown, sizeof(shown)),
				 env_name ? "auth domain" : "domain", other,
				 env_name ? " set by " : "", env_name ? env_name : "");
	free(mine);
	free(other);
	return split;
}

/*
 * Where an API key for no domain in particular comes from, when not from
 * ./.env: a flag, a variable (pam_anaconda exports one), the secrets
 * directory, or config.toml's [plugin.auth]/[plugin.cloud]; else NULL.
 */
static const struct cfg_flag *last_flag(const struct aa_config_state *st, size_t i);

static const char *key_given_elsewhere(const aa_config *cfg)
{
	const struct setting *k = setting_at(AT(api_key));
	const struct aa_config_state *st = cfg->state;
	size_t i = (size_t)(k - cfg_settings);
	const char *name = env_name_of(k);

	if (last_flag(st, i))
		return "the command line";
	if (name)
		return name;
	for (size_t j = 0; st->secrets && k->env[j]; j++)
		if (st->secrets->v[i][j].value)
			return st->secrets->v[i][j].origin;
	if (st->file && (config_table_find(&st->file->plugin_auth, "api_key") ||
			 config_table_find(&st->file->plugin_cloud, "api_key")))
		return st->file_shown;
	return NULL;
}

/*
 * 1 (with a notice) when a .env domain would receive such a key: a cloned
 * repository's .env is the person's file as far as owner and mode go.
 */
static int dotenv_takes_a_key_elsewhere(aa_config *cfg, const struct setting *s,
					const char *name, const char *value, aa_status *rc,
					aa_error *err)
{
	const char *from = s->offset == AT(domain) ? key_given_elsewhere(cfg) : NULL;
	char shown[64];

	if (!from)
		return 0;
	*rc = cfg_notice(cfg, err,
			 "ignoring %s=%s from ./.env: the API key from %s goes only to a domain "
			 "you chose; set the domain in the environment if you mean it",
			 name, cfg_excerpt(value, shown, sizeof(shown)), from);
	return 1;
}

/*
 * 1 (with a notice) when a .env keyring path lies in the current directory
 * tree: a key there is one `git add -A` away from being published.
 */
static int dotenv_keyring_in_tree(aa_config *cfg, const char *name, const char *value,
				  aa_status *rc, aa_error *err)
{
	char *path = NULL, *slash;
	struct stat here, st;
	int inside = 0;

	if (cfg_expand_path(value, name, &path, err) != AA_OK) {
		aa_error_clear(err);
		return 0; /* cfg_apply() names the problem */
	}
	if (path[0] != '/') {
		inside = 1;
	} else if (stat(".", &here) == 0) {
		/* Any ancestor that is this directory (through links too) counts. */
		while (!inside && (slash = strrchr(path, '/')) != NULL) {
			slash[slash == path ? 1 : 0] = '\0';
			inside = stat(path, &st) == 0 && st.st_dev == here.st_dev &&
				 st.st_ino == here.st_ino;
			if (slash == path)
				break;
		}
	}
	free(path);
	if (inside)
		*rc = cfg_notice(cfg, err,
				 "ignoring %s from ./.env: it puts the key inside this directory, "
				 "where it could be committed and published", name);
	return inside;
}

/* ------------------------------------------------------------------ */
/* Origins                                                              */
/* ------------------------------------------------------------------ */

const char *cfg_keep(struct aa_config_state *st, char *s)
{
	char **v = s ? realloc(st->pool, (st->n_pool + 1) * sizeof(*v)) : NULL;

	if (!v) {
		free(s);
		return NULL;
	}
	st->pool = v;
	v[st->n_pool++] = s;
	return s;
}

/* Record where setting i's value came from (a bare aa_config has no state). */
static aa_status note_origin(aa_config *cfg, size_t i, const char *origin, aa_error *err)
{
	const char *kept;

	if (!cfg->state)
		return AA_OK;
	kept = strcmp(origin, "default") == 0 ? "default" : cfg_keep(cfg->state, strdup(origin));
	if (!kept)
		return aa_fail(err, AA_ERR_NOMEM, "out of memory");
	cfg->state->origin[i] = kept;
	return AA_OK;
}

/* cfg_apply() (`what` names the source in messages) and, when it took, the origin. */
static aa_status apply_from(aa_config *cfg, size_t i, const char *value, const char *what,
			    const char *shown, const char *key_source, aa_error *err)
{
	aa_status rc = cfg_apply(cfg, &cfg_settings[i], value, what, key_source, err);

	return rc == AA_OK ? note_origin(cfg, i, shown, err) : rc;
}

/* Apply a .env assignment under the .env rules of its setting; *applied when it took. */
static aa_status apply_dotenv(aa_config *cfg, const struct setting *s, const char *name,
			      const char *value, unsigned line, int *applied, aa_error *err)
{
	char origin[128], shown[32];
	aa_status rc = AA_OK;

	*applied = 0;
	if (s->dotenv == D_NEVER)
		return cfg_notice(cfg, err,
				  "ignoring %s from ./.env: a .env file never picks a proxy or a client "
				  "certificate; set it in the environment if you mean it", name);
	if (s->dotenv == D_TLS && !keeps_default_tls(value))
		return cfg_notice(cfg, err,
				  "ignoring %s from ./.env: a .env file never turns TLS checks off "
				  "or names a CA bundle; set it in the environment if you mean it", name);
	if (s->kind == K_DOMAIN && dotenv_splits_domains(cfg, s, name, value, &rc, err))
		return rc;
	if (s->kind == K_DOMAIN && dotenv_takes_a_key_elsewhere(cfg, s, name, value, &rc, err))
		return rc;
	if (s->kind == K_KEYRING_PATH && dotenv_keyring_in_tree(cfg, name, value, &rc, err))
		return rc;
	snprintf(origin, sizeof(origin), ".env line %u: %s", line, name);
	snprintf(shown, sizeof(shown), "./.env:%u", line);
	rc = apply_from(cfg, (size_t)(s - cfg_settings), value, origin, shown,
			dotenv_key_source(name), err);
	*applied = rc == AA_OK;
	if (rc == AA_OK && s->offset == AT(auth_domain))
		cfg->auth_domain_from_dotenv = 1;
	if (rc == AA_OK && s->dotenv == D_ANNOUNCE)
		rc = announce(cfg, s, name, value, err);
	return rc;
}

/* ------------------------------------------------------------------ */
/* The chain of sources                                                 */
/* ------------------------------------------------------------------ */

static const struct cfg_flag *last_flag(const struct aa_config_state *st, size_t i)
{
	for (size_t k = st->n_flags; k-- > 0;) {
		if (st->flags[k].setting == i)
			return &st->flags[k];
	}
	return NULL;
}

static aa_status from_env(aa_config *cfg, size_t i, int *found, aa_error *err)
{
	const struct setting *s = &cfg_settings[i];

	for (size_t j = 0; s->env[j]; j++) {
		const char *v = cfg_env_get(s->env[j]);

		if (v) {
			*found = 1;
			return apply_from(cfg, i, v, s->env[j], s->env[j], s->env[j], err);
		}
	}
	return AA_OK;
}

static aa_status from_secrets(aa_config *cfg, size_t i, int *found, aa_error *err)
{
	const struct cfg_values *sv = cfg->state->secrets;

	for (size_t j = 0; sv && cfg_settings[i].env[j]; j++) {
		const struct cfg_value *v = &sv->v[i][j];

		if (v->value) {
			*found = 1;
			return apply_from(cfg, i, v->value, v->origin, v->origin, v->origin, err);
		}
	}
	return AA_OK;
}

/* The newest name set in ./.env; one its rules refuse leaves the lower sources. */
static aa_status from_dotenv(aa_config *cfg, size_t i, int *found, aa_error *err)
{
	const struct dotenv_table *dt = cfg->state->dotenv;

	for (size_t j = 0; dt && cfg_settings[i].env[j]; j++) {
		if (dt->value[i][j])
			return apply_dotenv(cfg, &cfg_settings[i], cfg_settings[i].env[j],
					    dt->value[i][j], dt->line[i][j], found, err);
	}
	return AA_OK;
}

/* A config.toml table: the field name, or 0.15's name for it. */
static aa_status from_table(aa_config *cfg, size_t i, const struct config_table *t,
			    int *found, aa_error *err)
{
	const struct setting *s = &cfg_settings[i];
	const struct config_entry *e = config_table_find(t, s->alias ? s->alias : s->name);
	const char *shown;
	char *what;
	aa_status rc;

	if (!e)
		e = config_table_find(t, s->name);
	if (!e)
		return AA_OK;
	shown = cfg_keep(cfg->state, cfg_file_origin(cfg->state, t, e->line));
	what = shown ? aa_asprintf("%s %s", shown, e->key) : NULL;
	if (!what)
		return aa_fail(err, AA_ERR_NOMEM, "out of memory");
	*found = 1;
	rc = apply_from(cfg, i, e->value, what, shown, shown, err);
	free(what);
	return rc;
}

static aa_status from_condarc(aa_config *cfg, size_t i, int *found, aa_error *err)
{
	const struct cfg_values *cv = cfg->state->condarc;
	const struct cfg_value *v = cv ? &cv->v[i][0] : NULL;

	if (!v || !v->value)
		return AA_OK;
	*found = 1;
	return apply_from(cfg, i, v->value, v->origin, v->origin, v->origin, err);
}

/*
 * Setting i from the highest source that has it; the default stays otherwise.
 * Each of the environment, the secrets directory and ./.env reads every
 * generation of names, newest first (DESIGN.md): a variable in the
 * environment beats any file. Only [plugin.cloud] sits in 0.15's legacy slot.
 */
static aa_status resolve(aa_config *cfg, size_t i, aa_error *err)
{
	const struct aa_config_state *st = cfg->state;
	const struct cfg_flag *f = last_flag(st, i);
	const struct config_file *file = st->file;
	aa_status rc;
	int found = 0;

	if (f)
		return apply_from(cfg, i, f->value, f->origin, f->origin, "command line", err);
	rc = from_env(cfg, i, &found, err);
	if (rc == AA_OK && !found)
		rc = from_secrets(cfg, i, &found, err);
	if (rc == AA_OK && !found)
		rc = from_dotenv(cfg, i, &found, err);
	if (rc == AA_OK && !found && st->site >= 0)
		rc = from_table(cfg, i, &file->sites[st->site].table, &found, err);
	if (rc == AA_OK && !found && file) {
		rc = from_table(cfg, i, &file->plugin_cloud, &found, err);
		if (found)
			cfg->state->legacy[i] = 1;
	}
	if (rc == AA_OK && !found && file)
		rc = from_table(cfg, i, &file->plugin_auth, &found, err);
	if (rc == AA_OK && !found)
		rc = from_condarc(cfg, i, &found, err);
	return rc;
}

/* 0.15's deprecation warning, as one line naming the settings. */
static aa_status legacy_warning(aa_config *cfg, aa_error *err)
{
	char names[512] = "";
	size_t used = 0;

	for (size_t i = 0; i < N_SETTINGS; i++) {
		if (cfg->state->legacy[i] && used < sizeof(names))
			used += (size_t)snprintf(names + used, sizeof(names) - used, "%s%s",
						 used ? ", " : "", cfg_settings[i].name);
	}
	if (!used)
		return AA_OK;
	return cfg_notice(cfg, err,
			  "warning: %s set in the legacy [plugin.cloud] table of %s; "
			  "move them to [plugin.auth]", names, cfg->state->file_shown);
}

/*
 * The domain a source above the sites gives (it picks the site), normalised:
 * a flag, else the first name set in the environment, the secrets directory
 * or ./.env, as resolve() takes them. `domain` is cfg_settings[0].
 */
static char *higher_domain(const aa_config *cfg)
{
	const struct aa_config_state *st = cfg->state;
	const struct cfg_flag *f = last_flag(st, 0);
	const char *v = f ? f->value : NULL, *why;

	for (size_t j = 0; !v && cfg_settings[0].env[j]; j++)
		v = cfg_env_get(cfg_settings[0].env[j]);
	for (size_t j = 0; !v && st->secrets && cfg_settings[0].env[j]; j++)
		v = st->secrets->v[0][j].value;
	for (size_t j = 0; !v && st->dotenv && cfg_settings[0].env[j]; j++)
		v = st->dotenv->value[0][j];
	return v ? aa_hostport_normalize(v, &why) : NULL;
}

static aa_status set_defaults(aa_config *cfg, aa_error *err)
{
	for (size_t i = 0; i < sizeof(text_defaults) / sizeof(text_defaults[0]); i++) {
		char *v = strdup(text_defaults[i].value);

		if (!v)
			return aa_fail(err, AA_ERR_NOMEM, "out of memory");
		cfg_replace_str(cfg, text_defaults[i].offset, v);
	}
	cfg->ssl_verify = 1;
	cfg->storage = AA_STORAGE_FILE;
	cfg->use_device_flow = -1;
	cfg->use_unified_repo_api_key = 0;
	cfg->hash_hostname = 1;
	cfg->connect_timeout_ms = 10000;
	cfg->timeout_ms = 30000;
	/* NULL when no home directory is known; the file keyring reports it. */
	cfg->keyring_path = cfg_default_keyring_path();
	for (size_t i = 0; cfg->state && i < N_SETTINGS; i++) {
		cfg->state->origin[i] = "default";
		cfg->state->legacy[i] = 0;
	}
	return AA_OK;
}

/* Every setting from the sources gathered in cfg->state. */
static aa_status resolve_every_setting(aa_config *cfg, aa_error *err)
{
	char *domain = higher_domain(cfg);
	aa_status rc = cfg_select_site(cfg->state, domain, err);

	free(domain);
	if (rc == AA_OK)
		rc = set_defaults(cfg, err);
	for (size_t i = 0; rc == AA_OK && i < N_SETTINGS; i++)
		rc = resolve(cfg, i, err);
	if (rc == AA_OK)
		rc = legacy_warning(cfg, err);
	if (rc == AA_OK)
		rc = cfg_set_nested_proxies(cfg, err);
	return rc;
}

/* ------------------------------------------------------------------ */
/* Gathering the sources                                                */
/* ------------------------------------------------------------------ */

/* Like secure_getenv and ./.env: a set-id program reads no caller's files. */
static int set_id(void)
{
	return getuid() != geteuid() || getgid() != getegid();
}

static void config_clear(aa_config *cfg);

aa_status cfg_check_value(const char *name, const char *value, const char *origin,
			  aa_error *err)
{
	int i = cfg_find(name);
	aa_config scratch;
	aa_status rc;

	if (i < 0)
		return AA_ERR_NOT_FOUND;
	memset(&scratch, 0, sizeof(scratch));
	rc = cfg_apply(&scratch, &cfg_settings[i], value, origin, "", err);
	config_clear(&scratch);
	return rc;
}

/*
 * A client certificate, its key or a CA bundle path: 0.15 takes these as
 * plain text, so a config.toml shared between machines may name files
 * that exist only on some. They are checked when the setting is used (a
 * site not in use never stops the program), and only for being text here.
 */
static int names_a_file(const struct setting *s, const char *value)
{
	if (!*value || cfg_has_control_char(value, strlen(value)))
		return 0; /* not a plain path: the full check says why */
	return s->kind == K_FILE ||
	       (s->kind == K_SSL_VERIFY && aa_parse_bool(value) < 0 &&
		strcasecmp(value, "truststore") != 0);
}

/*
 * One entry of config.toml: a bad value is an error, an unknown key a
 * warning. Every value is checked, used or not, as 0.15 validates every
 * site (file paths excepted: names_a_file). The "file:line [table] key" text is made only when there is
 * something to say: formatting it for every entry of a valid file was a
 * third of what reading the file cost (bench: "config.toml present").
 */
static aa_status check_toml_entry(aa_config *cfg, const struct config_table *t,
			     const struct config_entry *e, aa_error *err)
{
	int i = cfg_find(e->key), known = i >= 0;
	char *where, *what;
	aa_status rc;

	if (known && names_a_file(&cfg_settings[i], e->value))
		return AA_OK; /* checked when used: it may be another machine's site */
	if (known ? cfg_check_value(e->key, e->value, "", NULL) == AA_OK :
		    cfg_known_elsewhere(e->key))
		return AA_OK;
	where = cfg_file_origin(cfg->state, t, e->line);
	what = !where ? NULL :
	       known ? aa_asprintf("%s %s", where, e->key) : aa_asprintf("%s: ", where);
	/* The same check again, now with the origin for its message. */
	rc = !what ? aa_fail(err, AA_ERR_NOMEM, "out of memory") :
	     known ? cfg_check_value(e->key, e->value, what, err) :
	     cfg_warn_unknown(cfg, what, e->key, err);
	free(what);
	free(where);
	return rc;
}

/* Validate one table of config.toml. */
static aa_status check_table(aa_config *cfg, const struct config_table *t, aa_error *err)
{
	aa_status rc = AA_OK;

	for (size_t k = 0; rc == AA_OK && k < t->n; k++)
		rc = check_toml_entry(cfg, t, &t->entries[k], err);
	return rc;
}

static aa_status check_file(aa_config *cfg, const struct config_file *f, aa_error *err)
{
	aa_status rc = check_table(cfg, &f->plugin_auth, err);

	if (rc == AA_OK)
		rc = check_table(cfg, &f->plugin_cloud, err);
	for (size_t k = 0; rc == AA_OK && k < f->n_sites; k++)
		rc = check_table(cfg, &f->sites[k].table, err);
	return rc;
}

/* $ANACONDA_CONFIG_TOML or ~/.anaconda/config.toml; malloc'd, NULL when none. */
aa_status cfg_config_path(char **path, aa_error *err)
{
	const char *v = cfg_env_get("ANACONDA_CONFIG_TOML");
	char *home;

	*path = NULL;
	if (v)
		return cfg_expand_path(v, "ANACONDA_CONFIG_TOML", path, err);
	home = cfg_home_dir();
	*path = home ? aa_asprintf("%s/.anaconda/config.toml", home) : NULL;
	if (home && !*path) {
		free(home);
		return aa_fail(err, AA_ERR_NOMEM, "out of memory");
	}
	free(home);
	return AA_OK;
}


cfg_file_loader_fn cfg_file_loader = config_file_load;

/* config.toml: one failed open when there is none; nothing is parsed then. */
static aa_status read_config_file(aa_config *cfg, aa_error *err)
{
	struct aa_config_state *st = cfg->state;
	char *path = NULL;
	aa_status rc = st->set_id ? AA_OK : cfg_config_path(&path, err);

	if (rc == AA_OK && path)
		rc = cfg_file_loader(path, &st->file, err);
	free(path);
	if (rc != AA_OK || !st->file)
		return rc;
	st->file_shown = cfg_shown_path(st->file->path);
	if (!st->file_shown)
		return aa_fail(err, AA_ERR_NOMEM, "out of memory");
	return check_file(cfg, st->file, err);
}

static aa_status gather(aa_config *cfg, aa_error *err)
{
	struct aa_config_state *st = cfg->state;
	aa_status rc = AA_OK;

	if (st->load_flags & AA_CONFIG_DOTENV) {
		st->dotenv = calloc(1, sizeof(*st->dotenv));
		rc = st->dotenv ? read_dotenv(cfg, st->dotenv, err) :
		     aa_fail(err, AA_ERR_NOMEM, "out of memory");
	}
	if (rc == AA_OK)
		rc = cfg_check_env_names(cfg, err);
	if (rc == AA_OK)
		rc = cfg_read_secrets(cfg, st, err);
	if (rc == AA_OK)
		rc = read_config_file(cfg, err);
	if (rc == AA_OK && !st->set_id)
		rc = cfg_read_condarc(cfg, st, err);
	return rc;
}

aa_status aa_config_load(aa_config **out, unsigned flags, aa_error *err)
{
	aa_config *cfg;
	aa_status rc;

	if (!out)
		return aa_fail(err, AA_ERR_USAGE, "aa_config_load: nowhere to put the settings");
	*out = NULL;
	cfg = calloc(1, sizeof(*cfg));
	if (!cfg)
		return aa_fail(err, AA_ERR_NOMEM, "out of memory");
	cfg->state = calloc(1, sizeof(*cfg->state));
	if (!cfg->state) {
		free(cfg);
		return aa_fail(err, AA_ERR_NOMEM, "out of memory");
	}
	cfg->state->load_flags = flags;
	cfg->state->set_id = set_id();
	cfg->state->site = -1;
	rc = gather(cfg, err);
	if (rc == AA_OK)
		rc = resolve_every_setting(cfg, err);
	if (rc != AA_OK) {
		aa_config_free(cfg);
		return rc;
	}
	*out = cfg;
	return AA_OK;
}

/* ------------------------------------------------------------------ */
/* Setting after loading (flags)                                        */
/* ------------------------------------------------------------------ */

/*
 * A domain set later (a --domain flag) keeps a .env auth domain only when
 * they are the same: .env alone never makes them differ.
 */
static aa_status drop_dotenv_split(aa_config *cfg, aa_error *err)
{
	char shown[64];
	aa_status rc;

	if (!cfg->auth_domain_from_dotenv || !cfg->auth_domain ||
	    strcmp(cfg->auth_domain, cfg->domain) == 0)
		return AA_OK;
	rc = cfg_notice(cfg, err,
			"ignoring the auth domain %s from ./.env: it differs from the domain %s",
			cfg_excerpt(cfg->auth_domain, shown, sizeof(shown)), cfg->domain);
	cfg_replace_str(cfg, AT(auth_domain), NULL);
	cfg->auth_domain_from_dotenv = 0;
	if (rc == AA_OK)
		rc = note_origin(cfg, (size_t)(setting_at(AT(auth_domain)) - cfg_settings), "default", err);
	return rc;
}

static const struct setting *find_setting(const char *field)
{
	int i = cfg_find(field);

	return i < 0 ? NULL : &cfg_settings[i];
}

/* Keep a flag so that a later site change applies it again. */
static aa_status remember_flag(aa_config *cfg, size_t i, const char *value,
			       const char *origin, aa_error *err)
{
	struct aa_config_state *st = cfg->state;
	struct cfg_flag *v;

	if (!st)
		return AA_OK;
	v = realloc(st->flags, (st->n_flags + 1) * sizeof(*v));
	if (!v)
		return aa_fail(err, AA_ERR_NOMEM, "out of memory");
	st->flags = v;
	v[st->n_flags].setting = i;
	v[st->n_flags].value = strdup(value);
	v[st->n_flags].origin = strdup(origin);
	if (!v[st->n_flags].value || !v[st->n_flags].origin) {
		aa_free_secret_str(v[st->n_flags].value);
		free(v[st->n_flags].origin);
		return aa_fail(err, AA_ERR_NOMEM, "out of memory");
	}
	st->n_flags++;
	return AA_OK;
}

/* `old` plus the lines of `new` it does not hold yet; frees both. */
static char *merge_notices(char *old, char *new)
{
	char *out = old, *line = new, *next;

	while (line && *line) {
		size_t n = strcspn(line, "\n");
		char *joined;
		int seen = 0;

		next = line + n + (line[n] == '\n');
		line[n] = '\0';
		for (const char *p = out; p && !seen; p = strchr(p, '\n'), p = p ? p + 1 : p)
			seen = strncmp(p, line, n) == 0 && (p[n] == '\n' || p[n] == '\0');
		if (!seen) {
			joined = out ? aa_asprintf("%s\n%s", out, line) : strdup(line);
			if (joined) {
				free(out);
				out = joined;
			}
		}
		line = next;
	}
	free(new);
	return out;
}

/*
 * Resolve everything again from the kept sources (the site may change), and
 * keep the notices already given. cfg is unchanged when this fails.
 */
static aa_status rebuild(aa_config *cfg, aa_error *err)
{
	struct aa_config_state *st = cfg->state;
	aa_config fresh;
	char *notices;
	aa_status rc;

	memset(&fresh, 0, sizeof(fresh));
	fresh.state = st;
	rc = resolve_every_setting(&fresh, err);
	fresh.state = NULL;
	if (rc != AA_OK) {
		config_clear(&fresh);
		return rc;
	}
	notices = merge_notices(cfg->notices, fresh.notices);
	fresh.notices = NULL;
	cfg->notices = NULL;
	cfg->state = NULL;
	config_clear(cfg);
	*cfg = fresh;
	cfg->state = st;
	cfg->notices = notices;
	return AA_OK;
}

/* --at NAME|DOMAIN (PAM: site=): choose the site, then resolve again. */
static aa_status set_site(aa_config *cfg, const char *value, const char *origin,
			  aa_error *err)
{
	struct aa_config_state *st = cfg->state;
	char *at = strdup(value), *at_origin = strdup(origin ? origin : "site");
	char *old_at, *old_origin;
	aa_status rc;

	if (!at || !at_origin) {
		free(at);
		free(at_origin);
		return aa_fail(err, AA_ERR_NOMEM, "out of memory");
	}
	old_at = st->at;
	old_origin = st->at_origin;
	st->at = at;
	st->at_origin = at_origin;
	rc = rebuild(cfg, err);
	if (rc != AA_OK) {
		st->at = old_at;
		st->at_origin = old_origin;
		old_at = at;
		old_origin = at_origin;
	}
	free(old_at);
	free(old_origin);
	return rc;
}

/* Whether a new domain may pick another site: only when sites are configured. */
static int domain_picks_site(const aa_config *cfg)
{
	const struct aa_config_state *st = cfg->state;

	return st && st->file && st->file->n_sites > 0;
}

aa_status aa_config_set(aa_config *cfg, const char *field, const char *value,
			const char *origin, aa_error *err)
{
	const struct setting *s;
	char buf[64];
	aa_status rc;

	if (!cfg || !field)
		return aa_fail(err, AA_ERR_USAGE, "aa_config_set: no config or field given");
	s = find_setting(field);
	if (!s && strcmp(field, "site") != 0)
		return aa_fail(err, AA_ERR_USAGE,
			       "unknown setting '%s'; see docs/settings.md for the names",
			       cfg_excerpt(field, buf, sizeof(buf)));
	if (!origin)
		origin = s ? s->name : "site";
	if (!value || !*value)
		return aa_fail(err, AA_ERR_USAGE, "%s: the value is empty", origin);
	if (!s)
		return cfg->state ? set_site(cfg, value, origin, err) :
		       aa_fail(err, AA_ERR_USAGE, "%s: no sites without aa_config_load", origin);
	rc = cfg_apply(cfg, s, value, origin, "command line", err);
	if (rc == AA_OK)
		rc = note_origin(cfg, (size_t)(s - cfg_settings), origin, err);
	if (rc == AA_OK)
		rc = remember_flag(cfg, (size_t)(s - cfg_settings), value, origin, err);
	if (rc != AA_OK || s->offset != AT(domain))
		return rc;
	if (domain_picks_site(cfg))
		return rebuild(cfg, err);
	/* No sites: the values stay; only the site shown may change. */
	rc = cfg->state ? cfg_select_site(cfg->state, cfg->domain, err) : AA_OK;
	return rc == AA_OK ? drop_dotenv_split(cfg, err) : rc;
}

const char *aa_config_auth_domain(const aa_config *cfg)
{
	if (!cfg)
		return NULL;
	return cfg->auth_domain && *cfg->auth_domain ? cfg->auth_domain : cfg->domain;
}

void cfg_state_free(struct aa_config_state *st)
{
	if (!st)
		return;
	if (st->dotenv)
		dotenv_table_clear(st->dotenv);
	free(st->dotenv);
	cfg_values_free(st->secrets);
	cfg_values_free(st->condarc);
	config_file_free(st->file);
	free(st->file_shown);
	for (size_t k = 0; k < st->n_flags; k++) {
		aa_free_secret_str(st->flags[k].value);
		free(st->flags[k].origin);
	}
	free(st->flags);
	free(st->at);
	free(st->at_origin);
	free(st->site_name);
	free(st->site_origin);
	for (size_t k = 0; k < st->n_pool; k++)
		free(st->pool[k]);
	free(st->pool);
	free(st);
}

/* Free what the fields hold (also of a scratch config on the stack). */
static void config_clear(aa_config *cfg)
{
	if (!cfg)
		return;
	for (size_t i = 0; i < sizeof(text_defaults) / sizeof(text_defaults[0]); i++)
		cfg_replace_str(cfg, text_defaults[i].offset, NULL);
	free(cfg->auth_domain);
	aa_secret_free(cfg->api_key);
	aa_secret_free(cfg->keyring_inline);
	free(cfg->ca_bundle);
	cfg_free_headers(cfg->extra_headers);
	cfg_free_headers(cfg->oidc_request_headers);
	free(cfg->api_version);
	free(cfg->keyring_path);
	free(cfg->secret_collection);
	free(cfg->notices);
	cfg_state_free(cfg->state);
	cfg_free_proxies(cfg->proxy_servers);
	free(cfg->client_cert);
	free(cfg->client_cert_key);
	memset(cfg, 0, sizeof(*cfg));
}

void aa_config_free(aa_config *cfg)
{
	config_clear(cfg);
	free(cfg);
}

/* ------------------------------------------------------------------ */
/* Showing a value                                                      */
/* ------------------------------------------------------------------ */

/* Header names only: values may be credentials. */
static char *show_headers(char *const *v)
{
	char *out = NULL, *next;

	for (size_t k = 0; v && v[k]; k++) {
		int n = (int)strcspn(v[k], ":");

		next = aa_asprintf("%s%s%.*s", out ? out : "", out ? ", " : "", n, v[k]);
		free(out);
		if (!next)
			return NULL;
		out = next;
	}
	if (!out)
		return NULL;
	next = aa_asprintf("%s (values hidden)", out);
	free(out);
	return next;
}

/* key=proxy pairs, each proxy without its user:password. */
static char *show_proxies(char *const *v)
{
	char *out = NULL, *next;
	char shown[160];

	for (size_t k = 0; v && v[k] && v[k + 1]; k += 2) {
		next = aa_asprintf("%s%s%s=%s", out ? out : "", out ? ", " : "", v[k],
				   aa_proxy_shown(v[k + 1], shown, sizeof(shown)));
		free(out);
		if (!next)
			return NULL;
		out = next;
	}
	return out;
}

/* "10", "2.5": seconds as they are written in settings. */
static char *show_seconds(long ms)
{
	char *text = ms % 1000 ? aa_asprintf("%ld.%03ld", ms / 1000, ms % 1000) :
		     aa_asprintf("%ld", ms / 1000);
	size_t n = text ? strlen(text) : 0;

	while (ms % 1000 && n > 0 && text[n - 1] == '0')
		text[--n] = '\0';
	return text;
}

char *cfg_show(const aa_config *cfg, size_t i)
{
	const struct setting *s = &cfg_settings[i];
	const void *at = (const char *)cfg + s->offset;
	char fp[AA_FINGERPRINT_MAX];
	const char *text;
	int b;

	switch (s->kind) {
	case K_API_KEY:
		if (!cfg->api_key)
			return NULL;
		aa_fingerprint(aa_secret_str(cfg->api_key), fp, sizeof(fp));
		return aa_asprintf("(set, key %s)", fp);
	case K_KEYRING: /* a whole keyring: its keys are never shown */
		return cfg->keyring_inline ? strdup("(set, read-only keyring)") : NULL;
	case K_SSL_VERIFY:
		return strdup(cfg->ca_bundle ? cfg->ca_bundle : cfg->ssl_verify ? "true" : "false");
	case K_HEADERS:
		return show_headers(*(char **const *)at);
	case K_PROXIES: /* a char **, never a string */
		return show_proxies(*(char **const *)at);
	case K_STORAGE:
		return strdup(cfg->storage == AA_STORAGE_SYSTEM ? "system" : "anaconda-keyring");
	case K_BOOL:
		b = *(const int *)at;
		return strdup(b < 0 ? "(device flow, browser as fallback)" : b ? "true" : "false");
	case K_TIMEOUT:
		return show_seconds(*(const long *)at);
	default:
		text = *(char *const *)at;
		return text ? strdup(text) : NULL;
	}
}

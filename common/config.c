/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * config.c - settings: the table, one validator per kind, and the chain of
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
#include "dotenv.h"
#include "json_util.h"
#include "util/aa_util.h"

#define API_KEY_MAX 16384u
#define TIMEOUT_MAX_MS (86400L * 1000L)
#define MAX_NAMES CFG_MAX_NAMES

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
};

/* What a value from ./.env may do (docs/settings.md, "`.env` files"). */
enum dotenv_rule {
	D_PLAIN,    /* honoured quietly */
	D_ANNOUNCE, /* changes where credentials go: honoured, said on stderr */
	D_TLS,      /* TLS is never weakened from .env: only "verify" is taken */
};

struct setting {
	const char *name;   /* as accepted by aa_config_set */
	const char *alias;  /* a second name for aa_config_set, or NULL */
	enum kind kind;
	enum dotenv_rule dotenv;
	size_t offset;      /* of the field in aa_config */
	const char *env[MAX_NAMES]; /* newest generation first, NULL-terminated */
};

#define AT(f) offsetof(aa_config, f)

static const struct setting settings[] = {
	{ "domain", NULL, K_DOMAIN, D_ANNOUNCE, AT(domain),
	  { "ANACONDA_AUTH_DOMAIN", "ANACONDA_CLOUD_DOMAIN",
	    "ANACONDA_CLOUD_API_DOMAIN" } },
	{ "auth_domain", "auth_domain_override", K_DOMAIN, D_ANNOUNCE, AT(auth_domain),
	  { "ANACONDA_AUTH_AUTH_DOMAIN_OVERRIDE",
	    "ANACONDA_CLOUD_AUTH_DOMAIN_OVERRIDE", "ANACONDA_CLOUD_AUTH_DOMAIN" } },
	{ "api_key", NULL, K_API_KEY, D_ANNOUNCE, AT(api_key),
	  { "ANACONDA_AUTH_API_KEY", "ANACONDA_CLOUD_API_KEY" } },
	{ "ssl_verify", NULL, K_SSL_VERIFY, D_TLS, AT(ssl_verify),
	  { "ANACONDA_AUTH_SSL_VERIFY", "ANACONDA_CLOUD_SSL_VERIFY",
	    "ANACONDA_CLOUD_API_SSL_VERIFY", "ANACONDA_CLOUD_AUTH_SSL_VERIFY" } },
	{ "extra_headers", NULL, K_HEADERS, D_PLAIN, AT(extra_headers),
	  { "ANACONDA_AUTH_EXTRA_HEADERS", "ANACONDA_CLOUD_EXTRA_HEADERS",
	    "ANACONDA_CLOUD_API_EXTRA_HEADERS" } },
	{ "client_id", NULL, K_TEXT, D_ANNOUNCE, AT(client_id),
	  { "ANACONDA_AUTH_CLIENT_ID", "ANACONDA_CLOUD_CLIENT_ID",
	    "ANACONDA_CLOUD_AUTH_CLIENT_ID" } },
	{ "redirect_uri", NULL, K_URL, D_ANNOUNCE, AT(redirect_uri),
	  { "ANACONDA_AUTH_REDIRECT_URI", "ANACONDA_CLOUD_REDIRECT_URI",
	    "ANACONDA_CLOUD_AUTH_REDIRECT_URI" } },
	{ "openid_config_path", NULL, K_PATH, D_ANNOUNCE, AT(openid_config_path),
	  { "ANACONDA_AUTH_OPENID_CONFIG_PATH", "ANACONDA_CLOUD_OPENID_CONFIG_PATH",
	    "ANACONDA_CLOUD_AUTH_OPENID_CONFIG_PATH" } },
	{ "login_success_path", NULL, K_PAGE_PATH, D_PLAIN, AT(login_success_path),
	  { "ANACONDA_AUTH_LOGIN_SUCCESS_PATH", "ANACONDA_CLOUD_LOGIN_SUCCESS_PATH" } },
	{ "login_error_path", NULL, K_PAGE_PATH, D_PLAIN, AT(login_error_path),
	  { "ANACONDA_AUTH_LOGIN_ERROR_PATH", "ANACONDA_CLOUD_LOGIN_ERROR_PATH" } },
	{ "preferred_token_storage", "storage", K_STORAGE, D_ANNOUNCE, AT(storage),
	  { "ANACONDA_AUTH_PREFERRED_TOKEN_STORAGE",
	    "ANACONDA_CLOUD_PREFERRED_TOKEN_STORAGE" } },
	{ "keyring_path", NULL, K_KEYRING_PATH, D_ANNOUNCE, AT(keyring_path),
	  { "ANACONDA_AUTH_KEYRING_PATH", "ANACONDA_CLOUD_KEYRING_PATH" } },
	{ "secret_collection", NULL, K_TEXT, D_ANNOUNCE, AT(secret_collection),
	  { "ANACONDA_AUTH_SECRET_COLLECTION" } },
	{ "use_device_flow", NULL, K_BOOL, D_PLAIN, AT(use_device_flow),
	  { "ANACONDA_AUTH_USE_DEVICE_FLOW", "ANACONDA_CLOUD_USE_DEVICE_FLOW" } },
	{ "use_unified_repo_api_key", NULL, K_BOOL, D_PLAIN, AT(use_unified_repo_api_key),
	  { "ANACONDA_AUTH_USE_UNIFIED_REPO_API_KEY",
	    "ANACONDA_CLOUD_USE_UNIFIED_REPO_API_KEY" } },
	{ "logging_level", NULL, K_TEXT, D_PLAIN, AT(logging_level),
	  { "ANACONDA_AUTH_LOGGING_LEVEL", "ANACONDA_CLOUD_LOGGING_LEVEL" } },
	{ "connect_timeout", NULL, K_TIMEOUT, D_PLAIN, AT(connect_timeout_ms),
	  { "ANACONDA_AUTH_CONNECT_TIMEOUT" } },
	{ "timeout", NULL, K_TIMEOUT, D_PLAIN, AT(timeout_ms), { "ANACONDA_AUTH_TIMEOUT" } },
	{ "hash_hostname", NULL, K_BOOL, D_PLAIN, AT(hash_hostname),
	  { "ANACONDA_AUTH_HASH_HOSTNAME", "ANACONDA_CLOUD_HASH_HOSTNAME" } },
	{ "api_version", NULL, K_TEXT, D_PLAIN, AT(api_version),
	  { "ANACONDA_AUTH_API_VERSION" } },
	{ "oidc_request_headers", NULL, K_HEADERS, D_PLAIN, AT(oidc_request_headers),
	  { "ANACONDA_AUTH_OIDC_REQUEST_HEADERS", "ANACONDA_CLOUD_OIDC_REQUEST_HEADERS" } },
};

#define N_SETTINGS (sizeof(settings) / sizeof(settings[0]))
_Static_assert(N_SETTINGS <= CFG_MAX_SETTINGS, "raise CFG_MAX_SETTINGS");

size_t cfg_count(void)
{
	return N_SETTINGS;
}

const char *cfg_name(size_t i)
{
	return i < N_SETTINGS ? settings[i].name : NULL;
}

const char *cfg_alias(size_t i)
{
	return i < N_SETTINGS ? settings[i].alias : NULL;
}

const char *cfg_env(size_t i, size_t gen)
{
	return i < N_SETTINGS && gen < MAX_NAMES ? settings[i].env[gen] : NULL;
}

int cfg_find(const char *name)
{
	for (size_t i = 0; i < N_SETTINGS; i++) {
		if (strcmp(name, settings[i].name) == 0 ||
		    (settings[i].alias && strcmp(name, settings[i].alias) == 0))
			return (int)i;
	}
	return -1;
}

int cfg_find_env(const char *var, size_t *gen)
{
	for (size_t i = 0; i < N_SETTINGS; i++) {
		for (size_t j = 0; settings[i].env[j]; j++) {
			if (strcmp(var, settings[i].env[j]) == 0) {
				if (gen)
					*gen = j;
				return (int)i;
			}
		}
	}
	return -1;
}

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
	char *value[N_SETTINGS][MAX_NAMES];
	unsigned line[N_SETTINGS][MAX_NAMES];
};

/* ------------------------------------------------------------------ */
/* Small helpers                                                        */
/* ------------------------------------------------------------------ */

static char **str_at(aa_config *cfg, size_t offset)
{
	return (char **)(void *)((char *)cfg + offset);
}

static void replace_str(aa_config *cfg, size_t offset, char *value)
{
	char **slot = str_at(cfg, offset);

	free(*slot);
	*slot = value;
}

/* A short printable excerpt of a (non-secret) value for a message. */
static const char *excerpt(const char *value, char *buf, size_t size)
{
	size_t i = 0, limit = size - 4;

	for (; i < limit && value[i]; i++) {
		unsigned char ch = (unsigned char)value[i];

		buf[i] = (ch < 0x20 || ch == 0x7f) ? '?' : (char)ch;
	}
	buf[i] = '\0';
	if (value[i])
		memcpy(buf + i, "...", 4);
	return buf;
}

static int has_control_char(const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		unsigned char ch = (unsigned char)s[i];

		if ((ch < 0x20 && ch != '\t') || ch == 0x7f)
			return 1;
	}
	return 0;
}

/*
 * Environment lookups ignore the environment in setuid/setgid programs:
 * the person who started them must not be able to steer where keys go.
 */
static const char *env_get(const char *name)
{
	const char *v = secure_getenv(name);

	return v && *v ? v : NULL;
}

/* $HOME, else the passwd entry of the real user; malloc'd or NULL. */
static char *home_dir(void)
{
	const char *home = env_get("HOME");
	const struct passwd *pw;

	if (home)
		return strdup(home);
	pw = getpwuid(getuid());
	return pw && pw->pw_dir && *pw->pw_dir ? strdup(pw->pw_dir) : NULL;
}

/* ------------------------------------------------------------------ */
/* Domains                                                              */
/* ------------------------------------------------------------------ */

char *aa_domain_normalize(const char *input, aa_error *err)
{
	const char *why = "no domain was given";
	char buf[64];
	char *out = input ? aa_hostport_normalize(input, &why) : NULL;

	if (!out)
		aa_fail(err, AA_ERR_USAGE,
			"'%s' is not a valid domain (%s); give host[:port], e.g. anaconda.cloud",
			input ? excerpt(input, buf, sizeof(buf)) : "", why);
	return out;
}

/* ------------------------------------------------------------------ */
/* keyring_path: ~ and $VAR / ${VAR}                                    */
/* ------------------------------------------------------------------ */

/* Write the directory `~` or `~user` at the start of *p names. */
static aa_status expand_tilde(const char **p, FILE *out, const char *origin,
			      aa_error *err)
{
	const char *s = *p + 1;
	size_t n = strcspn(s, "/");
	char *user, *home = NULL;
	const struct passwd *pw;

	if (n == 0) {
		home = home_dir();
		if (!home)
			return aa_fail(err, AA_ERR_USAGE,
				       "%s: cannot expand '~': HOME is not set and the user has no home directory; give an absolute path",
				       origin);
	} else {
		user = strndup(s, n);
		pw = user ? getpwnam(user) : NULL;
		free(user);
		if (!pw || !pw->pw_dir)
			return aa_fail(err, AA_ERR_USAGE,
				       "%s: cannot expand '~%.*s': no such user; give an absolute path",
				       origin, (int)(n > 64 ? 64 : n), s);
		home = strdup(pw->pw_dir);
		if (!home)
			return aa_fail(err, AA_ERR_NOMEM, "out of memory");
	}
	fputs(home, out);
	free(home);
	*p = s + n;
	return AA_OK;
}

static int is_name_char(int ch)
{
	return isalnum(ch) || ch == '_';
}

/* Expand one $NAME or ${NAME} at *p (pointing at '$'). */
static aa_status expand_var(const char **p, FILE *out, const char *origin,
			    aa_error *err)
{
	const char *s = *p + 1, *end;
	int braced = *s == '{';
	char name[128];
	const char *value;
	size_t n;

	if (braced)
		s++;
	for (end = s; is_name_char((unsigned char)*end); end++)
		;
	n = (size_t)(end - s);
	if (!braced && n == 0) {
		fputc('$', out); /* a lone '$' is part of the name */
		*p += 1;
		return AA_OK;
	}
	if (n == 0 || n >= sizeof(name) || (braced && *end != '}'))
		return aa_fail(err, AA_ERR_USAGE,
			       "%s: a '$' is not followed by a variable name such as $HOME or ${HOME}",
			       origin);
	memcpy(name, s, n);
	name[n] = '\0';
	value = secure_getenv(name);
	if (!value)
		return aa_fail(err, AA_ERR_USAGE,
			       "%s: the path uses $%s, which is not set; set it or give the path without it",
			       origin, name);
	fputs(value, out);
	*p = end + (braced ? 1 : 0);
	return AA_OK;
}

static aa_status expand_path(const char *in, const char *origin, char **result,
			     aa_error *err)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&buf, &len);
	aa_status rc = AA_OK;
	const char *p = in;

	if (!out)
		return aa_fail(err, AA_ERR_NOMEM, "out of memory");
	if (*p == '~')
		rc = expand_tilde(&p, out, origin, err);
	while (rc == AA_OK && *p) {
		if (*p == '$')
			rc = expand_var(&p, out, origin, err);
		else
			fputc(*p++, out);
	}
	if (fclose(out) != 0 && rc == AA_OK)
		rc = aa_fail(err, AA_ERR_NOMEM, "out of memory");
	if (rc == AA_OK && len == 0)
		rc = aa_fail(err, AA_ERR_USAGE, "%s: the path is empty after expansion", origin);
	if (rc != AA_OK) {
		free(buf);
		return rc;
	}
	*result = buf;
	return AA_OK;
}

static char *default_keyring_path(void)
{
	char *home = home_dir();
	char *path = home ? aa_asprintf("%s/.anaconda/keyring", home) : NULL;

	free(home);
	return path;
}

/* ------------------------------------------------------------------ */
/* Validators, one per kind                                             */
/* ------------------------------------------------------------------ */

static aa_status set_domain(aa_config *cfg, const struct setting *s,
			    const char *value, const char *origin, aa_error *err)
{
	const char *why = NULL;
	char buf[64];
	char *d = aa_hostport_normalize(value, &why);

	if (!d)
		return aa_fail(err, AA_ERR_USAGE,
			       "%s: '%s' is not a valid domain (%s); give host[:port], e.g. anaconda.cloud",
			       origin, excerpt(value, buf, sizeof(buf)), why);
	replace_str(cfg, s->offset, d);
	return AA_OK;
}

/* Same shape rule as aa_api_key_check; the key itself is never shown. */
static aa_status set_api_key(aa_config *cfg, const char *value,
			     const char *origin, const char *source, aa_error *err)
{
	size_t len = strlen(value);
	aa_secret *key;

	if (len > API_KEY_MAX)
		return aa_fail(err, AA_ERR_USAGE,
			       "%s: the API key is longer than %u bytes; copy the key again",
			       origin, API_KEY_MAX);
	for (size_t i = 0; i < len; i++) {
		unsigned char ch = (unsigned char)value[i];

		if (ch <= 0x20 || ch >= 0x7f || ch == '"' || ch == '\'')
			return aa_fail(err, AA_ERR_USAGE,
				       "%s: the API key holds a space, quote or non-ASCII character at position %zu; copy the key again",
				       origin, i + 1);
	}
	key = aa_secret_from_str(value);
	if (!key)
		return aa_fail(err, AA_ERR_NOMEM, "out of memory");
	aa_secret_free(cfg->api_key);
	cfg->api_key = key;
	cfg->api_key_source = source;
	return AA_OK;
}

/* A CA bundle must be a readable regular file; open it to be sure. */
static int is_readable_file(const char *path)
{
	struct stat st;
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	int ok;

	if (fd < 0)
		return 0;
	ok = fstat(fd, &st) == 0 && S_ISREG(st.st_mode);
	close(fd);
	return ok;
}

static aa_status set_ssl_verify(aa_config *cfg, const char *value,
				const char *origin, aa_error *err)
{
	int b = aa_parse_bool(value);
	char *bundle = NULL;
	char buf[64];

	if (b < 0 && strcasecmp(value, "truststore") != 0) {
		if (!is_readable_file(value))
			return aa_fail(err, AA_ERR_USAGE,
				       "%s: '%s' is neither a boolean (0/1/true/false/yes/no/on/off) nor an existing CA bundle file",
				       origin, excerpt(value, buf, sizeof(buf)));
		bundle = strdup(value);
		if (!bundle)
			return aa_fail(err, AA_ERR_NOMEM, "out of memory");
	}
	free(cfg->ca_bundle);
	cfg->ca_bundle = bundle;
	cfg->ssl_verify = b == 0 ? 0 : 1;
	return AA_OK;
}

/* RFC 7230 token characters. */
static int is_token(const char *s)
{
	if (!*s)
		return 0;
	for (; *s; s++) {
		if (!isalnum((unsigned char)*s) && !strchr("!#$%&'*+-.^_`|~", *s))
			return 0;
	}
	return 1;
}

/* Header values may be credentials: wipe them. */
static void free_headers(char **v)
{
	for (size_t i = 0; v && v[i]; i++)
		aa_free_secret_str(v[i]);
	free(v);
}

/* One "Name: value" line from a JSON member, or an error naming it. */
static aa_status header_line(const char *name, json_object *val,
			     const char *origin, char **line, aa_error *err)
{
	char buf[64];
	const char *s;
	size_t len;

	if (!is_token(name))
		return aa_fail(err, AA_ERR_USAGE,
			       "%s: '%s' is not a valid HTTP header name (letters, digits and !#$%%&'*+-.^_`|~ only)",
			       origin, excerpt(name, buf, sizeof(buf)));
	if (!json_object_is_type(val, json_type_string))
		return aa_fail(err, AA_ERR_USAGE,
			       "%s: the value of header '%s' must be a JSON string",
			       origin, name);
	s = json_object_get_string(val);
	len = (size_t)json_object_get_string_len(val);
	if (has_control_char(s, len)) /* NUL included */
		return aa_fail(err, AA_ERR_USAGE,
			       "%s: the value of header '%s' holds a control character (CR, LF, NUL ...)",
			       origin, name);
	*line = aa_asprintf("%s: %s", name, s);
	return *line ? AA_OK : aa_fail(err, AA_ERR_NOMEM, "out of memory");
}

static aa_status headers_from_object(json_object *obj, const char *origin,
				     char ***out, aa_error *err)
{
	size_t n = (size_t)json_object_object_length(obj), i = 0;
	char **v = calloc(n + 1, sizeof(*v));
	aa_status rc = AA_OK;

	if (!v)
		return aa_fail(err, AA_ERR_NOMEM, "out of memory");
	json_object_object_foreach(obj, name, val) {
		if (rc == AA_OK)
			rc = header_line(name, val, origin, &v[i++], err);
	}
	if (rc != AA_OK || n == 0) {
		free_headers(v);
		v = NULL;
	}
	*out = v;
	return rc;
}

static aa_status set_headers(aa_config *cfg, const struct setting *s, const char *value,
			     const char *origin, aa_error *err)
{
	json_object *obj = aa_json_parse_object(value, strlen(value),
					       JSON_TOKENER_DEFAULT_DEPTH,
					       AA_JSON_STRICT | AA_JSON_TRAILING_SPACE);
	char **v = NULL, ***slot;
	aa_status rc;

	if (!obj || !json_object_is_type(obj, json_type_object)) {
		json_object_put(obj);
		return aa_fail(err, AA_ERR_USAGE,
			       "%s: not a JSON object of header names to string values, e.g. {\"X-Team\": \"data\"}",
			       origin);
	}
	rc = headers_from_object(obj, origin, &v, err);
	json_object_put(obj);
	if (rc != AA_OK)
		return rc;
	slot = (char ***)(void *)((char *)cfg + s->offset);
	free_headers(*slot);
	*slot = v;
	return AA_OK;
}

/*
 * A path, absolute or relative, that resolves on the host it is joined to:
 * no scheme ("https:..."), no "//host" authority and no backslash, which
 * some URL parsers read as a slash. Discovery must stay on the auth domain.
 */
static int is_plain_path(const char *v)
{
	const char *p = v;

	if (strncmp(v, "//", 2) == 0 || strchr(v, '\\'))
		return 0;
	if (isalpha((unsigned char)*p)) {
		while (isalnum((unsigned char)*p) || *p == '+' || *p == '-' || *p == '.')
			p++;
		if (*p == ':')
			return 0;
	}
	return 1;
}

/*
 * The loopback sends the browser to https://<domain><path>, so the path
 * must start the URL's path: one '/', and nothing that a URL parser could
 * read as more host (".evil", "@evil", "//evil", a backslash, a space).
 */
static int is_page_path(const char *v)
{
	if (v[0] != '/' || v[1] == '/')
		return 0;
	for (const char *p = v; *p; p++) {
		unsigned char ch = (unsigned char)*p;

		if (ch <= 0x20 || ch == 0x7f || ch == '\\' || ch == '@')
			return 0;
	}
	return 1;
}

static aa_status set_text(aa_config *cfg, const struct setting *s,
			  const char *value, const char *origin, aa_error *err)
{
	char buf[64];
	char *copy;

	if (has_control_char(value, strlen(value)))
		return aa_fail(err, AA_ERR_USAGE,
			       "%s: '%s' holds a control character; give plain text",
			       origin, excerpt(value, buf, sizeof(buf)));
	if (s->kind == K_URL && strncasecmp(value, "http://", 7) != 0 &&
	    strncasecmp(value, "https://", 8) != 0)
		return aa_fail(err, AA_ERR_USAGE,
			       "%s: '%s' is not an http:// or https:// URL",
			       origin, excerpt(value, buf, sizeof(buf)));
	if (s->kind == K_PATH && !is_plain_path(value))
		return aa_fail(err, AA_ERR_USAGE,
			       "%s: '%s' is not a path; give a path such as /.well-known/openid-configuration "
			       "(the login configuration is always read from https://<auth_domain>)",
			       origin, excerpt(value, buf, sizeof(buf)));
	if (s->kind == K_PAGE_PATH && !is_page_path(value))
		return aa_fail(err, AA_ERR_USAGE,
			       "%s: '%s' is not a page path; give a path that starts with a single '/' "
			       "and holds no '\\', '@' or spaces, e.g. /app/local-login-success",
			       origin, excerpt(value, buf, sizeof(buf)));
	copy = strdup(value);
	if (!copy)
		return aa_fail(err, AA_ERR_NOMEM, "out of memory");
	replace_str(cfg, s->offset, copy);
	return AA_OK;
}

static aa_status set_storage(aa_config *cfg, const char *value,
			     const char *origin, aa_error *err)
{
	char buf[64];

	if (strcasecmp(value, "anaconda-keyring") == 0 || strcasecmp(value, "file") == 0)
		cfg->storage = AA_STORAGE_FILE;
	else if (strcasecmp(value, "system") == 0)
		cfg->storage = AA_STORAGE_SYSTEM;
	else
		return aa_fail(err, AA_ERR_USAGE,
			       "%s: '%s' is not a token storage; use anaconda-keyring (or file) or system",
			       origin, excerpt(value, buf, sizeof(buf)));
	return AA_OK;
}

static aa_status set_keyring_path(aa_config *cfg, const char *value,
				  const char *origin, aa_error *err)
{
	char *path = NULL;
	aa_status rc = expand_path(value, origin, &path, err);

	if (rc != AA_OK)
		return rc;
	replace_str(cfg, AT(keyring_path), path);
	return AA_OK;
}

static aa_status set_bool(aa_config *cfg, const struct setting *s,
			  const char *value, const char *origin, aa_error *err)
{
	int b = aa_parse_bool(value);
	char buf[64];

	if (b < 0)
		return aa_fail(err, AA_ERR_USAGE,
			       "%s: '%s' is not a boolean; use 0/1/true/false/yes/no/on/off",
			       origin, excerpt(value, buf, sizeof(buf)));
	*(int *)(void *)((char *)cfg + s->offset) = b;
	return AA_OK;
}

/* Seconds as digits with an optional fraction -> ms, rounded up; 0 if invalid. */
static long seconds_to_ms(const char *v)
{
	long ms = 0, scale = 100;
	int digits = 0, rest = 0;
	const char *p = v;

	for (; isdigit((unsigned char)*p); p++, digits++) {
		ms = ms * 10 + (*p - '0') * 1000L;
		if (ms > TIMEOUT_MAX_MS)
			return 0;
	}
	if (*p == '.') {
		for (p++; isdigit((unsigned char)*p); p++, digits++) {
			ms += (*p - '0') * scale;
			rest |= scale == 0 && *p != '0';
			scale /= 10;
		}
	}
	if (*p || digits == 0)
		return 0;
	ms += rest;
	return ms <= TIMEOUT_MAX_MS ? ms : 0;
}

static aa_status set_timeout(aa_config *cfg, const struct setting *s,
			     const char *value, const char *origin, aa_error *err)
{
	long ms = seconds_to_ms(value);
	char buf[64];

	if (ms <= 0)
		return aa_fail(err, AA_ERR_USAGE,
			       "%s: '%s' is not a positive number of seconds up to 86400, e.g. 10 or 2.5",
			       origin, excerpt(value, buf, sizeof(buf)));
	*(long *)(void *)((char *)cfg + s->offset) = ms;
	return AA_OK;
}

/* Validate `value` for setting `s` and store it; cfg is unchanged on error. */
static aa_status apply(aa_config *cfg, const struct setting *s, const char *value,
		       const char *origin, const char *key_source, aa_error *err)
{
	switch (s->kind) {
	case K_DOMAIN: return set_domain(cfg, s, value, origin, err);
	case K_API_KEY: return set_api_key(cfg, value, origin, key_source, err);
	case K_SSL_VERIFY: return set_ssl_verify(cfg, value, origin, err);
	case K_HEADERS: return set_headers(cfg, s, value, origin, err);
	case K_TEXT:
	case K_URL:
	case K_PATH:
	case K_PAGE_PATH: return set_text(cfg, s, value, origin, err);
	case K_STORAGE: return set_storage(cfg, value, origin, err);
	case K_KEYRING_PATH: return set_keyring_path(cfg, value, origin, err);
	case K_BOOL: return set_bool(cfg, s, value, origin, err);
	case K_TIMEOUT: return set_timeout(cfg, s, value, origin, err);
	}
	return aa_fail(err, AA_ERR_GENERIC, "internal error: unknown setting kind");
}

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

/* Add one line to cfg->notices (shown by the program, never a secret). */
aa_status cfg_notice(aa_config *cfg, aa_error *err, const char *fmt, ...)
{
	char *line = NULL, *joined;
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vasprintf(&line, fmt, ap);
	va_end(ap);
	if (n < 0)
		return aa_fail(err, AA_ERR_NOMEM, "out of memory");
	joined = cfg->notices ? aa_asprintf("%s\n%s", cfg->notices, line) : line;
	if (joined != line)
		free(line);
	if (!joined)
		return aa_fail(err, AA_ERR_NOMEM, "out of memory");
	free(cfg->notices);
	cfg->notices = joined;
	return AA_OK;
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

static const char *dotenv_key_source(const char *name)
{
	return strcmp(name, "ANACONDA_AUTH_API_KEY") == 0
		       ? ".env: ANACONDA_AUTH_API_KEY"
		       : ".env: ANACONDA_CLOUD_API_KEY";
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
	return cfg_notice(cfg, err, "using %s=%s from ./.env", name,
			  excerpt(value, shown, sizeof(shown)));
}

/* The setting stored at `offset`. */
static const struct setting *setting_at(size_t offset)
{
	for (size_t i = 0; i < N_SETTINGS; i++) {
		if (settings[i].offset == offset)
			return &settings[i];
	}
	return NULL;
}

/* The first set environment variable of setting `s`, or NULL. */

static const char *env_name_of(const struct setting *s)
{
	for (size_t j = 0; s && s->env[j]; j++) {
		if (env_get(s->env[j]))
			return s->env[j];
	}
	return NULL;
}

const char *aa_config_env_domain(void)
{
	const char *name = env_name_of(&settings[0]);

	return name ? env_get(name) : NULL;
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
		return 0; /* invalid: apply() names the problem */
	if (s->offset == AT(auth_domain))
		other = strdup(cfg->domain);
	else if ((env_name = env_name_of(setting_at(AT(auth_domain)))))
		other = aa_hostport_normalize(env_get(env_name), &why);
	split = other && strcmp(mine, other) != 0;
	if (split)
		*rc = cfg_notice(cfg, err,
				 "ignoring %s=%s from ./.env: it differs from the %s %s%s%s, and a "
				 ".env file never makes the login's domain differ from the key's",
				 name, excerpt(value, shown, sizeof(shown)),
				 env_name ? "auth domain" : "domain", other,
				 env_name ? " set by " : "", env_name ? env_name : "");
	free(mine);
	free(other);
	return split;
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

	if (expand_path(value, name, &path, err) != AA_OK) {
		aa_error_clear(err);
		return 0; /* apply() names the problem */
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

/* apply() (`what` names the source in messages) and, when it took, the origin. */
static aa_status apply_from(aa_config *cfg, size_t i, const char *value, const char *what,
			    const char *shown, const char *key_source, aa_error *err)
{
	aa_status rc = apply(cfg, &settings[i], value, what, key_source, err);

	return rc == AA_OK ? note_origin(cfg, i, shown, err) : rc;
}

/* Apply a .env assignment under the .env rules of its setting; *applied when it took. */
static aa_status apply_dotenv(aa_config *cfg, const struct setting *s, const char *name,
			      const char *value, unsigned line, int *applied, aa_error *err)
{
	char origin[128], shown[32];
	aa_status rc = AA_OK;

	*applied = 0;
	if (s->dotenv == D_TLS && !keeps_default_tls(value))
		return cfg_notice(cfg, err,
				  "ignoring %s from ./.env: a .env file never turns TLS checks off "
				  "or names a CA bundle; set it in the environment if you mean it", name);
	if (s->kind == K_DOMAIN && dotenv_splits_domains(cfg, s, name, value, &rc, err))
		return rc;
	if (s->kind == K_KEYRING_PATH && dotenv_keyring_in_tree(cfg, name, value, &rc, err))
		return rc;
	snprintf(origin, sizeof(origin), ".env line %u: %s", line, name);
	snprintf(shown, sizeof(shown), "./.env:%u", line);
	rc = apply_from(cfg, (size_t)(s - settings), value, origin, shown,
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
	const struct setting *s = &settings[i];

	for (size_t j = 0; s->env[j]; j++) {
		const char *v = env_get(s->env[j]);

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

	for (size_t j = 0; sv && settings[i].env[j]; j++) {
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

	for (size_t j = 0; dt && settings[i].env[j]; j++) {
		if (dt->value[i][j])
			return apply_dotenv(cfg, &settings[i], settings[i].env[j],
					    dt->value[i][j], dt->line[i][j], found, err);
	}
	return AA_OK;
}

/* A config.toml table: the field name, or 0.15's name for it. */
static aa_status from_table(aa_config *cfg, size_t i, const struct config_table *t,
			    int *found, aa_error *err)
{
	const struct setting *s = &settings[i];
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
						 used ? ", " : "", settings[i].name);
	}
	if (!used)
		return AA_OK;
	return cfg_notice(cfg, err,
			  "warning: %s set in the legacy [plugin.cloud] table of %s; "
			  "move them to [plugin.auth]", names, cfg->state->file_shown);
}

/* The domain a source above the sites gives (it picks the site), normalised. */
static char *higher_domain(const aa_config *cfg)
{
	const struct aa_config_state *st = cfg->state;
	const struct cfg_flag *f = last_flag(st, 0);
	const char *v = f ? f->value : env_get(settings[0].env[0]), *why;

	if (!v && st->secrets)
		v = st->secrets->v[0][0].value;
	if (!v && st->dotenv)
		v = st->dotenv->value[0][0];
	return v ? aa_hostport_normalize(v, &why) : NULL;
}

static aa_status set_defaults(aa_config *cfg, aa_error *err)
{
	for (size_t i = 0; i < sizeof(text_defaults) / sizeof(text_defaults[0]); i++) {
		char *v = strdup(text_defaults[i].value);

		if (!v)
			return aa_fail(err, AA_ERR_NOMEM, "out of memory");
		replace_str(cfg, text_defaults[i].offset, v);
	}
	cfg->ssl_verify = 1;
	cfg->storage = AA_STORAGE_FILE;
	cfg->use_device_flow = -1;
	cfg->use_unified_repo_api_key = 0;
	cfg->hash_hostname = 1;
	cfg->connect_timeout_ms = 10000;
	cfg->timeout_ms = 30000;
	/* NULL when no home directory is known; the file keyring reports it. */
	cfg->keyring_path = default_keyring_path();
	for (size_t i = 0; cfg->state && i < N_SETTINGS; i++) {
		cfg->state->origin[i] = "default";
		cfg->state->legacy[i] = 0;
	}
	return AA_OK;
}

/* Every setting from the sources gathered in cfg->state. */
static aa_status resolve_all(aa_config *cfg, aa_error *err)
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

/* Validate one table of config.toml: bad values are errors, unknown keys warnings. */
static aa_status check_table(aa_config *cfg, const struct config_table *t, aa_error *err)
{
	aa_status rc = AA_OK;

	for (size_t k = 0; rc == AA_OK && k < t->n; k++) {
		const struct config_entry *e = &t->entries[k];
		int i = cfg_find(e->key);
		char *where = cfg_file_origin(cfg->state, t, e->line), *what;
		aa_config scratch;

		if (!where)
			return aa_fail(err, AA_ERR_NOMEM, "out of memory");
		if (i < 0) {
			what = aa_asprintf("%s: ", where);
			rc = !what ? aa_fail(err, AA_ERR_NOMEM, "out of memory") :
			     cfg_known_elsewhere(e->key) ? AA_OK :
			     cfg_warn_unknown(cfg, what, e->key, err);
		} else {
			/* Every value is checked, used or not, as 0.15 validates every site. */
			what = aa_asprintf("%s %s", where, e->key);
			memset(&scratch, 0, sizeof(scratch));
			rc = !what ? aa_fail(err, AA_ERR_NOMEM, "out of memory") :
			     apply(&scratch, &settings[i], e->value, what, "", err);
			config_clear(&scratch);
		}
		free(what);
		free(where);
	}
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
static aa_status config_path(char **path, aa_error *err)
{
	const char *v = env_get("ANACONDA_CONFIG_TOML");
	char *home;

	*path = NULL;
	if (v)
		return expand_path(v, "ANACONDA_CONFIG_TOML", path, err);
	home = home_dir();
	*path = home ? aa_asprintf("%s/.anaconda/config.toml", home) : NULL;
	if (home && !*path) {
		free(home);
		return aa_fail(err, AA_ERR_NOMEM, "out of memory");
	}
	free(home);
	return AA_OK;
}

aa_status cfg_config_path(char **path, aa_error *err)
{
	return config_path(path, err);
}

aa_status cfg_check_value(const char *name, const char *value, const char *origin,
			  aa_error *err)
{
	int i = cfg_find(name);
	aa_config scratch;
	aa_status rc;

	if (i < 0)
		return AA_ERR_NOT_FOUND;
	memset(&scratch, 0, sizeof(scratch));
	rc = apply(&scratch, &settings[i], value, origin, "", err);
	config_clear(&scratch);
	return rc;
}

cfg_file_loader_fn cfg_file_loader = config_file_load;

/* config.toml: one stat when there is none; nothing is parsed then. */
static aa_status read_config_file(aa_config *cfg, aa_error *err)
{
	struct aa_config_state *st = cfg->state;
	char *path = NULL;
	aa_status rc = set_id() ? AA_OK : config_path(&path, err);

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
	if (rc == AA_OK && !set_id())
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
	cfg->state->site = -1;
	rc = gather(cfg, err);
	if (rc == AA_OK)
		rc = resolve_all(cfg, err);
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
			excerpt(cfg->auth_domain, shown, sizeof(shown)), cfg->domain);
	replace_str(cfg, AT(auth_domain), NULL);
	cfg->auth_domain_from_dotenv = 0;
	if (rc == AA_OK)
		rc = note_origin(cfg, (size_t)(setting_at(AT(auth_domain)) - settings), "default", err);
	return rc;
}

static const struct setting *find_setting(const char *field)
{
	int i = cfg_find(field);

	return i < 0 ? NULL : &settings[i];
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
	rc = resolve_all(&fresh, err);
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
			       excerpt(field, buf, sizeof(buf)));
	if (!origin)
		origin = s ? s->name : "site";
	if (!value || !*value)
		return aa_fail(err, AA_ERR_USAGE, "%s: the value is empty", origin);
	if (!s)
		return cfg->state ? set_site(cfg, value, origin, err) :
		       aa_fail(err, AA_ERR_USAGE, "%s: no sites without aa_config_load", origin);
	rc = apply(cfg, s, value, origin, "command line", err);
	if (rc == AA_OK)
		rc = note_origin(cfg, (size_t)(s - settings), origin, err);
	if (rc == AA_OK)
		rc = remember_flag(cfg, (size_t)(s - settings), value, origin, err);
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
		replace_str(cfg, text_defaults[i].offset, NULL);
	free(cfg->auth_domain);
	aa_secret_free(cfg->api_key);
	free(cfg->ca_bundle);
	free_headers(cfg->extra_headers);
	free_headers(cfg->oidc_request_headers);
	free(cfg->api_version);
	free(cfg->keyring_path);
	free(cfg->secret_collection);
	free(cfg->notices);
	cfg_state_free(cfg->state);
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
	const struct setting *s = &settings[i];
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
	case K_SSL_VERIFY:
		return strdup(cfg->ca_bundle ? cfg->ca_bundle : cfg->ssl_verify ? "true" : "false");
	case K_HEADERS:
		return show_headers(*(char **const *)at);
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

/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * config_values.c - one validator per kind of setting: the text of a value
 * from any source is checked here and stored in its field, or refused with
 * one line naming the source.
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <pwd.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config_values.h"
#include "json_util.h"
#include "keyring_backend.h"
#include "proxy.h"
#include "util/aa_util.h"

#define API_KEY_MAX 16384u
#define TIMEOUT_MAX_MS (86400L * 1000L)

/* ------------------------------------------------------------------ */
/* Small helpers                                                        */
/* ------------------------------------------------------------------ */

static char **str_at(aa_config *cfg, size_t offset)
{
	return (char **)(void *)((char *)cfg + offset);
}

void cfg_replace_str(aa_config *cfg, size_t offset, char *value)
{
	char **slot = str_at(cfg, offset);

	free(*slot);
	*slot = value;
}

/* A short printable excerpt of a (non-secret) value for a message. */
const char *cfg_excerpt(const char *value, char *buf, size_t size)
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

int cfg_has_control_char(const char *s, size_t len)
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
const char *cfg_env_get(const char *name)
{
	const char *v = secure_getenv(name);

	return v && *v ? v : NULL;
}

/* $HOME, else the passwd entry of the real user; malloc'd or NULL. */
char *cfg_home_dir(void)
{
	const char *home = cfg_env_get("HOME");
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
			"'%s' is not a valid domain (%s); give host[:port], e.g. anaconda.com",
			input ? cfg_excerpt(input, buf, sizeof(buf)) : "", why);
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
		home = cfg_home_dir();
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

aa_status cfg_expand_path(const char *in, const char *origin, char **result,
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

char *cfg_default_keyring_path(void)
{
	char *home = cfg_home_dir();
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
			       "%s: '%s' is not a valid domain (%s); give host[:port], e.g. anaconda.com",
			       origin, cfg_excerpt(value, buf, sizeof(buf)), why);
	cfg_replace_str(cfg, s->offset, d);
	return AA_OK;
}

/* A checked secret value and where it came from, replacing the old one. */
static aa_status keep_secret(aa_secret **slot, const char **source_slot, const char *value,
			     const char *source, aa_error *err)
{
	aa_secret *kept = aa_secret_from_str(value);

	if (!kept)
		return aa_fail(err, AA_ERR_NOMEM, "out of memory");
	aa_secret_free(*slot);
	*slot = kept;
	*source_slot = source;
	return AA_OK;
}

/* Same shape rule as aa_api_key_check; the key itself is never shown. */
static aa_status set_api_key(aa_config *cfg, const char *value,
			     const char *origin, const char *source, aa_error *err)
{
	size_t len = strlen(value);

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
	return keep_secret(&cfg->api_key, &cfg->api_key_source, value, source, err);
}

/*
 * A whole keyring, checked now so a bad value is one line at start-up
 * (0.15 validates it with the settings too); the text is never shown.
 */
static aa_status set_keyring(aa_config *cfg, const char *value,
			     const char *origin, const char *source, aa_error *err)
{
	struct json_object *doc = NULL;
	const char *why = NULL;
	aa_status rc = aa_keyring_inline_parse(value, strlen(value), &doc, &why);

	json_object_put(doc); /* wipes its strings */
	if (rc == AA_ERR_NOMEM)
		return aa_fail(err, rc, "out of memory");
	if (rc != AA_OK)
		return aa_fail(err, AA_ERR_USAGE,
			       "%s: the keyring %s; give the text of a keyring file, "
			       "{\"Anaconda Cloud\": {\"<domain>\": \"<base64>\"}}",
			       origin, why);
	return keep_secret(&cfg->keyring_inline, &cfg->keyring_inline_source, value, source,
			   err);
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
				       origin, cfg_excerpt(value, buf, sizeof(buf)));
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
void cfg_free_headers(char **v)
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
			       origin, cfg_excerpt(name, buf, sizeof(buf)));
	if (!json_object_is_type(val, json_type_string))
		return aa_fail(err, AA_ERR_USAGE,
			       "%s: the value of header '%s' must be a JSON string",
			       origin, name);
	s = json_object_get_string(val);
	len = (size_t)json_object_get_string_len(val);
	if (cfg_has_control_char(s, len)) /* NUL included */
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
		cfg_free_headers(v);
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
					       AA_JSON_STRICT | AA_JSON_TRAILING_SPACE |
					       AA_JSON_SECRET); /* header values may be credentials */
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
	cfg_free_headers(*slot);
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

	if (cfg_has_control_char(value, strlen(value)))
		return aa_fail(err, AA_ERR_USAGE,
			       "%s: '%s' holds a control character; give plain text",
			       origin, cfg_excerpt(value, buf, sizeof(buf)));
	if (s->kind == K_URL && strncasecmp(value, "http://", 7) != 0 &&
	    strncasecmp(value, "https://", 8) != 0)
		return aa_fail(err, AA_ERR_USAGE,
			       "%s: '%s' is not an http:// or https:// URL",
			       origin, cfg_excerpt(value, buf, sizeof(buf)));
	if (s->kind == K_PATH && !is_plain_path(value))
		return aa_fail(err, AA_ERR_USAGE,
			       "%s: '%s' is not a path; give a path such as /.well-known/openid-configuration "
			       "(the login configuration is always read from https://<auth_domain>)",
			       origin, cfg_excerpt(value, buf, sizeof(buf)));
	if (s->kind == K_PAGE_PATH && !is_page_path(value))
		return aa_fail(err, AA_ERR_USAGE,
			       "%s: '%s' is not a page path; give a path that starts with a single '/' "
			       "and holds no '\\', '@' or spaces, e.g. /app/local-login-success",
			       origin, cfg_excerpt(value, buf, sizeof(buf)));
	copy = strdup(value);
	if (!copy)
		return aa_fail(err, AA_ERR_NOMEM, "out of memory");
	cfg_replace_str(cfg, s->offset, copy);
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
			       origin, cfg_excerpt(value, buf, sizeof(buf)));
	return AA_OK;
}

static aa_status set_keyring_path(aa_config *cfg, const char *value,
				  const char *origin, aa_error *err)
{
	char *path = NULL;
	aa_status rc = cfg_expand_path(value, origin, &path, err);

	if (rc != AA_OK)
		return rc;
	cfg_replace_str(cfg, AT(keyring_path), path);
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
			       origin, cfg_excerpt(value, buf, sizeof(buf)));
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
			       origin, cfg_excerpt(value, buf, sizeof(buf)));
	*(long *)(void *)((char *)cfg + s->offset) = ms;
	return AA_OK;
}

/* Proxy URLs may hold a password: wipe them. */
void cfg_free_proxies(char **v)
{
	cfg_free_headers(v);
}

/* One key and proxy URL of the mapping into v[i], v[i + 1]. */
static aa_status proxy_pair(const char *key, json_object *val, const char *origin,
			    char **v, aa_error *err)
{
	const char *why = NULL;
	char buf[64];

	v[0] = aa_proxy_key_normalize(key, &why);
	if (!v[0])
		return aa_fail(err, AA_ERR_USAGE, "%s: '%s' is not a proxy_servers key (%s)",
			       origin, cfg_excerpt(key, buf, sizeof(buf)), why);
	if (!json_object_is_type(val, json_type_string))
		return aa_fail(err, AA_ERR_USAGE, "%s: the proxy for '%s' must be a JSON string",
			       origin, v[0]);
	v[1] = aa_proxy_url_normalize(json_object_get_string(val), &why);
	if (!v[1])
		return aa_fail(err, AA_ERR_USAGE, "%s: the proxy for '%s', '%s', is not usable (%s)",
			       origin, v[0],
			       aa_proxy_shown(json_object_get_string(val), buf, sizeof(buf)), why);
	return AA_OK;
}

/* {"https": "http://proxy:3128", "all://host": ...}, as requests and conda take it. */
static aa_status set_proxies(aa_config *cfg, const char *value, const char *origin,
			     aa_error *err)
{
	/* proxy URLs may hold a password: json-c's copies are wiped too */
	json_object *obj = aa_json_parse_object(value, strlen(value), JSON_TOKENER_DEFAULT_DEPTH,
					       AA_JSON_STRICT | AA_JSON_TRAILING_SPACE |
					       AA_JSON_SECRET);
	size_t n = obj ? (size_t)json_object_object_length(obj) : 0, i = 0;
	char **v = NULL;
	aa_status rc = AA_OK;

	if (!obj || !json_object_is_type(obj, json_type_object)) {
		json_object_put(obj);
		return aa_fail(err, AA_ERR_USAGE,
			       "%s: not a JSON object of schemes to proxy URLs, e.g. {\"https\": \"http://proxy.example:3128\"}",
			       origin);
	}
	v = calloc(2 * n + 1, sizeof(*v));
	if (!v) {
		json_object_put(obj);
		return aa_fail(err, AA_ERR_NOMEM, "out of memory");
	}
	json_object_object_foreach(obj, key, val) {
		if (rc == AA_OK)
			rc = proxy_pair(key, val, origin, v + 2 * i++, err);
	}
	json_object_put(obj);
	if (rc != AA_OK || n == 0) {
		cfg_free_proxies(v);
		v = NULL;
	}
	if (rc == AA_OK) {
		cfg_free_proxies(cfg->proxy_servers);
		cfg->proxy_servers = v;
	}
	return rc;
}

/* Set one key of the mapping to an already checked proxy URL (both are taken). */
static aa_status proxy_put(aa_config *cfg, char *key, char *url, aa_error *err)
{
	size_t n = 0;
	char **grown;

	for (char **m = cfg->proxy_servers; m && m[n]; n += 2) {
		if (strcmp(m[n], key) == 0) {
			aa_free_secret_str(m[n + 1]);
			m[n + 1] = url;
			free(key);
			return AA_OK;
		}
	}
	grown = calloc(n + 3, sizeof(*grown));
	if (!grown) {
		free(key);
		aa_free_secret_str(url);
		return aa_fail(err, AA_ERR_NOMEM, "out of memory");
	}
	if (n)
		memcpy(grown, cfg->proxy_servers, n * sizeof(*grown));
	grown[n] = key;
	grown[n + 1] = url;
	free(cfg->proxy_servers); /* the strings moved to grown */
	cfg->proxy_servers = grown;
	return AA_OK;
}

/* NAME=url for the key `suffix` (lower-cased), checked like a JSON member. */
static aa_status set_nested_proxy(aa_config *cfg, const char *name, const char *suffix,
				  const char *value, aa_error *err)
{
	char lower[96], buf[64];
	const char *why = NULL;
	char *key, *url;
	size_t i;

	for (i = 0; suffix[i] && i + 1 < sizeof(lower); i++)
		lower[i] = (char)tolower((unsigned char)suffix[i]);
	lower[i] = '\0';
	key = aa_proxy_key_normalize(lower, &why);
	if (!key)
		return aa_fail(err, AA_ERR_USAGE,
			       "%s: '%s' is not a proxy_servers key (%s); use e.g. %.*sHTTPS",
			       name, cfg_excerpt(lower, buf, sizeof(buf)), why,
			       (int)(suffix - name), name);
	url = aa_proxy_url_normalize(value, &why);
	if (!url) {
		free(key);
		return aa_fail(err, AA_ERR_USAGE, "%s: '%s' is not a usable proxy (%s)",
			       name, aa_proxy_shown(value, buf, sizeof(buf)), why);
	}
	return proxy_put(cfg, key, url, err);
}

/*
 * ANACONDA_AUTH_PROXY_SERVERS__HTTPS=url: one key of the mapping, as
 * pydantic-settings' nested delimiter gives it (the key is lower-cased);
 * it replaces that key of a JSON value. The legacy prefix first, so the
 * newer one wins.
 */
aa_status cfg_set_nested_proxies(aa_config *cfg, aa_error *err)
{
	static const char *const prefixes[] = { "ANACONDA_CLOUD_PROXY_SERVERS__",
						"ANACONDA_AUTH_PROXY_SERVERS__" };
	aa_status rc = AA_OK;

	for (size_t p = 0; p < 2; p++) {
		size_t plen = strlen(prefixes[p]);

		for (char **e = environ; rc == AA_OK && e && *e; e++) {
			const char *eq = strchr(*e, '=');
			char name[128];
			const char *value;

			if (strncmp(*e, prefixes[p], plen) != 0 || !eq ||
			    (size_t)(eq - *e) >= sizeof(name) || (size_t)(eq - *e) == plen)
				continue;
			snprintf(name, sizeof(name), "%.*s", (int)(eq - *e), *e);
			value = cfg_env_get(name); /* nothing in a set-id program */
			if (value)
				rc = set_nested_proxy(cfg, name, name + plen, value, err);
		}
	}
	return rc;
}

/* A file that must exist and be readable (a client certificate or its key). */
static aa_status set_file(aa_config *cfg, const struct setting *s, const char *value,
			  const char *origin, aa_error *err)
{
	char buf[64];
	char *copy;

	if (!is_readable_file(value))
		return aa_fail(err, AA_ERR_USAGE,
			       "%s: '%s' is not a readable file; give the path of a PEM file",
			       origin, cfg_excerpt(value, buf, sizeof(buf)));
	copy = strdup(value);
	if (!copy)
		return aa_fail(err, AA_ERR_NOMEM, "out of memory");
	cfg_replace_str(cfg, s->offset, copy);
	return AA_OK;
}

/* Validate `value` for setting `s` and store it; cfg is unchanged on error. */
aa_status cfg_apply(aa_config *cfg, const struct setting *s, const char *value,
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
	case K_KEYRING: return set_keyring(cfg, value, origin, key_source, err);
	case K_PROXIES: return set_proxies(cfg, value, origin, err);
	case K_FILE: return set_file(cfg, s, value, origin, err);
	}
	return aa_fail(err, AA_ERR_GENERIC, "internal error: unknown setting kind");
}

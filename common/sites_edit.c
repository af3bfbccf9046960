/* SPDX-License-Identifier: BSD-3-Clause */
/* sites_edit.c - 0.15's rules for `sites add|modify|remove`, values checked and turned into TOML, and the masked diff. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <json-c/json.h>

#include "config_engine.h"
#include "json_util.h"
#include "sites.h"
#include "toml.h"

/* The site 0.15 makes up when none is configured, and --remove-anaconda-com's. */
#define ANACONDA_COM "anaconda.com"

/* ---- the sites as read --------------------------------------------------- */

size_t aa_sites_count(const struct aa_sites *s)
{
	return s->file->n_sites;
}

const char *aa_sites_name(const struct aa_sites *s, size_t i)
{
	return i < s->file->n_sites ? s->file->sites[i].name : NULL;
}

char *aa_sites_domain(const struct aa_sites *s, size_t i)
{
	const struct config_entry *e;
	const char *why;
	char *d;

	if (i >= s->file->n_sites)
		return NULL;
	e = config_table_find(&s->file->sites[i].table, "domain");
	d = e ? aa_hostport_normalize(e->value, &why) : NULL;
	return d ? d : strdup(e ? e->value : AA_DEFAULT_DOMAIN);
}

aa_status aa_sites_find(const struct aa_sites *s, const char *at, long *idx, aa_error *err)
{
	return cfg_find_site(s->file, s->shown, at, "sites", idx, err);
}

long aa_sites_default(const struct aa_sites *s)
{
	long idx = -1;

	if (!s->file->default_site)
		return s->file->n_sites ? 0 : -1;
	return aa_sites_find(s, s->file->default_site, &idx, NULL) == AA_OK ? idx : -1;
}

/* ---- values as TOML text -------------------------------------------------- */

static void toml_of_json(struct aa_kbuf *b, json_object *o);

static void toml_string(struct aa_kbuf *b, const char *text)
{
	char *q = aa_toml_quote(text);

	if (!q) {
		b->oom = 1;
		return;
	}
	aa_kbuf_puts(b, q);
	aa_memzero(q, strlen(q));
	free(q);
}

static void toml_table(struct aa_kbuf *b, json_object *o)
{
	int first = 1;

	aa_kbuf_puts(b, "{");
	json_object_object_foreach(o, key, val) {
		char *q = aa_toml_quote_key(key);

		if (!q) {
			b->oom = 1;
			return;
		}
		aa_kbuf_puts(b, first ? " " : ", ");
		aa_kbuf_puts(b, q);
		aa_kbuf_puts(b, " = ");
		toml_of_json(b, val);
		free(q);
		first = 0;
	}
	aa_kbuf_puts(b, first ? "}" : " }");
}

static void toml_of_json(struct aa_kbuf *b, json_object *o)
{
	char num[64];

	switch (json_object_get_type(o)) {
	case json_type_object:
		toml_table(b, o);
		return;
	case json_type_array:
		aa_kbuf_puts(b, "[");
		for (size_t i = 0; i < json_object_array_length(o); i++) {
			aa_kbuf_puts(b, i ? ", " : "");
			toml_of_json(b, json_object_array_get_idx(o, i));
		}
		aa_kbuf_puts(b, "]");
		return;
	case json_type_boolean:
		aa_kbuf_puts(b, json_object_get_boolean(o) ? "true" : "false");
		return;
	case json_type_int:
		snprintf(num, sizeof(num), "%" PRId64, json_object_get_int64(o));
		aa_kbuf_puts(b, num);
		return;
	case json_type_double:
		snprintf(num, sizeof(num), "%.17g", json_object_get_double(o));
		aa_kbuf_puts(b, num);
		return;
	case json_type_string:
		toml_string(b, json_object_get_string(o));
		return;
	default: /* null: refused before we get here */
		b->oom = 1;
		return;
	}
}

/* Check one value as the settings engine would read it back; *toml gets its TOML text. */
static aa_status value_toml(const struct aa_site_value *v, char **toml, aa_error *err)
{
	json_object *obj = NULL;
	struct aa_kbuf b = { 0 };
	char *norm = NULL;
	const char *why;
	aa_status rc;

	*toml = NULL;
	if (v->kind == AA_SITE_JSON) {
		obj = aa_json_parse_object(v->value, strlen(v->value), 8,
					   AA_JSON_STRICT | AA_JSON_TRAILING_SPACE);
		if (!obj || !json_object_is_type(obj, json_type_object)) {
			aa_json_put_wiped(obj);
			return aa_fail(err, AA_ERR_USAGE, "%s: could not be parsed as a JSON object",
				       v->flag);
		}
	}
	/* every flag of sites names a setting, so the engine's validator decides */
	rc = cfg_check_value(v->key, v->value, v->flag, err);
	if (rc == AA_ERR_NOT_FOUND)
		rc = aa_fail(err, AA_ERR_GENERIC, "internal error: %s is not a setting", v->key);
	/* domains are written as 0.15 keeps them: host[:port] */
	if (rc == AA_OK && (!strcmp(v->key, "domain") || !strcmp(v->key, "auth_domain_override")))
		norm = aa_hostport_normalize(v->value, &why);
	/* our "file" is 0.15's "anaconda-keyring", the only other name it reads */
	if (rc == AA_OK && !strcmp(v->key, "preferred_token_storage"))
		norm = strdup(strcasecmp(v->value, "system") ? "anaconda-keyring" : "system");
	if (rc == AA_OK) {
		if (obj)
			toml_of_json(&b, obj);
		else if (v->kind == AA_SITE_BOOL)
			aa_kbuf_puts(&b, aa_parse_bool(v->value) ? "true" : "false");
		else
			toml_string(&b, norm ? norm : v->value);
		if (b.oom)
			rc = aa_fail(err, AA_ERR_NOMEM, "out of memory");
	}
	free(norm);
	aa_json_put_wiped(obj);
	if (rc != AA_OK) {
		aa_kbuf_free(&b);
		return rc;
	}
	*toml = b.p;
	return AA_OK;
}

/* ---- edits of s->text ----------------------------------------------------- */

/* Replace s->text with `out` (an edit's result). */
static void take(struct aa_sites *s, char *out, size_t len)
{
	aa_memzero(s->text, s->len);
	free(s->text);
	s->text = out;
	s->len = len;
}

static aa_status set_key(struct aa_sites *s, const char *const *path, size_t n,
			 const char *key, const char *toml, aa_error *err)
{
	char *out = NULL;
	size_t len = 0;
	aa_status rc = aa_toml_edit_set(s->text, s->len, s->shown, path, n, key, toml, &out,
					&len, err);

	if (rc == AA_OK)
		take(s, out, len);
	return rc;
}

static aa_status set_default(struct aa_sites *s, const char *name, aa_error *err)
{
	char *q = aa_toml_quote(name);
	aa_status rc = q ? set_key(s, NULL, 0, "default_site", q, err) :
		       aa_fail(err, AA_ERR_NOMEM, "out of memory");

	free(q);
	return rc;
}

static aa_status drop_site(struct aa_sites *s, const char *name, aa_error *err)
{
	const char *path[2] = { "sites", name };
	char *out = NULL;
	size_t len = 0;
	aa_status rc = aa_toml_edit_remove_table(s->text, s->len, s->shown, path, 2, &out,
						 &len, err);

	if (rc == AA_OK)
		take(s, out, len);
	return rc;
}

int aa_sites_proxy_has_userinfo(const char *json)
{
	/* JSON may spell the '@' as \u0040 (no other escape yields it) */
	return strchr(json, '@') || strcasestr(json, "\\u0040");
}

/* A value that makes the file private: a key, a keyring, a proxy password, headers. */
static int holds_secret(const struct aa_site_value *v)
{
	if (!strcmp(v->key, "proxy_servers"))
		return aa_sites_proxy_has_userinfo(v->value);
	if (!strcmp(v->key, "extra_headers") || !strcmp(v->key, "oidc_request_headers"))
		return strspn(v->value, "{} \t\r\n") < strlen(v->value); /* not "{}" */
	return cfg_value_is_secret(v->key);
}

/* All values as TOML text, checked; keys[i] = v[i].key. */
static aa_status values_toml(struct aa_sites *s, const struct aa_site_value *v, size_t n,
			     char ***toml, aa_error *err)
{
	aa_status rc = AA_OK;

	*toml = calloc(n + 1, sizeof(**toml));
	if (!*toml)
		return aa_fail(err, AA_ERR_NOMEM, "out of memory");
	for (size_t i = 0; rc == AA_OK && i < n; i++) {
		rc = value_toml(&v[i], &(*toml)[i], err);
		if (holds_secret(&v[i]))
			s->holds_secret = 1;
	}
	return rc;
}

static void free_toml(char **toml, size_t n)
{
	for (size_t i = 0; toml && i < n; i++) {
		if (toml[i])
			aa_memzero(toml[i], strlen(toml[i]));
		free(toml[i]);
	}
	free(toml);
}

/* Work on a copy; the new text is kept only when every step worked. */
static aa_status begin(struct aa_sites *s, char **saved, size_t *saved_len, aa_error *err)
{
	*saved = malloc(s->len + 1);
	if (!*saved)
		return aa_fail(err, AA_ERR_NOMEM, "out of memory");
	memcpy(*saved, s->text, s->len + 1);
	*saved_len = s->len;
	return AA_OK;
}

static aa_status end(struct aa_sites *s, aa_status rc, char *saved, size_t saved_len)
{
	if (rc != AA_OK)
		take(s, saved, saved_len);
	else {
		aa_memzero(saved, saved_len);
		free(saved);
	}
	return rc;
}

static const char *domain_of(const struct aa_site_value *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(v[i].key, "domain"))
			return v[i].value;
	return NULL;
}

static long site_index(const struct aa_sites *s, const char *name)
{
	for (size_t k = 0; k < s->file->n_sites; k++)
		if (!strcmp(s->file->sites[k].name, name))
			return (long)k;
	return -1;
}

/* The first site other than `skip`, or NULL. */
static const char *first_other(const struct aa_sites *s, long skip)
{
	for (size_t k = 0; k < s->file->n_sites; k++)
		if ((long)k != skip)
			return s->file->sites[k].name;
	return NULL;
}

/* --remove-anaconda-com (0.15's default) / --no-remove-anaconda-com on an empty file. */
static aa_status handle_anaconda_com(struct aa_sites *s, int remove, int *left,
				     const char **new_default, aa_error *err)
{
	long at = site_index(s, ANACONDA_COM);
	const char *keys[1] = { "domain" }, *vals[1] = { "\"" ANACONDA_COM "\"" };
	const char *path[2] = { "sites", ANACONDA_COM };
	char *out = NULL, line[600];
	size_t len = 0;
	aa_status rc;

	*left = (int)s->file->n_sites;
	if (remove && at >= 0) {
		rc = drop_site(s, ANACONDA_COM, err);
		if (rc != AA_OK)
			return rc;
		snprintf(line, sizeof(line),
			 "removing the site '%s' from %s (keep it with --no-remove-anaconda-com)",
			 ANACONDA_COM, s->shown);
		(*left)--;
		if (s->file->default_site && aa_sites_default(s) == at)
			*new_default = first_other(s, at);
		return aa_sites_notice(s, line) ? aa_fail(err, AA_ERR_NOMEM, "out of memory") : AA_OK;
	}
	if (remove || s->file->n_sites)
		return AA_OK;
	/* 0.15 writes the site it made up, and it stays the default */
	rc = aa_toml_edit_add_table(s->text, s->len, s->shown, path, 2, keys, vals, 1, &out,
				    &len, err);
	if (rc != AA_OK)
		return rc;
	take(s, out, len);
	*left = 1;
	*new_default = s->file->default_site ? NULL : ANACONDA_COM;
	return AA_OK;
}

static aa_status add_table(struct aa_sites *s, const char *name, const struct aa_site_value *v,
			   char **toml, size_t n, aa_error *err)
{
	const char *path[2] = { "sites", name };
	const char **keys = calloc(n + 1, sizeof(*keys));
	char *out = NULL;
	size_t len = 0;
	aa_status rc;

	if (!keys)
		return aa_fail(err, AA_ERR_NOMEM, "out of memory");
	for (size_t i = 0; i < n; i++)
		keys[i] = v[i].key;
	rc = aa_toml_edit_add_table(s->text, s->len, s->shown, path, 2, keys,
				    (const char *const *)toml, n, &out, &len, err);
	free(keys);
	if (rc == AA_OK)
		take(s, out, len);
	return rc;
}

static aa_status check_name(const char *name, aa_error *err)
{
	if (!*name)
		return aa_fail(err, AA_ERR_USAGE, "--name: the site name is empty");
	for (const char *p = name; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			return aa_fail(err, AA_ERR_USAGE, "--name: the site name holds a control character");
	return AA_OK;
}

aa_status aa_sites_add(struct aa_sites *s, const char *name, const struct aa_site_value *v,
		       size_t n, int make_default, int remove_anaconda_com, aa_error *err)
{
	const char *domain = domain_of(v, n), *why, *new_default = NULL;
	char *norm = NULL, **toml = NULL, *saved = NULL;
	size_t saved_len = 0;
	int left = 0;
	aa_status rc;

	if (!domain)
		return aa_fail(err, AA_ERR_USAGE, "give at least --domain to add a site");
	rc = values_toml(s, v, n, &toml, err);
	if (rc == AA_OK && !name && !(name = norm = aa_hostport_normalize(domain, &why)))
		rc = aa_fail(err, AA_ERR_USAGE, "--domain: not a domain (%s)", why);
	if (rc == AA_OK)
		rc = check_name(name, err);
	if (rc == AA_OK && site_index(s, name) >= 0)
		rc = aa_fail(err, AA_ERR_GENERIC,
			     "a site named %s already exists in %s; change it with 'anaconda-auth sites modify --name %s'",
			     name, s->shown, name);
	if (rc == AA_OK)
		rc = begin(s, &saved, &saved_len, err);
	if (rc == AA_OK) {
		rc = handle_anaconda_com(s, remove_anaconda_com, &left, &new_default, err);
		if (rc == AA_OK)
			rc = add_table(s, name, v, toml, n, err);
		if (rc == AA_OK && (make_default || left == 0))
			new_default = name;
		if (rc == AA_OK && new_default)
			rc = set_default(s, new_default, err);
		rc = end(s, rc, saved, saved_len);
	}
	free_toml(toml, n);
	free(norm);
	return rc;
}

/* A site that is configured, by name or domain: its index. */
static aa_status configured(const struct aa_sites *s, const char *at, long *idx, aa_error *err)
{
	aa_status rc = aa_sites_find(s, at, idx, err);

	/* an unknown or ambiguous site is a refusal (exit 1), as in 0.15 */
	if (rc == AA_ERR_USAGE) {
		if (err)
			err->code = AA_ERR_GENERIC;
		return AA_ERR_GENERIC;
	}
	if (rc == AA_OK && *idx < 0)
		return aa_fail(err, AA_ERR_GENERIC,
			       "no site '%s' is configured in %s; add one with 'anaconda-auth sites add --domain DOMAIN'",
			       at, s->shown);
	return rc;
}

aa_status aa_sites_modify(struct aa_sites *s, const char *at, const struct aa_site_value *v,
			  size_t n, int make_default, aa_error *err)
{
	char **toml = NULL, *saved = NULL;
	size_t saved_len = 0;
	long idx = -1;
	aa_status rc = configured(s, at, &idx, err);
	const char *path[2] = { "sites", NULL };

	if (rc == AA_OK)
		rc = values_toml(s, v, n, &toml, err);
	if (rc == AA_OK)
		rc = begin(s, &saved, &saved_len, err);
	if (rc == AA_OK) {
		path[1] = s->file->sites[idx].name;
		for (size_t i = 0; rc == AA_OK && i < n; i++)
			rc = set_key(s, path, 2, v[i].key, toml[i], err);
		if (rc == AA_OK && make_default)
			rc = set_default(s, path[1], err);
		rc = end(s, rc, saved, saved_len);
	}
	free_toml(toml, n);
	return rc;
}

aa_status aa_sites_remove(struct aa_sites *s, const char *at, aa_error *err)
{
	char *saved = NULL;
	size_t saved_len = 0;
	long idx = -1;
	aa_status rc = configured(s, at, &idx, err);

	if (rc == AA_OK && s->file->n_sites == 1)
		rc = aa_fail(err, AA_ERR_GENERIC,
			     "%s is the only configured site and cannot be removed", at);
	if (rc == AA_OK)
		rc = begin(s, &saved, &saved_len, err);
	if (rc == AA_OK) {
		rc = drop_site(s, s->file->sites[idx].name, err);
		/* a default_site naming it (by name or domain) moves on, as in 0.15 */
		if (rc == AA_OK && s->file->default_site && aa_sites_default(s) == idx)
			rc = set_default(s, first_other(s, idx), err);
		rc = end(s, rc, saved, saved_len);
	}
	return rc;
}

/* ---- the diff, secrets masked ---------------------------------------------- */

struct span {
	size_t a, z;
};

struct spans {
	struct span *v;
	size_t n, cap;
	int oom;
};

/*
 * Values never shown: keys, and what `config` hides too (header values may
 * be credentials; a proxy URL may hold user:password).
 */
static int is_secret_key(const char *key)
{
	return key && cfg_value_is_secret(key);
}

static void span_add(struct spans *out, size_t a, size_t z)
{
	struct span *grown;

	if (out->n == out->cap) {
		out->cap = out->cap ? 2 * out->cap : 16;
		grown = realloc(out->v, out->cap * sizeof(*grown));
		if (!grown) {
			out->oom = 1;
			return;
		}
		out->v = grown;
	}
	out->v[out->n++] = (struct span){ a, z };
}

/* The value spans of secret entries, and of everything under them (all of them). */
static void secret_spans(const aa_toml_node *t, int secret, unsigned depth, struct spans *out)
{
	for (size_t i = 0; i < aa_toml_count(t) && depth < AA_TOML_MAX_DEPTH && !out->oom; i++) {
		const char *key = NULL;
		const aa_toml_node *v = aa_toml_at(t, i, &key);
		aa_toml_where w = aa_toml_where_of(v);
		int hide = secret || is_secret_key(key);

		if (hide && w.value_end > w.value_start)
			span_add(out, w.value_start, w.value_end);
		else if (aa_toml_type_of(v) == AA_TOML_TABLE)
			secret_spans(v, hide, depth + 1, out);
	}
}

static int by_start(const void *a, const void *b)
{
	const struct span *x = a, *y = b;

	return x->a < y->a ? -1 : x->a > y->a;
}

/* text with every secret value replaced by "(hidden)"; malloc'd. */
static aa_status with_secrets_masked(const struct aa_sites *s, const char *text, size_t len,
			struct aa_kbuf *out, aa_error *err)
{
	struct spans sp = { .n = 0 };
	aa_toml *doc = NULL;
	size_t at = 0;
	aa_status rc = aa_toml_parse(text, len, s->shown, &doc, err);

	if (rc != AA_OK)
		return rc;
	secret_spans(aa_toml_root(doc), 0, 0, &sp);
	if (sp.oom) {
		free(sp.v);
		aa_toml_free(doc);
		return aa_fail(err, AA_ERR_NOMEM, "out of memory");
	}
	if (sp.n)
		qsort(sp.v, sp.n, sizeof(sp.v[0]), by_start);
	for (size_t i = 0; i < sp.n; i++) {
		if (sp.v[i].a < at)
			continue; /* inside one already hidden */
		aa_kbuf_put(out, text + at, sp.v[i].a - at);
		aa_kbuf_puts(out, "\"(hidden)\"");
		at = sp.v[i].z;
	}
	aa_kbuf_put(out, text + at, len - at);
	free(sp.v);
	aa_toml_free(doc);
	return out->oom ? aa_fail(err, AA_ERR_NOMEM, "out of memory") : AA_OK;
}

aa_status aa_sites_diff(const struct aa_sites *s, struct aa_kbuf *out, aa_error *err)
{
	struct aa_kbuf a = { 0 }, b = { 0 };
	char *from = aa_asprintf("%s%s", s->shown, s->exists ? "" : " (new file)");
	aa_status rc = from ? with_secrets_masked(s, s->orig, s->orig_len, &a, err) :
		       aa_fail(err, AA_ERR_NOMEM, "out of memory");

	if (rc == AA_OK)
		rc = with_secrets_masked(s, s->text, s->len, &b, err);
	if (rc == AA_OK && aa_line_diff(a.p ? a.p : "", a.len, b.p ? b.p : "", b.len, from,
					s->shown, out) < 0)
		rc = aa_fail(err, AA_ERR_NOMEM, "out of memory");
	aa_kbuf_free(&a);
	aa_kbuf_free(&b);
	free(from);
	return rc;
}
